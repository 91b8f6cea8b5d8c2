"""Services get cluster IPs and node ports from the server's address plan, nodes get pod
subnets, and every cluster has the kubernetes and kube-dns services, as kubectl shows them."""

import ipaddress
import json
import shutil
import signal
import subprocess

import pytest

from conftest import Etcd, Server, SimulatedAgent, flotilla_binary, wait_until

SERVICE_NETWORK = ipaddress.ip_network("10.96.0.0/12")


def manifest(name, namespace, **spec):
    body = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}], **spec}}
    return json.dumps(body)


def service(server, namespace, name):
    return server.kubectl_json("get", "service", name, "-n", namespace)


def table(server, namespace, *names):
    lines = server.kubectl("get", "services", "-n", namespace, *names).stdout.splitlines()
    return lines[0].split(), {line.split()[0]: line.split() for line in lines[1:]}


def test_kubectl_create_service_allocates_and_get_shows_the_columns(server, namespace):
    server.kubectl("create", "service", "clusterip", "web", "--tcp=80:8080", "-n", namespace)
    server.kubectl("create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080", "-n", namespace)
    server.kubectl("create", "service", "clusterip", "headless", "--clusterip=None", "-n", namespace)
    server.kubectl("create", "service", "externalname", "ext", "--external-name=db.example.com", "-n", namespace)

    web = service(server, namespace, "web")["spec"]
    assert ipaddress.ip_address(web["clusterIP"]) in SERVICE_NETWORK
    assert web["clusterIPs"] == [web["clusterIP"]]
    header, rows = table(server, namespace)
    assert header == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert rows["web"][1:5] == ["ClusterIP", web["clusterIP"], "<none>", "80/TCP"]
    np = service(server, namespace, "np")["spec"]
    assert rows["np"][1:5] == ["NodePort", np["clusterIP"], "<none>", "80:30080/TCP"]
    assert np["clusterIP"] != web["clusterIP"]
    assert rows["headless"][1:3] == ["ClusterIP", "None"]
    assert rows["ext"][1:4] == ["ExternalName", "<none>", "db.example.com"]


def test_requested_address_and_port_conflicts_give_the_kubernetes_errors(server, namespace):
    server.kubectl("create", "service", "nodeport", "first", "--tcp=80", "--node-port=30081", "-n", namespace)
    ip = service(server, namespace, "first")["spec"]["clusterIP"]

    taken = server.kubectl("create", "-f", "-", input=manifest("second", namespace, clusterIP=ip), check=False)
    assert taken.returncode != 0
    assert 'The Service "second" is invalid: spec.clusterIPs[0]' in taken.stderr
    assert "provided IP is already allocated" in taken.stderr

    outside = server.kubectl("create", "-f", "-", input=manifest("third", namespace, clusterIP="192.168.0.1"), check=False)
    assert outside.returncode != 0
    assert "The range of valid IPs is 10.96.0.0/12" in outside.stderr

    port = server.kubectl("create", "service", "nodeport", "fourth", "--tcp=80", "--node-port=30081", "-n", namespace,
                          check=False)
    assert port.returncode != 0
    assert "spec.ports[0].nodePort: Invalid value: 30081: provided port is already allocated" in port.stderr
    names = {s["metadata"]["name"] for s in server.kubectl_json("get", "services", "-n", namespace)["items"]}
    assert names == {"first"}


def test_apply_twice_and_replace_keep_the_address(server, namespace):
    body = manifest("web", namespace, type="NodePort")
    assert "created" in server.kubectl("apply", "-f", "-", input=body).stdout
    spec = service(server, namespace, "web")["spec"]
    assert "unchanged" in server.kubectl("apply", "-f", "-", input=body).stdout
    again = service(server, namespace, "web")["spec"]
    assert again["clusterIP"] == spec["clusterIP"]
    assert again["ports"][0]["nodePort"] == spec["ports"][0]["nodePort"]

    server.kubectl("replace", "-f", "-", input=body)
    replaced = service(server, namespace, "web")["spec"]
    assert replaced["clusterIP"] == spec["clusterIP"]
    assert replaced["ports"][0]["nodePort"] == spec["ports"][0]["nodePort"]

    server.kubectl("apply", "--server-side", "--force-conflicts", "-f", "-", input=body)
    assert service(server, namespace, "web")["spec"]["clusterIP"] == spec["clusterIP"]

    changed = server.kubectl("patch", "service", "web", "-n", namespace, "-p", '{"spec":{"clusterIP":"10.96.77.77"}}',
                             check=False)
    assert changed.returncode != 0
    assert "may not change once set" in changed.stderr


