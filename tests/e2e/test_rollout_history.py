"""ControllerRevisions of daemon sets and stateful sets, driven by the real kubectl: `rollout
history`, `rollout history --revision`, `rollout undo --to-revision` and `rollout status`,
with the scheduler placing pods on hollow nodes."""

import json
import re

import pytest

from conftest import hollow_cluster, make_namespace, wait_until

CHANGE_CAUSE = "kubernetes.io/change-cause"


@pytest.fixture(scope="module")
def cluster():
    with hollow_cluster(2, "rh") as server:
        yield server


@pytest.fixture
def ns(cluster, request):
    return make_namespace(cluster, request, "h")


def image(n, kind="daemon"):
    return f"registry.invalid/{kind}:{n}"


def history(cluster, ns, target):
    """`kubectl rollout history` as {revision: change cause}."""
    out = cluster.kubectl("rollout", "history", target, "-n", ns).stdout
    return {int(m.group(1)): m.group(2).strip() for m in re.finditer(r"^(\d+)\s+(.*)$", out, re.MULTILINE)}


def revisions(cluster, ns, app):
    """The ControllerRevisions labelled app=<app>, by revision number."""
    items = cluster.kubectl_json("get", "controllerrevisions", "-n", ns, "-l", f"app={app}")["items"]
    return {r["revision"]: r for r in items}


def running_images(cluster, ns, app):
    """Image of each Running pod of <app> that is not being deleted, by pod name."""
    items = cluster.kubectl_json("get", "pods", "-n", ns, "-l", f"app={app}")["items"]
    return {p["metadata"]["name"]: p["spec"]["containers"][0]["image"] for p in items
            if "deletionTimestamp" not in p["metadata"] and p["status"].get("phase") == "Running"}


def change(cluster, ns, target, container, new_image, cause):
    """A new template the way users record why: annotate the change cause, then set the image."""
    cluster.kubectl("annotate", target, "-n", ns, f"{CHANGE_CAUSE}={cause}", "--overwrite")
    cluster.kubectl("set", "image", target, f"{container}={new_image}", "-n", ns)
    cluster.kubectl("rollout", "status", target, "-n", ns, "--timeout=90s")


def test_daemon_set_history_lists_each_template_and_undo_brings_one_back(cluster, ns):
    k = cluster.kubectl
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "annotations": {CHANGE_CAUSE: "first"}},
          "spec": {"selector": {"matchLabels": {"app": "agent"}},
                   "template": {"metadata": {"labels": {"app": "agent"}},
                                "spec": {"containers": [{"name": "d", "image": image(1)}]}}}}
    k("apply", "-n", ns, "-f", "-", input=json.dumps(ds))
    k("rollout", "status", "daemonset/agent", "-n", ns, "--timeout=60s")
    change(cluster, ns, "daemonset/agent", "d", image(2), "second")
    change(cluster, ns, "daemonset/agent", "d", image(3), "third")

    assert history(cluster, ns, "daemonset/agent") == {1: "first", 2: "second", 3: "third"}
    first = k("rollout", "history", "daemonset/agent", "-n", ns, "--revision=1").stdout
    assert image(1) in first and image(3) not in first
    listed = k("get", "controllerrevisions", "-n", ns).stdout.splitlines()
    assert listed[0].split() == ["NAME", "CONTROLLER", "REVISION", "AGE"]
    assert sorted((row.split()[1], row.split()[2]) for row in listed[1:]) == [("daemonset.apps/agent", str(n)) for n in (1, 2, 3)]
    uid = cluster.kubectl_json("get", "daemonset", "agent", "-n", ns)["metadata"]["uid"]
    for revision in revisions(cluster, ns, "agent").values():
        owner = revision["metadata"]["ownerReferences"][0]
        assert owner["uid"] == uid and owner["controller"] is True
        assert revision["data"]["spec"]["template"]["$patch"] == "replace"
        assert revision["metadata"]["name"] == "agent-" + revision["metadata"]["labels"]["controller-revision-hash"]

    # Undo: the first template comes back as revision 4, and so do the pods.
    out = k("rollout", "undo", "daemonset/agent", "-n", ns, "--to-revision=1").stdout
    assert "rolled back" in out
    k("rollout", "status", "daemonset/agent", "-n", ns, "--timeout=90s")
    wait_until(lambda: running_images(cluster, ns, "agent") and set(running_images(cluster, ns, "agent").values()) == {image(1)}
               and len(running_images(cluster, ns, "agent")) == 2, 60, "both daemon pods back at the first image")
    assert history(cluster, ns, "daemonset/agent") == {2: "second", 3: "third", 4: "first"}
    latest = revisions(cluster, ns, "agent")[4]
    hashes = {p["metadata"]["labels"]["controller-revision-hash"]
              for p in cluster.kubectl_json("get", "pods", "-n", ns, "-l", "app=agent")["items"]}
    assert hashes == {latest["metadata"]["labels"]["controller-revision-hash"]}
    status = cluster.kubectl_json("get", "daemonset", "agent", "-n", ns)
    assert status["status"]["updatedNumberScheduled"] == 2
    assert status["status"]["observedGeneration"] == status["metadata"]["generation"]
    # Undo without a revision goes back to the one before: the third template.
    k("rollout", "undo", "daemonset/agent", "-n", ns)
    k("rollout", "status", "daemonset/agent", "-n", ns, "--timeout=90s")
    assert history(cluster, ns, "daemonset/agent") == {2: "second", 4: "first", 5: "third"}

    # Deleting the daemon set deletes its revisions.
    k("delete", "daemonset", "agent", "-n", ns)
    wait_until(lambda: not revisions(cluster, ns, "agent"), 30, "the revisions collected")


