"""Jobs and cron jobs: the server's job controller runs real busybox containers to completion
(counts, back-off limit, indexed completion, dependencies between jobs), and its cron job
controller creates one Job per scheduled minute, also across a server restart."""

import calendar
import hashlib
import json
import shutil
import time

import pytest

from conftest import Server, SimulatedAgent, wait_until


@pytest.fixture
def ns(node, request):
    digest = hashlib.sha1(request.node.name.encode()).hexdigest()[:6]
    name = "b-" + request.node.name.replace("_", "-")[5:40].strip("-") + "-" + digest
    node.server.kubectl("create", "namespace", name)
    yield name
    # Finished jobs keep their pods; take both away so the node is clean for the next test.
    node.server.kubectl("delete", "jobs", "--all", "-n", name, "--cascade=foreground", "--timeout=60s", check=False)


@pytest.fixture(scope="module")
def hollow():
    """A server with one hollow node: pods run (as far as the API shows) and never finish."""
    server = Server()
    agent = SimulatedAgent(server, 1, "bt")
    yield server
    agent.stop()
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


def job_manifest(name, image, script, restart="Never", annotations=None, **spec):
    return {"apiVersion": "batch/v1", "kind": "Job",
            "metadata": {"name": name, "annotations": annotations or {}},
            "spec": {"template": {"spec": {
                "restartPolicy": restart, "terminationGracePeriodSeconds": 1,
                "containers": [{"name": "main", "image": image, "command": ["sh", "-c", script]}]}}, **spec}}


def apply(server, ns, obj):
    server.kubectl("apply", "-n", ns, "-f", "-", input=json.dumps(obj))


def get_job(server, ns, name):
    return server.kubectl_json("get", "job", "-n", ns, name)


def condition(obj, kind):
    return next((c for c in obj.get("status", {}).get("conditions", []) if c["type"] == kind and c["status"] == "True"), None)


def wait_job(server, ns, name, kind, timeout=90):
    """Waits for condition `kind` (Complete, Failed, Suspended) on the job; returns the job."""
    seen = {}

    def check():
        seen["job"] = get_job(server, ns, name)
        return condition(seen["job"], kind) is not None
    try:
        wait_until(check, timeout, f"job {name} {kind}")
    except TimeoutError as e:
        pods = server.kubectl("get", "pods", "-n", ns, "-o", "wide", check=False).stdout
        raise AssertionError(f"{e}\nstatus: {json.dumps(seen.get('job', {}).get('status'))}\n{pods}") from None
    return seen["job"]


def job_pods(server, ns, name):
    return server.kubectl_json("get", "pods", "-n", ns, "-l", f"batch.kubernetes.io/job-name={name}")["items"]


def events(server, ns, name, reason=None):
    items = server.kubectl_json("get", "events", "-n", ns, "--field-selector", f"involvedObject.name={name}")["items"]
    return [e for e in items if reason is None or e["reason"] == reason]


def test_a_job_with_three_completions_two_at_a_time_completes(node, ns, registry):
    s = node.server
    apply(s, ns, job_manifest("count", registry.busybox, "exit 0", completions=3, parallelism=2))
    s.kubectl("wait", "--for=condition=complete", "job/count", "-n", ns, "--timeout=120s", timeout=130)
    job = get_job(s, ns, "count")
    status = job["status"]
    assert status["succeeded"] == 3 and "failed" not in status and "active" not in status
    assert status["startTime"] <= status["completionTime"]
    pods = job_pods(s, ns, "count")
    assert len(pods) == 3 and all(p["status"]["phase"] == "Succeeded" for p in pods)
    uid = job["metadata"]["uid"]
    for p in pods:
        labels = p["metadata"]["labels"]
        assert labels["batch.kubernetes.io/controller-uid"] == labels["controller-uid"] == uid
        assert labels["batch.kubernetes.io/job-name"] == labels["job-name"] == "count"
        owner = p["metadata"]["ownerReferences"][0]
        assert owner["kind"] == "Job" and owner["uid"] == uid and owner["controller"] is True
    assert len(events(s, ns, "count", "SuccessfulCreate")) == 3
    assert len(events(s, ns, "count", "Completed")) >= 1
    row = s.kubectl("get", "job", "count", "-n", ns, "--no-headers").stdout.split()
    assert row[:3] == ["count", "Complete", "3/3"], row


