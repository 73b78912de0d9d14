"""roles/minio distributed over 4 nodes: one cluster, node loss tolerated, healing afterwards.

The tests run in file order: the outage tests stop minio-dist-4 and the last ones bring it back.
"""

import json
import os
import time
import uuid

import pytest
import testinfra
from s3client import API_USER, ROOT_USER, heal, s3, secret

NODES = ["minio-dist-1", "minio-dist-2", "minio-dist-3", "minio-dist-4"]
STOPPED = "minio-dist-4"
testinfra_hosts = ["ansible://minio-dist-api"]
RUN = uuid.uuid4().hex[:8]
ADMIN_INFO = """
import json, os
from minio.credentials import StaticProvider
from minio.minioadmin import MinioAdmin
admin = MinioAdmin(endpoint="127.0.0.1:9000", secure=False,
                   credentials=StaticProvider(os.environ["ROOT_USER"], os.environ["ROOT_PASSWORD"]))
info = json.loads(admin.info())
print(json.dumps([{"endpoint": s["endpoint"], "state": s["state"],
                   "drives": [d.get("state") for d in s.get("drives", [])]} for s in info["servers"]]))
"""


def node(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


@pytest.fixture(scope="module")
def password():
    return secret("minio_api")


def servers(name):
    """Servers and drive states as the admin API of node `name` reports them."""
    out = node(name).check_output(
        "ROOT_USER=%s ROOT_PASSWORD=%s /opt/minio-sdk/bin/python -c %s",
        ROOT_USER,
        secret("minio_root"),
        ADMIN_INFO,
    )
    return json.loads(out)


def wait_for(condition, timeout=120, step=3):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def test_every_node_uses_the_generated_volume_expression():
    for name in NODES:
        env = node(name).check_output("cat /etc/default/minio")
        assert 'MINIO_VOLUMES="http://minio-dist-{1...4}:9000/srv/minio/disk{1...2}"' in env


def test_admin_api_sees_four_nodes_and_eight_drives():
    report = servers("minio-dist-2")
    assert len(report) == 4
    assert {s["state"] for s in report} == {"online"}
    assert sorted(d for s in report for d in s["drives"]) == ["ok"] * 8


def test_object_written_through_one_node_is_read_through_another(host, password):
    key = f"sinpluma-images/dist/{RUN}-a.txt"
    assert s3(host, "minio-dist-1", "PUT", key, API_USER, password, data="uno")[0] == 200
    assert s3(host, "minio-dist-3", "GET", key, API_USER, password) == (200, "uno")


def test_with_one_node_stopped_reads_and_writes_still_work(host, password):
    node(STOPPED).check_output("systemctl stop minio")
    assert not node(STOPPED).service("minio").is_running
    old = f"sinpluma-images/dist/{RUN}-a.txt"
    new = f"sinpluma-images/dist/{RUN}-b.txt"
    assert s3(host, "minio-dist-2", "GET", old, API_USER, password) == (200, "uno")
    assert s3(host, "minio-dist-1", "PUT", new, API_USER, password, data="dos")[0] == 200
    assert s3(host, "minio-dist-3", "GET", new, API_USER, password) == (200, "dos")
    offline = [s["endpoint"] for s in servers("minio-dist-1") if s["state"] != "online"]
    assert offline == ["minio-dist-4:9000"]


def test_returned_node_rejoins_and_heals(host, password):
    node(STOPPED).check_output("systemctl start minio")
    healthy = wait_for(
        lambda: all(s["state"] == "online" and s["drives"] == ["ok", "ok"] for s in servers("minio-dist-1"))
    )
    assert healthy, servers("minio-dist-1")
    # The object written during the outage lacks its shards on the returned node until healed;
    # heal through the admin API until the heal reports all 8 drives of that object ok (the
    # first attempts may still see the returned node's drives reconnecting).
    written_during_outage = f"dist/{RUN}-b.txt"

    def healed():
        report = heal(host, "minio-dist-1", "sinpluma-images/dist", secret("minio_root"))
        item = next((i for i in report.get("Items", []) if i["object"] == written_during_outage), None)
        return item if item and [d["state"] for d in item["after"]["drives"]] == ["ok"] * 8 else None

    assert wait_for(healed, timeout=120, step=5)
    shards = [f"/srv/minio/disk{d}/sinpluma-images/{written_during_outage}/xl.meta" for d in (1, 2)]
    assert all(node(STOPPED).file(shard).is_file for shard in shards)
    assert s3(host, STOPPED, "GET", f"sinpluma-images/dist/{RUN}-b.txt", API_USER, password) == (200, "dos")
