"""The batch ledger: which units are done, with their results (SQLite, in ``DIR/_work``).

A unit is done exactly when its row is committed. The insert ignores a unit already done,
so re-processing after a crash (at-least-once) still gives one row per unit (exactly-once).
WAL with ``synchronous=NORMAL`` keeps commits across process crashes such as ``kill -9``
("durable across application crashes regardless of the synchronous setting", SQLite
``PRAGMA synchronous``); power loss is best effort.

Failed attempts (timeouts, crashed workers) are counted here too, so the retry cap holds
across a crash of the supervisor itself.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from auditor.errors import InputError

LEDGER_NAME = "ledger.sqlite"
LOCK_NAME = "lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    seq INTEGER PRIMARY KEY,     -- position in input order
    unit_id TEXT NOT NULL,
    status TEXT NOT NULL,        -- ok | error
    result TEXT NOT NULL         -- JSON: {"document": {...}, "findings": [...]}
);
CREATE TABLE IF NOT EXISTS attempts (
    seq INTEGER PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_error TEXT NOT NULL
);
"""


class Ledger:
    """One batch's ledger. Single writer: the supervisor process, which holds an exclusive
    lock on ``_work/lock`` while it runs (the kernel drops it when the process dies, even by
    ``kill -9``), so two runs never share an output folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = _exclusive_lock(path.with_name(LOCK_NAME))
        self._db = sqlite3.connect(path, isolation_level=None)  # explicit transactions
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @staticmethod
    def exists(work_dir: Path) -> bool:
        return (work_dir / LEDGER_NAME).is_file()

    @classmethod
    def open(cls, work_dir: Path) -> Ledger:
        work_dir.mkdir(parents=True, exist_ok=True)
        return cls(work_dir / LEDGER_NAME)

    def close(self) -> None:
        self._db.close()
        self._lock.close()

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def done(self) -> set[int]:
        return {seq for (seq,) in self._db.execute("SELECT seq FROM results")}

    def commit(self, seq: int, unit_id: str, result: dict[str, Any]) -> None:
        """Record a unit as done (a no-op when it already is). Autocommit: durable on
        return."""
        self._db.execute(
            "INSERT OR IGNORE INTO results (seq, unit_id, status, result) VALUES (?, ?, ?, ?)",
            (seq, unit_id, result["document"]["status"],
             json.dumps(result, ensure_ascii=False, sort_keys=True)))

    def commit_many(self, rows: list[tuple[int, str, dict[str, Any]]]) -> None:
        """:meth:`commit` for several units in one transaction (one WAL append)."""
        self._db.execute("BEGIN")
        try:
            for seq, unit_id, result in rows:
                self.commit(seq, unit_id, result)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def failures(self, seq: int) -> int:
        row = self._db.execute("SELECT failures FROM attempts WHERE seq = ?", (seq,)).fetchone()
        return 0 if row is None else int(row[0])

    def record_failure(self, seq: int, reason: str) -> int:
        """Count one failed attempt at a unit; the number of failures so far."""
        self._db.execute(
            "INSERT INTO attempts (seq, failures, last_error) VALUES (?, 1, ?) "
            "ON CONFLICT(seq) DO UPDATE SET failures = failures + 1, last_error = excluded."
            "last_error", (seq, reason))
        return self.failures(seq)

    def counts(self) -> dict[str, int]:
        counts = {"ok": 0, "error": 0}
        for status, number in self._db.execute(
                "SELECT status, COUNT(*) FROM results GROUP BY status"):
            counts[str(status)] = int(number)
        return counts

    def results(self) -> Iterator[dict[str, Any]]:
        """Every result, in input order."""
        cursor = self._db.execute("SELECT result FROM results ORDER BY seq")
        for (text,) in cursor:
            yield json.loads(text)


def _exclusive_lock(path: Path) -> IO[str]:
    """Hold ``path`` locked for this process; :class:`InputError` when another holds it."""
    import fcntl

    stream = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        stream.seek(0)
        holder = stream.read().strip() or "?"
        stream.close()
        raise InputError(f"{path.parent.parent}: in use by another auditor batch (pid "
                         f"{holder}); wait for it to finish or choose another --out") from None
    stream.seek(0)
    stream.truncate()
    stream.write(str(os.getpid()))
    stream.flush()
    return stream
