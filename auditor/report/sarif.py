"""SARIF 2.1.0, for code-scanning annotations on drafts kept in git.

One run; one rule per fact or rule id that fired; one result per problem finding (supported
findings are not results). Regions are lines and columns in UTF-16 code units, SARIF's
default ``columnKind`` and what GitHub code scanning reads. They are given only for sources
whose audited text *is* the file (plain text and Markdown); for HTML and web pages the audited
text is extracted, so their results name the file without a region.
``partialFingerprints`` carry the finding id, which hashes rule, category and quote — not
offsets — so a moved paragraph keeps its alert. Accepted findings (inline comments, baseline)
are listed with a ``suppressions`` entry, as the format intends, instead of vanishing.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any

from auditor import __version__
from auditor.records import Finding, Report
from auditor.suppress import Suppressed

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "auditorFinding/v1"
_LINE_SOURCES = frozenset({".txt", ".text", ".md", ".markdown"})


def render_sarif(reports: list[Report],
                 suppressed: dict[str, list[Suppressed]] | None = None) -> str:
    """``suppressed`` maps a report's source to the findings accepted for it."""
    suppressed = suppressed or {}
    results: list[dict[str, Any]] = []
    rules: dict[str, dict[str, Any]] = {}
    for report in reports:
        entries: list[tuple[Finding, Suppressed | None]] = [(f, None) for f in report.problems()]
        entries += [(s.finding, s) for s in suppressed.get(report.source, [])]
        for finding, suppression in sorted(entries, key=lambda e: (e[0].start, e[0].id)):
            rules.setdefault(_rule_id(finding), _rule(finding))
            results.append(_result(report, finding, suppression))
    run = {"tool": {"driver": {"name": "health-claim-auditor", "version": __version__,
                               "rules": [rules[k] for k in sorted(rules)]}},
           "columnKind": "utf16CodeUnits", "results": results}
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]},
                      ensure_ascii=False, indent=2)


def _rule_id(finding: Finding) -> str:
    return finding.rule


def _rule(finding: Finding) -> dict[str, Any]:
    facts = [e.statement for e in finding.evidence]
    described = facts[0] if facts else f"{finding.category.replace('_', ' ')}: {finding.rule}"
    return {"id": _rule_id(finding), "name": finding.category,
            "shortDescription": {"text": described},
            "properties": {"category": finding.category}}


def _result(report: Report, finding: Finding, suppression: Suppressed | None
            ) -> dict[str, Any]:
    message = finding.explanation
    if finding.suggestion:
        message += f" Suggestion: {finding.suggestion}"
    result: dict[str, Any] = {
        "ruleId": _rule_id(finding), "level": LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": _location(report, finding)}],
        "partialFingerprints": {FINGERPRINT: finding.id},
        "properties": {"category": finding.category, "confidence": round(finding.confidence, 3),
                       "quote": finding.quote,
                       "facts": [e.fact_id for e in finding.evidence],
                       "citations": [c.url for e in finding.evidence for c in e.citations]},
    }
    if suppression is not None:
        result["suppressions"] = [{"kind": suppression.kind,
                                   "justification": suppression.justification}]
    return result


def _location(report: Report, finding: Finding) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(report.source)}}
    if PurePath(report.source).suffix.lower() in _LINE_SOURCES or report.source == "<stdin>":
        location["region"] = region(report.text, finding.start, finding.end)
    return location


def _uri(source: str) -> str:
    if "://" in source:
        return source
    path = Path(source)
    return path.as_posix() if not path.is_absolute() else path.as_uri()


def region(text: str, start: int, end: int) -> dict[str, Any]:
    """1-based lines; 1-based columns in UTF-16 code units, ``endColumn`` one past the end."""
    start_line, start_column = _line_column(text, start)
    end_line, end_column = _line_column(text, end)
    return {"startLine": start_line, "startColumn": start_column, "endLine": end_line,
            "endColumn": end_column, "snippet": {"text": text[start:end]}}


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    prefix = text[line_start:offset]
    return text.count("\n", 0, offset) + 1, len(prefix.encode("utf-16-le")) // 2 + 1
