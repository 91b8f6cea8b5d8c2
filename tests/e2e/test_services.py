"""Services on a real node: the embedded agent's service proxy carries cluster IPs and node
ports to the ready endpoints of EndpointSlices (iptables, kube-proxy style), gives containers
the service environment variables and pods their resolv.conf. Services here are selector-less
with explicit cluster IPs and node ports, and the tests write their EndpointSlices themselves."""

import atexit
import collections
import json
import random
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import flotilla_binary, wait_until

BACKENDS = ["be-0", "be-1", "be-2"]


def kubectl_apply(node, ns, obj):
    node.server.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(obj))


def pod_ip(node, ns, name):
    return node.server.kubectl_json("get", "pod", "-n", ns, name)["status"]["podIP"]


def wait_running(node, ns, name, timeout=90):
    def running():
        status = node.server.kubectl_json("get", "pod", "-n", ns, name)["status"]
        return status.get("phase") == "Running" and all(c.get("ready") for c in status.get("containerStatuses", []))
    wait_until(running, timeout, f"pod {ns}/{name} running")


def exec_in(node, ns, pod, script, timeout=120):
    return node.server.kubectl("exec", "-n", ns, pod, "--", "sh", "-c", script, timeout=timeout).stdout


def random_cluster_ip():
    # Inside 10.96.0.0/12, away from the API server's and DNS's addresses.
    return f"10.{random.randint(97, 110)}.{random.randint(0, 255)}.{random.randint(2, 250)}"


def service(node, ns, name, cluster_ip, ports, **spec):
    kubectl_apply(node, ns, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                             "spec": {"type": "ClusterIP", "clusterIP": cluster_ip, "ports": ports, **spec}})


def endpoint_slice(node, ns, service_name, ips, port=8080, port_name="http", ready=True):
    kubectl_apply(node, ns, {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": service_name + "-1", "labels": {"kubernetes.io/service-name": service_name}},
        "addressType": "IPv4", "ports": [{"name": port_name, "port": port, "protocol": "TCP"}],
        "endpoints": [{"addresses": [ip], "conditions": {"ready": ready}} for ip in ips]})


def nat_rules(match):
    out = subprocess.run(["iptables-save", "-t", "nat"], capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if match in line]


@pytest.fixture(scope="module")
def backends(node, registry):
    """A namespace with three busybox httpd pods serving their own pod name, and a client pod."""
    ns = "svc-" + node.name[-6:]
    node.server.kubectl("create", "namespace", ns)
    # The agent leaves its rules in place when it stops (traffic survives a restart); once the
    # session's node is gone, its chains and jumps are removed from the host.
    atexit.register(subprocess.run, [flotilla_binary(), "agent", "--cleanup-proxy-rules", "--node-name", node.name],
                    capture_output=True)
    for name in BACKENDS:
        script = f"mkdir -p /www; echo {name} > /www/index.html; exec httpd -f -p 8080 -h /www"
        kubectl_apply(node, ns, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                                 "spec": {"terminationGracePeriodSeconds": 1,
                                          "containers": [{"name": "web", "image": registry.busybox, "command": ["sh", "-c", script]}]}})
    kubectl_apply(node, ns, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "client"},
                             "spec": {"terminationGracePeriodSeconds": 1,
                                      "containers": [{"name": "c", "image": registry.busybox, "command": ["sleep", "100000"]}]}})
    for name in BACKENDS + ["client"]:
        wait_running(node, ns, name)
    yield ns, {name: pod_ip(node, ns, name) for name in BACKENDS}


# busybox-static wget crashes with -T; `timeout` bounds each request instead.
def fetch_many(node, ns, url, count):
    """Runs `count` wgets of url from the client pod in one exec; returns the answers in order."""
    out = exec_in(node, ns, "client", f"for i in $(seq {count}); do timeout 3 wget -qO- {url} || echo FAILED; done")
    return out.split()


def wait_reachable(node, ns, url):
    wait_until(lambda: exec_in(node, ns, "client", f"timeout 3 wget -qO- {url}").strip() in BACKENDS, 10, f"{url} from the client")


def test_a_cluster_ip_spreads_connections_over_every_endpoint(node, backends):
    ns, ips = backends
    ip = random_cluster_ip()
    service(node, ns, "spread", ip, [{"name": "http", "port": 80, "targetPort": 8080}])
    endpoint_slice(node, ns, "spread", ips.values())
    wait_reachable(node, ns, f"http://{ip}")
    answers = collections.Counter(fetch_many(node, ns, f"http://{ip}", 300))
    assert set(answers) == set(BACKENDS), answers
    assert min(answers.values()) >= 50, answers


