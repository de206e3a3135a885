"""The Auditor of the local engine's fork server (:func:`auditor.batch.engine.worker_context`).

This module builds an Auditor when imported, on purpose and unlike every other module: only
the fork server imports it (as its preload), so each worker forked from it starts with the
pipeline loaded (no ~3-6 s load per worker, none per replacement after a crash or timeout)
and shares the model's memory pages copy-on-write. A worker started another way imports it
after setting its memory limit, which loads the Auditor there, once.
"""

from __future__ import annotations

import os

from auditor.api import Auditor
from auditor.batch.engine import SUPERVISOR_ENV, die_with_parent
from auditor.errors import AuditorError

# The fork server must not outlive a killed supervisor while it loads the Auditor.
die_with_parent(int(os.environ.get(SUPERVISOR_ENV, "0")) or None)

auditor: Auditor | None = None
failure: str | None = None  # why the Auditor could not be built, for the supervisor to report

try:
    auditor = Auditor()
except AuditorError as exc:
    failure = exc.message
