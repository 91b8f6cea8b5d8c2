"""Pod connections through the API server to real containers: kubectl exec (exit codes, stdin,
a terminal), kubectl cp both ways, kubectl port-forward and kubectl attach, and the requests
the API server refuses."""

import base64
import os
import pty
import select
import subprocess
import time
import urllib.request

import pytest

from conftest import free_port, wait_until
from test_agent_pods import apply, httpd, ns, pod_manifest, running, wait_pod  # noqa: F401 (ns is a fixture)


def sleeper(image, name="box"):
    return {"name": name, "image": image, "command": ["sleep", "100000"]}


def start_sleeper(node, ns, registry, name="box"):
    apply(node, ns, pod_manifest(name, [sleeper(registry.busybox)]))
    wait_pod(node, ns, name, running, "Running")


def test_kubectl_exec_passes_output_and_the_exit_code(node, ns, registry):
    start_sleeper(node, ns, registry)
    k = node.server.kubectl
    assert k("exec", "-n", ns, "box", "--", "echo", "hello", "world").stdout == "hello world\n"
    failed = k("exec", "-n", ns, "box", "--", "sh", "-c", "echo out; echo err >&2; exit 3", check=False)
    assert failed.returncode == 3, failed.stderr
    assert failed.stdout == "out\n" and "err\n" in failed.stderr
    missing = k("exec", "-n", ns, "box", "--", "/no/such/binary", check=False)
    assert missing.returncode != 0
    assert k("exec", "-n", ns, "box", "-c", "box", "--", "cat", "/proc/1/cmdline").stdout == "sleep\x00100000\x00"


def test_kubectl_exec_with_stdin_sees_its_end(node, ns, registry):
    start_sleeper(node, ns, registry)
    k = node.server.kubectl
    assert k("exec", "-i", "-n", ns, "box", "--", "cat", input="line one\nline two\n").stdout == "line one\nline two\n"
    big = "".join(f"{i:07d}\n" for i in range(40000))  # 320 KB, many stdin messages
    counted = k("exec", "-i", "-n", ns, "box", "--", "sh", "-c", "wc -c; exit 5", input=big, check=False)
    assert counted.returncode == 5 and counted.stdout.strip() == str(len(big))


def test_kubectl_exec_with_a_terminal(node, ns, registry):
    start_sleeper(node, ns, registry)
    leader, follower = pty.openpty()
    proc = subprocess.Popen(node.server.kubectl_cmd("exec", "-it", "-n", ns, "box", "--", "sh", "-c", "tty; stty size; exit 4"),
                            stdin=follower, stdout=follower, stderr=follower, env=node.server.kubectl_env(), close_fds=True)
    os.close(follower)
    output = b""
    deadline = time.time() + 30
    while time.time() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        elif proc.poll() is not None:
            break
    os.close(leader)
    assert proc.wait(timeout=10) == 4, output
    text = output.decode(errors="replace")
    assert "/dev/pts/" in text, text


def test_kubectl_cp_into_a_pod_and_out_of_it(node, ns, registry, tmp_path):
    start_sleeper(node, ns, registry)
    k = node.server.kubectl
    source = tmp_path / "up.bin"
    content = os.urandom(200_000)
    source.write_bytes(content)
    k("cp", str(source), f"{ns}/box:/tmp/up.bin")
    digest = k("exec", "-n", ns, "box", "--", "md5sum", "/tmp/up.bin").stdout.split()[0]
    import hashlib
    assert digest == hashlib.md5(content).hexdigest()

    k("exec", "-n", ns, "box", "--", "sh", "-c", "mkdir -p /tmp/out/sub && echo first > /tmp/out/a.txt && echo second > /tmp/out/sub/b.txt")
    k("cp", f"{ns}/box:/tmp/out", str(tmp_path / "down"))
    assert (tmp_path / "down" / "a.txt").read_text() == "first\n"
    assert (tmp_path / "down" / "sub" / "b.txt").read_text() == "second\n"
    k("cp", f"{ns}/box:/tmp/up.bin", str(tmp_path / "back.bin"))
    assert (tmp_path / "back.bin").read_bytes() == content


