"""A learned second opinion on whether a precedent sentence is one district's own fact.

The rules of :mod:`assistant.draft.adapt` know the local phrasings seen so far; every new topic brings
some they do not know ("För närvarande finns ingen särskild samverkansstruktur kring RSU-grupper", a
state of one förvaltning in words no rule has), and a sentence that also names the city, a law or a
name several districts use then reads as the city's. This model is
a second reader for exactly those sentences: a logistic regression over character n-grams (2–5,
within words, tf-idf) trained on the gold labels of the tuning half of ``eval/archive`` (the
sentences that hold a gold local fact against those that hold a gold city-wide fact, every topic and
district). Character n-grams carry the genre's marks of a local statement (years and dates, "vi",
"i stadsdelsområdet", figures with their units, place-name endings) whatever the topic, and bear OCR
damage; no topic word list is involved, and the training script (``eval/train_localness.py``)
measures it by cross-validation over whole topics, so the figures are for topics it never saw.

It only ever adds a flag: a sentence the rules read as the city's is asked to be confirmed when the
model's probability that it is local reaches ``DraftingSettings.learned_local_min``. The weights are
package data (``assistant/_data/localness_model.json.gz``, plain JSON: vocabulary, idf, weights), so
nothing is fetched and no pickle is loaded.
"""

from __future__ import annotations

import gzip
import json
from functools import cache, lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from assistant.errors import ConfigurationError
from assistant.resources import BUNDLED_LOCALNESS_MODEL


class LocalnessModel:
    """``probability(texts)``: for each sentence, the probability that it states one district's own fact."""

    def __init__(self, data: dict) -> None:
        self.provenance: dict = data.get("provenance", {})
        self._vectorizer = vectorizer(data["vocabulary"])
        self._vectorizer.idf_ = np.asarray(data["idf"], dtype=np.float64)
        self._coef = np.asarray(data["coef"], dtype=np.float64)
        self._intercept = float(data["intercept"])

    @classmethod
    def load(cls, path: Path = BUNDLED_LOCALNESS_MODEL) -> LocalnessModel:
        """The model stored at ``path`` (written by ``eval/train_localness.py``)."""
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                return cls(json.load(fh))
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigurationError(f"{path}: the localness model cannot be read ({exc}); rebuild it with eval/train_localness.py") from exc

    def probability(self, texts: Sequence[str]) -> np.ndarray:
        """P(local) for each text, in order."""
        z = self._vectorizer.transform(list(texts)) @ self._coef + self._intercept
        return 1.0 / (1.0 + np.exp(-z))


def vectorizer(vocabulary: Sequence[str] | None = None) -> TfidfVectorizer:
    """The features, one definition for training and use: tf-idf of character 2–5-grams within words."""
    # min_df applies to training only: scikit-learn ignores it when the vocabulary is given.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, lowercase=True, vocabulary=vocabulary)


@cache
def bundled_model() -> LocalnessModel:
    """The shipped model, read once per process."""
    return LocalnessModel.load()


@lru_cache(maxsize=4096)
def local_probability(sentence: str) -> float:
    """The shipped model's P(local) for one sentence, once per sentence text in a process (every draft
    reads the same precedents again; bounded in a long-running app)."""
    return float(bundled_model().probability([sentence])[0])


def to_json(fitted: TfidfVectorizer, coef: np.ndarray, intercept: float, provenance: dict) -> dict:
    """What :class:`LocalnessModel` reads, from a fitted vectorizer and regression (vocabulary in index order)."""
    vocab = sorted(fitted.vocabulary_, key=fitted.vocabulary_.__getitem__)
    return {
        "provenance": provenance,
        "vocabulary": vocab,
        "idf": [round(float(v), 6) for v in fitted.idf_],
        "coef": [round(float(v), 6) for v in coef],
        "intercept": float(intercept),
    }
