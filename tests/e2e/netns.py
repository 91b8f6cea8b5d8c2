"""A multi-node cluster on one host for end-to-end tests: each node agent in a network namespace of
its own, wired to a host bridge, like machines on one LAN.

    host bridge fltnXXXXXX 172.30.X.1/24  ── flotilla server (API on 172.30.X.1), registry
      ├─ veth ── netns fltnXXXXXX-0  eth0 172.30.X.10  flotilla agent node-0 (own containerd, bridge flotilla0)
      ├─ veth ── netns fltnXXXXXX-1  eth0 172.30.X.11  flotilla agent node-1
      └─ ...

Agents run under `nsenter --net=/run/netns/NS`, which enters the namespace's network only:
`ip netns exec` also gives the process a mount namespace with a fresh /sys, where the host's
cgroup mounts are missing, and runc then fails with "no cgroup mount found in mountinfo".
Short commands (`ip route`, curl-like probes) use `ip netns exec`.

Use `Cluster` as a context manager (or call `close()`): it tears everything down, pods first,
even when a test fails.
"""

import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import http.server
import urllib.request

from conftest import ROOT, Server, flotilla_binary, free_port, wait_until


def run(*argv, check=True, timeout=60):
    """Runs a host command; returns the CompletedProcess (text output)."""
    p = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


def _host_networks_text():
    return run("ip", "-4", "route", "show", "table", "all").stdout + run("ip", "-4", "-o", "addr", "show").stdout


class NamespaceNetwork:
    """A host bridge with address 172.30.X.1/24 (X a free number from 100 to 199) and `count`
    network namespaces, namespace i with a veth to the bridge, address 172.30.X.(10+i)/24, lo up
    and a default route via the bridge."""

    def __init__(self, count):
        self.id = os.urandom(3).hex()
        self.bridge = "fltn" + self.id
        used = _host_networks_text()
        free = [x for x in range(100, 200) if f"172.30.{x}." not in used]
        if not free:
            raise RuntimeError("no free 172.30.X.0/24 (X in 100..199) on this host")
        self.octet = random.choice(free)
        self.gateway = f"172.30.{self.octet}.1"
        self.namespaces = []
        try:
            run("ip", "link", "add", self.bridge, "type", "bridge")
            run("ip", "addr", "add", self.gateway + "/24", "dev", self.bridge)
            run("ip", "link", "set", self.bridge, "up")
            for i in range(count):
                self.add_namespace(i)
        except BaseException:
            self.close()
            raise

    def namespace(self, i):
        return f"{self.bridge}-{i}"

    def address(self, i):
        """Namespace i's address on the test network."""
        return f"172.30.{self.octet}.{10 + i}"

    def add_namespace(self, i):
        """Adds namespace i (i from 0 to 189), wired to the bridge."""
        ns, veth = self.namespace(i), f"{self.bridge}v{i}"
        run("ip", "netns", "add", ns)
        self.namespaces.append(ns)
        run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
        run("ip", "link", "set", veth, "master", self.bridge, "up")
        self.exec(i, "ip", "addr", "add", self.address(i) + "/24", "dev", "eth0")
        self.exec(i, "ip", "link", "set", "eth0", "up")
        self.exec(i, "ip", "link", "set", "lo", "up")
        self.exec(i, "ip", "route", "add", "default", "via", self.gateway)

    def exec(self, i, *argv, check=True, timeout=60):
        """Runs a short command in namespace i (`ip netns exec`)."""
        return run("ip", "netns", "exec", self.namespace(i), *argv, check=check, timeout=timeout)

    def enter_command(self, i, argv):
        """The argv that runs `argv` in namespace i's network, in the host's mount namespace."""
        return ["nsenter", f"--net=/run/netns/{self.namespace(i)}", *argv]

    def routes(self, i):
        """Namespace i's IPv4 main routing table, one route a line."""
        return self.exec(i, "ip", "-4", "route", "show").stdout

    def close(self):
        """Deletes the namespaces (and with them their veths) and the bridge."""
        for ns in self.namespaces:
            run("ip", "netns", "delete", ns, check=False)
        self.namespaces = []
        run("ip", "link", "delete", self.bridge, check=False)


class NetworkServer(Server):
    """`flotilla server --disable-agent` listening on the test network's host address (its serving
    certificate then covers that address)."""

    def __init__(self, host):
        self.host = host
        super().__init__()

    def start(self):
        self.url = f"https://{self.host}:{self.port}"
        args = [flotilla_binary(), "server", "--data-dir", self.dir, "--listen", f"{self.host}:{self.port}",
                "--store", self.store, "--disable-agent"]
        self.log = open(os.path.join(self.dir, "server.log"), "a")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(self._ready, 60, "flotilla server /readyz")
        with open(os.path.join(self.dir, "admin.token")) as f:
            self.token = f.read().strip()