def test_kubectl_port_forward_fetches_the_page(node, ns, registry):
    apply(node, ns, pod_manifest("web", [httpd(registry.busybox, text="through-the-tunnel")]))
    wait_pod(node, ns, "web", running, "Running")
    port = free_port()
    proc = subprocess.Popen(node.server.kubectl_cmd("port-forward", "-n", ns, "pod/web", f"{port}:8080"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=node.server.kubectl_env())
    try:
        line = proc.stdout.readline()
        assert f"Forwarding from 127.0.0.1:{port} -> 8080" in line, line + proc.stderr.read() if proc.poll() is not None else line
        for _ in range(3):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10) as r:
                assert r.read().decode() == "through-the-tunnel\n"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/missing", timeout=10) as r:
            pytest.fail("a missing page was served")
    except urllib.error.HTTPError as e:
        assert e.code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_kubectl_attach_streams_the_containers_output(node, ns, registry):
    ticker = {"name": "ticker", "image": registry.busybox,
              "command": ["sh", "-c", "sleep 2; for i in 1 2 3 4 5 6; do echo tick-$i; sleep 0.5; done"]}
    apply(node, ns, pod_manifest("ticker", [ticker], restartPolicy="Never"))
    wait_pod(node, ns, "ticker", running, "Running")
    out = node.server.kubectl("attach", "-n", ns, "ticker", check=False, timeout=30)
    assert "tick-6\n" in out.stdout, out.stdout + out.stderr


def websocket_headers(protocol="v5.channel.k8s.io"):
    return {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(), "Sec-WebSocket-Protocol": protocol}


def test_connection_requests_that_cannot_be_served_are_refused(node, ns, registry):
    apply(node, ns, pod_manifest("two", [httpd(registry.busybox, name="a"), sleeper(registry.busybox, name="b")]))
    wait_pod(node, ns, "two", running, "Running")
    request = node.server.request
    base = f"/api/v1/namespaces/{ns}/pods"
    ws = websocket_headers

    status, _, body = request("GET", f"{base}/two/exec?container=a&stdout=true")
    assert status == 400 and body["reason"] == "BadRequest" and "command" in body["message"]
    status, _, body = request("GET", f"{base}/two/exec?command=ls&stdout=true")
    assert status == 400 and body["message"] == "a container name must be specified for pod two, choose one of: [a b]"
    status, _, body = request("GET", f"{base}/two/exec?command=ls&container=nope")
    assert status == 400 and body["message"] == "container nope is not valid for pod two"
    status, _, body = request("GET", f"{base}/two/exec?command=ls&container=a&stdin=maybe")
    assert status == 400 and "stdin" in body["message"]
    status, _, body = request("GET", f"{base}/two/exec?command=ls&container=a&stdout=false&stderr=false")
    assert status == 400 and "at least one of stdin, stdout, stderr" in body["message"]
    status, _, body = request("GET", f"{base}/ghost/exec?command=ls")
    assert status == 404 and body["reason"] == "NotFound"
    status, _, body = request("GET", f"{base}/two/exec?command=ls&container=a")
    assert status == 400 and body["message"] == "Upgrade request required"
    status, _, body = request("GET", f"{base}/two/portforward?ports=http")
    assert status == 400 and "ports" in body["message"]
    status, _, body = request("POST", f"{base}/two/attach?container=b&tty=perhaps")
    assert status == 400 and "tty" in body["message"]
    # An upgrade in a protocol the server does not speak is refused.
    status, _, _ = request("GET", f"{base}/two/exec?command=ls&container=a", headers=ws("v1.bogus.k8s.io"))
    assert status == 400
    # Over an accepted websocket, the failure comes on the error channel, as kubectl shows it.
    wrong = node.server.kubectl("exec", "-n", ns, "two", "-c", "nope", "--", "ls", check=False)
    assert wrong.returncode != 0 and "container nope is not valid for pod two" in wrong.stderr, wrong.stderr

    apply(node, ns, pod_manifest("nowhere", [sleeper(registry.busybox)], nodeSelector={"no-such": "node"}))
    status, _, body = request("GET", f"{base}/nowhere/exec?command=ls")
    assert status == 400 and body["message"] == "pod nowhere does not have a host assigned"

    ghost = node.server.kubectl("exec", "-n", ns, "ghost", "--", "ls", check=False)
    assert ghost.returncode != 0 and 'pods "ghost" not found' in ghost.stderr


def test_the_python_client_execs_over_the_v4_channel_protocol(node, ns, registry):
    from kubernetes import client, config
    from kubernetes.stream import stream
    start_sleeper(node, ns, registry)
    api = client.CoreV1Api(config.new_client_from_config(node.server.kubeconfig))
    out = stream(api.connect_get_namespaced_pod_exec, "box", ns, command=["sh", "-c", "echo v4-out"],
                 stderr=True, stdin=False, stdout=True, tty=False)
    assert out == "v4-out\n"
    session = stream(api.connect_get_namespaced_pod_exec, "box", ns, command=["sh", "-c", "read line; echo got-$line; exit 7"],
                     stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
    session.write_stdin("hello\n")
    session.run_forever(timeout=20)
    assert session.read_stdout() == "got-hello\n"
    assert session.returncode == 7
