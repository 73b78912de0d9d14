"""The artifact installs on a Debian sid lab host (Python 3.14) with every network disconnected."""

from __future__ import annotations

import subprocess
import sys

import pytest

HOST = "api-artifact-check"
NETWORK = "sinpluma-api-artifact"


def run_on_host(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["docker", "exec", "-i", HOST, "bash", "-euo", "pipefail", "-s"],
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def artifact(lab):
    """The artifact as the toolkit builds it (cached by the wheelhouse builder when inputs are unchanged)."""
    out = lab.REPO_ROOT / "dist" / "api"
    subprocess.run(
        [sys.executable, str(lab.REPO_ROOT / "app_src" / "api" / "build_artifact.py"), "--out", str(out)],
        cwd=lab.REPO_ROOT,
        check=True,
    )
    return out


def test_wheelhouse_installs_offline_and_runs(artifact, lab):
    hosts = lab.hosts
    hosts.destroy(HOST)
    hosts.create(hosts.HostSpec(HOST, "sid", (NETWORK,)))
    try:
        # Host preparation any role does from the Debian mirror; the artifact itself needs no network.
        prepared = run_on_host(
            "apt-get install -y -qq python3-venv >/dev/null 2>&1"
            " || (apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null)"
        )
        assert prepared.returncode == 0, prepared.stderr
        subprocess.run(["docker", "cp", str(artifact), f"{HOST}:/opt/api-artifact"], check=True)
        subprocess.run(["docker", "network", "disconnect", NETWORK, HOST], check=True)
        installed = run_on_host(
            """
test -z "$(ip -4 route)" && test -z "$(ip -6 route | grep -v '^fe80\\|^::1\\|^multicast' || true)"
cd /opt/api-artifact && sha256sum --quiet -c SHA256SUMS
python3 -m venv /opt/sinpluma-api
/opt/sinpluma-api/bin/pip install --no-index --find-links /opt/api-artifact/wheels -q sinpluma-api
/opt/sinpluma-api/bin/sinpluma-api --help >/dev/null
/opt/sinpluma-api/bin/python - <<'PY'
import sys
from sinpluma_api.config import Settings
from sinpluma_api import create_app
env = {
    "SINPLUMA_DB_URL": "mysql+pymysql://u:p@127.0.0.1:1/x", "SINPLUMA_JWT_SECRET": "s" * 40,
    "SINPLUMA_REDIS_URL": "redis://127.0.0.1:1/0", "SINPLUMA_MINIO_ENDPOINT": "127.0.0.1:1",
    "SINPLUMA_MINIO_ACCESS_KEY": "a", "SINPLUMA_MINIO_SECRET_KEY": "b",
}
app = create_app(Settings.from_env(env))
client = app.test_client()
assert client.get("/healthz").status_code == 200
assert client.get("/openapi.json").json["openapi"].startswith("3.")
print(sys.version.split()[0], "ok")
PY
/opt/sinpluma-api/bin/gunicorn --version
"""
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
        assert "3.14" in installed.stdout and "ok" in installed.stdout
    finally:
        lab.hosts.destroy(HOST)
