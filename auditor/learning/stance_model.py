"""The stance model: does a claim agree with a piece of evidence, contradict it, or neither?

Evidence is a passage (HealthVer, SciFact) or a fact of the fact base, whose statement is the
evidence and whose exemplar claims show how agreeing and contradicting claims are worded. A
logistic regression weighs pair features: lexical similarity to the evidence and to each side's
exemplars, and the negations, evidential negations ("no evidence that") and hedges on each side
— so "kratom is not addictive" against "kratom can cause dependence" reads as a contradiction
even when no exemplar is close.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from spacy.language import Language
from spacy.tokens import Doc

from auditor.errors import ModelError
from auditor.learning.artifacts import load_model, save_model
from auditor.learning.features import hashed_tfidf

KIND = "stance"
FORMAT = 1
FILE = "stance.skops"
STANCES = ("contradict", "support", "neutral")
FEATURES = (
    "similarity_words", "similarity_chars", "shared_words",
    "has_exemplars", "closest_contradicting", "closest_supporting", "exemplar_margin",
    "claim_negated", "evidence_negated", "negation_mismatch",
    "claim_evidential", "evidence_evidential", "claim_hedged", "evidence_hedged",
    "claim_predicates", "predicate_sign_mismatch",
)


@dataclass(frozen=True)
class Pair:
    """A claim and the evidence it is read against; exemplars are optional."""

    claim: str
    evidence: str
    contradicting: tuple[str, ...] = field(default=())
    supporting: tuple[str, ...] = field(default=())


class StanceModel:
    def __init__(self, scanner: Language, parts: dict[str, Any]) -> None:
        if parts.get("kind") != KIND or parts.get("format") != FORMAT:
            raise ModelError(f"not a stance model of format {FORMAT}: "
                             f"{parts.get('kind')!r} {parts.get('format')!r}")
        self.scanner = scanner
        self.parts = parts

    @classmethod
    def fit(cls, scanner: Language, pairs: Sequence[Pair], labels: Sequence[str], *,
            seed: int = 0) -> StanceModel:
        texts = sorted({t for p in pairs for t in (p.claim, p.evidence, *p.contradicting,
                                                   *p.supporting)})
        parts: dict[str, Any] = {
            "kind": KIND, "format": FORMAT, "features": list(FEATURES),
            "words": hashed_tfidf("word", (1, 2), stop_words="english").fit(texts),
            "chars": hashed_tfidf("char_wb", (3, 5)).fit(texts)}
        model = cls(scanner, parts)
        raw = model.pair_features(pairs)
        parts["scale"] = StandardScaler().fit(raw)
        classifier = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000,
                                        random_state=seed)
        parts["classifier"] = classifier.fit(parts["scale"].transform(raw), list(labels))
        return model

    def probabilities(self, pairs: Sequence[Pair]) -> np.ndarray:
        """One row per pair, columns in :data:`STANCES` order."""
        if not pairs:
            return np.zeros((0, len(STANCES)))
        classifier = self.parts["classifier"]
        scores = classifier.predict_proba(self.parts["scale"].transform(self.pair_features(pairs)))
        order = [list(classifier.classes_).index(s) for s in STANCES]
        return np.asarray(scores[:, order])

    def predict(self, pairs: Sequence[Pair]) -> list[str]:
        return [STANCES[i] for i in self.probabilities(pairs).argmax(axis=1)]

    def save(self, folder: Path) -> str:
        return save_model(self.parts, folder / FILE)

    @classmethod
    def load(cls, scanner: Language, folder: Path) -> StanceModel:
        return cls(scanner, load_model(folder / FILE))

    def pair_features(self, pairs: Sequence[Pair]) -> np.ndarray:
        texts = sorted({t for p in pairs for t in (p.claim, p.evidence, *p.contradicting,
                                                   *p.supporting)})
        row_of = {t: i for i, t in enumerate(texts)}
        words = self.parts["words"].transform(texts)
        chars = self.parts["chars"].transform(texts)
        cues = [_Cues.of(doc) for doc in self.scanner.pipe(texts, batch_size=256)]
        claims = [row_of[p.claim] for p in pairs]
        evidence = [row_of[p.evidence] for p in pairs]
        against = _closest(words, claims, [[row_of[t] for t in p.contradicting] for p in pairs])
        along = _closest(words, claims, [[row_of[t] for t in p.supporting] for p in pairs])
        said = [cues[i] for i in claims]
        known = [cues[i] for i in evidence]
        features = np.column_stack([
            _cosines(words, claims, evidence), _cosines(chars, claims, evidence),
            [_shared(s.words, k.words) for s, k in zip(said, known, strict=True)],
            [float(bool(p.contradicting or p.supporting)) for p in pairs],
            against, along, against - along,
            [s.negated for s in said], [k.negated for k in known],
            [s.negated != k.negated for s, k in zip(said, known, strict=True)],
            [s.evidential for s in said], [k.evidential for k in known],
            [s.hedged for s in said], [k.hedged for k in known],
            [bool(s.signs) for s in said],
            [_opposed(s.signs, k.signs) for s, k in zip(said, known, strict=True)],
        ]).astype(np.float64)
        # Pairs with exemplars (fact base) and without (passages) get separate weights: the
        # same similarity means different things in the two.
        with_exemplars = features[:, [FEATURES.index("has_exemplars")]]
        return np.hstack([features * with_exemplars, features * (1.0 - with_exemplars)])


def _cosines(matrix: sparse.csr_matrix, left: list[int], right: list[int]) -> np.ndarray:
    """Cosine of row pairs of an L2-normalised matrix, all at once."""
    if not left:
        return np.zeros(0)
    return np.asarray(matrix[left].multiply(matrix[right]).sum(axis=1)).ravel()


def _closest(matrix: sparse.csr_matrix, claims: list[int], others: list[list[int]]
             ) -> np.ndarray:
    """For each claim, its highest cosine to any of its ``others`` rows (0 when none)."""
    owner = [i for i, rows in enumerate(others) for _ in rows]
    left = [claims[i] for i in owner]
    right = [r for rows in others for r in rows]
    best = np.zeros(len(claims))
    np.maximum.at(best, owner, _cosines(matrix, left, right))
    return best


@dataclass(frozen=True)
class _Cues:
    words: frozenset[str]
    negated: bool
    evidential: bool
    hedged: bool
    signs: frozenset[str]  # claim type and sign of each predicate word, flipped by negation

    @classmethod
    def of(cls, doc: Doc) -> _Cues:
        negated = bool(doc.spans["auditor_negations"])
        signs = set()
        for span in doc.spans["auditor_predicates"]:
            positive = span.id_.startswith("positive") != negated
            signs.add(f"{span.kb_id_}:{'+' if positive else '-'}")
        return cls(frozenset(t.lower_ for t in doc if t.is_alpha and not t.is_stop), negated,
                   bool(doc.spans["auditor_evidential"]), bool(doc.spans["auditor_hedges"]),
                   frozenset(signs))


def _opposed(first: frozenset[str], second: frozenset[str]) -> bool:
    """The same claim type with opposite signs ("addiction:+" against "addiction:-")."""
    flipped = {s[:-1] + ("-" if s.endswith("+") else "+") for s in first}
    return not flipped.isdisjoint(second)


def _shared(first: frozenset[str], second: frozenset[str]) -> float:
    return len(first & second) / len(first) if first else 0.0
