"""Shared fixtures. The trained model comes from the build cache (trained once, ~1 min, if absent)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from sinpluma_linguistics.config import Settings  # noqa: E402
from sinpluma_linguistics.http.app import create_app  # noqa: E402
from sinpluma_linguistics.training.modelbuild import BuildOutcome, ensure_model  # noqa: E402


@pytest.fixture(scope="session")
def built_model() -> BuildOutcome:
    return ensure_model(log=lambda line: print(line, file=sys.stderr))


@pytest.fixture(scope="session")
def model_dir(built_model: BuildOutcome) -> Path:
    return built_model.model_dir


@pytest.fixture
def model_copy(model_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the model directory that a test may damage."""
    target = tmp_path / "model"
    target.mkdir()
    for path in model_dir.iterdir():
        if path.is_file():
            shutil.copyfile(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def app(model_dir: Path) -> Flask:
    return create_app(
        Settings(model_dir=model_dir, max_sentence_chars=200, max_batch_items=50, log_level="WARNING")
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_client() -> Callable[..., FlaskClient]:
    def _make(model_dir: Path, **overrides: object) -> FlaskClient:
        settings = Settings(model_dir=model_dir, log_level="WARNING", **overrides)  # type: ignore[arg-type]
        return create_app(settings).test_client()

    return _make
