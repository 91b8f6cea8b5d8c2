"""`flotilla agent --runtime process`: pods as host processes, without containerd, for a server
that runs no agent of its own."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import Server, flotilla_binary, free_port, wait_until
from test_agent_pods import container_status, eventually_get, pod_manifest, running


class ProcessAgent:
    """A `flotilla agent --runtime process` for `server`, with its data in a directory of its own."""

    def __init__(self, server):
        self.server = server
        self.name = "proc-" + os.urandom(3).hex()
        self.dir = tempfile.mkdtemp(prefix="flotilla-process-agent-")
        self.log_path = os.path.join(self.dir, "agent.log")
        self.port = free_port()
        self.start()

    def start(self):
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [flotilla_binary(), "agent", "--runtime", "process", "--server", self.server.url, "--token", self.server.token,
             "--certificate-authority", os.path.join(self.server.dir, "pki", "ca.crt"), "--node-name", self.name,
             "--data-dir", self.dir, "--lease-interval", "2", "--node-ip", "127.0.0.1", "--address", "127.0.0.1",
             "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT)

        def ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"agent exited with {self.proc.returncode}; see {self.log_path}")
            node = self.server.kubectl_json("get", "node", self.name)
            return any(c["type"] == "Ready" and c["status"] == "True" for c in node["status"]["conditions"])
        wait_until(ready, 60, f"node {self.name} Ready")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(30)
        self.log.close()

    def container_pid(self, container_id):
        """The host process id of a container's program, from the state its shim wrote."""
        with open(os.path.join(self.dir, "process", "containers", container_id, "launch.json")) as f:
            return json.load(f)["pid"]

    def processes(self):
        """Host processes whose command line names the agent's directory (its shims)."""
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/cmdline", "rb") as f:
                        if self.dir.encode() in f.read():
                            found.append(int(entry))
                except OSError:
                    pass
        return found

    def log_entries(self, namespace, pod, uid, container, attempt=0):
        """The CRI log entries of a container instance: (stream, text) pairs."""
        path = os.path.join(self.dir, "logs", f"{namespace}_{pod}_{uid}", container, f"{attempt}.log")
        with open(path) as f:
            return [tuple(line.rstrip("\n").split(" ", 3)[1::2]) for line in f if line.strip()]


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def cluster():
    server = Server()
    agent = ProcessAgent(server)
    server.kubectl("create", "namespace", "proc")
    yield server, agent
    server.kubectl("delete", "pods", "--all", "-n", "proc", "--grace-period=1", check=False)
    try:
        wait_until(lambda: not server.kubectl_json("get", "pods", "-n", "proc")["items"], 60, "pods gone")
    finally:
        agent.stop()
        server.stop()
        leftovers = agent.processes()
        shutil.rmtree(server.dir, ignore_errors=True)
        if not leftovers:
            shutil.rmtree(agent.dir, ignore_errors=True)
        assert not leftovers, f"processes left running: {leftovers}"


def get(server, name):
    return server.kubectl_json("get", "pod", name, "-n", "proc")


def create(server, agent, manifest):
    manifest["spec"]["nodeName"] = agent.name
    server.kubectl("apply", "-n", "proc", "-f", "-", input=json.dumps(manifest))


def test_node_tells_its_runtime(cluster):
    server, agent = cluster
    node = server.kubectl_json("get", "node", agent.name)
    assert node["status"]["nodeInfo"]["containerRuntimeVersion"].startswith("process://")
    assert node["metadata"]["annotations"]["flotilla.io/runtime"] == "process"
    # The server assigns every node a pod subnet; process-runtime pods share the node's address instead.
    assert node["spec"]["podCIDR"].startswith("10.244.")


def test_pod_runs_as_a_host_process_with_its_output_logged(cluster, registry):
    server, agent = cluster
    port = free_port()
    script = f"echo hello from a process; echo to stderr >&2; mkdir -p /www; echo served > /www/index.html; exec httpd -f -p {port} -h /www"
    create(server, agent, pod_manifest("web", [{"name": "web", "image": registry.busybox, "command": ["sh", "-c", script]}]))
    wait_until(lambda: running(get(server, "web")), 60, "web Running")
    pod = get(server, "web")
    node_ip = next(a["address"] for a in server.kubectl_json("get", "node", agent.name)["status"]["addresses"]
                   if a["type"] == "InternalIP")
    # Pods use the node's network: the pod's address is the node's.
    assert pod["status"]["podIP"] == node_ip == pod["status"]["hostIP"]
    assert eventually_get(node_ip, port, "/index.html") == "served\n"
    status = container_status(pod, "web")
    assert status["containerID"].startswith("process://")
    pid = agent.container_pid(status["containerID"].split("://")[1])
    assert alive(pid)
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        assert f.read().split(b"\0")[0] == b"httpd"
    # The log is in the CRI format, which kubectl logs reads through the agent's endpoint.
    entries = agent.log_entries("proc", "web", pod["metadata"]["uid"], "web")
    assert ("stdout", "hello from a process") in entries
    assert ("stderr", "to stderr") in entries
    logs = server.kubectl("logs", "web", "-n", "proc").stdout
    assert "hello from a process\n" in logs and "to stderr\n" in logs
    # Streams are not served, and kubectl says why.
    refused = server.kubectl("exec", "web", "-n", "proc", "--", "true", check=False)
    assert refused.returncode != 0
    assert "the process runtime does not serve exec/attach/port-forward streams" in refused.stderr


