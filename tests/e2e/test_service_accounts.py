"""Service accounts with the real kubectl and the Python client: every namespace has `default`,
`kubectl create token` gives a token that authenticates as its account for as long as the
account exists, and TokenReview says whom a token is for."""

import json

from kubernetes import client, config

from conftest import wait_until


def as_token(server, token, *args, check=True):
    """kubectl with the admin kubeconfig's cluster but `token` as the credentials."""
    return server.kubectl("--token", token, *args, check=check)


def test_every_namespace_has_a_default_account(server, namespace):
    wait_until(lambda: server.kubectl("get", "serviceaccount", "default", "-n", namespace, check=False).returncode == 0,
               30, "the default service account")
    server.kubectl("delete", "serviceaccount", "default", "-n", namespace)
    wait_until(lambda: server.kubectl("get", "serviceaccount", "default", "-n", namespace, check=False).returncode == 0,
               30, "the default service account to come back")


def test_kubectl_create_token_authenticates_as_the_account(server, namespace):
    server.kubectl("create", "serviceaccount", "robot", "-n", namespace)
    token = server.kubectl("create", "token", "robot", "-n", namespace, "--duration=20m").stdout.strip()
    assert token.count(".") == 2

    whoami = json.loads(as_token(server, token, "auth", "whoami", "-o", "json").stdout)
    assert whoami["status"]["userInfo"]["username"] == f"system:serviceaccount:{namespace}:robot"
    assert f"system:serviceaccounts:{namespace}" in whoami["status"]["userInfo"]["groups"]
    as_token(server, token, "get", "configmaps", "-n", namespace)

    server.kubectl("delete", "serviceaccount", "robot", "-n", namespace)
    denied = as_token(server, token, "get", "configmaps", "-n", namespace, check=False)
    assert denied.returncode != 0
    assert "Unauthorized" in denied.stderr


def test_kubectl_create_token_refuses_a_short_duration(server, namespace):
    server.kubectl("create", "serviceaccount", "robot", "-n", namespace)
    short = server.kubectl("create", "token", "robot", "-n", namespace, "--duration=1m", check=False)
    assert short.returncode != 0
    assert "spec.expirationSeconds" in short.stderr and "10 minutes" in short.stderr


def test_python_client_token_request_bound_to_a_secret_and_token_review(server, namespace):
    cfg = client.Configuration()
    config.load_kube_config(config_file=server.kubeconfig, client_configuration=cfg)
    with client.ApiClient(cfg) as api:
        core, auth = client.CoreV1Api(api), client.AuthenticationV1Api(api)
        core.create_namespaced_service_account(namespace, client.V1ServiceAccount(metadata=client.V1ObjectMeta(name="robot")))
        secret = core.create_namespaced_secret(namespace, client.V1Secret(metadata=client.V1ObjectMeta(name="anchor")))
        request = client.AuthenticationV1TokenRequest(spec=client.V1TokenRequestSpec(
            audiences=["vault"], expiration_seconds=600,
            bound_object_ref=client.V1BoundObjectReference(kind="Secret", api_version="v1", name="anchor")))
        issued = core.create_namespaced_service_account_token("robot", namespace, request)
        assert issued.spec.bound_object_ref.uid == secret.metadata.uid
        assert issued.status.expiration_timestamp is not None

        def review(audiences):
            return auth.create_token_review(client.V1TokenReview(
                spec=client.V1TokenReviewSpec(token=issued.status.token, audiences=audiences))).status

        good = review(["vault"])
        assert good.authenticated is True
        assert good.user.username == f"system:serviceaccount:{namespace}:robot"
        assert good.audiences == ["vault"]
        assert not review(None).authenticated, "a token for vault is no token for the API"

        core.delete_namespaced_secret("anchor", namespace)
        assert not review(["vault"]).authenticated, "the token goes with the secret it is bound to"
