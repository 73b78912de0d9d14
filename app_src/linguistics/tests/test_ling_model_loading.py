"""A model directory is used only if every byte is the one its manifest and SHA256SUMS describe."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from sinpluma_linguistics.model.errors import IntegrityError, ManifestError, ModelLoadError, QualityError
from sinpluma_linguistics.model.fileformat import MANIFEST_FILE, MODEL_FILE, SUMS_FILE, dump_canonical
from sinpluma_linguistics.model.loader import load_model_dir, sha256_hex
from sinpluma_linguistics.model.manifest import Manifest
from sinpluma_linguistics.training.learning import build_pipeline
from sinpluma_linguistics.training.modelbuild import write_model_dir


def reseal(model_dir: Path) -> None:
    """What an attacker with write access would do after editing: recompute SHA256SUMS."""
    lines = [f"{sha256_hex((model_dir / name).read_bytes())}  {name}" for name in (MANIFEST_FILE, MODEL_FILE)]
    (model_dir / SUMS_FILE).write_text("\n".join(lines) + "\n")


def edit_manifest(model_dir: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads((model_dir / MANIFEST_FILE).read_text())
    change(data)
    (model_dir / MANIFEST_FILE).write_text(json.dumps(data, indent=2))


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_intact_model_loads_and_matches_its_manifest(model_copy: Path) -> None:
    loaded = load_model_dir(model_copy)
    assert loaded.manifest.model_sha256 == sha256_hex((model_copy / MODEL_FILE).read_bytes())
    assert loaded.manifest_sha256 == sha256_hex((model_copy / MANIFEST_FILE).read_bytes())


@pytest.mark.parametrize("where", [0.0, 0.5, 0.999])
def test_flipped_byte_in_the_model_is_refused(model_copy: Path, where: float) -> None:
    model = model_copy / MODEL_FILE
    flip_byte(model, int(model.stat().st_size * where))
    with pytest.raises(IntegrityError, match="does not match the manifest"):
        load_model_dir(model_copy)


def test_edited_manifest_is_refused(model_copy: Path) -> None:
    edit_manifest(model_copy, lambda m: m.update(heldout_accuracy=0.99))
    with pytest.raises(IntegrityError, match=r"manifest\.json was changed"):
        load_model_dir(model_copy)


def test_resealed_edit_is_refused_when_the_manifest_is_pinned(model_copy: Path) -> None:
    pinned = sha256_hex((model_copy / MANIFEST_FILE).read_bytes())
    edit_manifest(model_copy, lambda m: m.update(heldout_accuracy=0.99))
    reseal(model_copy)
    with pytest.raises(IntegrityError, match="pinned LINGUISTICS_MANIFEST_SHA256"):
        load_model_dir(model_copy, expected_manifest_sha256=pinned)


def test_swapped_model_with_consistently_forged_manifest_is_refused_by_the_pin(model_copy: Path) -> None:
    pinned = sha256_hex((model_copy / MANIFEST_FILE).read_bytes())
    flip_byte(model_copy / MODEL_FILE, 100)
    forged = sha256_hex((model_copy / MODEL_FILE).read_bytes())
    edit_manifest(model_copy, lambda m: m.update(model_sha256=forged))
    reseal(model_copy)
    with pytest.raises(IntegrityError):
        load_model_dir(model_copy, expected_manifest_sha256=pinned)


@pytest.mark.parametrize("name", [MANIFEST_FILE, MODEL_FILE, SUMS_FILE])
def test_missing_file_is_refused(model_copy: Path, name: str) -> None:
    (model_copy / name).unlink()
    with pytest.raises(ModelLoadError, match=name):
        load_model_dir(model_copy)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.pop("model_sha256"), "lacks the field"),
        (lambda m: m.update(model_sha256="abc"), "not a lowercase sha256"),
        (lambda m: m.update(format="pickle"), "format"),
        (lambda m: m.update(labels=["positive", "negative"]), "labels"),
        (lambda m: m.update(heldout_accuracy="high"), "between 0 and 1"),
    ],
)
def test_malformed_manifest_is_refused(
    model_copy: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    edit_manifest(model_copy, change)
    reseal(model_copy)
    with pytest.raises(ManifestError, match=message):
        load_model_dir(model_copy)


def test_manifest_that_is_not_json_is_refused(model_copy: Path) -> None:
    (model_copy / MANIFEST_FILE).write_text("{not json")
    reseal(model_copy)
    with pytest.raises(ManifestError, match="not valid JSON"):
        load_model_dir(model_copy)


def test_accuracy_below_the_threshold_is_refused(model_copy: Path) -> None:
    edit_manifest(model_copy, lambda m: m.update(heldout_accuracy=0.79))
    reseal(model_copy)
    with pytest.raises(QualityError, match="below the minimum"):
        load_model_dir(model_copy)


def test_model_built_by_another_scikit_learn_is_refused(model_copy: Path) -> None:
    edit_manifest(model_copy, lambda m: m["libraries"].update({"scikit-learn": "0.23.1"}))
    reseal(model_copy)
    with pytest.raises(QualityError, match=r"scikit-learn 0\.23\.1"):
        load_model_dir(model_copy)


def test_model_with_inverted_labels_is_refused(model_dir: Path, tmp_path: Path) -> None:
    # The defect of the original service: class meanings swapped. The loader's sanity check catches it.
    texts = ["love wonderful great happy beautiful", "hate terrible awful worst boring"] * 10
    inverted = build_pipeline((1, 1), 1.0).fit(texts, [0, 1] * 10)
    good = Manifest.from_json((model_dir / MANIFEST_FILE).read_text())
    model_bytes = dump_canonical(inverted)
    forged = Manifest(**{**good.__dict__, "model_sha256": sha256_hex(model_bytes)})
    write_model_dir(tmp_path / "inverted", model_bytes, forged)
    with pytest.raises(QualityError, match="label sanity check"):
        load_model_dir(tmp_path / "inverted")


def test_refused_model_makes_the_service_unready_but_alive(
    model_copy: Path, make_client: Callable[..., FlaskClient]
) -> None:
    flip_byte(model_copy / MODEL_FILE, 10)
    client = make_client(model_copy)
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["error"]["code"] == "integrity_mismatch"
    answer = client.get("/sentiment", query_string={"key": "k", "sentence": "I love it"})
    assert answer.status_code == 503
    assert answer.get_json()["error"]["code"] == "model_unavailable"
    batch = client.post("/sentiment/batch", json={"items": [{"key": 1, "sentence": "fine"}]})
    assert batch.status_code == 503


def test_missing_model_directory_makes_the_service_unready(tmp_path: Path, make_client) -> None:
    ready = make_client(tmp_path / "nowhere").get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["error"]["code"] == "manifest_invalid"
