"""The model file format: canonical (byte-stable) skops, and nothing outside the trusted types."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import skops.io
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from sinpluma_linguistics.model.errors import UntrustedContentError
from sinpluma_linguistics.model.fileformat import TRUSTED_TYPES, canonicalize, dump_canonical, schema_types
from sinpluma_linguistics.model.loader import _deserialise
from sinpluma_linguistics.training.learning import build_pipeline

SRC = Path(__file__).resolve().parent.parent / "src"
TEXTS = ["good fun", "bad bore", "great joy", "awful mess", "lovely day", "hateful noise"]
LABELS = [1, 0, 1, 0, 1, 0]

FIT_AND_DUMP = f"""
import hashlib, sys
from sinpluma_linguistics.model.fileformat import dump_canonical
from sinpluma_linguistics.training.learning import build_pipeline
model = build_pipeline((1, 2), 4.0).fit({TEXTS!r}, {LABELS!r})
sys.stdout.write(hashlib.sha256(dump_canonical(model)).hexdigest())
"""


def _digest_in_fresh_process(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", FIT_AND_DUMP], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_same_fit_gives_the_same_bytes_across_processes_and_hash_seeds() -> None:
    assert _digest_in_fresh_process("1") == _digest_in_fresh_process("4242")


def test_plain_skops_output_is_not_stable_but_its_canonical_form_is() -> None:
    model = build_pipeline((1, 1), 1.0).fit(TEXTS, LABELS)
    first, second = skops.io.dumps(model), skops.io.dumps(build_pipeline((1, 1), 1.0).fit(TEXTS, LABELS))
    assert canonicalize(first) == canonicalize(second)


def test_canonical_model_round_trips_with_the_trusted_types_only() -> None:
    model = build_pipeline((1, 2), 4.0).fit(TEXTS, LABELS)
    data = dump_canonical(model)
    assert schema_types(data) <= TRUSTED_TYPES
    restored = _deserialise(data)
    assert restored.predict_proba(["good joy"]).tolist() == model.predict_proba(["good joy"]).tolist()


def test_model_with_a_type_outside_the_list_is_never_deserialised() -> None:
    # skops itself would trust CountVectorizer; our list is narrower on purpose.
    other = Pipeline([("features", CountVectorizer()), ("classifier", LogisticRegression())]).fit(
        TEXTS, LABELS
    )
    with pytest.raises(UntrustedContentError, match="CountVectorizer"):
        _deserialise(dump_canonical(other))


def test_file_that_is_not_a_zip_is_refused() -> None:
    with pytest.raises(Exception, match="not a readable skops file"):
        _deserialise(b"\x80\x04K\x01.")  # a pickle
