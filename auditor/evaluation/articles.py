"""The annotated article set (corpora/eval/articles/*.yaml; label guide: corpora/eval/README.md)
and the two article-level scores: span recall of labelled problems, and the false-alarm rate
on sentences that must stay clean."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from auditor import paths
from auditor.datafiles import Closed, load
from auditor.errors import DataError
from auditor.factbase.loader import FactBase
from auditor.records import Report, overlaps

PROBLEM_CATEGORIES = ("contradicted", "unsupported", "misused_term", "overstated")


class ProblemSchema(Closed):
    quote: str = Field(min_length=2)
    occurrence: int = Field(default=1, ge=1)
    category: Literal["contradicted", "unsupported", "misused_term", "overstated"]
    fact: str | None = None


class ArticleSchema(Closed):
    id: str
    split: Literal["dev", "heldout"]
    style: Literal["seo_filler", "wellness_blog", "product_page", "social_post",
                   "public_health", "news"]
    topics: list[str] = Field(min_length=1)
    title: str
    text: str = Field(min_length=100)
    problems: list[ProblemSchema] = Field(default_factory=list)
    clean: list[str] = Field(min_length=3)

    @model_validator(mode="after")
    def _quotes_are_in_the_text(self) -> ArticleSchema:
        for problem in self.problems:
            if self.text.count(problem.quote) < problem.occurrence:
                raise ValueError(f"problem quote {problem.quote!r} (occurrence "
                                 f"{problem.occurrence}) is not in the text")
        for sentence in self.clean:
            if sentence not in self.text:
                raise ValueError(f"clean sentence {sentence!r} is not in the text")
        return self


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    category: str
    fact: str | None


@dataclass(frozen=True)
class Article:
    id: str
    split: str
    style: str
    topics: tuple[str, ...]
    text: str
    problems: tuple[Span, ...]
    clean: tuple[tuple[int, int], ...]


def load_articles(folder: Path | None = None, factbase: FactBase | None = None) -> list[Article]:
    """Every article, validated; with a fact base, topic and fact ids are checked too."""
    folder = folder or paths.corpora_dir("eval", "articles")
    articles = []
    for path in sorted(folder.glob("*.yaml")):
        schema = load(path, ArticleSchema)
        if schema.id != path.stem:
            raise DataError(str(path), f"id {schema.id!r} differs from the file name",
                            field="id")
        if factbase is not None:
            _check_ids(path, schema, factbase)
        articles.append(Article(
            schema.id, schema.split, schema.style, tuple(schema.topics), schema.text,
            tuple(_locate(schema.text, p) for p in schema.problems),
            tuple((schema.text.index(s), schema.text.index(s) + len(s)) for s in schema.clean)))
    return articles


def _check_ids(path: Path, schema: ArticleSchema, factbase: FactBase) -> None:
    for topic in schema.topics:
        if topic not in factbase.topics:
            raise DataError(str(path), f"unknown topic {topic!r}", field="topics")
    for problem in schema.problems:
        if problem.fact is not None and problem.fact not in factbase.facts:
            raise DataError(str(path), f"unknown fact {problem.fact!r}", field="problems")


def _locate(text: str, problem: ProblemSchema) -> Span:
    start = -1
    for _ in range(problem.occurrence):
        start = text.index(problem.quote, start + 1)
    return Span(start, start + len(problem.quote), problem.category, problem.fact)


@dataclass(frozen=True)
class ArticleScores:
    """Span recall of labelled problems (a finding overlapping the span, same category) and
    the share of clean sentences that received any problem finding."""

    problems: int
    found: int
    clean: int
    false_alarms: int
    by_category: tuple[tuple[str, int, int], ...] = ()  # (category, problems, found)

    @property
    def recall(self) -> float:
        return self.found / self.problems if self.problems else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.clean if self.clean else 0.0


def score(articles: Iterable[Article], reports: Iterable[Report]) -> ArticleScores:
    problems = found = clean = false_alarms = 0
    per_category = {c: [0, 0] for c in PROBLEM_CATEGORIES}
    for article, report in zip(articles, reports, strict=True):
        flagged = [f for f in report.findings if f.category in PROBLEM_CATEGORIES]
        for span in article.problems:
            hit = any(f.category == span.category
                      and overlaps(f.start, f.end, span.start, span.end) for f in flagged)
            problems += 1
            found += hit
            per_category[span.category][0] += 1
            per_category[span.category][1] += hit
        for start, end in article.clean:
            clean += 1
            false_alarms += any(overlaps(f.start, f.end, start, end) for f in flagged)
    return ArticleScores(problems, found, clean, false_alarms,
                         tuple((c, n, hit) for c, (n, hit) in per_category.items()))
