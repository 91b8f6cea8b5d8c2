"""Acknowledged writes survive a crash of the server (SIGKILL in the middle of a burst)."""

import json
import shutil
import threading
import time

import pytest

from conftest import Server


@pytest.mark.parametrize("store", ["sqlite", "etcd"])
def test_every_acknowledged_create_survives_sigkill(store, request):
    etcd_url = request.getfixturevalue("etcd").url if store == "etcd" else None
    s = Server(store=store, etcd_url=etcd_url)
    try:
        ns = f"burst-{store}-{int(time.time())}"
        assert s.request("POST", "/api/v1/namespaces", json.dumps({"metadata": {"name": ns}}))[0] == 201
        acknowledged = []
        lock = threading.Lock()
        stop = threading.Event()

        def writer(n):
            i = 0
            while not stop.is_set():
                name = f"cm-{n}-{i}"
                i += 1
                try:
                    status, _, _ = s.request("POST", f"/api/v1/namespaces/{ns}/configmaps",
                                             json.dumps({"metadata": {"name": name}, "data": {"k": "v"}}))
                except OSError:
                    return  # the server is gone
                if status == 201:
                    with lock:
                        acknowledged.append(name)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(16)]
        for t in threads:
            t.start()
        deadline = time.time() + 30
        while len(acknowledged) < 300 and time.time() < deadline:
            time.sleep(0.05)
        s.kill()  # SIGKILL while the writers are still going
        stop.set()
        for t in threads:
            t.join(30)
        assert len(acknowledged) >= 300, "the burst did not get going"
        s.start()
        status, _, body = s.request("GET", f"/api/v1/namespaces/{ns}/configmaps")
        assert status == 200
        present = {i["metadata"]["name"] for i in body["items"]}
        lost = [n for n in acknowledged if n not in present]
        assert lost == [], f"{len(lost)} acknowledged creates lost, e.g. {lost[:5]}"
    finally:
        s.stop()
        shutil.rmtree(s.dir, ignore_errors=True)
