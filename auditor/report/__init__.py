"""Renderers: one function per output format, each over a :class:`~auditor.records.Report`."""

from auditor.report.claimreview import render_claimreview
from auditor.report.html import render_html
from auditor.report.json import render_json, render_jsonl_line
from auditor.report.sarif import render_sarif
from auditor.report.text import render_text

__all__ = ["render_claimreview", "render_html", "render_json", "render_jsonl_line",
           "render_sarif", "render_text"]
