"""The SPA's tests as one pytest entry: Vitest unit tests, the build (with its JavaScript budget),
and the end-to-end flows in headless chromium against the real API and linguistics services.

Needs scripts/setup_web.sh (Node, chromium, node_modules) and, for the end-to-end part, what the
API tests need (Docker and the lab `sid` image). Each step fails with the tool's own output.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[1]
REPO_ROOT = WEB.parents[1]
ARTIFACTS = WEB / "test-artifacts"
sys.path.insert(0, str(WEB / "tests" / "e2e"))


def _load_build_artifact():  # by path: app_src/api has a build_artifact.py too
    spec = importlib.util.spec_from_file_location("sinpluma_web_build_artifact", WEB / "build_artifact.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_artifact = _load_build_artifact()


def run(command: list[str], timeout: float, env: dict[str, str] | None = None) -> str:
    """Run a tool in app_src/web; on failure, fail with everything it printed."""
    merged = build_artifact.node_env() | (env or {})
    try:
        done = subprocess.run(
            command, cwd=WEB, env=merged, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(
            f"{' '.join(command)} timed out after {timeout} s\n{expired.stdout or ''}\n{expired.stderr or ''}"
        )
    output = f"{done.stdout}\n{done.stderr}"
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited with {done.returncode}:\n{output[-20000:]}", pytrace=False)
    return output


@pytest.fixture(scope="module", autouse=True)
def toolchain() -> None:
    if not (WEB / "node_modules" / "vite").is_dir():
        pytest.fail("app_src/web/node_modules is missing: run scripts/setup_web.sh", pytrace=False)


def test_unit_tests_pass() -> None:
    output = run(
        ["npx", "--no-install", "vitest", "run", "--no-file-parallelism", "--maxWorkers=1", "--color=false"],
        180,
    )
    print(output)


def test_build_fits_the_first_screen_budget(tmp_path: Path) -> None:
    output = run([sys.executable, str(WEB / "build_artifact.py"), "--out", str(tmp_path)], 300)
    print(output)  # the size report (build_artifact exits 1 when the first screen is over budget)
    assert "first screen:" in output
    tarballs = list(tmp_path.glob("sinpluma-web-*.tar.gz"))
    assert len(tarballs) == 1
    digest = (tmp_path / f"{tarballs[0].name}.sha256").read_text().split()[0]
    assert hashlib.sha256(tarballs[0].read_bytes()).hexdigest() == digest


@pytest.fixture(scope="module")
def backend() -> Iterator[object]:
    import e2e_backend

    with e2e_backend.backend(ARTIFACTS / "logs") as found:
        yield found


def test_end_to_end_flows_in_chromium(backend: object) -> None:
    run(["npx", "--no-install", "vite", "build", "--logLevel", "warn"], 300)  # test what the sources build
    env = {
        "API_URL": backend.api_url,  # type: ignore[attr-defined]
        "LIN_URL": backend.linguistics_url,  # type: ignore[attr-defined]
        "ACCESS_TOKEN_SECONDS": str(backend.access_token_seconds),  # type: ignore[attr-defined]
        "E2E_ARTIFACTS": str(ARTIFACTS),
        "NODE_OPTIONS": os.environ.get("NODE_OPTIONS", ""),
    }
    output = run(
        [
            "node",
            "--test",
            "--test-concurrency=1",
            "--test-reporter=spec",
            "--test-reporter-destination=stdout",
            "--test-reporter=spec",  # and a copy kept with the screenshots
            f"--test-reporter-destination={ARTIFACTS / 'e2e-report.txt'}",
            "tests/e2e/flows.test.mjs",
        ],
        600,
        env,
    )
    print(output)
    for screenshot in ("editor-highlights.png", "work-page.png"):
        assert (ARTIFACTS / screenshot).stat().st_size > 0
