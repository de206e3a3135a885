"""What ``auditor serve`` is allowed to do: limits, the API token, the fetch policy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TOKEN_ENV = "AUDITOR_API_TOKEN"
DEFAULT_MAX_BODY = 2 * 2**20
DEFAULT_DEADLINE = 30.0
# Audits waiting for the worker beyond this many are refused at once with 503: a client
# learns the server is saturated in milliseconds instead of after a long wait. 50 concurrent
# editors (the load target) still queue.
DEFAULT_MAX_QUEUE = 64


@dataclass(frozen=True)
class ServiceSettings:
    """Settings of one app.

    ``deadline`` bounds the work of a request (fetching its URL and auditing it) once a worker
    takes it up; the wait in the queue before that is bounded by ``max_queue`` instead, so
    that a burst of requests queues rather than times out (see :mod:`auditor.service.worker`).
    """

    token: str | None = None  # None: the /v1/ routes are open
    allow_private: bool = False  # URL audits may reach private and loopback addresses
    max_body: int = DEFAULT_MAX_BODY
    deadline: float = DEFAULT_DEADLINE
    max_queue: int = DEFAULT_MAX_QUEUE
    config: Path | None = None  # auditor.toml naming the ClaimReview reviewer
