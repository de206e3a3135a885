"""The term model: a learned reading, word by word, of misused and made-up health terms.

The rules of :mod:`auditor.terms` catch the terms someone listed and the invented ones
presented as terms. Misuse that no list and no cue foresaw ("flush the sludge from your
lymph", "your cortisol tank") is worded in ways a model can learn. A logistic regression reads
each token from hashed features of it and its neighbours: the words and word pairs, the words
within five either side, the word's shape, start and ending, whether the medical vocabulary
knows it, how common it is in English, quotation marks and naming cues ("called", "known
as"); and, for each pair of neighbours, whether the vocabulary knows each word and the pair as
a term, and how common each word is. It learns what misuse looks like from the labelled
occurrences of the dev half of ``corpora/eval/terms`` (the misused spans against the real
terms and product names written to look alike), and what ordinary health writing looks like
from real scientific and press sentences.

It reads the scan (tokens only), so it costs no tagging or parsing. A run of tokens becomes a
finding when one of them scores at least :data:`THRESHOLD`; the run takes in the neighbours
scoring at least :data:`EXTEND`. The features, the threshold and the weight of ordinary writing
were chosen by cross-validation over the writers' batches of the dev half, with the science
check of ``auditor eval`` (without the words nearby, 0.95 let 7 more of its 1,864 scientific
texts be flagged; with them, none; the pair features raised cross-validated recall from 0.855
to 0.859 and cut the real terms flagged from 16 to 11 of 437). Findings say they come from a
model, name the signals that weighed most, and are one severity step below the rules'
(``info``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from auditor.errors import ModelError
from auditor.evaluation.terms import MISUSED, OccurrenceSchema, term_bounds
from auditor.learning.artifacts import load_model, save_model
from auditor.records import Finding, overlaps
from auditor.terms.vocabulary import Vocabulary, load_frequency_bands, load_vocabulary

KIND = "term_tagger"
FORMAT = 1
FILE = "term_tagger.skops"
THRESHOLD = 0.95  # a finding needs one token this probable
EXTEND = 0.8  # its neighbours this probable join the finding's span
HASHED_FEATURES = 2**20
# Toggles of a quotation; curly and straight, single and double (a lone apostrophe token
# is rare enough that the odd false toggle costs nothing measurable).
_QUOTE_MARKS = frozenset('"“”‘’\'')
_NAMING_CUES = frozenset({"called", "dubbed", "known", "termed", "referred", "named",
                          "so-called", "as"})
_CUE_REACH = 4  # tokens back a naming cue still counts
_NEAR = 2  # neighbours read by position; the words beyond, up to _CONTEXT_REACH, as a bag
_CONTEXT_REACH = 5


@dataclass(frozen=True)
class LearnedTerm:
    """A run of tokens the model reads as a misused or made-up term."""

    span: Span
    probability: float
    signals: tuple[str, ...]  # the features that weighed most, in words


class TermTagger:
    """Probability that each token belongs to a misused or made-up health term."""

    def __init__(self, parts: dict[str, Any], vocabulary: Vocabulary,
                 bands: dict[str, int]) -> None:
        if parts.get("kind") != KIND or parts.get("format") != FORMAT:
            raise ModelError(f"not a term tagger of format {FORMAT}: "
                             f"{parts.get('kind')!r} {parts.get('format')!r}")
        self.parts = parts
        self.features = TokenFeatures(vocabulary, bands, parts["features"])

    @classmethod
    def fit(cls, sentences: Sequence[Span], labels: Sequence[Sequence[bool]],
            weights: Sequence[float], *, corpora: Path | None = None) -> TermTagger:
        """``labels[i][j]``: token j of sentence i is part of a misused term; ``weights[i]``
        weighs every token of sentence i."""
        model = cls({"kind": KIND, "format": FORMAT, "features": HASHED_FEATURES,
                     "threshold": THRESHOLD, "extend": EXTEND},
                    load_vocabulary(corpora), load_frequency_bands(corpora))
        rows = model._matrix(sentences)
        truth = np.concatenate([np.asarray(row, dtype=bool) for row in labels])
        token_weights = np.concatenate([np.full(len(s), w) for s, w in
                                        zip(sentences, weights, strict=True)])
        if len(truth) != rows.shape[0]:
            raise ModelError("term tagger: the labels do not match the sentences' tokens")
        # liblinear: deterministic, and as good as lbfgs here in cross-validation
        classifier = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear",
                                        random_state=0)
        classifier.fit(rows, truth, sample_weight=token_weights)
        model.parts["classifier"] = classifier
        return model

    def save(self, folder: Path) -> str:
        return save_model(self.parts, folder / FILE)

    @classmethod
    def load(cls, folder: Path, corpora: Path | None = None) -> TermTagger:
        return cls(load_model(folder / FILE), load_vocabulary(corpora),
                   load_frequency_bands(corpora))

    def token_probabilities(self, sentences: Sequence[Span]) -> list[np.ndarray]:
        """One array per sentence: each token's probability of being part of a misused term."""
        if not sentences:
            return []
        scores = self.parts["classifier"].predict_proba(self._matrix(sentences))[:, 1]
        bounds = np.cumsum([len(s) for s in sentences])[:-1]
        return list(np.split(scores, bounds))

    def find(self, doc: Doc) -> list[LearnedTerm]:
        sentences = list(doc.sents)
        found = []
        for sentence, scores in zip(sentences, self.token_probabilities(sentences),
                                    strict=True):
            for start, end in _runs(sentence, scores, self.parts["threshold"],
                                    self.parts["extend"]):
                peak = start + int(scores[start:end].argmax())
                found.append(LearnedTerm(sentence[start:end], float(scores[peak]),
                                         self._signals(sentence, peak)))
        return found

    def _matrix(self, sentences: Sequence[Span]) -> sparse.csr_matrix:
        return self.features.matrix(sentences)

    def _signals(self, sentence: Span, i: int, most: int = 3) -> tuple[str, ...]:
        """The features of token ``i`` that pushed its score up the most, in words."""
        keys = self.features.keys(sentence)[i]
        weights = self.parts["classifier"].coef_[0][self.features.columns(keys)]
        pushes = sorted(zip(weights, keys, strict=True), reverse=True)
        return tuple(_in_words(key) for weight, key in pushes[:most] if weight > 0)


