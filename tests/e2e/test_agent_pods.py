"""Pods as real containers: the server's embedded agent runs them through containerd and runc,
wired by the CNI bridge, from an image the test built and pushed to a registry on loopback."""

import hashlib
import ipaddress
import json
import time
import urllib.request

import pytest

from conftest import wait_until


@pytest.fixture
def ns(node, request):
    digest = hashlib.sha1(request.node.name.encode()).hexdigest()[:6]
    name = "a-" + request.node.name.replace("_", "-")[:40].strip("-") + "-" + digest
    node.server.kubectl("create", "namespace", name)
    yield name


def apply(node, ns, pod):
    node.server.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(pod))


def pod_manifest(name, containers, **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": containers, "terminationGracePeriodSeconds": 5, **spec}}


def get_pod(node, ns, name):
    return node.server.kubectl_json("get", "pod", "-n", ns, name)


def wait_pod(node, ns, name, predicate, what, timeout=60):
    """Polls the pod until predicate(pod) holds; returns the pod."""
    seen = {}

    def check():
        seen["pod"] = get_pod(node, ns, name)
        return predicate(seen["pod"])
    try:
        wait_until(check, timeout, f"pod {name}: {what}")
    except TimeoutError as e:
        raise AssertionError(f"{e}\nlast status: {json.dumps(seen.get('pod', {}).get('status'), indent=1)}") from None
    return seen["pod"]


def running(pod):
    return pod["status"].get("phase") == "Running" and all(
        c.get("ready") for c in pod["status"].get("containerStatuses", []))


def container_status(pod, name, kind="containerStatuses"):
    return next(c for c in pod["status"].get(kind, []) if c["name"] == name)


def http_get(ip, port, path="/", timeout=2):
    with urllib.request.urlopen(f"http://{ip}:{port}{path}", timeout=timeout) as r:
        return r.read().decode()


def eventually_get(ip, port, path, timeout=30):
    result = {}

    def fetch():
        result["body"] = http_get(ip, port, path)
        return True
    wait_until(fetch, timeout, f"http://{ip}:{port}{path}")
    return result["body"]


def httpd(image, name="web", root="/www", port=8080, text="hello", mounts=None):
    """A busybox httpd container serving `text` as index.html from `root`."""
    container = {"name": name, "image": image,
                 "command": ["sh", "-c", f"mkdir -p {root}; echo {text} > {root}/index.html; exec httpd -f -p {port} -h {root}"]}
    if mounts:
        container["volumeMounts"] = mounts
    return container


def test_pod_runs_with_an_ip_and_answers_http_from_the_host(node, ns, registry):
    apply(node, ns, pod_manifest("web", [httpd(registry.busybox, text="hello-from-a-pod")]))
    pod = wait_pod(node, ns, "web", running, "Running and ready")
    status = pod["status"]
    assert ipaddress.ip_address(status["podIP"]) in ipaddress.ip_network(node.subnet_prefix + ".0/24")
    assert status["podIPs"] == [{"ip": status["podIP"]}]
    assert status["hostIP"] and pod["spec"]["nodeName"] == node.name
    web = container_status(pod, "web")
    assert web["containerID"].startswith("containerd://") and web["restartCount"] == 0
    assert "running" in web["state"] and web["imageID"]
    conditions = {c["type"]: c["status"] for c in status["conditions"]}
    assert conditions["Ready"] == conditions["ContainersReady"] == conditions["Initialized"] == "True"
    assert eventually_get(status["podIP"], 8080, "/index.html") == "hello-from-a-pod\n"
    wide = node.server.kubectl("get", "pod", "web", "-n", ns, "-o", "wide").stdout
    assert status["podIP"] in wide and node.name in wide and "Running" in wide


def test_a_deployments_pods_run_with_ips_and_answer_http(node, ns, registry):
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                  "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [httpd(registry.busybox, text="from-a-deployment")],
                                                 "terminationGracePeriodSeconds": 5}}}}
    node.server.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(deployment))
    node.server.kubectl("rollout", "status", "deployment/web", "-n", ns, "--timeout=90s", timeout=100)
    pods = node.server.kubectl_json("get", "pods", "-n", ns, "-l", "app=web")["items"]
    assert len(pods) == 2 and all(running(p) for p in pods)
    ips = {p["status"]["podIP"] for p in pods}
    assert len(ips) == 2
    for ip in ips:
        assert eventually_get(ip, 8080, "/index.html") == "from-a-deployment\n"
    ready = node.server.kubectl("get", "deployment", "web", "-n", ns, "--no-headers").stdout.split()
    assert ready[:2] == ["web", "2/2"], ready


