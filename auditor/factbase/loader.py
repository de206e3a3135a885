"""Load corpora/factbase/*.yaml into a validated, cross-checked :class:`FactBase`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from auditor import paths
from auditor.datafiles import check
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

    def facts_about(self, subject_id: str, predicate: str | None = None) -> list[Fact]:
        """Facts about the subject or a subject it is part of (of one predicate, if given)."""
        lineage = self.lineage(subject_id)
        return [f for f in self.facts.values()
                if predicate in (None, f.predicate) and any(s in f.subjects for s in lineage)]


def load_factbase(corpora: Path | None = None) -> FactBase:
    """The fact base under ``corpora`` (default: the resolved corpora/), read once per path.

    Raises the first :class:`DataError` found; :func:`check_factbase` lists them all.
    """
    factbase, problems = _load_factbase(corpora or paths.corpora_dir())
    if problems:
        raise problems[0]
    assert factbase is not None  # no problems means a fact base was built
    return factbase


def check_factbase(corpora: Path | None = None) -> tuple[FactBase | None, list[DataError]]:
    """Every problem in the fact base files (the fact base too, when there are none)."""
    return _load_factbase(corpora or paths.corpora_dir())


@cache
def _load_factbase(corpora: Path) -> tuple[FactBase | None, list[DataError]]:
    root = corpora / "factbase"
    files = sorted(root.glob("*.yaml"))
    if not files:
        return None, [DataError(str(root), "no topic files (*.yaml) found")]
    builder = _Builder({p.id for p in load_lexicon(corpora).predicates})
    for path in files:
        builder.add_file(path)
    return builder.finish()


class _Builder:
    """Collects topics, subjects and facts across files, and every problem on the way."""

    def __init__(self, predicates: set[str]) -> None:
        self.predicates = predicates
        self.subjects: dict[str, Subject] = {}
        self.facts: dict[str, Fact] = {}
        self.topics: dict[str, str] = {}
        self.aliases: dict[str, str] = {}
        self.problems: list[DataError] = []
        self.digest = hashlib.sha256()

    def add_file(self, path: Path) -> None:
        self.digest.update(path.name.encode() + b"\0" + path.read_bytes())
        topic, problems = check(path, TopicSchema)
        self.problems += problems
        if topic is None:
            return
        if topic.topic in self.topics:
            self.problems.append(DataError(str(path), "topic id used by another file",
                                           field="topic"))
        self.topics[topic.topic] = topic.title
        for subject in topic.subjects:
            self._add_subject(path, topic.topic, subject)
        for fact in topic.facts:
            self._add_fact(path, topic.topic, fact)

    def _add_subject(self, path: Path, topic: str, subject: SubjectSchema) -> None:
        if subject.id in self.subjects:
            self.problems.append(DataError(str(path), "subject id already defined",
                                           entry=subject.id, field="id"))
            return
        for alias in (subject.name, *subject.aliases):
            owner = self.aliases.setdefault(alias.lower(), subject.id)
            if owner != subject.id:
                self.problems.append(DataError(
                    str(path), f"alias {alias!r} already names subject {owner!r}",
                    entry=subject.id, field="aliases"))
        self.subjects[subject.id] = Subject(subject.id, subject.name, subject.kind,
                                            tuple(subject.aliases), tuple(subject.part_of),
                                            topic)

    def _add_fact(self, path: Path, topic: str, fact: FactSchema) -> None:
        if fact.id in self.facts:
            self.problems.append(DataError(
                str(path), f"duplicate fact id (also in {self.facts[fact.id].path})",
                entry=fact.id, field="id"))
            return
        if fact.predicate not in self.predicates:
            self.problems.append(DataError(
                str(path), f"unknown predicate {fact.predicate!r}; accepted: "
                f"{', '.join(sorted(self.predicates))}", entry=fact.id, field="predicate"))
        quantity = ((fact.quantity.min, fact.quantity.max, fact.quantity.unit)
                    if fact.quantity else None)
        self.facts[fact.id] = Fact(
            id=fact.id, topic=topic, path=str(path), subjects=tuple(fact.subjects),
            predicate=fact.predicate, polarity=fact.polarity, statement=fact.statement,
            verdict=fact.verdict, as_of=fact.as_of, review_by=fact.review_by,
            severity=fact.severity, conditions=tuple(fact.conditions), quantity=quantity,
            explanation=fact.explanation, suggestion=fact.suggestion,
            citations=tuple(c.as_record() for c in fact.citations),
            contradicts=tuple(fact.contradicts), supports=tuple(fact.supports))

    def finish(self) -> tuple[FactBase | None, list[DataError]]:
        known = ", ".join(sorted(self.subjects))
        for fact in self.facts.values():
            for ref in fact.subjects:
                if ref not in self.subjects:
                    self.problems.append(DataError(
                        fact.path, f"unknown subject {ref!r}; known: {known}",
                        entry=fact.id, field="subjects"))
        for subject in self.subjects.values():
            for ref in subject.part_of:
                if ref not in self.subjects:
                    self.problems.append(DataError(
                        f"topic {subject.topic!r}", f"unknown subject {ref!r} in part_of",
                        entry=subject.id, field="part_of"))
        if self.problems:
            return None, self.problems
        return FactBase(self.subjects, self.facts, self.topics,
                        self.digest.hexdigest()[:12]), []
