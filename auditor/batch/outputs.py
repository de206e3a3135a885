"""Batch outputs: documents and findings tables (Parquet, optional CSV), summaries, and
``_SUCCESS.json``, published so a reader never sees a partial file.

Each file is written aside (``NAME.tmp``), fsynced, renamed over its final name and the
directory fsynced (the recipe of Pillai et al., OSDI '14); ``_SUCCESS.json`` comes last, with
counts and the SHA-256 of every output. Readers treat a batch as complete only when it exists.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from auditor.records import CATEGORIES

DOCUMENTS = "documents.parquet"
FINDINGS = "findings.parquet"
SUCCESS = "_SUCCESS.json"
ROWS_PER_BATCH = 2000  # documents per written row group batch: bounded memory on big corpora

DOCUMENT_SCHEMA = pa.schema([
    ("id", pa.string()), ("source", pa.string()), ("url", pa.string()),
    ("status", pa.string()), ("error", pa.string()), ("title", pa.string()),
    ("words", pa.int64()), *[(c, pa.int64()) for c in CATEGORIES]])
FINDING_SCHEMA = pa.schema([
    ("finding_id", pa.string()), ("document_id", pa.string()), ("category", pa.string()),
    ("severity", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
    ("quote", pa.string()), ("rule", pa.string()), ("confidence", pa.float64()),
    ("fact_ids", pa.list_(pa.string()))])


def write_tables(results: Iterable[dict[str, Any]], out: Path, *, csv_copies: bool
                 ) -> dict[str, int]:
    """Write documents.parquet and findings.parquet (and CSV copies) from results in input
    order; returns the row counts."""
    documents_tmp, findings_tmp = _aside(out / DOCUMENTS), _aside(out / FINDINGS)
    counts = {"documents": 0, "findings": 0, "ok": 0, "error": 0}
    with pq.ParquetWriter(documents_tmp, DOCUMENT_SCHEMA) as documents, \
            pq.ParquetWriter(findings_tmp, FINDING_SCHEMA) as findings:
        for rows, found in _batches(results):
            documents.write_table(pa.Table.from_pylist(rows, schema=DOCUMENT_SCHEMA))
            findings.write_table(pa.Table.from_pylist(found, schema=FINDING_SCHEMA))
            counts["documents"] += len(rows)
            counts["findings"] += len(found)
            for row in rows:
                counts[row["status"]] += 1
    _publish(documents_tmp, out / DOCUMENTS)
    _publish(findings_tmp, out / FINDINGS)
    if csv_copies:
        for name in (DOCUMENTS, FINDINGS):
            table = out / name
            write_file(table.with_suffix(".csv"), partial(_csv_copy, table))
    return counts


def _batches(results: Iterable[dict[str, Any]]
             ) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    rows: list[dict[str, Any]] = []
    found: list[dict[str, Any]] = []
    for result in results:
        rows.append(result["document"])
        found.extend(result["findings"])
        if len(rows) >= ROWS_PER_BATCH:
            yield rows, found
            rows, found = [], []
    if rows or not found:
        yield rows, found


def _csv_copy(table: Path, target: Path) -> None:
    """A CSV copy of a Parquet table, streamed; list cells (fact ids) joined with ``;``."""
    parquet = pq.ParquetFile(table)
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(parquet.schema_arrow.names)
        for batch in parquet.iter_batches(batch_size=ROWS_PER_BATCH):
            for record in batch.to_pylist():
                writer.writerow(";".join(v) if isinstance(v, list) else ("" if v is None else v)
                                for v in record.values())


def write_file(path: Path, write: Callable[[Path], None]) -> None:
    """Write ``path`` atomically: ``write`` fills a temporary file beside it."""
    tmp = _aside(path)
    write(tmp)
    _publish(tmp, path)


def write_text(path: Path, text: str) -> None:
    def fill(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_file(path, fill)


def _aside(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def _publish(tmp: Path, path: Path) -> None:
    with tmp.open("rb+") as stream:
        os.fsync(stream.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_success(out: Path, counts: dict[str, int], outputs: Iterable[str],
                  extra: dict[str, Any]) -> None:
    """``_SUCCESS.json``, last: the batch is complete, these are its files and hashes."""
    record = {
        **counts,
        "outputs": {name: {"sha256": sha256(out / name), "bytes": (out / name).stat().st_size}
                    for name in outputs},
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        **extra,
    }
    write_text(out / SUCCESS, json.dumps(record, indent=2, sort_keys=True) + "\n")


def clear_unfinished(out: Path) -> None:
    """Before a run touches the outputs: drop ``_SUCCESS.json`` (the outputs are about to
    change) and temporary files a killed run left."""
    (out / SUCCESS).unlink(missing_ok=True)
    for stale in out.glob("*.tmp"):
        stale.unlink()
    fsync_dir(out)
