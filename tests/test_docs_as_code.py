"""Drafts kept in git: SARIF annotations, inline ignore comments, the baseline, pre-commit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.api import Auditor
from auditor.cli import main
from auditor.ingest.sources import read_source
from auditor.report.sarif import FINGERPRINT, SCHEMA, region, render_sarif
from auditor.suppress import apply_inline, blank_comments, inline_ignores, read_baseline

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[1]

DRAFT = """# Kratom and withdrawal

Kratom relieves opioid withdrawal without addiction.

Some readers ask about sleep. Kratom is not addictive at all.
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def sarif_results(out: str) -> list[dict]:  # type: ignore[type-arg]
    log = json.loads(out)
    assert log["version"] == "2.1.0" and log["$schema"] == SCHEMA
    run_ = log["runs"][0]
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    assert all(r["ruleId"] in rule_ids for r in run_["results"])
    return run_["results"]  # type: ignore[no-any-return]


# --- SARIF ----------------------------------------------------------------------------------

def test_sarif_regions_levels_and_fingerprints(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT)
    code, out, err = run(capsys, "check", str(draft), "--format", "sarif")
    assert code == 1 and err == ""
    results = sarif_results(out)
    contradicted = [r for r in results if r["properties"]["category"] == "contradicted"]
    first = contradicted[0]
    assert first["ruleId"] == "factbase:kratom.addiction" and first["level"] == "error"
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 8, "endLine": 3, "endColumn": 52,
        "snippet": {"text": "relieves opioid withdrawal without addiction"}}
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        draft.as_uri()
    assert all(FINGERPRINT in r["partialFingerprints"] for r in results)
    assert "suppressions" not in first


def test_a_moved_paragraph_keeps_its_fingerprints(auditor: Auditor) -> None:
    first, second = DRAFT.split("\n\n")[1:3]
    before = auditor.audit(f"{first}\n\n{second}")
    after = auditor.audit(f"Intro line.\n\n{second}\n\n{first}")

    def prints(report: object) -> set[str]:
        return {r["partialFingerprints"][FINGERPRINT]
                for r in sarif_results(render_sarif([report]))}  # type: ignore[list-item]

    assert prints(before) == prints(after) and prints(before)


@pytest.mark.parametrize(("text", "start", "end", "expected"), [
    ("abc\ndef", 4, 7, (2, 1, 2, 4)),
    ("a😀b claim", 4, 9, (1, 6, 1, 11)),  # the emoji is two UTF-16 code units
    ("one\ntwo three", 2, 7, (1, 3, 2, 4)),
])
def test_sarif_columns_are_utf16_code_units(text: str, start: int, end: int,
                                            expected: tuple[int, int, int, int]) -> None:
    got = region(text, start, end)
    assert (got["startLine"], got["startColumn"], got["endLine"], got["endColumn"]) == expected
    assert got["snippet"]["text"] == text[start:end]


def test_sarif_gives_no_region_for_extracted_html(tmp_path: Path, auditor: Auditor) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>Kratom relieves opioid withdrawal without "
                    "addiction.</p></article></body></html>")
    results = sarif_results(render_sarif([auditor.audit(page)]))
    assert results
    assert all("region" not in r["locations"][0]["physicalLocation"] for r in results)


# --- inline ignore comments -------------------------------------------------------------------

@pytest.mark.parametrize(("markdown", "suppressed"), [
    # the comment inside the paragraph
    ("Kratom is not addictive. <!-- auditor: ignore kratom.addiction -->\n", 1),
    # alone in the paragraph before
    ("<!-- auditor: ignore kratom.addiction -->\nKratom is not addictive.\n", 1),
    ("<!-- auditor: ignore kratom.addiction -->\n\nKratom is not addictive.\n", 1),
    # by rule, by category, several ids, case of the keyword
    ("Kratom is not addictive. <!-- auditor: ignore factbase:kratom.addiction -->\n", 1),
    ("Kratom is not addictive. <!-- auditor: ignore contradicted -->\n", 1),
    ("Kratom is not addictive. <!-- AUDITOR: ignore foo, kratom.addiction -->\n", 1),
    # another id, or another paragraph: nothing accepted
    ("Kratom is not addictive. <!-- auditor: ignore kratom.overdose -->\n", 0),
    ("<!-- auditor: ignore kratom.addiction -->\nIntro.\n\nKratom is not addictive.\n", 0),
    ("Kratom is not addictive.\n\nOther text. <!-- auditor: ignore kratom.addiction -->\n", 0),
    ("Kratom is not addictive. <!-- auditor: ignore -->\n", 0),
])
def test_inline_ignore_comments(markdown: str, suppressed: int, auditor: Auditor) -> None:
    report = auditor.audit(blank_comments(markdown))
    assert any(f.rule == "factbase:kratom.addiction" for f in report.findings)
    kept, accepted = apply_inline(report, markdown)
    assert len(accepted) == suppressed
    assert all(a.kind == "inSource" for a in accepted)
    assert len(kept.findings) == len(report.findings) - suppressed