def test_a_removed_endpoint_stops_receiving_traffic_within_a_second(node, backends):
    ns, ips = backends
    ip = random_cluster_ip()
    service(node, ns, "shrink", ip, [{"name": "http", "port": 80}])
    endpoint_slice(node, ns, "shrink", ips.values())
    wait_reachable(node, ns, f"http://{ip}")
    gone = ips["be-2"]
    assert nat_rules(f"{ns}/shrink:http -> {gone}:8080")
    endpoint_slice(node, ns, "shrink", [ips["be-0"], ips["be-1"]])
    started = time.monotonic()
    wait_until(lambda: not nat_rules(f"{ns}/shrink:http -> {gone}:8080"), 5, "the endpoint's rules gone")
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"rules followed the slice {elapsed:.2f}s after it was written"
    answers = collections.Counter(fetch_many(node, ns, f"http://{ip}", 60))
    assert set(answers) == {"be-0", "be-1"}, answers


def test_a_not_ready_endpoint_gets_no_traffic_and_none_ready_is_rejected(node, backends):
    ns, ips = backends
    ip = random_cluster_ip()
    service(node, ns, "ready", ip, [{"name": "http", "port": 80}])
    endpoint_slice(node, ns, "ready", [ips["be-0"]], ready=False)
    wait_until(lambda: "Connection refused" in node.server.kubectl(
        "exec", "-n", ns, "client", "--", "timeout", "3", "wget", "-qO-", f"http://{ip}", check=False).stderr,
        10, "connections refused while no endpoint is ready")
    endpoint_slice(node, ns, "ready", [ips["be-0"]])
    wait_reachable(node, ns, f"http://{ip}")
    assert set(fetch_many(node, ns, f"http://{ip}", 10)) == {"be-0"}


def test_a_node_port_answers_at_the_nodes_address(node, backends):
    ns, ips = backends
    ip, node_port = random_cluster_ip(), random.randint(30000, 32767)
    service(node, ns, "np", ip, [{"name": "http", "port": 80, "nodePort": node_port}], type="NodePort")
    endpoint_slice(node, ns, "np", ips.values())
    addresses = node.server.kubectl_json("get", "node", node.name)["status"]["addresses"]
    internal = next(a["address"] for a in addresses if a["type"] == "InternalIP")
    for address in (internal, "127.0.0.1"):
        seen = set()

        def answers():
            with urllib.request.urlopen(f"http://{address}:{node_port}/", timeout=2) as r:
                seen.add(r.read().decode().strip())
            return seen == set(BACKENDS)
        wait_until(answers, 20, f"every backend through {address}:{node_port}")


def test_client_ip_affinity_pins_the_client_to_one_endpoint(node, backends):
    ns, ips = backends
    ip = random_cluster_ip()
    service(node, ns, "sticky", ip, [{"name": "http", "port": 80}], sessionAffinity="ClientIP",
            sessionAffinityConfig={"clientIP": {"timeoutSeconds": 300}})
    endpoint_slice(node, ns, "sticky", ips.values())
    wait_reachable(node, ns, f"http://{ip}")
    answers = set(fetch_many(node, ns, f"http://{ip}", 60))
    assert len(answers) == 1 and answers <= set(BACKENDS), answers


def test_a_deleted_service_loses_its_chains(node, backends):
    ns, ips = backends
    ip = random_cluster_ip()
    service(node, ns, "doomed", ip, [{"name": "http", "port": 80}])
    endpoint_slice(node, ns, "doomed", ips.values())
    wait_until(lambda: len(nat_rules(f"{ns}/doomed")) >= 1 + 1 + 3 + 3 * 2, 5, "the service's rules")
    chains = {word for line in nat_rules(f"{ns}/doomed") for word in line.split() if "-SVC-" in word or "-SEP-" in word}
    assert len(chains) == 4
    node.server.kubectl("delete", "service", "-n", ns, "doomed")
    wait_until(lambda: not nat_rules(f"{ns}/doomed"), 5, "the service's rules gone")
    saved = subprocess.run(["iptables-save", "-t", "nat"], capture_output=True, text=True, check=True).stdout
    assert not [chain for chain in chains if chain in saved]


