"""The pod network across nodes: three agents, each in its own network namespace on one test
network (tests/e2e/netns.py), take the pod subnets the server assigns, route each other's pod
subnets (host-gw); pods reach pods on other nodes by pod IP with their own address, reach the
outside masqueraded as their node, and reach services whose endpoints are on other nodes, by
cluster IP, by name and by node port on every node's address."""

import ipaddress
import json
import urllib.request
from collections import Counter

import pytest

from conftest import wait_until
from netns import Cluster, HTTPEcho

NODES = 3
ROUTE_PROTOCOL = "proto 151"

# A CGI for busybox httpd that answers with the client's address as the server saw it.
HTTPD = [
    "sh", "-c",
    "mkdir -p /www/cgi-bin && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n' "
    "> /www/cgi-bin/addr && chmod +x /www/cgi-bin/addr && exec httpd -f -p 0.0.0.0:8080 -h /www",
]


@pytest.fixture(scope="module")
def cluster():
    with Cluster(nodes=NODES, assign_pod_cidrs=False) as c:
        yield c


# A busybox httpd that answers with its pod's name.
NAMED_HTTPD = ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 0.0.0.0:8080 -h /www"]


@pytest.fixture(scope="module")
def spread(cluster):
    """NodePort service `spread` (port 80 → 8080) over a named httpd pod on every node; returns
    the service and the pods' IPs by name."""
    for i in range(NODES):
        cluster.run_pod(f"spread-{i}", i, NAMED_HTTPD, labels={"app": "spread"})
    ips = {f"spread-{i}": cluster.wait_running(f"spread-{i}") for i in range(NODES)}
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "spread"},
               "spec": {"type": "NodePort", "selector": {"app": "spread"},
                        "ports": [{"port": 80, "targetPort": 8080}]}}
    cluster.kubectl("apply", "-f", "-", input=json.dumps(service))
    wait_until(lambda: endpoint_ips(cluster, "spread") == set(ips.values()), 30, "three endpoints of spread")
    return cluster.server.kubectl_json("get", "service", "spread"), ips


def endpoint_ips(cluster, name):
    endpoints = cluster.server.kubectl_json("get", "endpoints", name)
    return {a["ip"] for s in endpoints.get("subsets") or [] for a in s.get("addresses") or []}


@pytest.fixture(scope="module")
def web(cluster):
    """A busybox httpd pod on every node; returns their pod IPs, node by node."""
    for i in range(NODES):
        cluster.run_pod(f"web-{i}", i, HTTPD)
    return [cluster.wait_running(f"web-{i}") for i in range(NODES)]


def pod_cidrs(cluster):
    return [cluster.node(i)["spec"]["podCIDR"] for i in range(NODES)]


def fetch(cluster, pod, url):
    """GET `url` from inside `pod` with busybox wget; returns the body, stripped. (The test
    image's static busybox wget crashes with -T, so kubectl exec's timeout bounds it.)"""
    return cluster.exec(pod, "wget", "-q", "-O", "-", url, timeout=30).stdout.strip()


def test_nodes_are_ready_with_distinct_pod_subnets_and_their_own_addresses(cluster):
    cidrs = pod_cidrs(cluster)
    assert len(set(cidrs)) == NODES
    networks = [ipaddress.ip_network(c) for c in cidrs]
    assert all(n.subnet_of(ipaddress.ip_network("10.244.0.0/16")) for n in networks)
    for i in range(NODES):
        node = cluster.node(i)
        ready = [c for c in node["status"]["conditions"] if c["type"] == "Ready"]
        assert ready and ready[0]["status"] == "True"
        internal = [a["address"] for a in node["status"]["addresses"] if a["type"] == "InternalIP"]
        assert internal == [cluster.network.address(i)]


def test_each_node_routes_the_other_nodes_pod_subnets_via_their_addresses(cluster):
    cidrs = pod_cidrs(cluster)
    for i in range(NODES):
        wanted = {f"{cidrs[j]} via {cluster.network.address(j)}" for j in range(NODES) if j != i}

        def routed():
            ours = [line for line in cluster.network.routes(i).splitlines() if ROUTE_PROTOCOL in line]
            return {" ".join(line.split()[:3]) for line in ours} == wanted
        wait_until(routed, 15, f"node {i}'s routes {sorted(wanted)}; it has:\n{cluster.network.routes(i)}")
        assert ip_forward(cluster, i) == "1"


def ip_forward(cluster, i):
    return cluster.network.exec(i, "cat", "/proc/sys/net/ipv4/ip_forward").stdout.strip()


def test_each_node_masquerades_only_its_pods_traffic_leaving_the_pod_network(cluster, web):
    cidrs = pod_cidrs(cluster)
    for i in range(NODES):
        rules = cluster.network.exec(i, "iptables", "-w", "-t", "nat", "-S").stdout.splitlines()
        assert "-A POSTROUTING -j FLOTILLA-POD-EGRESS" in rules
        assert [r for r in rules if r.startswith("-A FLOTILLA-POD-EGRESS")] == [
            f"-A FLOTILLA-POD-EGRESS -s {cidrs[i]} ! -d 10.244.0.0/16 -j MASQUERADE"]
        # The bridge plugin masquerades nothing of its own any more (it added a rule per pod address).
        assert not [r for r in rules if r.startswith("-A POSTROUTING -s ")]


