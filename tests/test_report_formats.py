"""The HTML page, the ClaimReview export and the highlighter they share, on real reports."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditor import Auditor
from auditor.errors import InputError
from auditor.records import Category, Citation, Evidence, Finding, Metadata, Report
from auditor.report import render_claimreview, render_html
from auditor.report.claimreview import MISSING_REVIEWER, RATINGS, Reviewer, load_reviewer
from auditor.report.highlight import Close, Open, Segment, Span, Text, nesting, segments
from auditor.report.html import CSP, safe_href
from tests.conftest import SEED

pytestmark = pytest.mark.model

REVIEWED = ("contradicted", "unsupported", "overstated", "misused_term")
TODAY = date(2024, 5, 1)
REVIEWER = Reviewer("Example Checks", "https://checks.example.org")
SMALL_TEXTS = (
    "Kratom is not addictive. It cures cancer.",
    "Kratom alleviates pain and anxiety without addiction.\n\nIts safety profile is "
    "relatively mild.",
    "Adrenal fatigue is real and kratom is 100% safe.",
)


@pytest.fixture(scope="module")
def seed_report(auditor: Auditor) -> Report:
    return auditor.audit(SEED)


@pytest.fixture(scope="module")
def small_reports(auditor: Auditor) -> list[Report]:
    return list(auditor.audit_many(SMALL_TEXTS))


# --------------------------------------------------------------------------- highlight.py

@pytest.mark.parametrize(("spans", "expected"), [
    ([], [(0, 10, ())]),
    ([(2, 5, "a")], [(0, 2, ()), (2, 5, ("a",)), (5, 10, ())]),
    # nested: the outer span comes first
    ([(3, 4, "in"), (1, 8, "out")],
     [(0, 1, ()), (1, 3, ("out",)), (3, 4, ("out", "in")), (4, 8, ("out",)), (8, 10, ())]),
    # crossing
    ([(0, 4, "a"), (2, 6, "b")], [(0, 2, ("a",)), (2, 4, ("a", "b")), (4, 6, ("b",)),
                                  (6, 10, ())]),
    # identical spans keep input order; adjacent spans do not touch
    ([(0, 3, "x"), (0, 3, "y"), (3, 10, "z")], [(0, 3, ("x", "y")), (3, 10, ("z",))]),
    # an empty span covers nothing
    ([(4, 4, "e")], [(0, 10, ())]),
])
def test_segments_table(spans: list[tuple[int, int, str]],
                        expected: list[tuple[int, int, tuple[str, ...]]]) -> None:
    found = segments("0123456789", [Span(*s) for s in spans])
    assert found == [Segment(*e) for e in expected]


@pytest.mark.parametrize(("spans", "message"), [
    ([(3, 11, "a")], "span 'a' [3:11] is outside the text (length 10)"),
    ([(5, 4, "a")], "span 'a' [5:4] is outside the text (length 10)"),
    ([(0, 1, "a"), (2, 3, "a")], "span key 'a' is used twice; keys must be unique"),
])
def test_segments_rejects_bad_spans(spans: list[tuple[int, int, str]], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        segments("0123456789", [Span(*s) for s in spans])
    assert str(caught.value) == message


def test_nesting_closes_and_reopens_a_crossing_span() -> None:
    spans = [Span(0, 4, "a"), Span(2, 6, "b")]
    steps = nesting(spans, segments("0123456789", spans))
    assert steps == [Open("a", first=True), Text(0, 2),
                     Open("b", first=True), Text(2, 4),
                     Close("b", last=False), Close("a", last=True),
                     Open("b", first=False), Text(4, 6),
                     Close("b", last=True), Text(6, 10)]


def test_nesting_keeps_a_nested_span_inside_its_outer_one() -> None:
    spans = [Span(1, 8, "out"), Span(3, 4, "in")]
    steps = nesting(spans, segments("0123456789", spans))
    assert steps == [Text(0, 1), Open("out", first=True), Text(1, 3),
                     Open("in", first=True), Text(3, 4), Close("in", last=True),
                     Text(4, 8), Close("out", last=True), Text(8, 10)]


# --------------------------------------------------------------------------- HTML helpers

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}


class PageParser(HTMLParser):
    """Checks that every end tag closes the innermost open element, and collects what the
    tests look at: start tags with attributes, ids, and the text of each highlight."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: list[str] = []
        self.open_marks: list[dict[str, str | None]] = []
        self.mark_text: dict[str, str] = {}
        self.mark_class: dict[str, set[str]] = {}
        self.style = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if tag == "mark":
            self.open_marks.append(attributes)
            key = str(attributes["data-finding"])
            self.mark_class.setdefault(key, set()).add(str(attributes["class"]))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "mark":
            self.open_marks.pop()

    def handle_data(self, data: str) -> None:
        for mark in self.open_marks:
            key = str(mark["data-finding"])
            self.mark_text[key] = self.mark_text.get(key, "") + data
        if self.stack and self.stack[-1] == "style":
            self.style += data


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


