#!/usr/bin/env python3
"""Sentiment service throughput: one GET per sentence (the original's way) versus POST /sentiment/batch.

Starts the real service (Gunicorn, packaged config) on 127.0.0.1 only, sends a bounded number of
requests from one sequential client, prints sentences/second for both paths, their ratio, and the
p50/p99 latency of a one-sentence request; then stops the server. Run from the repository root:

    python bench/linguistics_bench.py [--gets 400] [--batches 20] [--batch-size 500]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SRC = REPO_ROOT / "app_src" / "linguistics" / "src"
sys.path.insert(0, str(SRC))

from sinpluma_linguistics.training.modelbuild import ensure_model  # noqa: E402

HOST = "127.0.0.1"  # loopback only, by design
TIME_BUDGET_SECONDS = 300

SUBJECTS = ["The story", "This chapter", "The ending", "Her voice", "The dialogue", "The plot", "His letter"]
VERDICTS = [
    "was wonderful and moving",
    "felt slow and boring",
    "is a delight to read",
    "made no sense at all",
    "left me angry and disappointed",
    "was beautifully written",
    "is honest, warm and funny",
    "dragged on far too long",
]
TAILS = ["", " today", ", I think", " from the first page", " in the end", " for most readers"]


def sentences(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(SUBJECTS)} {rng.choice(VERDICTS)}{rng.choice(TAILS)}." for _ in range(count)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_server(port: int, model_dir: Path, workers: int, batch_size: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "LINGUISTICS_BIND": f"{HOST}:{port}",
        "LINGUISTICS_WORKERS": str(workers),
        "LINGUISTICS_MODEL_DIR": str(model_dir),
        "LINGUISTICS_MAX_BATCH_ITEMS": str(max(batch_size, 1)),
        "LINGUISTICS_LOG_LEVEL": "WARNING",
    }
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:sinpluma_linguistics.gunicorn_conf",
        "sinpluma_linguistics.wsgi:app",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if request(port, "GET", "/readyz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit("the service did not become ready within 120 s")


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM (graceful), then SIGKILL to the server's own process group if it lingers."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench_gets(port: int, texts: list[str], deadline: float) -> tuple[float, list[float]]:
    latencies: list[float] = []
    started = time.perf_counter()
    for index, text in enumerate(texts):
        if time.monotonic() > deadline:
            break
        query = urllib.parse.urlencode({"key": f"highlight_{index}", "sentence": text})
        sent = time.perf_counter()
        status, _ = request(port, "GET", f"/sentiment?{query}")
        latencies.append(time.perf_counter() - sent)
        if status != 200:
            raise SystemExit(f"GET /sentiment answered {status}")
    return len(latencies) / (time.perf_counter() - started), latencies


def bench_batches(port: int, texts: list[str], batches: int, size: int, deadline: float) -> float:
    done = 0
    started = time.perf_counter()
    for batch in range(batches):
        if time.monotonic() > deadline:
            break
        chunk = texts[(batch * size) % len(texts) :][:size] or texts[:size]
        body = json.dumps({"items": [{"key": i, "sentence": s} for i, s in enumerate(chunk)]}).encode()
        status, answer = request(port, "POST", "/sentiment/batch", body)
        if status != 200 or len(json.loads(answer)["items"]) != len(chunk):
            raise SystemExit(f"POST /sentiment/batch answered {status}")
        done += len(chunk)
    return done / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gets", type=int, default=400, help="per-sentence GET requests (default 400)")
    parser.add_argument("--batches", type=int, default=20, help="batch POST requests (default 20)")
    parser.add_argument("--batch-size", type=int, default=500, help="sentences per batch (default 500)")
    parser.add_argument("--workers", type=int, default=2, help="Gunicorn workers (default 2)")
    parser.add_argument("--model-dir", type=Path, help="model directory (default: the build cache)")
    args = parser.parse_args(argv)
    if min(args.gets, args.batches, args.batch_size) < 1:
        parser.error("counts must be positive")

    model_dir = args.model_dir or ensure_model(log=lambda line: print(line, file=sys.stderr)).model_dir
    port = free_port()
    server = start_server(port, model_dir, args.workers, args.batch_size)
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    try:
        texts = sentences(max(args.gets, args.batch_size * 2), seed=1)
        for text in texts[:20]:  # warm both workers' first-call paths
            request(port, "GET", "/sentiment?" + urllib.parse.urlencode({"key": "w", "sentence": text}))
        get_rate, latencies = bench_gets(port, texts[: args.gets], deadline)
        batch_rate = bench_batches(port, texts, args.batches, args.batch_size, deadline)
    finally:
        stop_server(server)

    p50, p99 = percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000
    print(f"service: gunicorn, {args.workers} sync workers, {HOST}:{port}, one sequential client")
    print(f"per-sentence GET   : {get_rate:10.1f} sentences/s ({len(latencies)} requests)")
    print(f"batch POST ({args.batch_size:>4})  : {batch_rate:10.1f} sentences/s ({args.batches} requests)")
    print(f"batch / per-sentence throughput: {batch_rate / get_rate:.1f}x (target >= 20x)")
    mean = statistics.mean(latencies) * 1000
    print(f"one-sentence GET latency: p50 {p50:.2f} ms, p99 {p99:.2f} ms, mean {mean:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
