"""The terminal report: each finding with its place, quote, explanation and citations."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from auditor.records import CATEGORIES, Finding, Report

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
_WIDTH = 100


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def render_text(report: Report, *, colour: bool = False, show_supported: bool = False) -> str:
    def paint(code: str, words: str) -> str:
        return f"{code}{words}{_RESET}" if colour else words

    shown = report.findings if show_supported else report.problems()
    title = f" — {report.title}" if report.title else ""
    lines = [paint(_BOLD, f"{report.source}{title}")]
    lines += [f"  note: {note}" for note in report.notes]
    for finding in shown:
        lines += _finding(report.text, finding, paint)
    if not shown and not report.notes:
        lines.append("  no findings")
    counts = ", ".join(f"{report.summary[c]} {c}" for c in CATEGORIES)
    lines.append(f"  summary: {counts}")
    return "\n".join(lines)


def _finding(text: str, finding: Finding, paint: Callable[[str, str], str]) -> list[str]:
    line, column = line_column(text, finding.start)
    head = (f"  {line}:{column}  {paint(_COLOURS[finding.severity], finding.severity)}  "
            f"{finding.category}  “{finding.quote}”")
    out = [head]
    out += _wrap(finding.explanation)
    if finding.suggestion:
        out += _wrap(f"Suggestion: {finding.suggestion}")
    for evidence in finding.evidence:
        for citation in evidence.citations:
            seen = "" if citation.seen == "primary" else " (copy)"
            date = f", {citation.date}" if citation.date else ""
            out += _wrap(f"- {citation.publisher}, “{citation.title}”{date}{seen} "
                         f"{citation.url}", indent=8)
    out.append(paint(_DIM, f"      rule: {finding.rule}  id: {finding.id}  "
                           f"confidence: {finding.confidence:.2f}"))
    return out


def _wrap(words: str, indent: int = 6) -> list[str]:
    return textwrap.wrap(words, width=_WIDTH, initial_indent=" " * indent,
                         subsequent_indent=" " * (indent + 2), break_long_words=False,
                         break_on_hyphens=False)
