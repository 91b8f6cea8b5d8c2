"""Endpoints and EndpointSlices kept by the server's controllers for services over pods that
hollow nodes run (their pods become Running and Ready with addresses from 198.19.0.0/16),
driven by the real kubectl."""

import json

import pytest

from conftest import hollow_cluster, make_namespace, wait_until


@pytest.fixture(scope="module")
def cluster():
    with hollow_cluster(2, "ep") as server:
        yield server


@pytest.fixture
def ns(cluster, request):
    return make_namespace(cluster, request, "e")


def pod_ips(server, ns, selector="app=web"):
    items = server.kubectl_json("get", "pods", "-n", ns, "-l", selector)["items"]
    return sorted(p["status"]["podIP"] for p in items
                  if "deletionTimestamp" not in p["metadata"] and p["status"].get("podIP"))


def endpoint_ips(server, ns, name, field="addresses"):
    ep = server.kubectl_json("get", "endpoints", name, "-n", ns)
    return sorted(a["ip"] for s in ep.get("subsets") or [] for a in s.get(field) or [])


def slice_endpoints(server, ns, name):
    slices = server.kubectl_json("get", "endpointslices", "-n", ns, "-l", f"kubernetes.io/service-name={name}")["items"]
    return {e["addresses"][0]: e for s in slices for e in s.get("endpoints") or []}


def deploy_and_expose(cluster, ns, replicas):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", f"--replicas={replicas}", "--port=8080", "-n", ns)
    k("expose", "deployment", "web", "--port=80", "--target-port=8080", "-n", ns)
    wait_until(lambda: len(pod_ips(cluster, ns)) == replicas, 60, f"{replicas} pods with addresses")


def test_expose_gives_endpoints_and_slices_that_follow_scaling(cluster, ns):
    k = cluster.kubectl
    deploy_and_expose(cluster, ns, 3)
    wait_until(lambda: endpoint_ips(cluster, ns, "web") == pod_ips(cluster, ns), 30, "endpoints of the 3 pods")
    wait_until(lambda: sorted(slice_endpoints(cluster, ns, "web")) == pod_ips(cluster, ns), 30, "a slice of the 3 pods")

    ep = cluster.kubectl_json("get", "endpoints", "web", "-n", ns)
    assert ep["subsets"][0]["ports"] == [{"port": 8080, "protocol": "TCP"}]
    assert all(a["targetRef"]["kind"] == "Pod" and a["nodeName"].startswith("ep-") for a in ep["subsets"][0]["addresses"])
    table = k("get", "endpoints", "web", "-n", ns).stdout.splitlines()
    assert table[0].split()[:2] == ["NAME", "ENDPOINTS"]
    assert table[1].split()[0] == "web" and f"{pod_ips(cluster, ns)[0]}:8080" in table[1]

    [es] = cluster.kubectl_json("get", "endpointslices", "-n", ns)["items"]
    assert es["metadata"]["name"].startswith("web-")
    assert es["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io"
    assert es["metadata"]["ownerReferences"][0]["kind"] == "Service"
    assert es["addressType"] == "IPv4" and es["ports"] == [{"name": "", "port": 8080, "protocol": "TCP"}]
    assert all(e["conditions"] == {"ready": True, "serving": True, "terminating": False} for e in es["endpoints"])
    rows = k("get", "endpointslices", "-n", ns).stdout.splitlines()
    assert rows[0].split()[:4] == ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS"]
    assert rows[1].split()[1:3] == ["IPv4", "8080"]

    described = k("describe", "svc", "web", "-n", ns).stdout
    line = next(l for l in described.splitlines() if l.startswith("Endpoints:"))
    assert all(f"{ip}:8080" in line for ip in pod_ips(cluster, ns))

    k("scale", "deployment", "web", "--replicas=5", "-n", ns)
    wait_until(lambda: len(pod_ips(cluster, ns)) == 5, 60, "5 pods with addresses")
    wait_until(lambda: endpoint_ips(cluster, ns, "web") == pod_ips(cluster, ns), 30, "endpoints of 5 pods")
    wait_until(lambda: sorted(slice_endpoints(cluster, ns, "web")) == pod_ips(cluster, ns), 30, "slice of 5 pods")
    k("scale", "deployment", "web", "--replicas=1", "-n", ns)
    wait_until(lambda: len(pod_ips(cluster, ns)) == 1, 60, "1 pod left")
    wait_until(lambda: endpoint_ips(cluster, ns, "web") == pod_ips(cluster, ns), 30, "endpoints of 1 pod")
    wait_until(lambda: sorted(slice_endpoints(cluster, ns, "web")) == pod_ips(cluster, ns), 30, "slice of 1 pod")

    k("delete", "service", "web", "-n", ns)
    wait_until(lambda: k("get", "endpoints", "web", "-n", ns, check=False).returncode != 0, 30, "endpoints gone")
    wait_until(lambda: cluster.kubectl_json("get", "endpointslices", "-n", ns)["items"] == [], 30, "slices gone")


def test_a_pod_that_stops_being_ready_moves_to_not_ready(cluster, ns):
    deploy_and_expose(cluster, ns, 2)
    wait_until(lambda: len(endpoint_ips(cluster, ns, "web")) == 2, 30, "2 ready endpoints")
    pod = cluster.kubectl_json("get", "pods", "-n", ns, "-l", "app=web")["items"][0]
    name, ip = pod["metadata"]["name"], pod["status"]["podIP"]
    # Hollow nodes leave a Running pod's status alone, so the readiness written here stays.
    conditions = [dict(c, status="False") if c["type"] in ("Ready", "ContainersReady") else c for c in pod["status"]["conditions"]]
    cluster.kubectl("patch", "pod", name, "-n", ns, "--subresource=status", "--type=merge",
                    "-p", json.dumps({"status": {"conditions": conditions}}))
    wait_until(lambda: endpoint_ips(cluster, ns, "web", "notReadyAddresses") == [ip], 10, "the pod not ready")
    assert ip not in endpoint_ips(cluster, ns, "web")
    wait_until(lambda: slice_endpoints(cluster, ns, "web")[ip]["conditions"]["ready"] is False, 10, "its endpoint not ready")


def test_a_service_without_selector_keeps_hand_made_endpoints(cluster, ns):
    k = cluster.kubectl
    k("create", "service", "clusterip", "db", "--tcp=5432:5432", "-n", ns)
    k("patch", "service", "db", "-n", ns, "--type=json", "-p", '[{"op": "remove", "path": "/spec/selector"}]')
    manual = {"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "db", "namespace": ns},
              "subsets": [{"addresses": [{"ip": "192.0.2.10"}], "ports": [{"port": 5432}]}]}
    k("apply", "-f", "-", input=json.dumps(manual))
    deploy_and_expose(cluster, ns, 1)
    wait_until(lambda: len(endpoint_ips(cluster, ns, "web")) == 1, 30, "the selecting service's endpoints")
    assert endpoint_ips(cluster, ns, "db") == ["192.0.2.10"]
    assert slice_endpoints(cluster, ns, "db") == {}