def test_a_job_whose_pods_fail_stops_at_its_backoff_limit(node, ns, registry):
    s = node.server
    apply(s, ns, job_manifest("crash", registry.busybox, "exit 1", backoffLimit=1))
    job = wait_job(s, ns, "crash", "Failed", timeout=90)
    failed = condition(job, "Failed")
    assert failed["reason"] == "BackoffLimitExceeded", failed
    assert job["status"]["failed"] == 2 and "succeeded" not in job["status"] and "completionTime" not in job["status"]
    pods = job_pods(s, ns, "crash")
    assert len(pods) == 2 and all(p["status"]["phase"] == "Failed" for p in pods)
    # The second pod waited out the 10 s back-off after the first failed.
    starts = sorted(p["metadata"]["creationTimestamp"] for p in pods)
    gap = seconds(starts[1]) - seconds(starts[0])
    assert gap >= 10, starts
    assert events(s, ns, "crash", "BackoffLimitExceeded")[0]["type"] == "Warning"


def test_an_indexed_jobs_pods_see_their_completion_index(node, ns, registry):
    s = node.server
    apply(s, ns, job_manifest("shard", registry.busybox, 'echo "index=$JOB_COMPLETION_INDEX"',
                              completions=3, parallelism=3, completionMode="Indexed"))
    job = wait_job(s, ns, "shard", "Complete", timeout=90)
    assert job["status"]["completedIndexes"] == "0-2" and job["status"]["succeeded"] == 3
    seen = set()
    for p in job_pods(s, ns, "shard"):
        index = p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]
        assert p["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == index
        assert p["metadata"]["name"].startswith(f"shard-{index}-")
        log = s.kubectl("logs", "-n", ns, p["metadata"]["name"]).stdout.strip()
        assert log == f"index={index}", log
        assert p["spec"]["hostname"] == f"shard-{index}"
        seen.add(index)
    assert seen == {"0", "1", "2"}


def test_jobs_wait_for_the_jobs_named_in_flotilla_io_after(node, ns, registry):
    s = node.server
    apply(s, ns, job_manifest("second", registry.busybox, "exit 0", annotations={"flotilla.io/after": "first"}))
    apply(s, ns, job_manifest("doomed", registry.busybox, "exit 0", annotations={"flotilla.io/after": "first,broken"}))
    time.sleep(2)
    assert job_pods(s, ns, "second") == [] and "active" not in get_job(s, ns, "second").get("status", {})
    waiting = events(s, ns, "second", "WaitingForDependencies")
    assert waiting and "first" in waiting[0]["message"], waiting
    apply(s, ns, job_manifest("first", registry.busybox, "sleep 3"))
    apply(s, ns, job_manifest("broken", registry.busybox, "exit 1", backoffLimit=0))
    doomed = wait_job(s, ns, "doomed", "Failed", timeout=60)
    assert condition(doomed, "Failed")["reason"] == "DependencyFailed" and job_pods(s, ns, "doomed") == []
    second = wait_job(s, ns, "second", "Complete", timeout=90)
    first = get_job(s, ns, "first")
    assert condition(first, "Complete") is not None
    assert second["status"]["startTime"] >= first["status"]["completionTime"]


def test_suspend_resume_deadline_and_ttl(hollow):
    s = hollow
    ns = "batch-suspend"
    s.kubectl("create", "namespace", ns)
    apply(s, ns, job_manifest("idle", "busybox", "sleep 1000", parallelism=2, completions=4))
    wait_until(lambda: len([p for p in job_pods(s, ns, "idle") if p["status"].get("phase") == "Running"]) == 2, 30, "2 running pods")
    s.kubectl("patch", "job", "idle", "-n", ns, "--type=merge", "-p", '{"spec":{"suspend":true}}')
    job = wait_job(s, ns, "idle", "Suspended", timeout=30)
    assert condition(job, "Suspended")["reason"] == "JobSuspended"
    wait_until(lambda: not job_pods(s, ns, "idle"), 30, "the suspended job's pods gone")
    s.kubectl("patch", "job", "idle", "-n", ns, "--type=merge", "-p", '{"spec":{"suspend":false}}')
    wait_until(lambda: get_job(s, ns, "idle")["status"].get("active") == 2, 30, "2 active pods after resume")
    assert any(c["type"] == "Suspended" and c["status"] == "False" for c in get_job(s, ns, "idle")["status"]["conditions"])
    # A deadline fails the job and stops its pods; the ttl then deletes it.
    s.kubectl("patch", "job", "idle", "-n", ns, "--type=merge", "-p",
              '{"spec":{"activeDeadlineSeconds":2,"ttlSecondsAfterFinished":3}}')
    job = wait_job(s, ns, "idle", "Failed", timeout=30)
    assert condition(job, "Failed")["reason"] == "DeadlineExceeded" and job["status"]["failed"] >= 2
    wait_until(lambda: s.kubectl("get", "job", "idle", "-n", ns, check=False).returncode != 0, 30, "the job deleted after its ttl")
    wait_until(lambda: not job_pods(s, ns, "idle"), 30, "its pods gone")


def seconds(stamp):
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def minute_of(stamp):
    return seconds(stamp) // 60


def cron_manifest(name, policy, deadline=None):
    job_spec = {"template": {"spec": {"restartPolicy": "Never",
                                      "containers": [{"name": "main", "image": "busybox", "command": ["sleep", "1000"]}]}}}
    if deadline:
        job_spec["activeDeadlineSeconds"] = deadline
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name},
            "spec": {"schedule": "* * * * *", "concurrencyPolicy": policy, "failedJobsHistoryLimit": 1,
                     "jobTemplate": {"metadata": {"labels": {"app": name}}, "spec": job_spec}}}


