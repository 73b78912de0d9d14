#!/usr/bin/env python3
"""Requests at a fixed rate through nginx while a rollout runs: reads (GET /api/notebooks), writes
(POST /api/notebooks as a registered writer) and sentiment (POST /api/lin/sentiment/batch).

    rollout_load.py https://app-edge STOP_FILE REPORT_FILE [RATE_PER_KIND]

Runs until STOP_FILE exists (at most 30 minutes), then writes REPORT_FILE: counts per kind,
every failure (status or exception) with its time, and the ids of the works created. Every
request has a 10 s timeout; a request counts as failed unless it gets its expected status.
Standard library only (the client host needs nothing but python3)."""

import http.client
import json
import os
import secrets
import ssl
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

BASE, STOP, REPORT = sys.argv[1], sys.argv[2], sys.argv[3]
RATE = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0
HOST = urlsplit(BASE).hostname
CONTEXT = ssl.create_default_context()
LOCK = threading.Lock()
REPORT_DATA = {"counts": {}, "failures": [], "created": []}


def request(method, path, body=None, token=None):
    connection = http.client.HTTPSConnection(HOST, 443, timeout=10, context=CONTEXT)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def record(kind, ok, detail=None, created=None):
    with LOCK:
        counts = REPORT_DATA["counts"].setdefault(kind, {"ok": 0, "failed": 0})
        counts["ok" if ok else "failed"] += 1
        if not ok:
            REPORT_DATA["failures"].append({"kind": kind, "at": time.time(), "detail": detail})
        if created is not None:
            REPORT_DATA["created"].append(created)


def writer_token():
    name = f"load{uuid.uuid4().hex[:8]}"
    account = {"first_name": "Load", "last_name": "Writer", "user_name": name, "email": f"{name}@example.org",
               "password": secrets.token_urlsafe(18)}  # fmt: skip
    status, body = request("POST", "/api/register", account)
    assert status == 201, (status, body)
    status, body = request("POST", "/api/login", {"user_name": name, "password": account["password"]})
    assert status == 200, (status, body)
    return json.loads(body)["access_token"]


def loop(action):
    interval, next_at, deadline = 1.0 / RATE, time.monotonic(), time.monotonic() + 1800
    while not os.path.exists(STOP) and time.monotonic() < deadline:
        threading.Thread(target=action, daemon=True).start()
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))


def main():
    token = writer_token()
    status, body = request("GET", "/api/genres")
    genre = json.loads(body)["items"][0]["id"] if status == 200 else None
    assert genre is not None, (status, body)
    sentences = {"items": [{"key": "a", "sentence": "A bright and happy morning."},
                           {"key": "b", "sentence": "A cold, sad and lonely night."}]}  # fmt: skip

    def call(kind, method, path, body, expected, tok=None, created_key=None):
        def run():
            try:
                status, text = request(method, path, body, tok)
                ok = status == expected
                created = json.loads(text).get(created_key) if ok and created_key else None
                record(kind, ok, None if ok else f"{status} {text[:200]!r}", created)
            except Exception as error:  # every failure is counted, whatever it is
                record(kind, False, f"{type(error).__name__}: {error}")

        return run

    work = {"title": "Rollout", "genre_id": genre}
    actions = {
        "read": call("read", "GET", "/api/notebooks?per_page=5", None, 200),
        "write": call("write", "POST", "/api/notebooks", work, 201, token, "id"),
        "sentiment": call("sentiment", "POST", "/api/lin/sentiment/batch", sentences, 200),
    }
    threads = [threading.Thread(target=loop, args=(action,)) for action in actions.values()]
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(11)  # the last requests' timeout
    REPORT_DATA["seconds"] = round(time.time() - started, 1)
    REPORT_DATA["rate_per_kind"] = RATE
    with open(REPORT, "w") as handle:
        json.dump(REPORT_DATA, handle)


if __name__ == "__main__":
    main()
