"""The scheduler with the real server and hollow nodes (`flotilla agent --simulate`): placement
rules as kubectl users see them, Marathon constraints, preemption, and why a pod is pending."""

import json
import subprocess
import uuid

import pytest

from conftest import SimulatedAgent, flotilla_binary, wait_until


@pytest.fixture
def nodes(server):
    """Start hollow nodes labelled with a per-test `suite` label; pods select them with it."""
    agents = []

    def start(count, *extra, cpu="4", memory="8Gi"):
        suite = "s" + uuid.uuid4().hex[:8]
        agent = SimulatedAgent(server, count, suite, "--node-cpu", cpu, "--node-memory", memory,
                               "--labels", f"suite={suite}", *extra)
        agents.append(agent)
        return suite
    yield start
    for agent in agents:
        agent.stop()


def pod(name, suite, cpu="500m", labels=None, **spec):
    body = {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": labels or {"app": name}},
            "spec": {"nodeSelector": {"suite": suite},
                     "containers": [{"name": "c", "image": "busybox",
                                     "resources": {"requests": {"cpu": cpu, "memory": "64Mi"}}}]}}
    annotations = spec.pop("annotations", None)
    if annotations:
        body["metadata"]["annotations"] = annotations
    body["spec"].update(spec)
    return body


def create(server, namespace, *pods):
    server.kubectl("apply", "-n", namespace, "-f", "-",
                   input=json.dumps({"apiVersion": "v1", "kind": "List", "items": list(pods)}))


def placements(server, namespace, names, timeout=30):
    """Waits until every named pod is bound; returns name -> node."""
    def bound():
        items = server.kubectl_json("get", "pods", "-n", namespace)["items"]
        got = {p["metadata"]["name"]: p["spec"].get("nodeName") for p in items}
        return all(got.get(n) for n in names) and {n: got[n] for n in names}
    wait_until(bound, timeout, f"pods {names} to be bound")
    return bound()


def pending_message(server, namespace, name, timeout=30):
    """Waits for the pod's PodScheduled=False condition; returns its message."""
    def condition():
        p = server.kubectl_json("get", "pod", name, "-n", namespace)
        for c in p.get("status", {}).get("conditions", []):
            if c["type"] == "PodScheduled" and c["status"] == "False" and c.get("reason") == "Unschedulable":
                return c["message"]
        return None
    wait_until(condition, timeout, f"pod {name} to be reported unschedulable")
    return condition()


def test_default_profile_spreads_and_binpack_profile_packs(server, namespace, nodes):
    suite = nodes(3)
    create(server, namespace, *[pod(f"spread-{i}", suite, cpu="1") for i in range(3)])
    spread = placements(server, namespace, [f"spread-{i}" for i in range(3)])
    assert len({spread[f"spread-{i}"] for i in range(3)}) == 3

    create(server, namespace, *[pod(f"pack-{i}", suite, cpu="500m", schedulerName="binpack-scheduler") for i in range(4)])
    packed = placements(server, namespace, [f"pack-{i}" for i in range(4)])
    assert len({packed[f"pack-{i}"] for i in range(4)}) == 1


def test_pods_for_another_scheduler_are_left_alone(server, namespace, nodes):
    suite = nodes(1)
    create(server, namespace, pod("other", suite, schedulerName="someone-else"), pod("mine", suite))
    placements(server, namespace, ["mine"])
    assert not server.kubectl_json("get", "pod", "other", "-n", namespace)["spec"].get("nodeName")


