"""The real server: Gunicorn with the packaged config, on a loopback port, spoken to over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(
    url: str, body: bytes | None = None, content_type: str = "application/json"
) -> tuple[int, dict, dict]:
    headers = {"Content-Type": content_type} if body else {}
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (loopback URL)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


@pytest.fixture(scope="module")
def server(
    model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    port = free_loopback_port()
    log_path = tmp_path_factory.mktemp("gunicorn") / "stderr.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "LINGUISTICS_BIND": f"127.0.0.1:{port}",
        "LINGUISTICS_WORKERS": "2",
        "LINGUISTICS_MODEL_DIR": str(model_dir),
        "LINGUISTICS_MAX_BATCH_ITEMS": "20",
    }
    command = [
        sys.executable, "-m", "gunicorn", "-c", "python:sinpluma_linguistics.gunicorn_conf",
        "sinpluma_linguistics.wsgi:app",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(base, process, log_path)
        yield base, process, log_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the server's own process group: master and workers
            process.wait()


def _wait_until_ready(base: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 180  # a busy 2-core CI machine imports scikit-learn slowly
    while True:
        try:
            if call(f"{base}/readyz")[0] == 200:
                return
        except (urllib.error.URLError, OSError):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"gunicorn did not become ready:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)


def test_get_over_http(server) -> None:
    base, _, _ = server
    query = urllib.parse.urlencode({"key": "highlight_1", "sentence": "I love this, it is wonderful"})
    status, body, headers = call(f"{base}/sentiment?{query}")
    assert status == 200
    assert (body["key"], body["sentiment"]) == ("highlight_1", "positive")
    assert headers["Content-Type"] == "application/json"


def test_batch_and_its_limit_over_http(server) -> None:
    base, _, _ = server
    items = [{"key": i, "sentence": s} for i, s in enumerate(["Great!", "Terrible, I hate it."])]
    status, body, _ = call(f"{base}/sentiment/batch", json.dumps({"items": items}).encode())
    assert status == 200
    assert [r["sentiment"] for r in body["items"]] == ["positive", "negative"]
    too_many = json.dumps({"items": [{"key": i, "sentence": "ok"} for i in range(21)]}).encode()
    status, body, _ = call(f"{base}/sentiment/batch", too_many)
    assert (status, body["error"]["code"]) == (413, "too_many_items")


def test_malformed_body_over_http_is_a_json_400(server) -> None:
    base, _, _ = server
    status, body, _ = call(f"{base}/sentiment/batch", b"{broken")
    assert (status, body["error"]["code"]) == (400, "malformed_json")


def test_logs_are_json_lines_with_request_ids(server) -> None:
    base, _, log_path = server
    request = urllib.request.Request(f"{base}/healthz", headers={"X-Request-ID": "trace-42"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310
        pass
    time.sleep(0.3)
    entries = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    assert any(e.get("message") == "model loaded" for e in entries)
    assert any(e.get("request_id") == "trace-42" and e.get("path") == "/healthz" for e in entries)


def test_sigterm_stops_gracefully(server) -> None:
    _, process, log_path = server
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert "Shutting down" in log_path.read_text()
