"""Load corpora/factbase/*.yaml into a validated, cross-checked :class:`FactBase`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from auditor import paths
from auditor.datafiles import load
from auditor.errors import DataError
from auditor.factbase.schema import FactSchema, SubjectSchema, TopicSchema
from auditor.nlp.lexicon import load_lexicon
from auditor.records import Citation


@dataclass(frozen=True)
class Subject:
    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    part_of: tuple[str, ...]
    topic: str


@dataclass(frozen=True)
class Fact:
    id: str
    topic: str
    path: str
    subjects: tuple[str, ...]
    predicate: str
    polarity: str
    statement: str
    verdict: str
    as_of: str
    review_by: str | None
    severity: str | None
    conditions: tuple[str, ...]
    quantity: tuple[float, float, str] | None
    explanation: str | None
    suggestion: str | None
    citations: tuple[Citation, ...]
    contradicts: tuple[str, ...]
    supports: tuple[str, ...]


@dataclass(frozen=True)
class FactBase:
    subjects: dict[str, Subject]
    facts: dict[str, Fact]
    topics: dict[str, str]  # topic id → title
    version: str

    def lineage(self, subject_id: str) -> tuple[str, ...]:
        """The subject and every subject it is part of (7-OH → mitragynine → kratom)."""
        order, queue = [], [subject_id]
        while queue:
            current = queue.pop(0)
            if current not in order and current in self.subjects:
                order.append(current)
                queue.extend(self.subjects[current].part_of)
        return tuple(order)

    def facts_about(self, subject_id: str, predicate: str) -> list[Fact]:
        lineage = self.lineage(subject_id)
        return [f for f in self.facts.values()
                if f.predicate == predicate and any(s in f.subjects for s in lineage)]


def load_factbase(corpora: Path | None = None) -> FactBase:
    """The fact base under ``corpora`` (default: the resolved corpora/), read once per path."""
    return _load_factbase(corpora or paths.corpora_dir())


@cache
def _load_factbase(corpora: Path) -> FactBase:
    root = corpora / "factbase"
    files = sorted(root.glob("*.yaml"))
    if not files:
        raise DataError(str(root), "no topic files (*.yaml) found")
    predicates = {p.id for p in load_lexicon(corpora).predicates}
    subjects: dict[str, Subject] = {}
    facts: dict[str, Fact] = {}
    topics: dict[str, str] = {}
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        topic = load(path, TopicSchema)
        if topic.topic in topics:
            raise DataError(str(path), "topic id used by another file", field="topic")
        topics[topic.topic] = topic.title
        for subject_entry in topic.subjects:
            _add_subject(path, topic.topic, subject_entry, subjects)
        for fact_entry in topic.facts:
            _add_fact(path, topic.topic, fact_entry, facts, predicates)
    for fact in facts.values():
        for ref in fact.subjects:
            if ref not in subjects:
                raise DataError(fact.path, f"unknown subject {ref!r}; known: "
                                f"{', '.join(sorted(subjects))}", entry=fact.id, field="subjects")
    for subject in subjects.values():
        for ref in subject.part_of:
            if ref not in subjects:
                raise DataError(str(root), f"unknown subject {ref!r} in part_of",
                                entry=subject.id, field="part_of")
    return FactBase(subjects, facts, topics, digest.hexdigest()[:12])


def _add_subject(path: Path, topic: str, subject: SubjectSchema,
                 subjects: dict[str, Subject]) -> None:
    if subject.id in subjects:
        raise DataError(str(path), "subject id already defined", entry=subject.id, field="id")
    subjects[subject.id] = Subject(subject.id, subject.name, subject.kind,
                                   tuple(subject.aliases), tuple(subject.part_of), topic)


def _add_fact(path: Path, topic: str, fact: FactSchema, facts: dict[str, Fact],
              predicates: set[str]) -> None:
    if fact.id in facts:
        raise DataError(str(path), f"duplicate fact id (also in {facts[fact.id].path})",
                        entry=fact.id, field="id")
    if fact.predicate not in predicates:
        raise DataError(str(path), f"unknown predicate {fact.predicate!r}; accepted: "
                        f"{', '.join(sorted(predicates))}", entry=fact.id, field="predicate")
    quantity = (fact.quantity.min, fact.quantity.max, fact.quantity.unit) if fact.quantity else None
    facts[fact.id] = Fact(
        id=fact.id, topic=topic, path=str(path), subjects=tuple(fact.subjects),
        predicate=fact.predicate, polarity=fact.polarity, statement=fact.statement,
        verdict=fact.verdict, as_of=fact.as_of, review_by=fact.review_by,
        severity=fact.severity, conditions=tuple(fact.conditions), quantity=quantity,
        explanation=fact.explanation, suggestion=fact.suggestion,
        citations=tuple(c.as_record() for c in fact.citations),
        contradicts=tuple(fact.contradicts), supports=tuple(fact.supports))