def labelled_sentences(scanner: Language, occurrences: Sequence[OccurrenceSchema]
                       ) -> tuple[list[Span], list[list[bool]]]:
    """The sentences of the occurrences' texts, each token marked when it is part of a
    misused (made-up or misapplied) term."""
    sentences, labels = [], []
    for item, doc in zip(occurrences, scanner.pipe(o.text for o in occurrences), strict=True):
        start, end = term_bounds(item)
        misused = item.label in MISUSED
        for sentence in doc.sents:
            sentences.append(sentence)
            labels.append([misused and overlaps(t.idx, t.idx + len(t), start, end)
                           for t in sentence])
    return sentences, labels


class TokenFeatures:
    """The features of each token, from tokenizer attributes only, and their hashed columns.

    A feature is a key such as ``w=detox`` or ``pair-=liver flush``; its column is where
    :class:`~sklearn.feature_extraction.FeatureHasher` puts it. A word's own keys are built
    once and remembered: building the same strings again for every token cost most of the
    model's time.
    """

    def __init__(self, vocabulary: Vocabulary, bands: dict[str, int], size: int) -> None:
        self.vocabulary = vocabulary
        self.bands = bands
        self.hasher = FeatureHasher(size, input_type="string", alternate_sign=False)
        self._word_keys: dict[str, tuple[str, ...]] = {}

    def keys(self, sentence: Span) -> list[list[str]]:
        """The feature keys of each token of ``sentence``."""
        tokens = list(sentence)  # indexing a Span costs a call per token; this runs on every word
        words = [t.lower_ for t in tokens]
        own = [self._keys_of(w) for w in words]
        joins = self._joins(words, own)
        nearby = [t.is_alpha for t in tokens]
        quoted = _inside_quotes(tokens)
        last = len(words) - 1
        last_cue = -_CUE_REACH - 1
        rows = []
        for i, token in enumerate(tokens):
            row = [*own[i][:_OWN], "shape=" + token.shape_[:4]]
            if i > 0 and token.is_title:
                row.append("title")
            if quoted[i]:
                row.append("quoted")
            for slot, offset in enumerate(_OFFSETS, start=_OWN):
                if 0 <= i + offset <= last:
                    row.append(own[i + offset][slot])
            row.extend(dict.fromkeys(
                own[j][_NEAR_SLOT]
                for j in (*range(max(0, i - _CONTEXT_REACH), i - _NEAR),
                          *range(i + _NEAR + 1, min(last, i + _CONTEXT_REACH) + 1))
                if nearby[j]))
            if i > 0:
                row.extend(joins[i - 1][_JOIN_KEYS:])  # the pair it ends
            if i < last:
                row.extend(joins[i][:_JOIN_KEYS])  # the pair it starts
            if i - last_cue <= _CUE_REACH:
                row.append("cue")
            if words[i] in _NAMING_CUES:
                last_cue = i
            rows.append(row)
        return rows

    def _joins(self, words: list[str], own: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        """Keys of each pair of neighbours, as its first word reads them (``+``) and then as
        its second does (``-``): the two words; whether medical vocabularies know each, and
        the pair as a term; and their frequency bands. A medical word beside a word no
        vocabulary knows, in a pair no vocabulary lists ("adjuvant settling"), is how an
        uncued coinage reads."""
        joins = []
        for i in range(len(words) - 1):
            left, right = own[i][_CODE], own[i + 1][_CODE]
            term = self.vocabulary.knows_phrase(f"{words[i]} {words[i + 1]}")
            values = (("pair", f"{words[i]} {words[i + 1]}"),
                      ("known", f"{left[0]}{right[0]}{term:d}"),
                      ("bands", f"{left[1:]}{right[1:]}"))
            joins.append(tuple(f"{name}{side}={value}" for side in "+-"
                               for name, value in values))
        return joins

    def matrix(self, sentences: Sequence[Span]) -> sparse.csr_matrix:
        """One row per token of ``sentences``, in order."""
        matrix: sparse.csr_matrix = self.hasher.transform(
            row for s in sentences for row in self.keys(s))
        return matrix

    def columns(self, keys: Sequence[str]) -> np.ndarray:
        return self.hasher.transform([key] for key in keys).indices  # one per row

    def _keys_of(self, word: str) -> tuple[str, ...]:
        """The word's own keys, then the keys it gives its neighbours at each offset, its
        key as a word nearby, and its code for pairs: 1 or 0 as medical vocabularies know it
        or not, then its frequency band."""
        keys = self._word_keys.get(word)
        if keys is None:
            if len(self._word_keys) > _REMEMBERED:  # a new dict: a thread may be reading
                self._word_keys = {}
            band, known = self.bands.get(word, 0), self.vocabulary.knows_word(word)
            keys = ("w=" + word, "suf=" + word[-3:], "pre=" + word[:3], f"band={band}",
                    f"known={known}", *(f"w{offset}={word}" for offset in _OFFSETS),
                    "near=" + word, f"{known:d}{band}")
            self._word_keys[word] = keys
        return keys


_OFFSETS = (-2, -1, 1, 2)  # neighbours read by position (up to _NEAR)
_OWN = 5  # keys of a word about itself, first in its tuple of keys
_NEAR_SLOT = _OWN + len(_OFFSETS)
_CODE = _NEAR_SLOT + 1
_JOIN_KEYS = 3  # keys of a pair of neighbours, as each of them reads it
_REMEMBERED = 1_000_000  # words whose keys are remembered before starting afresh


def _inside_quotes(tokens: Sequence[Token]) -> list[bool]:
    inside, marks = False, []
    for token in tokens:
        if token.text in _QUOTE_MARKS:
            inside = not inside
        marks.append(inside)
    return marks


def _runs(sentence: Span, scores: np.ndarray, threshold: float, extend: float
          ) -> list[tuple[int, int]]:
    """(start, end) token offsets of each run of words scoring at least ``extend`` that holds
    one scoring at least ``threshold``; punctuation ends a run."""
    runs, start = [], None
    for i, token in enumerate([*sentence, None]):
        inside = token is not None and _wordlike(token) and scores[i] >= extend
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            if scores[start:i].max() >= threshold:
                runs.append((start, i))
            start = None
    return runs


def _wordlike(token: Token) -> bool:
    return not (token.is_punct or token.is_space)


_SIGNAL_WORDS = {
    "title": "a capital letter mid-sentence", "quoted": "quotation marks",
    "cue": "a naming word before it (“called”, “known as”)",
    "known=True": "a word medical vocabularies know",
    "known=False": "a word no medical vocabulary lists",
    "band=0": "a word rare in English",
}
_KINDS = {"1": "a word medical vocabularies know", "0": "a word they do not"}
_NEIGHBOURS = {"w-2": "two words before", "w-1": "just before", "w1": "just after",
               "w2": "two words after"}


def _in_words(key: str) -> str:
    if key in _SIGNAL_WORDS:
        return _SIGNAL_WORDS[key]
    name, _, value = key.partition("=")
    if name == "w" or name.startswith("pair"):
        return f"“{value}”"
    if name in _NEIGHBOURS:
        return f"“{value}” {_NEIGHBOURS[name]}"
    if name == "near":
        return f"“{value}” nearby"
    if name in ("known-", "known+"):
        left, right, term = value[0], value[1], value[2]
        return (f"{_KINDS[left]} beside {_KINDS[right]}, together "
                f"{'a' if term == '1' else 'no'} known term")
    if name in ("bands-", "bands+"):
        return f"English frequency bands {value[0]} and {value[1]} side by side"
    return {"suf": f"the ending “-{value}”", "pre": f"the start “{value}-”",
            "shape": f"the shape {value}", "band": f"English frequency band {value}"}.get(
                name, key)


def learned_term_finding(term: LearnedTerm) -> Finding:
    """A finding that says it comes from the term model, with its probability and signals."""
    span = term.span
    signals = "; ".join(term.signals) or "the words around it"
    return Finding(
        id="", category="misused_term", severity="info", start=span.start_char,
        end=span.end_char, quote=span.text, rule="model:term_tagger",
        explanation=(f"The term model reads “{span.text}” as a misused or made-up health term "
                     f"(probability {term.probability:.2f}); what weighed most: {signals}. "
                     "No list or rule of the auditor covers it, so check the wording."),
        suggestion=("Name the condition, mechanism or product plainly, in the words a medical "
                    "source uses, or drop the term."),
        confidence=term.probability)