def test_pods_reach_pods_on_other_nodes_by_pod_ip_and_keep_their_address(cluster, web):
    for i in range(NODES):
        for j in range(NODES):
            if i == j:
                continue
            seen = fetch(cluster, f"web-{i}", f"http://{web[j]}:8080/cgi-bin/addr")
            assert seen == web[i], f"web-{j} on node {j} saw web-{i} (pod IP {web[i]}) as {seen}"


def test_pods_reach_the_outside_masqueraded_as_their_node(cluster, web):
    echo = HTTPEcho(cluster.network.gateway)
    try:
        for i in range(NODES):
            assert fetch(cluster, f"web-{i}", echo.url) == cluster.network.address(i)
    finally:
        echo.close()


def test_a_service_spreads_over_endpoints_on_every_node_by_cluster_ip_and_name(cluster, web, spread):
    service, ips = spread
    for target in (service["spec"]["clusterIP"], "spread", "spread.default.svc.cluster.local"):
        out = cluster.exec("web-0", "sh", "-c", f"for i in $(seq 60); do wget -qO- http://{target}/ || echo FAILED; done",
                           timeout=120).stdout
        seen = Counter(out.split())
        assert set(seen) == set(ips), f"{target}: {seen}"


def test_a_node_port_answers_on_every_nodes_address(cluster, spread):
    service, ips = spread
    port = service["spec"]["ports"][0]["nodePort"]
    for i in range(NODES):
        seen = Counter()

        def fetch_all():
            with urllib.request.urlopen(f"http://{cluster.network.address(i)}:{port}/", timeout=3) as r:
                seen[r.read().decode().strip()] += 1
            return set(seen) == set(ips)
        wait_until(fetch_all, 30, f"every backend through node {i}'s node port {port} (seen {seen})")


# A busybox httpd whose CGI answers with its pod's name and the client's address as the pod saw it.
WHO = [
    "sh", "-c",
    "mkdir -p /www/cgi-bin && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $(hostname) $REMOTE_ADDR\\n' "
    "> /www/cgi-bin/who && chmod +x /www/cgi-bin/who && exec httpd -f -p 0.0.0.0:8080 -h /www",
]


@pytest.fixture(scope="module")
def local_policies(cluster):
    """Pods `near-0` (node 0) and `near-1` (node 1) behind the NodePort service `near`
    (externalTrafficPolicy Local) and the ClusterIP service `inside` (internalTrafficPolicy
    Local); node 2 has no endpoint of either. Returns both services."""
    for i in (0, 1):
        cluster.run_pod(f"near-{i}", i, WHO, labels={"app": "near"})
    ips = {cluster.wait_running(f"near-{i}") for i in (0, 1)}
    port = [{"port": 80, "targetPort": 8080}]
    for name, spec in (("near", {"type": "NodePort", "externalTrafficPolicy": "Local"}),
                       ("inside", {"type": "ClusterIP", "internalTrafficPolicy": "Local"})):
        service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                   "spec": {**spec, "selector": {"app": "near"}, "ports": port}}
        cluster.kubectl("apply", "-f", "-", input=json.dumps(service))
        wait_until(lambda: endpoint_ips(cluster, name) == ips, 30, f"two endpoints of {name}")
    return (cluster.server.kubectl_json("get", "service", "near"), cluster.server.kubectl_json("get", "service", "inside"))


def who(cluster, pod, url, times):
    """`times` answers of the who CGI at `url` fetched from inside `pod`, FAILED for each that failed."""
    script = f"for i in $(seq {times}); do timeout 3 wget -qO- {url} || echo FAILED; done"
    return [line.strip() for line in cluster.exec(pod, "sh", "-c", script, timeout=120).stdout.splitlines() if line.strip()]


def test_external_traffic_policy_local_serves_outside_clients_on_their_node_with_their_address(cluster, web, local_policies):
    near, _ = local_policies
    port = near["spec"]["ports"][0]["nodePort"]
    for i in (0, 1):
        def answers():
            with urllib.request.urlopen(f"http://{cluster.network.address(i)}:{port}/cgi-bin/who", timeout=3) as r:
                return r.read().decode().strip()
        wait_until(lambda: answers() == f"near-{i} {cluster.network.gateway}", 30, f"near-{i} through node {i}'s node port")
        assert {answers() for _ in range(10)} == {f"near-{i} {cluster.network.gateway}"}
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://{cluster.network.address(2)}:{port}/cgi-bin/who", timeout=3)
    # A pod on the node without an endpoint still gets through that node's node port, to every endpoint.
    seen = {line.split()[0] for line in who(cluster, "web-2", f"http://{cluster.network.address(2)}:{port}/cgi-bin/who", 20)}
    assert seen == {"near-0", "near-1"}


