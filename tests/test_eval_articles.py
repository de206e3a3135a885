"""The annotated article set loads, is shaped as the label guide says, and is scored right.

Scores on the held-out half are reported, never tuned on (corpora/eval/README.md).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from auditor.errors import DataError
from auditor.evaluation.articles import Article, Span, load_articles, score
from auditor.factbase.loader import load_factbase
from auditor.records import Finding, Report


def test_article_set_is_valid_and_balanced() -> None:
    articles = load_articles(factbase=load_factbase())
    assert len(articles) >= 40
    assert len({t for a in articles for t in a.topics}) >= 12
    splits = Counter(a.split for a in articles)
    assert abs(splits["dev"] - splits["heldout"]) <= 2
    assert sum(len(a.problems) for a in articles if a.split == "heldout") >= 40
    assert all(len(a.clean) >= 3 for a in articles)


def test_a_quote_missing_from_the_text_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x1.yaml").write_text(
        "id: x1\nsplit: dev\nstyle: news\ntopics: [kratom]\ntitle: T\n"
        f"text: {'Kratom is a plant. ' * 8}\n"
        "problems:\n  - {quote: kratom cures cancer, category: unsupported}\n"
        "clean: [Kratom is a plant., Kratom is a plant., Kratom is a plant.]\n")
    with pytest.raises(DataError, match=r"x1\.yaml.*'kratom cures cancer'.*is not in the text"):
        load_articles(tmp_path)


def finding(start: int, end: int, category: str) -> Finding:
    return Finding(id="x", category=category, severity="error", start=start, end=end,  # type: ignore[arg-type]
                   quote="", explanation="", rule="r", confidence=0.5)


def test_score_counts_overlapping_same_category_hits_and_false_alarms() -> None:
    article = Article("a", "dev", "news", ("kratom",), "x" * 100,
                      problems=(Span(0, 10, "contradicted", None),
                                Span(20, 30, "unsupported", None),
                                Span(40, 50, "overstated", None)),
                      clean=((60, 70), (80, 90)))
    report = Report(source="a", title=None, text="x" * 100, auditor={}, findings=(
        finding(5, 12, "contradicted"),     # hit
        finding(22, 25, "contradicted"),    # overlaps, wrong category: miss
        finding(65, 66, "unsupported"),     # false alarm on a clean sentence
        finding(85, 86, "supported"),       # supported is not a problem
    ))
    scores = score([article], [report])
    assert (scores.problems, scores.found, scores.clean, scores.false_alarms) == (3, 1, 2, 1)
    assert scores.recall == pytest.approx(1 / 3)
    assert scores.false_alarm_rate == pytest.approx(0.5)
