"""The real back end for the SPA's end-to-end tests, on loopback.

MySQL 9, Redis and MinIO come from the API tests' lab host (app_src/api/tests/api_test_services.py,
reused when healthy) with a database of our own (`sinpluma_web_e2e`, reset per run, migrated through
the migrator account); the API and the linguistics service run as real Gunicorn servers. The
SPA's own test proxy (server.mjs) sits in front of them, as nginx does in production.

Standalone:  .venv/bin/python app_src/web/tests/e2e/e2e_backend.py
(prints the URLs; Ctrl-C or SIGTERM stops the servers)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

WEB = Path(__file__).resolve().parents[2]
REPO_ROOT = WEB.parents[1]
API = REPO_ROOT / "app_src" / "api"
LINGUISTICS = REPO_ROOT / "app_src" / "linguistics"
DATABASE = "sinpluma_web_e2e"
# Short-lived access tokens: the flows meet expired tokens for real, and the refresh test waits little.
ACCESS_TOKEN_SECONDS = 8

for path in (API / "tests", API / "src", LINGUISTICS / "src", REPO_ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


@dataclass(frozen=True)
class Backend:
    api_url: str
    linguistics_url: str
    access_token_seconds: int
    logs: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{url}: the server exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (our own http://127.0.0.1 URL)
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def gunicorn(env: dict[str, str], config: str, app: str, log: Path) -> subprocess.Popen[bytes]:
    binary = Path(sys.executable).parent / "gunicorn"
    handle = log.open("wb")
    return subprocess.Popen(
        [str(binary), "-c", config, app], env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=REPO_ROOT
    )


@contextlib.contextmanager
def backend(logs: Path) -> Iterator[Backend]:
    import api_test_services as lab
    from alembic import command
    from sinpluma_api.cli import alembic_config
    from sinpluma_linguistics.training.modelbuild import ensure_model

    logs.mkdir(parents=True, exist_ok=True)
    services = lab.ensure_services()
    lab.reset_database(services, DATABASE)
    command.upgrade(
        alembic_config(services.db_url("sinpluma_migrator", services.migrator_password, DATABASE)), "head"
    )
    model = ensure_model(log=lambda line: print(line, file=sys.stderr))

    run = secrets.token_hex(4)
    api_port, lin_port = free_port(), free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SINPLUMA_", "LINGUISTICS_"))}
    pythonpath = os.pathsep.join([str(API / "src"), str(LINGUISTICS / "src")])
    api_env = base | {
        "PYTHONPATH": pythonpath,
        "SINPLUMA_DB_URL": services.db_url("sinpluma_app", services.app_password, DATABASE),
        "SINPLUMA_DB_MIGRATION_URL": services.db_url(
            "sinpluma_migrator", services.migrator_password, DATABASE
        ),
        "SINPLUMA_REDIS_URL": services.redis_url,
        "SINPLUMA_REDIS_KEY_PREFIX": f"sinpluma-web-e2e-{run}:",
        "SINPLUMA_MINIO_ENDPOINT": services.minio_endpoint,
        "SINPLUMA_MINIO_ACCESS_KEY": services.minio_user,
        "SINPLUMA_MINIO_SECRET_KEY": services.minio_password,
        "SINPLUMA_MINIO_SECURE": "false",
        "SINPLUMA_BUCKET_COVERS": "web-e2e-covers",
        "SINPLUMA_BUCKET_AVATARS": "web-e2e-avatars",
        "SINPLUMA_JWT_SECRET": secrets.token_hex(32),
        "SINPLUMA_ACCESS_TOKEN_SECONDS": str(ACCESS_TOKEN_SECONDS),
        "SINPLUMA_RATE_LIMIT_LOGIN": "1000/60",
        "SINPLUMA_RATE_LIMIT_REGISTER": "1000/60",
        "SINPLUMA_TRUSTED_PROXIES": "0",
        "SINPLUMA_LOG_LEVEL": "WARNING",
        "SINPLUMA_GUNICORN_BIND": f"127.0.0.1:{api_port}",
        "SINPLUMA_GUNICORN_WORKERS": "1",
        "SINPLUMA_GUNICORN_THREADS": "8",
    }
    subprocess.run(
        [str(Path(sys.executable).parent / "python"), "-m", "sinpluma_api.cli", "storage", "init"],
        env=api_env,
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    lin_env = base | {
        "PYTHONPATH": pythonpath,
        "LINGUISTICS_MODEL_DIR": str(model.model_dir),
        "LINGUISTICS_BIND": f"127.0.0.1:{lin_port}",
        "LINGUISTICS_WORKERS": "1",
        "LINGUISTICS_LOG_LEVEL": "WARNING",
    }
    processes = [
        gunicorn(api_env, "python:sinpluma_api.gunicorn_conf", "sinpluma_api.wsgi:app", logs / "api.log"),
        gunicorn(
            lin_env,
            "python:sinpluma_linguistics.gunicorn_conf",
            "sinpluma_linguistics.wsgi:app",
            logs / "linguistics.log",
        ),
    ]
    try:
        api_url, lin_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{lin_port}"
        wait_http(f"{api_url}/readyz", processes[0], logs / "api.log")
        wait_http(f"{lin_url}/readyz", processes[1], logs / "linguistics.log")
        yield Backend(api_url, lin_url, ACCESS_TOKEN_SECONDS, logs)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _stop(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM too (background jobs ignore SIGINT): stop the servers on the way out


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    with backend(WEB / "test-artifacts" / "logs") as found:
        print(f"API_URL={found.api_url}\nLIN_URL={found.linguistics_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