def test_every_refused_exec_ends_with_the_reason(cluster, registry):
    """The agent refuses at once, in the `101` it answers the server's relay with; each refusal
    reaches kubectl and ends the command (frames that came with the `101` were once lost now and
    then, and kubectl waited a minute for a reason that never came)."""
    server, agent = cluster
    create(server, agent, pod_manifest("refuses", [{"name": "main", "image": registry.busybox,
                                                    "command": ["sh", "-c", "exec sleep 3600"]}]))
    wait_until(lambda: running(get(server, "refuses")), 60, "refuses Running")
    for attempt in range(40):
        refused = server.kubectl("exec", "refuses", "-n", "proc", "--", "true", check=False, timeout=15)
        assert refused.returncode != 0, f"attempt {attempt}"
        assert "the process runtime does not serve exec/attach/port-forward streams" in refused.stderr, f"attempt {attempt}"


def test_a_failing_container_is_reported_and_restarted(cluster, registry):
    server, agent = cluster
    create(server, agent, pod_manifest("fails", [{"name": "fails", "image": registry.busybox, "command": ["sh", "-c", "exit 3"]}],
                                       restartPolicy="OnFailure"))

    def restarted_after_exit_3():
        statuses = get(server, "fails")["status"].get("containerStatuses", [])
        if not statuses:
            return False
        last = statuses[0].get("lastState", {}).get("terminated") or statuses[0].get("state", {}).get("terminated")
        return statuses[0].get("restartCount", 0) >= 1 and last and last["exitCode"] == 3
    wait_until(restarted_after_exit_3, 90, "fails restarted after exiting 3")
    terminated = container_status(get(server, "fails"), "fails")["lastState"]["terminated"]
    assert terminated["reason"] == "Error"


def test_agent_restart_adopts_running_containers(cluster, registry):
    server, agent = cluster
    create(server, agent, pod_manifest("steady", [{"name": "steady", "image": registry.busybox,
                                                   "command": ["sh", "-c", "exec sleep 3600"]}]))
    wait_until(lambda: running(get(server, "steady")), 60, "steady Running")
    before = container_status(get(server, "steady"), "steady")
    pid = agent.container_pid(before["containerID"].split("://")[1])

    agent.stop()
    assert alive(pid), "the container ended with the agent"
    agent.start()
    time.sleep(8)  # several syncs of the new agent
    after = container_status(get(server, "steady"), "steady")
    assert after["containerID"] == before["containerID"]
    assert after["restartCount"] == before["restartCount"]
    assert after["state"]["running"]["startedAt"] == before["state"]["running"]["startedAt"]
    assert alive(pid)


def test_deleting_a_pod_stops_its_processes(cluster, registry):
    server, agent = cluster
    create(server, agent, pod_manifest("doomed", [{"name": "doomed", "image": registry.busybox,
                                                   "command": ["sh", "-c", "sleep 3600 & exec sleep 3600"]}]))
    wait_until(lambda: running(get(server, "doomed")), 60, "doomed Running")
    container_id = container_status(get(server, "doomed"), "doomed")["containerID"].split("://")[1]
    pid = agent.container_pid(container_id)
    assert alive(pid)
    server.kubectl("delete", "pod", "doomed", "-n", "proc", "--grace-period=2")
    wait_until(lambda: server.kubectl("get", "pod", "doomed", "-n", "proc", check=False).returncode != 0, 60, "doomed gone")
    assert not alive(pid)
    container_dir = os.path.join(agent.dir, "process", "containers", container_id)
    wait_until(lambda: not os.path.exists(container_dir), 30, "the container's directory removed")
    assert not [p for p in agent.processes() if container_id in open(f"/proc/{p}/cmdline").read()]


def test_volumes_environment_and_exec_probes(cluster, registry):
    server, agent = cluster
    server.kubectl("create", "configmap", "settings", "-n", "proc", "--from-literal=greeting=hi there")
    script = "echo \"$GREETING\" > /scratch/greeting; cat /settings/greeting; echo; touch /tmp/ready; exec sleep 3600"
    manifest = pod_manifest("configured", [{
        "name": "app", "image": registry.busybox, "command": ["sh", "-c", script],
        "env": [{"name": "GREETING", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "greeting"}}}],
        "volumeMounts": [{"name": "scratch", "mountPath": "/scratch"}, {"name": "settings", "mountPath": "/settings"}],
        "readinessProbe": {"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 1},
    }], volumes=[{"name": "scratch", "emptyDir": {}}, {"name": "settings", "configMap": {"name": "settings"}}])
    create(server, agent, manifest)
    wait_until(lambda: running(get(server, "configured")), 60, "configured Running and ready (exec probe)")
    pod = get(server, "configured")
    assert server.kubectl("logs", "configured", "-n", "proc").stdout == "hi there\n"
    scratch = os.path.join(agent.dir, "pods", pod["metadata"]["uid"], "volumes", "empty-dir", "scratch", "greeting")
    with open(scratch) as f:
        assert f.read() == "hi there\n"
