"""The fetcher against real local servers that misbehave (issue 6, items 2 and 6).

Every server is a real listener on 127.0.0.1 (tests/fetchservers.py); the policy allows
private addresses and any port, as ``--allow-private`` does for intranet use. Hostile-input
fixtures follow ../shared/research/reliability.md §2.4: bombs, stacked and unknown encodings,
binary bodies labelled HTML, wrong charsets, a slow drip, a server that never answers.
"""

from __future__ import annotations

import ssl
import zlib
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
import trustme

from auditor.ingest.body import CappedDecoder, TooLarge
from auditor.ingest.fetch import BlockedDestination, FetchError, FetchPolicy, fetch
from tests.fetchservers import Handler, LocalServer, Route, page_route, serve

MIB = 2**20
POLICY = FetchPolicy(allow_private=True, ports=None, timeout=5, max_bytes=MIB)

ARTICLE_TEXT = ("A new review of 24 randomised trials found that vitamin C supplements do not "
                "prevent colds in the general population, although they may shorten them "
                "slightly.")
ARTICLE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vitamin C and colds: what trials show</title>
<meta name="author" content="Dana Reyes"><meta property="og:site_name" content="Health Desk">
</head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/subscribe">Subscribe</a></nav>
<div class="ad">Buy MegaImmune 5000 today! 50% off!</div>
<article><h1>Vitamin C and colds: what trials show</h1>
<p class="byline">By Dana Reyes, 3 March 2024</p>
<p>{ARTICLE_TEXT}</p>
<p>Researchers said people should not expect supplements to ward off infections.</p>
</article>
<section class="comments"><h2>Comments</h2><p>Great article!!! Check my site.</p></section>
<footer>&copy; 2024 Health Desk. All rights reserved.</footer>
</body></html>""".encode()

SMART = ("<html><head><title>Caf\u00e9 cr\u00e8me</title></head><body><p>\u201cVitamin C\u201d "
         "in caf\u00e9 cr\u00e8me \u2014 the \u2018cure\u2019 is a myth.</p></body></html>")


@cache
def gzip_bomb() -> bytes:
    """50 MiB of zeros, gzipped to about 50 KiB (built in 1 MiB steps, never held whole)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MIB)
    return b"".join(packer.compress(zeros) for _ in range(50)) + packer.flush()


