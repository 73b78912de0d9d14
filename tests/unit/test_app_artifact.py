"""The artifact check that runs before any host changes (module_utils/app_artifact.py)."""

import hashlib

import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils import app_artifact

from buildtools.wheelhouse import write_manifest


@pytest.fixture
def artifact(tmp_path):
    root = tmp_path / "api"
    (root / "wheels").mkdir(parents=True)
    (root / "wheels" / "sinpluma_api-1.2.0-py3-none-any.whl").write_bytes(b"app")
    (root / "wheels" / "flask-3.1.0-py3-none-any.whl").write_bytes(b"flask")
    (root / "model").mkdir()
    (root / "model" / "manifest.json").write_text("{}")
    write_manifest(root)
    (root / ".inputs.sha256").write_text("stamp")  # the builder's cache stamp is not part of it
    return root


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_an_intact_artifact_names_its_version_and_release(artifact):
    report = app_artifact.check(artifact, "sinpluma-api")
    manifest_sha = sha((artifact / "SHA256SUMS").read_bytes())
    assert report.problems == []
    assert report.version == "1.2.0"
    assert report.release == f"1.2.0-{manifest_sha[:12]}"


def test_a_changed_wheel_is_refused(artifact):
    (artifact / "wheels" / "flask-3.1.0-py3-none-any.whl").write_bytes(b"evil")
    problems = app_artifact.check(artifact, "sinpluma-api").problems
    assert problems == [
        f"wheels/flask-3.1.0-py3-none-any.whl has sha256 {sha(b'evil')}, SHA256SUMS says {sha(b'flask')}"
    ]


def test_an_unlisted_wheel_is_refused_since_pip_would_install_it(artifact):
    (artifact / "wheels" / "flask-9.9.9-py3-none-any.whl").write_bytes(b"newer")
    assert app_artifact.check(artifact, "sinpluma-api").problems == [
        "wheels/flask-9.9.9-py3-none-any.whl is not listed in SHA256SUMS"
    ]


def test_a_missing_file_and_a_malformed_line_are_refused(artifact):
    (artifact / "model" / "manifest.json").unlink()
    with (artifact / "SHA256SUMS").open("a") as handle:
        handle.write("not a line\n" + "0" * 64 + "  ../../etc/passwd\n")
    problems = app_artifact.check(artifact, "sinpluma-api").problems
    assert "SHA256SUMS line 4 is not '<sha256>  <relative path>'" in problems
    assert "SHA256SUMS line 5 is not '<sha256>  <relative path>'" in problems
    assert "model/manifest.json is listed in SHA256SUMS but missing" in problems


def test_pins_are_checked_and_a_malformed_pin_is_named(artifact):
    assert app_artifact.check(artifact, "sinpluma-api", {"model/manifest.json": sha(b"{}")}).problems == []
    problems = app_artifact.check(artifact, "sinpluma-api", {"model/manifest.json": "1" * 64}).problems
    assert problems == [f"model/manifest.json has sha256 {sha(b'{}')}, pinned {'1' * 64}"]
    assert app_artifact.check(artifact, "sinpluma-api", {"SHA256SUMS": "abc"}).problems == [
        "the pin of SHA256SUMS is not 64 hexadecimal characters"
    ]


def test_a_rebuilt_manifest_does_not_pass_the_old_pin(artifact):
    pin = sha((artifact / "SHA256SUMS").read_bytes())
    (artifact / "wheels" / "flask-3.1.0-py3-none-any.whl").write_bytes(b"evil")
    write_manifest(artifact)  # the attacker also rewrites the manifest
    problems = app_artifact.check(artifact, "sinpluma-api", {"SHA256SUMS": pin}).problems
    assert len(problems) == 1 and problems[0].startswith("SHA256SUMS has sha256 ")


def test_no_wheel_or_two_versions_of_the_package_are_refused(artifact):
    assert "expected exactly one wheel of sinpluma-linguistics in wheels/, found none" in (
        app_artifact.check(artifact, "sinpluma-linguistics").problems
    )
    (artifact / "wheels" / "sinpluma_api-1.3.0-py3-none-any.whl").write_bytes(b"app2")
    write_manifest(artifact)
    assert app_artifact.check(artifact, "sinpluma-api").problems == [
        "expected exactly one wheel of sinpluma-api in wheels/, found 1.2.0, 1.3.0"
    ]


def test_a_directory_without_manifest_is_not_an_artifact(tmp_path):
    report = app_artifact.check(tmp_path, "sinpluma-api")
    assert report.release is None
    assert report.problems == [f"{tmp_path}/SHA256SUMS is missing: not an artifact (build it first)"]
