"""Requests per second of the API under Gunicorn: a trivial endpoint (/healthz) and an authenticated
read (GET /users/me with a bearer token: JWT verification, the Redis revocation lookup, a MySQL
read), plus the public work page (GET /notebooks/<id>: three MySQL reads) for reference. All run
under the same Gunicorn settings; the ratio shows how close the real endpoint gets to the
framework's own limit.

Services: the SINPLUMA_* environment if SINPLUMA_DB_URL is set, else the API tests' lab host
(real MySQL 9, Redis, MinIO; started or reused), with its own `sinpluma_bench` database.
Gunicorn listens on 127.0.0.1 only; the load is bounded by time and request count.

    PYTHONPATH=. .venv/bin/python bench/api_bench.py [--seconds 12] [--rounds 3] [--clients 4] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
API_DIR = REPO_ROOT / "app_src" / "api"
for extra in (REPO_ROOT, API_DIR / "src", API_DIR / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

BENCH_DATABASE = "sinpluma_bench"
MAX_REQUESTS_PER_CLIENT = 200_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_environment() -> dict[str, str]:
    if os.environ.get("SINPLUMA_DB_URL"):
        return {key: value for key, value in os.environ.items() if key.startswith("SINPLUMA_")}
    import api_test_services as lab
    from alembic import command
    from sinpluma_api.cli import alembic_config

    services = lab.ensure_services()
    lab.reset_database(services, BENCH_DATABASE)
    command.upgrade(
        alembic_config(services.db_url("sinpluma_migrator", services.migrator_password, BENCH_DATABASE)),
        "head",
    )
    return {
        "SINPLUMA_DB_URL": services.db_url("sinpluma_app", services.app_password, BENCH_DATABASE),
        "SINPLUMA_REDIS_URL": services.redis_url,
        "SINPLUMA_MINIO_ENDPOINT": services.minio_endpoint,
        "SINPLUMA_MINIO_ACCESS_KEY": services.minio_user,
        "SINPLUMA_MINIO_SECRET_KEY": services.minio_password,
        "SINPLUMA_MINIO_SECURE": "false",
        "SINPLUMA_JWT_SECRET": uuid.uuid4().hex * 2,
        "SINPLUMA_REDIS_KEY_PREFIX": f"sinpluma-bench-{uuid.uuid4().hex[:8]}:",
        "SINPLUMA_LOG_LEVEL": "WARNING",
    }


def request(
    conn: http.client.HTTPConnection, method: str, path: str, body: dict | None = None, token: str = ""
) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, json.loads(data) if data else {}


def prepare(port: int) -> tuple[str, int]:
    """A writer with one work of three pages; returns (access token, notebook id)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    name = f"bench{uuid.uuid4().hex[:10]}"
    password = uuid.uuid4().hex
    account = {
        "user_name": name,
        "email": f"{name}@example.org",
        "first_name": "Bench",
        "last_name": "Mark",
        "password": password,
    }
    assert request(conn, "POST", "/register", account)[0] == 201
    status, tokens = request(conn, "POST", "/login", {"user_name": name, "password": password})
    assert status == 200, tokens
    token = tokens["access_token"]
    status, notebook = request(
        conn,
        "POST",
        "/notebooks",
        {"title": "Benchmark", "synopsis": "s", "genre_id": 1, "tags": ["bench"]},
        token,
    )
    assert status == 201, notebook
    for title in ("one", "two", "three"):
        assert request(conn, "POST", f"/notebooks/{notebook['id']}/pages", {"title": title}, token)[0] == 201
    conn.close()
    return token, notebook["id"]


def client_loop(args: tuple[int, str, str, float]) -> tuple[int, int]:
    port, path, token, seconds = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    ok = errors = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and ok + errors < MAX_REQUESTS_PER_CLIENT:
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                ok += 1
            else:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.close()
    return ok, errors


def measure(port: int, path: str, token: str, seconds: float, clients: int) -> tuple[float, int]:
    client_loop((port, path, token, 1.0))  # warm-up: pools, JIT-less caches, connections
    with multiprocessing.Pool(clients) as pool:
        started = time.monotonic()
        results = pool.map(client_loop, [(port, path, token, seconds)] * clients)
        elapsed = time.monotonic() - started
    ok = sum(result[0] for result in results)
    errors = sum(result[1] for result in results)
    return ok / elapsed, errors


def wait_ready(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited early")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the API did not become ready")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=12.0, help="measuring time per endpoint (all rounds)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive client processes")
    parser.add_argument("--workers", type=int, default=2, help="Gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per Gunicorn worker (gthread)")
    args = parser.parse_args(argv)

    env = {**os.environ, **service_environment()}
    port = free_port()
    env.update(
        SINPLUMA_GUNICORN_BIND=f"127.0.0.1:{port}",
        SINPLUMA_GUNICORN_WORKERS=str(args.workers),
        SINPLUMA_GUNICORN_THREADS=str(args.threads),
        SINPLUMA_GUNICORN_WORKER_CLASS="gthread",
        SINPLUMA_GUNICORN_LOG_LEVEL="warning",
        PYTHONPATH=os.pathsep.join([str(API_DIR / "src"), env.get("PYTHONPATH", "")]),
    )
    subprocess.run(
        [sys.executable, "-m", "sinpluma_api.cli", "storage", "init"],
        env=env,
        check=True,
        capture_output=True,
    )
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:sinpluma_api.gunicorn_conf"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(port, gunicorn)
        token, notebook_id = prepare(port)
        print(
            f"gunicorn: {args.workers} workers x {args.threads} threads (gthread) on 127.0.0.1:{port}; "
            f"{args.clients} keep-alive clients on the same {os.cpu_count()}-core machine; "
            f"{args.seconds:.0f} s per endpoint in {args.rounds} interleaved rounds"
        )
        # Interleaved rounds: load from other processes on the machine drifts, so each round measures
        # every endpoint back to back and the ratio is taken per round (median reported).
        endpoints = {
            "trivial": ("/healthz", ""),
            "authenticated": ("/users/me", token),
            "public": (f"/notebooks/{notebook_id}", ""),
        }
        rates: dict[str, list[float]] = {name: [] for name in endpoints}
        errors = dict.fromkeys(endpoints, 0)
        for _ in range(args.rounds):
            for name, (path, bearer) in endpoints.items():
                rate, failed = measure(port, path, bearer, args.seconds / args.rounds, args.clients)
                rates[name].append(rate)
                errors[name] += failed
        ratios = [
            auth / trivial for auth, trivial in zip(rates["authenticated"], rates["trivial"], strict=True)
        ]
        labels = {
            "trivial": "GET /healthz (trivial)",
            "authenticated": "GET /users/me (authenticated read)",
            "public": "GET /notebooks/<id> (public read)",
        }
        for name, label in labels.items():
            rate = statistics.median(rates[name])
            print(f"{label:38} {rate:8.0f} req/s  (median of {args.rounds}; errors: {errors[name]})")
        per_round = ", ".join(f"{ratio:.2f}" for ratio in ratios)
        print(
            f"{'ratio authenticated/trivial':38} {statistics.median(ratios):8.2f}  (per round: {per_round})"
        )
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
