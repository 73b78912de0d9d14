import json

import pytest

from buildtools import minio
from buildtools.wheelhouse import sha256_file


def test_cached_version_is_reused_without_go(tmp_path, monkeypatch):
    target = tmp_path / "v1"
    target.mkdir()
    (target / "minio").write_bytes(b"binary")
    (target / "minio.json").write_text(json.dumps({"version": "v1", "sha256": sha256_file(target / "minio")}))

    def no_go():
        raise AssertionError("a cached version must not be rebuilt")

    monkeypatch.setattr(minio, "go_binary", no_go)
    assert minio.build("v1", tmp_path) == target


def test_cached_binary_with_wrong_sha256_is_rebuilt(tmp_path, monkeypatch):
    target = tmp_path / "v1"
    target.mkdir()
    (target / "minio").write_bytes(b"tampered")
    (target / "minio.json").write_text(json.dumps({"version": "v1", "sha256": "0" * 64}))
    monkeypatch.setattr(minio, "go_binary", lambda: (_ for _ in ()).throw(SystemExit("would rebuild")))
    with pytest.raises(SystemExit, match="would rebuild"):
        minio.build("v1", tmp_path)


def test_sdk_pins_come_from_the_lock(tmp_path):
    lock = tmp_path / "controller.lock"
    lock.write_text(
        "minio==7.2.20 \\\n    # via -r controller.in\n"
        "urllib3==2.8.0 ; python_version >= '3'\n"
        "PyCryptodome==4.4.0\n"
    )
    assert minio.pinned(lock, minio.SDK_PACKAGES) == {
        "minio": "7.2.20",
        "urllib3": "2.8.0",
        "pycryptodome": "4.4.0",
    }
    lock.write_text("minio==7.2.20\n")
    with pytest.raises(SystemExit, match="pycryptodome"):
        minio.pinned(lock, minio.SDK_PACKAGES)
