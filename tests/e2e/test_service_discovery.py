"""Services end to end on one real node: a deployment behind a ClusterIP service (its endpoints
kept by the controllers, its address programmed by the node's service proxy), readiness gating
traffic, NodePorts, and the cluster DNS answering for services, stateful pods and pods, from inside
pods (busybox wget and nslookup via kubectl exec) and from the host (dig)."""

import json
import subprocess
import urllib.request
from collections import Counter

import pytest

from conftest import wait_until
from test_agent_pods import ns, running, wait_pod  # noqa: F401 (ns is a fixture)

DNS = "10.96.0.10"


def backend(image, ready_file=True):
    """A busybox httpd that answers with its pod's name, ready while /tmp/ready exists."""
    script = "mkdir -p /www; hostname > /www/index.html; touch /tmp/ready; exec httpd -f -p 8080 -h /www"
    container = {"name": "web", "image": image, "command": ["sh", "-c", script],
                 "ports": [{"name": "http", "containerPort": 8080}]}
    if ready_file:
        container["readinessProbe"] = {"exec": {"command": ["test", "-f", "/tmp/ready"]},
                                       "periodSeconds": 1, "failureThreshold": 1}
    return container


def deployment(name, image, replicas):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [backend(image)], "terminationGracePeriodSeconds": 2}}}}


def client_pod(image, name="client"):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "sh", "image": image, "command": ["sleep", "100000"]}],
                     "terminationGracePeriodSeconds": 1}}


def apply(node, ns, *objects):
    node.server.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List",
                                                                          "items": list(objects)}))


def sh(node, ns, pod, script, timeout=120):
    return node.server.kubectl("exec", "-n", ns, pod, "--", "sh", "-c", script, timeout=timeout).stdout


def answers(node, ns, url, count):
    """Which backends answered `count` requests from the client pod, by pod name."""
    out = sh(node, ns, "client", f"for i in $(seq {count}); do timeout 3 wget -qO- {url} || echo FAILED; done")
    return Counter(out.split())


def serving(node, ns, name):
    """The ready endpoint addresses of service `name`, from its Endpoints."""
    endpoints = node.server.kubectl_json("get", "endpoints", name, "-n", ns)
    return {a["ip"] for s in endpoints.get("subsets") or [] for a in s.get("addresses") or []}


def pods_of(node, ns, app):
    return node.server.kubectl_json("get", "pods", "-n", ns, "-l", f"app={app}")["items"]


def dig(*args):
    return subprocess.run(["dig", f"@{DNS}", "+short", "+time=2", "+tries=1", *args],
                          capture_output=True, text=True, timeout=30).stdout.split()


@pytest.fixture
def web(node, ns, registry):
    """Three backends of deployment `web` behind service `web` (port 80 → named port http), and a client pod."""
    apply(node, ns, deployment("web", registry.busybox, 3), client_pod(registry.busybox))
    node.server.kubectl("expose", "deployment", "web", "-n", ns, "--port", "80", "--target-port", "http")
    node.server.kubectl("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s", timeout=100)
    wait_pod(node, ns, "client", running, "Running")
    wait_until(lambda: len(serving(node, ns, "web")) == 3, 10, "three ready endpoints")
    return node.server.kubectl_json("get", "service", "web", "-n", ns)


def test_a_cluster_ip_spreads_requests_over_every_ready_backend(node, ns, web):
    ip = web["spec"]["clusterIP"]
    assert ip.startswith("10.") and ip != "None"
    names = {p["metadata"]["name"] for p in pods_of(node, ns, "web")}
    seen = answers(node, ns, f"http://{ip}/", 300)
    assert set(seen) == names, seen
    assert min(seen.values()) >= 50, seen  # about 100 each

    node.server.kubectl("scale", "deployment/web", "-n", ns, "--replicas=5")
    wait_until(lambda: len(serving(node, ns, "web")) == 5, 60, "five ready endpoints")
    names = {p["metadata"]["name"] for p in pods_of(node, ns, "web")}
    wait_until(lambda: set(answers(node, ns, f"http://{ip}/", 100)) == names, 20, "all five backends answering")


def test_a_pod_failing_readiness_gets_no_traffic(node, ns, web):
    ip = web["spec"]["clusterIP"]
    victim = pods_of(node, ns, "web")[0]
    name = victim["metadata"]["name"]
    node.server.kubectl("exec", "-n", ns, name, "--", "rm", "/tmp/ready")
    wait_until(lambda: victim["status"]["podIP"] not in serving(node, ns, "web"), 15, "the unready pod's endpoint gone")
    seen = answers(node, ns, f"http://{ip}/", 100)
    assert name not in seen and sum(seen.values()) == 100 and "FAILED" not in seen, seen

    node.server.kubectl("exec", "-n", ns, name, "--", "touch", "/tmp/ready")
    wait_until(lambda: victim["status"]["podIP"] in serving(node, ns, "web"), 15, "the pod serving again")
    wait_until(lambda: name in answers(node, ns, f"http://{ip}/", 60), 10, "traffic back on the pod")


