"""Local engine: supervised worker processes, each loading the Auditor once.

Why not ``ProcessPoolExecutor``: when one worker dies (segfault, OOM kill, ``os._exit``),
every pending future fails with ``BrokenProcessPool``, and it has no per-task timeout. Here
each worker holds one chunk at a time over its own pipe, so the supervisor always knows what
a dead or stuck worker held: it kills a worker past the timeout, replaces any worker that
dies, and hands what it held back to the work queue (:mod:`auditor.batch.workqueue`: chunks
of a few documents, retries one by one, an error row after 3 retries).

Workers set ``RLIMIT_AS`` (address space) so a runaway document raises ``MemoryError`` in its
worker instead of starving the machine; the worker reports it and exits, and is replaced.
Workers die with the supervisor (``PR_SET_PDEATHSIG`` on Linux), so ``kill -9`` of the batch
leaves no orphan auditing on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from auditor.batch.ledger import Ledger
from auditor.batch.work import audit_units
from auditor.batch.workqueue import EngineOptions, Task, WorkQueue
from auditor.errors import ModelError

_STARTUP_DEATHS = 3  # workers dying before they are ready, in a row: give up, it will not heal
_EXIT_MEMORY = 71


def run_local(tasks: Iterator[Task], ledger: Ledger, options: EngineOptions,
              on_done: Callable[[], None]) -> None:
    """Audit every task, committing each result to ``ledger`` as it arrives."""
    Supervisor(WorkQueue(tasks, ledger, options, on_done), options).run()


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process from the fork server (or spawn) context
    conn: Connection
    ready: bool = False
    chunk: list[Task] = field(default_factory=list)  # what it holds; empty: idle
    deadline: float = 0.0
    retired: bool = False  # reported a fatal condition; waiting for it to exit


@dataclass
class Supervisor:
    queue: WorkQueue
    options: EngineOptions
    workers: list[_Worker] = field(default_factory=list)
    startup_deaths: int = 0

    def run(self) -> None:
        context = worker_context()
        self.workers = [self._spawn(context) for _ in range(max(1, self.options.jobs))]
        try:
            while True:
                self._dispatch()
                if self.queue.drained() and not any(w.chunk for w in self.workers):
                    return
                self._wait()
                for index, worker in enumerate(self.workers):
                    if self._serve(worker):
                        self.workers[index] = self._spawn(context)
        finally:
            self._stop_all()

    def _spawn(self, context: Any) -> _Worker:
        parent, child = context.Pipe()
        process = context.Process(target=worker_main, daemon=True, name="auditor-batch-worker",
                                  args=(child, self.options.max_memory))
        process.start()
        child.close()
        return _Worker(process=process, conn=parent)

    def _dispatch(self) -> None:
        for worker in self.workers:
            if not worker.ready or worker.chunk or worker.retired:
                continue
            chunk = self.queue.next_chunk()
            if not chunk:
                return
            worker.chunk, worker.deadline = chunk, time.monotonic() + self.options.timeout
            with contextlib.suppress(OSError):  # it just died: _serve sees it and re-queues
                worker.conn.send([unit for _, unit in chunk])

    def _wait(self) -> None:
        busy = [w.deadline for w in self.workers if w.chunk]
        timeout = max(0.0, min(busy) - time.monotonic()) if busy else None
        handles: list[Any] = [w.conn for w in self.workers]
        handles += [w.process.sentinel for w in self.workers]
        wait(handles, timeout=timeout)

    def _serve(self, worker: _Worker) -> bool:
        """Read the worker's messages, then check it is alive and within its deadline;
        True when it must be replaced."""
        alive = self._read_messages(worker)
        if not alive or not worker.process.is_alive():
            worker.process.join(1)
            self._fail(worker, _death(worker.process.exitcode))
            self._note_startup_death(worker)
            return True
        if worker.chunk and time.monotonic() >= worker.deadline:
            _kill(worker)
            self._fail(worker, f"timed out after {self.options.timeout:g} s")
            return True
        return False

    def _read_messages(self, worker: _Worker) -> bool:
        try:
            while worker.conn.poll():
                self._handle(worker, worker.conn.recv())
        except (EOFError, OSError):
            return False
        return True

    def _handle(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready = True
            self.startup_deaths = 0
        elif kind == "done" and worker.chunk:
            chunk, worker.chunk = worker.chunk, []
            self.queue.complete(chunk, message[1])
        elif kind == "failed":
            worker.retired = True
            self._fail(worker, message[1])
        elif kind == "fatal":
            raise ModelError(f"batch worker cannot start: {message[1]}")

    def _fail(self, worker: _Worker, reason: str) -> None:
        chunk, worker.chunk = worker.chunk, []
        if chunk:
            self.queue.fail(chunk, reason)

    def _note_startup_death(self, worker: _Worker) -> None:
        if worker.ready:
            return
        self.startup_deaths += 1
        if self.startup_deaths >= _STARTUP_DEATHS:
            limit = self.options.max_memory
            hint = (f"raise --max-memory (now {limit // 2**20} MiB)" if limit
                    else "check the installation")
            raise ModelError(f"batch workers die while loading the auditor "
                             f"({_death(worker.process.exitcode)}); {hint}")

    def _stop_all(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + 5
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                _kill(worker)
            worker.conn.close()


SUPERVISOR_ENV = "AUDITOR_BATCH_SUPERVISOR"


def worker_context() -> Any:
    """Workers fork from a fork server that has built the Auditor (:mod:`preload`), so a
    worker, and a replacement after a crash, starts in milliseconds instead of the ~8 s of
    importing spaCy and loading the pipeline. The supervisor itself is never forked: it may
    hold threads and an SQLite connection."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    # The fork server learns who started it from its environment: by the time it has
    # imported enough to ask to die with its parent, that parent may already be gone.
    os.environ[SUPERVISOR_ENV] = str(os.getpid())
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["auditor.batch.engine", "auditor.batch.preload"])
    return context