def test_node_selector_affinity_and_taints(server, namespace, nodes):
    suite = nodes(3)
    a, b, c = (f"{suite}-{i}" for i in range(3))
    server.kubectl("label", "node", a, "disk=ssd")
    server.kubectl("label", "node", b, "gpu=yes")
    server.kubectl("taint", "node", c, "dedicated=gpu:NoSchedule")
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}]}}}
    create(server, namespace,
           pod("selected", suite, nodeSelector={"suite": suite, "disk": "ssd"}),
           pod("affine", suite, affinity=affinity),
           pod("tolerant", suite, nodeSelector={"suite": suite, "kubernetes.io/hostname": c},
               tolerations=[{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]),
           pod("intolerant", suite, nodeSelector={"suite": suite, "kubernetes.io/hostname": c}))
    got = placements(server, namespace, ["selected", "affine", "tolerant"])
    assert (got["selected"], got["affine"], got["tolerant"]) == (a, b, c)
    message = pending_message(server, namespace, "intolerant")
    assert message.startswith("0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, "
                              "2 node(s) didn't match Pod's node affinity/selector.")


def test_required_anti_affinity_places_one_per_node(server, namespace, nodes):
    suite = nodes(3)
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "kubernetes.io/hostname"}]}}
    pods = [pod(f"web-{i}", suite, labels={"app": "web"}, affinity=anti) for i in range(4)]
    create(server, namespace, *pods)
    message = None
    def three_bound_one_pending():
        nonlocal message
        items = server.kubectl_json("get", "pods", "-n", namespace)["items"]
        bound = [p["spec"]["nodeName"] for p in items if p["spec"].get("nodeName")]
        pending = [c for p in items if not p["spec"].get("nodeName") for c in p.get("status", {}).get("conditions", [])
                   if c["type"] == "PodScheduled" and c["status"] == "False"]
        if len(bound) == 3 and pending:
            message = pending[0]["message"]
            return len(set(bound)) == 3
        return False
    wait_until(three_bound_one_pending, 30, "three web pods on three nodes and one pending")
    assert message.startswith("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.")


def test_topology_spread_across_zones(server, namespace, nodes):
    suite = nodes(6, "--zones", "3")
    spread = [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
               "labelSelector": {"matchLabels": {"app": "spread"}}}]
    names = [f"spread-{i}" for i in range(6)]
    create(server, namespace, *[pod(n, suite, labels={"app": "spread"}, topologySpreadConstraints=spread) for n in names])
    got = placements(server, namespace, names)
    zones = {}
    for n in names:
        zone = server.kubectl_json("get", "node", got[n])["metadata"]["labels"]["topology.kubernetes.io/zone"]
        zones[zone] = zones.get(zone, 0) + 1
    assert sorted(zones.values()) == [2, 2, 2]


def marathon(name, suite, constraints):
    return pod(name, suite, labels={"app": "m"}, annotations={"flotilla.io/constraints": json.dumps(constraints)})


def test_marathon_unique_and_max_per(server, namespace, nodes):
    suite = nodes(2)
    create(server, namespace, *[marathon(f"u-{i}", suite, [["hostname", "UNIQUE"]]) for i in range(3)])
    def two_bound():
        items = server.kubectl_json("get", "pods", "-n", namespace)["items"]
        return sorted(p["spec"]["nodeName"] for p in items if p["spec"].get("nodeName"))
    wait_until(lambda: len(two_bound()) == 2, 30, "two UNIQUE pods bound")
    assert len(set(two_bound())) == 2
    server.kubectl("delete", "pods", "--all", "-n", namespace, "--wait=true")

    create(server, namespace, *[marathon(f"m-{i}", suite, [["hostname", "MAX_PER", "2"]]) for i in range(4)])
    got = placements(server, namespace, [f"m-{i}" for i in range(4)])
    counts = sorted(list(got.values()).count(n) for n in set(got.values()))
    assert counts == [2, 2]


def test_marathon_group_by_and_like(server, namespace, nodes):
    suite = nodes(6, "--zones", "3")
    create(server, namespace, *[marathon(f"g-{i}", suite, [["topology.kubernetes.io/zone", "GROUP_BY", "3"]]) for i in range(3)])
    names = [f"g-{i}" for i in range(3)]
    got = placements(server, namespace, names)
    zones = {server.kubectl_json("get", "node", got[n])["metadata"]["labels"]["topology.kubernetes.io/zone"] for n in names}
    assert len(zones) == 3

    create(server, namespace, *[pod(f"like-{i}", suite, labels={"app": "like"}, annotations={
        "flotilla.io/constraints": json.dumps([["topology.kubernetes.io/zone", "LIKE", "zone-[12]"]])}) for i in range(4)])
    names = [f"like-{i}" for i in range(4)]
    got = placements(server, namespace, names)
    for n in (got[name] for name in names):
        assert server.kubectl_json("get", "node", n)["metadata"]["labels"]["topology.kubernetes.io/zone"] in ("zone-1", "zone-2")


