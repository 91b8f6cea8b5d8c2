"""Malformed requests get a Kubernetes Status with the right code and message, and change nothing."""

import json

import pytest

# The pod names a scheduler nobody runs, so nothing else writes to it or about it while a case runs.
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "ok"},
       "spec": {"schedulerName": "nobody", "containers": [{"name": "c", "image": "busybox"}]}}


def pod_with(**changes):
    p = json.loads(json.dumps(POD))
    for path, value in changes.items():
        target = p
        keys = path.split("__")
        for k in keys[:-1]:
            target = target[int(k)] if k.isdigit() else target[k]
        last = keys[-1]
        if last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value
    return json.dumps(p)


def pods(ns):
    return f"/api/v1/namespaces/{ns}/pods"


def namespace_state(server, ns):
    """Every object of the namespace that a case could write, with its resourceVersion.

    The whole store's revision is no measure: leases and other tests' objects change meanwhile."""
    state = {}
    for path in (pods(ns), f"/apis/apps/v1/namespaces/{ns}/deployments", f"/apis/apps/v1/namespaces/{ns}/controllerrevisions",
                 f"/api/v1/namespaces/{ns}/events"):
        for item in server.request("GET", path)[2]["items"]:
            state[(path, item["metadata"]["name"])] = item["metadata"]["resourceVersion"]
    return state


