"""summary.md / summary.html: a pure function of the documents and findings tables."""

from __future__ import annotations

import argparse
import re
from xml.etree import ElementTree

import pandas as pd
import pytest

from auditor.batch.summary import (
    by_category,
    by_site,
    by_topic,
    contradicted_claims,
    site_of,
    summarize,
    topic_of,
)
from auditor.batch_cli import _ProgressBar, add_commands
from auditor.records import CATEGORIES


def documents() -> pd.DataFrame:
    rows = [("d1", "https://www.a.example/1", "ok", None, 100),
            ("d2", "https://a.example/2", "ok", None, 300),
            ("d3", "https://b.example/x", "ok", None, 100),
            ("d4", None, "error", "in.jsonl line 4: not valid JSON", 0)]
    return pd.DataFrame(rows, columns=["id", "url", "status", "error", "words"])


def findings() -> pd.DataFrame:
    rows = [("d1", "contradicted", "factbase:kratom.addiction", "isn't habit-forming",
             ["kratom.addiction"]),
            ("d2", "contradicted", "factbase:kratom.addiction", "not addictive",
             ["kratom.addiction"]),
            ("d2", "contradicted", "factbase:ivermectin_covid.not_effective",
             "cures <b>COVID</b>", ["ivermectin_covid.not_effective"]),
            ("d3", "overstated", "rhetoric.absolute.always_never", "always", []),
            ("d3", "supported", "factbase:kratom.addiction", "dependence", ["kratom.addiction"])]
    return pd.DataFrame(rows, columns=["document_id", "category", "rule", "quote", "fact_ids"])


@pytest.mark.parametrize(("fact_ids", "rule", "topic"), [
    (["kratom.addiction"], "factbase:kratom.addiction", "kratom"),
    ([], "rhetoric.absolute.always_never", "overstatement"),
    ([], "model:claim_detector", "claims nobody checked (claim detector)"),
    ([], "claims.unchecked", "claims nobody checked (rules)"),
    (None, "term.diffuser_thieves", "listed terms"),
    (["term.diffuser_thieves"], "term.diffuser_thieves", "listed terms"),
    ([], "terms.coinage", "made-up terms"),
    ([], "somethingnew.rule", "somethingnew"),
])
def test_topic_of_a_finding(fact_ids: list[str] | None, rule: str, topic: str) -> None:
    assert topic_of(fact_ids, rule) == topic


@pytest.mark.parametrize(("url", "site"), [
    ("https://www.a.example/1", "a.example"), ("http://B.example:8080/x", "b.example"),
    ("not a url", None), (None, None), ("", None)])
def test_site_of_a_url(url: str | None, site: str | None) -> None:
    assert site_of(url) == site


def test_charts_count_what_they_say() -> None:
    assert [(label, value) for label, value, _ in by_category(findings()).rows] == [
        (c, {"contradicted": 3.0, "overstated": 1.0, "supported": 1.0}.get(c, 0.0))
        for c in CATEGORIES]
    assert [(label, value) for label, value, _ in by_topic(findings()).rows] == [
        ("kratom", 2.0), ("ivermectin_covid", 1.0), ("overstatement", 1.0)]
    assert [(label, shown) for label, _, shown in contradicted_claims(findings()).rows] == [
        ("kratom.addiction — “isn't habit-forming”", "2 in 2 docs"),
        ("ivermectin_covid.not_effective — “cures <b>COVID</b>”", "1 in 1 doc")]
    sites = by_site(documents(), findings())
    assert sites is not None
    assert [(label, value, shown) for label, value, shown in sites.rows] == [
        ("a.example", 1.5, "1.5 per doc (2 docs)"), ("b.example", 1.0, "1.0 per doc (1 doc)")]


def test_summary_is_pure_escaped_and_self_contained() -> None:
    first = summarize(documents(), findings())
    assert summarize(documents(), findings()) == first
    svgs = re.findall(r"<svg.*?</svg>", first.html, re.S)
    assert len(svgs) == 4
    for svg in svgs:  # well-formed, and one bar per row
        bars = ElementTree.fromstring(svg).findall("{http://www.w3.org/2000/svg}rect")
        assert len(bars) >= 2
    assert "<b>COVID</b>" not in first.html
    assert "cures &lt;b&gt;COVID&lt;/b&gt;" in first.html
    assert ("<script" not in first.html and "<link" not in first.html
            and " src=" not in first.html)  # one file: nothing to fetch
    assert "| problems per 1,000 words | 8.0 |" in first.markdown
    assert "| d4 | in.jsonl line 4: not valid JSON |" in first.markdown


def test_summary_of_an_empty_batch() -> None:
    empty_documents = documents().iloc[0:0]
    empty_findings = findings().iloc[0:0]
    summary = summarize(empty_documents, empty_findings)
    assert "| documents | 0 |" in summary.markdown
    assert "Problems per document, by site" not in summary.markdown
    assert summary.html.count("<svg") == 1  # categories always; the rest say "none"


# --- the command line ------------------------------------------------------------------------

def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="auditor")
    add_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(["batch", *argv])


@pytest.mark.parametrize(("size", "value"), [
    ("2G", 2 * 2**30), ("1500M", 1500 * 2**20), ("512MiB", 512 * 2**20), ("1.5G", 3 * 2**29),
    ("0", None), ("4096", 4096)])
def test_max_memory_sizes(size: str, value: int | None) -> None:
    assert parse("x.jsonl", "--out", "o", "--max-memory", size).max_memory == value


def test_defaults() -> None:
    args = parse("a.jsonl", "b", "--out", "o")
    assert (args.inputs, args.jobs, args.timeout, args.max_memory, args.text_column,
            args.id_column, args.url_column, args.resume, args.csv, args.scheduler) == (
        ["a.jsonl", "b"], None, 60.0, 2 * 2**30, "text", "id", "url", False, False, None)


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--jobs", "0", "argument --jobs: '0' is not a whole number of at least 1"),
    ("--timeout", "-1", "argument --timeout: '-1' is not a positive number"),
    ("--max-memory", "lots", "argument --max-memory: 'lots' is not a size such as 2G, 1500M "
                             "or 0"),
])
def test_bad_options_are_usage_errors(option: str, value: str, message: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_code:
        parse("x.jsonl", "--out", "o", option, value)
    assert exit_code.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"auditor batch: error: {message}"


def test_progress_bar_counts_documents_done_of_the_total(
        capsys: pytest.CaptureFixture[str]) -> None:
    bar = _ProgressBar(enabled=True)
    progress = bar.callbacks()
    progress.start(10, 3)  # a resumed batch: 3 done before this run
    progress.advance()
    assert bar._bar is not None
    assert (bar._bar.n, bar._bar.total) == (4, 10)
    bar.close()
    err = capsys.readouterr().err
    assert "4/10" in err and "doc/s" in err
