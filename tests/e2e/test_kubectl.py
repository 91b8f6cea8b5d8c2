"""The real kubectl against the real flotilla server (SQLite and etcd stores)."""

import json
import subprocess
import time

import yaml

from manifests import app, pod
from conftest import wait_until


def test_version_reports_server_minor_32(server):
    out = json.loads(server.kubectl("version", "-o", "json").stdout)
    assert out["serverVersion"]["major"] == "1"
    assert out["serverVersion"]["minor"] == "32"
    assert "flotilla" in out["serverVersion"]["gitVersion"]


def test_api_resources_lists_every_group(server):
    out = server.kubectl("api-resources", "-o", "name").stdout.split()
    for name in ["pods", "namespaces", "nodes", "services", "configmaps", "secrets", "events",
                 "deployments.apps", "replicasets.apps", "daemonsets.apps", "statefulsets.apps",
                 "jobs.batch", "cronjobs.batch", "leases.coordination.k8s.io",
                 "endpointslices.discovery.k8s.io", "horizontalpodautoscalers.autoscaling",
                 "poddisruptionbudgets.policy", "roles.rbac.authorization.k8s.io",
                 "clusterrolebindings.rbac.authorization.k8s.io", "priorityclasses.scheduling.k8s.io",
                 "persistentvolumes", "persistentvolumeclaims", "resourcequotas", "limitranges",
                 "serviceaccounts", "endpoints", "nodes.metrics.k8s.io", "pods.metrics.k8s.io"]:
        assert name in out, f"{name} missing from api-resources"


def test_builtin_namespaces_exist(server):
    names = server.kubectl("get", "namespaces", "-o", "name").stdout.split()
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"]:
        assert f"namespace/{ns}" in names


def test_create_namespace_and_get_table(server):
    p = server.kubectl("create", "namespace", f"made-by-create-{server.store}")
    assert "created" in p.stdout
    table = server.kubectl("get", "namespace", f"made-by-create-{server.store}").stdout
    header = table.splitlines()[0].split()
    assert header == ["NAME", "STATUS", "AGE"]
    assert "Active" in table


def test_apply_multi_document_manifest_then_reapply_edit(server, namespace):
    p = server.kubectl("apply", "-n", namespace, "-f", "-", input=app())
    for line in ["deployment.apps/web created", "service/web created", "configmap/web-config created",
                 "secret/web-secret created", "job.batch/once created", "cronjob.batch/tick created",
                 "daemonset.apps/agent created", "statefulset.apps/db created"]:
        assert line in p.stdout, p.stdout
    dep = server.kubectl_json("get", "deployment", "web", "-n", namespace)
    assert dep["spec"]["replicas"] == 2
    assert dep["spec"]["strategy"]["type"] == "RollingUpdate"  # defaulted
    assert dep["metadata"]["generation"] == 1
    svc = server.kubectl_json("get", "service", "web", "-n", namespace)
    assert svc["spec"]["ports"][0]["protocol"] == "TCP"
    secret = server.kubectl_json("get", "secret", "web-secret", "-n", namespace)
    assert secret["data"]["password"] == "czNjcmV0"
    # Apply again with one field changed: only the deployment is configured, the patch is right.
    p = server.kubectl("apply", "-n", namespace, "-f", "-", input=app(image="nginx:1.27"))
    assert "deployment.apps/web configured" in p.stdout, p.stdout
    assert "service/web unchanged" in p.stdout, p.stdout
    dep2 = server.kubectl_json("get", "deployment", "web", "-n", namespace)
    containers = dep2["spec"]["template"]["spec"]["containers"]
    assert [c["image"] for c in containers] == ["nginx:1.27"]
    assert containers[0]["env"] == [{"name": "MODE", "value": "prod"}]
    assert containers[0]["ports"][0]["containerPort"] == 80
    assert dep2["metadata"]["generation"] == 2
    assert "kubectl.kubernetes.io/last-applied-configuration" in dep2["metadata"]["annotations"]


def test_apply_server_side(server, namespace):
    p = server.kubectl("apply", "--server-side", "-n", namespace, "-f", "-", input=pod("ssa"))
    assert "pod/ssa serverside-applied" in p.stdout, p.stdout
    got = server.kubectl_json("get", "pod", "ssa", "-n", namespace, "--show-managed-fields")
    managers = [m["manager"] for m in got["metadata"]["managedFields"]]
    assert "kubectl" in managers
    # Change a label: applied again, the label changes.
    p = server.kubectl("apply", "--server-side", "-n", namespace, "-f", "-", input=pod("ssa", labels="{app: other}"))
    assert "serverside-applied" in p.stdout
    assert server.kubectl_json("get", "pod", "ssa", "-n", namespace)["metadata"]["labels"] == {"app": "other"}


