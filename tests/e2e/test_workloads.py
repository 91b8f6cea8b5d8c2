"""Replica sets, deployments and the garbage collector, driven by the real kubectl against the
server's controllers, with the scheduler placing pods on hollow nodes."""

import json
import threading
import time

import pytest

from conftest import SimulatedAgent, hollow_cluster, make_namespace, wait_until


@pytest.fixture(scope="module")
def cluster():
    with hollow_cluster(3, "wl") as server:
        yield server


@pytest.fixture
def ns(cluster, request):
    return make_namespace(cluster, request, "w")


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


def test_deleting_a_namespace_deletes_everything_in_it_then_the_namespace(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=20", "-n", ns)
    for i in range(40):
        k("create", "configmap", f"c{i}", "--from-literal=a=1", "-n", ns)
    wait_until(lambda: running_count(cluster, ns) == 20, 60, "20 pods Running")
    # A finalizer of its own holds one config map, and so the namespace.
    k("patch", "configmap", "c0", "-n", ns, "--type=merge", "-p", json.dumps({"metadata": {"finalizers": ["example.com/hold"]}}))
    k("delete", "namespace", ns, "--wait=false")
    wait_until(lambda: k("get", "deployments,replicasets,pods,configmaps", "-n", ns, "-o", "name").stdout.split() == ["configmap/c0"],
               60, "everything but the held config map gone")
    namespace = cluster.kubectl_json("get", "namespace", ns)
    assert namespace["status"]["phase"] == "Terminating"
    assert "deletionTimestamp" in namespace["metadata"]
    refused = k("create", "configmap", "late", "-n", ns, check=False)
    assert refused.returncode != 0 and "because it is being terminated" in refused.stderr
    k("patch", "configmap", "c0", "-n", ns, "--type=merge", "-p", json.dumps({"metadata": {"finalizers": None}}))
    wait_until(lambda: k("get", "namespace", ns, check=False).returncode != 0, 60, "namespace gone")
    assert k("get", "configmaps", "-n", ns, "-o", "name").stdout.split() == []


def daemon_set(name, **spec):
    return {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "d", "image": "registry.invalid/daemon:1"}], **spec}}}}


def test_a_daemon_set_runs_one_pod_per_eligible_node_also_on_a_node_added_later(cluster, ns):
    k = cluster.kubectl
    k("apply", "-n", ns, "-f", "-", input=json.dumps(daemon_set("agent", nodeSelector={"daemons": ns})))
    first = SimulatedAgent(cluster, 2, ns[:20] + "a", "--labels", f"daemons={ns}")
    later = None
    try:
        def on_nodes():
            return sorted(p["spec"].get("nodeName", "") for p in active(pods(cluster, ns, "app=agent"))
                          if p["status"].get("phase") == "Running")
        wait_until(lambda: on_nodes() == sorted(first.names), 30, "one daemon pod per labelled node")
        k("rollout", "status", "daemonset/agent", "-n", ns, "--timeout=60s")
        later = SimulatedAgent(cluster, 1, ns[:20] + "b", "--labels", f"daemons={ns}")
        wait_until(lambda: on_nodes() == sorted(first.names | later.names), 30, "a daemon pod on the new node")
        status = cluster.kubectl_json("get", "daemonset", "agent", "-n", ns)["status"]
        wait_until(lambda: cluster.kubectl_json("get", "daemonset", "agent", "-n", ns)["status"].get("numberReady") == 3, 30, "3 ready")
        status = cluster.kubectl_json("get", "daemonset", "agent", "-n", ns)["status"]
        assert status["desiredNumberScheduled"] == 3 and status["currentNumberScheduled"] == 3 and status["numberMisscheduled"] == 0

        # A rolling update replaces every pod; the node label taken away removes its pod.
        k("set", "image", "daemonset/agent", "d=registry.invalid/daemon:2", "-n", ns)
        k("rollout", "status", "daemonset/agent", "-n", ns, "--timeout=90s")
        wait_until(lambda: {p["spec"]["containers"][0]["image"] for p in active(pods(cluster, ns, "app=agent"))} == {"registry.invalid/daemon:2"}
                   and len(active(pods(cluster, ns, "app=agent"))) == 3, 30, "every daemon pod updated")
        gone = sorted(later.names)[0]
        k("label", "node", gone, "daemons-")
        wait_until(lambda: on_nodes() == sorted(first.names), 30, "the daemon pod leaves the unlabelled node")
    finally:
        k("delete", "daemonset", "agent", "-n", ns, "--wait=false", check=False)
        first.stop()
        if later:
            later.stop()


