"""Nodes that stop renewing their lease become NotReady and tainted, their pods are evicted
after their tolerations and replaced elsewhere; pods of deleted nodes are collected; kubectl
drain evicts through the eviction API and respects PodDisruptionBudgets."""

import json
import shutil

import pytest

from conftest import Server, SimulatedAgent, wait_until


@pytest.fixture
def fast_server():
    server = Server(agent_args=["--disable-agent", "--node-monitor-grace-period", "4",
                                "--default-unreachable-toleration-seconds", "3", "--default-not-ready-toleration-seconds", "3"])
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


@pytest.fixture
def steady_server():
    """A server with the default lease grace period and tolerations: a loaded machine's late
    lease renewal does not evict pods while a test evicts them itself."""
    server = Server(agent_args=["--disable-agent"])
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


def pods(server, ns="default", selector="app=web"):
    return server.kubectl_json("get", "pods", "-n", ns, "-l", selector)["items"]


def running_on(server, ns="default"):
    return sorted(p["spec"].get("nodeName", "") for p in pods(server, ns)
                  if "deletionTimestamp" not in p["metadata"] and p["status"].get("phase") == "Running")


def test_pods_of_a_lost_node_are_replaced_on_the_others(fast_server):
    s = fast_server
    lost = SimulatedAgent(s, 2, "lost")
    kept = SimulatedAgent(s, 2, "kept")
    try:
        s.kubectl("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=8")
        wait_until(lambda: len(running_on(s)) == 8, 30, "8 pods Running")
        pod = pods(s)[0]
        tolerations = {t["key"]: t for t in pod["spec"]["tolerations"]}
        assert tolerations["node.kubernetes.io/unreachable"]["tolerationSeconds"] == 3
        assert tolerations["node.kubernetes.io/not-ready"]["effect"] == "NoExecute"

        lost.proc.terminate()
        lost.proc.wait(15)

        def unreachable(name):
            node = s.kubectl_json("get", "node", name)
            ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
            taints = {(t["key"], t["effect"]) for t in node["spec"].get("taints", [])}
            return ready["status"] == "Unknown" and ("node.kubernetes.io/unreachable", "NoExecute") in taints \
                and ("node.kubernetes.io/unreachable", "NoSchedule") in taints
        wait_until(lambda: all(unreachable(n) for n in lost.names), 30, "the lost nodes unreachable")
        assert "NotReady" in s.kubectl("get", "node", sorted(lost.names)[0]).stdout
        wait_until(lambda: len(running_on(s)) == 8 and set(running_on(s)) <= kept.names, 60, "8 pods Running on the kept nodes")
        events = s.kubectl("get", "events", "--field-selector", "reason=TaintManagerEviction", "-o", "name").stdout
        assert events.strip(), "no eviction events"

        # Deleting the lost nodes collects the pods left on them.
        s.kubectl("delete", "node", *sorted(lost.names))
        wait_until(lambda: all(p["spec"].get("nodeName") in kept.names for p in pods(s)), 30, "pods of deleted nodes collected")
    finally:
        lost.stop()
        kept.stop()


def test_a_node_that_comes_back_is_ready_and_untainted_again(fast_server):
    s = fast_server
    agent = SimulatedAgent(s, 1, "flaky")
    name = sorted(agent.names)[0]
    try:
        agent.proc.send_signal(19)  # SIGSTOP: the lease stops being renewed
        wait_until(lambda: "NotReady" in s.kubectl("get", "node", name).stdout, 30, "node NotReady")
        agent.proc.send_signal(18)  # SIGCONT
        wait_until(lambda: " Ready " in s.kubectl("get", "node", name).stdout + " "
                   and not s.kubectl_json("get", "node", name)["spec"].get("taints"), 30, "node Ready and untainted")
    finally:
        agent.proc.send_signal(18)
        agent.stop()


def test_drain_respects_a_disruption_budget(steady_server):
    s = steady_server
    agent = SimulatedAgent(s, 2, "drain")
    first, second = sorted(agent.names)
    try:
        s.kubectl("cordon", second)
        s.kubectl("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=3")
        wait_until(lambda: running_on(s) == [first] * 3, 30, "3 pods on the first node")
        budget = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"},
                  "spec": {"minAvailable": 2, "selector": {"matchLabels": {"app": "web"}}}}
        s.kubectl("apply", "-f", "-", input=json.dumps(budget))
        wait_until(lambda: s.kubectl_json("get", "pdb", "web").get("status", {}).get("disruptionsAllowed") == 1, 30, "one disruption allowed")
        status = s.kubectl_json("get", "pdb", "web")["status"]
        assert status["currentHealthy"] == 3 and status["desiredHealthy"] == 2 and status["expectedPods"] == 3

        # Nowhere to go: the first eviction passes, the rest wait for the budget.
        stuck = s.kubectl("drain", first, "--timeout=6s", "--ignore-daemonsets", check=False)
        assert stuck.returncode != 0
        assert "disruption budget" in stuck.stderr, stuck.stderr
        assert len(running_on(s)) == 2, [(p["metadata"]["name"], p["spec"].get("nodeName"), p["status"].get("phase"), p["metadata"].get("deletionTimestamp")) for p in pods(s, "default")]

        # With room on the second node, drain completes one eviction at a time.
        s.kubectl("uncordon", second)
        done = s.kubectl("drain", first, "--timeout=60s", "--ignore-daemonsets", timeout=90)
        assert "drained" in done.stdout, done.stdout + done.stderr
        wait_until(lambda: running_on(s) == [second] * 3, 30, "3 pods on the second node")
        assert "SchedulingDisabled" in s.kubectl("get", "node", first).stdout
    finally:
        agent.stop()
