"""What pods take from the API at start: environment variables and volume files from ConfigMaps,
Secrets and the pod's own fields, through the server's embedded agent and real containers."""

import hashlib
import json

import pytest

from conftest import wait_until
from test_agent_pods import apply, container_status, eventually_get, pod_manifest, running, wait_pod


@pytest.fixture
def ns(node, request):
    digest = hashlib.sha1(request.node.name.encode()).hexdigest()[:6]
    name = "c-" + request.node.name.replace("_", "-")[:40].strip("-") + "-" + digest
    node.server.kubectl("create", "namespace", name)
    yield name


def config_objects(node, ns):
    k = node.server.kubectl
    k("create", "configmap", "settings", "-n", ns, "--from-literal=greeting=hello", "--from-literal=color=blue")
    k("create", "secret", "generic", "creds", "-n", ns, "--from-literal=password=s3cret", "--from-literal=user=ada")


def serving(image, script, mounts=None):
    """A container that runs `script` to fill /www/index.html, then serves /www on port 8080."""
    container = {"name": "app", "image": image,
                 "command": ["sh", "-c", f"mkdir -p /www; ({script}) > /www/index.html 2>&1; exec httpd -f -p 8080 -h /www"]}
    if mounts:
        container["volumeMounts"] = mounts
    return container