def test_a_node_port_answers_on_the_nodes_address(node, ns, web):
    node.server.kubectl("patch", "service", "web", "-n", ns, "-p", '{"spec":{"type":"NodePort"}}')
    service = node.server.kubectl_json("get", "service", "web", "-n", ns)
    port = service["spec"]["ports"][0]["nodePort"]
    assert 30000 <= port <= 32767
    address = next(a["address"] for a in node.server.kubectl_json("get", "node", node.name)["status"]["addresses"]
                   if a["type"] == "InternalIP")
    names = {p["metadata"]["name"] for p in pods_of(node, ns, "web")}
    seen = Counter()

    def fetch():
        with urllib.request.urlopen(f"http://{address}:{port}/", timeout=2) as r:
            seen[r.read().decode().strip()] += 1
        return set(seen) == names
    wait_until(fetch, 30, f"every backend answering on {address}:{port}")


def test_pods_resolve_services_by_short_namespaced_and_full_names(node, ns, web):
    ip = web["spec"]["clusterIP"]
    resolv = sh(node, ns, "client", "cat /etc/resolv.conf")
    assert f"nameserver {DNS}" in resolv and f"search {ns}.svc.cluster.local svc.cluster.local cluster.local" in resolv
    assert "ndots:5" in resolv
    backends = {p["metadata"]["name"] for p in pods_of(node, ns, "web")}
    # wget resolves through the search path (ndots:5), as applications do.
    for name in ("web", f"web.{ns}", f"web.{ns}.svc.cluster.local"):
        wait_until(lambda: set(answers(node, ns, f"http://{name}/", 5)) <= backends, 20, f"{name} reaching the service")
    lookup = sh(node, ns, "client", f"nslookup web.{ns}.svc.cluster.local")
    assert f"Address: {ip}" in lookup, lookup


def test_dns_answers_headless_srv_external_name_and_stateful_pods(node, ns, registry, web):
    headless = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},
                "spec": {"clusterIP": "None", "selector": {"app": "db"},
                         "ports": [{"name": "http", "port": 8080, "targetPort": "http"}]}}
    stateful = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
                "spec": {"serviceName": "db", "replicas": 2, "selector": {"matchLabels": {"app": "db"}},
                         "template": {"metadata": {"labels": {"app": "db"}},
                                      "spec": {"containers": [backend(registry.busybox)],
                                               "terminationGracePeriodSeconds": 2}}}}
    external = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "docs"},
                "spec": {"type": "ExternalName", "externalName": "docs.example.org"}}
    apply(node, ns, headless, stateful, external)
    wait_until(lambda: len(serving(node, ns, "db")) == 2, 90, "two stateful pods serving")
    pods = {p["metadata"]["name"]: p["status"]["podIP"] for p in pods_of(node, ns, "db")}
    assert set(pods) == {"db-0", "db-1"}

    wait_until(lambda: web["spec"]["clusterIP"] in dig(f"web.{ns}.svc.cluster.local"), 20, "the service's A record")
    wait_until(lambda: sorted(dig(f"db.{ns}.svc.cluster.local")) == sorted(pods.values()), 20, "the headless A records")
    assert dig(f"db-0.db.{ns}.svc.cluster.local") == [pods["db-0"]]
    srv = dig("SRV", f"_http._tcp.db.{ns}.svc.cluster.local")
    assert sorted(srv[3::4]) == sorted(f"{n}.db.{ns}.svc.cluster.local." for n in pods) and set(srv[2::4]) == {"8080"}
    assert dig("CNAME", f"docs.{ns}.svc.cluster.local") == ["docs.example.org."]
    dashed = pods["db-1"].replace(".", "-")
    assert dig(f"{dashed}.{ns}.pod.cluster.local") == [pods["db-1"]]
    missing = subprocess.run(["dig", f"@{DNS}", "+time=2", "+tries=1", f"nothing.{ns}.svc.cluster.local"],
                             capture_output=True, text=True, timeout=30).stdout
    assert "status: NXDOMAIN" in missing
    # Reverse lookups of the service's address and of a stateful pod's.
    assert dig("-x", web["spec"]["clusterIP"]) == [f"web.{ns}.svc.cluster.local."]
    assert dig("-x", pods["db-0"]) == [f"db-0.db.{ns}.svc.cluster.local."]
    # Inside a pod, the stateful pod's name resolves too.
    wait_until(lambda: answers(node, ns, "http://db-0.db:8080/", 1) == {"db-0": 1}, 20, "db-0.db from a pod")
