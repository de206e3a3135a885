"""One audit at a time, in a thread of its own, with a bounded queue and a deadline.

Auditing is CPU-bound Python (spaCy, scikit-learn) and the :class:`~auditor.api.Auditor` was
not written for concurrent use, so a single worker thread runs the audits: a second thread
would only fight the first for the GIL. The event loop stays free to accept requests, read
bodies and answer /healthz while an audit runs.

Deadline versus queueing: on a 2-core machine an audit of a typical article takes 0.3–1 s, so
50 simultaneous editors wait up to ~50 audits for their turn. If the deadline counted that
wait, a burst would turn into timeouts although every request would have been served. So the
deadline bounds the *work* of a request (its fetch and its audit, once the worker takes it
up), and the queue is bounded by length instead: past ``max_queue`` waiting requests the
answer is an immediate 503 with Retry-After. A request whose client disconnects while it waits
leaves the queue without being audited.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from auditor.api import Auditor

T = TypeVar("T")


class Saturated(Exception):
    """Too many requests are already waiting for the worker."""


class DeadlineExceeded(Exception):
    """The work of a request took longer than its deadline."""


class AuditWorker:
    def __init__(self, auditor: Auditor, max_queue: int) -> None:
        self.auditor = auditor
        self.max_queue = max_queue
        self.waiting = 0
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="auditor-audit")
        self._slot: asyncio.Semaphore | None = None
        self._stance_auditor: Auditor | None = None
        self._variant_lock = threading.Lock()

    async def run(self, work: Callable[[], T], deadline: float) -> T:
        """Run ``work`` on the worker thread when its turn comes; at most ``deadline`` seconds
        once it has started. The worker stays busy until ``work`` returns even after a missed
        deadline (Python cannot stop a thread), so the next request waits for it."""
        slot = self._semaphore()
        if deadline <= 0:
            raise DeadlineExceeded  # the fetch used up the time: do not start the audit
        if self.waiting >= self.max_queue:
            raise Saturated
        self.waiting += 1
        try:
            await slot.acquire()
        finally:
            self.waiting -= 1
        loop = asyncio.get_running_loop()
        future: Future[T] = self._executor.submit(work)
        future.add_done_callback(lambda _: _release(loop, slot))
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), deadline)
        except TimeoutError:
            raise DeadlineExceeded from None

    def _semaphore(self) -> asyncio.Semaphore:
        # Made on first use, inside the server's event loop.
        if self._slot is None:
            self._slot = asyncio.Semaphore(1)
        return self._slot

    def auditor_for(self, learned_stance: bool) -> Auditor:
        """The auditor, or its variant that also runs the stance model (built on first use,
        sharing the pipeline and fact base; only the stance model is loaded). Called on the
        worker thread."""
        if not learned_stance:
            return self.auditor
        with self._variant_lock:
            if self._stance_auditor is None:
                self._stance_auditor = self.auditor.with_learned_stance()
            return self._stance_auditor

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _release(loop: asyncio.AbstractEventLoop, slot: asyncio.Semaphore) -> None:
    """Free the slot from the worker thread; after a missed deadline the server may have shut
    down meanwhile, and then there is no loop left to tell."""
    with contextlib.suppress(RuntimeError):  # the event loop is closed
        loop.call_soon_threadsafe(slot.release)
