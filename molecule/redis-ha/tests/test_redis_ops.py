"""Operations drills under client load, run after the steady-state and failover tests: a planned
stop of the primary (hand over first, lose nothing acknowledged) and the rotation of every Redis
password while clients keep working. Each leaves the set whole for the next."""

import itertools
import json
import shlex
import time
import uuid

import pytest
from ha_lab import (
    API_HOST,
    REDIS_HOSTS,
    SECRETS,
    admin,
    cli,
    info,
    lab_host,
    playbook,
    primaries,
    secret,
    set_is_whole,
    wait_until,
)

# Planned stops must move writes in well under Sentinel's crash detection (down-after 5 s).
PLANNED_STOP_MAX_GAP_S = 4.0

# Runs in the background on the API host with Debian's redis-py, the way the API writes
# revocations: discover the primary through Sentinel, SET sinpluma:revoked:<run>:<n>, one line per attempt
# ("<monotonic> ok <n>" or "<monotonic> err <n> <error>") until the stop file exists.
# fresh=1: new Sentinel and primary connections for every write, so every write authenticates
# (the rotation drill); errors are retried once (a connection closed under it), and logged.
WRITER = r"""
import os, sys, time
from redis.sentinel import Sentinel
run, out, stop, fresh = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
password = os.environ["REDIS_PASSWORD"]
hosts = [(h, 26379) for h in sys.argv[5].split(",")]
timeouts = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
def connect():
    sentinel = Sentinel(hosts, sentinel_kwargs={"username": "api", "password": password, **timeouts},
                        username="api", password=password, **timeouts)
    return sentinel.master_for("sinpluma")
primary = connect()
n = 0
with open(out, "w", buffering=1) as log:
    while not os.path.exists(stop):
        n += 1
        for attempt in (1, 2):
            try:
                if fresh:
                    primary = connect()
                primary.set(f"sinpluma:revoked:{run}:{n}", "1", ex=900)
                log.write(f"{time.monotonic():.3f} ok {n}\n")
                break
            except Exception as error:
                message = f"{type(error).__name__}: {error}".replace("\n", " ")
                log.write(f"{time.monotonic():.3f} err {n} {attempt} {message}\n")
                time.sleep(0.05)
        time.sleep(0.02)
"""


class Writer:
    """The background writer on the API host, started and stopped by the test."""

    def __init__(self, password, fresh):
        self.api = lab_host(API_HOST)
        self.run = uuid.uuid4().hex[:8]
        base = f"/root/writer-{self.run}"
        self.out, self.stop_file, script = f"{base}.log", f"{base}.stop", f"{base}.py"
        self.api.run(f"cat > {script} <<'EOF'\n{WRITER}\nEOF")
        self.pid = self.api.check_output(
            f"REDIS_PASSWORD={shlex.quote(password)} nohup python3 {script} {self.run} {self.out} "
            f"{self.stop_file} {int(fresh)} {','.join(REDIS_HOSTS)} >{base}.err 2>&1 & echo $!"
        )
        wait_until(lambda: " ok " in self.api.run(f"cat {self.out}").stdout, 15, "the writer did not write")

    def now(self):
        return float(self.api.check_output("python3 -c 'import time; print(time.monotonic())'"))

    def stop(self):
        self.api.run(f"touch {self.stop_file}")
        wait_until(lambda: self.api.run(f"kill -0 {self.pid}").rc != 0, 15, "the writer did not stop")
        lines = self.api.check_output(f"cat {self.out}").splitlines()
        self.acked = [
            (float(t), f"sinpluma:revoked:{self.run}:{n}")
            for t, kind, n, *_ in map(str.split, lines)
            if kind == "ok"
        ]
        self.errors = [(float(line.split()[0]), line.split(None, 1)[1]) for line in lines if " err " in line]
        return self

    def longest_gap(self):
        times = [t for t, _ in self.acked]
        return max((b - a for a, b in itertools.pairwise(times)), default=0.0)

    def failed_writes(self, since=0.0, until=float("inf")):
        """Writes that failed on both attempts between two instants."""
        second = {e.split()[1] for t, e in self.errors if e.split()[2] == "2" and since <= t <= until}
        return sorted(e for t, e in self.errors if e.split()[1] in second and since <= t <= until)


def stored(host, keys):
    """How many of `keys` the host's Redis holds."""
    total = 0
    for start in range(0, len(keys), 500):
        total += int(admin(host, "EXISTS", *keys[start : start + 500]).stdout.strip())
    return total


@pytest.fixture(autouse=True)
def whole_set():
    wait_until(set_is_whole, 60, "the set is not whole before the drill")
    yield
    wait_until(set_is_whole, 60, "the drill did not leave the set whole")


