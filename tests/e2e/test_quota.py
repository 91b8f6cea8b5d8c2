"""ResourceQuota and LimitRange, driven by the real kubectl: admission refuses what is over a
quota or outside a limit range, LimitRange defaults land in pods, the quota controller keeps
Used/Hard current, and a deployment blocked by a quota stays at what the quota allows."""

import json
import re
import threading
import time

import pytest

from conftest import hollow_cluster, make_namespace, wait_until


@pytest.fixture(scope="module")
def cluster():
    with hollow_cluster(2, "qt") as server:
        yield server


@pytest.fixture
def ns(cluster, request):
    return make_namespace(cluster, request, "q")


def pod(name, requests=None, limits=None):
    resources = {}
    if requests:
        resources["requests"] = requests
    if limits:
        resources["limits"] = limits
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "app", "image": "registry.invalid/app:1", "resources": resources}]}}


def apply(cluster, ns, obj, check=True):
    return cluster.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(obj), check=check)


def described_usage(cluster, ns, name):
    """The Resource/Used/Hard rows of `kubectl describe quota`, as {resource: (used, hard)}."""
    out = cluster.kubectl("describe", "quota", name, "-n", ns).stdout
    rows = {}
    for line in out.splitlines()[out.splitlines().index(next(l for l in out.splitlines() if l.startswith("Resource"))) + 2:]:
        parts = line.split()
        if len(parts) == 3:
            rows[parts[0]] = (parts[1], parts[2])
    return rows


def wait_for_usage(cluster, ns, name, expected):
    wait_until(lambda: described_usage(cluster, ns, name) == expected, 30, f"quota {name} at {expected}")


def test_pods_are_counted_refused_beyond_the_quota_and_given_back(cluster, ns):
    k = cluster.kubectl
    k("create", "quota", "compute", "--hard=pods=2,requests.cpu=1,requests.memory=1Gi", "-n", ns)
    wait_for_usage(cluster, ns, "compute", {"pods": ("0", "2"), "requests.cpu": ("0", "1"), "requests.memory": ("0", "1Gi")})

    for name in ["web-1", "web-2"]:
        apply(cluster, ns, pod(name, requests={"cpu": "200m", "memory": "100Mi"}))
    wait_for_usage(cluster, ns, "compute", {"pods": ("2", "2"), "requests.cpu": ("400m", "1"), "requests.memory": ("200Mi", "1Gi")})
    table = k("get", "quota", "compute", "-n", ns).stdout
    assert "pods: 2/2" in table and "requests.cpu: 400m/1" in table, table

    refused = apply(cluster, ns, pod("web-3", requests={"cpu": "200m", "memory": "100Mi"}), check=False)
    assert refused.returncode != 0
    assert "Error from server (Forbidden)" in refused.stderr
    assert 'pods "web-3" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2' in refused.stderr
    assert k("get", "pod", "web-3", "-n", ns, check=False).returncode != 0

    k("delete", "pod", "web-1", "-n", ns, "--grace-period=0", "--force")
    wait_for_usage(cluster, ns, "compute", {"pods": ("1", "2"), "requests.cpu": ("200m", "1"), "requests.memory": ("100Mi", "1Gi")})
    apply(cluster, ns, pod("web-3", requests={"cpu": "200m", "memory": "100Mi"}))
    wait_for_usage(cluster, ns, "compute", {"pods": ("2", "2"), "requests.cpu": ("400m", "1"), "requests.memory": ("200Mi", "1Gi")})


def test_a_quota_on_limits_requires_them(cluster, ns):
    quota = {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "limits"},
             "spec": {"hard": {"limits.cpu": "2", "limits.memory": "2Gi"}}}
    apply(cluster, ns, quota)
    wait_for_usage(cluster, ns, "limits", {"limits.cpu": ("0", "2"), "limits.memory": ("0", "2Gi")})
    refused = apply(cluster, ns, pod("bare", limits={"memory": "100Mi"}), check=False)
    assert refused.returncode != 0
    assert 'pods "bare" is forbidden: failed quota: limits: must specify limits.cpu for: app' in refused.stderr