def test_preemption_evicts_lower_priority_pods(server, namespace, nodes):
    suite = nodes(1, cpu="2")
    name = "high-" + namespace[-8:]
    server.kubectl("apply", "-f", "-", input=json.dumps({
        "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name}, "value": 1000}))
    try:
        create(server, namespace, pod("low-0", suite, cpu="1"), pod("low-1", suite, cpu="1"))
        placements(server, namespace, ["low-0", "low-1"])
        create(server, namespace, pod("urgent", suite, cpu="1500m", priorityClassName=name))
        got = placements(server, namespace, ["urgent"], timeout=60)
        assert got["urgent"] == f"{suite}-0"
        # 1.5 of 2 cpus leaves room for no 1-cpu pod, so both low-priority pods had to go.
        wait_until(lambda: {p["metadata"]["name"] for p in server.kubectl_json("get", "pods", "-n", namespace)["items"]}
                   == {"urgent"}, 30, "the low-priority pods to be gone")
    finally:
        server.kubectl("delete", "priorityclass", name, "--ignore-not-found")


def test_pending_pod_condition_and_event(server, namespace, nodes):
    suite = nodes(3, cpu="1")
    create(server, namespace, pod("big", suite, cpu="2"))
    message = pending_message(server, namespace, "big")
    assert message.startswith("0/3 nodes are available: 3 Insufficient cpu.")

    def event():
        events = server.kubectl_json("get", "events", "-n", namespace,
                                     "--field-selector", "involvedObject.name=big,reason=FailedScheduling")["items"]
        return events[0] if events else None
    wait_until(event, 20, "a FailedScheduling event")
    e = event()
    assert e["type"] == "Warning" and e["message"].startswith("0/3 nodes are available: 3 Insufficient cpu.")
    described = server.kubectl("describe", "pod", "big", "-n", namespace).stdout
    assert "FailedScheduling" in described and "Insufficient cpu" in described


def explain(server, namespace, name, *extra):
    return subprocess.run([flotilla_binary(), "explain", "pod", name, "-n", namespace, "--kubeconfig", server.kubeconfig,
                           *extra], capture_output=True, text=True, timeout=30)


def test_explain_names_every_cause_with_numbers_and_the_smallest_fix(server, namespace, nodes):
    suite = nodes(3, cpu="2")
    cpu_short, tainted, unlabelled = (f"{suite}-{i}" for i in range(3))
    server.kubectl("label", "node", cpu_short, tainted, "disk=ssd")
    server.kubectl("taint", "node", tainted, "dedicated=gpu:NoSchedule")
    create(server, namespace, pod("big", suite, cpu="3", nodeSelector={"suite": suite, "disk": "ssd"}))
    message = pending_message(server, namespace, "big")
    assert message.startswith("0/3 nodes are available: 1 Insufficient cpu, "
                              "1 node(s) didn't match Pod's node affinity/selector, "
                              "1 node(s) had untolerated taint {dedicated: gpu}.")

    p = explain(server, namespace, "big")
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "pending" in out.splitlines()[0]
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith(suite)}
    assert set(rows) == {cpu_short, tainted, unlabelled}
    assert "cpu: requested 3, free 2 of 2" in rows[cpu_short]
    assert "untolerated taint(s) dedicated=gpu:NoSchedule" in rows[tainted]
    assert "node selector disk=ssd" in rows[unlabelled]
    assert f"to fit on {cpu_short}: lower cpu request to ≤ 2" in out
    assert f"add toleration dedicated=gpu:NoSchedule" in out

    data = json.loads(explain(server, namespace, "big", "-o", "json").stdout)
    assert data["kind"] == "PodExplanation" and data["message"] == message.split(" preemption:")[0]
    verdicts = {n["node"]: {v["rule"]: v for v in n["verdicts"]} for n in data["nodes"]}
    assert verdicts[tainted]["TaintToleration"]["reasons"] == ["node(s) had untolerated taint {dedicated: gpu}"]
    assert not verdicts[cpu_short]["NodeResourcesFit"]["passed"]


def test_explain_a_placed_pod_and_a_missing_one(server, namespace, nodes):
    suite = nodes(2)
    create(server, namespace, pod("placed", suite))
    node = placements(server, namespace, ["placed"])["placed"]
    p = explain(server, namespace, "placed")
    assert p.returncode == 0, p.stderr
    assert node in p.stdout.splitlines()[0]

    missing = explain(server, namespace, "nope")
    assert missing.returncode != 0
    assert 'pods "nope" not found' in missing.stderr