def test_environment_from_configmaps_secrets_and_the_pod(node, ns, registry):
    config_objects(node, ns)
    app = serving(registry.busybox, "env")
    app["env"] = [
        {"name": "PLAIN", "value": "one"},
        {"name": "EXPANDED", "value": "$(PLAIN)-two $$(PLAIN) $(UNDEFINED)"},
        {"name": "GREETING", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "greeting"}}},
        {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}},
        {"name": "MAYBE", "valueFrom": {"configMapKeyRef": {"name": "absent", "key": "x", "optional": True}}},
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
        {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
        {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
        {"name": "TIER", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['tier']"}}},
        {"name": "MEMORY_MI", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
    ]
    app["envFrom"] = [{"configMapRef": {"name": "settings"}, "prefix": "CM_"}, {"secretRef": {"name": "creds"}}]
    app["args"] = ["$(GREETING)"]
    app["resources"] = {"limits": {"memory": "64Mi"}}
    pod = pod_manifest("env", [app])
    pod["metadata"]["labels"] = {"tier": "web"}
    apply(node, ns, pod)
    pod = wait_pod(node, ns, "env", running, "Running")
    ip = pod["status"]["podIP"]
    env = dict(line.split("=", 1) for line in eventually_get(ip, 8080, "/index.html").splitlines() if "=" in line)
    assert env["PLAIN"] == "one"
    assert env["EXPANDED"] == "one-two $(PLAIN) $(UNDEFINED)"
    assert env["GREETING"] == "hello" and env["PASSWORD"] == "s3cret"
    assert "MAYBE" not in env
    assert env["POD_NAME"] == "env" and env["POD_NAMESPACE"] == ns and env["NODE_NAME"] == node.name
    assert env["POD_IP"] == ip and env["TIER"] == "web" and env["MEMORY_MI"] == "64"
    assert env["CM_greeting"] == "hello" and env["CM_color"] == "blue"
    assert env["password"] == "s3cret" and env["user"] == "ada"


def test_configmap_secret_downward_and_projected_volumes(node, ns, registry):
    config_objects(node, ns)
    script = ("for f in /etc/settings/greeting /etc/settings/color /etc/only/hello.txt /etc/creds/password "
              "/etc/pod/name /etc/pod/labels /etc/all/greeting /etc/all/user; do echo \"$f=$(cat $f)\"; done; "
              "grep ' /etc/creds ' /proc/mounts; stat -c 'mode=%a' /etc/only/hello.txt; "
              "touch /etc/settings/new 2>/dev/null || echo read-only")
    mounts = [{"name": n, "mountPath": p} for n, p in
              [("settings", "/etc/settings"), ("only", "/etc/only"), ("creds", "/etc/creds"), ("pod", "/etc/pod"),
               ("all", "/etc/all")]]
    volumes = [
        {"name": "settings", "configMap": {"name": "settings"}},
        {"name": "only", "configMap": {"name": "settings", "items": [{"key": "greeting", "path": "hello.txt", "mode": 0o600}]}},
        {"name": "creds", "secret": {"secretName": "creds"}},
        {"name": "pod", "downwardAPI": {"items": [{"path": "name", "fieldRef": {"fieldPath": "metadata.name"}},
                                                  {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
        {"name": "all", "projected": {"sources": [{"configMap": {"name": "settings"}}, {"secret": {"name": "creds"}}]}},
    ]
    pod = pod_manifest("files", [serving(registry.busybox, script, mounts)], volumes=volumes)
    pod["metadata"]["labels"] = {"app": "files", "tier": "web"}
    apply(node, ns, pod)
    pod = wait_pod(node, ns, "files", running, "Running")
    out = eventually_get(pod["status"]["podIP"], 8080, "/index.html")
    lines = out.splitlines()
    assert "/etc/settings/greeting=hello" in lines and "/etc/settings/color=blue" in lines
    assert "/etc/only/hello.txt=hello" in lines and "mode=600" in lines
    assert "/etc/creds/password=s3cret" in lines
    assert "/etc/pod/name=files" in lines
    assert '/etc/pod/labels=app="files"' in lines and 'tier="web"' in lines
    assert "/etc/all/greeting=hello" in lines and "/etc/all/user=ada" in lines
    assert any(line.startswith("tmpfs /etc/creds ") for line in lines), out
    assert "read-only" in lines


def test_a_missing_configmap_holds_the_container_until_it_exists(node, ns, registry):
    app = serving(registry.busybox, "echo $GREETING")
    app["env"] = [{"name": "GREETING", "valueFrom": {"configMapKeyRef": {"name": "later", "key": "greeting"}}}]
    apply(node, ns, pod_manifest("waiting", [app]))
    pod = wait_pod(node, ns, "waiting",
                   lambda p: container_status(p, "app")["state"].get("waiting", {}).get("reason") == "CreateContainerConfigError",
                   "CreateContainerConfigError")
    assert container_status(pod, "app")["state"]["waiting"]["message"] == 'configmap "later" not found'
    assert pod["status"]["phase"] == "Pending"
    node.server.kubectl("create", "configmap", "later", "-n", ns, "--from-literal=greeting=finally")
    pod = wait_pod(node, ns, "waiting", running, "Running once the ConfigMap exists", timeout=30)
    assert eventually_get(pod["status"]["podIP"], 8080, "/index.html") == "finally\n"


def test_a_missing_secret_volume_is_reported(node, ns, registry):
    app = serving(registry.busybox, "true", [{"name": "s", "mountPath": "/s"}])
    apply(node, ns, pod_manifest("nosecret", [app], volumes=[{"name": "s", "secret": {"secretName": "ghost"}}]))
    pod = wait_pod(node, ns, "nosecret",
                   lambda p: container_status(p, "app")["state"].get("waiting", {}).get("reason") == "CreateContainerConfigError",
                   "CreateContainerConfigError")
    message = container_status(pod, "app")["state"]["waiting"]["message"]
    assert 'volume "s"' in message and 'secret "ghost" not found' in message


def test_configmap_changes_reach_the_volume_of_a_running_pod(node, ns, registry):
    config_objects(node, ns)
    app = {"name": "app", "image": registry.busybox, "command": ["httpd", "-f", "-p", "8080", "-h", "/etc/settings"],
           "volumeMounts": [{"name": "settings", "mountPath": "/etc/settings"}]}
    apply(node, ns, pod_manifest("live", [app], volumes=[{"name": "settings", "configMap": {"name": "settings"}}]))
    pod = wait_pod(node, ns, "live", running, "Running")
    ip = pod["status"]["podIP"]
    assert eventually_get(ip, 8080, "/greeting") == "hello"
    patch = json.dumps({"data": {"greeting": "changed"}})
    node.server.kubectl("patch", "configmap", "settings", "-n", ns, "--type=merge", "-p", patch)
    wait_until(lambda: eventually_get(ip, 8080, "/greeting") == "changed", 30, "the changed file")
    assert container_status(node.server.kubectl_json("get", "pod", "live", "-n", ns), "app")["restartCount"] == 0


def test_image_pull_secrets_log_in_to_the_registry(node, ns, tmp_path):
    """A registry on loopback that wants a login: pods pull from it only with an imagePullSecret."""
    import os
    import subprocess

    from conftest import ROOT, free_port

    port = free_port()
    log = open(tmp_path / "registry.log", "w")
    registry = subprocess.Popen([os.path.join(ROOT, "tests", "images", "run-registry"), str(tmp_path / "data"), str(port),
                                 "puller:s3cret"], stdout=log, stderr=subprocess.STDOUT)
    try:
        host = f"127.0.0.1:{port}"

        def serving():
            import urllib.error
            import urllib.request
            try:
                urllib.request.urlopen(f"http://{host}/v2/", timeout=1)
            except urllib.error.HTTPError as e:
                return e.code == 401
            return False
        wait_until(serving, 30, "the registry that wants a login")
        image = f"{host}/private/busybox:1"
        subprocess.run([os.path.join(ROOT, "tests", "images", "build-busybox"), str(tmp_path / "layout"), "1",
                        "--push", image, "--creds", "puller:s3cret"], check=True, capture_output=True)
        app = {"name": "app", "image": image, "command": ["sleep", "100000"]}
        apply(node, ns, pod_manifest("anonymous", [app]))
        pod = wait_pod(node, ns, "anonymous",
                       lambda p: container_status(p, "app")["state"].get("waiting", {}).get("reason") in ("ErrImagePull", "ImagePullBackOff"),
                       "ErrImagePull without a login")
        node.server.kubectl("create", "secret", "docker-registry", "regcred", "-n", ns, f"--docker-server={host}",
                            "--docker-username=puller", "--docker-password=s3cret")
        apply(node, ns, pod_manifest("authorized", [app], imagePullSecrets=[{"name": "regcred"}]))
        try:
            wait_pod(node, ns, "authorized", running, "Running with the pull secret")
        except AssertionError as e:
            raise AssertionError(f"{e}\n{node.agent_log(10)}") from None
        assert pod["status"]["phase"] == "Pending"
    finally:
        registry.terminate()
        registry.wait(10)
        log.close()


def test_the_service_account_credentials_are_mounted_and_authenticate(node, ns, registry):
    credentials = "/var/run/secrets/kubernetes.io/serviceaccount"
    script = (f"echo namespace=$(cat {credentials}/namespace); echo token=$(cat {credentials}/token); "
              f"echo ca-begin; cat {credentials}/ca.crt; echo; echo ca-end; grep serviceaccount /proc/mounts")
    apply(node, ns, pod_manifest("creds", [serving(registry.busybox, script)]))
    pod = wait_pod(node, ns, "creds", running, "Running")
    assert pod["spec"]["serviceAccountName"] == "default"
    out = eventually_get(pod["status"]["podIP"], 8080, "/index.html")
    lines = out.splitlines()
    assert f"namespace={ns}" in lines, out
    token = next(line[len("token="):] for line in lines if line.startswith("token="))
    assert token.count(".") == 2, out
    ca = "\n".join(lines[lines.index("ca-begin") + 1:lines.index("ca-end")]).strip()
    with open(f"{node.server.dir}/pki/ca.crt") as f:
        assert ca.strip() == f.read().strip()
    assert any(line.startswith("tmpfs ") for line in lines if "serviceaccount" in line), out

    whoami = json.loads(node.server.kubectl("--token", token, "auth", "whoami", "-o", "json").stdout)
    assert whoami["status"]["userInfo"]["username"] == f"system:serviceaccount:{ns}:default"
    review = json.loads(node.server.kubectl("create", "-f", "-", "-o", "json", input=json.dumps({
        "apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": token}})).stdout)
    assert review["status"]["authenticated"] is True


def test_a_pod_of_a_missing_service_account_is_refused(node, ns):
    pod = pod_manifest("lost", [{"name": "app", "image": "busybox"}])
    pod["spec"]["serviceAccountName"] = "ghost"
    refused = node.server.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(pod), check=False)
    assert refused.returncode != 0
    assert 'error looking up service account' in refused.stderr and 'serviceaccount "ghost" not found' in refused.stderr
