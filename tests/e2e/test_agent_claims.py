"""persistentVolumeClaim volumes on the embedded agent: a claim resolves to the hostPath or local
PersistentVolume it is bound to (by spec.volumeName), whose data outlives the pods that use it;
a pod whose claim is missing or unbound waits, saying so, until it can start."""

import hashlib
import json
import os
import shutil
import tempfile

import pytest

from conftest import wait_until
from test_agent_pods import apply, container_status, eventually_get, pod_manifest, running, wait_pod


@pytest.fixture
def ns(node, request):
    digest = hashlib.sha1(request.node.name.encode()).hexdigest()[:6]
    name = "v-" + request.node.name.replace("_", "-")[:40].strip("-") + "-" + digest
    node.server.kubectl("create", "namespace", name)
    yield name


@pytest.fixture
def volume_dir(node, ns):
    """A directory of the node for one PersistentVolume named after the namespace, removed with it."""
    path = tempfile.mkdtemp(prefix="flotilla-pv-")
    os.chmod(path, 0o777)
    yield path
    node.server.kubectl("delete", "persistentvolume", ns, "--ignore-not-found", check=False)
    shutil.rmtree(path, ignore_errors=True)


def create(node, obj, ns=None):
    args = ["apply", "-f", "-"] + (["-n", ns] if ns else [])
    node.server.kubectl(*args, input=json.dumps(obj))


def persistent_volume(name, source):
    return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], **source}}


def claim(name, volume_name=None, storage_class=None):
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    if volume_name:
        spec["volumeName"] = volume_name
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name}, "spec": spec}


def claim_volume(name="data"):
    return [{"name": "data", "persistentVolumeClaim": {"claimName": name}}]


DATA = [{"name": "data", "mountPath": "/data"}]


def test_data_on_a_claimed_host_path_volume_outlives_the_pod(node, ns, registry, volume_dir):
    create(node, persistent_volume(ns, {"hostPath": {"path": volume_dir + "/pv", "type": "DirectoryOrCreate"}}))
    create(node, claim("data", volume_name=ns), ns)
    writer = {"name": "app", "image": registry.busybox, "volumeMounts": DATA,
              "command": ["sh", "-c", "echo kept-by-the-claim > /data/note; exec sleep 100000"]}
    apply(node, ns, pod_manifest("writer", [writer], volumes=claim_volume()))
    wait_pod(node, ns, "writer", running, "Running")
    wait_until(lambda: os.path.exists(volume_dir + "/pv/note"), 30, "the note on the node")
    node.server.kubectl("delete", "pod", "writer", "-n", ns, "--grace-period=1", "--timeout=60s")

    reader = {"name": "app", "image": registry.busybox, "volumeMounts": [{**DATA[0], "readOnly": True}],
              "command": ["sh", "-c", "touch /data/x 2>/dev/null && echo writable > /tmp/ro || echo read-only > /tmp/ro; "
                          "mkdir /www; cat /data/note /tmp/ro > /www/index.html; exec httpd -f -p 8080 -h /www"]}
    apply(node, ns, pod_manifest("reader", [reader], volumes=claim_volume()))
    pod = wait_pod(node, ns, "reader", running, "Running")
    assert eventually_get(pod["status"]["podIP"], 8080, "/index.html") == "kept-by-the-claim\nread-only\n"


def test_a_pod_waits_for_its_claim_and_its_volume(node, ns, registry, volume_dir):
    # Bound to the node by name, past the scheduler (which would wait for the claim itself).
    app = {"name": "app", "image": registry.busybox, "volumeMounts": DATA,
           "command": ["sh", "-c", "mkdir /www; cat /data/greeting > /www/index.html; exec httpd -f -p 8080 -h /www"]}
    apply(node, ns, pod_manifest("waiting", [app], nodeName=node.name, volumes=claim_volume()))

    def waiting_for(text):
        def check(p):
            statuses = p["status"].get("containerStatuses") or []
            waiting = statuses[0]["state"].get("waiting", {}) if statuses else {}
            return waiting.get("reason") == "ContainerCreating" and text in waiting.get("message", "")
        return check

    def failed_mount(text):
        items = node.server.kubectl_json("get", "events", "-n", ns)["items"]
        return any(e["reason"] == "FailedMount" and text in e["message"] for e in items)

    pod = wait_pod(node, ns, "waiting", waiting_for('persistentvolumeclaim "data" not found'), "waiting for the claim")
    assert pod["status"]["phase"] == "Pending"
    wait_until(lambda: failed_mount('persistentvolumeclaim "data" not found'), 30, "a FailedMount event")

    # The empty storage class asks for a volume that exists: no local volume is provisioned.
    create(node, claim("data", storage_class=""), ns)
    wait_pod(node, ns, "waiting", waiting_for('persistentvolumeclaim "data" is not bound'), "waiting for the binding")
    wait_until(lambda: failed_mount('persistentvolumeclaim "data" is not bound'), 30, "a FailedMount event")

    # A local volume: its directory must exist, and it is bound by naming it in the claim.
    with open(volume_dir + "/greeting", "w") as f:
        f.write("hello from a local volume\n")
    affinity = {"required": {"nodeSelectorTerms": [{"matchExpressions": [
        {"key": "kubernetes.io/hostname", "operator": "In", "values": [node.name]}]}]}}
    create(node, persistent_volume(ns, {"local": {"path": volume_dir}, "nodeAffinity": affinity}))
    node.server.kubectl("patch", "pvc", "data", "-n", ns, "--type=merge", "-p", json.dumps({"spec": {"volumeName": ns}}))
    pod = wait_pod(node, ns, "waiting", running, "Running once bound")
    assert eventually_get(pod["status"]["podIP"], 8080, "/index.html") == "hello from a local volume\n"
    assert container_status(pod, "app")["restartCount"] == 0


