"""Property-based fuzzing from the OpenAPI document (schemathesis + hypothesis): no generated request
may get a 5xx, and every error keeps the {"error": ...} shape.

Both valid (positive) and schema-violating (negative) requests are generated for every operation.
Bounded: SINPLUMA_FUZZ_EXAMPLES examples per operation and mode (default 10), derandomized so runs
repeat. Each request carries a valid token (logout and refresh get a fresh one per case: they spend theirs).
(schemathesis' own pytest plugin does not run on pytest 9, so hypothesis drives the strategies.)
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

EXAMPLES = int(os.environ.get("SINPLUMA_FUZZ_EXAMPLES", "10"))


def test_no_generated_request_gets_a_server_error(fuzz_schema, fuzz_account):
    failures: list[str] = []
    calls = 0
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) >= 35
    shared = fuzz_account["login"]()

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(mode))
            def check(case) -> None:
                nonlocal calls
                spends_token = case.path in {"/logout", "/refresh"}
                tokens = fuzz_account["login"]() if spends_token else shared
                token = tokens["_refresh"] if case.path == "/refresh" else tokens["Authorization"].split()[1]
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                calls += 1
                where = f"{case.method} {case.formatted_path} -> {response.status_code}"
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.text[:200]}")
                elif response.status_code >= 400 and set(response.json()) != {"error"}:
                    failures.append(f"{where}: error body {response.text[:200]}")

            try:
                check()
            except Unsatisfiable:  # e.g. no way to violate the schema of an operation without inputs
                continue
    print(f"fuzz: {len(operations)} operations, {calls} requests, {len(failures)} failures")
    assert failures == []