def test_planned_stop_of_the_primary_hands_over_without_losing_writes(capsys):
    old = primaries(REDIS_HOSTS)[0]
    old_host = lab_host(old)
    writer = Writer(secret("redis_api"), fresh=False)
    time.sleep(2)
    started = time.monotonic()
    old_host.check_output("systemctl stop redis-server")
    stop_seconds = time.monotonic() - started
    try:
        time.sleep(3)
        writer.stop()
        new = primaries([n for n in REDIS_HOSTS if n != old])
        assert len(new) == 1, f"no single new primary: {new}"
        keys = [k for _, k in writer.acked]
        assert stored(lab_host(new[0]), keys) == len(keys), (
            "acknowledged writes are missing on the new primary"
        )
        gap = writer.longest_gap()
        journal = old_host.check_output("journalctl -u redis-server -n 30 --no-pager | grep handover || true")
        with capsys.disabled():
            print(
                f"\nPLANNED STOP: {old} -> {new[0]}; systemctl stop took {stop_seconds:.2f} s; "
                f"{len(keys)} writes acknowledged, none lost; longest write gap {gap:.2f} s\n{journal}"
            )
        assert "primary handed over to" in journal
        assert gap <= PLANNED_STOP_MAX_GAP_S, f"writes stopped for {gap:.2f} s"
    finally:
        old_host.check_output("systemctl start redis-server")
    wait_until(
        lambda: info(old_host).get("role") == "slave" and info(old_host).get("master_link_status") == "up",
        60,
        f"{old} did not come back as a linked replica",
    )
    wait_until(lambda: stored(old_host, keys) == len(keys), 30, f"{old} did not receive every write")


NAMES = {
    "redis_admin": "redis_admin_password",
    "redis_api": "redis_api_password",
    "redis_replication": "redis_replication_password",
    "redis_sentinel": "redis_sentinel_password",
}


def rotate(tmp_path, passwords, previous):
    """Run the role with `passwords` (secret file name -> value) and the previous ones accepted."""
    variables = {NAMES[name]: value for name, value in passwords.items()}
    variables |= {
        NAMES[name].replace("_password", "_previous_passwords"): [value] for name, value in previous.items()
    }
    varfile = tmp_path / f"rotate-{len(list(tmp_path.iterdir()))}.json"
    varfile.write_text(json.dumps(variables))
    rc, output = playbook("rotate.yml", "-e", f"@{varfile}")
    assert rc == 0, output[-4000:]
    return output


def refused(host, user, password, port=6379):
    result = host.run(cli("PING", user=user, password=password, port=port))
    return "WRONGPASS" in result.stdout + result.stderr


def reconnect_everyone():
    """Close every replication and Sentinel connection: they come back only if their current
    credentials (masterauth, auth-pass, sentinel-pass) are accepted."""
    for name in REDIS_HOSTS:
        host = lab_host(name)
        admin(host, "CLIENT", "KILL", "USER", "sentinel")
        admin(host, "CLIENT", "KILL", "TYPE", "replica")
        admin(host, "CLIENT", "KILL", "USER", "sentinel", port=26379)
    time.sleep(2)


def test_rotating_every_password_keeps_clients_replication_and_sentinel_working(tmp_path, capsys):
    old = {name: secret(name) for name in NAMES}
    new = {name: f"rotated-{uuid.uuid4().hex}" for name in NAMES}
    old_writer = Writer(old["redis_api"], fresh=True)
    # Run 1: the new passwords everywhere, the old ones still accepted.
    rotate(tmp_path, new, previous=old)
    # Both are valid now; the scenario's secrets follow, so later runs and tests use the new ones.
    for name, value in new.items():
        (SECRETS / name).write_text(value + "\n")
    new_writer = Writer(new["redis_api"], fresh=True)
    removed = old_writer.now()
    # Run 2: the operator finishes the rotation; the old passwords are refused from now on.
    output = rotate(tmp_path, new, previous={})
    old_writer.stop()
    new_writer.stop()
    with capsys.disabled():
        print(
            f"\nROTATION: old-password client {len(old_writer.acked)} writes, "
            f"{len(old_writer.errors)} errors "
            f"({len(old_writer.failed_writes(until=removed))} failed before run 2); new-password client "
            f"{len(new_writer.acked)} writes, {len(new_writer.errors)} errors"
        )
    assert "changed=0" not in output.split("PLAY RECAP", 1)[1].splitlines()[1], "run 2 removed nothing"
    assert old_writer.failed_writes(until=removed) == [], "the old password failed before it was removed"
    assert new_writer.failed_writes() == [], "the new password failed during the rotation"
    assert old_writer.acked and new_writer.acked
    assert set_is_whole()
    # Every replication and Sentinel link authenticates again with the new credentials.
    reconnect_everyone()
    wait_until(set_is_whole, 30, "replicas or Sentinels did not come back with the new passwords")
    for name in REDIS_HOSTS:
        host = lab_host(name)
        assert "user=sentinel" in admin(host, "CLIENT", "LIST").stdout, f"no Sentinel logged in to {name}"
        assert "user=sentinel" in admin(host, "CLIENT", "LIST", port=26379).stdout, (
            f"no peer Sentinel on {name}"
        )
    # The old passwords are refused everywhere, the new ones accepted.
    host = lab_host(REDIS_HOSTS[0])
    for user, name in (("admin", "redis_admin"), ("api", "redis_api"), ("replica", "redis_replication"),
                       ("sentinel", "redis_sentinel")):  # fmt: skip
        assert refused(host, user, old[name]), f"{user} still accepts the old password"
        assert not refused(host, user, new[name]), f"{user} refuses the new password"
    for user, name in (("admin", "redis_admin"), ("api", "redis_api"), ("sentinel", "redis_sentinel")):
        assert refused(host, user, old[name], port=26379), (
            f"{user} on Sentinel still accepts the old password"
        )
    assert not refused(host, "api", new["redis_api"], port=26379)