def test_a_claim_without_a_volume_gets_a_local_one_on_the_node_of_its_first_pod(node, ns, registry):
    create(node, claim("data"), ns)
    assert node.server.kubectl_json("get", "pvc", "data", "-n", ns)["status"].get("phase") == "Pending"
    writer = {"name": "app", "image": registry.busybox, "volumeMounts": DATA,
              "command": ["sh", "-c", "echo provisioned > /data/note; exec sleep 100000"]}
    apply(node, ns, pod_manifest("writer", [writer], volumes=claim_volume()))
    wait_pod(node, ns, "writer", running, "Running")
    bound = node.server.kubectl_json("get", "pvc", "data", "-n", ns)
    assert bound["status"]["phase"] == "Bound"
    volume_name = bound["spec"]["volumeName"]
    assert volume_name == "pvc-" + bound["metadata"]["uid"]
    volume = node.server.kubectl_json("get", "pv", volume_name)
    assert volume["spec"]["claimRef"]["name"] == "data" and volume["spec"]["claimRef"]["namespace"] == ns
    assert volume["spec"]["persistentVolumeReclaimPolicy"] == "Delete"
    terms = volume["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"]
    assert terms[0]["matchExpressions"][0]["values"] == [node.name]
    path = volume["spec"]["local"]["path"]
    wait_until(lambda: os.path.exists(path + "/note"), 30, "the note in the volume's directory")

    # The next pod of the claim finds the data; once the claim is deleted, the volume goes.
    node.server.kubectl("delete", "pod", "writer", "-n", ns, "--grace-period=1", "--timeout=60s")
    reader = {"name": "app", "image": registry.busybox, "volumeMounts": DATA,
              "command": ["sh", "-c", "mkdir /www; cat /data/note > /www/index.html; exec httpd -f -p 8080 -h /www"]}
    apply(node, ns, pod_manifest("reader", [reader], volumes=claim_volume()))
    pod = wait_pod(node, ns, "reader", running, "Running")
    assert eventually_get(pod["status"]["podIP"], 8080, "/index.html") == "provisioned\n"
    node.server.kubectl("delete", "pod", "reader", "-n", ns, "--grace-period=1", "--timeout=60s")
    node.server.kubectl("delete", "pvc", "data", "-n", ns)
    wait_until(lambda: node.server.kubectl("get", "pv", volume_name, check=False).returncode != 0, 30, "the volume deleted")
    assert not os.path.exists(path)


def test_a_stateful_pod_comes_back_to_its_provisioned_data(node, ns, registry):
    script = ("[ -f /data/first ] || hostname > /data/first; date +%s%N >> /data/starts; mkdir -p /www; "
              "cat /data/first > /www/index.html; wc -l < /data/starts >> /www/index.html; exec httpd -f -p 8080 -h /www")
    stateful = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
                "spec": {"serviceName": "db", "replicas": 1, "selector": {"matchLabels": {"app": "db"}},
                         "template": {"metadata": {"labels": {"app": "db"}},
                                      "spec": {"terminationGracePeriodSeconds": 1,
                                               "containers": [{"name": "db", "image": registry.busybox, "volumeMounts": DATA,
                                                               "command": ["sh", "-c", script]}]}},
                         "volumeClaimTemplates": [{"metadata": {"name": "data"},
                                                   "spec": {"accessModes": ["ReadWriteOnce"],
                                                            "resources": {"requests": {"storage": "1Gi"}}}}]}}
    create(node, stateful, ns)
    pod = wait_pod(node, ns, "db-0", running, "db-0 Running", timeout=90)
    assert eventually_get(pod["status"]["podIP"], 8080, "/index.html") == "db-0\n1\n"
    uid = pod["metadata"]["uid"]
    node.server.kubectl("delete", "pod", "db-0", "-n", ns, "--grace-period=1", "--timeout=60s")
    pod = wait_pod(node, ns, "db-0", lambda p: running(p) and p["metadata"]["uid"] != uid, "db-0 back", timeout=90)
    assert eventually_get(pod["status"]["podIP"], 8080, "/index.html") == "db-0\n2\n"
    assert node.server.kubectl_json("get", "pvc", "data-db-0", "-n", ns)["status"]["phase"] == "Bound"
    node.server.kubectl("delete", "statefulset", "db", "-n", ns, "--timeout=60s")


def test_a_volume_of_a_source_the_agent_lacks_is_named(node, ns, registry, volume_dir):
    create(node, persistent_volume(ns, {"nfs": {"server": "127.0.0.1", "path": "/export"}}))
    create(node, claim("data", volume_name=ns), ns)
    app = {"name": "app", "image": registry.busybox, "volumeMounts": DATA, "command": ["sleep", "100000"]}
    apply(node, ns, pod_manifest("nfs", [app], volumes=claim_volume()))
    pod = wait_pod(node, ns, "nfs", lambda p: "nfs volume" in (p["status"].get("containerStatuses") or [{}])[0]
                   .get("state", {}).get("waiting", {}).get("message", ""), "waiting, naming the source")
    assert pod["status"]["phase"] == "Pending"