def article_blocks(page: str) -> list[str]:
    return re.findall(r'<div class="article">(.*?)</div>', page, flags=re.DOTALL)


# --------------------------------------------------------------------------- HTML

def test_every_problem_is_highlighted_with_its_category(seed_report: Report) -> None:
    page = parse(render_html([seed_report]))
    problems = seed_report.problems()
    assert {f.category for f in problems} >= {"contradicted", "unsupported", "misused_term",
                                              "unchecked"}
    for finding in problems:
        assert page.mark_text[finding.id] == finding.quote
        assert page.mark_class[finding.id] == {f"cat-{finding.category}"}
    assert set(page.mark_text) == {f.id for f in problems}


def test_the_article_block_is_the_text_exactly(seed_report: Report,
                                               small_reports: list[Report]) -> None:
    reports = [seed_report, *small_reports]
    blocks = article_blocks(render_html(reports))
    assert [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks] == \
        [report.text for report in reports]


def test_overlapping_findings_nest_validly(seed_report: Report) -> None:
    by_position = sorted(seed_report.problems(), key=lambda f: f.start)
    overlapping = [(a.id, b.id) for i, a in enumerate(by_position)
                   for b in by_position[i + 1:] if b.start < a.end]
    assert len(overlapping) >= 5  # the seed has nested and identical spans
    parse(render_html([seed_report]))  # asserts every end tag closes its innermost element


def test_crossing_findings_come_out_in_pieces_that_read_as_the_quote(
        small_reports: list[Report]) -> None:
    report = small_reports[0]
    text = report.text
    first = replace(report.findings[0], id="aaaa", category="overstated", start=0,
                    end=text.index(" addictive"), quote=text[:text.index(" addictive")])
    second = replace(report.findings[0], id="bbbb", category="contradicted",
                     start=text.index("is not"), end=text.index("."),
                     quote=text[text.index("is not"):text.index(".")])
    crossing = replace(report, findings=(first, second))
    source = render_html([crossing])
    page = parse(source)
    assert page.mark_text == {"aaaa": "Kratom is not", "bbbb": "is not addictive"}
    assert source.count('data-finding="bbbb"') == 2
    assert source.count('id="hl-bbbb"') == 1


def test_highlights_and_list_entries_link_both_ways(seed_report: Report) -> None:
    page = parse(render_html([seed_report]))
    assert len(page.ids) == len(set(page.ids))
    links = [str(a["href"]) for tag, a in page.tags if tag == "a" and a.get("href")]
    internal = {link[1:] for link in links if link.startswith("#")}
    assert internal <= set(page.ids)
    for finding in seed_report.problems():
        assert f"finding-{finding.id}" in internal
        assert f"hl-{finding.id}" in internal


def test_supported_findings_are_listed_apart_not_highlighted(seed_report: Report) -> None:
    source = render_html([seed_report])
    supported = [f for f in seed_report.findings if f.category == "supported"]
    assert supported
    details = re.search(r"<details>(.*?)</details>", source, flags=re.DOTALL)
    assert details is not None
    assert f"Supported claims ({len(supported)})" in details.group(1)
    for finding in supported:
        assert f'id="finding-{finding.id}"' in details.group(1)
        assert f'data-finding="{finding.id}"' not in source


def test_the_page_forbids_scripts_and_remote_content(seed_report: Report) -> None:
    source = render_html([seed_report])
    page = parse(source)
    metas = [a for tag, a in page.tags if tag == "meta"]
    assert {"http-equiv": "Content-Security-Policy", "content": CSP} in metas
    digest = base64.b64encode(hashlib.sha256(page.style.encode()).digest()).decode()
    assert (f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
            "base-uri 'none'; form-action 'none'") == CSP
    assert [tag for tag, _ in page.tags if tag in {"script", "img", "link", "iframe"}] == []
    assert not [a for _, a in page.tags if "style" in a]  # the hash allows only <style>
    assert ("html", {"lang": "en"}) in page.tags
    assert [tag for tag, _ in page.tags].count("h1") == 1