def test_concurrent_creates_never_pass_the_quota_together(cluster, ns):
    cluster.kubectl("create", "quota", "three", "--hard=pods=3", "-n", ns)
    wait_for_usage(cluster, ns, "three", {"pods": ("0", "3")})
    statuses = []

    def create(i):
        status, _, _ = cluster.request("POST", f"/api/v1/namespaces/{ns}/pods", json.dumps(pod(f"p{i}")))
        statuses.append(status)
    threads = [threading.Thread(target=create, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201] * 3 + [403] * 7
    assert len(cluster.kubectl_json("get", "pods", "-n", ns)["items"]) == 3
    wait_for_usage(cluster, ns, "three", {"pods": ("3", "3")})


def test_a_deployment_beyond_the_quota_stays_at_the_allowed_count(cluster, ns):
    k = cluster.kubectl
    k("create", "quota", "pods", "--hard=pods=2,count/deployments.apps=1", "-n", ns)
    wait_for_usage(cluster, ns, "pods", {"pods": ("0", "2"), "count/deployments.apps": ("0", "1")})
    k("create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=4", "-n", ns)
    wait_until(lambda: len(cluster.kubectl_json("get", "pods", "-n", ns)["items"]) == 2, 30, "2 pods")

    def failed_creates():
        return cluster.kubectl_json("get", "events", "-n", ns, "--field-selector", "reason=FailedCreate")["items"]
    wait_until(lambda: failed_creates(), 30, "a FailedCreate event")
    event = failed_creates()[0]
    assert event["involvedObject"]["kind"] == "ReplicaSet"
    assert re.search(r'Error creating: pods "web-[a-z0-9]+-[a-z0-9]+" is forbidden: exceeded quota: pods, '
                     r"requested: pods=1, used: pods=2, limited: pods=2", event["message"]), event["message"]
    # The replica set backs off instead of retrying in a tight loop, and never passes the quota.
    time.sleep(5)
    assert len(cluster.kubectl_json("get", "pods", "-n", ns)["items"]) == 2
    attempts = sum(e.get("count", 1) for e in failed_creates())
    assert attempts < 30, attempts
    wait_for_usage(cluster, ns, "pods", {"pods": ("2", "2"), "count/deployments.apps": ("1", "1")})

    # Scaled further, it still stays at what the quota allows; scaled down, it gives pods back.
    k("scale", "deployment/web", "--replicas=6", "-n", ns)
    time.sleep(2)
    assert len(cluster.kubectl_json("get", "pods", "-n", ns)["items"]) == 2
    k("scale", "deployment/web", "--replicas=1", "-n", ns)
    wait_for_usage(cluster, ns, "pods", {"pods": ("1", "2"), "count/deployments.apps": ("1", "1")})

    second = k("create", "deployment", "other", "--image=registry.invalid/web:1", "-n", ns, check=False)
    assert second.returncode != 0
    assert ('deployments.apps "other" is forbidden: exceeded quota: pods, requested: count/deployments.apps=1, '
            "used: count/deployments.apps=1, limited: count/deployments.apps=1") in second.stderr


def test_limit_range_defaults_and_limits(cluster, ns):
    limits = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "limits"},
              "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m", "memory": "256Mi"},
                                   "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
                                   "min": {"cpu": "50m"}, "max": {"cpu": "1", "memory": "1Gi"}}]}}
    apply(cluster, ns, limits)
    cluster.kubectl("run", "plain", "--image=registry.invalid/app:1", "-n", ns)
    created = cluster.kubectl_json("get", "pod", "plain", "-n", ns)
    resources = created["spec"]["containers"][0]["resources"]
    assert resources == {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}}
    assert created["metadata"]["annotations"]["kubernetes.io/limit-ranger"] == \
        "LimitRanger plugin set: cpu, memory request for container plain; cpu, memory limit for container plain"
    assert created["status"]["qosClass"] == "Burstable"

    small = apply(cluster, ns, pod("small", requests={"cpu": "20m"}, limits={"memory": "2Gi"}), check=False)
    assert small.returncode != 0
    assert ('pods "small" is forbidden: [minimum cpu usage per Container is 50m, but request is 20m, '
            "maximum memory usage per Container is 1Gi, but limit is 2Gi]") in small.stderr
    assert cluster.kubectl("get", "pod", "small", "-n", ns, check=False).returncode != 0

    # LimitRange defaults are in place before the quota looks at the pod.
    cluster.kubectl("create", "quota", "cpu", "--hard=limits.cpu=1", "-n", ns)
    wait_for_usage(cluster, ns, "cpu", {"limits.cpu": ("500m", "1")})
    cluster.kubectl("run", "second", "--image=registry.invalid/app:1", "-n", ns)
    wait_for_usage(cluster, ns, "cpu", {"limits.cpu": ("1", "1")})
    third = cluster.kubectl("run", "third", "--image=registry.invalid/app:1", "-n", ns, check=False)
    assert 'pods "third" is forbidden: exceeded quota: cpu, requested: limits.cpu=500m, used: limits.cpu=1, limited: limits.cpu=1' \
        in third.stderr


@pytest.mark.parametrize("kind,spec,field,message", [
    ("ResourceQuota", {"hard": {"pods": "-1"}}, "spec.hard[pods]", "must be greater than or equal to 0"),
    ("ResourceQuota", {"hard": {"cpu": "lots"}}, "spec.hard[cpu]", "quantities must match the regular expression"),
    ("ResourceQuota", {"hard": {"widgets": "1"}}, "spec.hard[widgets]", "must be a standard resource for quota"),
    ("LimitRange", {"limits": [{"type": "Container", "default": {"cpu": "2"}, "max": {"cpu": "1"}}]},
     "spec.limits[0].default[cpu]", "default value 2 is greater than max value 1"),
    ("LimitRange", {"limits": [{"type": "Container", "min": {"memory": "2Gi"}, "max": {"memory": "1Gi"}}]},
     "spec.limits[0].min[memory]", "min value 2Gi is greater than max value 1Gi"),
])
def test_malformed_quotas_and_limit_ranges_are_refused(cluster, ns, kind, spec, field, message):
    obj = {"apiVersion": "v1", "kind": kind, "metadata": {"name": "bad"}, "spec": spec}
    refused = apply(cluster, ns, obj, check=False)
    assert refused.returncode != 0
    assert f'The {kind} "bad" is invalid' in refused.stderr and message in refused.stderr, refused.stderr
    plural = "resourcequotas" if kind == "ResourceQuota" else "limitranges"
    status, _, body = cluster.request("POST", f"/api/v1/namespaces/{ns}/{plural}", json.dumps(obj))
    assert status == 422 and body["reason"] == "Invalid"
    assert any(c["field"] == field and message in c["message"] for c in body["details"]["causes"]), body
    assert cluster.kubectl("get", plural, "bad", "-n", ns, check=False).returncode != 0
