"""The work queue both engines share: chunks out, results and failures in.

A chunk is a few units in input order (``chunk`` of them, at most ``CHUNK_CHARS`` of text)
audited together with ``Auditor.audit_many``, which batches the parser across documents:
~20 % more documents per second than one at a time, for the same results. A chunk shares
one deadline, so long documents go (nearly) alone.

When a chunk fails (its worker timed out, died or ran out of memory), any of its units may
be the culprit: they all run again *alone*, with no attempt counted. A unit that fails
alone is retried alone at most ``max_retries`` times (Dask's ``allowed-failures``: 3 retries
before a task is marked bad), then it gets an error row naming the reason. Failures are
counted in the ledger, so the cap holds across a crash of the supervisor too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from auditor.batch.ledger import Ledger
from auditor.batch.readers import Unit
from auditor.batch.work import error_result

Task = tuple[int, Unit]  # (position in input order, unit)
MAX_RETRIES = 3
CHUNK_CHARS = 40_000  # ~6,000 words: a few seconds of auditing


@dataclass(frozen=True)
class EngineOptions:
    jobs: int
    timeout: float = 60.0  # seconds per chunk (of a few short documents, or one long one)
    max_memory: int | None = 2 * 2**30  # bytes of address space per worker; None: no limit
    max_retries: int = MAX_RETRIES
    chunk: int = 8  # documents audited together


@dataclass
class WorkQueue:
    tasks: Iterator[Task]
    ledger: Ledger
    options: EngineOptions
    on_done: Callable[[], None]
    solo: deque[Task] = field(default_factory=deque)
    lookahead: deque[Task] = field(default_factory=deque)
    exhausted: bool = False

    def drained(self) -> bool:
        """Nothing left to hand out (chunks may still be out)."""
        if not self.lookahead and not self.exhausted:
            self._pull()
        return self.exhausted and not self.lookahead and not self.solo

    def next_chunk(self) -> list[Task]:
        """One unit that must run alone, else a chunk in input order; ``[]`` when none."""
        if self.solo:
            return [self.solo.popleft()]
        chunk: list[Task] = []
        chars = 0
        while len(chunk) < self.options.chunk:
            if not self.lookahead:
                self._pull()
            if not self.lookahead:
                break
            size = len(self.lookahead[0][1].text)
            if chunk and chars + size > CHUNK_CHARS:
                break
            chunk.append(self.lookahead.popleft())
            chars += size
        return chunk

    def _pull(self) -> None:
        if self.exhausted:
            return
        task = next(self.tasks, None)
        if task is None:
            self.exhausted = True
        else:
            self.lookahead.append(task)

    def complete(self, chunk: list[Task], results: list[Any]) -> None:
        """Commit a chunk's results (one per unit, in order), in one transaction."""
        self.ledger.commit_many([(seq, unit.id, result)
                                 for (seq, unit), result in zip(chunk, results, strict=True)])
        for _ in chunk:
            self.on_done()

    def fail(self, chunk: list[Task], reason: str) -> None:
        if len(chunk) > 1:
            self.solo.extend(chunk)
            return
        for seq, unit in chunk:
            failures = self.ledger.record_failure(seq, reason)
            if failures > self.options.max_retries:
                message = f"{unit.source}: {reason} ({failures} attempts); skipped"
                self.ledger.commit(seq, unit.id, error_result(unit, message))
                self.on_done()
            else:
                self.solo.append((seq, unit))
