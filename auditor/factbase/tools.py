"""Curator tools over the fact base: validate, stats, show (the CLI renders them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from auditor.factbase.loader import Fact, FactBase, check_factbase

# What an exemplar listed under `contradicts` should be reported as, by the fact's verdict.
CONTRADICTED_AS = {"established": "contradicted", "refuted": "contradicted",
                   "insufficient": "unsupported", "contested": "unsupported"}


@dataclass(frozen=True)
class Problem:
    level: Literal["error", "warning"]
    path: str
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.entry:
            where += f": entry {self.entry!r}"
        if self.field:
            where += f": field {self.field!r}"
        return f"{self.level}: {where}: {self.message}"


def validate(corpora: Path | None = None, today: date | None = None) -> list[Problem]:
    """Schema and cross-file errors, then the curation checks on a loadable fact base."""
    factbase, errors = check_factbase(corpora)
    problems = [Problem("error", e.path, e.entry, e.field, e.detail) for e in errors]
    if factbase is not None:
        problems += _conflicting_exemplars(factbase)
        problems += _due_for_review(factbase, today or date.today())
        problems += _unanchored_exemplars(factbase)
    return problems


def expected_category(fact: Fact, side: Literal["contradicts", "supports"]) -> str:
    if side == "contradicts" or fact.verdict == "contested":
        return CONTRADICTED_AS[fact.verdict]  # contested: either side is "unsupported"
    return "supported"


def exemplars(fact: Fact) -> list[tuple[str, str]]:
    """(exemplar text, expected category) for every exemplar of ``fact``."""
    return ([(text, expected_category(fact, "contradicts")) for text in fact.contradicts]
            + [(text, expected_category(fact, "supports")) for text in fact.supports])


def _normal(text: str) -> str:
    return " ".join(text.lower().rstrip(".!?").split())


def _conflicting_exemplars(factbase: FactBase) -> list[Problem]:
    """The same exemplar expected to come out differently under two facts."""
    seen: dict[str, tuple[Fact, str]] = {}
    problems = []
    for fact in factbase.facts.values():
        for text, expected in exemplars(fact):
            first = seen.setdefault(_normal(text), (fact, expected))
            if first[1] != expected:
                problems.append(Problem(
                    "error", fact.path, fact.id, "contradicts/supports",
                    f"exemplar {text!r} is expected {expected} here but {first[1]} under "
                    f"{first[0].id}"))
    return problems


def _due_for_review(factbase: FactBase, today: date) -> list[Problem]:
    return [Problem("warning", f.path, f.id, "review_by", f"review was due {f.review_by}")
            for f in due_for_review(factbase, today)]


def due_for_review(factbase: FactBase, today: date) -> list[Fact]:
    """Facts whose ``review_by`` date has come (a fact with none is due a year after as_of)."""
    due = []
    for fact in factbase.facts.values():
        deadline = fact.review_by or _plus_year(fact.as_of)
        if _as_date(deadline) <= today:
            due.append(fact)
    return due


def _unanchored_exemplars(factbase: FactBase) -> list[Problem]:
    """An exemplar that names none of its fact's subjects cannot test that fact."""
    problems = []
    for fact in factbase.facts.values():
        names = [n.lower() for s in fact.subjects for n in _names(factbase, s)]
        for text, _ in exemplars(fact):
            if not any(name in text.lower() for name in names):
                problems.append(Problem("warning", fact.path, fact.id, "exemplars",
                                        f"{text!r} names none of the fact's subjects"))
    return problems


def _names(factbase: FactBase, subject_id: str) -> list[str]:
    """Names of the subject and of every subject that is part of it (kratom → mitragynine)."""
    names = []
    for subject in factbase.subjects.values():
        if subject_id in factbase.lineage(subject.id):
            names += [subject.name, *subject.aliases]
    return names


def stats(factbase: FactBase, today: date | None = None) -> dict[str, Any]:
    citations = [c for f in factbase.facts.values() for c in f.citations]
    due = due_for_review(factbase, today or date.today())
    return {
        "factbase_version": factbase.version,
        "topics": len(factbase.topics),
        "subjects": len(factbase.subjects),
        "facts": len(factbase.facts),
        "facts_by_verdict": dict(sorted(Counter(f.verdict for f in
                                                factbase.facts.values()).items())),
        "facts_by_topic": dict(sorted(Counter(f.topic for f in factbase.facts.values()).items())),
        "exemplars": sum(len(f.contradicts) + len(f.supports) for f in factbase.facts.values()),
        "citations": len(citations),
        "citations_primary": sum(c.seen == "primary" for c in citations),
        "citations_copy": sum(c.seen == "copy" for c in citations),
        "citations_by_publisher": dict(Counter(c.publisher for c in citations).most_common()),
        "facts_due_for_review": [f.id for f in due],
    }


def _as_date(text: str) -> date:
    padded = text + "-01" * (2 - text.count("-"))
    return date.fromisoformat(padded)


def _plus_year(text: str) -> str:
    day = _as_date(text)
    return day.replace(year=day.year + 1, day=min(day.day, 28)).isoformat()