def test_cron_jobs_run_once_a_minute_also_across_a_server_restart(hollow):
    """tick (Allow) runs jobs that fail after 1 s; forbid (Forbid) and replace (Replace) run jobs
    that never finish on the hollow node. The server is killed after their first runs and kept
    down across the next minute, whose run is then made up once (or not, for forbid)."""
    s = hollow
    ns = "batch-cron"
    s.kubectl("create", "namespace", ns)
    if time.time() % 60 > 56:  # all three should start in the same minute
        time.sleep(5)
    crons = [cron_manifest("tick", "Allow", deadline=1), cron_manifest("forbid", "Forbid"), cron_manifest("replace", "Replace")]
    apply(s, ns, {"apiVersion": "v1", "kind": "List", "items": crons})

    def jobs(cron=None):
        items = s.kubectl_json("get", "jobs", "-n", ns)["items"]
        return {j["metadata"]["name"]: j for j in items if cron is None or j["metadata"]["name"].startswith(cron + "-")}
    wait_until(lambda: all(jobs(c) for c in ("tick", "forbid", "replace")), 70, "each cron job's first job")
    first = list(jobs("tick").values())[0]
    stamp = first["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"]
    minute = minute_of(stamp)
    assert first["metadata"]["name"] == f"tick-{minute}"
    assert set(jobs()) == {f"tick-{minute}", f"forbid-{minute}", f"replace-{minute}"}
    assert first["metadata"]["labels"]["app"] == "tick"
    owner = first["metadata"]["ownerReferences"][0]
    assert owner["kind"] == "CronJob" and owner["name"] == "tick" and owner["controller"] is True

    def scheduled(cron):
        return s.kubectl_json("get", "cronjob", cron, "-n", ns)["status"].get("lastScheduleTime") == stamp
    wait_until(lambda: all(scheduled(c) for c in ("tick", "forbid", "replace")), 10, "lastScheduleTime of each")
    forbid_uid = jobs("forbid")[f"forbid-{minute}"]["metadata"]["uid"]

    # Down across the next minute boundary: after the restart that run happens once, late.
    s.kill()
    down = minute + 1
    time.sleep(max(0, down * 60 + 3 - time.time()))
    s.start()
    wait_until(lambda: f"tick-{down}" in jobs("tick") and f"replace-{down}" in jobs("replace"), 30, "the runs missed while down")
    time.sleep(2)
    # One create per minute: the first runs were not repeated after the restart, the missed one made up once.
    for cron in ("tick", "replace"):
        created = sorted(e["message"].split()[-1] for e in events(s, ns, cron, "SuccessfulCreate"))
        assert created == [f"{cron}-{minute}", f"{cron}-{down}"], created
    # Forbid: the first job still runs, so the second run did not start.
    assert list(jobs("forbid")) == [f"forbid-{minute}"] and jobs("forbid")[f"forbid-{minute}"]["metadata"]["uid"] == forbid_uid
    assert [a["name"] for a in s.kubectl_json("get", "cronjob", "forbid", "-n", ns)["status"]["active"]] == [f"forbid-{minute}"]
    # Replace: the first job was deleted for the second.
    wait_until(lambda: list(jobs("replace")) == [f"replace-{down}"], 30, "the replaced job gone")
    assert [e["message"] for e in events(s, ns, "replace", "SuccessfulDelete")] == [f"Deleted job replace-{minute}"]
    assert [a["name"] for a in s.kubectl_json("get", "cronjob", "replace", "-n", ns)["status"]["active"]] == [f"replace-{down}"]
    # Each tick failed (its deadline); only the newest failed job is kept.
    wait_until(lambda: list(jobs("tick")) == [f"tick-{down}"] and condition(jobs("tick")[f"tick-{down}"], "Failed"), 30,
               "history trimmed to one failed job")
    assert [e["message"] for e in events(s, ns, "tick", "SuccessfulDelete")] == [f"Deleted job tick-{minute}"]
    s.kubectl("delete", "cronjobs", "--all", "-n", ns)
