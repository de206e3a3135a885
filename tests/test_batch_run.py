"""``auditor batch`` end to end, with the real auditor in real worker processes.

One uninterrupted reference run is shared by the module. The kill-and-resume test kills the
batch (SIGKILL) at several points and resumes it until it finishes; the result must equal
the reference: same rows, same order, byte-identical Parquet. Poison documents use the test
hooks of :mod:`auditor.batch.work` (``AUDITOR_BATCH_TEST_HOOKS=1``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import psutil
import pytest
import yaml

from auditor import batch_cli, paths
from auditor.batch import BatchOptions, BatchOutcome, run_batch
from auditor.batch.ledger import Ledger
from auditor.batch.readers import MAX_RECORD_BYTES, ReadOptions, check_inputs, read_units
from auditor.batch.runner import Progress, batch_fingerprint, claim_output
from auditor.errors import InputError
from auditor.paths import corpora_dir
from tests.test_batch_readers import CORPUS, warc_records

pytestmark = pytest.mark.model



def hooks() -> dict[str, str]:
    """The environment of a batch under test: test hooks on, and the data snapshot."""
    return {**os.environ, "AUDITOR_BATCH_TEST_HOOKS": "1"}


@pytest.fixture(scope="module", autouse=True)
def frozen_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A snapshot of corpora/ and models/ (AUDITOR_DATA_DIR) for the whole module: the
    batch fingerprint hashes them, and a run resumed after someone edited the fact base is
    (rightly) refused, so the tests must not see edits made while they run."""
    root = tmp_path_factory.mktemp("data")
    shutil.copytree(paths.corpora_dir(), root / "corpora")
    shutil.copytree(paths.models_dir(), root / "models")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(paths.ENV_VAR, str(root))
        paths.data_root.cache_clear()
        yield root
    paths.data_root.cache_clear()
OUTPUTS = ("documents.parquet", "findings.parquet", "summary.md", "summary.html",
           "documents.csv", "findings.csv")


def dev_sentences() -> list[str]:
    """Sentences of the odd-numbered (dev) evaluation articles; the even ones are held out."""
    sentences = []
    for path in sorted(corpora_dir("eval", "articles").glob("a*.yaml")):
        if int(path.name[1:3]) % 2 == 1:
            text = yaml.safe_load(path.read_text(encoding="utf-8"))["text"]
            sentences += [s.strip() + "." for s in text.replace("\n", " ").split(". ") if s]
    return sentences