class NetworkRegistry:
    """docker-registry on the test network's host address (tests/images/run-registry), holding the
    busybox test image; agents reach it with --insecure-registry."""

    def __init__(self, host):
        self.dir = tempfile.mkdtemp(prefix="flotilla-registry-")
        self.host = f"{host}:{free_port()}"
        self.log = open(os.path.join(self.dir, "registry.log"), "a")
        self.proc = subprocess.Popen(
            [os.path.join(ROOT, "tests", "images", "run-registry"), os.path.join(self.dir, "data"), self.host],
            stdout=self.log, stderr=subprocess.STDOUT)

        def serving():
            if self.proc.poll() is not None:
                raise RuntimeError(f"registry exited; see {self.dir}/registry.log")
            with urllib.request.urlopen(f"http://{self.host}/v2/", timeout=1) as r:
                return r.status == 200
        try:
            wait_until(serving, 30, "the registry")
            self.busybox = f"{self.host}/busybox:1"
            run(os.path.join(ROOT, "tests", "images", "build-busybox"), os.path.join(self.dir, "layout"), "1",
                "--push", self.busybox, timeout=180)
        except BaseException:
            self.stop()
            raise

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class NamespaceAgent:
    """`flotilla agent` for node `name` in namespace i of `network`, with its own containerd under
    its data directory and its pod bridge `flotilla0` inside the namespace."""

    def __init__(self, network, i, server, registry, name, pod_cidr=None, extra=()):
        self.network, self.index, self.server, self.name = network, i, server, name
        self.address = network.address(i)
        self.dir = tempfile.mkdtemp(prefix="flotilla-ns-agent-")
        self.log_path = os.path.join(self.dir, "agent.log")
        args = [flotilla_binary(), "agent", "--server", server.url, "--token", server.token,
                "--certificate-authority", os.path.join(server.dir, "pki", "ca.crt"), "--node-name", name,
                "--data-dir", self.dir, "--node-ip", self.address, "--address", self.address, "--port", "10250",
                "--bridge", "flotilla0", "--insecure-registry", registry.host, "--lease-interval", "2", *extra]
        if pod_cidr:
            args += ["--pod-cidr", pod_cidr]
        self.args = args
        self.start()

    def start(self):
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen(self.network.enter_command(self.index, self.args), stdout=self.log, stderr=subprocess.STDOUT)

    def restart(self):
        """Stops the agent and starts it again with the same flags; its containers keep running."""
        self.stop()
        self.start()

    @property
    def containerd_socket(self):
        return os.path.join(self.dir, "containerd", "containerd.sock")

    def running(self):
        return self.proc.poll() is None

    def ready(self):
        if not self.running():
            raise RuntimeError(f"agent {self.name} exited with {self.proc.returncode}; see {self.log_path}:\n{self.log_tail()}")
        status, _, node = self.server.request("GET", f"/api/v1/nodes/{self.name}")
        return status == 200 and any(
            c["type"] == "Ready" and c["status"] == "True" for c in node.get("status", {}).get("conditions", []))

    def log_tail(self, lines=30):
        with open(self.log_path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])

    def ctr(self, *argv, check=False):
        return run("ctr", "-a", self.containerd_socket, "-n", "k8s.io", *argv, check=check)

    def remove_containers(self):
        """Kills and removes every container left in the agent's containerd (which must be running)."""
        for task in self.ctr("tasks", "ls", "-q").stdout.split():
            self.ctr("tasks", "kill", "-s", "SIGKILL", task)
        for _ in range(50):
            tasks = self.ctr("tasks", "ls", "-q").stdout.split()
            for task in tasks:
                self.ctr("tasks", "rm", "-f", task)
            if not tasks:
                break
            time.sleep(0.1)
        for container in self.ctr("containers", "ls", "-q").stdout.split():
            self.ctr("containers", "rm", container)

    def stop(self):
        """SIGTERM, then SIGKILL after 30 s; the agent stops its containerd, not its containers."""
        if self.running():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if not self.log.closed:
            self.log.close()

    def shims(self):
        """The process ids of the containerd shims serving this agent's containers."""
        pids = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
            except OSError:
                continue
            if argv and b"containerd-shim" in argv[0] and self.containerd_socket.encode() in argv:
                pids.append(int(pid))
        return pids

    def remove_leftovers(self):
        """Removes the containers a stopped agent left running, through a containerd started again
        on its configuration for the purpose, then its data directory."""
        config = os.path.join(self.dir, "containerd", "config.toml")
        if os.path.exists(config) and not self.running() and self.shims():
            with open(os.path.join(self.dir, "cleanup-containerd.log"), "a") as log:
                containerd = subprocess.Popen(self.network.enter_command(self.index, ["containerd", "--config", config]),
                                              stdout=log, stderr=subprocess.STDOUT)
                try:
                    wait_until(lambda: self.ctr("version").returncode == 0, 30, f"containerd of {self.name} for clean-up")
                    self.remove_containers()
                finally:
                    containerd.terminate()
                    containerd.wait(15)
        shutil.rmtree(self.dir, ignore_errors=True)


