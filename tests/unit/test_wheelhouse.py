from buildtools import wheelhouse


def test_manifest_detects_a_changed_file(tmp_path):
    (tmp_path / "wheels").mkdir()
    (tmp_path / "wheels" / "a.whl").write_bytes(b"one")
    (tmp_path / "model.bin").write_bytes(b"two")
    wheelhouse.write_manifest(tmp_path)
    assert wheelhouse.verify_manifest(tmp_path) == []
    (tmp_path / "model.bin").write_bytes(b"tampered")
    assert wheelhouse.verify_manifest(tmp_path) == ["model.bin"]


def test_inputs_digest_ignores_tests_and_caches(tmp_path):
    project = tmp_path / "app"
    (project / "pkg").mkdir(parents=True)
    (project / "pkg" / "x.py").write_text("x = 1\n")
    lock = tmp_path / "requirements.lock"
    lock.write_text("flask==3.1.3\n")
    before = wheelhouse.inputs_digest(project, lock, "3.14")
    (project / "tests").mkdir()
    (project / "tests" / "test_x.py").write_text("")
    (project / "pkg" / "__pycache__").mkdir()
    (project / "pkg" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert wheelhouse.inputs_digest(project, lock, "3.14") == before
    (project / "pkg" / "x.py").write_text("x = 2\n")
    assert wheelhouse.inputs_digest(project, lock, "3.14") != before
