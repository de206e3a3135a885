"""Invariants for any input (Hypothesis): hostile text and markup never crash the auditor or the
extractor, and every finding points at exactly the text it quotes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.api import Auditor
from auditor.ingest.body import decode_text
from auditor.ingest.html import html_to_document
from auditor.records import Document

pytestmark = pytest.mark.model

# Health sentences mixed with noise, so that findings actually occur in the examples.
CLAIMS = ["Kratom relieves opioid withdrawal without addiction.", "Kratom is not addictive.",
          "Detox your liver with lemon water.", "This is 100% proven to cure cancer.",
          "Vaccines cause autism.", "Kratom contains mitragynine."]
NOISE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
TEXTS = st.lists(st.one_of(st.sampled_from(CLAIMS), NOISE), max_size=6).map(" ".join)
MARKUP = st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<script>", "</script>",
                                   "<!--", "-->", "<b>", "&amp;", "&#xD800;", "\u202e", "\x00",
                                   "<![CDATA[", "<svg onload=x>", "<table><tr><td>"]),
                  max_size=12)
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(text=TEXTS)
def test_findings_quote_exactly_their_span(text: str, auditor: Auditor) -> None:
    report = auditor.audit(Document(text=text, source="<hypothesis>"))
    assert report.text == text
    for finding in report.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start:finding.end] == finding.quote


@SETTINGS
@given(pieces=MARKUP, text=TEXTS)
def test_hostile_html_extracts_or_notes_never_raises(pieces: list[str], text: str) -> None:
    html = "".join(pieces[: len(pieces) // 2]) + text + "".join(pieces[len(pieces) // 2:])
    document = html_to_document(html, "<hypothesis>")
    assert isinstance(document.text, str)
    if html.strip() and not document.text.strip():
        assert document.notes  # never silently empty


@SETTINGS
@given(body=st.binary(max_size=300),
       content_type=st.sampled_from(["text/html", "text/html; charset=utf-8",
                                     "text/plain; charset=latin-1", "text/html; charset=bogus",
                                     "text/html; charset=utf-16", ""]))
def test_any_bytes_decode_to_text(body: bytes, content_type: str) -> None:
    text, charset, _notes = decode_text(body, content_type, html=True)
    assert isinstance(text, str) and charset
    text.encode("utf-8", errors="surrogatepass")  # a str the report can carry