def gzipped(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def drip(handler: Handler) -> None:
    """Headers, then one byte every half second for as long as anyone listens."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    while not handler.client_gone(0.5):
        handler.wfile.write(b"x")
        handler.wfile.flush()


def silent(handler: Handler) -> None:
    """Reads the request and never answers."""
    while not handler.client_gone(0.2):
        pass


def announced_huge(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", str(2 * 2**30))
    handler.end_headers()
    handler.wfile.write(b"<html>" + b" " * 1024)
    handler.wfile.flush()
    while not handler.client_gone(0.2):
        pass


def endless(handler: Handler) -> None:
    """A chunked body that never ends."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"<p>" + b"a" * 65530 + b"</p>"
    try:
        while not handler.server.stopping.is_set():
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    except OSError:  # the client hung up at its cap
        handler.close_connection = True


def status(code: int, reason: str) -> Route:
    def route(handler: Handler) -> None:
        handler.send_body(code, b"<html><body>error page</body></html>", reason=reason)
    return route


def moved(handler: Handler) -> None:
    handler.send_body(301, b"", "text/plain", {"Location": "/article"})


ROUTES = {
    "/article": page_route(ARTICLE),
    "/moved": moved,
    "/broken": status(500, "Internal Server Error"),
    "/drip": drip,
    "/silent": silent,
    "/announced-huge": announced_huge,
    "/endless": endless,
    "/bomb": page_route(gzip_bomb(), headers={"Content-Encoding": "gzip"}),
    "/gzip": page_route(gzipped(ARTICLE), headers={"Content-Encoding": "gzip"}),
    "/deflate-raw": page_route(zlib.compress(ARTICLE)[2:-4],
                               headers={"Content-Encoding": "deflate"}),
    "/stacked": page_route(gzipped(gzipped(ARTICLE)), headers={"Content-Encoding": "gzip, gzip"}),
    "/br": page_route(b"\x1b\x03\x00\xf8\xa5\x40\x22", headers={"Content-Encoding": "br"}),
    "/corrupt-gzip": page_route(b"\x1f\x8b\x08\x00" + b"\xff" * 200,
                                headers={"Content-Encoding": "gzip"}),
    "/pdf": page_route(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"),
    "/png": page_route(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)),
    "/empty": page_route(b""),
    "/json": page_route(b'{"claim": "vitamin C cures colds"}', "application/json"),
    "/plain": page_route(ARTICLE_TEXT.encode(), "text/plain; charset=utf-8"),
    "/unlabelled": page_route(ARTICLE, ""),
    "/wrong-charset": page_route(SMART.encode("cp1252"), "text/html; charset=utf-8"),
    "/meta-charset": page_route(SMART.replace("<head>", '<head><meta charset="windows-1252">')
                                .encode("cp1252"), "text/html"),
    "/utf16": page_route("\ufeff".encode("utf-16-le") + SMART.encode("utf-16-le"), "text/html"),
}


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with serve(ROUTES, "127.0.0.1") as local:
        yield local


def fetch_error(url: str, policy: FetchPolicy = POLICY) -> str:
    """The one-line message of the FetchError fetching ``url`` raises."""
    with pytest.raises(FetchError) as call:
        fetch(url, policy)
    assert not isinstance(call.value, BlockedDestination)
    message = call.value.message
    assert "\n" not in message and message.startswith(f"{url}: ")
    return message.removeprefix(f"{url}: ")


# --- pages that work ---------------------------------------------------------------------------


def test_an_article_with_boilerplate_is_fetched_whole(server: LocalServer) -> None:
    page = fetch(server.url("/article"), POLICY)
    assert page.media_type == "text/html" and page.is_html
    assert page.charset == "utf-8" and page.notes == ()
    assert ARTICLE_TEXT in page.text and "<nav>" in page.text  # extraction comes later
    assert page.url == page.final_url == server.url("/article")
    [exchange] = page.exchanges
    assert (exchange.status, exchange.peer, exchange.body) == (200, "127.0.0.1", ARTICLE)
    assert server.seen[-1].host_header == f"127.0.0.1:{server.port}"


def test_a_redirect_keeps_the_final_url_and_every_hop(server: LocalServer) -> None:
    page = fetch(server.url("/moved"), POLICY)
    assert page.url == server.url("/moved")
    assert page.final_url == server.url("/article")
    assert [(e.url, e.status, e.peer) for e in page.exchanges] == [
        (server.url("/moved"), 301, "127.0.0.1"), (server.url("/article"), 200, "127.0.0.1")]
    assert ARTICLE_TEXT in page.text


@pytest.mark.parametrize("path", ["/gzip", "/deflate-raw"])
def test_one_content_encoding_is_inflated(path: str, server: LocalServer) -> None:
    page = fetch(server.url(path), POLICY)
    assert page.text == ARTICLE.decode()
    assert page.exchanges[-1].body != ARTICLE  # the archive keeps the bytes as received


def test_plain_text_is_accepted(server: LocalServer) -> None:
    page = fetch(server.url("/plain"), POLICY)
    assert (page.media_type, page.text, page.is_html) == ("text/plain", ARTICLE_TEXT, False)


def test_an_unlabelled_html_page_is_sniffed(server: LocalServer) -> None:
    assert fetch(server.url("/unlabelled"), POLICY).media_type == "text/html"


# --- charsets ----------------------------------------------------------------------------------


def test_a_wrong_charset_is_detected_and_noted(server: LocalServer) -> None:
    page = fetch(server.url("/wrong-charset"), POLICY)
    assert page.text == SMART
    assert page.charset == "cp1252"
    assert page.notes == ("the page declares charset 'utf-8', but its bytes are not utf-8",
                          "decoded as cp1252 (detected)")


def test_a_meta_charset_is_used_when_the_header_has_none(server: LocalServer) -> None:
    page = fetch(server.url("/meta-charset"), POLICY)
    assert "caf\u00e9 cr\u00e8me \u2014 the \u2018cure\u2019" in page.text
    assert (page.charset, page.notes) == ("windows-1252", ())


def test_utf16_with_a_byte_order_mark(server: LocalServer) -> None:
    page = fetch(server.url("/utf16"), POLICY)
    assert (page.text, page.charset, page.media_type) == (SMART, "utf-16", "text/html")


# --- statuses and types that are refused -------------------------------------------------------


@pytest.mark.parametrize(("path", "reason"), [
    ("/missing", "the server answered HTTP 404 Not Found"),
    ("/broken", "the server answered HTTP 500 Internal Server Error"),
    ("/pdf", "is a PDF document, not a web page (the server labelled it text/html); download "
             "it and audit its text"),
    ("/png", "is a PNG image, not a web page (the server labelled it text/html); download it "
             "and audit its text"),
    ("/json", "serves application/json, not HTML or plain text; the auditor reads web pages"),
    ("/empty", "the server sent an empty page; there is nothing to audit"),
])
def test_refused_answers_have_one_line_messages(path: str, reason: str,
                                                server: LocalServer) -> None:
    assert fetch_error(server.url(path)) == reason


# --- time: one total deadline ------------------------------------------------------------------


@pytest.mark.parametrize(("path", "timeout"), [("/drip", 2.0), ("/silent", 1.0)])
def test_the_total_deadline_ends_a_slow_server(path: str, timeout: float,
                                               server: LocalServer) -> None:
    """A byte every half second never trips a per-read timeout; the total deadline does."""
    reason = fetch_error(server.url(path), replace(POLICY, timeout=timeout))
    assert reason == (f"no complete answer within {timeout:g} s (the total deadline); try "
                      "again later or raise --timeout")


# --- size: the cap holds for announced, streamed and inflated bodies ---------------------------


@pytest.mark.parametrize(("path", "reason"), [
    ("/announced-huge", "the server announces 2048 MiB; the auditor reads at most 1 MiB of a "
                        "page"),
    ("/endless", "the page is larger than the limit; the auditor reads at most 1 MiB of a page"),
    ("/bomb", "the page decompresses to more than 1 MiB; the auditor reads at most 1 MiB of a "
              "page"),
])
def test_bodies_past_the_cap_are_refused(path: str, reason: str, server: LocalServer) -> None:
    assert fetch_error(server.url(path)) == reason


@pytest.mark.parametrize(("path", "reason"), [
    ("/stacked", "the server stacked content encodings (gzip, gzip); the auditor accepts at "
                 "most one"),
    ("/br", "the server used content encoding 'br', which the auditor did not ask for"),
    ("/corrupt-gzip", "the gzip body is corrupt (Error -3 while decompressing data: invalid "
                      "block type)"),
])
def test_encodings_the_auditor_cannot_cap_are_refused(path: str, reason: str,
                                                      server: LocalServer) -> None:
    assert fetch_error(server.url(path)) == reason


def test_the_request_asks_only_for_encodings_it_can_cap(server: LocalServer) -> None:
    page = fetch(server.url("/article"), POLICY)
    assert dict(page.exchanges[0].request_headers)[b"Accept-Encoding"] == b"gzip, deflate"


def feed_in_chunks(decoder: CappedDecoder, data: bytes, chunk: int = 64 * 1024) -> None:
    for start in range(0, len(data), chunk):
        decoder.feed(data[start:start + chunk])
    decoder.flush()


def deflate_bomb(wbits: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return b"".join(packer.compress(bytes(MIB)) for _ in range(50)) + packer.flush()


@pytest.mark.parametrize(("coding", "bomb"), [
    ("gzip", gzip_bomb), ("deflate", lambda: deflate_bomb(zlib.MAX_WBITS)),
    ("deflate", lambda: deflate_bomb(-zlib.MAX_WBITS)),
], ids=["gzip", "deflate-zlib", "deflate-raw"])
def test_a_bomb_stops_within_one_step_of_the_cap(coding: str, bomb: object) -> None:
    """Scrapy's bomb test, tighter: memory stays at the cap plus one 64 KiB inflate step."""
    assert callable(bomb)
    decoder = CappedDecoder(coding, MIB)
    with pytest.raises(TooLarge, match=r"^the page decompresses to more than 1 MiB$"):
        feed_in_chunks(decoder, bomb())
    assert MIB < decoder.size <= MIB + 64 * 1024


def test_a_small_cap_is_named_in_bytes() -> None:
    decoder = CappedDecoder("gzip", 1000)
    with pytest.raises(TooLarge, match=r"^the page decompresses to more than 1000 bytes$"):
        feed_in_chunks(decoder, gzip_bomb())


# --- TLS: verified against the name, reported, never retried without verification -------------


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[LocalServer, Path, list[str | None]]]:
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(context)
    names: list[str | None] = []
    context.sni_callback = lambda _socket, name, _context: names.append(name)
    bundle = tmp_path_factory.mktemp("tls") / "test-ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    with serve({"/article": page_route(ARTICLE)}, "127.0.0.1", tls=context) as local:
        yield local, bundle, names


def test_an_unknown_authority_fails_once_and_is_never_retried(
        tls_server: tuple[LocalServer, Path, list[str | None]]) -> None:
    server, _, _ = tls_server
    accepted = server.accepted
    url = server.url("/article", scheme="https", host="localhost")
    assert fetch_error(url) == (
        "TLS certificate verification failed (unable to get local issuer certificate); the "
        "page was not fetched, and the auditor never retries without verification")
    assert server.accepted == accepted + 1  # one handshake attempt, no retry


def test_the_test_authority_verifies_the_name_while_the_guard_dials_the_address(
        tls_server: tuple[LocalServer, Path, list[str | None]]) -> None:
    server, bundle, names = tls_server
    policy = replace(POLICY, ca_bundle=str(bundle))
    page = fetch(server.url("/article", scheme="https", host="localhost"), policy)
    assert ARTICLE_TEXT in page.text
    assert page.exchanges[0].peer == "127.0.0.1"
    assert names[-1] == "localhost"  # SNI carried the name, not the address


def test_a_certificate_for_another_name_is_refused(
        tls_server: tuple[LocalServer, Path, list[str | None]]) -> None:
    server, bundle, _ = tls_server
    url = server.url("/article", scheme="https")  # https://127.0.0.1: not on the certificate
    assert fetch_error(url, replace(POLICY, ca_bundle=str(bundle))) == (
        "TLS certificate verification failed (IP address mismatch, certificate is not valid "
        "for '127.0.0.1'.); the page was not fetched, and the auditor never retries without "
        "verification")
