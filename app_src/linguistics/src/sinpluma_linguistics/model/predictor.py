"""The loaded model as the service uses it: sentences in, labels and scores out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .manifest import LABELS

# Sentences whose label no sane sentiment model gets wrong; checked when a model is loaded.
OBVIOUS_SENTENCES: tuple[tuple[str, str], ...] = (
    ("I love this, it is wonderful.", "positive"),
    ("What a great and beautiful day, I am so happy.", "positive"),
    ("This is terrible, I hate it.", "negative"),
    ("The worst, most awful and boring thing ever.", "negative"),
)


@dataclass(frozen=True)
class Prediction:
    sentiment: str
    score: float  # probability that the sentence is positive, 0..1


class SentimentModel:
    def __init__(self, pipeline: Any) -> None:
        self._pipeline = pipeline

    def predict(self, sentences: Sequence[str]) -> list[Prediction]:
        if not sentences:
            return []
        positive = self._pipeline.predict_proba(list(sentences))[:, 1]
        return [
            Prediction(sentiment=LABELS[int(p >= 0.5)], score=round(float(p), 4)) for p in positive.tolist()
        ]

    def mislabelled_obvious_sentences(self) -> list[str]:
        texts = [text for text, _ in OBVIOUS_SENTENCES]
        got = self.predict(texts)
        return [
            f"{text!r} -> {prediction.sentiment} (expected {expected})"
            for (text, expected), prediction in zip(OBVIOUS_SENTENCES, got, strict=True)
            if prediction.sentiment != expected
        ]