def test_daemon_set_history_keeps_revision_history_limit_old_revisions(cluster, ns):
    k = cluster.kubectl
    k("create", "-n", ns, "-f", "-", input=json.dumps({
        "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
        "spec": {"revisionHistoryLimit": 1, "selector": {"matchLabels": {"app": "agent"}},
                 "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "d", "image": image(1)}]}}}}))
    k("rollout", "status", "daemonset/agent", "-n", ns, "--timeout=60s")
    for n in (2, 3, 4):
        k("set", "image", "daemonset/agent", f"d={image(n)}", "-n", ns)
        k("rollout", "status", "daemonset/agent", "-n", ns, "--timeout=90s")
    wait_until(lambda: sorted(revisions(cluster, ns, "agent")) == [3, 4], 30, "only the current and one old revision left")
    assert k("rollout", "undo", "daemonset/agent", "-n", ns, "--to-revision=1", check=False).returncode != 0


def test_stateful_set_history_partition_and_undo(cluster, ns):
    k = cluster.kubectl
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db", "annotations": {CHANGE_CAUSE: "first"}},
           "spec": {"replicas": 3, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                    "template": {"metadata": {"labels": {"app": "db"}},
                                 "spec": {"containers": [{"name": "db", "image": image(1, "db")}]}}}}
    k("apply", "-n", ns, "-f", "-", input=json.dumps(sts))
    k("rollout", "status", "statefulset/db", "-n", ns, "--timeout=90s")
    change(cluster, ns, "statefulset/db", "db", image(2, "db"), "second")
    by_number = revisions(cluster, ns, "db")
    status = cluster.kubectl_json("get", "statefulset", "db", "-n", ns)["status"]
    assert status["currentRevision"] == status["updateRevision"] == by_number[2]["metadata"]["name"]
    assert status["currentReplicas"] == status["updatedReplicas"] == 3 and status["collisionCount"] == 0

    # With partition 2 only db-2 moves to the third template; rollout status is satisfied.
    k("patch", "statefulset", "db", "-n", ns, "-p", json.dumps({"spec": {"updateStrategy": {"rollingUpdate": {"partition": 2}}}}))
    change(cluster, ns, "statefulset/db", "db", image(3, "db"), "third")
    wait_until(lambda: running_images(cluster, ns, "db") == {"db-0": image(2, "db"), "db-1": image(2, "db"), "db-2": image(3, "db")},
               60, "db-2 updated, db-0 and db-1 kept")
    by_number = revisions(cluster, ns, "db")
    wait_until(lambda: (lambda s: s.get("updatedReplicas") == 1 and s.get("currentReplicas") == 2)(
        cluster.kubectl_json("get", "statefulset", "db", "-n", ns)["status"]), 30, "status counts the partition")
    status = cluster.kubectl_json("get", "statefulset", "db", "-n", ns)["status"]
    assert status["currentRevision"] == by_number[2]["metadata"]["name"]
    assert status["updateRevision"] == by_number[3]["metadata"]["name"]
    # A pod below the partition comes back at the current revision.
    uid = cluster.kubectl_json("get", "pod", "db-0", "-n", ns)["metadata"]["uid"]
    k("delete", "pod", "db-0", "-n", ns, "--wait=false")
    wait_until(lambda: (lambda p: p["metadata"]["uid"] != uid and p["status"].get("phase") == "Running")(
        cluster.kubectl_json("get", "pod", "db-0", "-n", ns)), 30, "db-0 back")
    db0 = cluster.kubectl_json("get", "pod", "db-0", "-n", ns)
    assert db0["spec"]["containers"][0]["image"] == image(2, "db")
    assert db0["metadata"]["labels"]["controller-revision-hash"] == by_number[2]["metadata"]["name"]

    assert history(cluster, ns, "statefulset/db") == {1: "first", 2: "second", 3: "third"}
    second = k("rollout", "history", "statefulset/db", "-n", ns, "--revision=2").stdout
    assert image(2, "db") in second and image(3, "db") not in second

    # Undo to the first template with the partition lifted: every pod goes back to it.
    k("patch", "statefulset", "db", "-n", ns, "-p", json.dumps({"spec": {"updateStrategy": {"rollingUpdate": {"partition": 0}}}}))
    assert "rolled back" in k("rollout", "undo", "statefulset/db", "-n", ns, "--to-revision=1").stdout
    k("rollout", "status", "statefulset/db", "-n", ns, "--timeout=90s")
    wait_until(lambda: running_images(cluster, ns, "db") == {f"db-{i}": image(1, "db") for i in range(3)}, 60, "every pod at the first image")
    assert history(cluster, ns, "statefulset/db") == {2: "second", 3: "third", 4: "first"}
    by_number = revisions(cluster, ns, "db")
    wait_until(lambda: (lambda s: s["currentRevision"] == s["updateRevision"] == by_number[4]["metadata"]["name"])(
        cluster.kubectl_json("get", "statefulset", "db", "-n", ns)["status"]), 30, "current revision is the restored one")
    listed = k("get", "controllerrevisions", "-n", ns).stdout
    assert "statefulset.apps/db" in listed

    k("delete", "statefulset", "db", "-n", ns)
    wait_until(lambda: not revisions(cluster, ns, "db"), 30, "the revisions collected")