def write_corpus(folder: Path) -> list[str]:
    """30 short JSONL documents (slowed by the test hook so a kill lands mid-run), one bad
    line, the fixture directory and a WARC of two pages: every reader in one batch."""
    folder.mkdir(parents=True, exist_ok=True)
    sentences = dev_sentences()
    lines = [json.dumps({"id": f"doc{n:02d}", "url": f"https://site{n % 3}.example/{n}",
                         "text": " ".join(sentences[3 * n: 3 * n + 3]) + " @@batch-slow@@"})
             for n in range(30)]
    lines.insert(7, "{broken json")
    (folder / "posts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "crawl.warc.gz").write_bytes(b"".join(warc_records(3, gz=True)))
    return [str(folder / "posts.jsonl"), str(CORPUS), str(folder / "crawl.warc.gz")]


def command(inputs: list[str], out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "auditor.batch_cli", *inputs, "--out", str(out),
            "--no-progress", *extra]


def run(inputs: list[str], out: Path, *extra: str,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(inputs, out, *extra), env=env or hooks(), capture_output=True,
                          text=True, timeout=300, check=False)


def expected_ids(inputs: list[str]) -> list[str]:
    return [u.id for u in read_units(check_inputs(inputs, ReadOptions()), ReadOptions())]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ledger_rows(out: Path) -> int:
    path = out / "_work" / "ledger.sqlite"
    if not path.exists():
        return -1
    try:
        with sqlite3.connect(path, timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM results").fetchone()[0])
    except sqlite3.OperationalError:  # the table is not created yet
        return -1


def kill_when(inputs: list[str], out: Path, rows: int, *extra: str) -> None:
    """Start the batch; SIGKILL it once the ledger holds ``rows`` results (-1: as soon as
    the ledger file exists, i.e. while the workers are still loading)."""
    process = subprocess.Popen(command(inputs, out, *extra), env=hooks(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            done = ledger_rows(out)
            if (rows < 0 and (out / "_work" / "ledger.sqlite").exists()) or done >= rows >= 0:
                break
            time.sleep(0.01)
        assert process.poll() is None, "the batch finished before the kill point"
        children = psutil.Process(process.pid).children(recursive=True)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(30)
    # Workers (and the fork server) die with the supervisor: no orphan audits on.
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def reference(corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "reference"
    done = run(corpus, out, "--jobs", "2", "--csv")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"37 documents: 36 ok, 1 errors → {out}\n"
    return out


def test_reference_run_has_one_row_per_input_in_input_order(corpus: list[str],
                                                             reference: Path) -> None:
    documents = pd.read_parquet(reference / "documents.parquet")
    assert list(documents["id"]) == expected_ids(corpus)
    assert len(documents) == 37
    broken = documents[documents["status"] == "error"]
    assert list(broken["error"]) == [
        f"{corpus[0]} line 8: not valid JSON: Expecting property name enclosed in double "
        "quotes (column 2)"]
    assert documents.loc[documents["id"] == "health/page.html", "title"].item() == \
        "Ivermectin page"
    findings = pd.read_parquet(reference / "findings.parquet")
    assert set(findings["document_id"]) <= set(documents["id"])
    assert documents["contradicted"].sum() == (findings["category"] == "contradicted").sum()
    assert len(pd.read_csv(reference / "documents.csv")) == 37


def test_reference_run_publishes_success_last_with_hashes(reference: Path) -> None:
    success = json.loads((reference / "_SUCCESS.json").read_text())
    assert (success["documents"], success["ok"], success["error"]) == (37, 36, 1)
    assert {name: success["outputs"][name]["sha256"] for name in OUTPUTS} == {
        name: sha256(reference / name) for name in OUTPUTS}
    assert not list(reference.glob("*.tmp"))
    html = (reference / "summary.html").read_text()
    assert html.count("<svg") == 4  # category, topic, contradicted claims, sites
    assert "<script" not in html


def test_kill_nine_at_several_points_then_resume_equals_reference(
        corpus: list[str], reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "killed"
    kill_when(corpus, out, -1, "--jobs", "2")  # while the workers load
    kill_when(corpus, out, 12, "--jobs", "2", "--resume")  # mid-run, results streaming in
    crashed = subprocess.run(command(corpus, out, "--resume", "--jobs", "2", "--csv"),
                             env={**hooks(), "AUDITOR_BATCH_TEST_CRASH_AT": "export"},
                             capture_output=True, text=True, timeout=300, check=False)
    assert crashed.returncode == -signal.SIGKILL
    assert (out / "documents.parquet").exists()
    assert not (out / "_SUCCESS.json").exists()  # the tables alone are not a finished batch
    done = run(corpus, out, "--resume", "--jobs", "2", "--csv")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"37 documents: 36 ok, 1 errors → {out}\n"
    for table in ("documents.parquet", "findings.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(out / table),
                                      pd.read_parquet(reference / table))
    assert [sha256(out / name) for name in OUTPUTS] == [
        sha256(reference / name) for name in OUTPUTS]
    assert not list(out.glob("*.tmp"))


def test_poison_documents_become_error_rows_and_the_batch_finishes(tmp_path: Path) -> None:
    posts = tmp_path / "poison.jsonl"
    records = [{"id": "good1", "text": "Kratom is not addictive."},
               {"id": "hang", "text": "This one hangs. @@batch-hang@@"},
               {"id": "crash", "text": "This one crashes. @@batch-crash@@"},
               {"id": "oom", "text": "This one eats memory. @@batch-oom@@"},
               {"id": "good2", "text": "Vaccines cause autism."}]
    body = b"\n".join(json.dumps(r).encode() for r in records)
    body += b'\n{"id": "latin1", "text": "caf\xe9"}'
    big = b'{"id": "big", "text": "' + b"x" * MAX_RECORD_BYTES + b'"}'
    body += b"\n" + big
    body += b'\n{"id": "cut", "text": "no end'
    posts.write_bytes(body)
    warc = tmp_path / "bad.warc"
    page = warc_records(1, gz=False)[0]
    warc.write_bytes(page.replace(b"Kratom", b"Kratum"))  # digest no longer matches
    out = tmp_path / "out"
    done = run([str(posts), str(warc)], out, "--jobs", "2", "--timeout", "2")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"9 documents: 2 ok, 7 errors → {out}\n"
    documents = pd.read_parquet(out / "documents.parquet")
    where = f"{posts} line"
    assert list(zip(documents["id"], documents["error"].fillna(""), strict=True)) == [
        ("good1", ""),
        ("hang", f"{where} 2: timed out after 2 s (4 attempts); skipped"),
        ("crash", f"{where} 3: worker process died (exit code 70) (4 attempts); skipped"),
        ("oom", f"{where} 4: exceeded the worker memory limit (4 attempts); skipped"),
        ("good2", ""),
        (f"{posts}:6", f"{where} 6: not valid UTF-8 (byte 29); convert the file"),
        (f"{posts}:7", f"{where} 7: record of {len(big) + 1} bytes is larger than "
                       "10 MiB; split it into articles"),
        (f"{posts}:8", f"{where} 8: truncated last line (no newline at the end and not valid "
                       "JSON)"),
        (f"{warc}:0", f"{warc} offset 0: WARC-Block-Digest does not match (truncated or "
                      "corrupt record)"),
    ]


def test_resume_of_a_complete_batch_rebuilds_its_outputs_without_workers(
        corpus: list[str], reference: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(reference, copy)
    (copy / "summary.html").unlink()
    (copy / "findings.parquet.tmp").write_text("left by a killed run")
    calls: list[object] = []
    progress = Progress(start=lambda total, done: calls.append((total, done)),
                        advance=lambda: calls.append("advance"))
    outcome = run_batch(BatchOptions(inputs=tuple(corpus), out=copy, resume=True, csv=True),
                        progress)
    assert calls == [(37, 37)]  # all done already: nothing audited, no worker started
    findings = len(pd.read_parquet(reference / "findings.parquet"))
    assert outcome == BatchOutcome(out=copy, documents=37, ok=36, errors=1, findings=findings)
    assert [sha256(copy / name) for name in OUTPUTS] == [
        sha256(reference / name) for name in OUTPUTS]
    assert not list(copy.glob("*.tmp"))


# --- refusals: exit 2, one line, before any work (in-process: no workers are started) ------

def test_missing_input_is_exit_2_before_any_work(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.jsonl"
    out = tmp_path / "out"
    assert batch_cli.main([str(missing), "--out", str(out), "--no-progress"]) == 2
    assert capsys.readouterr().err == (
        f"auditor: error: {missing}: no such file or directory; check the path\n")
    assert not out.exists()


def test_output_holding_another_batch_is_refused(corpus: list[str], reference: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    before = sha256(reference / "documents.parquet")
    assert batch_cli.main([corpus[0], "--out", str(reference), "--resume"]) == 2
    assert capsys.readouterr().err == (
        f"auditor: error: {reference}: holds a different batch (other inputs, or an input "
        "changed since); choose another --out\n")
    assert batch_cli.main([*corpus, "--out", str(reference), "--text-column", "body"]) == 2
    assert capsys.readouterr().err == (
        f"auditor: error: {reference}: holds a different batch (other --text-column, "
        "--id-column or --url-column); choose another --out\n")
    assert sha256(reference / "documents.parquet") == before
    assert (reference / "_SUCCESS.json").exists()


def test_output_of_another_fact_base_is_refused(corpus: list[str], reference: Path) -> None:
    fingerprint = batch_fingerprint(check_inputs(corpus, ReadOptions()), ReadOptions())
    with pytest.raises(InputError) as caught:
        claim_output(reference, {**fingerprint, "auditor": "edited"}, resume=True)
    assert caught.value.message == (
        f"{reference}: holds a different batch (another auditor version, or the fact base or "
        "models changed since); choose another --out")


def test_same_batch_again_needs_resume(corpus: list[str], reference: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert batch_cli.main([*corpus, "--out", str(reference)]) == 2
    assert capsys.readouterr().err == (
        f"auditor: error: {reference}: already holds this batch, complete; add --resume to "
        "rebuild its outputs, or choose another --out\n")


def test_non_empty_folder_without_a_batch_is_refused(corpus: list[str], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert batch_cli.main([*corpus, "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"auditor: error: {tmp_path}: is not empty and holds no batch; choose a new or empty "
        "--out\n")


# --- Dask ------------------------------------------------------------------------------------

def test_dask_cluster_killed_and_resumed_gives_the_reference_tables(
        corpus: list[str], reference: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import dask
    from distributed import LocalCluster

    monkeypatch.setenv("AUDITOR_BATCH_TEST_HOOKS", "1")  # the workers inherit it: slow docs
    out = tmp_path / "dask"
    crashing = tmp_path / "crash.jsonl"
    crashing.write_text('{"id": "c1", "text": "Kratom is safe."}\n'
                        '{"id": "c2", "text": "Crash. @@batch-crash@@"}\n')
    # One worker death marks the task bad (default: 3), so the test waits for one restart.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                         dashboard_address=":0") as cluster:
        address = cluster.scheduler_address
        kill_when(corpus, out, 12, "--scheduler", address)
        done = run(corpus, out, "--scheduler", address, "--resume", "--csv")
        crashed = run([str(crashing)], tmp_path / "crashed", "--scheduler", address)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"37 documents: 36 ok, 1 errors → {out}\n"
    assert [sha256(out / name) for name in OUTPUTS] == [
        sha256(reference / name) for name in OUTPUTS]
    assert (crashed.returncode, crashed.stderr) == (0, "")
    documents = pd.read_parquet(tmp_path / "crashed" / "documents.parquet")
    assert list(zip(documents["id"], documents["error"].fillna(""), strict=True)) == [
        ("c1", ""),
        ("c2", f"{crashing} line 2: its Dask worker died while auditing it (KilledWorker) "
               "(4 attempts); skipped")]


def test_output_in_use_by_a_running_batch_is_refused(corpus: list[str], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "busy"
    running = Ledger.open(out / "_work")  # what a live run holds
    try:
        assert batch_cli.main([*corpus, "--out", str(out), "--resume"]) == 2
    finally:
        running.close()
    assert capsys.readouterr().err == (
        f"auditor: error: {out}: in use by another auditor batch (pid {os.getpid()}); wait "
        "for it to finish or choose another --out\n")


def test_a_batch_of_nothing_still_writes_complete_outputs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    assert batch_cli.main([str(empty), "--out", str(out), "--no-progress"]) == 0
    assert capsys.readouterr().out == f"0 documents: 0 ok, 0 errors → {out}\n"
    documents = pd.read_parquet(out / "documents.parquet")
    assert (len(documents), list(documents.columns)[:7]) == (
        0, ["id", "source", "url", "status", "error", "title", "words"])
    assert json.loads((out / "_SUCCESS.json").read_text())["documents"] == 0