def test_citations_are_links_with_copy_marked(seed_report: Report) -> None:
    source = render_html([seed_report])
    citations = [c for f in seed_report.problems() for e in f.evidence for c in e.citations]
    for citation in citations:
        link = (f'<a href="{html.escape(citation.url)}" rel="noopener noreferrer">'
                f"{html.escape(citation.title)}</a>")
        assert link in source
    copies = {c.title for c in citations if c.seen != "primary"}
    assert copies
    for title in copies:
        assert re.search(re.escape(html.escape(title)) + r"</a>, [^<]*\(copy\)", source)


def hostile_report(report: Report) -> Report:
    """A real report with attacker-controlled text, metadata and citations put in."""
    payload = '<script>alert(1)</script> "><img src=x onerror=alert(1)> '
    text = payload + report.text
    shift = len(payload)
    finding = report.findings[0]
    bad_citation = Citation(publisher='<b onmouseover="x">', title="<script>t</script>",
                            url="javascript:alert(1)", date="2020", seen="copy")
    evidence = Evidence("x", "<script>s</script>", "established",
                        (*finding.evidence[0].citations, bad_citation))
    moved = [replace(f, start=f.start + shift, end=f.end + shift) for f in report.findings]
    attack = replace(finding, id='x" onclick="alert(1)', start=0, end=shift,
                     quote=payload, explanation='"><img src=x onerror=alert(1)>',
                     suggestion="<script>alert(2)</script>", evidence=(evidence,))
    return replace(report, text=text, source="<script>alert(3)</script>",
                   title='"><img src=x onerror=alert(4)>', findings=(attack, *moved),
                   notes=("<script>alert(5)</script>",),
                   metadata=Metadata(url="javascript:alert(6)", author="<i>x</i>",
                                     date="2024", site_name="<s>", retrieved="now"))


def test_hostile_text_is_escaped(small_reports: list[Report]) -> None:
    report = hostile_report(small_reports[0])
    source = render_html([report])
    page = parse(source)
    assert "<script" not in source
    assert "<img" not in source
    assert {tag for tag, _ in page.tags} <= {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "main", "section",
        "h2", "h3", "dl", "dt", "dd", "div", "ul", "ol", "li", "table", "thead", "tbody", "tr",
        "th", "td", "span", "mark", "a", "p", "blockquote", "strong", "br", "q", "details",
        "summary", "nav"}
    assert [(tag, name) for tag, attrs in page.tags for name in attrs
            if name.startswith("on")] == []
    hrefs = [str(a["href"]) for tag, a in page.tags if tag == "a"]
    assert [h for h in hrefs if not h.startswith(("#", "http://", "https://"))] == []
    assert "address not linked: javascript:alert(1)" in source
    assert html.unescape(re.sub(r"<[^>]+>", "", article_blocks(source)[0])) == report.text
    assert page.mark_text['x__onclick__alert_1_'] == report.findings[0].quote


@pytest.mark.parametrize(("url", "safe"), [
    ("https://www.cdc.gov/x", True),
    ("http://example.org", True),
    ("HTTPS://EXAMPLE.ORG/", True),
    ("javascript:alert(1)", False),
    (" javascript:alert(1)", False),
    ("java\nscript:alert(1)", False),
    ("ht\ttp://example.org", False),
    ("data:text/html,<script>", False),
    ("//example.org/x", False),
    ("https:///nohost", False),
    ("", False),
])
def test_safe_href_table(url: str, safe: bool) -> None:
    assert (safe_href(url) == url) is safe


def test_several_reports_get_sections_and_contents(seed_report: Report,
                                                   small_reports: list[Report]) -> None:
    twice = [seed_report, *small_reports, seed_report]
    source = render_html(twice)
    page = parse(source)
    assert len(page.ids) == len(set(page.ids))  # the repeated report gets suffixed anchors
    toc = re.search(r'<nav class="toc".*?</nav>', source, flags=re.DOTALL)
    assert toc is not None
    assert re.findall(r'href="#(report-\d+)"', toc.group(0)) == [
        "report-1", "report-2", "report-3", "report-4", "report-5"]
    assert [a["id"] for tag, a in page.tags if tag == "section"] == [
        "report-1", "report-2", "report-3", "report-4", "report-5"]
    first = seed_report.problems()[0].id
    assert f'id="hl-{first}"' in source and f'id="hl-{first}-2"' in source