def test_containers_of_a_pod_share_localhost_and_an_empty_dir(node, ns, registry):
    data = [{"name": "data", "mountPath": "/data"}]
    writer = {"name": "writer", "image": registry.busybox, "volumeMounts": data,
              "command": ["sh", "-c",
                          "echo written-by-writer > /data/index.html; "
                          "until wget -qO /data/seen.html http://127.0.0.1:8080/index.html; do sleep 0.2; done; "
                          "exec sleep 100000"]}
    apply(node, ns, pod_manifest("pair", [writer, httpd(registry.busybox, name="server", root="/data", text="x",
                                                       mounts=data)],
                                 volumes=[{"name": "data", "emptyDir": {}}]))
    pod = wait_pod(node, ns, "pair", running, "both containers Running")
    ip = pod["status"]["podIP"]
    # The server wrote index.html at start, the writer may have overwritten it; what the writer
    # fetched over localhost from the server lands in the shared volume, served back by the server.
    assert eventually_get(ip, 8080, "/seen.html") in ("x\n", "written-by-writer\n")


def test_init_containers_run_in_order_before_the_containers(node, ns, registry):
    data = [{"name": "data", "mountPath": "/data"}]
    inits = [{"name": f"init-{i}", "image": registry.busybox, "volumeMounts": data,
              "command": ["sh", "-c", f"echo step-{i} >> /data/index.html"]} for i in (1, 2)]
    server = {"name": "server", "image": registry.busybox, "volumeMounts": data,
              "command": ["httpd", "-f", "-p", "8080", "-h", "/data"]}
    apply(node, ns, pod_manifest("ordered", [server], initContainers=inits,
                                 volumes=[{"name": "data", "emptyDir": {}}]))
    pod = wait_pod(node, ns, "ordered", running, "Running after its init containers")
    for i in (1, 2):
        terminated = container_status(pod, f"init-{i}", "initContainerStatuses")["state"]["terminated"]
        assert terminated["exitCode"] == 0 and terminated["reason"] == "Completed"
    assert eventually_get(pod["status"]["podIP"], 8080, "/index.html") == "step-1\nstep-2\n"


def test_a_failing_container_is_restarted_with_back_off(node, ns, registry):
    apply(node, ns, pod_manifest("crasher", [{"name": "app", "image": registry.busybox,
                                              "command": ["sh", "-c", "echo going; exit 3"]}]))
    pod = wait_pod(node, ns, "crasher",
                   lambda p: container_status(p, "app")["restartCount"] >= 1
                   and container_status(p, "app")["state"].get("waiting", {}).get("reason") == "CrashLoopBackOff",
                   "CrashLoopBackOff after a restart", timeout=60)
    app = container_status(pod, "app")
    assert "back-off" in app["state"]["waiting"]["message"]
    last = app["lastState"]["terminated"]
    assert last["exitCode"] == 3 and last["reason"] == "Error"
    assert pod["status"]["phase"] == "Running"
    listing = node.server.kubectl("get", "pod", "crasher", "-n", ns).stdout
    assert "CrashLoopBackOff" in listing


def test_a_container_over_its_memory_limit_is_oom_killed(node, ns, registry):
    hog = {"name": "hog", "image": registry.busybox, "command": ["sh", "-c", "tail /dev/zero"],
           "resources": {"limits": {"memory": "24Mi"}}}
    apply(node, ns, pod_manifest("hog", [hog], restartPolicy="Never"))
    pod = wait_pod(node, ns, "hog", lambda p: p["status"].get("phase") == "Failed", "Failed", timeout=60)
    terminated = container_status(pod, "hog")["state"]["terminated"]
    assert terminated["reason"] == "OOMKilled" and terminated["exitCode"] == 137