def test_an_external_ip_reaches_the_endpoints(node, backends):
    ns, ips = backends
    # The external IP is put on the host's loopback: without the service's rules its traffic
    # would end at the host, never leave it.
    external = f"198.51.100.{random.randint(2, 250)}"
    subprocess.run(["ip", "addr", "add", f"{external}/32", "dev", "lo"], check=True)
    try:
        service(node, ns, "outside", random_cluster_ip(), [{"name": "http", "port": 80}], externalIPs=[external])
        endpoint_slice(node, ns, "outside", ips.values())
        wait_reachable(node, ns, f"http://{external}")
        assert set(fetch_many(node, ns, f"http://{external}", 60)) == set(BACKENDS)
        node.server.kubectl("delete", "service", "-n", ns, "outside")
    finally:
        subprocess.run(["ip", "addr", "delete", f"{external}/32", "dev", "lo"])


def test_rules_changed_by_hand_are_repaired_within_the_sync_period(node, backends):
    ns, ips = backends
    ip = random_cluster_ip()
    service(node, ns, "mended", ip, [{"name": "http", "port": 80}])
    endpoint_slice(node, ns, "mended", ips.values())
    wait_reachable(node, ns, f"http://{ip}")

    def entries():
        """The service's rule in the services chain."""
        return [line for line in nat_rules(f'"{ns}/mended:http cluster IP"') if line.split()[1].endswith("-SERVICES")]
    [entry] = entries()
    prefix = entry.split()[1].split("-")[0]
    jump = ["OUTPUT", "-m", "comment", "--comment", f"flotilla service portals {prefix}", "-j", f"{prefix}-SERVICES"]
    subprocess.run(["iptables", "-t", "nat", "-F", f"{prefix}-SERVICES"], check=True)
    subprocess.run(["iptables", "-t", "nat", "-D", *jump], check=True)
    assert not entries()

    def repaired():
        return subprocess.run(["iptables", "-t", "nat", "-C", *jump]).returncode == 0 and entries() == [entry]
    wait_until(repaired, 45, "the rules and the jump back (the proxy checks every 30 s)")
    assert set(fetch_many(node, ns, f"http://{ip}", 30)) == set(BACKENDS)
    node.server.kubectl("delete", "service", "-n", ns, "mended")


def udp_flow_endpoints(cluster_ip):
    """The endpoints (reply sources) of the host's UDP conntrack flows to `cluster_ip`, with their counts."""
    out = subprocess.run(["conntrack", "-L", "-p", "udp", "--orig-dst", cluster_ip], capture_output=True, text=True).stdout
    return collections.Counter(line.split("src=")[2].split()[0] for line in out.splitlines() if line.count("src=") == 2)


def test_udp_flows_to_a_removed_endpoint_are_cleared(node, backends):
    ns, ips = backends
    ip = random_cluster_ip()
    service(node, ns, "datagrams", ip, [{"name": "dns", "port": 53, "targetPort": 5353, "protocol": "UDP"}])
    kubectl_apply(node, ns, {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "datagrams-1", "labels": {"kubernetes.io/service-name": "datagrams"}},
        "addressType": "IPv4", "ports": [{"name": "dns", "port": 5353, "protocol": "UDP"}],
        "endpoints": [{"addresses": [ips[name]]} for name in ("be-0", "be-1")]})
    wait_until(lambda: len(nat_rules(f"{ns}/datagrams:dns -> ")) == 2, 5, "the UDP service's rules")
    # Each socket keeps one source port, so its flow stays with the endpoint it was first sent to.
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(24)]
    try:
        for s in sockets:
            s.sendto(b"hello", (ip, 53))
        wait_until(lambda: set(udp_flow_endpoints(ip)) == {ips["be-0"], ips["be-1"]}, 5, "flows to both endpoints")
        kubectl_apply(node, ns, {
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "datagrams-1", "labels": {"kubernetes.io/service-name": "datagrams"}},
            "addressType": "IPv4", "ports": [{"name": "dns", "port": 5353, "protocol": "UDP"}],
            "endpoints": [{"addresses": [ips["be-0"]]}]})
        wait_until(lambda: ips["be-1"] not in udp_flow_endpoints(ip), 5, "the removed endpoint's flows cleared")
        assert udp_flow_endpoints(ip)[ips["be-0"]] > 0, "the remaining endpoint's flows were kept"
        for s in sockets:
            s.sendto(b"again", (ip, 53))
        wait_until(lambda: sum(udp_flow_endpoints(ip).values()) == len(sockets), 5, "every socket's flow back")
        assert set(udp_flow_endpoints(ip)) == {ips["be-0"]}
    finally:
        for s in sockets:
            s.close()
        node.server.kubectl("delete", "service", "-n", ns, "datagrams")