def test_one_report_has_no_contents_and_shows_metadata(small_reports: list[Report]) -> None:
    report = replace(small_reports[0], title="Kratom facts",
                     metadata=Metadata(url="https://example.org/kratom", author="Jane Doe",
                                       date="2023-04-01", site_name="Example",
                                       retrieved="2024-05-01T10:00:00Z"))
    source = render_html([report])
    assert "<nav" not in source
    assert "<title>Health claim audit: Kratom facts</title>" in source
    meta = re.search(r'<dl class="meta">(.*?)</dl>', source, flags=re.DOTALL)
    assert meta is not None
    assert re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", meta.group(1)) == [
        ("Source", html.escape(report.source)),
        ("Title", "Kratom facts"),
        ("URL", '<a href="https://example.org/kratom" rel="noopener noreferrer">'
                "https://example.org/kratom</a>"),
        ("Author", "Jane Doe"), ("Published", "2023-04-01"), ("Site", "Example"),
        ("Retrieved", "2024-05-01T10:00:00Z")]


def test_notes_and_an_empty_report(auditor: Auditor) -> None:
    report = auditor.audit("   ")
    source = render_html([report])
    parse(source)
    assert "<li>empty document: there is no text to audit</li>" in source
    assert "<p>No problem findings.</p>" in source


# --------------------------------------------------------------------------- ClaimReview

def hand_built_report() -> Report:
    text = "Kratom is not addictive. Kratom binds opioid receptors. Kratom cures cancer."
    cdc = Citation("CDC", "Kratom deaths", "https://www.cdc.gov/mmwr/x.htm", "2019-04-12")
    bad = Citation("Nobody", "Bad", "javascript:alert(1)", None, seen="copy")
    copy = Citation("FDA", "Statement", "https://copy.example.org/fda", "2018", seen="copy")

    def finding(fid: str, category: str, quote: str, **more: object) -> Finding:
        start = text.index(quote)
        return Finding(id=fid, category=category, severity="error",  # type: ignore[arg-type]
                       start=start, end=start + len(quote), quote=quote,
                       explanation=f"{category} because.", rule="test", confidence=0.9,
                       **more)  # type: ignore[arg-type]

    findings = (
        finding("f1", "contradicted", "is not addictive", suggestion="Say it is.",
                evidence=(Evidence("kratom.addiction", "It is addictive.", "established",
                                   (cdc, bad, cdc)),)),
        finding("f2", "supported", "binds opioid receptors"),
        finding("f3", "unchecked", "Kratom binds"),
        finding("f4", "unsupported", "cures cancer",
                evidence=(Evidence("kratom.treat", "No trials.", "insufficient", (copy,)),)),
    )
    return Report(source="https://example.org/kratom", title="Kratom <facts>", text=text,
                  findings=findings, auditor={"version": "test"},
                  metadata=Metadata(url="https://example.org/kratom", author="Jane Doe",
                                    date="2023-04-01", site_name="Example"))


GOLDEN_APPEARANCE = [{"@type": "CreativeWork", "url": "https://example.org/kratom",
                      "headline": "Kratom <facts>", "datePublished": "2023-04-01",
                      "author": {"@type": "Person", "name": "Jane Doe"}}]
GOLDEN_AUTHOR = {"@type": "Organization", "name": "Example Checks",
                 "url": "https://checks.example.org"}
GOLDEN = [
    {"@context": "https://schema.org", "@type": "ClaimReview", "datePublished": "2024-05-01",
     "claimReviewed": "is not addictive",
     "itemReviewed": {"@type": "Claim", "appearance": GOLDEN_APPEARANCE,
                      "datePublished": "2023-04-01"},
     "author": GOLDEN_AUTHOR,
     "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                      "alternateName": "False"},
     "reviewBody": "contradicted because. Suggestion: Say it is.",
     "citation": ["https://www.cdc.gov/mmwr/x.htm"]},
    {"@context": "https://schema.org", "@type": "ClaimReview", "datePublished": "2024-05-01",
     "claimReviewed": "cures cancer",
     "itemReviewed": {"@type": "Claim", "appearance": GOLDEN_APPEARANCE,
                      "datePublished": "2023-04-01"},
     "author": GOLDEN_AUTHOR,
     "reviewRating": {"@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
                      "alternateName": "Unsupported"},
     "reviewBody": "unsupported because.",
     "citation": ["https://copy.example.org/fda"]},
]


