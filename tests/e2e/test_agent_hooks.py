"""Containers' lifecycle hooks on real containers: preStop before the stop signal (a command, an
HTTP GET to the pod), within the grace period, and postStart before a container counts as started."""

import hashlib
import os
import shutil
import tempfile
import time

import pytest

from conftest import wait_until
from test_agent_pods import apply, container_status, http_get, pod_manifest, running, wait_pod


@pytest.fixture
def ns(node, request):
    digest = hashlib.sha1(request.node.name.encode()).hexdigest()[:6]
    name = "h-" + request.node.name.replace("_", "-")[:40].strip("-") + "-" + digest
    node.server.kubectl("create", "namespace", name)
    yield name


@pytest.fixture
def host_dir():
    """A directory of the node that pods mount as a hostPath volume at /data."""
    path = tempfile.mkdtemp(prefix="flotilla-hooks-")
    os.chmod(path, 0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def host_volume(path):
    return [{"name": "data", "hostPath": {"path": path, "type": "Directory"}}]


DATA = [{"name": "data", "mountPath": "/data"}]
# Leaves at once on SIGTERM, so a deletion lasts as long as the preStop hook.
POLITE = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.2; done"]


def events(node, ns, reason):
    items = node.server.kubectl_json("get", "events", "-n", ns)["items"]
    return [e for e in items if e.get("reason") == reason]


def delete(node, ns, name):
    """Deletes the pod and waits until it is gone; returns how long that took."""
    start = time.time()
    node.server.kubectl("delete", "pod", name, "-n", ns, "--timeout=60s")
    return time.time() - start


def test_a_pre_stop_command_runs_before_the_container_is_stopped(node, ns, registry, host_dir):
    app = {"name": "app", "image": registry.busybox, "command": POLITE, "volumeMounts": DATA,
           "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "echo stopping > /data/pre-stop; sleep 2"]}}}}
    apply(node, ns, pod_manifest("hooked", [app], terminationGracePeriodSeconds=10, volumes=host_volume(host_dir)))
    wait_pod(node, ns, "hooked", running, "Running")
    took = delete(node, ns, "hooked")
    with open(os.path.join(host_dir, "pre-stop")) as f:
        assert f.read() == "stopping\n"
    # The hook's 2 s came first; the container then left on SIGTERM, well within the grace period.
    assert 2 <= took < 10 + 5, took


def test_a_pre_stop_sleep_delays_the_stop_signal(node, ns, registry):
    app = {"name": "app", "image": registry.busybox, "command": POLITE, "lifecycle": {"preStop": {"sleep": {"seconds": 2}}}}
    apply(node, ns, pod_manifest("sleepy", [app], terminationGracePeriodSeconds=10))
    wait_pod(node, ns, "sleepy", running, "Running")
    took = delete(node, ns, "sleepy")
    assert 2 <= took < 10, took


def test_a_pre_stop_hook_longer_than_the_grace_period_is_cut_short(node, ns, registry):
    app = {"name": "app", "image": registry.busybox, "command": POLITE,
           "lifecycle": {"preStop": {"exec": {"command": ["sleep", "300"]}}}}
    apply(node, ns, pod_manifest("slow-hook", [app], terminationGracePeriodSeconds=3))
    wait_pod(node, ns, "slow-hook", running, "Running")
    took = delete(node, ns, "slow-hook")
    # The grace period, 2 more seconds for the stop signal, and a margin.
    assert 3 <= took < 3 + 2 + 6, took
    # The hook's command was cut off at the grace period: a failure, told without its output.
    wait_until(lambda: events(node, ns, "FailedPreStopHook"), 30, "a FailedPreStopHook event")
    assert events(node, ns, "FailedPreStopHook")[0]["message"] == "PreStopHook failed"


def test_a_pre_stop_http_get_reaches_the_pod(node, ns, registry, host_dir):
    # httpd serves a CGI script that leaves a mark in the node's directory when the hook calls it.
    script = ("mkdir -p /www/cgi-bin; s=/www/cgi-bin/hook; "
              "echo '#!/bin/sh' > $s; echo 'echo hit > /data/http-hook' >> $s; "
              "echo 'echo Content-Type: text/plain' >> $s; echo 'echo' >> $s; echo 'echo ok' >> $s; chmod +x $s; "
              "exec httpd -f -p 8080 -h /www")
    app = {"name": "app", "image": registry.busybox, "command": ["sh", "-c", script], "volumeMounts": DATA,
           "ports": [{"name": "http", "containerPort": 8080}],
           "lifecycle": {"preStop": {"httpGet": {"path": "/cgi-bin/hook", "port": "http"}}}}
    apply(node, ns, pod_manifest("http-hook", [app], terminationGracePeriodSeconds=3, volumes=host_volume(host_dir)))
    pod = wait_pod(node, ns, "http-hook", running, "Running")
    ip = pod["status"]["podIP"]
    wait_until(lambda: http_get(ip, 8080, "/cgi-bin/hook") == "ok\n", 30, "the hook's script answers")
    os.remove(os.path.join(host_dir, "http-hook"))
    delete(node, ns, "http-hook")
    with open(os.path.join(host_dir, "http-hook")) as f:
        assert f.read() == "hit\n"
    assert not events(node, ns, "FailedPreStopHook")


def test_a_container_is_running_only_after_its_post_start_hook(node, ns, registry):
    # The hook writes the page httpd serves; the pod counts as Running only once it is written.
    app = {"name": "app", "image": registry.busybox, "command": ["sh", "-c", "mkdir -p /www; exec httpd -f -p 8080 -h /www"],
           "lifecycle": {"postStart": {"exec": {"command": ["sh", "-c", "sleep 2; echo from-post-start > /www/index.html"]}}}}
    apply(node, ns, pod_manifest("post-start", [app]))
    pod = wait_pod(node, ns, "post-start",
                   lambda p: p["status"].get("containerStatuses")
                   and (running(p) or container_status(p, "app")["state"].get("waiting", {}).get("reason") == "ContainerCreating"
                        and container_status(p, "app").get("containerID")),
                   "created, waiting for its hook")
    if not running(pod):
        assert pod["status"]["phase"] == "Pending"
    pod = wait_pod(node, ns, "post-start", running, "Running")
    assert http_get(pod["status"]["podIP"], 8080, "/index.html") == "from-post-start\n"
    assert container_status(pod, "app")["restartCount"] == 0


def test_a_failing_post_start_hook_kills_and_restarts_the_container(node, ns, registry):
    app = {"name": "app", "image": registry.busybox, "command": POLITE,
           "lifecycle": {"postStart": {"exec": {"command": ["sh", "-c", "echo no good; exit 3"]}}}}
    apply(node, ns, pod_manifest("bad-start", [app]))
    pod = wait_pod(node, ns, "bad-start", lambda p: p["status"].get("containerStatuses")
                   and container_status(p, "app")["restartCount"] >= 1, "restarted", timeout=60)
    assert not container_status(pod, "app")["ready"]
    wait_until(lambda: events(node, ns, "FailedPostStartHook"), 30, "a FailedPostStartHook event")
    event = events(node, ns, "FailedPostStartHook")[0]
    assert event["type"] == "Warning" and event["involvedObject"]["name"] == "bad-start"
    assert event["involvedObject"]["fieldPath"] == "spec.containers{app}"
    assert "exited with 3" in event["message"] and "no good" in event["message"], event["message"]


def test_a_container_failing_its_liveness_probe_runs_its_pre_stop_hook(node, ns, registry, host_dir):
    app = {"name": "app", "image": registry.busybox, "command": POLITE, "volumeMounts": DATA,
           "livenessProbe": {"exec": {"command": ["false"]}, "periodSeconds": 1, "failureThreshold": 1},
           "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "echo unhealthy >> /data/by-probe"]}}}}
    apply(node, ns, pod_manifest("unhealthy", [app], volumes=host_volume(host_dir)))
    wait_pod(node, ns, "unhealthy", lambda p: p["status"].get("containerStatuses")
             and container_status(p, "app")["restartCount"] >= 1, "restarted by its liveness probe", timeout=60)
    with open(os.path.join(host_dir, "by-probe")) as f:
        assert f.read().startswith("unhealthy\n")
