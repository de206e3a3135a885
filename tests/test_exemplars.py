"""Every fact's exemplar claims are its regression tests: each must get the expected category
against its own fact. The pass rate is printed after every run and must stay at or above 95%.

Exemplars the engine does not get right yet are listed in ``exemplar_misses.txt`` (fact id,
a tab, the exemplar). They are strict expected failures: when a change fixes one, its test
fails until the line is removed, so the list only ever shrinks on purpose. Foundation topics
(kratom, opioid use disorder) may have no misses at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import Auditor
from auditor.factbase.loader import Fact, load_factbase
from auditor.factbase.tools import exemplars as fact_exemplars
from tests.conftest import PASS_RATE

MIN_PASS_RATE = 0.95
MISSES_FILE = Path(__file__).with_name("exemplar_misses.txt")
FOUNDATION = ("kratom.", "oud.")


def known_misses() -> set[tuple[str, str]]:
    lines = MISSES_FILE.read_text(encoding="utf-8").splitlines()
    return {tuple(line.split("\t", 1)) for line in lines  # type: ignore[misc]
            if line.strip() and not line.startswith("#")}


def exemplars() -> list[tuple[str, str, str]]:
    return [(fact.id, text, expected) for fact in load_factbase().facts.values()
            for text, expected in fact_exemplars(fact)]


def cases() -> list[object]:
    misses = known_misses()
    return [pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason="known miss"))
            if (case[0], case[1]) in misses else case for case in exemplars()]


@pytest.fixture(scope="module")
def outcomes(auditor: Auditor) -> dict[tuple[str, str, str], bool]:
    """Every exemplar audited once (batched), shared by the tests below."""
    all_cases = exemplars()
    reports = auditor.audit_many(text for _, text, _ in all_cases)
    return {case: any(f.rule == f"factbase:{case[0]}" and f.category == case[2]
                      for f in report.findings)
            for case, report in zip(all_cases, reports, strict=True)}


@pytest.mark.model
@pytest.mark.parametrize(("fact_id", "text", "expected"), cases())
def test_exemplar(outcomes: dict[tuple[str, str, str], bool], fact_id: str, text: str,
                  expected: str) -> None:
    assert outcomes[(fact_id, text, expected)]


@pytest.mark.model
def test_exemplar_pass_rate(outcomes: dict[tuple[str, str, str], bool],
                            request: pytest.FixtureRequest) -> None:
    passed = sum(outcomes.values())
    rate = passed / len(outcomes)
    # Shown at the end of every run by conftest.pytest_terminal_summary.
    request.config.stash[PASS_RATE] = (
        f"fact-base exemplar self-test: {passed}/{len(outcomes)} passed ({rate:.1%}; floor "
        f"{MIN_PASS_RATE:.0%})")
    assert rate >= MIN_PASS_RATE


def test_known_misses_are_real_exemplars() -> None:
    current = {(fact_id, text) for fact_id, text, _ in exemplars()}
    stale = known_misses() - current
    assert stale == set(), "remove these lines from exemplar_misses.txt"


def test_foundation_topics_have_no_known_misses() -> None:
    assert [m for m in known_misses() if m[0].startswith(FOUNDATION)] == []


def test_every_fact_has_exemplars_on_both_sides() -> None:
    facts: list[Fact] = list(load_factbase().facts.values())
    for fact in facts:
        assert len(fact.contradicts) >= 3, fact.id
        assert len(fact.supports) >= 2, fact.id
