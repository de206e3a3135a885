"""Accepting findings on purpose: inline ``ignore`` comments and a baseline file.

Drafts kept in git get the auditor as a CI check, and a check that cannot be told "we know"
gets switched off. Two ways to say it, both visible in review:

- In Markdown, ``<!-- auditor: ignore ID [ID ...] -->`` inside a paragraph, or alone in the
  paragraph just before it, accepts that paragraph's findings whose fact id, rule, category or
  finding id is listed.
- ``auditor baseline FILES`` records the current findings of each file in a JSON file;
  ``auditor check --baseline FILE`` then reports only findings that are not in it. Finding
  ids hash the rule, category and quote, not offsets, so moving a paragraph keeps them.

Accepted findings leave the report (and the exit code) but are kept aside: SARIF lists them
with a suppression, the text report counts them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from auditor import __version__
from auditor.errors import InputError
from auditor.records import Finding, Report

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
BASELINE_VERSION = 1
_IGNORE = re.compile(r"<!--\s*auditor:\s*ignore\b(?P<ids>.*?)-->", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    kind: Literal["inSource", "external"]  # SARIF's names for the two ways
    justification: str


def blank_comments(markdown: str) -> str:
    """HTML comments are invisible in rendered Markdown, so they are not audited; blanking
    them (newlines kept) leaves every offset and line number where it was."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), markdown)


@dataclass(frozen=True)
class Ignore:
    start: int  # the paragraph the comment applies to
    end: int
    ids: frozenset[str]


def inline_ignores(markdown: str) -> list[Ignore]:
    paragraphs = _paragraphs(markdown)
    found = []
    for match in _IGNORE.finditer(markdown):
        ids = frozenset(re.split(r"[\s,]+", match.group("ids").strip())) - {""}
        index = next(i for i, (s, e) in enumerate(paragraphs) if s <= match.start() < e)
        start, end = paragraphs[index]
        rest = _COMMENT.sub("", markdown[start:end]).strip()
        if not rest and index + 1 < len(paragraphs):  # a comment alone: the next paragraph
            start, end = paragraphs[index + 1]
        found.append(Ignore(start, end, ids))
    return found


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for gap in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((start, gap.start() + 1))
        start = gap.end()
    bounds.append((start, len(text) + 1))
    return bounds


def names_of(finding: Finding) -> set[str]:
    """Every id an ignore comment may use for ``finding``."""
    names = {finding.id, finding.rule, finding.category}
    names.update(e.fact_id for e in finding.evidence)
    if ":" in finding.rule:
        names.add(finding.rule.split(":", 1)[1])
    return names


def apply_inline(report: Report, markdown: str) -> tuple[Report, list[Suppressed]]:
    ignores = inline_ignores(markdown)
    if not ignores:
        return report, []

    def ignored_by(finding: Finding) -> Ignore | None:
        return next((i for i in ignores if i.start <= finding.start < i.end
                     and i.ids & names_of(finding)), None)

    return _split(report, lambda f: ("inSource", "ignored by an inline auditor: ignore comment")
                  if ignored_by(f) else None)


def apply_baseline(report: Report, accepted: frozenset[str], path: Path
                   ) -> tuple[Report, list[Suppressed]]:
    return _split(report, lambda f: ("external", f"accepted in the baseline {path}")
                  if f.id in accepted else None)


Verdict = Callable[[Finding], tuple[Literal["inSource", "external"], str] | None]


def _split(report: Report, verdict: Verdict) -> tuple[Report, list[Suppressed]]:
    kept, suppressed = [], []
    for finding in report.findings:
        decided = verdict(finding) if finding.category != "supported" else None
        if decided is None:
            kept.append(finding)
        else:
            suppressed.append(Suppressed(finding, *decided))
    return replace(report, findings=tuple(kept)), suppressed


def write_baseline(path: Path, reports: list[Report]) -> int:
    """Record every problem finding of ``reports``; returns how many."""
    files = {r.source: [{"id": f.id, "category": f.category, "rule": f.rule, "quote": f.quote}
                        for f in r.problems()] for r in reports}
    payload = {"version": BASELINE_VERSION, "tool": f"health-claim-auditor {__version__}",
               "files": files}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return sum(len(v) for v in files.values())


def read_baseline(path: Path) -> dict[str, frozenset[str]]:
    """Accepted finding ids per source, from a file ``auditor baseline`` wrote."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        if payload.get("version") != BASELINE_VERSION:
            raise ValueError(f"version {payload.get('version')!r}, expected "
                             f"{BASELINE_VERSION}")
        return {source: frozenset(entry["id"] for entry in entries)
                for source, entries in payload["files"].items()}
    except FileNotFoundError:
        raise InputError(f"--baseline {path}: no such file; create it with "
                         "'auditor baseline FILES --output PATH'") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"--baseline {path}: not a baseline file ({exc}); recreate it with "
                         "'auditor baseline'") from None
