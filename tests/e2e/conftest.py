"""Fixtures that start the real `flotilla server` (and etcd) on loopback for end-to-end tests."""

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.request

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KUBECTL = os.environ.get("KUBECTL", "/usr/bin/kubectl")
ETCD = os.environ.get("ETCD", shutil.which("etcd") or "/usr/bin/etcd")


def flotilla_binary():
    """The flotilla executable under test: $FLOTILLA_BIN or the debug build."""
    path = os.environ.get("FLOTILLA_BIN", os.path.join(ROOT, ".build", "debug", "flotilla"))
    if not os.path.exists(path):
        raise RuntimeError(f"flotilla binary not found at {path}; run `swift build` first")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, what):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            if predicate():
                return
        except Exception as e:  # noqa: BLE001 - keep polling until the deadline
            last = e
        time.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}: {last}")


class Etcd:
    """A real etcd on free loopback ports with a temporary data dir."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="flotilla-etcd-")
        self.port = free_port()
        peer = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.dir, "etcd.log"), "w")
        self.proc = subprocess.Popen(
            [ETCD, "--name", "e2e", "--data-dir", os.path.join(self.dir, "data"),
             "--listen-client-urls", self.url, "--advertise-client-urls", self.url,
             "--listen-peer-urls", f"http://127.0.0.1:{peer}",
             "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
             "--initial-cluster", f"e2e=http://127.0.0.1:{peer}"],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(lambda: urllib.request.urlopen(self.url + "/health", timeout=1).status == 200, 30, "etcd")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    """A running `flotilla server` process with its data dir, kubeconfig and helpers."""

    def __init__(self, store="sqlite", etcd_url=None, data_dir=None, port=None, agent_args=None):
        """agent_args: None runs the server without its embedded agent; a list runs the agent
        with those extra flags (e.g. --node-name, --pod-cidr, --bridge)."""
        self.store = store
        self.agent_args = agent_args
        self.etcd_url = etcd_url
        self.dir = data_dir or tempfile.mkdtemp(prefix="flotilla-e2e-")
        self.port = port or free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.kubeconfig = os.path.join(self.dir, "admin.kubeconfig")
        self.cache_dir = os.path.join(self.dir, "kubectl-cache")
        self.proc = None
        self.start()

    def start(self):
        args = [flotilla_binary(), "server", "--data-dir", self.dir, "--listen", f"127.0.0.1:{self.port}",
                "--store", self.store]
        if self.store == "etcd":
            args += ["--etcd-endpoints", self.etcd_url]
        args += ["--disable-agent"] if self.agent_args is None else self.agent_args
        self.log = open(os.path.join(self.dir, "server.log"), "a")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(self._ready, 60, "flotilla server /readyz")
        with open(os.path.join(self.dir, "admin.token")) as f:
            self.token = f.read().strip()

    def _ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.dir}/server.log")
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with urllib.request.urlopen(self.url + "/readyz", context=ctx, timeout=1) as r:
            return r.status == 200 and os.path.exists(self.kubeconfig)

    def kill(self, sig=signal.SIGKILL):
        self.proc.send_signal(sig)
        self.proc.wait(30)
        self.log.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.kill(signal.SIGTERM)

    def ssl_context(self):
        return ssl.create_default_context(cafile=os.path.join(self.dir, "pki", "ca.crt"))

    def request(self, method, path, body=None, content_type="application/json", headers=None):
        """One raw HTTPS request; returns (status, headers, parsed JSON or text)."""
        data = body if isinstance(body, (bytes, type(None))) else body.encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.token}")
        if data is not None and content_type:
            req.add_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, context=self.ssl_context(), timeout=30) as r:
                status, hdrs, raw = r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            status, hdrs, raw = e.code, dict(e.headers), e.read()
        try:
            return status, hdrs, json.loads(raw)
        except ValueError:
            return status, hdrs, raw.decode(errors="replace")

    def kubectl_cmd(self, *args):
        """The argv of a kubectl command against this server."""
        return [KUBECTL, "--kubeconfig", self.kubeconfig, "--cache-dir", self.cache_dir, *args]

    def kubectl_env(self):
        """kubectl's environment: HOME in the data dir so nothing leaks between runs."""
        return {**os.environ, "HOME": self.dir}

    def kubectl(self, *args, input=None, check=True, timeout=60):
        """Runs the real kubectl against this server; returns the CompletedProcess."""
        p = subprocess.run(self.kubectl_cmd(*args), input=input, capture_output=True, text=True,
                           timeout=timeout, env=self.kubectl_env())
        if check and p.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
        return p

    def kubectl_json(self, *args):
        return json.loads(self.kubectl(*args, "-o", "json").stdout)


