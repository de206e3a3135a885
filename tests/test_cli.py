"""The command line: formats, exit codes and one-line errors (never a traceback)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.paths import corpora_dir

SEED = str(corpora_dir("examples", "kratom_seed.txt"))
pytestmark = pytest.mark.model


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_seed_text_report_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", SEED)
    assert code == 1  # contradicted findings are errors
    assert err == ""
    assert "contradicted  “alleviates pain and anxiety without addiction”" in out
    assert "misused_term  “diffuser thieves”" in out
    assert "http://www.drugandalcoholdependence.com/article/S0376-8716(14)00793-5/fulltext" in out
    assert "summary: 4 contradicted" in out
    assert "\033[" not in out  # no colour when not on a terminal


def test_fail_on_never_and_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("Kratom may help with opioid withdrawal.\n")  # unsupported, hedged: info
    assert run(capsys, "check", SEED, "--fail-on", "never")[0] == 0
    assert run(capsys, "check", str(draft))[0] == 0
    assert run(capsys, "check", str(draft), "--fail-on", "warning")[0] == 0
    draft.write_text("Kratom cures opioid addiction.\n")  # unsupported: warning
    assert run(capsys, "check", str(draft))[0] == 0
    assert run(capsys, "check", str(draft), "--fail-on", "warning")[0] == 1


def test_json_report_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", SEED, "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert set(report) >= {"source", "title", "text", "findings", "summary", "auditor"}
    for finding in report["findings"]:
        assert report["text"][finding["start"]:finding["end"]] == finding["quote"]
        assert set(finding) >= {"id", "category", "severity", "claim", "explanation",
                                "suggestion", "confidence", "evidence", "rule"}
    contradicted = [f for f in report["findings"] if f["category"] == "contradicted"]
    citation = contradicted[0]["evidence"][0]["citations"][0]
    assert set(citation) >= {"publisher", "title", "url", "date"}


def test_jsonl_one_line_per_source_with_errors_in_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Kratom isn't habit-forming.")
    missing = tmp_path / "missing.txt"
    code, out, err = run(capsys, "check", str(good), str(missing), SEED, "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["source"] for line in lines] == [str(good), str(missing), SEED]
    assert "error" in lines[1] and "findings" in lines[2]
    assert code == 2  # an input error wins over findings
    assert err.strip() == f"auditor: error: {missing}: no such file; check the path"


@pytest.mark.parametrize(("content", "message"), [
    (b"\x00\x01\x02", "looks binary"),
    (b"\xff\xfe caf\xe9", "not valid UTF-8"),
])
def test_bad_file_exit_2_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, "check", str(path))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and str(path) in err and message in err


def test_empty_file_gives_a_report_with_a_note(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("")
    code, out, _ = run(capsys, "check", str(path), "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["findings"] == []
    assert report["notes"] == ["empty document: there is no text to audit"]


def test_malformed_fact_base_exit_2_naming_file_entry_field(
        data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = data_dir / "factbase" / "kratom.yaml"
    path.write_text(path.read_text().replace("verdict: insufficient", "verdict: unclear", 1))
    code, _, err = run(capsys, "check", SEED)
    assert code == 2
    assert "kratom.yaml" in err and "kratom.treatment_unproven" in err and "verdict" in err
    assert "'insufficient'" in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_console_script_reads_stdin() -> None:
    done = subprocess.run([sys.executable, "-m", "auditor.cli", "check", "-", "--format", "json"],
                          input="Kratom isn't habit-forming.", capture_output=True, text=True,
                          check=False)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["source"] == "<stdin>"
    assert [f["category"] for f in report["findings"]] == ["contradicted"]


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check", SEED, "--format", "yaml"])
    assert caught.value.code == 2
    assert "invalid choice: 'yaml'" in capsys.readouterr().err


def test_html_source_is_audited_on_its_main_text(capsys: pytest.CaptureFixture[str]) -> None:
    page = str(Path(__file__).parent / "fixtures" / "article.html")
    code, out, _ = run(capsys, "check", page, "--format", "json")
    report = json.loads(out)
    assert code == 0  # the page reports the sellers' claims ("sellers say"): warnings, not errors
    assert report["title"] == "Kratom for withdrawal: what you should know"
    assert "Subscribe to our newsletter" not in report["text"]
    found = {(f["category"], f["quote"]) for f in report["findings"]}
    assert ("contradicted", "isn't habit-forming") in found
    assert ("misused_term", "diffuser thieves") in found
    contradicted = [f for f in report["findings"] if f["category"] == "contradicted"]
    assert all(f["claim"]["attributed"] and f["severity"] == "warning" for f in contradicted)
    assert all(report["text"][f["start"]:f["end"]] == f["quote"] for f in report["findings"])
