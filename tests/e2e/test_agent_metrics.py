"""The metrics API (metrics.k8s.io/v1beta1) behind `kubectl top`: node and pod usage computed
from the agent's readings of /proc and of containerd's CRI stats, never stored."""

import hashlib
import re
import urllib.parse

import pytest

from conftest import wait_until
from test_agent_pods import apply, pod_manifest, running, wait_pod

METRICS = "/apis/metrics.k8s.io/v1beta1"


@pytest.fixture
def ns(node, request):
    digest = hashlib.sha1(request.node.name.encode()).hexdigest()[:6]
    name = "m-" + request.node.name.replace("_", "-")[:40].strip("-") + "-" + digest
    node.server.kubectl("create", "namespace", name)
    yield name


@pytest.fixture
def burner(node, registry, ns):
    """A pod spinning a shell loop under a 200m CPU limit, running."""
    burn = {"name": "burn", "image": registry.busybox, "command": ["sh", "-c", "while :; do :; done"],
            "resources": {"limits": {"cpu": "200m", "memory": "32Mi"}}}
    idle = {"name": "idle", "image": registry.busybox, "command": ["sleep", "3600"]}
    pod = pod_manifest("burner", [burn, idle])
    pod["metadata"]["labels"] = {"app": "burner"}
    apply(node, ns, pod)
    wait_pod(node, ns, "burner", running, "running")
    return "burner"


def millicores(text):
    """kubectl's CPU column ("123m") or a quantity ("1234567n", "200m", "1") in millicores."""
    number, unit = re.fullmatch(r"(\d+)([num]?)", text).groups()
    return int(number) / {"n": 1e6, "u": 1e3, "m": 1, "": 1e-3}[unit]


def mebibytes(text):
    number, unit = re.fullmatch(r"(\d+)(Ki|Mi|Gi)?", text).groups()
    return int(number) * {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024, None: 1 / 2**20}[unit]


def rows(output):
    return [line.split() for line in output.strip().splitlines()[1:]]


def test_discovery_lists_the_metrics_group(node):
    out = node.server.kubectl("api-resources", "--api-group=metrics.k8s.io", "-o", "wide").stdout
    assert re.search(r"^nodes\s+metrics\.k8s\.io/v1beta1\s+false\s+NodeMetrics\s+get,list", out, re.M), out
    assert re.search(r"^pods\s+metrics\.k8s\.io/v1beta1\s+true\s+PodMetrics\s+get,list", out, re.M), out


def test_top_node_shows_cpu_and_memory(node):
    out = node.server.kubectl("top", "node").stdout
    assert out.split("\n")[0].split() == ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"], out
    row = next(r for r in rows(out) if r[0] == node.name)
    assert millicores(row[1].removesuffix("m")) >= 0 and row[1].endswith("m"), out
    assert mebibytes(row[3]) > 10, out
    status, _, metrics = node.server.request("GET", f"{METRICS}/nodes/{node.name}")
    assert status == 200, metrics
    assert metrics["kind"] == "NodeMetrics" and metrics["metadata"]["name"] == node.name
    assert re.fullmatch(r"\d+(\.\d+)?(ms|s)|\d+m[\d.]+s", metrics["window"]), metrics
    assert metrics["metadata"]["labels"]["kubernetes.io/hostname"] == node.name
    assert mebibytes(metrics["usage"]["memory"]) > 10, metrics


def test_top_pod_shows_a_busy_pod(node, ns, burner):
    seen = {}

    def busy():
        seen["out"] = node.server.kubectl("top", "pod", "-n", ns, check=False).stdout
        row = next((r for r in rows(seen["out"]) if r and r[0] == burner), None)
        return row is not None and millicores(row[1]) > 50
    try:
        wait_until(busy, 60, "the busy pod's CPU in kubectl top pod")
    except TimeoutError:
        raise AssertionError(f"kubectl top pod:\n{seen.get('out')}\n{node.agent_log()}") from None
    status, _, metrics = node.server.request("GET", f"{METRICS}/namespaces/{ns}/pods/{burner}")
    assert status == 200, metrics
    usage = {c["name"]: c["usage"] for c in metrics["containers"]}
    assert set(usage) == {"burn", "idle"}, metrics
    assert 50 < millicores(usage["burn"]["cpu"]) < 300, metrics
    assert millicores(usage["idle"]["cpu"]) < 50, metrics
    assert 0 < mebibytes(usage["burn"]["memory"]) < 32, metrics
    assert metrics["metadata"]["labels"] == {"app": "burner"}


def test_top_pod_containers_and_selectors(node, ns, burner):
    def listed():
        out = node.server.kubectl("top", "pod", "-n", ns, "--containers", check=False).stdout
        return {(r[0], r[1]) for r in rows(out)} >= {(burner, "burn"), (burner, "idle")}
    wait_until(listed, 60, "both containers in kubectl top pod --containers")
    out = node.server.kubectl("top", "pod", "-n", ns, "--containers").stdout
    assert out.split("\n")[0].split() == ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"], out
    assert [r[0] for r in rows(node.server.kubectl("top", "pod", "-n", ns, "-l", "app=burner").stdout)] == [burner]
    status, _, listed_other = node.server.request("GET", f"{METRICS}/namespaces/{ns}/pods?labelSelector=app%3Dother")
    assert status == 200 and listed_other["kind"] == "PodMetricsList" and listed_other["items"] == []
    status, _, all_pods = node.server.request("GET", f"{METRICS}/pods")
    assert status == 200 and any(p["metadata"]["namespace"] == ns for p in all_pods["items"]), all_pods


def test_metrics_are_read_only_and_errors_are_statuses(node, ns, burner):
    server = node.server
    body = '{"apiVersion":"metrics.k8s.io/v1beta1","kind":"PodMetrics","metadata":{"name":"x"}}'
    for method, path in [("POST", f"{METRICS}/namespaces/{ns}/pods"), ("PUT", f"{METRICS}/namespaces/{ns}/pods/{burner}"),
                         ("DELETE", f"{METRICS}/namespaces/{ns}/pods/{burner}"), ("POST", f"{METRICS}/nodes"),
                         ("DELETE", f"{METRICS}/nodes/{node.name}")]:
        status, _, reply = server.request(method, path, body=None if method == "DELETE" else body)
        assert status == 405 and reply["reason"] == "MethodNotAllowed", (method, path, reply)
    status, _, reply = server.request("PATCH", f"{METRICS}/nodes/{node.name}", body="{}", content_type="application/merge-patch+json")
    assert status == 405, reply
    status, _, reply = server.request("GET", f"{METRICS}/namespaces/{ns}/pods?watch=true")
    assert status == 405, reply

    status, _, reply = server.request("GET", f"{METRICS}/namespaces/{ns}/pods/nope")
    assert status == 404 and reply["message"] == 'podmetrics.metrics.k8s.io "nope" not found', reply
    status, _, reply = server.request("GET", f"{METRICS}/nodes/no-such-node")
    assert status == 404 and reply["message"] == 'nodemetrics.metrics.k8s.io "no-such-node" not found', reply
    err = server.kubectl("top", "pod", "-n", ns, "nope", check=False)
    assert err.returncode != 0 and 'podmetrics.metrics.k8s.io "nope" not found' in err.stderr, err.stderr

    selector = urllib.parse.quote("app in (burner")
    status, _, reply = server.request("GET", f"{METRICS}/namespaces/{ns}/pods?labelSelector={selector}")
    assert status == 400 and reply["reason"] == "BadRequest", reply
    status, _, reply = server.request("GET", f"{METRICS}/nodes?fieldSelector=spec.nodeName%3Dx")
    assert status == 400, reply