@pytest.fixture(scope="session")
def etcd():
    e = Etcd()
    yield e
    e.stop()


@pytest.fixture(scope="session", params=["sqlite", "etcd"])
def server(request):
    """The server under test, once with the embedded SQLite store and once with a real etcd."""
    if request.param == "etcd":
        s = Server(store="etcd", etcd_url=request.getfixturevalue("etcd").url)
    else:
        s = Server()
    yield s
    s.stop()
    shutil.rmtree(s.dir, ignore_errors=True)


@pytest.fixture
def namespace(server, request):
    """A fresh namespace per test (and per parameter), named after it, deleted afterwards with
    everything in it (so that the pods of one test's deployments do not land on the next
    test's nodes)."""
    digest = hashlib.sha1(request.node.name.encode()).hexdigest()[:8]
    name = "t-" + request.node.name.split("[")[0].replace("_", "-")[:40].strip("-") + "-" + digest
    server.kubectl("create", "namespace", name)
    yield name
    server.kubectl("delete", "namespace", name, "--timeout=60s", check=False)


class SimulatedAgent:
    """A `flotilla agent --simulate N` process carrying hollow nodes for a server."""

    def __init__(self, server, count, prefix, *extra):
        self.server = server
        self.prefix = prefix
        self.log_path = os.path.join(server.dir, f"agent-{prefix}.log")
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [flotilla_binary(), "agent", "--server", server.url, "--token", server.token,
             "--certificate-authority", os.path.join(server.dir, "pki", "ca.crt"),
             "--simulate", str(count), "--node-name", prefix, *extra],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.names = names = {f"{prefix}-{i}" for i in range(count)}

        def registered():
            if self.proc.poll() is not None:
                raise RuntimeError(f"agent exited with {self.proc.returncode}; see {self.log_path}")
            nodes = server.kubectl_json("get", "nodes")["items"]
            return names <= {n["metadata"]["name"] for n in nodes}
        wait_until(registered, 60, f"{count} hollow nodes {prefix}-*")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()
        self.server.kubectl("delete", "node", "--ignore-not-found", *sorted(self.names), check=False)


@contextlib.contextmanager
def hollow_cluster(nodes, prefix):
    """A server with `nodes` hollow nodes (names starting with `prefix`), removed afterwards."""
    server = Server()
    agent = SimulatedAgent(server, nodes, prefix)
    try:
        yield server
    finally:
        agent.stop()
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


def make_namespace(server, request, prefix):
    """Creates a namespace named after the test (and its parameters) for it; returns its name."""
    digest = hashlib.sha1(request.node.name.encode()).hexdigest()[:6]
    name = prefix + "-" + request.node.name.split("[")[0].replace("_", "-")[5:45].strip("-") + "-" + digest
    server.kubectl("create", "namespace", name)
    return name