def test_get_output_formats(server, namespace):
    server.kubectl("apply", "-n", namespace, "-f", "-", input=pod("fmt"))
    as_yaml = yaml.safe_load(server.kubectl("get", "pod", "fmt", "-n", namespace, "-o", "yaml").stdout)
    assert as_yaml["kind"] == "Pod" and as_yaml["metadata"]["name"] == "fmt"
    assert as_yaml["spec"]["containers"][0]["imagePullPolicy"] == "Always"
    assert as_yaml["spec"]["restartPolicy"] == "Always"
    as_json = server.kubectl_json("get", "pod", "fmt", "-n", namespace)
    assert as_json["metadata"]["uid"] == as_yaml["metadata"]["uid"]
    wide = server.kubectl("get", "pods", "-n", namespace, "-o", "wide").stdout.splitlines()
    assert wide[0].split()[:7] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"]
    assert wide[1].split()[:3] == ["fmt", "0/1", "Pending"]
    name = server.kubectl("get", "pod", "fmt", "-n", namespace, "-o", "name").stdout.strip()
    assert name == "pod/fmt"
    jp = server.kubectl("get", "pod", "fmt", "-n", namespace, "-o", "jsonpath={.spec.containers[0].name}").stdout
    assert jp == "main"


def test_label_and_field_selectors(server, namespace):
    server.kubectl("apply", "-n", namespace, "-f", "-", input=pod("a1", labels="{app: a, tier: x}"))
    server.kubectl("apply", "-n", namespace, "-f", "-", input=pod("b1", labels="{app: b}"))
    names = server.kubectl("get", "pods", "-n", namespace, "-l", "app=a", "-o", "name").stdout.split()
    assert names == ["pod/a1"]
    names = server.kubectl("get", "pods", "-n", namespace, "-l", "app in (a,b),!tier", "-o", "name").stdout.split()
    assert names == ["pod/b1"]
    names = server.kubectl("get", "pods", "-n", namespace, "--field-selector", "metadata.name=b1", "-o", "name").stdout.split()
    assert names == ["pod/b1"]
    names = server.kubectl("get", "pods", "-n", namespace, "--field-selector", "status.phase!=Running", "-o", "name").stdout.split()
    assert sorted(names) == ["pod/a1", "pod/b1"]
    bad = server.kubectl("get", "pods", "-n", namespace, "-l", "app in (a", check=False)
    assert bad.returncode != 0


def test_get_watch_streams_a_later_change(server, namespace):
    server.kubectl("create", "configmap", "watched", "-n", namespace, "--from-literal=k=v1")
    cmd = [*server.kubectl_cmd("get", "configmaps", "-n", namespace, "-w", "-o", "name", "--request-timeout=0")]
    w = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=server.kubectl_env())
    try:
        first = w.stdout.readline().strip()
        assert first in ("configmap/watched", "configmap/kube-root-ca.crt")
        server.kubectl("create", "configmap", "later", "-n", namespace, "--from-literal=k=v")
        deadline = time.time() + 20
        seen = [first]
        while "configmap/later" not in seen and time.time() < deadline:
            seen.append(w.stdout.readline().strip())
        assert "configmap/later" in seen, seen
    finally:
        w.kill()
        w.wait()


def test_label_annotate_patch(server, namespace):
    server.kubectl("apply", "-n", namespace, "-f", "-", input=pod("pp"))
    server.kubectl("label", "pod", "pp", "-n", namespace, "color=blue")
    server.kubectl("annotate", "pod", "pp", "-n", namespace, "note=first")
    got = server.kubectl_json("get", "pod", "pp", "-n", namespace)
    assert got["metadata"]["labels"]["color"] == "blue"
    assert got["metadata"]["annotations"]["note"] == "first"
    server.kubectl("label", "pod", "pp", "-n", namespace, "color-")
    assert "color" not in server.kubectl_json("get", "pod", "pp", "-n", namespace)["metadata"]["labels"]
    server.kubectl("patch", "pod", "pp", "-n", namespace, "--type=merge", "-p", '{"metadata":{"labels":{"m":"1"}}}')
    server.kubectl("patch", "pod", "pp", "-n", namespace, "--type=json",
                   "-p", '[{"op":"add","path":"/metadata/labels/j","value":"2"}]')
    server.kubectl("patch", "pod", "pp", "-n", namespace, "--type=strategic",
                   "-p", '{"spec":{"containers":[{"name":"main","image":"busybox:1.36"}]}}')
    got = server.kubectl_json("get", "pod", "pp", "-n", namespace)
    assert got["metadata"]["labels"]["m"] == "1" and got["metadata"]["labels"]["j"] == "2"
    assert got["spec"]["containers"][0]["image"] == "busybox:1.36"
    assert got["spec"]["containers"][0]["command"] == ["sleep", "3600"]  # strategic merge kept the rest
    bad = server.kubectl("patch", "pod", "pp", "-n", namespace, "--type=json", "-p", '[{"op":"remove","path":"/nope"}]', check=False)
    assert bad.returncode != 0


