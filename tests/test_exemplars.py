"""Every fact's exemplar claims are its regression tests: each must get the expected category
against its own fact. The pass rate is printed and must stay at or above 95%."""

from __future__ import annotations

import pytest

from auditor import Auditor
from auditor.factbase.loader import Fact, load_factbase
from auditor.factbase.tools import exemplars as fact_exemplars
from tests.conftest import PASS_RATE

MIN_PASS_RATE = 0.95


def exemplars() -> list[tuple[str, str, str]]:
    return [(fact.id, text, expected) for fact in load_factbase().facts.values()
            for text, expected in fact_exemplars(fact)]


def exemplar_passes(auditor: Auditor, fact_id: str, text: str, expected: str) -> bool:
    report = auditor.audit(text)
    return any(f.rule == f"factbase:{fact_id}" and f.category == expected
               for f in report.findings)


@pytest.mark.model
@pytest.mark.parametrize(("fact_id", "text", "expected"), exemplars())
def test_exemplar(auditor: Auditor, fact_id: str, text: str, expected: str) -> None:
    assert exemplar_passes(auditor, fact_id, text, expected)


@pytest.mark.model
def test_exemplar_pass_rate(auditor: Auditor, request: pytest.FixtureRequest) -> None:
    cases = exemplars()
    passed = sum(exemplar_passes(auditor, *case) for case in cases)
    rate = passed / len(cases)
    # Shown at the end of every run by conftest.pytest_terminal_summary.
    request.config.stash[PASS_RATE] = (
        f"fact-base exemplar self-test: {passed}/{len(cases)} passed ({rate:.1%}; floor "
        f"{MIN_PASS_RATE:.0%})")
    assert rate >= MIN_PASS_RATE


def test_every_fact_has_exemplars_on_both_sides() -> None:
    facts: list[Fact] = list(load_factbase().facts.values())
    for fact in facts:
        assert len(fact.contradicts) >= 3, fact.id
        assert len(fact.supports) >= 2, fact.id