def _free_pod_octets(count):
    """`count` consecutive third octets N of 10.244.N.0/24, from 200 to 249, that no rule in the
    host's nat table names (pods of other clusters on this host leave masquerade rules for their
    addresses there, and bridged traffic passes through the host's nat table)."""
    rules = run("iptables", "-w", "-t", "nat", "-S").stdout
    starts = [n for n in range(200, 250 - count + 1)
              if not any(f"10.244.{m}." in rules for m in range(n, n + count))]
    if not starts:
        raise RuntimeError("no free 10.244.N.0/24 subnets from 200 to 249 on this host")
    start = random.choice(starts)
    return list(range(start, start + count))


class Cluster:
    """A server, a registry and `nodes` agents, each in its own network namespace, on one test
    network. With `assign_pod_cidrs`, each agent gets an explicit --pod-cidr of its own;
    without, the agents take the subnets the server assigns. `spare_subnets` more subnets are
    kept free for nodes a test adds (``next_pod_cidr``)."""

    def __init__(self, nodes=3, assign_pod_cidrs=True, spare_subnets=2):
        self.network = NamespaceNetwork(nodes)
        self.server = None
        self.registry = None
        self.agents = []
        try:
            self.server = NetworkServer(self.network.gateway)
            self.registry = NetworkRegistry(self.network.gateway)
            self.pod_cidrs = [f"10.244.{octet}.0/24" for octet in _free_pod_octets(nodes + spare_subnets)]
            for i in range(nodes):
                self.add_agent(i, self.next_pod_cidr() if assign_pod_cidrs else None)
            for agent in self.agents:
                wait_until(agent.ready, 120, f"node {agent.name} Ready")
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def next_pod_cidr(self):
        """A pod subnet of 10.244.0.0/16 that no node of this cluster and no rule of the host uses."""
        return self.pod_cidrs.pop(0)

    def add_agent(self, i, pod_cidr=None):
        agent = NamespaceAgent(self.network, i, self.server, self.registry, f"node-{i}-{self.network.id}", pod_cidr)
        self.agents.append(agent)
        return agent

    def kubectl(self, *args, **kwargs):
        return self.server.kubectl(*args, **kwargs)

    def node(self, i):
        return self.server.kubectl_json("get", "node", self.agents[i].name)

    def run_pod(self, name, i, command, namespace="default", labels=None):
        """Creates a busybox pod `name` running `command` pinned to node i (spec.nodeName)."""
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
               "spec": {"nodeName": self.agents[i].name, "terminationGracePeriodSeconds": 1,
                        "containers": [{"name": "main", "image": self.registry.busybox, "command": command}]}}
        self.kubectl("apply", "-f", "-", input=json.dumps(pod))

    def wait_running(self, name, namespace="default", timeout=90):
        """Waits until pod `name` runs; returns its pod IP."""
        def running():
            pod = self.server.kubectl_json("get", "pod", name, "-n", namespace)
            return pod["status"].get("phase") == "Running" and pod["status"].get("podIP")
        try:
            wait_until(running, timeout, f"pod {name} Running")
        except TimeoutError as e:
            raise AssertionError(f"{e}\n{self.kubectl('describe', 'pod', name, '-n', namespace, check=False).stdout}") from None
        return self.server.kubectl_json("get", "pod", name, "-n", namespace)["status"]["podIP"]

    def exec(self, name, *command, namespace="default", check=True, timeout=60):
        return self.kubectl("exec", "-n", namespace, name, "--", *command, check=check, timeout=timeout)

    def delete_pods(self, timeout=90):
        """Deletes every workload and pod through the API and waits until they are gone."""
        s = self.server
        s.kubectl("delete", "deployments,replicasets,daemonsets,statefulsets,jobs", "--all", "--all-namespaces",
                  "--cascade=orphan", check=False)
        s.kubectl("delete", "pods", "--all", "--all-namespaces", "--grace-period=1", "--wait=false", check=False)
        wait_until(lambda: not s.kubectl_json("get", "pods", "--all-namespaces")["items"], timeout, "every pod gone")

    def close(self):
        """Deletes the pods, removes leftover containers, stops the agents, the registry and the
        server, and removes the network and every directory; goes on past each failure."""
        errors = []
        if self.server is not None and self.server.proc.poll() is None and any(a.running() for a in self.agents):
            try:
                self.delete_pods()
            except Exception as e:  # noqa: BLE001 - clean up the rest regardless
                errors.append(e)
        for agent in self.agents:
            if agent.running():
                agent.remove_containers()
            agent.stop()
        for agent in self.agents:
            try:
                agent.remove_leftovers()
            except Exception as e:  # noqa: BLE001
                errors.append(e)
        if self.registry is not None:
            self.registry.stop()
        if self.server is not None:
            self.server.stop()
            shutil.rmtree(self.server.dir, ignore_errors=True)
        self.network.close()
        if errors:
            raise AssertionError(f"clean-up failed: {errors}")


class HTTPEcho:
    """A tiny HTTP server on `host` that answers every GET with the client's address and port, so
    that a test sees the source address a request arrived with."""

    def __init__(self, host):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = f"{self.client_address[0]}\n".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
