"""Renderers: one function per output format, each over a :class:`~auditor.records.Report`."""

from auditor.report.json import render_json, render_jsonl_line
from auditor.report.text import render_text

__all__ = ["render_json", "render_jsonl_line", "render_text"]