def test_kubectl_expose_deployment(server, namespace):
    server.kubectl("create", "deployment", "api", "--image=busybox:1.36", "--replicas=0", "-n", namespace)
    server.kubectl("expose", "deployment", "api", "--port=80", "--target-port=8080", "--type=NodePort", "-n", namespace)
    svc = service(server, namespace, "api")
    assert svc["spec"]["selector"] == {"app": "api"}
    assert ipaddress.ip_address(svc["spec"]["clusterIP"]) in SERVICE_NETWORK
    assert 30000 <= svc["spec"]["ports"][0]["nodePort"] <= 32767
    assert svc["spec"]["ports"][0]["targetPort"] == 8080


def test_deleting_a_service_frees_its_address(server, namespace):
    server.kubectl("create", "-f", "-", input=manifest("a", namespace, clusterIP="10.96.123.45"))
    server.kubectl("delete", "service", "a", "-n", namespace)
    server.kubectl("create", "-f", "-", input=manifest("b", namespace, clusterIP="10.96.123.45"))
    assert service(server, namespace, "b")["spec"]["clusterIP"] == "10.96.123.45"


def test_the_kubernetes_and_kube_dns_services_exist(server):
    kubernetes = server.kubectl_json("get", "service", "kubernetes", "-n", "default")
    assert kubernetes["spec"]["clusterIP"] == "10.96.0.1"
    assert kubernetes["spec"]["ports"][0]["port"] == 443
    assert kubernetes["spec"]["ports"][0]["targetPort"] == server.port
    assert "selector" not in kubernetes["spec"]
    endpoints = server.kubectl("get", "endpoints", "kubernetes", "-n", "default").stdout
    assert f"127.0.0.1:{server.port}" in endpoints
    slices = server.kubectl_json("get", "endpointslices", "-n", "default", "-l", "kubernetes.io/service-name=kubernetes")
    assert [e["addresses"] for e in slices["items"][0]["endpoints"]] == [["127.0.0.1"]]

    header, rows = table(server, "kube-system", "kube-dns")
    assert rows["kube-dns"][1:5] == ["ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP"]
    assert "selector" not in server.kubectl_json("get", "service", "kube-dns", "-n", "kube-system")["spec"]


def test_hollow_nodes_get_distinct_pod_subnets(server, request):
    prefix = "c" + str(abs(hash(request.node.name)) % 100000)
    agent = SimulatedAgent(server, 3, prefix)
    try:
        subnets = [server.kubectl_json("get", "node", name)["spec"].get("podCIDR") for name in sorted(agent.names)]
        assert all(subnets), subnets
        assert len(set(subnets)) == 3
        for subnet in subnets:
            network = ipaddress.ip_network(subnet)
            assert network.prefixlen == 24 and network.subnet_of(ipaddress.ip_network("10.244.0.0/16"))
    finally:
        agent.stop()


