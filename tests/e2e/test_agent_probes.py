"""Probes run by the server's embedded agent against real containers: readiness decides Ready,
liveness failures restart the container, startup probes hold the others back."""

import hashlib
import time

import pytest

from test_agent_pods import apply, container_status, pod_manifest, wait_pod


@pytest.fixture
def ns(node, request):
    digest = hashlib.sha1(request.node.name.encode()).hexdigest()[:6]
    name = "p-" + request.node.name.replace("_", "-")[:40].strip("-") + "-" + digest
    node.server.kubectl("create", "namespace", name)
    yield name


def condition(pod, kind):
    return next(c["status"] for c in pod["status"]["conditions"] if c["type"] == kind)


def test_readiness_decides_whether_the_pod_is_ready(node, ns, registry):
    # Serves /ready only from the 4th second on: not ready, then ready.
    web = {"name": "web", "image": registry.busybox, "ports": [{"name": "http", "containerPort": 8080}],
           "command": ["sh", "-c", "mkdir -p /www; (sleep 4; echo ok > /www/ready) & exec httpd -f -p 8080 -h /www"],
           "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 1}}
    apply(node, ns, pod_manifest("ready", [web]))
    pod = wait_pod(node, ns, "ready", lambda p: p["status"].get("phase") == "Running", "Running")
    assert container_status(pod, "web")["ready"] is False and condition(pod, "Ready") == "False"
    assert condition(pod, "ContainersReady") == "False"
    assert "0/1" in node.server.kubectl("get", "pod", "ready", "-n", ns).stdout
    pod = wait_pod(node, ns, "ready", lambda p: container_status(p, "web")["ready"], "ready", timeout=30)
    assert condition(pod, "Ready") == "True" and container_status(pod, "web")["restartCount"] == 0


def test_a_failing_readiness_probe_keeps_a_running_container_unready(node, ns, registry):
    web = {"name": "web", "image": registry.busybox, "command": ["sleep", "100000"],
           "readinessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 1, "failureThreshold": 1}}
    apply(node, ns, pod_manifest("never-ready", [web]))
    wait_pod(node, ns, "never-ready", lambda p: p["status"].get("phase") == "Running", "Running")
    time.sleep(4)
    pod = node.server.kubectl_json("get", "pod", "never-ready", "-n", ns)
    status = container_status(pod, "web")
    assert status["ready"] is False and "running" in status["state"] and status["restartCount"] == 0
    assert condition(pod, "Ready") == "False"


def test_a_failing_liveness_probe_restarts_the_container(node, ns, registry):
    app = {"name": "app", "image": registry.busybox,
           "command": ["sh", "-c", "touch /tmp/alive; sleep 3; rm /tmp/alive; exec sleep 100000"],
           "livenessProbe": {"exec": {"command": ["test", "-f", "/tmp/alive"]}, "periodSeconds": 1, "failureThreshold": 2}}
    apply(node, ns, pod_manifest("liveness", [app], terminationGracePeriodSeconds=1))
    pod = wait_pod(node, ns, "liveness", lambda p: container_status(p, "app")["restartCount"] >= 1,
                   "restarted after failing its liveness probe", timeout=60)
    last = container_status(pod, "app")["lastState"]["terminated"]
    assert last["exitCode"] in (137, 143)


def test_a_startup_probe_holds_readiness_until_it_passes(node, ns, registry):
    app = {"name": "app", "image": registry.busybox,
           "command": ["sh", "-c", "sleep 4; touch /tmp/started; exec sleep 100000"],
           "startupProbe": {"exec": {"command": ["test", "-f", "/tmp/started"]}, "periodSeconds": 1, "failureThreshold": 30},
           "livenessProbe": {"exec": {"command": ["test", "-f", "/tmp/started"]}, "periodSeconds": 1, "failureThreshold": 1}}
    apply(node, ns, pod_manifest("startup", [app]))
    pod = wait_pod(node, ns, "startup", lambda p: p["status"].get("phase") == "Running", "Running")
    status = container_status(pod, "app")
    assert status["started"] is False and status["ready"] is False
    pod = wait_pod(node, ns, "startup", lambda p: container_status(p, "app")["ready"], "started and ready", timeout=30)
    status = container_status(pod, "app")
    # The liveness probe, failing before the start, did not run until the startup probe passed.
    assert status["started"] is True and status["restartCount"] == 0
