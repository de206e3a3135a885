"""`auditor check URL`: main text and metadata of real pages from a local server, evidence
archives, ClaimReview and HTML output, and one-line errors that never stop other sources."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.cli import main
from tests.fetchservers import LocalServer, page_route, redirect_route, serve

pytestmark = pytest.mark.model
ARTICLE = (Path(__file__).parent / "fixtures" / "web" / "kratom_article.html").read_bytes()
BOILERPLATE = ("Accept all cookies", "SPONSORED", "Related stories", "cured my cancer",
               "Copyright 2025", "Subscribe")


def deep_page(depth: int) -> bytes:
    hidden = "<p>Kratom is completely safe and not addictive at all.</p>"
    return (f"<html><body><article><p>{'Kratom is a tree from Southeast Asia. ' * 5}</p>"
            f"{'<div>' * depth}{hidden}{'</div>' * depth}</article></body></html>").encode()


@pytest.fixture(scope="module")
def site() -> Iterator[LocalServer]:
    routes = {
        "/article": page_route(ARTICLE),
        "/gzipped": page_route(gzip.compress(ARTICLE, mtime=0),
                               headers={"Content-Encoding": "gzip"}),
        "/to": redirect_route,
        "/plain": page_route(b"Kratom is not addictive.\n", "text/plain; charset=utf-8"),
        "/report.pdf": page_route(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "text/html"),
        "/deep": page_route(deep_page(2100)),
    }
    with serve(routes) as server:
        yield server


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_page_is_audited_on_its_main_text_with_metadata(
        site: LocalServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = site.url("/article")
    code, out, err = run(capsys, "check", url, "--allow-private", "--format", "json")
    report = json.loads(out)
    assert (code, err) == (0, "")  # the sellers' claims are reported speech: warnings
    assert report["source"] == url
    assert report["title"] == "Kratom for Withdrawal: What Sellers Promise"
    assert report["metadata"]["url"] == url
    assert {k: report["metadata"][k] for k in ("author", "date", "site_name")} == {
        "author": "Sam Writer", "date": "2025-03-14", "site_name": "Wellness Daily"}
    assert report["metadata"]["retrieved"].startswith("20")
    assert "kratom relieves opioid withdrawal without addiction" in report["text"]
    assert not [words for words in BOILERPLATE if words in report["text"]]
    facts = {e["fact_id"] for f in report["findings"] for e in f["evidence"]}
    assert "kratom.addiction" in facts
    # Real terminology in the article is not flagged.
    assert not [f for f in report["findings"] if f["category"] == "misused_term"]


def test_plain_text_pages_are_audited_as_text(site: LocalServer,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", site.url("/plain"), "--allow-private", "--format",
                       "json")
    report = json.loads(out)
    assert code == 1 and report["text"] == "Kratom is not addictive.\n"


def test_text_lost_to_deep_nesting_is_reported(site: LocalServer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", site.url("/deep"), "--allow-private", "--format", "json")
    [note] = json.loads(out)["notes"]
    assert note.startswith("the HTML parser could read only ")
    assert note.endswith("the rest was not audited")


def test_archive_keeps_the_exchange_as_warc_with_hashes(
        site: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from warcio.archiveiterator import ArchiveIterator

    target = site.url("/gzipped")
    url = site.url(f"/to?status=301&location={target}")
    code, out, err = run(capsys, "check", url, "--allow-private", "--archive", str(tmp_path),
                         "--format", "json")
    assert code == 0 and err == ""
    [folder] = tmp_path.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == [
        "manifest.json", "page.warc.gz", "report.json", "text.txt"]
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert manifest["fetch"]["final_url"] == target
    assert [hop["status"] for hop in manifest["fetch"]["hops"]] == [301, 200]
    assert json.loads((folder / "report.json").read_text()) == json.loads(out)
    assert (folder / "text.txt").read_text() == json.loads(out)["text"]

    with (folder / "page.warc.gz").open("rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                    r.rec_headers.get_header("WARC-IP-Address"),
                    r.http_headers.get_statuscode() if r.rec_type == "response" else None,
                    r.raw_stream.read() if r.rec_type == "response" else None)
                   for r in ArchiveIterator(stream)]
    assert [(kind, uri, status) for kind, uri, _, status, _ in records] == [
        ("warcinfo", None, None), ("request", url, None), ("response", url, "301"),
        ("request", target, None), ("response", target, "200")]
    assert records[-1][2] == "127.0.0.1"
    assert records[-1][4] == gzip.compress(ARTICLE, mtime=0)  # the body as it crossed the wire


def test_claimreview_and_html_outputs_for_a_page(
        site: LocalServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = site.url("/article")
    monkeypatch.setenv("AUDITOR_REVIEWER_NAME", "Example Fact Checks")
    _, out, _ = run(capsys, "check", url, "--allow-private", "--format", "claimreview")
    reviews = json.loads(out)
    assert reviews and all(r["@type"] == "ClaimReview" for r in reviews)
    [appearance] = reviews[0]["itemReviewed"]["appearance"]
    assert appearance["url"] == url and appearance["datePublished"] == "2025-03-14"
    assert reviews[0]["author"] == {"@type": "Organization", "name": "Example Fact Checks"}
    assert {r["reviewRating"]["alternateName"] for r in reviews} >= {"False"}

    _, page, _ = run(capsys, "check", url, "--allow-private", "--format", "html")
    assert page.startswith("<!DOCTYPE html>") and 'class="cat-contradicted"' in page
    assert "Sam Writer" in page and not [w for w in BOILERPLATE if w in page]


@pytest.mark.parametrize(("path", "options", "reason"), [
    ("/nothing", ["--allow-private"], "the server answered HTTP 404 Not Found"),
    ("/report.pdf", ["--allow-private"],
     "is a PDF document, not a web page (the server labelled it text/html); download it and "
     "audit its text"),
    ("/article", ["--allow-private", "--max-size", "0.001"],
     f"the server announces {len(ARTICLE)} bytes; the auditor reads at most 1048 bytes of a "
     "page"),
    ("/article", [], "port {port} is not a web port; the auditor fetches from ports 80, 443, "
                     "8000, 8080, 8443"),
])
def test_failures_are_one_line_and_other_sources_still_run(
        site: LocalServer, path: str, options: list[str], reason: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Kratom is not addictive.\n")
    url = site.url(path)
    code, out, err = run(capsys, "check", url, str(draft), *options, "--format", "jsonl")
    assert code == 2
    assert err == f"auditor: error: {url}: {reason.format(port=site.port)}\n"
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["source"] for line in lines] == [url, str(draft)]
    assert "error" in lines[0] and lines[1]["summary"]["contradicted"] == 1


@pytest.mark.parametrize(("url", "reason"), [
    ("http://localhost/", "localhost resolves to 127.0.0.1, a loopback address; refused before "
                          "connecting (use --allow-private for intranet pages)"),
    ("http://169.254.169.254/latest/meta-data/",
     "169.254.169.254 is a link-local address (this is where cloud metadata services live); "
     "refused before connecting"),
    ("file:///etc/passwd", "file: is not fetched; only http and https URLs are"),
])
def test_refused_urls_are_exit_2_with_the_reason(url: str, reason: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", url)
    assert (code, out) == (2, "")
    assert err == f"auditor: error: {url}: {reason}\n"
