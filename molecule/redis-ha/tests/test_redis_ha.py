"""roles/redis with Sentinel HA: one primary, two replicas, three Sentinels; the API host finds
the primary through Sentinel. The failover test freezes the primary's whole host and measures
the seconds until a client using Sentinel discovery writes again."""

import shlex
import subprocess
import uuid

import pytest
from ha_lab import (
    REDIS_HOSTS,
    SERVICE,
    address,
    admin,
    info,
    lab_host,
    playbook,
    primaries,
    secret,
    wait_until,
)

DOWN_AFTER_S = 5.0
FAILOVER_TIMEOUT_S = 30.0

# Runs on the API host with Debian's redis-py: discover the primary through Sentinel and write a
# revocation, retrying until it works; prints the seconds it took.
CLIENT = r"""
import os, sys, time
from redis.sentinel import Sentinel
start = time.monotonic()
password = os.environ["REDIS_PASSWORD"]
sentinels = [(h, 26379) for h in sys.argv[1].split(",")]
key, deadline = sys.argv[2], start + float(sys.argv[3])
sentinel = Sentinel(sentinels, socket_timeout=0.5, socket_connect_timeout=0.5,
                    sentinel_kwargs={"username": "api", "password": password,
                                     "socket_timeout": 0.5, "socket_connect_timeout": 0.5},
                    username="api", password=password)
last = None
while time.monotonic() < deadline:
    try:
        primary = sentinel.master_for("sinpluma")
        primary.set(key, "1", ex=900)
        acked = primary.wait(1, 1000)
        host, port = sentinel.discover_master("sinpluma")
        print(f"{time.monotonic() - start:.2f} {host} {acked} {primary.get(key).decode()}")
        sys.exit(0)
    except Exception as error:
        last = error
        time.sleep(0.2)
print(f"no write within {sys.argv[3]} s: {last!r}", file=sys.stderr)
sys.exit(1)
"""


def client_write(key, timeout):
    api = lab_host("redis-ha-api")
    result = api.run(
        f"REDIS_PASSWORD={shlex.quote(secret('redis_api'))} python3 -c {shlex.quote(CLIENT)} "
        f"{','.join(REDIS_HOSTS)} {key} {timeout}"
    )
    assert result.rc == 0, result.stderr
    seconds, host, acked, value = result.stdout.split()
    return float(seconds), host, int(acked), value


@pytest.fixture(scope="module")
def primary():
    found = primaries(REDIS_HOSTS)
    assert len(found) == 1, f"expected one primary, found {found}"
    return found[0]


def test_one_primary_two_replicas_in_sync(primary):
    replication = info(lab_host(primary))
    assert replication["connected_slaves"] == "2"
    for name in REDIS_HOSTS:
        if name != primary:
            replica = info(lab_host(name))
            assert replica["role"] == "slave" and replica["master_link_status"] == "up"
            assert replica["master_host"] == address(lab_host(primary))


def test_every_sentinel_agrees_on_the_primary(primary):
    expected = address(lab_host(primary))
    for name in REDIS_HOSTS:
        sentinel = lab_host(name)
        reply = admin(sentinel, "SENTINEL", "MASTER", SERVICE, port=26379).stdout.splitlines()
        state = dict(zip(reply[::2], reply[1::2], strict=True))
        assert state["ip"] == expected and state["flags"] == "master"
        assert state["num-other-sentinels"] == "2" and state["num-slaves"] == "2"


def test_api_user_on_sentinel_may_only_discover():
    api = lab_host("redis-ha-api")
    auth = f"REDISCLI_AUTH={shlex.quote(secret('redis_api'))}"
    base = f"{auth} redis-cli --no-auth-warning --user api -h redis-ha-1 -p 26379"
    assert api.run(f"{base} SENTINEL GET-MASTER-ADDR-BY-NAME {SERVICE}").rc == 0
    refused = api.run(f"{base} SENTINEL FAILOVER {SERVICE}")
    assert "NOPERM" in refused.stdout + refused.stderr


def test_writes_replicate(primary):
    key = f"sinpluma:revoked:{uuid.uuid4()}"
    _, host, acked, value = client_write(key, 10)
    assert host == address(lab_host(primary)) and acked >= 1 and value == "1"
    for name in REDIS_HOSTS:
        assert admin(lab_host(name), "GET", key).stdout.strip() == "1", name


def test_failover_after_primary_host_dies(primary, capsys):
    before = f"sinpluma:revoked:{uuid.uuid4()}"
    client_write(before, 10)
    # The primary's host freezes: its Redis and its Sentinel stop answering, connections hang.
    subprocess.run(["docker", "pause", primary], check=True, stdout=subprocess.DEVNULL)
    try:
        seconds, new_address, _, value = client_write(f"sinpluma:revoked:{uuid.uuid4()}", 60)
        with capsys.disabled():
            print(f"\nFAILOVER: {primary} died; first write through Sentinel discovery after {seconds:.2f} s")
        survivors = [n for n in REDIS_HOSTS if n != primary]
        new_primary = primaries(survivors)
        assert len(new_primary) == 1 and new_address == address(lab_host(new_primary[0]))
        assert seconds < DOWN_AFTER_S + FAILOVER_TIMEOUT_S
        assert value == "1"
        assert admin(lab_host(new_primary[0]), "GET", before).stdout.strip() == "1"
    finally:
        subprocess.run(["docker", "unpause", primary], check=True, stdout=subprocess.DEVNULL)
    # Sentinel turns the returning old primary into a replica of the new one.
    old = lab_host(primary)
    wait_until(
        lambda: info(old).get("role") == "slave" and info(old).get("master_link_status") == "up",
        60,
        f"{primary} did not rejoin as a replica",
    )
    assert admin(old, "GET", before).stdout.strip() == "1"


def test_role_changes_nothing_after_a_failover():
    # The role must not fight Sentinel: a converge after the failover reports no change.
    rc, output = playbook("converge.yml")
    assert rc == 0, output[-3000:]
    recap = output.split("PLAY RECAP", 1)[1]
    assert recap.count("changed=0") == len(REDIS_HOSTS) + 1, recap
