"""Helpers shared by the Redis verify tests: lab secrets and redis-cli invocations on lab hosts."""

import os
import shlex
from pathlib import Path

SECRETS = Path(os.environ.get("HOME", "/root")) / ".cache" / "sinpluma-lab" / "secrets"
# Hosts of this scenario that serve TLS only (host_vars redis_tls_enabled in molecule.yml).
TLS_HOSTS = {"redis-sa-trixie"}
CA_ON_SERVER = "/etc/redis/tls/ca.pem"


def secret(name):
    """A password the lab's `password` lookup generated (the file may carry ` salt=...`)."""
    return (SECRETS / name).read_text().split(" salt=", 1)[0].strip()


def cli(server, *args, user=None, password=None, ca=CA_ON_SERVER, host="127.0.0.1"):
    """A shell command running redis-cli against `server`'s Redis as `user` (password in the env)."""
    words = ["redis-cli", "-h", host, "-p", "6379", "--no-auth-warning"]
    if server in TLS_HOSTS:
        words += ["--tls", "--cacert", ca]
    if user:
        words += ["--user", user]
    env = f"REDISCLI_AUTH={shlex.quote(password)} " if password else ""
    return env + shlex.join(words + [str(a) for a in args])


CONNECT = "import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)"


def tcp_probe(address, port):
    """A shell command that exits 0 when a TCP connection to address:port succeeds."""
    return "python3 -c '" + CONNECT + f"' {shlex.quote(address)} {int(port)}"
