"""Curator tools: validate, stats, show, explain."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.factbase.loader import load_factbase
from auditor.factbase.tools import stats, validate


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def edit(root: Path, old: str, new: str) -> None:
    path = root / "factbase" / "kratom.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_packaged_fact_base_is_valid() -> None:
    assert [p for p in validate(today=date(2026, 11, 25)) if p.level == "error"] == []


def test_validate_lists_every_problem_with_file_entry_field(data_dir: Path) -> None:
    edit(data_dir, "    verdict: established\n", "    verdict: proven\n")
    edit(data_dir, "url: http://www.eurekaselect.com/161451/article", "url: eurekaselect.com")
    edit(data_dir, "  - id: kratom.harms\n", "  - id: kratom.addiction\n")
    edit(data_dir, "    polarity: negative\n", "    polarity: negative\n    sevrity: error\n")
    problems = [str(p) for p in validate(data_dir) if p.level == "error"]
    assert len(problems) == 3  # schema errors stop cross-file checks for that file
    joined = "\n".join(problems)
    assert "kratom.yaml: entry 'kratom.addiction': field 'facts.0.verdict'" in joined
    assert "'established', 'refuted', 'insufficient' or 'contested'" in joined
    assert "field 'facts.0.citations.1.url': Value error, must be an http(s) URL" in joined
    assert "entry 'kratom.not_approved': field 'facts.1.sevrity': unknown key" in joined


def test_validate_catches_duplicate_ids_across_files(data_dir: Path) -> None:
    source = data_dir / "factbase" / "kratom.yaml"
    copy = data_dir / "factbase" / "kratom_copy.yaml"
    copy.write_text(source.read_text().replace("topic: kratom", "topic: kratom_copy"))
    messages = [str(p) for p in validate(data_dir)]
    assert any("kratom_copy.yaml: entry 'kratom': field 'id': subject id already defined" in m
               for m in messages)
    assert any("entry 'kratom.addiction': field 'id': duplicate fact id (also in" in m
               for m in messages)


def test_validate_catches_an_exemplar_claimed_both_ways(data_dir: Path) -> None:
    edit(data_dir, "      - Kratom can cause dependence.\n",
         "      - Kratom can cause dependence.\n      - Kratom isn't habit-forming.\n")
    errors = [str(p) for p in validate(data_dir) if p.level == "error"]
    assert len(errors) == 1
    assert "exemplar \"Kratom isn't habit-forming.\" is expected" in errors[0]


def test_validate_warns_of_reviews_past_due(capsys: pytest.CaptureFixture[str]) -> None:
    late = date(2030, 1, 1)
    warnings = [p for p in validate(today=late) if p.level == "warning"]
    assert {p.entry for p in warnings} >= {"kratom.addiction", "oud.not_substitution"}
    facts = load_factbase().facts
    due = [p for p in warnings if p.field == "review_by"]
    assert len(due) == len(facts)  # every fact's review date is before 2030
    assert all(p.message == f"review was due {facts[str(p.entry)].review_by}" for p in due)
    assert run(capsys, "factbase", "validate", "--today", "2030-01-01")[0] == 0
    assert run(capsys, "factbase", "validate", "--today", "2030-01-01", "--strict")[0] == 1


def test_validate_cli_exit_1_on_errors(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(data_dir, "    verdict: established\n", "    verdict: proven\n")
    code, out, _ = run(capsys, "factbase", "validate")
    assert code == 1
    assert "fact base invalid: 1 error(s)" in out


def test_stats_counts_agree_with_the_fact_base(capsys: pytest.CaptureFixture[str]) -> None:
    factbase = load_factbase()
    numbers = stats(factbase, today=date(2026, 11, 25))
    assert numbers["facts"] == len(factbase.facts) == sum(numbers["facts_by_topic"].values())
    assert numbers["citations"] == numbers["citations_primary"] + numbers["citations_copy"]
    assert numbers["citations"] == sum(numbers["citations_by_publisher"].values())
    assert numbers["facts_due_for_review"] == []
    code, out, _ = run(capsys, "factbase", "stats", "--format", "json")
    assert code == 0 and json.loads(out)["topics"] == len(factbase.topics)


def test_show_fact_subject_topic_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "factbase", "show", "kratom.addiction")
    assert code == 0
    assert "kratom.addiction  (established; addictive positive; subjects: kratom)" in out
    assert "contradicted Kratom isn't habit-forming." in out
    subject = json.loads(run(capsys, "factbase", "show", "kratom", "--format", "json")[1])
    assert (subject["record"], subject["kind"]) == ("subject", "substance")
    assert "kratom.addiction" in subject["facts"]
    code, out, err = run(capsys, "factbase", "show", "kratom.addict")
    assert code == 2 and out == ""
    assert "kratom.addict: no fact, subject or topic has this id; similar ids:" in err


@pytest.mark.model
def test_explain_shows_matches_candidates_and_verdict(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "factbase", "explain",
                       "Kratom isn't habit-forming, but it may relieve pain.")
    assert code == 0
    assert "predicate       “habit-forming” → addictive (+)" in out
    assert "negation        “n't”" in out
    assert "polarity=negative hedged=False, negated by n't" in out
    assert "→ kratom.addiction (established)" in out and "claim disagrees → contradicted" in out
    assert "finding: unsupported (info), rule factbase:kratom.treatment_unproven" in out


@pytest.mark.model
def test_explain_says_why_nothing_matched(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "factbase", "explain", "Soursop cures cancer. The sky is blue.")[1]
    assert "no fact matches this subject and relation → unchecked" in out
    assert "no lexicon match: not a claim sentence" in out
