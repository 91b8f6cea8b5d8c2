"""Replica sets, deployments and the garbage collector, driven by the real kubectl against the
server's controllers, with the scheduler placing pods on hollow nodes."""

import json
import shutil
import threading
import time

import pytest

from conftest import Server, SimulatedAgent, wait_until


@pytest.fixture(scope="module")
def cluster():
    server = Server()
    agent = SimulatedAgent(server, 3, "wl")
    yield server
    agent.stop()
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


@pytest.fixture
def ns(cluster, request):
    name = "w-" + request.node.name.replace("_", "-")[5:45].strip("-")
    cluster.kubectl("create", "namespace", name)
    return name


def pods(server, ns, selector="app=web"):
    return server.kubectl_json("get", "pods", "-n", ns, "-l", selector)["items"]


def active(items):
    return [p for p in items if "deletionTimestamp" not in p["metadata"]]


def running_count(server, ns, selector="app=web"):
    return sum(1 for p in active(pods(server, ns, selector)) if p["status"].get("phase") == "Running")


def replica_sets(server, ns):
    return server.kubectl_json("get", "rs", "-n", ns)["items"]


def test_a_deployment_scales_up_and_down(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=3", "-n", ns)
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    wait_until(lambda: running_count(cluster, ns) == 3, 30, "3 pods Running")
    [rs] = replica_sets(cluster, ns)
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    hash_label = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == "web-" + hash_label
    for pod in pods(cluster, ns):
        assert pod["metadata"]["name"].startswith(rs["metadata"]["name"] + "-")
        assert pod["metadata"]["ownerReferences"][0]["name"] == rs["metadata"]["name"]

    k("scale", "deployment/web", "--replicas=6", "-n", ns)
    wait_until(lambda: running_count(cluster, ns) == 6, 30, "6 pods Running")
    k("scale", "deployment/web", "--replicas=2", "-n", ns)
    wait_until(lambda: len(active(pods(cluster, ns))) == 2, 30, "2 pods left")
    deployment = cluster.kubectl_json("get", "deployment", "web", "-n", ns)
    wait_until(lambda: cluster.kubectl_json("get", "deployment", "web", "-n", ns)["status"].get("availableReplicas") == 2, 30, "status")
    deployment = cluster.kubectl_json("get", "deployment", "web", "-n", ns)
    conditions = {c["type"]: c for c in deployment["status"]["conditions"]}
    assert conditions["Available"]["status"] == "True"
    assert conditions["Progressing"]["reason"] == "NewReplicaSetAvailable"
    assert deployment["status"]["observedGeneration"] == deployment["metadata"]["generation"]


def test_a_deleted_pod_is_replaced_and_an_orphan_adopted(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=2", "-n", ns)
    wait_until(lambda: running_count(cluster, ns) == 2, 30, "2 pods Running")
    [rs] = replica_sets(cluster, ns)
    victim = pods(cluster, ns)[0]["metadata"]["name"]
    k("delete", "pod", victim, "-n", ns, "--wait=false")
    wait_until(lambda: victim not in {p["metadata"]["name"] for p in active(pods(cluster, ns))} and running_count(cluster, ns) == 2,
               30, "the deleted pod replaced")

    # A bare pod with the replica set's labels is adopted, and the surplus removed.
    labels = rs["spec"]["selector"]["matchLabels"]
    orphan = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "stray", "labels": labels},
              "spec": {"containers": [{"name": "c", "image": "registry.invalid/web:1"}]}}
    k("apply", "-n", ns, "-f", "-", input=json.dumps(orphan))
    wait_until(lambda: len(active(pods(cluster, ns))) == 2, 30, "back to 2 pods")
    for pod in active(pods(cluster, ns)):
        assert pod["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]


def test_a_rolling_update_respects_surge_and_unavailability_and_can_be_undone(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=8", "-n", ns)
    k("patch", "deployment", "web", "-n", ns, "-p",
      json.dumps({"spec": {"strategy": {"rollingUpdate": {"maxSurge": 2, "maxUnavailable": 1}}}}))
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    wait_until(lambda: running_count(cluster, ns) == 8, 30, "8 pods Running")

    samples = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            items = active(pods(cluster, ns))
            samples.append((len(items), sum(1 for p in items if p["status"].get("phase") == "Running")))
    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        k("set", "image", "deployment/web", "web=registry.invalid/web:2", "-n", ns)
        k("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s")
    finally:
        stop.set()
        sampler.join()
    assert samples, "no samples taken"
    assert max(total for total, _ in samples) <= 8 + 2, samples
    images = {p["spec"]["containers"][0]["image"] for p in active(pods(cluster, ns))}
    assert images == {"registry.invalid/web:2"}
    revisions = sorted(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] for rs in replica_sets(cluster, ns))
    assert revisions == ["1", "2"]
    history = k("rollout", "history", "deployment/web", "-n", ns).stdout
    assert "1" in history and "2" in history

    k("rollout", "undo", "deployment/web", "-n", ns)
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s")
    wait_until(lambda: {p["spec"]["containers"][0]["image"] for p in active(pods(cluster, ns))} == {"registry.invalid/web:1"}
               and len(active(pods(cluster, ns))) == 8, 30, "pods back on the first image")
    deployment = cluster.kubectl_json("get", "deployment", "web", "-n", ns)
    assert deployment["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"


def test_recreate_removes_every_old_pod_before_starting_new_ones(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=3", "-n", ns)
    k("patch", "deployment", "web", "-n", ns, "--type=json",
      "-p", json.dumps([{"op": "replace", "path": "/spec/strategy", "value": {"type": "Recreate"}}]))
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    samples = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            images = {p["spec"]["containers"][0]["image"] for p in pods(cluster, ns)}
            samples.append(images)
    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        k("set", "image", "deployment/web", "web=registry.invalid/web:2", "-n", ns)
        k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    finally:
        stop.set()
        sampler.join()
    assert all(len(images) <= 1 for images in samples), [s for s in samples if len(s) > 1][:3]
    wait_until(lambda: running_count(cluster, ns) == 3, 30, "3 new pods")


def test_a_paused_rollout_waits_until_resumed(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=2", "-n", ns)
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    k("rollout", "pause", "deployment/web", "-n", ns)
    k("set", "image", "deployment/web", "web=registry.invalid/web:2", "-n", ns)
    time.sleep(2)
    assert len(replica_sets(cluster, ns)) == 1
    deployment = cluster.kubectl_json("get", "deployment", "web", "-n", ns)
    progressing = next(c for c in deployment["status"]["conditions"] if c["type"] == "Progressing")
    assert progressing["reason"] == "DeploymentPaused"
    k("rollout", "resume", "deployment/web", "-n", ns)
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    assert len(replica_sets(cluster, ns)) == 2


def test_rollout_restart_replaces_every_pod(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=3", "-n", ns)
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    before = {p["metadata"]["name"] for p in active(pods(cluster, ns))}
    k("rollout", "restart", "deployment/web", "-n", ns)
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    wait_until(lambda: len(active(pods(cluster, ns))) == 3 and not before & {p["metadata"]["name"] for p in active(pods(cluster, ns))},
               30, "every pod replaced")


def test_deleting_a_deployment_cascades_in_the_background(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=3", "-n", ns)
    wait_until(lambda: running_count(cluster, ns) == 3, 30, "3 pods Running")
    k("delete", "deployment", "web", "-n", ns)
    wait_until(lambda: not replica_sets(cluster, ns), 30, "replica sets gone")
    wait_until(lambda: not pods(cluster, ns), 30, "pods gone")


def test_deleting_with_orphan_keeps_the_dependents(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=2", "-n", ns)
    wait_until(lambda: running_count(cluster, ns) == 2, 30, "2 pods Running")
    k("delete", "deployment", "web", "-n", ns, "--cascade=orphan")
    wait_until(lambda: k("get", "deployment", "web", "-n", ns, check=False).returncode != 0, 30, "deployment gone")
    [rs] = replica_sets(cluster, ns)
    assert "ownerReferences" not in rs["metadata"]
    time.sleep(2)
    assert running_count(cluster, ns) == 2
    # The replica set still owns and keeps its pods.
    k("delete", "rs", rs["metadata"]["name"], "-n", ns, "--cascade=orphan")
    wait_until(lambda: all("ownerReferences" not in p["metadata"] for p in pods(cluster, ns)), 30, "pods released")
    assert running_count(cluster, ns) == 2


def test_deleting_in_the_foreground_waits_for_the_dependents(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=2", "-n", ns)
    wait_until(lambda: running_count(cluster, ns) == 2, 30, "2 pods Running")
    # A finalizer of its own holds one pod, and so the whole foreground deletion.
    held = pods(cluster, ns)[0]["metadata"]["name"]
    k("patch", "pod", held, "-n", ns, "--type=merge", "-p", json.dumps({"metadata": {"finalizers": ["example.com/hold"]}}))
    k("delete", "deployment", "web", "-n", ns, "--cascade=foreground", "--wait=false")
    wait_until(lambda: not replica_sets(cluster, ns) or all("deletionTimestamp" in rs["metadata"] for rs in replica_sets(cluster, ns)),
               30, "the replica set being deleted")
    time.sleep(2)
    deployment = cluster.kubectl_json("get", "deployment", "web", "-n", ns)
    assert "foregroundDeletion" in deployment["metadata"].get("finalizers", [])
    assert "deletionTimestamp" in deployment["metadata"]
    assert [p["metadata"]["name"] for p in pods(cluster, ns)] == [held]
    k("patch", "pod", held, "-n", ns, "--type=merge", "-p", json.dumps({"metadata": {"finalizers": None}}))
    wait_until(lambda: k("get", "deployment", "web", "-n", ns, check=False).returncode != 0, 60, "deployment gone")
    assert not replica_sets(cluster, ns)
    assert not pods(cluster, ns)
