"""roles/redis standalone, verified on the Redis hosts with redis-cli as a client would use it."""

import time
import uuid

import pytest
from redis_lab import cli, secret

testinfra_hosts = ["ansible://redis"]

API_PASSWORD = secret("redis_api")
ADMIN_PASSWORD = secret("redis_admin")


def api(host, *args):
    return host.run(cli(host.backend.get_hostname(), *args, user="api", password=API_PASSWORD))


def admin(host, *args):
    return host.run(cli(host.backend.get_hostname(), *args, user="admin", password=ADMIN_PASSWORD))


def wait_for_pong(host, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if admin(host, "PING").stdout.strip() == "PONG":
            return
        time.sleep(0.5)
    pytest.fail(f"Redis on {host.backend.get_hostname()} did not answer within {timeout} s")


def main_pid(host):
    return host.check_output("systemctl show -P MainPID redis-server")


def test_service_runs_hardened_as_redis(host):
    service = host.service("redis-server")
    assert service.is_running and service.is_enabled
    props = host.check_output(
        "systemctl show -p User -p NoNewPrivileges -p ProtectSystem -p PrivateUsers redis-server"
    )
    assert "User=redis" in props and "NoNewPrivileges=yes" in props
    assert "ProtectSystem=strict" in props and "PrivateUsers=yes" in props
    assert host.process.get(pid=int(main_pid(host))).user == "redis"


def test_listens_on_loopback_and_private_address_only(host):
    listening = host.check_output("ss -Htln 'sport = :6379'")
    assert "127.0.0.1:6379" in listening
    assert "0.0.0.0:6379" not in listening and "*:6379" not in listening


def test_durability_and_eviction_settings(host):
    settings = admin(host, "CONFIG", "GET", "*").stdout.splitlines()
    config = dict(zip(settings[::2], settings[1::2], strict=True))
    assert config["appendonly"] == "yes"
    assert config["appendfsync"] == "everysec"
    assert config["maxmemory-policy"] == "noeviction"
    assert int(config["maxmemory"]) == 64 * 1024 * 1024


def test_api_sets_with_ttl_and_reads_back(host):
    key = f"sinpluma:revoked:{uuid.uuid4()}"
    assert api(host, "SET", key, "1", "EX", "600").stdout.strip() == "OK"
    assert api(host, "GET", key).stdout.strip() == "1"
    assert api(host, "EXISTS", key).stdout.strip() == "1"
    assert 0 < int(api(host, "TTL", key).stdout) <= 600


# The API's rate limiter: one script over a sorted set (services/ratelimit.py); Redis checks
# the commands a script calls against the caller's ACL.
WINDOW = (
    "local t = redis.call('TIME') redis.call('ZADD', KEYS[1], t[1], t[1] .. t[2]) "
    "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t[1] - 60) redis.call('INCR', KEYS[1] .. ':n') "
    "redis.call('PEXPIRE', KEYS[1], 60000) return redis.call('ZCARD', KEYS[1])"
)


def test_api_runs_the_rate_limiters_script_on_its_keys_only(host):
    key = f"sinpluma:ratelimit:login:{{{uuid.uuid4()}}}"
    assert api(host, "EVAL", WINDOW, "1", key).stdout.strip() == "1"
    sha = api(host, "SCRIPT", "LOAD", WINDOW).stdout.strip()
    assert api(host, "EVALSHA", sha, "1", key).stdout.strip() == "2"
    outside = api(host, "EVAL", WINDOW, "1", "session:1")
    assert "NOPERM" in outside.stdout + outside.stderr, outside.stdout
    flush = api(host, "EVAL", "return redis.call('FLUSHALL')", "0")
    # Redis 7.0 and 8.0 word the refusal of a command inside a script differently.
    refusal = flush.stdout + flush.stderr
    assert "can't run this command" in refusal or "no permissions to run the 'flushall'" in refusal, refusal
    assert admin(host, "EXISTS", key).stdout.strip() == "1"  # nothing was flushed


@pytest.mark.parametrize(
    "command",
    [
        ["CONFIG", "GET", "maxmemory"],
        ["FLUSHALL"],
        ["KEYS", "*"],
        ["KEYS", "sinpluma:*"],
        ["GET", "session:1"],
        ["SET", "session:1", "x"],
        ["DEL", "sinpluma:revoked:x"],
        ["ACL", "LIST"],
    ],
)
def test_api_is_refused_anything_else(host, command):
    result = api(host, *command)
    assert "NOPERM" in result.stdout + result.stderr, result.stdout


def test_debug_command_is_disabled_even_for_admin(host):
    assert "DEBUG command not allowed" in admin(host, "DEBUG", "SLEEP", "0").stdout


def test_default_user_is_refused(host):
    name = host.backend.get_hostname()
    unauthenticated = host.run(cli(name, "PING"))
    assert "NOAUTH" in unauthenticated.stdout + unauthenticated.stderr
    as_default = host.run(cli(name, "PING", user="default", password=uuid.uuid4().hex))
    assert "WRONGPASS" in as_default.stdout + as_default.stderr
    assert admin(host, "ACL", "GETUSER", "default").stdout.splitlines()[1] == "off"


def test_wrong_password_is_refused(host):
    result = host.run(cli(host.backend.get_hostname(), "PING", user="api", password=uuid.uuid4().hex))
    assert "WRONGPASS" in result.stdout + result.stderr


def test_revocation_survives_systemctl_restart(host):
    key = f"sinpluma:revoked:{uuid.uuid4()}"
    assert api(host, "SET", key, "1", "EX", "900").stdout.strip() == "OK"
    before = main_pid(host)
    host.check_output("systemctl restart redis-server")
    wait_for_pong(host)
    assert main_pid(host) != before
    assert api(host, "GET", key).stdout.strip() == "1"
    assert 0 < int(api(host, "TTL", key).stdout) <= 900


def test_revocation_survives_kill_9(host):
    key = f"sinpluma:revoked:{uuid.uuid4()}"
    assert api(host, "SET", key, "1", "EX", "900").stdout.strip() == "OK"
    before = main_pid(host)
    host.check_output(f"kill -9 {before}")
    deadline = time.monotonic() + 30
    while main_pid(host) in ("0", before) and time.monotonic() < deadline:
        time.sleep(0.5)
    wait_for_pong(host)
    assert main_pid(host) not in ("0", before), "systemd did not restart the killed redis-server"
    assert api(host, "GET", key).stdout.strip() == "1"
    assert 0 < int(api(host, "TTL", key).stdout) <= 900


def test_full_memory_refuses_writes_and_keeps_entries(host):
    kept = f"sinpluma:revoked:{uuid.uuid4()}"
    assert api(host, "SET", kept, "1", "EX", "900").stdout.strip() == "OK"
    limit = admin(host, "CONFIG", "GET", "maxmemory").stdout.splitlines()[1]
    try:
        assert admin(host, "CONFIG", "SET", "maxmemory", "1").stdout.strip() == "OK"
        refused = api(host, "SET", f"sinpluma:revoked:{uuid.uuid4()}", "1", "EX", "900")
        assert "OOM" in refused.stdout + refused.stderr
        assert api(host, "GET", kept).stdout.strip() == "1"
    finally:
        admin(host, "CONFIG", "SET", "maxmemory", limit)
    assert admin(host, "INFO", "stats").stdout.count("evicted_keys:0") == 1
