"""The per-document work both engines run: a unit in, a JSON-able result out.

A result is ``{"document": {...row of documents.parquet...}, "findings": [{...}, ...]}``.
It is a pure function of the unit and the auditor (same input, same result), which is what
makes a resumed batch equal an uninterrupted one.

Test hooks: with ``AUDITOR_BATCH_TEST_HOOKS=1`` in the worker's environment, a document whose
text contains ``@@batch-hang@@`` sleeps for an hour, ``@@batch-crash@@`` kills its process
(``os._exit(70)``), ``@@batch-oom@@`` allocates 64 GiB and ``@@batch-slow@@`` sleeps 0.1 s
(so a test can kill a batch mid-way). Without the variable they are plain text. The tests use
them to poison a batch; nothing else should. (``AUDITOR_BATCH_TEST_CRASH_AT``, honoured under
the same variable, kills the supervisor at a named point: see :mod:`auditor.batch.runner`.)
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from auditor.batch.readers import Unit
from auditor.errors import AuditorError
from auditor.records import CATEGORIES, Document, Metadata, Report

if TYPE_CHECKING:
    from auditor.api import Auditor

TEST_HOOKS_ENV = "AUDITOR_BATCH_TEST_HOOKS"
HANG, CRASH, OOM, SLOW = "@@batch-hang@@", "@@batch-crash@@", "@@batch-oom@@", "@@batch-slow@@"

Result = dict[str, Any]


def document_row(unit: Unit, *, status: str, error: str | None = None,
                 title: str | None = None, words: int = 0,
                 counts: dict[str, int] | None = None) -> dict[str, Any]:
    """One row of documents.parquet (every key, always, so the table schema is fixed)."""
    row: dict[str, Any] = {"id": unit.id, "source": unit.source, "url": unit.url,
                           "status": status, "error": error, "title": title, "words": words}
    for category in CATEGORIES:
        row[category] = (counts or {}).get(category, 0)
    return row


def error_result(unit: Unit, message: str) -> Result:
    return {"document": document_row(unit, status="error", error=message, title=unit.title),
            "findings": []}


def audit_unit(auditor: Auditor, unit: Unit) -> Result:
    """Audit one unit. Input and data errors become an error row; a bug in the auditor too
    (with its type), so one odd document cannot stop a million-document batch."""
    prepared = _prepare(unit)
    if not isinstance(prepared, Document):
        return prepared
    try:
        report = auditor.audit(prepared)
    except AuditorError as exc:
        return error_result(unit, exc.message)
    except MemoryError:
        raise  # the engine owns memory failures: it retries in a fresh process
    except Exception as exc:
        return error_result(unit, f"{unit.source}: internal error: {type(exc).__name__}: {exc}")
    return report_result(unit, report)


def audit_units(auditor: Auditor, units: list[Unit]) -> list[Result]:
    """:func:`audit_unit` for several units, the parser batched across them
    (``Auditor.audit_many``). If the batch trips a bug, each unit is audited alone, so only
    the document behind it gets the error row."""
    if len(units) == 1:
        return [audit_unit(auditor, units[0])]
    results: list[Result | None] = []
    documents: list[Document] = []
    for unit in units:
        prepared = _prepare(unit)
        results.append(prepared if isinstance(prepared, dict) else None)
        if isinstance(prepared, Document):
            documents.append(prepared)
    try:
        reports = iter(list(auditor.audit_many(documents)))
    except MemoryError:
        raise
    except Exception:
        return [audit_unit(auditor, unit) for unit in units]
    return [result if result is not None else report_result(unit, next(reports))
            for unit, result in zip(units, results, strict=True)]


def _prepare(unit: Unit) -> Document | Result:
    """The unit's Document (HTML extracted), or its error result."""
    if unit.error is not None:
        return error_result(unit, unit.error)
    try:
        _test_hooks(unit.text)
        return _document(unit)
    except AuditorError as exc:
        return error_result(unit, exc.message)
    except MemoryError:
        raise
    except Exception as exc:
        return error_result(unit, f"{unit.source}: internal error: {type(exc).__name__}: {exc}")


def _document(unit: Unit) -> Document:
    if unit.html:
        from auditor.ingest.html import html_to_document

        extracted = html_to_document(unit.text, unit.source)
        url = extracted.metadata.url or unit.url
        return Document(text=extracted.text, source=unit.source,
                        title=extracted.title or unit.title, notes=extracted.notes,
                        metadata=Metadata(url=url, author=extracted.metadata.author,
                                          date=extracted.metadata.date,
                                          site_name=extracted.metadata.site_name))
    return Document(text=unit.text, source=unit.source, title=unit.title,
                    metadata=Metadata(url=unit.url))


def report_result(unit: Unit, report: Report) -> Result:
    row = document_row(unit, status="ok", title=report.title, words=len(report.text.split()),
                       counts=report.summary)
    row["url"] = unit.url or report.metadata.url
    findings = [{
        "finding_id": f.id, "document_id": unit.id, "category": f.category,
        "severity": f.severity, "start": f.start, "end": f.end, "quote": f.quote,
        "rule": f.rule, "confidence": round(f.confidence, 3),
        "fact_ids": [e.fact_id for e in f.evidence],
    } for f in report.findings]
    return {"document": row, "findings": findings}


def hooks_enabled() -> bool:
    return os.environ.get(TEST_HOOKS_ENV) == "1"


def _test_hooks(text: str) -> None:
    if not hooks_enabled():
        return
    if SLOW in text:
        time.sleep(0.1)
    if HANG in text:
        time.sleep(3600)
    if CRASH in text:
        os._exit(70)
    if OOM in text:
        hog = bytearray(64 * 2**30)
        del hog


_cached: Auditor | None = None


def cached_auditor() -> Auditor:
    """One Auditor per process, built on first use (Dask workers: the spaCy load is seconds)."""
    global _cached
    if _cached is None:
        from auditor.api import Auditor

        _cached = Auditor()
    return _cached


def audit_units_cached(units: list[Unit]) -> list[Result]:
    """:func:`audit_units` with this process's Auditor: the task a Dask worker runs."""
    return audit_units(cached_auditor(), units)