def test_scale_deployment_uses_scale_subresource(server, namespace):
    server.kubectl("apply", "-n", namespace, "-f", "-", input=app())
    p = server.kubectl("scale", "deployment", "web", "-n", namespace, "--replicas=5")
    assert "scaled" in p.stdout
    assert server.kubectl_json("get", "deployment", "web", "-n", namespace)["spec"]["replicas"] == 5
    scale = server.request("GET", f"/apis/apps/v1/namespaces/{namespace}/deployments/web/scale")[2]
    assert scale["kind"] == "Scale" and scale["spec"]["replicas"] == 5


def test_delete_and_orphan_and_dry_run(server, namespace):
    server.kubectl("apply", "-n", namespace, "-f", "-", input=pod("dry"), )
    p = server.kubectl("delete", "pod", "dry", "-n", namespace, "--dry-run=server")
    assert "deleted (server dry run)" in p.stdout
    assert server.kubectl("get", "pod", "dry", "-n", namespace, "-o", "name").stdout.strip() == "pod/dry"
    p = server.kubectl("apply", "-n", namespace, "--dry-run=server", "-f", "-", input=pod("never"))
    assert "created (server dry run)" in p.stdout
    assert server.kubectl("get", "pod", "never", "-n", namespace, check=False).returncode != 0
    server.kubectl("delete", "pod", "dry", "-n", namespace, "--wait=true", "--timeout=30s")
    gone = server.kubectl("get", "pod", "dry", "-n", namespace, check=False)
    assert gone.returncode != 0 and "NotFound" in gone.stderr
    server.kubectl("apply", "-n", namespace, "-f", "-", input=app())
    p = server.kubectl("delete", "deployment", "web", "-n", namespace, "--cascade=orphan")
    assert 'deployment.apps "web" deleted' in p.stdout
    p = server.kubectl("delete", "cronjob", "tick", "-n", namespace)
    assert 'cronjob.batch "tick" deleted' in p.stdout


def test_errors_read_like_kubernetes(server, namespace):
    p = server.kubectl("get", "pod", "missing", "-n", namespace, check=False)
    assert p.returncode != 0
    assert 'pods "missing" not found' in p.stderr
    bad = pod("bad").replace("image: busybox", "image: ''")
    p = server.kubectl("apply", "-n", namespace, "-f", "-", input=bad, check=False)
    assert p.returncode != 0
    assert "spec.containers[0].image" in p.stderr and "Required value" in p.stderr
    p = server.kubectl("create", "namespace", "Not_Valid", check=False)
    assert p.returncode != 0 and "Invalid value" in p.stderr


def test_create_deployment_stores_what_kubernetes_stores(server, namespace):
    # kubectl sends protobuf: Go's zero values of non-pointer fields must not reach the object.
    server.kubectl("create", "deployment", "web", "--image=nginx", "-n", namespace)
    dep = server.kubectl_json("get", "deployment", "web", "-n", namespace)
    assert dep["spec"]["replicas"] == 1
    assert "paused" not in dep["spec"]
    assert "minReadySeconds" not in dep["spec"]
    assert "generation" not in dep["spec"]["template"]["metadata"]
    pod_spec = dep["spec"]["template"]["spec"]
    for key in ["hostPID", "hostIPC", "hostNetwork"]:
        assert key not in pod_spec, key
    container = pod_spec["containers"][0]
    for key in ["stdin", "stdinOnce", "tty"]:
        assert key not in container, key
    assert container["image"] == "nginx"


