"""A separate agent keeps its pods running while the server is away and catches up when it returns."""

import json
import shutil
import time

from conftest import RemoteAgent, Server, wait_until
from test_agent_pods import container_status, eventually_get, http_get, httpd, pod_manifest, running


def test_containers_keep_running_while_the_server_is_down(registry):
    server = Server()
    agent = None
    try:
        agent = RemoteAgent(server)
        k = server.kubectl
        k("create", "namespace", "faults")
        first = pod_manifest("first", [httpd(registry.busybox, text="first")])
        first["spec"]["nodeName"] = agent.name
        k("apply", "-n", "faults", "-f", "-", input=json.dumps(first))

        def get(name):
            return server.kubectl_json("get", "pod", name, "-n", "faults")
        wait_until(lambda: running(get("first")), 60, "first pod Running")
        before = get("first")
        ip = before["status"]["podIP"]
        container_id = container_status(before, "web")["containerID"].split("://")[1]
        assert eventually_get(ip, 8080, "/index.html") == "first\n"

        server.kill()
        time.sleep(60)
        assert agent.proc.poll() is None, "the agent exited while the server was down"
        assert agent.containers().get(container_id) == "RUNNING"
        assert http_get(ip, 8080, "/index.html") == "first\n"

        server.start()
        # Changes made as the server returns are applied: one pod goes, another comes.
        k("delete", "pod", "first", "-n", "faults", "--wait=false")
        second = pod_manifest("second", [httpd(registry.busybox, text="second")])
        second["spec"]["nodeName"] = agent.name
        k("apply", "-n", "faults", "-f", "-", input=json.dumps(second))
        wait_until(lambda: running(get("second")), 90, "second pod Running after the server returned")
        assert eventually_get(get("second")["status"]["podIP"], 8080, "/index.html") == "second\n"
        wait_until(lambda: k("get", "pod", "first", "-n", "faults", check=False).returncode != 0, 60, "first pod gone")
        assert container_id not in agent.containers()
        lease = server.kubectl_json("get", "lease", agent.name, "-n", "kube-node-lease")
        assert lease["spec"]["holderIdentity"] == agent.name
    finally:
        if agent:
            server.kubectl("delete", "pods", "--all", "-n", "faults", "--grace-period=1", check=False)
            wait_until(lambda: not server.kubectl_json("get", "pods", "-n", "faults")["items"], 60, "pods gone")
            agent.stop()
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)
