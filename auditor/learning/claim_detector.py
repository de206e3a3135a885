"""The claim detector: does a sentence make a checkable health claim?

A logistic regression over word and character n-grams plus the lexicon cue counts of
:mod:`auditor.learning.features`. The n-grams learn how claims are worded; the cues carry what
the curated lexicon knows (predicate words, subjects, hedges) to topics the training data never
mentioned.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import StandardScaler
from spacy.language import Language
from spacy.tokens import Span

from auditor.errors import ModelError
from auditor.learning.artifacts import load_model, save_model
from auditor.learning.features import cue_matrix, cue_names, hashed_tfidf, span_cue_matrix

KIND = "claim_detector"
FORMAT = 1
FILE = "claim_detector.skops"


class ClaimDetector:
    """Probability that each sentence makes a checkable health claim."""

    def __init__(self, scanner: Language, parts: dict[str, Any]) -> None:
        if parts.get("kind") != KIND or parts.get("format") != FORMAT:
            raise ModelError(f"not a claim detector of format {FORMAT}: "
                             f"{parts.get('kind')!r} {parts.get('format')!r}")
        self.scanner = scanner
        self.parts = parts
        self.threshold: float = parts["threshold"]

    @classmethod
    def fit(cls, scanner: Language, texts: Sequence[str], labels: Sequence[bool],
            claim_types: Sequence[str], *, seed: int = 0, threshold: float = 0.5,
            weights: Sequence[float] | None = None) -> ClaimDetector:
        ngrams = FeatureUnion([("words", hashed_tfidf("word", (1, 2))),
                               ("chars", hashed_tfidf("char_wb", (2, 5)))])
        names = cue_names(claim_types)
        cues = StandardScaler().fit(cue_matrix(scanner, texts, names))
        parts: dict[str, Any] = {"kind": KIND, "format": FORMAT, "ngrams": ngrams,
                                 "cue_names": names, "cues": cues, "threshold": threshold}
        ngrams.fit(texts)
        model = cls(scanner, parts)
        # liblinear: several times faster than lbfgs on these wide sparse features
        classifier = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear",
                                        random_state=seed)
        classifier.fit(model._features(texts), np.asarray(labels, dtype=bool),
                       sample_weight=None if weights is None else np.asarray(weights))
        parts["classifier"] = classifier
        return model

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        return self._score(self._features(texts))

    def sentence_probabilities(self, sentences: Sequence[Span]) -> np.ndarray:
        """The same for sentences of scanned documents (reuses the scan: no second pass)."""
        if not sentences:
            return np.zeros(0)
        cues = span_cue_matrix(sentences, self.parts["cue_names"])
        return self._score(self._combine([s.text for s in sentences], cues))

    def _score(self, features: sparse.csr_matrix) -> np.ndarray:
        scores: np.ndarray = self.parts["classifier"].predict_proba(features)
        return scores[:, 1]

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.probabilities(texts) >= self.threshold

    def save(self, folder: Path) -> str:
        return save_model(self.parts, folder / FILE)

    @classmethod
    def load(cls, scanner: Language, folder: Path) -> ClaimDetector:
        return cls(scanner, load_model(folder / FILE))

    def _features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self._combine(texts, cue_matrix(self.scanner, texts, self.parts["cue_names"]))

    def _combine(self, texts: Sequence[str], cues: np.ndarray) -> sparse.csr_matrix:
        scaled = self.parts["cues"].transform(cues)
        return sparse.hstack([self.parts["ngrams"].transform(texts),
                              sparse.csr_matrix(scaled)], format="csr")
