"""Batch audits of whole corpora: ``auditor batch INPUT... --out DIR``.

    readers      input files → units (one per document, or an error unit per bad record)
    work         the per-document function both engines run (units → result rows)
    workqueue    chunks out, results and failures in; retries; shared by both engines
    engine       local worker processes, supervised: timeouts, crashes, memory limit
    preload      the Auditor the local workers fork with (built once, in the fork server)
    dask_engine  the same work on a Dask distributed cluster
    ledger       SQLite ledger of finished units: resume after ``kill -9``, exactly-once output
    outputs      documents/findings tables, Parquet/CSV, atomic publication, ``_SUCCESS.json``
    summary      summary.md / summary.html with inline SVG plots, a pure function of the tables
    runner       ties them together: checks, fingerprint, engine, export

Processing is at-least-once, output exactly-once (the Beam/Spark file-sink contract): a unit
is done only when its result row is committed in the ledger, and the outputs are exported
from the ledger in input order, so a resumed run equals an uninterrupted one.
"""

from __future__ import annotations

from auditor.batch.runner import BatchOptions, BatchOutcome, run_batch

__all__ = ["BatchOptions", "BatchOutcome", "run_batch"]