def test_internal_traffic_policy_local_keeps_cluster_ip_traffic_on_the_clients_node(cluster, web, local_policies):
    _, inside = local_policies
    url = f"http://{inside['spec']['clusterIP']}/cgi-bin/who"
    for i in (0, 1):
        answers = who(cluster, f"web-{i}", url, 10)
        assert {line.split()[0] for line in answers} == {f"near-{i}"}, answers
    assert who(cluster, "web-2", url, 2) == ["FAILED", "FAILED"]


def test_an_agent_without_pod_cidr_takes_the_subnet_its_node_is_assigned(cluster, web):
    extra = NODES
    cluster.network.add_namespace(extra)
    _, _, nodes = cluster.server.request("GET", "/api/v1/nodes")
    before = nodes["metadata"]["resourceVersion"]
    agent = cluster.add_agent(extra)
    status = {}

    def created():
        status["code"], _, status["node"] = cluster.server.request("GET", f"/api/v1/nodes/{agent.name}")
        return status["code"] == 200
    wait_until(created, 30, f"node {agent.name} created by its agent")
    node = status["node"]
    # Until the server assigns pod subnets itself, the test does it, as the allocator would.
    assigned = node["spec"].get("podCIDR")
    if not assigned:
        assigned = cluster.next_pod_cidr()
        cluster.kubectl("patch", "node", agent.name, "--type=merge", "-p",
                        f'{{"spec":{{"podCIDR":"{assigned}","podCIDRs":["{assigned}"]}}}}')
    # The node as its agent created it, read from the watch history: by now it may be Ready and untainted.
    _, _, events = cluster.server.request(
        "GET", f"/api/v1/nodes?watch=true&resourceVersion={before}&fieldSelector=metadata.name%3D{agent.name}&timeoutSeconds=1")
    first = json.loads(events.splitlines()[0] if isinstance(events, str) else json.dumps(events))
    assert first["type"] == "ADDED", first
    assert any(t["key"] == "node.kubernetes.io/not-ready" for t in first["object"]["spec"].get("taints", [])), first
    wait_until(agent.ready, 90, f"node {agent.name} Ready")
    assert cluster.server.kubectl_json("get", "node", agent.name)["spec"]["podCIDR"] == assigned
    wait_until(lambda: f"{assigned} via {agent.address}" in cluster.network.routes(0), 15,
               f"node 0 routes {assigned}:\n{cluster.network.routes(0)}")
    cluster.run_pod("web-extra", extra, HTTPD)
    ip = cluster.wait_running("web-extra")
    assert ipaddress.ip_address(ip) in ipaddress.ip_network(assigned)
    assert fetch(cluster, "web-0", f"http://{ip}:8080/cgi-bin/addr") == web[0]
    cluster.kubectl("delete", "pod", "web-extra", "--grace-period=1")


def test_a_restarted_agent_keeps_its_rules_without_duplicates_and_drops_stale_routes(cluster, web):
    cidrs = pod_cidrs(cluster)
    stale = "10.244.99.0/24"
    cluster.network.exec(0, "ip", "route", "add", stale, "via", cluster.network.address(NODES - 1), "proto", "151")
    before = cluster.network.exec(0, "iptables", "-w", "-t", "nat", "-S").stdout
    cluster.agents[0].restart()
    wait_until(cluster.agents[0].ready, 60, "node 0 Ready again")
    wait_until(lambda: stale not in cluster.network.routes(0), 15, f"node 0 drops the stale route:\n{cluster.network.routes(0)}")
    routes = cluster.network.routes(0)
    for j in range(1, NODES):
        assert routes.count(cidrs[j]) == 1
    assert cluster.network.exec(0, "iptables", "-w", "-t", "nat", "-S").stdout == before
    assert fetch(cluster, "web-0", f"http://{web[1]}:8080/cgi-bin/addr") == web[0]


def test_a_deleted_nodes_route_and_endpoints_disappear(cluster, web, spread):
    gone = NODES - 1
    cidr = cluster.node(gone)["spec"]["podCIDR"]
    _, ips = spread
    cluster.kubectl("delete", "pod", f"web-{gone}", "--grace-period=1")
    agent = cluster.agents[gone]
    agent.remove_containers()
    agent.stop()
    cluster.kubectl("delete", "node", agent.name)
    for i in range(NODES - 1):
        wait_until(lambda: cidr not in cluster.network.routes(i), 10,
                   f"node {i} forgets the route to {cidr}:\n{cluster.network.routes(i)}")
    # The remaining nodes still reach each other.
    assert fetch(cluster, "web-0", f"http://{web[1]}:8080/cgi-bin/addr") == web[0]
    # The lost node's pods are collected and leave the service's endpoints.
    remaining = {ip for name, ip in ips.items() if name != f"spread-{gone}"}
    wait_until(lambda: endpoint_ips(cluster, "spread") == remaining, 60,
               f"spread's endpoints without node {gone}'s pod: {endpoint_ips(cluster, 'spread')}")
    service, _ = spread
    out = cluster.exec("web-0", "sh", "-c", f"for i in $(seq 30); do wget -qO- http://{service['spec']['clusterIP']}/; done").stdout
    assert set(out.split()) == {f"spread-{i}" for i in range(NODES - 1)}