def stateful_set(name, replicas, **spec):
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name},
            "spec": {"replicas": replicas, "serviceName": name, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "db", "image": "registry.invalid/db:1",
                                                           "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]}},
                     "volumeClaimTemplates": [{"metadata": {"name": "data"},
                                               "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}],
                     **spec}}


def test_a_stateful_set_creates_pods_in_order_and_keeps_their_claims(cluster, ns):
    k = cluster.kubectl
    k("apply", "-n", ns, "-f", "-", input=json.dumps(stateful_set("db", 3)))
    k("rollout", "status", "statefulset/db", "-n", ns, "--timeout=60s")
    items = sorted(active(pods(cluster, ns, "app=db")), key=lambda p: p["metadata"]["creationTimestamp"])
    assert [p["metadata"]["name"] for p in items] == ["db-0", "db-1", "db-2"]
    for i, pod in enumerate(items):
        assert pod["spec"]["hostname"] == f"db-{i}" and pod["spec"]["subdomain"] == "db"
        assert pod["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"] == f"db-{i}"
        claim = next(v for v in pod["spec"]["volumes"] if v["name"] == "data")["persistentVolumeClaim"]["claimName"]
        assert claim == f"data-db-{i}"
    claims = {c["metadata"]["name"] for c in cluster.kubectl_json("get", "pvc", "-n", ns)["items"]}
    assert claims == {"data-db-0", "data-db-1", "data-db-2"}

    # A deleted pod comes back with the same name and claim.
    uid = next(p for p in items if p["metadata"]["name"] == "db-1")["metadata"]["uid"]
    # (Not waiting: hollow nodes finish a deletion at once and db-1 returns under the same name
    # before kubectl's own wait has seen the old one go.)
    k("delete", "pod", "db-1", "-n", ns, "--wait=false")
    wait_until(lambda: any(p["metadata"]["name"] == "db-1" and p["metadata"]["uid"] != uid and p["status"].get("phase") == "Running"
                           for p in active(pods(cluster, ns, "app=db"))), 30, "db-1 back")

    # Scale down removes the highest ordinals; the claims stay.
    k("scale", "statefulset/db", "--replicas=1", "-n", ns)
    wait_until(lambda: [p["metadata"]["name"] for p in pods(cluster, ns, "app=db")] == ["db-0"], 30, "only db-0 left")
    assert {c["metadata"]["name"] for c in cluster.kubectl_json("get", "pvc", "-n", ns)["items"]} == claims


def test_a_stateful_set_rolling_update_stops_at_the_partition(cluster, ns):
    k = cluster.kubectl
    k("apply", "-n", ns, "-f", "-", input=json.dumps(stateful_set(
        "db", 3, updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 1}})))
    k("rollout", "status", "statefulset/db", "-n", ns, "--timeout=60s")
    k("set", "image", "statefulset/db", "db=registry.invalid/db:2", "-n", ns)

    def images():
        return {p["metadata"]["name"]: p["spec"]["containers"][0]["image"] for p in active(pods(cluster, ns, "app=db"))
                if p["status"].get("phase") == "Running"}
    wait_until(lambda: images() == {"db-0": "registry.invalid/db:1", "db-1": "registry.invalid/db:2", "db-2": "registry.invalid/db:2"},
               60, "db-2 and db-1 updated, db-0 kept")
    time.sleep(2)
    assert images()["db-0"] == "registry.invalid/db:1"
    status = cluster.kubectl_json("get", "statefulset", "db", "-n", ns)["status"]
    assert status["updatedReplicas"] == 2 and status["currentRevision"] != status["updateRevision"]
    k("patch", "statefulset", "db", "-n", ns, "-p", json.dumps({"spec": {"updateStrategy": {"rollingUpdate": {"partition": 0}}}}))
    wait_until(lambda: set(images().values()) == {"registry.invalid/db:2"} and len(images()) == 3, 60, "every pod updated")
    wait_until(lambda: (lambda s: s["currentRevision"] == s["updateRevision"])(cluster.kubectl_json("get", "statefulset", "db", "-n", ns)["status"]),
               30, "current revision catches up")


def test_a_failed_rollout_rolls_back_when_asked_to(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=2", "-n", ns)
    k("patch", "deployment", "web", "-n", ns, "-p", json.dumps({
        "metadata": {"annotations": {"flotilla.io/auto-rollback": "true"}}, "spec": {"progressDeadlineSeconds": 4}}))
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    # Revision 2 cannot be scheduled anywhere: it never becomes available.
    k("patch", "deployment", "web", "-n", ns, "-p", json.dumps({
        "spec": {"template": {"spec": {"nodeSelector": {"no-such-label": "x"}}}}}))

    def rolled_back():
        d = cluster.kubectl_json("get", "deployment", "web", "-n", ns)
        return "nodeSelector" not in d["spec"]["template"]["spec"] and d["metadata"]["annotations"].get("deployment.kubernetes.io/revision") == "3"
    wait_until(rolled_back, 60, "the deployment rolled back to its first template as revision 3")
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    events = cluster.kubectl_json("get", "events", "-n", ns, "--field-selector", "reason=RolledBack")["items"]
    assert events, "no RolledBack event"
    message = events[0]["message"]
    assert "Rollout of revision 2 failed" in message and "Pending" in message and "rolled back to revision 1" in message, message


def test_update_parallelism_and_delay_pace_a_rollout(cluster, ns):
    k = cluster.kubectl
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=4", "-n", ns)
    k("patch", "deployment", "web", "-n", ns, "-p", json.dumps({
        "metadata": {"annotations": {"flotilla.io/update-parallelism": "1", "flotilla.io/update-delay": "2s"}},
        "spec": {"strategy": {"rollingUpdate": {"maxSurge": 2, "maxUnavailable": 0}}}}))
    k("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s")
    samples = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append(len(active(pods(cluster, ns))))
    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.time()
    try:
        k("set", "image", "deployment/web", "web=registry.invalid/web:2", "-n", ns)
        k("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s", timeout=100)
    finally:
        stop.set()
        sampler.join()
    took = time.time() - started
    # Four batches of one, two seconds apart after the first: at least six seconds, and never
    # more than one pod above the desired four although maxSurge allows two.
    assert took >= 6, took
    assert max(samples) <= 5, max(samples)