def test_allocations_survive_a_restart_and_flags_set_the_ranges():
    s = Server(agent_args=["--disable-agent", "--service-cluster-ip-range", "172.30.0.0/16",
                           "--service-node-port-range", "31000-31100", "--cluster-cidr", "10.60.0.0/16"])
    try:
        s.kubectl("create", "service", "nodeport", "web", "--tcp=80")
        before = s.kubectl_json("get", "service", "web")["spec"]
        assert ipaddress.ip_address(before["clusterIP"]) in ipaddress.ip_network("172.30.0.0/16")
        assert 31000 <= before["ports"][0]["nodePort"] <= 31100
        assert s.kubectl_json("get", "service", "kubernetes")["spec"]["clusterIP"] == "172.30.0.1"
        assert s.kubectl_json("get", "service", "kube-dns", "-n", "kube-system")["spec"]["clusterIP"] == "172.30.0.10"

        s.kill(signal.SIGTERM)
        s.start()
        after = s.kubectl_json("get", "service", "web")["spec"]
        assert after["clusterIP"] == before["clusterIP"]
        assert after["ports"][0]["nodePort"] == before["ports"][0]["nodePort"]
        again = s.kubectl("create", "-f", "-", input=manifest("other", "default", clusterIP=before["clusterIP"]), check=False)
        assert "provided IP is already allocated" in again.stderr
        endpoints = s.kubectl_json("get", "endpoints", "kubernetes")
        assert [a["ip"] for a in endpoints["subsets"][0]["addresses"]] == ["127.0.0.1"]
    finally:
        s.stop()
        shutil.rmtree(s.dir, ignore_errors=True)


def kubernetes_endpoints(server):
    endpoints = server.kubectl_json("get", "endpoints", "kubernetes")
    return {f"{a['ip']}:{s['ports'][0]['port']}" for s in endpoints.get("subsets") or [] for a in s.get("addresses") or []}


def test_the_kubernetes_endpoints_follow_the_api_servers_that_are_alive():
    etcd = Etcd()
    a = b = None
    try:
        a = Server(store="etcd", etcd_url=etcd.url)
        b = Server(store="etcd", etcd_url=etcd.url)
        alone, both = {f"127.0.0.1:{a.port}"}, {f"127.0.0.1:{a.port}", f"127.0.0.1:{b.port}"}
        wait_until(lambda: kubernetes_endpoints(a) == both, 30, "both servers in the endpoints")
        leases = a.kubectl_json("get", "leases", "-n", "kube-system", "-l", "flotilla.io/apiserver-endpoint")["items"]
        assert {lease["spec"]["holderIdentity"] for lease in leases} == both
        assert all(lease["spec"]["leaseDurationSeconds"] == 15 for lease in leases)

        # A server that dies drops out once its lease has expired (15 s, checked every 10 s).
        b.kill(signal.SIGKILL)
        wait_until(lambda: kubernetes_endpoints(a) == alone, 45, "the dead server dropped")
        b.start()
        wait_until(lambda: kubernetes_endpoints(a) == both, 30, "the restarted server back")
        # One that stops takes itself out at once.
        b.stop()
        wait_until(lambda: kubernetes_endpoints(a) == alone, 5, "the stopped server withdrawn")
        leases = a.kubectl_json("get", "leases", "-n", "kube-system", "-l", "flotilla.io/apiserver-endpoint")["items"]
        assert {lease["spec"]["holderIdentity"] for lease in leases} == alone
        slices = a.kubectl_json("get", "endpointslices", "-l", "kubernetes.io/service-name=kubernetes")["items"]
        assert [e["addresses"] for e in slices[0]["endpoints"]] == [["127.0.0.1"]]
    finally:
        for s in (a, b):
            if s:
                s.stop()
                shutil.rmtree(s.dir, ignore_errors=True)
        etcd.stop()


@pytest.mark.parametrize("flag,value,message", [
    ("--service-cluster-ip-range", "10.96.0.0/8", "--service-cluster-ip-range must be an IPv4 CIDR of /12 to /28"),
    ("--service-cluster-ip-range", "10.96.0.1/12", "--service-cluster-ip-range must be an IPv4 CIDR"),
    ("--service-node-port-range", "32767-30000", "--service-node-port-range must be A-B"),
    ("--service-node-port-range", "30000", "--service-node-port-range must be A-B"),
    ("--cluster-cidr", "10.96.0.0/16", "must not overlap"),
    ("--cluster-cidr", "banana", "--cluster-cidr must be an IPv4 CIDR"),
])
def test_bad_range_flags_are_refused_with_the_flag_named(flag, value, message):
    p = subprocess.run([flotilla_binary(), "server", "--disable-agent", flag, value], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode != 0
    assert message in p.stderr
