"""A separate agent serves its endpoints over mutual TLS: the API server reaches it at the address
and port its Node publishes, trusting only the certificate the Node carries, so kubectl logs,
exec, port-forward and top work for pods on that node; other clients are refused."""

import json
import shutil
import socket
import ssl
import subprocess
import urllib.request

import pytest

from conftest import RemoteAgent, Server, free_port, wait_until
from test_agent_pods import httpd, pod_manifest, running


@pytest.fixture(scope="module")
def remote():
    server = Server()
    agent = None
    try:
        agent = RemoteAgent(server)
        server.kubectl("create", "namespace", "remote")
        yield server, agent
    finally:
        if agent:
            server.kubectl("delete", "pods", "--all", "-n", "remote", "--grace-period=1", check=False)
            wait_until(lambda: not server.kubectl_json("get", "pods", "-n", "remote")["items"], 60, "pods gone")
            agent.stop()
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)


def start(server, agent, pod):
    pod["spec"]["nodeName"] = agent.name
    server.kubectl("apply", "-n", "remote", "-f", "-", input=json.dumps(pod))
    name = pod["metadata"]["name"]
    wait_until(lambda: running(server.kubectl_json("get", "pod", name, "-n", "remote")), 60, f"pod {name} Running")


def test_the_node_publishes_its_endpoint_and_certificate(remote):
    server, agent = remote
    node = server.kubectl_json("get", "node", agent.name)
    assert node["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"] == agent.port
    assert {"type": "InternalIP", "address": "127.0.0.1"} in node["status"]["addresses"]
    certificate = node["metadata"]["annotations"]["flotilla.io/agent-certificate"]
    served = ssl.get_server_certificate(("127.0.0.1", agent.port))
    assert ssl.PEM_cert_to_DER_cert(served) == ssl.PEM_cert_to_DER_cert(certificate)


def test_logs_and_exec_reach_the_remote_agent(remote, registry):
    server, agent = remote
    talker = {"name": "talker", "image": registry.busybox,
              "command": ["sh", "-c", "echo first line; echo second line; exec sleep 100000"]}
    start(server, agent, pod_manifest("talker", [talker]))
    wait_until(lambda: server.kubectl("logs", "-n", "remote", "talker").stdout == "first line\nsecond line\n", 20, "logs")
    follow = subprocess.Popen(server.kubectl_cmd("logs", "-f", "-n", "remote", "talker"), stdout=subprocess.PIPE,
                              text=True, env=server.kubectl_env())
    try:
        assert follow.stdout.readline() == "first line\n"
        assert follow.stdout.readline() == "second line\n"
    finally:
        follow.terminate()
        follow.wait(10)

    k = server.kubectl
    assert k("exec", "-n", "remote", "talker", "--", "echo", "over", "tls").stdout == "over tls\n"
    failed = k("exec", "-n", "remote", "talker", "--", "sh", "-c", "echo err >&2; exit 6", check=False)
    assert failed.returncode == 6 and "err" in failed.stderr
    assert k("exec", "-i", "-n", "remote", "talker", "--", "cat", input="piped\n").stdout == "piped\n"


def test_port_forward_and_top_reach_the_remote_agent(remote, registry):
    server, agent = remote
    start(server, agent, pod_manifest("web", [httpd(registry.busybox, text="remote-page")]))
    port = free_port()
    proc = subprocess.Popen(server.kubectl_cmd("port-forward", "-n", "remote", "pod/web", f"{port}:8080"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=server.kubectl_env())
    try:
        line = proc.stdout.readline()
        assert f"Forwarding from 127.0.0.1:{port}" in line, line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=10) as r:
            assert r.read().decode() == "remote-page\n"
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    def topped():
        out = server.kubectl("top", "pod", "web", "-n", "remote", "--no-headers", check=False)
        return out.returncode == 0 and out.stdout.split()[0] == "web"
    wait_until(topped, 60, "kubectl top pod web")
    nodes = server.kubectl("top", "node", agent.name, "--no-headers").stdout
    assert nodes.split()[0] == agent.name


def agent_request(agent, context, path="/stats/summary"):
    with socket.create_connection(("127.0.0.1", agent.port), timeout=10) as raw:
        with context.wrap_socket(raw) as tls:
            tls.sendall(f"GET {path} HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\r\n".encode())
            return tls.recv(65536).decode(errors="replace")


def client_context(certificate=None, key=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if certificate:
        context.load_cert_chain(certificate, key)
    return context


def refused(agent, context):
    """Whether the agent refuses the connection (in the handshake or at the first read)."""
    try:
        return agent_request(agent, context) == ""
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError):
        return True


def test_the_agent_serves_only_the_api_servers_client_certificate(remote):
    server, agent = remote
    pki = server.dir + "/pki/"
    assert refused(agent, client_context()), "served a client without a certificate"
    # Signed by someone else (the agent's own self-signed certificate).
    assert refused(agent, client_context(agent.dir + "/pki/agent.crt", agent.dir + "/pki/agent.key"))
    # Signed by the cluster CA, but for serving, not for client authentication.
    assert refused(agent, client_context(pki + "apiserver.crt", pki + "apiserver.key"))
    reply = agent_request(agent, client_context(pki + "apiserver-agent-client.crt", pki + "apiserver-agent-client.key"))
    assert reply.startswith("HTTP/1.1 200"), reply[:200]


def test_a_node_whose_agent_cannot_be_reached_gets_a_clear_error(remote, registry):
    server, agent = remote
    start(server, agent, pod_manifest("lonely", [{"name": "box", "image": registry.busybox, "command": ["sleep", "100000"]}]))
    node = server.kubectl_json("get", "node", agent.name)
    # Point the node at a port nobody listens on; the agent puts it back when it re-registers.
    dead = free_port()
    server.kubectl("patch", "node", agent.name, "--subresource=status", "--type=merge",
                   "-p", json.dumps({"status": {"daemonEndpoints": {"kubeletEndpoint": {"Port": dead}}}}))
    try:
        out = server.kubectl("logs", "-n", "remote", "lonely", check=False)
        assert out.returncode != 0
        assert "cannot be reached" in out.stderr, out.stderr
        failed = server.kubectl("exec", "-n", "remote", "lonely", "--", "true", check=False)
        assert failed.returncode != 0 and "cannot be reached" in failed.stderr, failed.stderr
    finally:
        port = node["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"]
        server.kubectl("patch", "node", agent.name, "--subresource=status", "--type=merge",
                       "-p", json.dumps({"status": {"daemonEndpoints": {"kubeletEndpoint": {"Port": port}}}}))
    assert server.kubectl("exec", "-n", "remote", "lonely", "--", "echo", "back").stdout == "back\n"
