"""One batch, start to finish: check inputs, claim the output folder, audit what is not done
yet, export.

The output folder holds ``_work/ledger.sqlite`` with a fingerprint of the batch (every input
file's path, size and mtime, the reading options, the auditor and spaCy versions and a hash
of the fact base, lexicons and models). A folder holding
another batch, or this batch without ``--resume``, is refused before any work starts.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from auditor import __version__, paths
from auditor.batch import outputs
from auditor.batch.engine import run_local
from auditor.batch.ledger import Ledger
from auditor.batch.readers import ReadOptions, check_inputs, input_signature, read_units
from auditor.batch.summary import summarize
from auditor.batch.work import error_result, hooks_enabled
from auditor.batch.workqueue import EngineOptions, Task
from auditor.errors import InputError

WORK_DIR = "_work"
# Test hook (with AUDITOR_BATCH_TEST_HOOKS=1): SIGKILL this process at the named point.
# "export": after the tables are published, before the summaries and _SUCCESS.json.
CRASH_AT_ENV = "AUDITOR_BATCH_TEST_CRASH_AT"
DEFAULT_MAX_MEMORY = 2 * 2**30
_NOT_READ_BY_AUDITS = {"eval", "training"}  # corpora/ folders only evaluation and training read
# What the summary reads back: not the quotes' neighbours, explanations or offsets.
_SUMMARY_DOCUMENT_COLUMNS = ["id", "url", "status", "error", "words"]
_SUMMARY_FINDING_COLUMNS = ["document_id", "category", "rule", "quote", "fact_ids"]


@dataclass(frozen=True)
class BatchOptions:
    inputs: tuple[str, ...]
    out: Path
    jobs: int | None = None  # None: every core
    resume: bool = False
    csv: bool = False
    read: ReadOptions = field(default_factory=ReadOptions)
    timeout: float = 60.0
    max_memory: int | None = DEFAULT_MAX_MEMORY
    scheduler: str | None = None  # tcp://HOST:PORT of a Dask scheduler; None: local workers


@dataclass(frozen=True)
class BatchOutcome:
    out: Path
    documents: int
    ok: int
    errors: int
    findings: int


@dataclass(frozen=True)
class Progress:
    """Callbacks for a progress display: ``start(total, already_done)`` once, then
    ``advance()`` per finished document. ``total`` costs one extra pass over the inputs."""

    start: Callable[[int, int], None]
    advance: Callable[[], None]


def run_batch(options: BatchOptions, progress: Progress | None = None) -> BatchOutcome:
    paths = check_inputs(options.inputs, options.read)
    fingerprint = batch_fingerprint(paths, options.read)
    ledger = claim_output(options.out, fingerprint, resume=options.resume)
    try:
        outputs.clear_unfinished(options.out)
        done = ledger.done()
        if progress is not None:
            total = sum(1 for _ in read_units(paths, options.read))
            progress.start(total, len(done))
        advance = progress.advance if progress is not None else _nothing
        tasks = _pending(paths, options.read, done, ledger, advance)
        _audit(tasks, ledger, options, advance)
        return _export(ledger, options, fingerprint)
    finally:
        ledger.close()


def _crash_point(name: str) -> None:
    if hooks_enabled() and os.environ.get(CRASH_AT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _nothing() -> None:
    return None


def batch_fingerprint(paths: list[Path], read: ReadOptions) -> dict[str, str]:
    """A hash per thing a batch's results depend on; equal fingerprints, equal results."""
    parts = {"inputs": input_signature(paths), "options": asdict(read),
             "auditor": auditor_identity()}
    return {name: _hash(value) for name, value in parts.items()}


