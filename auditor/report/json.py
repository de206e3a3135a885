"""JSON renderers (the contract in DESIGN.md)."""

from __future__ import annotations

import json
from typing import Any

from auditor.records import Report


def render_json(reports: list[Report]) -> str:
    """One report as an object; several as an array."""
    payload: Any = reports[0].to_dict() if len(reports) == 1 else [r.to_dict() for r in reports]
    return json.dumps(payload, ensure_ascii=False, indent=2)


def render_jsonl_line(report: Report | None, source: str, error: str | None = None) -> str:
    """One line per source: its report, or ``{"source", "error"}`` when it could not be read."""
    payload = report.to_dict() if report is not None else {"source": source, "error": error}
    return json.dumps(payload, ensure_ascii=False)
