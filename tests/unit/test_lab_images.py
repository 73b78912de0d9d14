from pathlib import Path

import pytest

from lab import images


def test_tag_is_stable_and_depends_on_recipe():
    first = images.Recipe("sid", "sid").tag
    assert first == images.Recipe("sid", "sid").tag
    assert first != images.Recipe("sid", "sid", packages=("systemd",)).tag
    assert first.startswith("sinpluma-lab/sid:")


def test_unknown_image_name_is_a_clear_error():
    import pytest

    with pytest.raises(SystemExit, match="unknown lab image 'centos'"):
        images.image_tag("centos")


def test_a_failed_debootstrap_shows_its_log_and_retries_from_an_empty_directory(
    tmp_path, monkeypatch, capsys
):
    import subprocess

    calls = []

    def fake_run(command, **_kwargs):
        root = Path(command[-2])
        calls.append(root)
        assert not root.exists(), "every attempt starts from an empty directory"
        (root / "debootstrap").mkdir(parents=True)
        if len(calls) == 1:
            (root / "debootstrap" / "debootstrap.log").write_text("W: Couldn't download package libc6\n")
            return subprocess.CompletedProcess(command, 1)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(images.subprocess, "run", fake_run)
    root = images.debootstrap(images.RECIPES["debian12"], tmp_path, tmp_path / "cache")
    assert root == calls[1] and len(calls) == 2
    assert not calls[0].exists()
    out = capsys.readouterr().out
    assert "debootstrap bookworm failed (attempt 1 of 3, exit 1)" in out
    assert "Couldn't download package libc6" in out


def test_debootstrap_gives_up_after_its_attempts(tmp_path, monkeypatch):
    import subprocess

    monkeypatch.setattr(
        images.subprocess, "run", lambda command, **_: subprocess.CompletedProcess(command, 1)
    )
    with pytest.raises(SystemExit, match="debootstrap of bookworm failed 2 times"):
        images.debootstrap(images.RECIPES["debian12"], tmp_path, tmp_path / "cache", attempts=2)
