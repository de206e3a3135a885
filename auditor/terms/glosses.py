"""Incompatible definitions: one term glossed as different things in one text.

The seed article defines "diffuser thieves" as kratom itself ("often referred to as a diffuser
thieves"), as the risks of misuse ("diffuser thieves—the risks associated with misuse"), as
people ("the diffuser thieves (those seeking alternative solutions)") and as contaminated
products. A term that means three things means nothing; each occurrence is reported with the
conflict spelled out.

Glosses are read from the surface: a parenthesis or a dash right after the term, "X is a …",
and "known as / referred to as / called / acting like X" (which glosses X as the substance the
sentence is about).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from auditor.factbase.loader import FactBase

_INTRODUCERS = (("referred", "to", "as"), ("known", "as"), ("called",), ("acting", "like"),
                ("acts", "like"), ("acts", "as"), ("acting", "as"))
_DASHES = frozenset({"—", "–", "--"})
_GLOSS_ENDS = frozenset({"of", "for", "with", "that", "who", "which", "associated", "seeking",
                         "used", "by", "in", "from", "to", "when", "where"})
_PEOPLE = frozenset({"those", "people", "users", "individuals", "persons", "patients",
                     "seekers", "anyone", "someone", "consumers", "buyers", "addicts"})
_ARTICLES = frozenset({"a", "an", "the", "these", "those", "this"})


@dataclass(frozen=True)
class Gloss:
    meaning: str  # what the term is taken to be: "people", "risks", "kratom"
    said: str  # the words of the text that say so


def conflicting_definitions(doc: Doc, terms: Iterable[Span], factbase: FactBase
                            ) -> dict[str, str]:
    """Lower-cased term → an explanation, for each term glossed with two or more meanings."""
    glosses: dict[str, list[Gloss]] = {}
    for term in terms:
        gloss = _gloss(term, factbase)
        if gloss is not None:
            glosses.setdefault(term.text.lower(), []).append(gloss)
    conflicts: dict[str, str] = {}
    for name, found in glosses.items():
        meanings = {g.meaning for g in found}
        if len(meanings) >= 2:
            said = "; ".join(f"as {g.meaning} (\"{g.said}\")" for g in _distinct(found))
            conflicts[name] = (f' This text defines "{name}" in incompatible ways: {said}. A '
                               "term that means several things at once means nothing.")
    return conflicts


def _distinct(glosses: list[Gloss]) -> list[Gloss]:
    seen: dict[str, Gloss] = {}
    for gloss in glosses:
        seen.setdefault(gloss.meaning, gloss)
    return list(seen.values())


def _gloss(term: Span, factbase: FactBase) -> Gloss | None:
    doc = term.doc
    after = term.end
    if after < len(doc) and doc[after].text in {"’", "'", "”", '"'}:
        after += 1  # a closing quotation mark
    if after < len(doc) and (doc[after].text == "(" or doc[after].text in _DASHES):
        return _explicit(doc[after + 1:min(after + 12, term.sent.end)])
    if after + 1 < len(doc) and doc[after].lower_ in {"is", "are"}:
        return _explicit(doc[after + 1:min(after + 10, term.sent.end)])
    return _introduced(term, factbase)


def _explicit(words: Span) -> Gloss | None:
    kept = []
    for token in words:
        if token.is_punct or token.lower_ in _GLOSS_ENDS:
            break
        kept.append(token)
    content = [t for t in kept if t.is_alpha and t.lower_ not in _ARTICLES - {"those"}]
    if not content:
        return None
    head = content[-1].lower_
    meaning = "people" if head in _PEOPLE or content[0].lower_ in _PEOPLE else head
    return Gloss(meaning, " ".join(t.text for t in kept))


def _introduced(term: Span, factbase: FactBase) -> Gloss | None:
    doc, sent = term.doc, term.sent
    start = term.start
    while start > sent.start and doc[start - 1].text in _ARTICLES | {"“", "‘", '"', "'"}:
        start -= 1
    before = tuple(t.lower_ for t in doc[max(sent.start, start - 3):start])
    if not any(before[-len(cue):] == cue for cue in _INTRODUCERS):
        return None
    subjects = [s for s in doc.spans["auditor_subjects"]
                if sent.start <= s.start < sent.end and not (term.start <= s.start < term.end)]
    if not subjects:
        return None
    name = factbase.subjects[subjects[0].label_].name
    cue = " ".join(w for w in before if w.isalpha())
    return Gloss(name.lower(), f"{cue} {term.text}, said of {name}")
