"""Cheap sentence segmentation: line breaks and sentence-final punctuation.

Health articles scraped from the web are full of headings, bullets and captions with no
final period, so a line break always ends a sentence; within a line, ``. ! ?`` end one
when the next word looks like a sentence start.
"""

from __future__ import annotations

from typing import cast

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc
from thinc.types import Ints2d

_FINAL = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
_CLOSERS = frozenset({'"', "”", "’", "'", ")", "]", "»"})
_OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", "«", "-", "–", "—", "•", "*"})


def sentence_starts(doc: Doc) -> list[bool]:
    """One flag per token: does a sentence start here?"""
    starts = [False] * len(doc)
    if not starts:
        return starts
    starts[0] = True
    pending = False  # a boundary was seen; the next real word starts a sentence
    for i, token in enumerate(doc):
        if i and pending and not token.is_space and token.text not in _CLOSERS:
            starts[i] = True
            pending = False
        line_break = "\n" in token.text or "\n" in token.whitespace_
        sentence_end = token.text in _FINAL and i + 1 < len(doc) and _looks_like_start(doc, i + 1)
        if line_break or sentence_end:
            pending = True
    return starts


def _looks_like_start(doc: Doc, i: int) -> bool:
    # Skip closing quotes that belong to the sentence just ended: ...cure.” Then
    while i < len(doc) and doc[i].text in _CLOSERS:
        i += 1
    if i >= len(doc):
        return False
    word = doc[i].text
    return word[:1].isupper() or word[:1].isdigit() or word in _OPENERS or doc[i].is_space


def set_sentences(doc: Doc) -> Doc:
    # One array write: setting token.is_sent_start checks the whole doc for a parse each
    # time, which made long texts quadratic. spaCy's arrays are uint64, with -1 (not a
    # sentence start) wrapped, as its own Doc.to_array writes it.
    if len(doc):
        starts = numpy.array([[1 if start else -1] for start in sentence_starts(doc)],
                             dtype="int32").astype("uint64")
        doc.from_array([SENT_START], cast(Ints2d, starts))
    return doc
