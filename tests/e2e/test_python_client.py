"""The official Python `kubernetes` client against the real flotilla server."""

import threading

import pytest
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException


@pytest.fixture
def api(server):
    cfg = client.Configuration()
    config.load_kube_config(config_file=server.kubeconfig, client_configuration=cfg)
    with client.ApiClient(cfg) as c:
        yield c


def make_cm(name, value="1"):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels={"suite": "py"}), data={"v": value})


def test_create_list_get(api, namespace):
    core = client.CoreV1Api(api)
    created = core.create_namespaced_config_map(namespace, make_cm("one"))
    assert created.metadata.uid and created.metadata.resource_version
    core.create_namespaced_config_map(namespace, make_cm("two"))
    listed = core.list_namespaced_config_map(namespace, label_selector="suite=py")
    assert sorted(i.metadata.name for i in listed.items) == ["one", "two"]
    assert listed.metadata.resource_version
    assert core.read_namespaced_config_map("one", namespace).data == {"v": "1"}
    with pytest.raises(ApiException) as e:
        core.read_namespaced_config_map("zero", namespace)
    assert e.value.status == 404


def test_typed_models_accept_defaulted_objects(api, namespace):
    apps = client.AppsV1Api(api)
    body = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="py-web"),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "py-web"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "py-web"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="web", image="nginx")]))))
    d = apps.create_namespaced_deployment(namespace, body)
    assert d.spec.strategy.type == "RollingUpdate"
    assert d.spec.template.spec.containers[0].termination_message_path == "/dev/termination-log"
    assert apps.list_namespaced_deployment(namespace).items[0].metadata.name == "py-web"


def test_watch_sees_changes_in_order(api, namespace):
    core = client.CoreV1Api(api)
    rv = core.list_namespaced_config_map(namespace).metadata.resource_version
    seen = []

    def watcher():
        w = watch.Watch()
        for ev in w.stream(core.list_namespaced_config_map, namespace, resource_version=rv, timeout_seconds=20):
            if ev["object"].metadata.name != "w":
                continue  # the namespace's kube-root-ca.crt may come in as well
            seen.append((ev["type"], ev["object"].metadata.name))
            if ev["type"] == "DELETED":
                w.stop()

    t = threading.Thread(target=watcher)
    t.start()
    core.create_namespaced_config_map(namespace, make_cm("w"))
    core.patch_namespaced_config_map("w", namespace, {"data": {"v": "2"}})
    core.delete_namespaced_config_map("w", namespace)
    t.join(30)
    assert seen == [("ADDED", "w"), ("MODIFIED", "w"), ("DELETED", "w")]


def test_replace_with_stale_resource_version_conflicts(api, namespace):
    core = client.CoreV1Api(api)
    cm = core.create_namespaced_config_map(namespace, make_cm("stale"))
    fresh = core.read_namespaced_config_map("stale", namespace)
    fresh.data = {"v": "2"}
    core.replace_namespaced_config_map("stale", namespace, fresh)
    cm.data = {"v": "3"}
    with pytest.raises(ApiException) as e:
        core.replace_namespaced_config_map("stale", namespace, cm)
    assert e.value.status == 409
    assert "the object has been modified" in e.value.body
    assert core.read_namespaced_config_map("stale", namespace).data == {"v": "2"}