def _hash(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


_DIFFERENCES = {
    "inputs": "other inputs, or an input changed since",
    "options": "other --text-column, --id-column or --url-column",
    "auditor": "another auditor version, or the fact base or models changed since",
}


def auditor_identity() -> dict[str, str]:
    """What the results depend on besides the inputs: the code version, spaCy's, and the
    fact base, lexicons and models (~3 MB, hashed in milliseconds). A batch never mixes
    results of two fact bases."""
    import spacy

    digest = hashlib.sha256()
    for root in (paths.corpora_dir(), paths.models_dir()):
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = file.relative_to(root)
            if relative.parts[0] in _NOT_READ_BY_AUDITS:
                continue
            digest.update(relative.as_posix().encode() + b"\0" + file.read_bytes())
    return {"version": __version__, "spacy": spacy.__version__, "data": digest.hexdigest()}


def claim_output(out: Path, fingerprint: dict[str, str], *, resume: bool) -> Ledger:
    """The ledger of ``out`` for this batch; :class:`InputError` when ``out`` holds anything
    else, or this batch and no ``--resume``."""
    work = out / WORK_DIR
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a directory; choose another --out")
    if Ledger.exists(work):
        ledger = Ledger.open(work)
        stored = ledger.get_meta("fingerprint")
        recorded = json.loads(stored) if stored else None
        if recorded is not None and recorded != fingerprint:
            ledger.close()
            differences = "; ".join(text for part, text in _DIFFERENCES.items()
                                    if recorded.get(part) != fingerprint[part])
            raise InputError(f"{out}: holds a different batch ({differences}); choose "
                             "another --out")
        if not resume and recorded is not None:
            ledger.close()
            state = ("already holds this batch, complete; add --resume to rebuild its outputs"
                     if (out / outputs.SUCCESS).exists()
                     else "holds an unfinished run of this batch; add --resume to continue it")
            raise InputError(f"{out}: {state}, or choose another --out")
    elif out.is_dir() and any(out.iterdir()):
        raise InputError(f"{out}: is not empty and holds no batch; choose a new or empty --out")
    else:
        ledger = Ledger.open(work)
    ledger.set_meta("fingerprint", json.dumps(fingerprint, sort_keys=True))
    return ledger


def _pending(paths: list[Path], read: ReadOptions, done: set[int], ledger: Ledger,
             advance: Callable[[], None]) -> Iterator[Task]:
    """Units still to audit, in input order; unreadable records are recorded on the way."""
    for seq, unit in enumerate(read_units(paths, read)):
        if seq in done:
            continue
        if unit.error is not None:
            ledger.commit(seq, unit.id, error_result(unit, unit.error))
            advance()
            continue
        yield seq, unit


def _audit(tasks: Iterator[Task], ledger: Ledger, options: BatchOptions,
           advance: Callable[[], None]) -> None:
    first = next(tasks, None)
    if first is None:  # nothing left: do not start workers (seconds each) for nothing
        return
    remaining = itertools.chain([first], tasks)
    engine = EngineOptions(jobs=options.jobs or usable_cores(), timeout=options.timeout,
                           max_memory=options.max_memory)
    if options.scheduler:
        from auditor.batch.dask_engine import run_dask

        run_dask(remaining, ledger, options.scheduler, engine, advance)
    else:
        run_local(remaining, ledger, engine, advance)


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, e.g. under taskset or a container's
    cpuset), else all of them."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _export(ledger: Ledger, options: BatchOptions, fingerprint: dict[str, str]
            ) -> BatchOutcome:
    out = options.out
    counts = outputs.write_tables(ledger.results(), out, csv_copies=options.csv)
    _crash_point("export")
    summary = summarize(
        pd.read_parquet(out / outputs.DOCUMENTS, columns=_SUMMARY_DOCUMENT_COLUMNS),
        pd.read_parquet(out / outputs.FINDINGS, columns=_SUMMARY_FINDING_COLUMNS))
    outputs.write_text(out / "summary.md", summary.markdown)
    outputs.write_text(out / "summary.html", summary.html)
    names = [outputs.DOCUMENTS, outputs.FINDINGS, "summary.md", "summary.html"]
    if options.csv:
        names += ["documents.csv", "findings.csv"]
    outputs.write_success(out, counts, names,
                          {"fingerprint": fingerprint, "auditor": auditor_identity()})
    return BatchOutcome(out=out, documents=counts["documents"], ok=counts["ok"],
                        errors=counts["error"], findings=counts["findings"])