def test_claimreview_golden() -> None:
    output = render_claimreview([hand_built_report()], REVIEWER, today=TODAY)
    assert json.loads(output) == GOLDEN
    assert "<" not in output  # safe to paste inside <script type="application/ld+json">
    assert output.startswith('[\n  {\n    "@context": "https://schema.org",')


def test_claimreview_url_points_at_the_html_entry() -> None:
    output = render_claimreview([hand_built_report()], REVIEWER, today=TODAY,
                                review_url="https://checks.example.org/r/1#top")
    assert [r["url"] for r in json.loads(output)] == [
        "https://checks.example.org/r/1#finding-f1", "https://checks.example.org/r/1#finding-f4"]
    with pytest.raises(InputError) as caught:
        render_claimreview([hand_built_report()], REVIEWER, review_url="ftp://x.org/r")
    assert caught.value.message == ("the ClaimReview page URL 'ftp://x.org/r' is not an http(s) "
                                    "URL; give a web address such as https://example.org")


def test_claimreview_for_the_seed(seed_report: Report) -> None:
    reviews = json.loads(render_claimreview([seed_report], REVIEWER, today=TODAY))
    expected = [f for f in seed_report.findings if f.category in REVIEWED]
    assert len(reviews) == len(expected) == sum(seed_report.summary[c] for c in REVIEWED) > 0
    assert [r["claimReviewed"] for r in reviews] == [f.quote for f in expected]
    assert [r["reviewRating"]["alternateName"] for r in reviews] == [
        RATINGS[f.category][0] for f in expected]
    # file input: nothing to say where the claim appeared
    assert {json.dumps(r["itemReviewed"]) for r in reviews} == {'{"@type": "Claim"}'}


@pytest.mark.parametrize(("category", "name", "value"), [
    ("contradicted", "False", 1),
    ("unsupported", "Unsupported", 2),
    ("misused_term", "Misleading", 2),
    ("overstated", "Exaggerated", 3),
    ("supported", None, None),
    ("unchecked", None, None),
])
def test_rating_table(category: Category, name: str | None, value: int | None) -> None:
    report = hand_built_report()
    one = replace(report, findings=(replace(report.findings[0], category=category),))
    reviews = json.loads(render_claimreview([one], REVIEWER, today=TODAY))
    if name is None:
        assert reviews == []
    else:
        assert [r["reviewRating"] for r in reviews] == [{
            "@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
            "alternateName": name}]


@pytest.mark.parametrize(("metadata", "title", "expected"), [
    (Metadata(), None, {"@type": "Claim"}),
    (Metadata(), "T", {"@type": "Claim",
                       "appearance": [{"@type": "CreativeWork", "headline": "T"}]}),
    (Metadata(url="https://a.org/x"), None,
     {"@type": "Claim", "appearance": [{"@type": "CreativeWork", "url": "https://a.org/x"}]}),
    (Metadata(url="javascript:alert(1)", date="2020-01-02"), None,
     {"@type": "Claim", "appearance": [{"@type": "CreativeWork", "datePublished": "2020-01-02"}],
      "datePublished": "2020-01-02"}),
    (Metadata(url="https://a.org/x", author="Example; Jo Bloggs", site_name="example"), None,
     {"@type": "Claim", "appearance": [{"@type": "CreativeWork", "url": "https://a.org/x",
                                        "author": [{"@type": "Organization", "name": "Example"},
                                                   {"@type": "Person", "name": "Jo Bloggs"}]}]}),
])
def test_item_reviewed_table(metadata: Metadata, title: str | None,
                             expected: dict[str, object]) -> None:
    report = replace(hand_built_report(), metadata=metadata, title=title)
    reviews = json.loads(render_claimreview([report], REVIEWER, today=TODAY))
    assert [r["itemReviewed"] for r in reviews] == [expected, expected]


def test_reviewer_without_url_and_hostile_quote() -> None:
    report = hand_built_report()
    quote = report.findings[0].quote
    hostile = replace(report, findings=(replace(report.findings[0],
                                                quote=quote + "</script><script>x"),))
    output = render_claimreview([hostile], Reviewer("Solo", None), today=TODAY)
    assert "</script>" not in output
    [review] = json.loads(output)
    assert review["author"] == {"@type": "Organization", "name": "Solo"}
    assert review["claimReviewed"] == quote + "</script><script>x"


# --------------------------------------------------------------------------- reviewer config