# (id, method, path template, body, content type, expected code, text the message must contain)
CASES = [
    ("malformed json", "POST", "{pods}", '{"metadata": {', "application/json", 400, ""),
    ("malformed yaml", "POST", "{pods}", "metadata: [unclosed", "application/yaml", 400, ""),
    ("json array body", "POST", "{pods}", "[1,2]", "application/json", 400, ""),
    ("wrong kind", "POST", "{pods}", json.dumps({**POD, "kind": "Service"}), "application/json", 400, "Service"),
    ("wrong apiVersion", "POST", "{pods}", json.dumps({**POD, "apiVersion": "apps/v1"}), "application/json", 400, "apps/v1"),
    ("invalid name", "POST", "{pods}", pod_with(metadata__name="Bad_Name"), "application/json", 422, "metadata.name"),
    ("missing name", "POST", "{pods}", pod_with(metadata={}), "application/json", 422, "metadata.name"),
    ("missing image", "POST", "{pods}", pod_with(spec__containers__0__image=""), "application/json", 422,
     "spec.containers[0].image"),
    ("bad quantity", "POST", "{pods}",
     pod_with(spec__containers__0__resources={"limits": {"cpu": "lots"}}), "application/json", 422,
     "spec.containers[0].resources.limits"),
    ("bad port", "POST", "{pods}", pod_with(spec__containers__0__ports=[{"containerPort": 70000}]),
     "application/json", 422, "containerPort"),
    ("duplicate containers", "POST", "{pods}",
     pod_with(spec__containers=[{"name": "c", "image": "a"}, {"name": "c", "image": "b"}]), "application/json", 422,
     "spec.containers[1].name"),
    ("type mismatch", "POST", "{pods}", pod_with(spec__containers="nope"), "application/json", 400, "spec.containers"),
    ("unknown field strict", "POST", "{pods}?fieldValidation=Strict", pod_with(spec__bogus=1), "application/json",
     400, "bogus"),
    ("bad label selector", "GET", "{pods}?labelSelector=a%20in%20(b", None, None, 400, ""),
    ("bad field selector", "GET", "{pods}?fieldSelector=spec.bogus%3Dx", None, None, 400, "spec.bogus"),
    ("unknown resource", "GET", "/api/v1/namespaces/{ns}/widgets", None, None, 404, ""),
    ("unknown group", "GET", "/apis/example.com/v1/widgets", None, None, 404, ""),
    ("missing namespace", "POST", "/api/v1/namespaces/does-not-exist/pods", json.dumps(POD), "application/json", 404,
     "does-not-exist"),
    ("unsupported verb", "POST", "{pods}/ok", json.dumps(POD), "application/json", 405, ""),
    ("unsupported patch type", "PATCH", "{pods}/ok", '{"metadata":{}}', "text/plain", 415, ""),
    ("bad merge patch", "PATCH", "{pods}/ok", "{not json", "application/merge-patch+json", 400, ""),
    # Kubernetes decodes the patch, then fails applying it: 422 naming the operation.
    ("bad json patch op", "PATCH", "{pods}/ok", '[{"op":"explode","path":"/a"}]', "application/json-patch+json",
     422, "explode"),
    ("json patch missing path", "PATCH", "{pods}/ok", '[{"op":"replace","path":"/spec/nope/x","value":1}]',
     "application/json-patch+json", 422, ""),
    ("stale resourceVersion", "PUT", "{pods}/ok", "STALE", "application/json", 409, "the object has been modified"),
    ("name mismatch", "PUT", "{pods}/ok", pod_with(metadata__name="other"), "application/json", 400, ""),
    ("oversized body", "POST", "{pods}", "OVERSIZED", "application/json", 413, ""),
    ("bad deployment replicas", "POST", "/apis/apps/v1/namespaces/{ns}/deployments",
     json.dumps({"metadata": {"name": "d"}, "spec": {"replicas": -1, "selector": {"matchLabels": {"a": "b"}},
                 "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
     "application/json", 422, "spec.replicas"),
    ("selector does not match template", "POST", "/apis/apps/v1/namespaces/{ns}/deployments",
     json.dumps({"metadata": {"name": "d"}, "spec": {"selector": {"matchLabels": {"a": "b"}},
                 "template": {"metadata": {"labels": {"a": "c"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
     "application/json", 422, "selector"),
    ("controller revision without revision", "POST", "/apis/apps/v1/namespaces/{ns}/controllerrevisions",
     json.dumps({"metadata": {"name": "r"}, "data": {"spec": {}}}), "application/json", 422, "revision"),
    ("negative controller revision", "POST", "/apis/apps/v1/namespaces/{ns}/controllerrevisions",
     json.dumps({"metadata": {"name": "r"}, "data": {"spec": {}}, "revision": -1}), "application/json", 422, "revision"),
    ("controller revision without data", "POST", "/apis/apps/v1/namespaces/{ns}/controllerrevisions",
     json.dumps({"metadata": {"name": "r"}, "revision": 1}), "application/json", 422, "data"),
]


@pytest.fixture
def victim(server, namespace):
    status, _, body = server.request("POST", pods(namespace), json.dumps(POD))
    assert status == 201, body
    return body


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_malformed_request_is_refused_and_changes_nothing(server, namespace, victim, case):
    _, method, path, body, ctype, code, text = case
    path = path.replace("{pods}", pods(namespace)).replace("{ns}", namespace)
    if body == "STALE":
        stale = dict(victim)
        server.request("PATCH", pods(namespace) + "/ok", '{"metadata":{"labels":{"x":"y"}}}',
                       "application/merge-patch+json")
        body = json.dumps(stale)
    elif body == "OVERSIZED":
        body = json.dumps({**POD, "metadata": {"name": "big", "annotations": {"a": "x" * (4 * 1024 * 1024)}}})
    before = namespace_state(server, namespace)
    before_pod = server.request("GET", pods(namespace) + "/ok")[2]
    status, headers, reply = server.request(method, path, body, ctype)
    assert status == code, reply
    assert isinstance(reply, dict) and reply.get("kind") == "Status", reply
    assert reply["code"] == code and reply["status"] == "Failure"
    assert text in reply["message"], reply["message"]
    assert namespace_state(server, namespace) == before, "the store changed"
    assert server.request("GET", pods(namespace) + "/ok")[2] == before_pod


def test_requests_without_credentials_get_401(server):
    import urllib.request, urllib.error
    req = urllib.request.Request(server.url + "/api/v1/namespaces")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, context=server.ssl_context(), timeout=10)
    assert e.value.code == 401
    assert json.loads(e.value.read())["reason"] == "Unauthorized"