def _kill(worker: _Worker) -> None:
    worker.process.kill()
    worker.process.join(5)


def _death(exitcode: int | None) -> str:
    if exitcode == _EXIT_MEMORY:
        return "exceeded the worker memory limit"
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        cause = " (out of memory?)" if name == "SIGKILL" else ""
        return f"worker process was killed by {name}{cause}"
    return f"worker process died (exit code {exitcode})"


# --- the worker process -----------------------------------------------------------------

def worker_main(conn: Connection, max_memory: int | None) -> None:
    """Load the Auditor once, then audit the units the supervisor sends until ``None``."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    if max_memory:
        problem = _limit_memory(max_memory)
        if problem:
            conn.send(("fatal", problem))
            return
    try:
        from auditor.batch import preload  # forked from the fork server: already loaded
    except MemoryError:
        os._exit(_EXIT_MEMORY)
    if preload.auditor is None:
        conn.send(("fatal", preload.failure or "unknown error"))
        return
    conn.send(("ready",))
    _serve_units(conn, preload.auditor)


def _limit_memory(limit: int) -> str | None:
    """Cap this process's address space; a message when the cap is below what it holds
    already (the pipeline), which would fail every document."""
    import resource

    used = _address_space()
    if used is not None and used > 0.8 * limit:
        return (f"--max-memory {limit // 2**20} MiB is too low: a worker holds "
                f"{used // 2**20} MiB before its first document; raise it")
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return None


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), else None."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _serve_units(conn: Connection, auditor: Any) -> None:
    while True:
        try:
            units = conn.recv()
        except EOFError:
            return
        if units is None:
            return
        try:
            results = audit_units(auditor, units)
        except MemoryError:
            # The heap may be in any state now: report, and let a fresh process take over.
            with contextlib.suppress(Exception):
                conn.send(("failed", "exceeded the worker memory limit"))
            os._exit(_EXIT_MEMORY)
        conn.send(("done", results))


def die_with_parent(parent_pid: int | None = None) -> None:
    """Ask Linux to SIGKILL this process when its parent dies, even by ``kill -9``: a worker
    when the supervisor (spawn) or the fork server dies, and the fork server itself when the
    supervisor dies (:mod:`preload` asks before building the Auditor, which takes seconds in
    which it would not notice). Exit now if the parent, ``parent_pid`` when given, is
    already gone."""
    parent_pid = parent_pid or os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)