NAME_ONLY = '[claimreview]\nauthor_name = "File Checks"\n'
BOTH = '[claimreview]\nauthor_name = "File Checks"\nauthor_url = "https://file.example.org"\n'


@pytest.mark.parametrize(("toml", "environ", "expected"), [
    (None, {"AUDITOR_REVIEWER_NAME": "Env Checks"}, Reviewer("Env Checks", None)),
    (None, {"AUDITOR_REVIEWER_NAME": " Env ", "AUDITOR_REVIEWER_URL": "https://env.org"},
     Reviewer("Env", "https://env.org")),
    (NAME_ONLY, {}, Reviewer("File Checks", None)),
    (BOTH, {}, Reviewer("File Checks", "https://file.example.org")),
    (BOTH, {"AUDITOR_REVIEWER_NAME": "Env Checks"},
     Reviewer("Env Checks", "https://file.example.org")),
    (BOTH, {"AUDITOR_REVIEWER_NAME": "Env Checks", "AUDITOR_REVIEWER_URL": "https://env.org"},
     Reviewer("Env Checks", "https://env.org")),
    (BOTH, {"AUDITOR_REVIEWER_NAME": ""}, Reviewer("File Checks", "https://file.example.org")),
    ('[other]\nx = 1\n[claimreview]\nauthor_name = "F"\n', {}, Reviewer("F", None)),
])
def test_load_reviewer_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str | None,
                             environ: dict[str, str], expected: Reviewer) -> None:
    monkeypatch.chdir(tmp_path)  # no ./auditor.toml unless the row writes one
    config = tmp_path / "auditor.toml"
    if toml is not None:
        config.write_text(toml, encoding="utf-8")
    assert load_reviewer(config if toml is not None else None, environ) == expected


def test_load_reviewer_reads_auditor_toml_in_the_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_reviewer(None, {"AUDITOR_REVIEWER_NAME": "E"}) == Reviewer("E", None)
    (tmp_path / "auditor.toml").write_text(BOTH, encoding="utf-8")
    assert load_reviewer(None, {}) == Reviewer("File Checks", "https://file.example.org")
    monkeypatch.setenv("AUDITOR_REVIEWER_NAME", "From os.environ")
    assert load_reviewer() == Reviewer("From os.environ", "https://file.example.org")


@pytest.mark.parametrize(("toml", "environ", "message"), [
    (None, {}, MISSING_REVIEWER),
    ("[claimreview]\nauthor_url = \"https://x.org\"\n", {"AUDITOR_REVIEWER_NAME": " "},
     MISSING_REVIEWER),
    ("[claimreview]\nauthor_name = \n", {},
     "{path}: not valid TOML: Invalid value (at line 2, column 15)"),
    ("[claimreview\nauthor_name = \"x\"\n", {"AUDITOR_REVIEWER_NAME": "E"},
     "{path}: not valid TOML: Expected ']' at the end of a table declaration "
     "(at line 1, column 13)"),
    (BOTH, {"AUDITOR_REVIEWER_URL": "javascript:alert(1)"},
     "the reviewer URL (AUDITOR_REVIEWER_URL) 'javascript:alert(1)' is not an http(s) URL; "
     "give a web address such as https://example.org"),
    ('[claimreview]\nauthor_name = "F"\nauthor_url = "www.f.org"\n', {},
     "the reviewer URL (author_url under [claimreview] in {path}) 'www.f.org' is not an "
     "http(s) URL; give a web address such as https://example.org"),
    ('[claimreview]\nauthor_nam = "F"\n', {},
     "{path}: [claimreview] has unknown key 'author_nam'; valid keys: author_name, author_url"),
    ("[claimreview]\nauthor_name = 3\n", {}, "{path}: [claimreview] author_name must be a "
                                             "string, got 3"),
    ('claimreview = "x"\n', {}, "{path}: [claimreview] must be a table with keys "
                                "author_name, author_url"),
])
def test_load_reviewer_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              toml: str | None, environ: dict[str, str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "auditor.toml"
    if toml is not None:
        config.write_text(toml, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_reviewer(config if toml is not None else None, environ)
    assert caught.value.message == message.format(path=config)
    assert "\n" not in str(caught.value)


def test_load_reviewer_names_a_missing_config(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(InputError) as caught:
        load_reviewer(missing, {"AUDITOR_REVIEWER_NAME": "E"})
    assert caught.value.message == (f"{missing}: config file not found; give an existing "
                                    "auditor.toml")
