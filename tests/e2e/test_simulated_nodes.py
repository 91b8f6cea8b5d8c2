"""Hollow nodes: `flotilla agent --simulate N` registers nodes that keep their leases and run
their pods in name only, as kubectl shows them."""

import json
import subprocess
import time

import pytest

from conftest import SimulatedAgent, flotilla_binary, wait_until


@pytest.fixture
def hollow(server, request):
    prefix = "h" + str(abs(hash(request.node.name)) % 100000)
    agent = SimulatedAgent(server, 3, prefix, "--node-cpu", "4", "--node-memory", "8Gi",
                           "--labels", "topology.kubernetes.io/zone=z1,disk=ssd",
                           "--taints", "dedicated=sim:PreferNoSchedule", "--lease-interval", "1")
    yield agent
    agent.stop()


def test_hollow_nodes_are_ready_with_capacity_labels_and_leases(server, hollow):
    name = f"{hollow.prefix}-1"
    out = server.kubectl("get", "nodes", *sorted(hollow.names)).stdout.splitlines()
    assert out[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    rows = {line.split()[0]: line.split() for line in out[1:]}
    assert set(rows) == hollow.names
    assert all(r[1] == "Ready" for r in rows.values())
    wide = server.kubectl("get", "node", name, "-o", "wide").stdout
    assert "198.18.0.1" in wide and "simulated://" in wide

    node = server.kubectl_json("get", "node", name)
    assert node["status"]["allocatable"]["cpu"] == "4"
    assert node["status"]["allocatable"]["memory"] == "8Gi"
    assert node["metadata"]["labels"]["disk"] == "ssd"
    assert node["metadata"]["labels"]["kubernetes.io/hostname"] == name
    assert node["spec"]["taints"] == [{"key": "dedicated", "value": "sim", "effect": "PreferNoSchedule"}]

    wait_until(lambda: server.kubectl("get", "lease", "-n", "kube-node-lease", name, check=False).returncode == 0,
               10, "the node's lease")
    lease = server.kubectl_json("get", "lease", "-n", "kube-node-lease", name)
    assert lease["spec"]["holderIdentity"] == name
    first = lease["spec"]["renewTime"]
    wait_until(lambda: server.kubectl_json("get", "lease", "-n", "kube-node-lease", name)["spec"]["renewTime"] != first,
               10, "a lease renewal")


def test_pods_bound_to_hollow_nodes_run_and_delete_at_once(server, namespace, hollow):
    node = f"{hollow.prefix}-2"
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": namespace},
           "spec": {"nodeName": node, "containers": [{"name": "c", "image": "busybox"}]}}
    server.kubectl("apply", "-f", "-", input=json.dumps(pod))
    wait_until(lambda: server.kubectl_json("get", "pod", "p", "-n", namespace)["status"].get("phase") == "Running",
               20, "the pod to run")
    row = server.kubectl("get", "pod", "p", "-n", namespace, "-o", "wide").stdout.splitlines()[1].split()
    assert row[1:3] == ["1/1", "Running"]
    assert row[5].startswith("198.19.") and row[6] == node

    started = time.time()
    server.kubectl("delete", "pod", "p", "-n", namespace, "--timeout=30s")
    assert time.time() - started < 15, "a hollow node finishes a graceful deletion at once"
    assert server.kubectl("get", "pod", "p", "-n", namespace, "--ignore-not-found").stdout.strip() == ""


@pytest.mark.parametrize("args,message", [
    (["--simulate", "0"], "--simulate must be at least 1"),
    (["--simulate", "2", "--taints", "a=b:Sometimes"], "--taints effect must be NoSchedule, PreferNoSchedule or NoExecute"),
    (["--simulate", "2", "--labels", "novalue"], "--labels entries must be key=value"),
    (["--pod-cidr", "10.244.1.0"], "--pod-cidr must be an IPv4 subnet like 10.244.1.0/24"),
    (["--bridge", "a-bridge-name-too-long"], "--bridge must be an interface name of 1 to 15 characters"),
])
def test_bad_agent_flags_are_refused_with_the_flag_named(args, message):
    p = subprocess.run([flotilla_binary(), "agent", "--server", "https://127.0.0.1:1", *args],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode != 0
    assert message in p.stderr
