"""Cut a text at the edges of spans that may overlap or nest, for highlighting in place.

Nothing here knows about HTML: :func:`segments` says which spans cover each piece of the text,
and :func:`nesting` turns that into open/text/close steps that always nest properly, so any
markup (the HTML report, the editor's review page) can be written from them. Spans that cross
("abc" and "bcd") cannot nest, so the inner one is closed and reopened: a span may come out
in several pieces, and the steps say which piece is its first and which its last.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Span(Generic[K]):
    """A stretch ``text[start:end]`` to highlight, named by a key unique among its spans."""

    start: int
    end: int
    key: K


@dataclass(frozen=True)
class Segment(Generic[K]):
    """A stretch of text no span starts or ends inside; ``keys`` are the spans covering it,
    outermost first (earlier start, then longer, then input order)."""

    start: int
    end: int
    keys: tuple[K, ...]


@dataclass(frozen=True)
class Open(Generic[K]):
    key: K
    first: bool  # the span's first piece (put its anchor here)


@dataclass(frozen=True)
class Close(Generic[K]):
    key: K
    last: bool  # the span's last piece (put its back-link here)


@dataclass(frozen=True)
class Text:
    start: int
    end: int


Step = Open[K] | Close[K] | Text


def segments(text: str, spans: Sequence[Span[K]]) -> list[Segment[K]]:
    """Consecutive segments covering all of ``text``, each with the spans that cover it.

    Empty spans (``start == end``) cover nothing and are left out. Raises ``ValueError`` for a
    span outside the text or a key used twice: both are bugs in the caller.
    """
    _check(text, spans)
    rank = {span.key: i for i, span in enumerate(_outermost_first(spans))}
    starting: dict[int, list[K]] = {}
    ending: dict[int, list[K]] = {}
    for span in spans:
        if span.start < span.end:
            starting.setdefault(span.start, []).append(span.key)
            ending.setdefault(span.end, []).append(span.key)
    edges = sorted({0, len(text), *starting, *ending})
    active: set[K] = set()
    out: list[Segment[K]] = []
    for left, right in pairwise(edges):
        active.difference_update(ending.get(left, ()))
        active.update(starting.get(left, ()))
        out.append(Segment(left, right, tuple(sorted(active, key=rank.__getitem__))))
    return out


def nesting(spans: Sequence[Span[K]], pieces: Sequence[Segment[K]]) -> list[Step[K]]:
    """Open/text/close steps for ``pieces`` (from :func:`segments` over ``spans``) in which
    every close matches the latest open still open: well-formed markup by construction."""
    end_of = {span.key: span.end for span in spans}
    opened: set[K] = set()
    stack: list[K] = []
    steps: list[Step[K]] = []
    for piece in pieces:
        keep = _common_prefix(stack, piece.keys)
        while len(stack) > keep:
            key = stack.pop()
            steps.append(Close(key, last=end_of[key] <= piece.start))
        for key in piece.keys[keep:]:
            steps.append(Open(key, first=key not in opened))
            opened.add(key)
            stack.append(key)
        steps.append(Text(piece.start, piece.end))
    steps.extend(Close(key, last=True) for key in reversed(stack))
    return steps


def _outermost_first(spans: Sequence[Span[K]]) -> list[Span[K]]:
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, -spans[i].end, i))
    return [spans[i] for i in order]


def _common_prefix(stack: list[K], keys: tuple[K, ...]) -> int:
    same = 0
    for open_key, key in zip(stack, keys, strict=False):
        if open_key != key:
            break
        same += 1
    return same


def _check(text: str, spans: Sequence[Span[K]]) -> None:
    seen: set[K] = set()
    for span in spans:
        if not 0 <= span.start <= span.end <= len(text):
            raise ValueError(f"span {span.key!r} [{span.start}:{span.end}] is outside the text "
                             f"(length {len(text)})")
        if span.key in seen:
            raise ValueError(f"span key {span.key!r} is used twice; keys must be unique")
        seen.add(span.key)