def test_run_to_completion_under_restart_policy_never(node, ns, registry):
    apply(node, ns, pod_manifest("once", [{"name": "job", "image": registry.busybox, "command": ["true"]}],
                                 restartPolicy="Never"))
    pod = wait_pod(node, ns, "once", lambda p: p["status"].get("phase") == "Succeeded", "Succeeded")
    terminated = container_status(pod, "job")["state"]["terminated"]
    assert terminated["exitCode"] == 0 and terminated["reason"] == "Completed"
    assert "Completed" in node.server.kubectl("get", "pod", "once", "-n", ns).stdout


def test_a_missing_image_is_reported_and_other_pods_are_undisturbed(node, ns, registry):
    missing = registry.host + "/no-such-image:1"
    apply(node, ns, pod_manifest("missing", [{"name": "app", "image": missing}]))
    apply(node, ns, pod_manifest("fine", [httpd(registry.busybox)]))
    pod = wait_pod(node, ns, "missing",
                   lambda p: container_status(p, "app")["state"].get("waiting", {}).get("reason")
                   in ("ErrImagePull", "ImagePullBackOff"), "ErrImagePull", timeout=60)
    waiting = container_status(pod, "app")["state"]["waiting"]
    assert "no-such-image" in waiting.get("message", "") or waiting["reason"] == "ImagePullBackOff"
    assert pod["status"]["phase"] == "Pending"
    wait_pod(node, ns, "fine", running, "Running beside a pod that cannot start")


