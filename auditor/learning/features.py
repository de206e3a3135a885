"""Features the models share with the rules: counts of what the lexicon scanner finds in a
sentence (subjects, predicate words per claim type, conditions, negations, hedges, ...).

They let a model weigh the same evidence the rules use, and generalize to topics whose words
it never saw in training: a tweet about a new drug still has "cures" and "no side effects".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.pipeline import Pipeline
from spacy.language import Language
from spacy.tokens import Span

from auditor.nlp.matching import spans_in

# Scanner span groups counted as they are (see auditor.nlp.matching).
_GROUPS = ("subjects", "predicates", "conditions", "negations", "evidential", "hedges",
           "attributions", "rhetoric", "terms")
_FIRST_PERSON = frozenset({"i", "my", "me", "we", "our", "us", "mine"})
_DIGIT = re.compile(r"\d")


def hashed_tfidf(analyzer: str, ngram_range: tuple[int, int], bits: int = 18,
                 stop_words: str | None = None) -> Pipeline:
    """TF-IDF over hashed n-grams. Hashing keeps no vocabulary, so a saved model is a few
    arrays that load in milliseconds (a 100,000-entry vocabulary takes skops seconds)."""
    return Pipeline([
        ("hash", HashingVectorizer(analyzer=analyzer, ngram_range=ngram_range,
                                   n_features=2 ** bits, alternate_sign=False, norm=None,
                                   stop_words=stop_words)),
        ("tfidf", TfidfTransformer(sublinear_tf=True)),
    ])


def cue_names(claim_types: Iterable[str]) -> list[str]:
    """Feature names: one per span group, one per predicate claim type, and text shape."""
    return ([f"n_{group}" for group in _GROUPS]
            + [f"claim_type={t}" for t in sorted(set(claim_types))]
            + ["question", "digits", "first_person", "log_tokens"])


def cue_matrix(scanner: Language, texts: Sequence[str], names: Sequence[str]) -> np.ndarray:
    """One row of ``names`` features per text (the scanner runs its tokenizer and matcher only:
    about 100,000 words a second)."""
    return span_cue_matrix([doc[:] for doc in scanner.pipe(texts, batch_size=256)], names)


def span_cue_matrix(sentences: Sequence[Span], names: Sequence[str]) -> np.ndarray:
    """The same features for sentences of documents the scanner has already read."""
    column = {name: i for i, name in enumerate(names)}
    rows = np.zeros((len(sentences), len(names)), dtype=np.float64)
    for row, sentence in zip(rows, sentences, strict=True):
        for name, value in _cues(sentence).items():
            if name in column:
                row[column[name]] = value
    return rows


def _cues(sentence: Span) -> dict[str, float]:
    counts: dict[str, float] = {}
    for group in _GROUPS:
        inside = spans_in(sentence, f"auditor_{group}")
        counts[f"n_{group}"] = float(min(len(inside), 3))
        if group == "predicates":
            for span in inside:
                counts[f"claim_type={span.kb_id_}"] = 1.0
    words = [t.lower_ for t in sentence if not t.is_space]
    counts["question"] = float(sentence.text.rstrip().endswith("?"))
    counts["digits"] = float(bool(_DIGIT.search(sentence.text)))
    counts["first_person"] = float(any(w in _FIRST_PERSON for w in words))
    counts["log_tokens"] = float(np.log1p(len(words)))
    return counts