def test_create_deployment_with_zero_replicas_keeps_zero(server, namespace):
    server.kubectl("create", "deployment", "z", "--image=x", "--replicas=0", "--port=8080", "-n", namespace)
    dep = server.kubectl_json("get", "deployment", "z", "-n", namespace)
    assert dep["spec"]["replicas"] == 0
    assert dep["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == 8080


def test_get_events_prints_kubernetes_event_columns(server, namespace):
    event = {
        "apiVersion": "v1", "kind": "Event", "metadata": {"name": "web-1.ev", "namespace": namespace},
        "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": namespace},
        "reason": "Started", "message": "Started container app", "type": "Normal",
        "source": {"component": "kubelet"}, "count": 1,
        "firstTimestamp": "2024-01-01T00:00:00Z", "lastTimestamp": "2024-01-01T00:00:00Z",
    }
    status, _, body = server.request("POST", f"/api/v1/namespaces/{namespace}/events", json.dumps(event))
    assert status == 201, body
    lines = server.kubectl("get", "events", "-n", namespace).stdout.splitlines()
    assert lines[0].split()[:2] == ["LAST", "SEEN"]
    assert lines[0].split()[2:] == ["TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert "pod/web-1" in lines[1] and "Started container app" in lines[1]
    wide = server.kubectl("get", "events", "-n", namespace, "-o", "wide").stdout.splitlines()
    assert wide[0].split()[-1] == "NAME"
    assert wide[1].split()[-1] == "web-1.ev"


def test_autoscale_creates_a_v1_hpa_readable_as_v2(server, namespace):
    server.kubectl("create", "deployment", "web", "--image=nginx", "-n", namespace)
    p = server.kubectl("autoscale", "deployment", "web", "-n", namespace, "--min=2", "--max=5", "--cpu-percent=80")
    assert "autoscaled" in p.stdout
    lines = server.kubectl("get", "hpa", "-n", namespace).stdout.splitlines()
    assert lines[0].split() == ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]
    assert lines[1].split()[:5] == ["web", "Deployment/web", "cpu:", "<unknown>/80%", "2"]
    assert lines[1].split()[5] == "5"
    # Below its minimum the deployment is scaled up to it, metrics or not.
    wait_until(lambda: server.kubectl("get", "hpa", "web", "-n", namespace, "--no-headers").stdout.split()[6] == "2", 30,
               "the autoscaler reporting 2 replicas")
    assert server.kubectl_json("get", "deployment", "web", "-n", namespace)["spec"]["replicas"] == 2
    status, _, v2 = server.request("GET", f"/apis/autoscaling/v2/namespaces/{namespace}/horizontalpodautoscalers/web")
    assert status == 200, v2
    assert v2["apiVersion"] == "autoscaling/v2"
    assert v2["spec"]["metrics"] == [{"type": "Resource", "resource": {
        "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]
    assert v2["spec"]["minReplicas"] == 2 and v2["spec"]["maxReplicas"] == 5
    status, _, v1 = server.request("GET", f"/apis/autoscaling/v1/namespaces/{namespace}/horizontalpodautoscalers/web")
    assert status == 200, v1
    assert v1["apiVersion"] == "autoscaling/v1"
    assert v1["spec"]["targetCPUUtilizationPercentage"] == 80
    assert v1["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}
    assert "metrics" not in v1["spec"]
    bad = server.kubectl("autoscale", "deployment", "web", "--name=bad", "-n", namespace, "--max=5", "--cpu-percent=0",
                         check=False)
    assert bad.returncode != 0


def test_apply_of_a_list_round_trips_get_output(server, namespace):
    for name in ("a", "b"):
        server.kubectl("create", "configmap", name, "-n", namespace, "--from-literal", "k=v1")
    listed = yaml.safe_load(server.kubectl("get", "configmaps", "a", "b", "-n", namespace, "-o", "yaml").stdout)
    assert listed["kind"] == "List"
    for item in listed["items"]:
        item["data"]["k"] = "v2"
    out = server.kubectl("apply", "-n", namespace, "-f", "-", input=yaml.safe_dump(listed)).stdout
    assert "configmap/a configured" in out and "configmap/b configured" in out
    assert server.kubectl_json("get", "configmap", "b", "-n", namespace)["data"]["k"] == "v2"

    bad = {"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "good"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "bad"}, "bogus": 1}]}
    p = server.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps(bad), check=False)
    assert p.returncode != 0
    assert 'unknown field "bogus"' in p.stderr
    assert server.kubectl("get", "configmap", "bad", "-n", namespace, "--ignore-not-found").stdout.strip() == ""