def test_graceful_deletion_stops_the_containers_then_removes_the_pod(node, ns, registry):
    # The container leaves at once on SIGTERM; the pod is gone when its container is.
    polite = {"name": "app", "image": registry.busybox,
              "command": ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.2; done"]}
    apply(node, ns, pod_manifest("polite", [polite]))
    pod = wait_pod(node, ns, "polite", running, "Running")
    container_id = container_status(pod, "app")["containerID"].split("://")[1]
    assert container_id in node.containers()
    start = time.time()
    node.server.kubectl("delete", "pod", "polite", "-n", ns, "--timeout=30s")
    assert time.time() - start < 5
    assert container_id not in node.containers()

    # One that ignores SIGTERM is killed after its grace period.
    stubborn = {"name": "app", "image": registry.busybox,
                "command": ["sh", "-c", "trap '' TERM; while true; do sleep 0.2; done"]}
    apply(node, ns, pod_manifest("stubborn", [stubborn], terminationGracePeriodSeconds=2))
    wait_pod(node, ns, "stubborn", running, "Running")
    start = time.time()
    node.server.kubectl("delete", "pod", "stubborn", "-n", ns, "--timeout=30s")
    assert 1.5 <= time.time() - start < 10

    # A deletion's own grace period overrides the spec's.
    apply(node, ns, pod_manifest("hurried", [stubborn], terminationGracePeriodSeconds=60))
    wait_pod(node, ns, "hurried", running, "Running")
    start = time.time()
    node.server.kubectl("delete", "pod", "hurried", "-n", ns, "--grace-period=1", "--timeout=30s")
    assert time.time() - start < 10


def test_running_containers_survive_a_server_restart_and_are_adopted(node, ns, registry):
    apply(node, ns, pod_manifest("steady", [httpd(registry.busybox, text="still-here")]))
    before = wait_pod(node, ns, "steady", running, "Running")
    container_id = container_status(before, "web")["containerID"]
    ip = before["status"]["podIP"]
    assert eventually_get(ip, 8080, "/index.html") == "still-here\n"

    node.server.kill()  # SIGKILL: no graceful stop; containerd and the shims outlive the server
    assert http_get(ip, 8080, "/index.html") == "still-here\n"
    node.server.start()
    # The agent is back once the node's lease is renewed again and the pod is re-synced.
    after = wait_pod(node, ns, "steady", running, "Running after the restart")
    web = container_status(after, "web")
    assert web["containerID"] == container_id and web["restartCount"] == 0
    assert after["status"]["podIP"] == ip
    assert http_get(ip, 8080, "/index.html") == "still-here\n"
    # The restarted agent still acts on changes.
    node.server.kubectl("delete", "pod", "steady", "-n", ns, "--timeout=30s")
    assert container_id.split("://")[1] not in node.containers()


def test_kubectl_logs_reads_the_containers_output(node, ns, registry):
    counter = {"name": "counter", "image": registry.busybox,
               "command": ["sh", "-c", "for i in 1 2 3 4 5; do echo line-$i; done; sleep 0.5; echo to-stderr >&2; exec sleep 100000"]}
    apply(node, ns, pod_manifest("talker", [counter]))
    wait_pod(node, ns, "talker", running, "Running")
    k = node.server.kubectl
    wait_until(lambda: "to-stderr" in k("logs", "talker", "-n", ns).stdout, 20, "the log lines")
    assert k("logs", "talker", "-n", ns).stdout == "line-1\nline-2\nline-3\nline-4\nline-5\nto-stderr\n"
    assert k("logs", "talker", "-n", ns, "--tail=2").stdout == "line-5\nto-stderr\n"
    assert k("logs", "talker", "-n", ns, "--limit-bytes=9").stdout == "line-1\nli"
    stamped = k("logs", "talker", "-n", ns, "--timestamps", "--tail=1").stdout
    stamp, text = stamped.rstrip("\n").split(" ", 1)
    assert text == "to-stderr" and stamp.endswith("Z") and "T" in stamp
    assert k("logs", "talker", "-n", ns, "--since=1h").stdout.startswith("line-1\n")
    assert k("logs", "talker", "-n", ns, "-c", "counter").stdout.startswith("line-1\n")


def test_kubectl_logs_follows_until_the_container_ends(node, ns, registry):
    ticker = {"name": "ticker", "image": registry.busybox,
              "command": ["sh", "-c", "for i in 1 2 3 4 5 6; do echo tick-$i; sleep 0.5; done"]}
    apply(node, ns, pod_manifest("ticker", [ticker], restartPolicy="Never"))
    wait_pod(node, ns, "ticker", lambda p: p["status"].get("phase") in ("Running", "Succeeded"), "started")
    out = node.server.kubectl("logs", "-f", "ticker", "-n", ns, timeout=30).stdout
    assert out.endswith("tick-5\ntick-6\n"), out


def test_kubectl_logs_previous_shows_the_last_run(node, ns, registry):
    app = {"name": "app", "image": registry.busybox, "command": ["sh", "-c", "echo run-at-$(date +%s%N); exit 1"]}
    apply(node, ns, pod_manifest("again", [app]))
    wait_pod(node, ns, "again", lambda p: container_status(p, "app")["restartCount"] >= 1, "restarted", timeout=60)
    k = node.server.kubectl
    previous = k("logs", "again", "-n", ns, "-p").stdout
    assert previous.startswith("run-at-")
    missing = k("logs", "talker-none", "-n", ns, check=False)
    assert missing.returncode != 0 and "not found" in missing.stderr


def test_log_requests_that_cannot_be_served_are_refused(node, ns, registry):
    apply(node, ns, pod_manifest("two", [httpd(registry.busybox, name="a"),
                                         {"name": "b", "image": registry.busybox, "command": ["sleep", "100000"]}]))
    k = node.server.kubectl
    status, _, body = node.server.request("GET", f"/api/v1/namespaces/{ns}/pods/two/log")
    assert status == 400 and body["message"] == "a container name must be specified for pod two, choose one of: [a b]"
    wrong = k("logs", "two", "-n", ns, "-c", "nope", check=False)
    assert wrong.returncode != 0 and "container nope is not valid for pod two" in wrong.stderr
    base = f"/api/v1/namespaces/{ns}/pods/two/log?container=a"
    status, _, body = node.server.request("GET", base + "&tailLines=-1")
    assert status == 422 and body["details"]["causes"][0]["field"] == "tailLines"
    status, _, body = node.server.request("GET", base + "&limitBytes=abc")
    assert status == 400 and "limitBytes" in body["message"]
    status, _, body = node.server.request("GET", base + "&sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z")
    assert status == 422 and "at most one of" in body["message"]
    status, _, body = node.server.request("GET", f"/api/v1/namespaces/{ns}/pods/ghost/log")
    assert status == 404