def test_containers_get_the_service_environment_variables(node, backends, registry):
    ns, ips = backends
    ip = random_cluster_ip()
    service(node, ns, "env-db", ip, [{"name": "sql", "port": 5432}, {"name": "stats", "port": 8125, "protocol": "UDP"}])
    for name, links in [("env-on", None), ("env-off", False)]:
        spec = {"terminationGracePeriodSeconds": 1,
                "containers": [{"name": "c", "image": registry.busybox, "command": ["sleep", "100000"],
                                "env": [{"name": "ENV_DB_SERVICE_PORT_SQL", "value": "overridden"}]}]}
        if links is not None:
            spec["enableServiceLinks"] = links
        kubectl_apply(node, ns, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec})
    wait_running(node, ns, "env-on")
    env = dict(line.split("=", 1) for line in exec_in(node, ns, "env-on", "env").splitlines() if "=" in line)
    assert env["ENV_DB_SERVICE_HOST"] == ip
    assert env["ENV_DB_SERVICE_PORT"] == "5432"
    assert env["ENV_DB_SERVICE_PORT_SQL"] == "overridden"
    assert env["ENV_DB_SERVICE_PORT_STATS"] == "8125"
    assert env["ENV_DB_PORT"] == f"tcp://{ip}:5432"
    assert env["ENV_DB_PORT_8125_UDP"] == f"udp://{ip}:8125"
    assert env["ENV_DB_PORT_8125_UDP_PROTO"] == "udp"
    assert env["ENV_DB_PORT_5432_TCP_ADDR"] == ip
    wait_running(node, ns, "env-off")
    env = exec_in(node, ns, "env-off", "env")
    assert "ENV_DB_SERVICE_HOST" not in env and "ENV_DB_SERVICE_PORT_SQL=overridden" in env


def test_resolv_conf_and_hostname_follow_the_pods_dns_settings(node, backends, registry):
    ns, _ = backends
    host = open("/etc/resolv.conf").read()
    host_servers = [line.split()[1] for line in host.splitlines() if line.startswith("nameserver")]
    pods = {
        "dns-cluster": {"hostname": "db-0", "subdomain": "db"},
        "dns-default": {"dnsPolicy": "Default"},
        "dns-none": {"dnsPolicy": "None", "dnsConfig": {"nameservers": ["192.0.2.10"], "searches": ["example.test"],
                                                         "options": [{"name": "ndots", "value": "2"}]}},
        "dns-hostnet": {"hostNetwork": True, "dnsPolicy": "ClusterFirstWithHostNet",
                        "dnsConfig": {"options": [{"name": "ndots", "value": "3"}]}},
    }
    for name, spec in pods.items():
        kubectl_apply(node, ns, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                                 "spec": {"terminationGracePeriodSeconds": 1, **spec,
                                          "containers": [{"name": "c", "image": registry.busybox, "command": ["sleep", "100000"]}]}})
    for name in pods:
        wait_running(node, ns, name)
    conf = {name: exec_in(node, ns, name, "cat /etc/resolv.conf") for name in pods}

    def lines(text, keyword):
        return [line.split()[1:] for line in text.splitlines() if line.startswith(keyword)]
    cluster = conf["dns-cluster"]
    assert lines(cluster, "nameserver") == [["10.96.0.10"]]
    assert lines(cluster, "search")[0][:3] == [f"{ns}.svc.cluster.local", "svc.cluster.local", "cluster.local"]
    assert lines(cluster, "options") == [["ndots:5"]]
    assert exec_in(node, ns, "dns-cluster", "hostname").strip() == "db-0"
    ip = node.server.kubectl_json("get", "pod", "-n", ns, "dns-cluster")["status"]["podIP"]
    hosts = exec_in(node, ns, "dns-cluster", "cat /etc/hosts").splitlines()
    assert f"{ip}\tdb-0.db.{ns}.svc.cluster.local\tdb-0" in hosts, hosts
    assert [s[0] for s in lines(conf["dns-default"], "nameserver")] == host_servers
    assert "cluster.local" not in conf["dns-default"]
    assert lines(conf["dns-none"], "nameserver") == [["192.0.2.10"]]
    assert lines(conf["dns-none"], "search") == [["example.test"]]
    assert lines(conf["dns-none"], "options") == [["ndots:2"]]
    assert lines(conf["dns-hostnet"], "nameserver") == [["10.96.0.10"]]
    assert lines(conf["dns-hostnet"], "options") == [["ndots:3"]]
