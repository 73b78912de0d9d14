#!/usr/bin/env python3
"""Continuous single-row INSERTs through MySQL Router, recording every acknowledged write.

Runs ON a lab host that may reach Router (it is copied there by the failover drills and by
bench/innodb_failover.py): the only target is the Router address given, a project test host.
Bounded: it stops after --seconds, or earlier on SIGTERM. Prints one JSON object: acknowledged
sequence numbers, the longest window without a successful write, and when it happened.

Needs mysql-connector-python (Debian: python3-mysql.connector).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6446)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--table", default="sinpluma.drill_writes")
    parser.add_argument("--run", required=True, help="label of this run, stored with every row")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--connect-timeout", type=int, default=1)
    parser.add_argument("--out", required=True, help="file to write the JSON result to")
    args = parser.parse_args()

    import mysql.connector

    with open(args.password_file) as handle:
        password = handle.read().split()[0]
    started = time.monotonic()
    deadline = started + args.seconds
    acked: list[int] = []
    errors = 0
    error_log: list[str] = []  # the first errors, with their offset: what a gap was made of
    last_ok = started
    longest = (0.0, 0.0, 0.0)  # (gap seconds, gap start offset, gap end offset)
    connection = None
    seq = 0
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    while time.monotonic() < deadline and not stopping:
        seq += 1
        try:
            if connection is None:
                connection = mysql.connector.connect(
                    host=args.host,
                    port=args.port,
                    user=args.user,
                    password=password,
                    connection_timeout=args.connect_timeout,
                    autocommit=True,
                )
            cursor = connection.cursor()
            cursor.execute(f"INSERT INTO {args.table} (run, seq) VALUES (%s, %s)", (args.run, seq))
            cursor.close()
        except Exception as exc:
            errors += 1
            if len(error_log) < 20:
                error_log.append(f"{time.monotonic() - started:.2f}s {type(exc).__name__}: {str(exc)[:160]}")
            if connection is not None:
                with contextlib.suppress(Exception):  # the server side is gone already
                    connection.close()
                connection = None
            time.sleep(0.05)
            continue
        now = time.monotonic()
        acked.append(seq)
        if now - last_ok > longest[0]:
            longest = (now - last_ok, last_ok - started, now - started)
        last_ok = now
        time.sleep(0.01)
    ended = time.monotonic()
    if ended - last_ok > longest[0]:  # writes that never came back count to the end of the run
        longest = (ended - last_ok, last_ok - started, ended - started)
    result = {
        "run": args.run,
        "seconds": round(time.monotonic() - started, 3),
        "attempts": seq,
        "acknowledged": acked,
        "errors": errors,
        "error_log": error_log,
        "longest_gap_s": round(longest[0], 3),
        "gap_started_at_s": round(longest[1], 3),
        "gap_ended_at_s": round(longest[2], 3),
    }
    with open(args.out, "w") as handle:
        json.dump(result, handle)
    print(json.dumps({k: v for k, v in result.items() if k != "acknowledged"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
