"""S3 and admin calls from a lab host with curl's AWS signature v4 (what an API host would send)."""

from __future__ import annotations

import json
import time
from pathlib import Path

SECRETS = Path.home() / ".cache" / "sinpluma-lab" / "secrets"
API_USER = "sinpluma-api"
ROOT_USER = "sinpluma-root"
CONNECT = "import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)"


def secret(name: str) -> str:
    """A password the scenario generated with the password lookup (first word of the file)."""
    return (SECRETS / name).read_text().split()[0]


def s3(
    client,
    server: str,
    method: str,
    path: str,
    user: str,
    password: str,
    data: str | None = None,
    cacert: str | None = None,
):
    """(HTTP status, body) of a signed request from host `client` to MinIO on `server`; over
    HTTPS, verified with `cacert`, when that is given."""
    body_arg = f"--data-binary {_quote(data)}" if data is not None else ""
    url = f"{'https' if cacert else 'http'}://{server}:9000/{path.lstrip('/')}"
    tls_arg = f"--cacert {cacert}" if cacert else ""
    result = client.run(
        f"curl -sS -o /tmp/s3-body -w '%{{http_code}}' --max-time 20 {tls_arg} "
        f"--aws-sigv4 aws:amz:us-east-1:s3 --user {_quote(f'{user}:{password}')} -X {method} {body_arg} {url}"
    )
    assert result.rc == 0, result.stderr
    # Admin API answers are encrypted binary: keep the printable part.
    return int(result.stdout.strip()), client.run("LC_ALL=C tr -cd '[:print:]\\n' < /tmp/s3-body").stdout


def heal(client, server: str, prefix: str, password: str, timeout: float = 120) -> dict:
    """Heal `prefix` (bucket/path) through MinIO's admin heal API (what `mc admin heal -r` does)
    and wait for the sequence to finish; returns its final status (madmin.HealTaskStatus: Summary,
    Items with each object's drive states before and after)."""
    path = f"minio/admin/v3/heal/{prefix}"
    options = json.dumps({"recursive": True, "scanMode": 1})  # madmin.HealOpts, normal scan
    status, body = s3(client, server, "POST", f"{path}?forceStart=true", ROOT_USER, password, options)
    assert status == 200, body
    token = json.loads(body)["clientToken"]
    deadline = time.monotonic() + timeout
    while True:
        status, body = s3(client, server, "POST", f"{path}?clientToken={token}", ROOT_USER, password, "")
        assert status == 200, body
        report = json.loads(body)
        if report["Summary"] != "running" or time.monotonic() > deadline:
            return report
        time.sleep(2)


def can_connect(client, server: str, port: int) -> bool:
    return client.run(f"python3 -c '{CONNECT}' {server} {port}").rc == 0


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
