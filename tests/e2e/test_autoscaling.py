"""A HorizontalPodAutoscaler scales a deployment of real containers up under load and back down
when the load goes, from the usage the agent measures."""

import json

from conftest import wait_until
from test_agent_pods import ns  # noqa: F401 (a fixture)


def test_an_autoscaler_follows_cpu_load_up_and_down(node, ns, registry):
    k = node.server.kubectl
    busy = {"name": "burn", "image": registry.busybox, "command": ["sh", "-c", "while true; do :; done"],
            "resources": {"requests": {"cpu": "20m"}, "limits": {"cpu": "100m"}}}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "burn"},
                  "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "burn"}},
                           "template": {"metadata": {"labels": {"app": "burn"}},
                                        "spec": {"containers": [busy], "terminationGracePeriodSeconds": 1}}}}
    k("apply", "-n", ns, "-f", "-", input=json.dumps(deployment))
    k("rollout", "status", "deployment/burn", "-n", ns, "--timeout=90s", timeout=100)
    k("autoscale", "deployment", "burn", "-n", ns, "--min=1", "--max=3", "--cpu-percent=50")
    k("patch", "hpa", "burn", "-n", ns, "--type=merge",
      "-p", json.dumps({"spec": {"behavior": {"scaleDown": {"stabilizationWindowSeconds": 0}}}}))

    def replicas():
        return node.server.kubectl_json("get", "deployment", "burn", "-n", ns)["spec"]["replicas"]
    wait_until(lambda: replicas() == 3, 120, "scaled up to the maximum under load")
    hpa = node.server.kubectl_json("get", "hpa", "burn", "-n", ns)
    current = hpa["status"]["currentMetrics"][0]["resource"]["current"]
    assert current["averageUtilization"] > 50, hpa["status"]
    conditions = {c["type"]: c for c in hpa["status"]["conditions"]}
    assert conditions["ScalingActive"]["status"] == "True"
    assert conditions["ScalingLimited"]["reason"] == "TooManyReplicas"
    line = k("get", "hpa", "burn", "-n", ns, "--no-headers").stdout.split()
    assert line[0] == "burn" and line[1] == "Deployment/burn" and line[3].endswith("/50%"), line

    # The load goes: the same pods, idle.
    k("patch", "deployment", "burn", "-n", ns, "--type=json", "-p", json.dumps(
        [{"op": "replace", "path": "/spec/template/spec/containers/0/command", "value": ["sleep", "100000"]}]))
    wait_until(lambda: replicas() == 1, 180, "scaled back down to the minimum")
    events = node.server.kubectl_json("get", "events", "-n", ns, "--field-selector", "reason=SuccessfulRescale")["items"]
    assert any("New size: 3" in e["message"] for e in events) and any("New size: 1" in e["message"] for e in events)
