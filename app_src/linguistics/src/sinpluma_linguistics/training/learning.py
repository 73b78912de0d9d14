"""The scikit-learn pipeline, its hyper-parameter search (training data only) and held-out scoring."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline

from .corpora import LabelledText, RatedText

# Ratings this close to 0 are near-neutral; raters disagree on them, so they are left out of a
# binary training set (the label of a kept item is: mean rating > 0 means positive).
NEUTRAL_BAND = 0.5
LABEL_RULE = f"positive if mean rating > 0, negative if < 0; items with |mean| <= {NEUTRAL_BAND} dropped"
# Hashing keeps the model file small (no vocabulary table) with no measurable loss at 2**20 buckets.
HASH_FEATURES = 2**20
CV_FOLDS = 5
RANDOM_STATE = 0
SEARCH_GRID: dict[str, list[Any]] = {
    "features__ngram_range": [(1, 1), (1, 2)],
    "classifier__C": [1.0, 4.0, 16.0, 64.0],
}


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]
    labels: list[int]  # 1 positive, 0 negative


@dataclass(frozen=True)
class TrainingResult:
    pipeline: Pipeline
    best_params: dict[str, Any]
    cv_accuracy: float
    heldout_accuracy: float
    train_items: int
    heldout_items: int
    search_seconds: float


def binary_training_set(rated: Sequence[RatedText]) -> TrainingSet:
    kept = [row for row in rated if abs(row.mean_rating) > NEUTRAL_BAND and row.text]
    return TrainingSet(texts=[row.text for row in kept], labels=[int(row.mean_rating > 0) for row in kept])


def build_pipeline(ngram_range: tuple[int, int] = (1, 2), c: float = 4.0) -> Pipeline:
    return Pipeline(
        [
            (
                "features",
                HashingVectorizer(
                    ngram_range=ngram_range,
                    n_features=HASH_FEATURES,
                    alternate_sign=False,
                    norm=None,
                    strip_accents="unicode",
                ),
            ),
            ("tfidf", TfidfTransformer(sublinear_tf=True)),
            # The dual liblinear problem is the fast one when features (2**20) far outnumber samples.
            (
                "classifier",
                LogisticRegression(
                    C=c, solver="liblinear", dual=True, max_iter=2000, random_state=RANDOM_STATE
                ),
            ),
        ]
    )


def fit_with_params(training: TrainingSet, params: dict[str, Any]) -> Pipeline:
    pipeline = build_pipeline().set_params(**params)
    return pipeline.fit(training.texts, training.labels)


def search_and_fit(training: TrainingSet, jobs: int = 1) -> tuple[Pipeline, dict[str, Any], float, float]:
    """Grid search by stratified k-fold CV on the training set; the winner is refitted on all of it."""
    folds = StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=RANDOM_STATE)
    search = GridSearchCV(
        build_pipeline(), SEARCH_GRID, scoring="accuracy", cv=folds, n_jobs=jobs, refit=True
    )
    started = time.perf_counter()
    search.fit(training.texts, training.labels)
    elapsed = time.perf_counter() - started
    return search.best_estimator_, dict(search.best_params_), float(search.best_score_), elapsed


def accuracy(pipeline: Pipeline, heldout: Sequence[LabelledText]) -> float:
    predicted = pipeline.predict([row.text for row in heldout])
    correct = sum(int(p) == int(row.positive) for p, row in zip(predicted, heldout, strict=True))
    return correct / len(heldout)


def train(rated: Sequence[RatedText], heldout: Sequence[LabelledText], jobs: int = 1) -> TrainingResult:
    training = binary_training_set(rated)
    pipeline, params, cv_accuracy, seconds = search_and_fit(training, jobs)
    return TrainingResult(
        pipeline=pipeline,
        best_params=params,
        cv_accuracy=cv_accuracy,
        heldout_accuracy=accuracy(pipeline, heldout),
        train_items=len(training.texts),
        heldout_items=len(heldout),
        search_seconds=seconds,
    )
