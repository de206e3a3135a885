"""Dask engine: the same per-document work on a Dask distributed cluster.

Each worker process loads one Auditor (a worker plugin, at setup) and runs
:func:`auditor.batch.work.audit_units_cached` on the chunks of the same work queue as the
local engine (:mod:`auditor.batch.workqueue`). Results come back to this process and go
through the same ledger, so ``--resume`` works the same way (with either engine). Every
worker must run the same auditor and data as this process: checked before any work.

Failures: a worker that dies while holding a chunk is Dask's to retry; past the scheduler's
``distributed.scheduler.allowed-failures`` (default 3) the future raises ``KilledWorker``:
a chunk's documents then run alone, and a document alone is retried at most 3 times, then
gets an error row. A document that has failed once runs alone on the whole cluster: beside
it, an innocent document queued on the worker it crashes would die with it every time. A chunk past
``--timeout`` is cancelled and its worker restarted (a thread cannot be killed; its process
can), and handed back to the queue like in the local engine. Memory is the nanny's to
police (``--memory-limit`` of ``dask worker``), not ``--max-memory``.

Run on an existing cluster::

    dask scheduler                         # on one machine: prints tcp://HOST:8786
    dask worker tcp://HOST:8786 --nworkers 4 --nthreads 1   # on each machine
    auditor batch crawl/*.warc.gz --out results --scheduler tcp://HOST:8786

Every worker needs the auditor installed, and the inputs are read where ``auditor batch``
runs (documents travel to the workers over the network).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from auditor.batch.ledger import Ledger
from auditor.batch.work import audit_units_cached
from auditor.batch.workqueue import EngineOptions, Task, WorkQueue
from auditor.errors import InputError

_CONNECT_TIMEOUT = "20s"
_POLL_SECONDS = 0.5
_THREADS_REFRESH_SECONDS = 5.0


class AuditorPlugin(WorkerPlugin):
    """Loads the Auditor when a worker starts, so the first document's timeout does not pay
    for the seconds the spaCy load takes."""

    name = "auditor-batch"

    def setup(self, worker: Any) -> None:
        from auditor.batch.work import cached_auditor

        cached_auditor()

    def teardown(self, worker: Any) -> None:
        return None


def run_dask(tasks: Iterator[Task], ledger: Ledger, scheduler: str, options: EngineOptions,
             on_done: Callable[[], None]) -> None:
    from distributed import Client

    try:
        client = Client(scheduler, timeout=_CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"{scheduler}: cannot connect to the Dask scheduler ({exc}); check "
                         "the address and that the scheduler is running") from None
    try:
        client.register_plugin(AuditorPlugin())
        _check_workers(client, scheduler)
        _DaskRun(client, WorkQueue(tasks, ledger, options, on_done), options).run()
    finally:
        client.close()


def _check_workers(client: Any, scheduler: str) -> None:
    """Every worker must run the auditor this process fingerprinted the batch with: results
    of two fact bases never mix in one batch."""
    from auditor.batch.runner import auditor_identity

    expected = auditor_identity()
    for worker, identity in client.run(auditor_identity).items():
        if identity != expected:
            raise InputError(f"{scheduler}: worker {worker} runs another auditor ({identity}, "
                             f"here {expected}); install the same version and data on every "
                             "worker")


@dataclass
class _DaskRun:
    client: Any
    queue: WorkQueue
    options: EngineOptions
    running: dict[Any, tuple[list[Task], float]] = field(default_factory=dict)  # → chunk, due
    threads: int = 1
    threads_checked: float = float("-inf")
    held: list[Task] = field(default_factory=list)  # a suspect waiting to run alone
    alone: Any = None  # the future of the suspect running alone

    def run(self) -> None:
        from distributed import wait

        while True:
            self._submit()
            if not self.running:
                if self.queue.drained():
                    return
                continue
            with self.client.as_current(), contextlib.suppress(TimeoutError):
                wait(list(self.running), timeout=_POLL_SECONDS, return_when="FIRST_COMPLETED")
            self._collect()
            self._expire()

    def _capacity(self) -> int:
        """One chunk per worker thread: a chunk starts when submitted, so its deadline is
        honest. (Asked of the scheduler every few seconds: workers come and go.)"""
        now = time.monotonic()
        if now >= self.threads_checked + _THREADS_REFRESH_SECONDS:
            self.threads = max(1, sum(self.client.nthreads().values()))
            self.threads_checked = now
        return self.threads

    def _submit(self) -> None:
        """Fill the free threads. A document that has already failed runs alone on the
        cluster: beside it, an innocent document queued on the same worker dies with it
        each time it crashes, and can run out of attempts too."""
        while len(self.running) < self._capacity() and self.alone is None:
            chunk, self.held = self.held or self.queue.next_chunk(), []
            if not chunk:
                return
            if self._suspect(chunk) and self.running:
                self.held = chunk  # submitted once the others are done
                return
            first = chunk[0][0]
            key = f"audit-{first}-{len(chunk)}-{self.queue.ledger.failures(first)}"
            future = self.client.submit(audit_units_cached, [unit for _, unit in chunk],
                                        key=key, pure=False, retries=0)
            self.running[future] = (chunk, time.monotonic() + self.options.timeout)
            if self._suspect(chunk):
                self.alone = future

    def _suspect(self, chunk: list[Task]) -> bool:
        return len(chunk) == 1 and self.queue.ledger.failures(chunk[0][0]) > 0

    def _take(self, future: Any) -> list[Task]:
        """The chunk of a future that is done or given up on."""
        if future is self.alone:
            self.alone = None
        return self.running.pop(future)[0]

    def _collect(self) -> None:
        from distributed import KilledWorker

        for future in [f for f in self.running if f.done()]:
            chunk = self._take(future)
            try:
                results = future.result()
            except KilledWorker:
                self._killed(chunk)
                continue
            except Exception as exc:  # a MemoryError, a lost worker: retried
                self.queue.fail(chunk, f"{type(exc).__name__}: {exc}")
                continue
            self.queue.complete(chunk, results)

    def _killed(self, chunk: list[Task]) -> None:
        """Dask retried the chunk past ``allowed-failures``: a chunk's units run alone to find
        the culprit, and a lone unit is retried like any failure, since it may only have
        been queued on the worker another document crashed."""
        self.queue.fail(chunk, "its Dask worker died while auditing it (KilledWorker)")

    def _expire(self) -> None:
        now = time.monotonic()
        for future, (chunk, due) in list(self.running.items()):
            if now < due:
                continue
            self._take(future)
            self._restart_holder(future)
            future.cancel()
            self.queue.fail(chunk, f"timed out after {self.options.timeout:g} s")

    def _restart_holder(self, future: Any) -> None:
        """Restart the worker stuck on ``future``: its thread cannot be stopped otherwise."""
        with contextlib.suppress(Exception):
            holders = [w for w, keys in self.client.processing().items() if future.key in keys]
            if holders:
                self.client.restart_workers(holders, timeout=120)