def test_markdown_comments_are_not_audited_and_offsets_hold(tmp_path: Path) -> None:
    draft = tmp_path / "d.md"
    draft.write_text("<!-- Kratom cures cancer. -->\nKratom relieves pain.\n")
    document = read_source(str(draft))
    assert "cures" not in document.text
    assert document.text.index("Kratom relieves") == draft.read_text().index("Kratom relieves")


def test_ignores_apply_to_whole_paragraphs() -> None:
    text = "A.\n<!-- auditor: ignore x -->\nB.\n\nC."
    [ignore] = inline_ignores(text)
    assert text[ignore.start:ignore.end].strip().endswith("B.")
    assert ignore.ids == {"x"}


# --- baseline --------------------------------------------------------------------------------

def test_baseline_accepts_known_findings_and_fails_on_new(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT)
    baseline = tmp_path / "baseline.json"
    code, out, _ = run(capsys, "baseline", str(draft), "--output", str(baseline))
    assert code == 0 and out.startswith(f"3 findings in 1 files recorded in {baseline}")
    assert sum(len(v) for v in read_baseline(baseline).values()) == 3

    # Reordered paragraphs: still accepted, exit 0.
    first, second = DRAFT.split("\n\n")[1:3]
    draft.write_text(f"# Kratom\n\n{second}\n\n{first}\n")
    code, out, _ = run(capsys, "check", str(draft), "--baseline", str(baseline))
    assert code == 0 and "3 findings accepted" in out

    # A new claim fails the check; SARIF marks the accepted ones as suppressed.
    draft.write_text(f"# Kratom\n\n{second}\n\n{first}\n\nKratom cannot cause an overdose.\n")
    code, out, _ = run(capsys, "check", str(draft), "--baseline", str(baseline),
                       "--format", "sarif")
    results = sarif_results(out)
    assert code == 1
    new = [r for r in results if "suppressions" not in r]
    assert [r["ruleId"] for r in new] == ["factbase:kratom.harms"]
    assert {s["kind"] for r in results for s in r.get("suppressions", [])} == {"external"}


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file; create it with 'auditor baseline FILES --output PATH'"),
    ("{not json", "not a baseline file (Expecting property name"),
    ('{"version": 7, "files": {}}', "not a baseline file (version 7, expected 1)"),
])
def test_bad_baseline_is_exit_2_with_one_line(tmp_path: Path, content: str | None, message: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "b.json"
    if content is not None:
        baseline.write_text(content)
    draft = tmp_path / "d.md"
    draft.write_text("Kratom is not addictive.\n")
    code, out, err = run(capsys, "check", str(draft), "--baseline", str(baseline))
    assert code == 2 and out == ""
    assert err.startswith(f"auditor: error: --baseline {baseline}: {message}")
    assert err.count("\n") == 1


# --- pre-commit --------------------------------------------------------------------------------

def test_pre_commit_manifest_is_valid_and_its_entry_runs(tmp_path: Path) -> None:
    from pre_commit.clientlib import load_manifest

    [hook] = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "health-claim-auditor" and hook["language"] == "python"
    import re

    assert re.search(hook["files"], "drafts/story.md") and not re.search(hook["files"], "a.py")
    bad, good = tmp_path / "bad.md", tmp_path / "good.md"
    bad.write_text("Kratom is not addictive.\n")
    good.write_text("Kratom is a tropical tree.\n")
    command = [sys.executable, "-m", "auditor.cli", *hook["entry"].split()[1:]]
    assert subprocess.run([*command, str(good)], capture_output=True).returncode == 0
    failing = subprocess.run([*command, str(good), str(bad)], capture_output=True, text=True)
    assert failing.returncode == 1 and "contradicted" in failing.stdout
