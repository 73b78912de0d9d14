"""The shipped model is accurate on held-out data, labels obvious sentences right, and is reproducible."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sinpluma_linguistics.model.loader import LoadedModel, load_model_dir
from sinpluma_linguistics.model.manifest import MIN_HELDOUT_ACCURACY
from sinpluma_linguistics.training import corpora
from sinpluma_linguistics.training.modelbuild import BuildOutcome, default_cache_dir

SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture(scope="module")
def loaded(model_dir: Path) -> LoadedModel:
    return load_model_dir(model_dir)


@pytest.fixture(scope="module")
def uci(built_model: BuildOutcome) -> list[corpora.LabelledText]:
    return corpora.load_uci(corpora.fetch(corpora.UCI, default_cache_dir() / "downloads"))


def test_manifest_declares_enough_heldout_accuracy(loaded: LoadedModel) -> None:
    assert loaded.manifest.heldout_accuracy >= MIN_HELDOUT_ACCURACY
    assert loaded.manifest.heldout_corpus.items == 3000
    assert loaded.manifest.heldout_corpus.sha256 == corpora.UCI.sha256
    assert loaded.manifest.training_corpus.sha256 == corpora.VADER.sha256


def test_recomputed_heldout_accuracy_matches_the_manifest(loaded: LoadedModel, uci: list) -> None:
    predictions = loaded.model.predict([row.text for row in uci])
    correct = sum(
        (p.sentiment == "positive") == row.positive for p, row in zip(predictions, uci, strict=True)
    )
    accuracy = correct / len(uci)
    print(f"held-out accuracy on {len(uci)} UCI sentences: {accuracy:.4f}")
    assert accuracy >= MIN_HELDOUT_ACCURACY
    assert accuracy == pytest.approx(loaded.manifest.heldout_accuracy, abs=1e-6)


@pytest.mark.parametrize(
    "sentence",
    [
        "I love this, it is wonderful",
        "What a fantastic, beautiful story. I enjoyed every page.",
        "Great job, thank you so much!",
        "The best meal I have had in years, absolutely delicious.",
    ],
)
def test_obvious_positive_sentences(loaded: LoadedModel, sentence: str) -> None:
    assert loaded.model.predict([sentence])[0].sentiment == "positive"


@pytest.mark.parametrize(
    "sentence",
    [
        "This is terrible, I hate it",
        "The worst film ever, boring and stupid.",
        "I am so sad and angry about this awful mess.",
        "Horrible service, rude staff, never again.",
    ],
)
def test_obvious_negative_sentences(loaded: LoadedModel, sentence: str) -> None:
    assert loaded.model.predict([sentence])[0].sentiment == "negative"


REFIT = """
import sys
from pathlib import Path
from sinpluma_linguistics.model.fileformat import dump_canonical
from sinpluma_linguistics.model.loader import load_model_dir, sha256_hex
from sinpluma_linguistics.training import corpora, learning
from sinpluma_linguistics.training.modelbuild import default_cache_dir, params_from_manifest
manifest = load_model_dir(Path(sys.argv[1])).manifest
rated = corpora.load_vader(corpora.fetch(corpora.VADER, default_cache_dir() / "downloads"))
model = learning.fit_with_params(learning.binary_training_set(rated), params_from_manifest(manifest))
sys.stdout.write(sha256_hex(dump_canonical(model)))
"""


def test_training_again_in_a_fresh_process_reproduces_the_model_bytes(
    loaded: LoadedModel, model_dir: Path
) -> None:
    env = {**os.environ, "PYTHONHASHSEED": "987", "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", REFIT, str(model_dir)], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout == loaded.manifest.model_sha256
