"""summary.md and summary.html of a batch: plots a reader looks at instead of tables.

A pure function of the documents and findings tables (no clock, no I/O): the same tables
always give the same summary. The plots are inline SVG drawn here (no matplotlib, no
JavaScript), so the HTML is one self-contained file; the Markdown shows the same numbers as
text bars.

Topic of a finding: the prefix of its first fact id ("kratom.addiction" → "kratom"), else of
its rule ("rhetoric:absolute" → "rhetoric"). A site is the host of a document's URL.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from auditor.records import CATEGORIES

TOP = 15  # rows per ranking: more is a table, not a plot
_BAR_WIDTH = 360
_LABEL_WIDTH = 330
_LABEL_CHARS = 44  # what fits in _LABEL_WIDTH at the page's font size
_ROW = 22
_COLOURS = {"contradicted": "#c0392b", "unsupported": "#d35400", "misused_term": "#8e44ad",
            "overstated": "#b7950b", "supported": "#27ae60", "unchecked": "#7f8c8d"}
_DEFAULT_COLOUR = "#2c6fbb"


@dataclass(frozen=True)
class Chart:
    title: str
    caption: str
    rows: list[tuple[str, float, str]]  # label, value, value as shown
    colours: dict[str, str] | None = None


@dataclass(frozen=True)
class Summary:
    markdown: str
    html: str


def summarize(documents: pd.DataFrame, findings: pd.DataFrame) -> Summary:
    charts = [by_category(findings), by_topic(findings), contradicted_claims(findings)]
    site_chart = by_site(documents, findings)
    if site_chart is not None:
        charts.append(site_chart)
    overview = _overview(documents, findings)
    errors = _error_rows(documents)
    return Summary(markdown=_markdown(overview, charts, errors),
                   html=_html(overview, charts, errors))


# --- the numbers --------------------------------------------------------------------------

def _overview(documents: pd.DataFrame, findings: pd.DataFrame) -> list[tuple[str, str]]:
    ok = int((documents["status"] == "ok").sum()) if len(documents) else 0
    words = int(documents["words"].sum()) if len(documents) else 0
    problems = int((findings["category"] != "supported").sum()) if len(findings) else 0
    rate = f"{1000 * problems / words:.1f}" if words else "–"
    return [("documents", f"{len(documents):,}"), ("audited", f"{ok:,}"),
            ("errors", f"{len(documents) - ok:,}"), ("words audited", f"{words:,}"),
            ("findings", f"{len(findings):,}"), ("problems (all but supported)", f"{problems:,}"),
            ("problems per 1,000 words", rate)]


def by_category(findings: pd.DataFrame) -> Chart:
    counts = findings["category"].value_counts() if len(findings) else pd.Series(dtype=int)
    rows = [(str(c), float(counts.get(c, 0)), f"{int(counts.get(c, 0)):,}")
            for c in CATEGORIES]
    return Chart("Findings by category", "All findings, by category.", rows, _COLOURS)


# Findings without a fact are grouped by the family of the rule that fired.
_RULE_FAMILIES = {"model": "claims nobody checked (claim detector)",
                  "claims": "claims nobody checked (rules)", "term": "listed terms",
                  "terms": "made-up terms", "rhetoric": "overstatement"}


def topic_of(fact_ids: object, rule: str) -> str:
    facts = list(fact_ids) if fact_ids is not None else []  # type: ignore[call-overload]
    # Listed terms carry their term entry as evidence (term.diffuser_thieves).
    named = str(facts[0]) if facts else rule.replace(":", ".")
    family = named.split(".", 1)[0]
    return _RULE_FAMILIES.get(family, family or "other")


def by_topic(findings: pd.DataFrame) -> Chart:
    problems = findings[findings["category"] != "supported"] if len(findings) else findings
    topics = [topic_of(f, r) for f, r in zip(problems.get("fact_ids", []),
                                             problems.get("rule", []), strict=True)]
    counts = pd.Series(topics, dtype=object).value_counts() if topics else pd.Series(dtype=int)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    rows = [(str(t), float(n), f"{int(n):,}") for t, n in ranked]
    return Chart("Problems by topic", "Findings other than supported, by the topic of their "
                 "fact (or the rule that fired).", rows)


def contradicted_claims(findings: pd.DataFrame) -> Chart:
    contradicted = (findings[findings["category"] == "contradicted"] if len(findings)
                    else findings)
    counts: dict[str, int] = {}
    documents: dict[str, set[str]] = {}
    samples: dict[str, str] = {}
    for facts, quote, document in zip(contradicted.get("fact_ids", []),
                                      contradicted.get("quote", []),
                                      contradicted.get("document_id", []), strict=True):
        fact = str(next(iter(facts))) if facts is not None and len(facts) else "(no fact)"
        counts[fact] = counts.get(fact, 0) + 1
        documents.setdefault(fact, set()).add(str(document))
        samples.setdefault(fact, str(quote))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    rows = [(f"{fact} — “{_shorten(samples[fact], 60)}”", float(n),
             f"{n:,} in {_docs(len(documents[fact]))}") for fact, n in ranked]
    return Chart("Most frequent contradicted claims", "Contradicted findings by fact, with "
                 "the first quote seen.", rows, {"": _COLOURS["contradicted"]})


def site_of(url: object) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def by_site(documents: pd.DataFrame, findings: pd.DataFrame) -> Chart | None:
    """Problems per audited document, by site (the sites with most documents)."""
    if not len(documents) or "url" not in documents:
        return None
    sites = {str(i): site_of(u) for i, u in zip(documents["id"], documents["url"], strict=True)}
    if not any(sites.values()):
        return None
    ok = documents[documents["status"] == "ok"]
    per_site_docs: dict[str, int] = {}
    for document in ok["id"]:
        site = sites.get(str(document))
        if site:
            per_site_docs[site] = per_site_docs.get(site, 0) + 1
    problems: dict[str, int] = {}
    if len(findings):
        for document, category in zip(findings["document_id"], findings["category"],
                                      strict=True):
            site = sites.get(str(document))
            if site and category != "supported":
                problems[site] = problems.get(site, 0) + 1
    ranked = sorted(per_site_docs.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
    rows = [(site, problems.get(site, 0) / n,
             f"{problems.get(site, 0) / n:.1f} per doc ({_docs(n)})") for site, n in ranked]
    return Chart("Problems per document, by site", "Findings other than supported per "
                 "audited document, for the sites with the most documents.", rows)


def _error_rows(documents: pd.DataFrame) -> list[tuple[str, str]]:
    if not len(documents):
        return []
    errors = documents[documents["status"] == "error"]
    return [(str(i), str(e)) for i, e in zip(errors["id"][:50], errors["error"][:50],
                                             strict=True)]


def _docs(count: int) -> str:
    return f"{count:,} doc" if count == 1 else f"{count:,} docs"


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Markdown -----------------------------------------------------------------------------

def _markdown(overview: list[tuple[str, str]], charts: list[Chart],
              errors: list[tuple[str, str]]) -> str:
    lines = ["# Batch audit summary", "", "| | |", "|---|---:|"]
    lines += [f"| {name} | {value} |" for name, value in overview]
    for chart in charts:
        lines += ["", f"## {chart.title}", "", chart.caption, ""]
        if not chart.rows:
            lines.append("_none_")
            continue
        top = max(v for _, v, _ in chart.rows) or 1.0
        lines += ["| | | |", "|---|---|---:|"]
        lines += [f"| {_md(label)} | `{'█' * round(20 * value / top) or '·'}` | {shown} |"
                  for label, value, shown in chart.rows]
    if errors:
        lines += ["", "## Documents with errors", "", "| id | error |", "|---|---|"]
        lines += [f"| {_md(i)} | {_md(e)} |" for i, e in errors]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --- HTML and SVG -------------------------------------------------------------------------

_STYLE = """body{font:15px/1.45 system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;
color:#222}h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em}table{border-collapse:collapse}
td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right}p.caption{color:#555}svg text{font:12px system-ui,sans-serif}"""


def _html(overview: list[tuple[str, str]], charts: list[Chart],
          errors: list[tuple[str, str]]) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>Batch audit summary</title>", f"<style>{_STYLE}</style></head><body>",
             "<h1>Batch audit summary</h1>", "<table>"]
    parts += [f'<tr><th>{html.escape(n)}</th><td class="n">{html.escape(v)}</td></tr>'
              for n, v in overview]
    parts.append("</table>")
    for chart in charts:
        parts += [f"<h2>{html.escape(chart.title)}</h2>",
                  f'<p class="caption">{html.escape(chart.caption)}</p>', bar_chart_svg(chart)]
    if errors:
        parts += ["<h2>Documents with errors</h2>", "<table><tr><th>id</th><th>error</th></tr>"]
        parts += [f"<tr><td>{html.escape(i)}</td><td>{html.escape(e)}</td></tr>"
                  for i, e in errors]
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def bar_chart_svg(chart: Chart) -> str:
    """A horizontal bar chart as an inline SVG element."""
    if not chart.rows:
        return "<p><em>none</em></p>"
    top = max(v for _, v, _ in chart.rows) or 1.0
    width = _LABEL_WIDTH + _BAR_WIDTH + 170
    height = _ROW * len(chart.rows) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{html.escape(chart.title)}">']
    for row, (label, value, shown) in enumerate(chart.rows):
        y = 4 + row * _ROW
        length = round(_BAR_WIDTH * value / top, 1)
        colour = _colour(chart, label)
        parts += [
            f'<text x="{_LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">'
            f"<title>{html.escape(label)}</title>"
            f"{html.escape(_shorten(label, _LABEL_CHARS))}</text>",
            f'<rect x="{_LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{_ROW - 6}" '
            f'fill="{colour}"/>',
            f'<text x="{_LABEL_WIDTH + length + 6}" y="{y + 15}">{html.escape(shown)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def _colour(chart: Chart, label: str) -> str:
    if chart.colours is None:
        return _DEFAULT_COLOUR
    return chart.colours.get(label, chart.colours.get("", _DEFAULT_COLOUR))
