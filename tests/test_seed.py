"""Acceptance on the seed article (corpora/examples/kratom_seed.txt), end to end."""

from __future__ import annotations

import pytest

from auditor import Auditor, Report
from auditor.records import Finding

PROBLEMS = {"contradicted", "unsupported", "misused_term", "overstated"}


@pytest.fixture(scope="module")
def report(auditor: Auditor, seed_text: str) -> Report:
    return auditor.audit(seed_text)


def covering(report: Report, phrase: str, occurrence: int = 0) -> list[Finding]:
    """Findings whose span overlaps the ``occurrence``-th appearance of ``phrase``."""
    start = -1
    for _ in range(occurrence + 1):
        start = report.text.index(phrase, start + 1)
    end = start + len(phrase)
    return [f for f in report.findings if f.start < end and start < f.end]


@pytest.mark.model
@pytest.mark.parametrize("phrase", [
    "alleviates pain and anxiety without addiction",
    "without the addictive effects of opioids",
    "without inducing addiction or tolerance",
])
def test_seed_no_addiction_claims_are_contradicted(report: Report, phrase: str) -> None:
    found = [f for f in covering(report, phrase) if f.category == "contradicted"]
    assert [f.rule for f in found] == ["factbase:kratom.addiction"]
    assert found[0].severity == "error"
    citations = " ".join(c.quote or "" for c in found[0].evidence[0].citations)
    assert "dependence" in citations and "withdrawal" in citations and "tolerance" in citations


@pytest.mark.model
@pytest.mark.parametrize("phrase", [
    "offers hope as an alternative treatment",
    "a potential natural alternative for managing opioid withdrawal",
])
def test_seed_treatment_claims_are_unsupported(report: Report, phrase: str) -> None:
    found = [f for f in covering(report, phrase) if f.category == "unsupported"]
    assert {f.rule for f in found} == {"factbase:kratom.treatment_unproven"}
    explanation = found[0].explanation
    assert "no controlled human trials" in explanation


@pytest.mark.model
def test_seed_mild_profile_is_contradicted_with_safety_evidence(report: Report) -> None:
    found = covering(report, "relatively mild profile")
    assert [(f.category, f.rule) for f in found] == [("contradicted", "factbase:kratom.harms")]
    assert any("liver injury" in (c.quote or "") for c in found[0].evidence[0].citations)


@pytest.mark.model
def test_seed_every_diffuser_thieves_is_a_misused_term(report: Report) -> None:
    lowered = report.text.lower()
    occurrences = lowered.count("diffuser thieves")
    terms = [f for f in report.findings if f.category == "misused_term"]
    assert occurrences == 9
    assert len(terms) == occurrences
    assert all(f.quote.lower() == "diffuser thieves" for f in terms)
    assert all("essential-oil blend" in f.explanation for f in terms)
    assert all("used 9 times" in f.explanation for f in terms)


@pytest.mark.model
@pytest.mark.parametrize("phrase", [
    "mitragynine and 7-hydroxymitragynine",
    "peak plasma concentrations within 1-2 hours",
    "These can include severe pain, nausea, vomiting, anxiety, insomnia, and intense cravings.",
])
def test_seed_true_statements_raise_no_problem(report: Report, phrase: str) -> None:
    assert [f for f in covering(report, phrase) if f.category in PROBLEMS] == []


@pytest.mark.model
def test_seed_peak_concentration_is_supported(report: Report) -> None:
    found = covering(report, "peak plasma concentrations within 1-2 hours")
    assert [(f.category, f.rule) for f in found] == [
        ("supported", "factbase:kratom.peak_concentration")]


@pytest.mark.model
def test_seed_report_contract(report: Report, seed_text: str) -> None:
    assert report.text == seed_text
    assert all(report.text[f.start:f.end] == f.quote for f in report.findings)
    assert [f.start for f in report.findings] == sorted(f.start for f in report.findings)
    assert len({f.id for f in report.findings}) == len(report.findings)
    assert sum(report.summary.values()) == len(report.findings)
    assert report.auditor["factbase_version"] and report.auditor["models"]["spacy"]


@pytest.mark.model
def test_seed_ids_are_stable_across_runs_and_moves(auditor: Auditor, report: Report) -> None:
    again = auditor.audit(report.text)
    assert [f.id for f in again.findings] == [f.id for f in report.findings]
    moved = auditor.audit("An unrelated opening paragraph.\n" + report.text)
    assert {f.id for f in moved.findings} == {f.id for f in report.findings}
