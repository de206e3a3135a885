"""Candidate facts for a claim: same subject (or a subject it is part of), same predicate,
a compatible condition; ranked by lexical similarity to the fact's statement and exemplars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from auditor.factbase.loader import Fact, FactBase
from auditor.records import Claim

# A word of a condition phrase: letters and digits, with inner apostrophes ("alzheimer's").
_WORD = re.compile(r"\w+(?:'\w+)*")


@dataclass(frozen=True)
class Match:
    fact: Fact
    similarity: float  # cosine of TF-IDF vectors, 0–1


class FactIndex:
    """TF-IDF over each fact's statement and exemplar claims (word 1–2 grams)."""

    def __init__(self, factbase: FactBase) -> None:
        self.factbase = factbase
        self.fact_ids: list[str] = []
        texts: list[str] = []
        for fact in factbase.facts.values():
            for text in (fact.statement, *fact.contradicts, *fact.supports):
                self.fact_ids.append(fact.id)
                texts.append(text)
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
                                          lowercase=True)
        self.matrix = self.vectorizer.fit_transform(texts)

    def candidates(self, claim: Claim, sentence: str) -> list[Match]:
        if claim.subject is None:
            return []
        facts = [f for f in self.factbase.facts_about(claim.subject, claim.relation)
                 if _condition_fits(f, claim)]
        if not facts:
            return []
        scores = self.similarities(sentence)
        ranked = [Match(f, scores.get(f.id, 0.0)) for f in facts]
        # Most similar first; the fact id breaks ties so the order is deterministic.
        return sorted(ranked, key=lambda m: (-m.similarity, m.fact.id))

    def similarities(self, sentence: str) -> dict[str, float]:
        """Best cosine similarity of ``sentence`` to each fact's texts."""
        vector = self.vectorizer.transform([sentence])
        # Clipped once as an array and compared as floats: per-element numpy calls here were
        # most of an audit's time (thousands of fact texts per claim sentence).
        cosine = np.clip((self.matrix @ vector.T).toarray().ravel(), 0.0, 1.0).tolist()
        best: dict[str, float] = {}
        for fact_id, score in zip(self.fact_ids, cosine, strict=True):
            if score > best.get(fact_id, -1.0):
                best[fact_id] = score
        return best


def _condition_fits(fact: Fact, claim: Claim) -> bool:
    """A fact limited to some conditions applies only to claims about one of them: a
    condition and the claim's object contain one another as whole words ("cancer" fits "skin
    cancer", "covid" fits "long covid"), or the claim's own words name the condition ("kills
    the virus and cures COVID-19"). Whole words, a plural -s/-es aside: "virus" fits "viruses"
    but not "coronavirus", "fat" does not fit "fatigue"."""
    if not fact.conditions:
        return True
    if claim.object is None:
        return False
    said, text = _words(claim.object), _words(claim.text)
    return any(_contains(said, named) or _contains(named, said) or _contains(text, named)
               for named in map(_words, fact.conditions))


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(phrase.lower()))


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Does ``part`` occur in ``words`` as a run of whole words?"""
    n = len(part)
    return n > 0 and any(all(_same_word(w, q) for w, q in zip(words[i:i + n], part, strict=True))
                         for i in range(len(words) - n + 1))


def _same_word(a: str, b: str) -> bool:
    """Equal, or one is the other's plural ("disorder"/"disorders", "virus"/"viruses")."""
    short, long = sorted((a, b), key=len)
    return long in (short, short + "s", short + "es")
