"""Seconds from the death of the Redis primary's host to the first write through Sentinel discovery.

Runs against the hosts of the `redis-ha` Molecule scenario (converge it first:
`molecule converge -s redis-ha`). Freezes the current primary's host with `docker pause`
(its Redis and its Sentinel stop answering, connections hang), then a client on the API host
(redis-py's Sentinel, 0.5 s timeouts, 0.2 s between attempts) writes a revocation until it
succeeds; prints the seconds, unfreezes the host and waits until it is a replica again.

    .venv/bin/python bench/redis_failover.py [--runs 3]
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

HOSTS = ["redis-ha-1", "redis-ha-2", "redis-ha-3"]
API_HOST = "redis-ha-api"
SECRETS = Path.home() / ".cache" / "sinpluma-lab" / "secrets"

CLIENT = r"""
import os, sys, time
from redis.sentinel import Sentinel
start = time.monotonic()
password = os.environ["REDIS_PASSWORD"]
sentinel = Sentinel([(h, 26379) for h in sys.argv[1].split(",")], socket_timeout=0.5,
                    socket_connect_timeout=0.5, username="api", password=password,
                    sentinel_kwargs={"username": "api", "password": password,
                                     "socket_timeout": 0.5, "socket_connect_timeout": 0.5})
while time.monotonic() < start + 60:
    try:
        sentinel.master_for("sinpluma").set(sys.argv[2], "1", ex=900)
        print(f"{time.monotonic() - start:.2f}")
        sys.exit(0)
    except Exception:
        time.sleep(0.2)
sys.exit(1)
"""


def secret(name: str) -> str:
    return (SECRETS / name).read_text().split(" salt=", 1)[0].strip()


def docker_exec(host: str, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", "exec", host, "sh", "-c", command], capture_output=True, text=True)


def role(host: str) -> str:
    auth = f"REDISCLI_AUTH={shlex.quote(secret('redis_admin'))}"
    out = docker_exec(host, f"{auth} redis-cli --no-auth-warning --user admin ROLE").stdout
    return out.split("\n", 1)[0].strip()


def primary() -> str:
    found = [h for h in HOSTS if role(h) == "master"]
    if len(found) != 1:
        raise SystemExit(f"expected one primary, found {found}: converge the redis-ha scenario first")
    return found[0]


def failover_seconds() -> float:
    victim = primary()
    subprocess.run(["docker", "pause", victim], check=True, stdout=subprocess.DEVNULL)
    try:
        env = f"REDIS_PASSWORD={shlex.quote(secret('redis_api'))}"
        result = docker_exec(
            API_HOST,
            f"{env} python3 -c {shlex.quote(CLIENT)} {','.join(HOSTS)} revoked:bench-{uuid.uuid4()}",
        )
        if result.returncode != 0:
            raise SystemExit(f"no write within 60 s after {victim} died: {result.stderr}")
        seconds = float(result.stdout)
    finally:
        subprocess.run(["docker", "unpause", victim], check=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while role(victim) != "slave" and time.monotonic() < deadline:
        time.sleep(1)
    print(f"{victim} died; first write through Sentinel after {seconds:.2f} s; it rejoined as a replica")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    results = []
    for run in range(args.runs):
        if run:
            time.sleep(65)  # Sentinel waits 2 x failover-timeout (30 s) before failing over one set again
        results.append(failover_seconds())
    listed = " ".join(f"{s:.2f}" for s in results)
    print(f"failover seconds: {listed}; median {statistics.median(results):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
