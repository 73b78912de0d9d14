"""Property-based fuzzing from the OpenAPI document (schemathesis + hypothesis): no generated request
may get a 5xx, every error keeps the {"error": ...} shape, and valid requests get responses that
conform to the document (status, content type, headers, body schema).

Both valid (positive) and schema-violating (negative) requests are generated for every operation.
Bounded: SINPLUMA_FUZZ_EXAMPLES examples per operation and mode (default 10), derandomized so runs
repeat. Each request carries a valid token (logout and refresh get a fresh one per case: they spend theirs).
(schemathesis' own pytest plugin does not run on pytest 9, so hypothesis drives the strategies.)
"""

from __future__ import annotations

import contextlib
import os

from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("SINPLUMA_FUZZ_EXAMPLES", "10"))
# Valid requests must also get documented statuses, content types, headers and bodies.
CONFORMANCE = [
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def fuzz_operation(operation, mode, send, failures: list[str]) -> int:
    """Run one operation's generated cases in one mode; returns how many requests were sent."""
    sent = 0
    check_conformance = mode is GenerationMode.POSITIVE

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode))
    def check(case) -> None:
        nonlocal sent
        response = send(case)
        sent += 1
        where = f"{case.method} {case.formatted_path} -> {response.status_code}"
        if response.status_code >= 500:
            failures.append(f"{where}: {response.text[:200]}")
        elif response.status_code >= 400 and set(response.json()) != {"error"}:
            failures.append(f"{where}: error body {response.text[:200]}")
        if check_conformance:
            try:
                case.validate_response(response, checks=CONFORMANCE)
            except BaseException as exc:  # schemathesis reports a group of check failures
                failures.append(f"{where}: {str(exc).strip().splitlines()[0][:200]}")

    with contextlib.suppress(Unsatisfiable):  # e.g. no way to violate an input-less operation's schema
        check()
    return sent


def test_no_generated_request_gets_a_server_error(fuzz_schema, fuzz_account):
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) >= 35
    shared = fuzz_account["login"]()

    def send(case):
        spends_token = case.path in {"/logout", "/refresh"}
        tokens = fuzz_account["login"]() if spends_token else shared
        token = tokens["_refresh"] if case.path == "/refresh" else tokens["Authorization"].split()[1]
        return case.call(headers={"Authorization": f"Bearer {token}"})

    failures: list[str] = []
    calls = sum(
        fuzz_operation(operation, mode, send, failures)
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    )
    print(f"fuzz: {len(operations)} operations, {calls} requests, {len(failures)} failures")
    assert failures == []