class Registry:
    """Debian's docker-registry on a loopback port (tests/images/run-registry), holding the
    busybox test image built from busybox-static (tests/images/build-busybox)."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="flotilla-registry-")
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.log = open(os.path.join(self.dir, "registry.log"), "a")
        self.proc = subprocess.Popen(
            [os.path.join(ROOT, "tests", "images", "run-registry"), os.path.join(self.dir, "data"), str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT)

        def serving():
            if self.proc.poll() is not None:
                raise RuntimeError(f"registry exited; see {self.dir}/registry.log")
            with urllib.request.urlopen(f"http://{self.host}/v2/", timeout=1) as r:
                return r.status == 200
        wait_until(serving, 30, "the registry")
        self.busybox = f"{self.host}/busybox:1"
        subprocess.run(
            [os.path.join(ROOT, "tests", "images", "build-busybox"), os.path.join(self.dir, "layout"), "1",
             "--push", self.busybox], check=True, capture_output=True)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def registry():
    r = Registry()
    yield r
    r.stop()


class Node:
    """A `flotilla server` with its embedded agent running pods in real containers (containerd,
    runc, the CNI bridge), on a pod subnet and bridge of its own."""

    def __init__(self):
        suffix = os.urandom(3).hex()
        self.name = "e2e-" + suffix
        self.bridge = "fle" + suffix
        self.subnet_prefix = f"10.244.{100 + int(suffix[:2], 16) % 100}"
        self.server = Server(agent_args=["--node-name", self.name, "--pod-cidr", self.subnet_prefix + ".0/24",
                                         "--bridge", self.bridge, "--horizontal-pod-autoscaler-sync-period", "3"])
        wait_until(self._ready, 90, f"node {self.name} Ready")

    def _ready(self):
        node = self.server.kubectl_json("get", "node", self.name)
        return any(c["type"] == "Ready" and c["status"] == "True" for c in node["status"]["conditions"])

    @property
    def containerd_socket(self):
        return os.path.join(self.server.dir, "agent", "containerd", "containerd.sock")

    def containers(self):
        """The ids of every container in the node's containerd (CRI namespace k8s.io)."""
        out = subprocess.run(["ctr", "-a", self.containerd_socket, "-n", "k8s.io", "containers", "ls", "-q"],
                             capture_output=True, text=True, check=True).stdout
        return set(out.split())

    def agent_log(self, lines=40):
        """The agent's last log lines, for failure messages."""
        with open(os.path.join(self.server.dir, "server.log")) as log:
            return "".join([line for line in log if "flotilla.agent" in line][-lines:])

    def stop(self):
        """Deletes every workload and pod (so no container outlives the test), stops the server and its
        containerd, and removes the bridge and the data directory."""
        s = self.server
        if s.proc.poll() is None:
            # Controllers first, or they would replace the pods.
            s.kubectl("delete", "deployments,replicasets,statefulsets,daemonsets,cronjobs,jobs", "--all", "--all-namespaces", "--cascade=orphan", check=False)
            s.kubectl("delete", "pods", "--all", "--all-namespaces", "--grace-period=1", "--wait=false", check=False)
            try:
                wait_until(lambda: not s.kubectl_json("get", "pods", "--all-namespaces")["items"], 60, "every pod gone")
            except TimeoutError as e:
                left = s.kubectl("get", "pods", "--all-namespaces", "-o", "wide", check=False).stdout
                raise AssertionError(f"{e} (kept {s.dir})\n{left}\nagent log:\n{self.agent_log()}") from None
            finally:
                s.stop()
                subprocess.run(["ip", "link", "delete", self.bridge], capture_output=True)
        shutil.rmtree(s.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def node():
    n = Node()
    yield n
    n.stop()


class RemoteAgent:
    """A separate `flotilla agent` process running pods through its own containerd for a server
    that runs without an embedded agent. Its node address is 127.0.0.1 and it serves its HTTPS
    endpoints (logs, exec, top, ...) on a free loopback port."""

    def __init__(self, server):
        suffix = os.urandom(3).hex()
        self.server = server
        self.name = "agent-" + suffix
        self.bridge = "fla" + suffix
        self.subnet_prefix = f"10.244.{int(suffix[:2], 16) % 90 + 10}"
        self.dir = tempfile.mkdtemp(prefix="flotilla-agent-")
        self.log_path = os.path.join(self.dir, "agent.log")
        self.port = free_port()
        self.start()

    def start(self):
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [flotilla_binary(), "agent", "--server", self.server.url, "--token", self.server.token,
             "--certificate-authority", os.path.join(self.server.dir, "pki", "ca.crt"), "--node-name", self.name,
             "--data-dir", self.dir, "--pod-cidr", self.subnet_prefix + ".0/24", "--bridge", self.bridge,
             "--lease-interval", "2", "--node-ip", "127.0.0.1", "--address", "127.0.0.1", "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT)

        def registered():
            if self.proc.poll() is not None:
                raise RuntimeError(f"agent exited with {self.proc.returncode}; see {self.log_path}")
            node = self.server.kubectl_json("get", "node", self.name)
            return any(c["type"] == "Ready" and c["status"] == "True" for c in node["status"]["conditions"])
        wait_until(registered, 90, f"node {self.name} registered")

    def containers(self):
        socket_path = os.path.join(self.dir, "containerd", "containerd.sock")
        out = subprocess.run(["ctr", "-a", socket_path, "-n", "k8s.io", "tasks", "ls"],
                             capture_output=True, text=True, check=True).stdout
        return {line.split()[0]: line.split()[-1] for line in out.splitlines()[1:] if line.strip()}

    def stop(self):
        """Stops the agent (and its containerd) and removes its bridge and directory; the caller
        deletes its pods first."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()
        subprocess.run(["ip", "link", "delete", self.bridge], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
