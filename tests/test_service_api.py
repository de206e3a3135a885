"""``auditor serve``: the JSON API, its limits and headers, against real uvicorn servers.

Every test talks HTTP over a real socket to the real app (uvicorn in a thread, the session's
real Auditor); URL audits fetch from a real local HTTP server. Starlette's TestClient is not
used: it reads a request body whole before the app sees it, so it cannot show what the body
limit does with a chunked upload.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route

from auditor import Auditor
from auditor.ingest.fetch import FetchError, FetchPolicy, fetch
from auditor.paths import corpora_dir
from auditor.report.claimreview import MISSING_REVIEWER
from auditor.service import ServiceSettings, create_app
from auditor.service.limits import PAGE_CSP, BodyLimit
from auditor.service.server import background_server
from auditor.service_cli import add_commands, settings_from
from tests.fetchservers import LocalServer, page_route, serve

pytestmark = pytest.mark.model

SEED = corpora_dir("examples", "kratom_seed.txt")
TOKEN = "s3cret-token-0123456789abcdef"
CLAIMS = "Kratom is not addictive. Kratom cures opioid withdrawal and is 100% safe."
EXACT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
             "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
             "object-src 'none'")
TOO_LARGE = ("the request body is larger than 2 MiB; send a shorter text, or audit long "
             "documents with 'auditor batch'")
ARTICLE_PAGE = b"""<!doctype html><html><head><title>Kratom and withdrawal</title>
<meta name="author" content="Ann Writer"></head><body><nav>Home | Shop</nav>
<article><h1>Kratom and withdrawal</h1>
<p>Kratom is a natural herb that many people try during opioid withdrawal.</p>
<p>Sellers claim that kratom is not addictive and that it is completely safe for everyone.</p>
<p>Regulators have warned that kratom can cause addiction and dependence.</p>
</article><footer>Copyright</footer></body></html>"""



@pytest.fixture(scope="module")
def api(auditor: Auditor) -> Iterator[httpx.Client]:
    """The app with default settings (no token, public URLs only)."""
    with background_server(create_app(ServiceSettings(), auditor)) as base, \
            httpx.Client(base_url=base, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def secured(auditor: Auditor) -> Iterator[tuple[httpx.Client, Any]]:
    """The app with an API token, and the app itself (for its route table)."""
    app = create_app(ServiceSettings(token=TOKEN), auditor)
    with background_server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client, app


@pytest.fixture(scope="module")
def article_site() -> Iterator[LocalServer]:
    with serve({"/article": page_route(ARTICLE_PAGE)}, "127.0.0.1") as server:
        yield server


# --- auditing text, HTML and the seed article ---------------------------------------------------


def test_audit_text_returns_the_json_report(api: httpx.Client) -> None:
    response = api.post("/v1/audit", json={"text": CLAIMS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    report = response.json()
    assert set(report) == {"source", "title", "text", "findings", "summary", "notes",
                           "metadata", "auditor"}
    assert report["text"] == CLAIMS
    assert report["source"] == "<text>"
    assert report["summary"]["contradicted"] >= 1
    for finding in report["findings"]:
        assert CLAIMS[finding["start"]:finding["end"]] == finding["quote"]
    starts = [f["start"] for f in report["findings"]]
    assert starts == sorted(starts)


def test_the_report_is_the_one_the_library_gives(api: httpx.Client, auditor: Auditor) -> None:
    from auditor.records import Document

    expected = auditor.audit(Document(text=CLAIMS, source="<text>")).to_dict()
    # through JSON: the records hold tuples where JSON has arrays
    assert api.post("/v1/audit", json={"text": CLAIMS}).json() == json.loads(json.dumps(expected))


def test_audit_html_audits_the_main_text(api: httpx.Client) -> None:
    response = api.post("/v1/audit", json={"html": ARTICLE_PAGE.decode()})
    assert response.status_code == 200
    report = response.json()
    assert report["title"] == "Kratom and withdrawal"
    assert "Sellers claim that kratom is not addictive" in report["text"]
    assert "Home | Shop" not in report["text"]
    assert report["metadata"]["author"] == "Ann Writer"


def test_a_title_given_with_the_text_is_the_report_title(api: httpx.Client) -> None:
    report = api.post("/v1/audit", json={"text": CLAIMS, "title": "Draft 3"}).json()
    assert report["title"] == "Draft 3"


def test_the_seed_article_has_contradicted_findings_with_citations(api: httpx.Client) -> None:
    report = api.post("/v1/audit", json={"text": SEED.read_text(encoding="utf-8")}).json()
    contradicted = [f for f in report["findings"] if f["category"] == "contradicted"]
    assert report["summary"]["contradicted"] == len(contradicted) >= 3
    assert "alleviates pain and anxiety without addiction" in [f["quote"] for f in contradicted]
    facts = {e["fact_id"] for f in contradicted for e in f["evidence"]}
    assert "kratom.addiction" in facts
    urls = [c["url"] for f in contradicted for e in f["evidence"] for c in e["citations"]]
    assert urls and all(url.startswith(("https://", "http://")) for url in urls)


def test_learned_stance_option_switches_the_stance_model_on(api: httpx.Client) -> None:
    plain = api.post("/v1/audit", json={"text": CLAIMS}).json()
    stance = api.post("/v1/audit", json={"text": CLAIMS,
                                         "options": {"learned_stance": True}}).json()
    assert plain["auditor"]["models"]["learned_stance"] == "off"
    assert stance["auditor"]["models"]["learned_stance"] == "on"


# --- invalid requests: 422 with one clear line --------------------------------------------------


@pytest.mark.parametrize(("body", "message"), [
    ({}, "invalid request: give exactly one of text, html or url (got none)"),
    ({"text": "a", "html": "<p>b</p>"},
     "invalid request: give exactly one of text, html or url (got text, html)"),
    ({"text": "a", "url": "https://example.org"},
     "invalid request: give exactly one of text, html or url (got text, url)"),
    ({"text": 3}, "invalid request: text: Input should be a valid string"),
    ({"text": "a", "colour": "red"}, "invalid request: colour: Extra inputs are not permitted"),
    ({"text": "a", "options": {"learned_stance": "maybe"}},
     "invalid request: options.learned_stance: Input should be a valid boolean, unable to "
     "interpret input"),
    ({"text": "a", "options": {"fast": True}},
     "invalid request: options.fast: Extra inputs are not permitted"),
    ({"url": "https://example.org/" + "a" * 2048},
     "invalid request: url: String should have at most 2048 characters"),
], ids=["empty", "text+html", "text+url", "not-a-string", "unknown-key", "bad-option",
        "unknown-option", "long-url"])
def test_invalid_bodies_are_422_with_a_clear_message(api: httpx.Client, body: dict[str, Any],
                                                     message: str) -> None:
    response = api.post("/v1/audit", json=body)
    assert response.status_code == 422
    assert response.json() == {"error": message, "code": "invalid_request"}


@pytest.mark.parametrize(("content", "status", "message"), [
    (b"{not json", 422, "invalid request: the body is not valid JSON"),
    (b"[1, 2]", 422, "invalid request: Input should be a valid dictionary or object to "
                     "extract fields from"),
    (b"[" * 200_000, 400, "There was an error parsing the body"),  # nested too deep: no 500
], ids=["not-json", "a-list", "deep-nesting"])
def test_bodies_that_are_not_a_json_object(api: httpx.Client, content: bytes, status: int,
                                           message: str) -> None:
    response = api.post("/v1/audit", content=content,
                        headers={"content-type": "application/json"})
    assert response.status_code == status
    assert response.json()["error"] == message


# --- URL input through the safe fetcher -----------------------------------------------------------


def test_url_audit_with_allow_private_reads_the_local_page(auditor: Auditor,
                                                           article_site: LocalServer) -> None:
    app = create_app(ServiceSettings(allow_private=True), auditor)
    url = article_site.url("/article")
    with background_server(app) as base:
        response = httpx.post(f"{base}/v1/audit", json={"url": url}, timeout=60)
    assert response.status_code == 200
    report = response.json()
    assert report["source"] == url
    assert report["metadata"]["url"] == url
    assert report["title"] == "Kratom and withdrawal"
    assert "Regulators have warned that kratom can cause addiction" in report["text"]
    assert report["metadata"]["retrieved"]


def test_url_audit_with_the_default_policy_is_refused_with_the_fetchers_message(
        api: httpx.Client, article_site: LocalServer) -> None:
    url = article_site.url("/article")
    seen = len(article_site.seen)
    with pytest.raises(FetchError) as refusal:
        fetch(url, FetchPolicy())
    response = api.post("/v1/audit", json={"url": url})
    assert response.status_code == 422
    assert response.json() == {"error": refusal.value.message, "code": "input"}
    assert len(article_site.seen) == seen  # refused before any request reached the site


@pytest.mark.parametrize(("url", "message"), [
    ("http://127.0.0.1:8000/article", "http://127.0.0.1:8000/article: 127.0.0.1 is a loopback "
     "address; refused before connecting (use --allow-private for intranet pages)"),
    ("http://169.254.169.254/latest/meta-data/", "http://169.254.169.254/latest/meta-data/: "
     "169.254.169.254 is a link-local address (this is where cloud metadata services live); "
     "refused before connecting"),
    ("file:///etc/passwd", "file:///etc/passwd: file: is not fetched; only http and https URLs "
     "are"),
], ids=["loopback", "metadata", "file"])
def test_url_refusals_carry_the_one_line_reason(api: httpx.Client, url: str,
                                                message: str) -> None:
    response = api.post("/v1/audit", json={"url": url})
    assert response.status_code == 422
    assert response.json()["error"].startswith(message)
    assert "\n" not in response.json()["error"]


# --- facts ----------------------------------------------------------------------------------------


def test_a_fact_by_id(api: httpx.Client, auditor: Auditor) -> None:
    response = api.get("/v1/facts/kratom.addiction")
    assert response.status_code == 200
    fact = response.json()
    expected = auditor.factbase.facts["kratom.addiction"]
    assert fact["id"] == "kratom.addiction"
    assert fact["statement"] == expected.statement
    assert fact["verdict"] == expected.verdict
    assert [c["url"] for c in fact["citations"]] == [c.url for c in expected.citations]
    assert "path" not in fact
    assert fact["topic_title"] == auditor.factbase.topics[expected.topic]


def test_an_unknown_fact_is_404_with_a_json_error(api: httpx.Client, auditor: Auditor) -> None:
    response = api.get("/v1/facts/kratom.nothing")
    assert response.status_code == 404
    assert response.json() == {
        "error": f"no fact 'kratom.nothing' in the fact base (version "
                 f"{auditor.factbase.version}); fact ids look like 'kratom.addiction'",
        "code": "not_found"}


def test_unknown_routes_and_methods_answer_json(api: httpx.Client) -> None:
    missing = api.get("/v2/audit")
    assert (missing.status_code, missing.json()) == (
        404, {"error": "Not Found", "code": "not_found"})
    wrong = api.get("/v1/audit")
    assert (wrong.status_code, wrong.json()["error"]) == (405, "Method Not Allowed")


# --- ClaimReview export ---------------------------------------------------------------------------


def test_claimreview_without_a_reviewer_says_so(api: httpx.Client,
                                                monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.delenv("AUDITOR_REVIEWER_NAME", raising=False)
    monkeypatch.chdir(tmp_path)  # no ./auditor.toml
    report = api.post("/v1/audit", json={"text": CLAIMS}).json()
    response = api.post("/v1/claimreview", json={"report": report})
    assert response.status_code == 409
    assert response.json() == {"error": MISSING_REVIEWER, "code": "no_reviewer"}


def test_claimreview_leaves_out_dismissed_findings(api: httpx.Client,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_REVIEWER_NAME", "Example Fact Check")
    report = api.post("/v1/audit", json={"text": SEED.read_text(encoding="utf-8")}).json()
    reviewed = [f for f in report["findings"]
                if f["category"] in ("contradicted", "unsupported", "misused_term", "overstated")]
    dismissed = [reviewed[0]["id"], reviewed[1]["id"]]
    response = api.post("/v1/claimreview", json={"report": report, "dismissed": dismissed})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    reviews = response.json()
    assert [r["claimReviewed"] for r in reviews] == [f["quote"] for f in reviewed[2:]]
    assert {r["author"]["name"] for r in reviews} == {"Example Fact Check"}


# --- body limit -----------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_413(api: httpx.Client) -> None:
    body = json.dumps({"text": "x" * (2 * 2**20)}).encode()
    response = api.post("/v1/audit", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"error": TOO_LARGE, "code": "body_too_large"}
    assert response.headers["content-security-policy"] == EXACT_CSP
    assert api.get("/healthz").status_code == 200  # the server carries on


def test_a_chunked_body_without_length_over_the_limit_is_413(api: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(40):  # 40 x 64 KiB = 2.5 MiB
            yield b"x" * 65536
        yield b'"}'

    response = api.post("/v1/audit", content=chunks(),
                        headers={"content-type": "application/json"})
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["error"] == TOO_LARGE


@pytest.mark.parametrize(("size", "status"), [(1023, 200), (1024, 200), (1025, 413)])
def test_the_limit_is_exact(auditor: Auditor, size: int, status: int) -> None:
    app = create_app(ServiceSettings(max_body=1024), auditor)
    prefix, suffix = b'{"text": "', b'"}'
    body = prefix + b"a" * (size - len(prefix) - len(suffix)) + suffix
    with background_server(app) as base:
        response = httpx.post(f"{base}/v1/audit", content=body, timeout=60,
                              headers={"content-type": "application/json"})
    assert response.status_code == status


class CountingBody:
    """An ASGI receive() that streams ``total`` bytes in ``chunk``-sized messages (as uvicorn
    does), counting what the app took."""

    def __init__(self, total: int, chunk: int = 65536) -> None:
        self.total, self.chunk, self.taken = total, chunk, 0

    async def __call__(self) -> dict[str, Any]:
        size = min(self.chunk, self.total - self.taken)
        self.taken += size
        return {"type": "http.request", "body": b"x" * size,
                "more_body": self.taken < self.total}


@pytest.mark.parametrize("chunk", [4096, 65535, 65536])
def test_the_body_limit_reads_at_most_one_chunk_past_the_limit(chunk: int) -> None:
    limit = 2 * 2**20
    sent: list[dict[str, Any]] = []
    reached: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(True)

    async def record(message: Any) -> None:
        sent.append(message)

    body = CountingBody(10 * 2**20, chunk=chunk)
    scope = {"type": "http", "method": "POST", "path": "/v1/audit",
             "headers": [(b"transfer-encoding", b"chunked")]}
    asyncio.run(BodyLimit(app, limit)(scope, body, record))
    assert sent[0]["status"] == 413
    assert not reached
    assert limit < body.taken <= limit + 64 * 1024


def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    sent: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("the app must not run")

    async def record(message: Any) -> None:
        sent.append(message)

    body = CountingBody(10 * 2**20)
    scope = {"type": "http", "method": "POST", "path": "/v1/audit",
             "headers": [(b"content-length", str(10 * 2**20).encode())]}
    asyncio.run(BodyLimit(app, 2 * 2**20)(scope, body, record))
    assert sent[0]["status"] == 413
    assert body.taken == 0


# --- deadline and queue ---------------------------------------------------------------------------


def test_an_audit_past_the_deadline_is_504(auditor: Auditor) -> None:
    # The seed takes about a second; a deadline of a millisecond cannot be met.
    app = create_app(ServiceSettings(deadline=0.001), auditor)
    with background_server(app) as base:
        response = httpx.post(f"{base}/v1/audit", timeout=60,
                              json={"text": SEED.read_text(encoding="utf-8")})
        assert response.status_code == 504
        assert response.json() == {
            "error": "the audit took longer than the server's deadline of 0.001 s; send a "
                     "shorter text", "code": "deadline"}
        assert httpx.get(f"{base}/healthz").status_code == 200


def test_a_full_queue_is_503_with_retry_after(auditor: Auditor) -> None:
    app = create_app(ServiceSettings(max_queue=0), auditor)
    with background_server(app) as base:
        response = httpx.post(f"{base}/v1/audit", json={"text": CLAIMS}, timeout=60)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {"error": "0 audits are already waiting; retry in a few seconds",
                               "code": "busy"}


# --- the API token --------------------------------------------------------------------------------


@pytest.mark.parametrize(("authorization", "status"), [
    (None, 401),
    ("", 401),
    (f"Bearer {TOKEN}", 200),
    (f"bearer {TOKEN}", 200),
    (f"Bearer {TOKEN[:-1]}", 401),
    (f"Bearer {TOKEN[:-1]}g", 401),
    (f"Bearer {TOKEN}x", 401),
    (f"Basic {TOKEN}", 401),
    (TOKEN, 401),
    ("Bearer", 401),
], ids=["none", "empty", "right", "lowercase-scheme", "one-short", "one-byte-off", "one-long",
        "basic", "no-scheme", "empty-token"])
def test_token_table(secured: tuple[httpx.Client, Any], authorization: str | None,
                     status: int) -> None:
    client, _ = secured
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = client.get("/v1/facts/kratom.addiction", headers=headers)
    assert response.status_code == status
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json() == {
            "error": "missing or wrong API token; send 'Authorization: Bearer <token>'",
            "code": "unauthorized"}


def test_without_a_token_configured_the_api_is_open(api: httpx.Client) -> None:
    assert api.get("/v1/facts/kratom.addiction").status_code == 200
    assert api.get("/v1/facts/kratom.addiction",
                   headers={"Authorization": "Bearer anything"}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/healthz", "/static/app.js", "/static/app.css",
                                  "/openapi.json", "/docs"])
def test_the_page_health_static_and_docs_need_no_token(secured: tuple[httpx.Client, Any],
                                                       path: str) -> None:
    client, _ = secured
    assert client.get(path).status_code == 200


OPEN_PATHS = {"/", "/healthz", "/docs", "/openapi.json", "/favicon.ico"}


def all_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every route, routers included with a prefix too. FastAPI 0.165
    keeps an included router as one entry (``original_router``, ``include_context``)."""
    for route in routes:
        if isinstance(route, Mount):
            continue
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from all_routes(included.routes, prefix + route.include_context.prefix)
        else:
            assert isinstance(route, APIRoute | Route), route
            yield prefix + route.path, set(route.methods or ())


def test_every_other_route_needs_the_token(secured: tuple[httpx.Client, Any]) -> None:
    """A route walk: whatever routes exist now or later, only the listed ones are open."""
    client, app = secured
    walked = set()
    for route_path, methods in all_routes(app.routes):
        if route_path in OPEN_PATHS:
            continue
        path = re.sub(r"\{[^}]+\}", "x", route_path)
        for method in sorted(methods - {"HEAD"}):
            for headers in ({}, {"Authorization": "Bearer wrong"}):
                response = client.request(method, path, headers=headers, json={})
                assert response.status_code == 401, (method, path, headers)
            walked.add(route_path)
    assert walked >= {"/v1/audit", "/v1/facts/{fact_id}", "/v1/claimreview"}
    # The walk saw every route the OpenAPI description lists (so it cannot miss a router).
    assert set(app.openapi()["paths"]) - OPEN_PATHS <= walked


def test_with_the_token_the_audit_works(secured: tuple[httpx.Client, Any]) -> None:
    client, _ = secured
    response = client.post("/v1/audit", json={"text": CLAIMS},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200


# --- headers, page, docs --------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/", None), ("GET", "/healthz", None), ("GET", "/static/app.js", None),
    ("POST", "/v1/audit", {"text": CLAIMS}), ("POST", "/v1/audit", {}),
    ("GET", "/v1/facts/none", None), ("GET", "/nowhere", None),
])
def test_security_headers_on_every_response(api: httpx.Client, method: str, path: str,
                                            body: dict[str, Any] | None) -> None:
    response = api.request(method, path, json=body)
    assert response.headers["content-security-policy"] == EXACT_CSP == PAGE_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(("path", "media_type"), [
    ("/", "text/html"), ("/static/app.js", "text/javascript"),
    ("/static/app.css", "text/css")])
def test_the_page_and_its_files_have_their_media_types(api: httpx.Client, path: str,
                                                       media_type: str) -> None:
    response = api.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_the_page_has_no_inline_script_or_style(api: httpx.Client) -> None:
    page = api.get("/").text
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/app.js" defer>']
    assert "<style" not in page
    assert " style=" not in page
    assert re.search(r"\son[a-z]+=", page) is None


def test_docs_allow_only_the_cdn_and_their_one_inline_script(api: httpx.Client) -> None:
    response = api.get("/docs")
    policy = response.headers["content-security-policy"]
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert re.fullmatch(r"script-src https://cdn\.jsdelivr\.net 'sha256-[A-Za-z0-9+/=]+'",
                        script_src)
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_openapi_lists_the_routes(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert set(paths) == {"/healthz", "/v1/audit", "/v1/facts/{fact_id}", "/v1/claimreview"}


def test_healthz(api: httpx.Client, auditor: Auditor) -> None:
    assert api.get("/healthz").json() == {
        "status": "ok", "version": auditor.metadata["version"],
        "factbase_version": auditor.factbase.version, "waiting": 0}


# --- the command --------------------------------------------------------------------------------


def parse_serve(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="auditor")
    add_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(["serve", *argv])


def test_serve_defaults_and_token_from_the_environment() -> None:
    args = parse_serve([])
    assert (args.host, args.port, args.token_env) == ("127.0.0.1", 8000, "AUDITOR_API_TOKEN")
    assert settings_from(args, {}) == ServiceSettings()
    assert settings_from(args, {"AUDITOR_API_TOKEN": " t0k "}).token == "t0k"
    assert settings_from(args, {"AUDITOR_API_TOKEN": "  "}).token is None
    named = parse_serve(["--token-env", "MY_TOKEN", "--allow-private", "--max-body", "0.5",
                         "--deadline", "10", "--max-queue", "8"])
    assert settings_from(named, {"MY_TOKEN": "abc", "AUDITOR_API_TOKEN": "other"}) == \
        ServiceSettings(token="abc", allow_private=True, max_body=2**19, deadline=10.0,
                        max_queue=8)


@pytest.mark.parametrize(("argv", "message"), [
    (["--port", "0"], "argument --port: '0' is not a port number (1-65535)"),
    (["--port", "http"], "argument --port: 'http' is not a port number (1-65535)"),
    (["--deadline", "-1"], "argument --deadline: '-1' is not a positive number"),
    (["--max-queue", "0"], "argument --max-queue: '0' is not a whole number of at least 1"),
])
def test_serve_usage_errors(argv: list[str], message: str,
                            capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        parse_serve(argv)
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(("workers", "note"), [
    ("1", "auditor serve: loading the auditor (a few seconds)..."),
    ("2", "auditor serve: starting 2 worker processes; each loads the auditor"),
])
def test_serve_runs_the_server_until_interrupted(workers: str, note: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MY_TOKEN": TOKEN}
    process = subprocess.Popen(
        [sys.executable, "-m", "auditor.service_cli", "serve", "--port", str(port),
         "--workers", workers, "--token-env", "MY_TOKEN", "--max-body", "0.001"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        health = wait_for_health(base, process)
        assert health["status"] == "ok"
        denied = httpx.get(f"{base}/v1/facts/kratom.addiction")
        assert denied.status_code == 401
        allowed = httpx.get(f"{base}/v1/facts/kratom.addiction",
                            headers={"Authorization": f"Bearer {TOKEN}"})
        assert allowed.status_code == 200
        large = httpx.post(f"{base}/v1/audit", json={"text": "x" * 2000},
                           headers={"Authorization": f"Bearer {TOKEN}"})
        assert large.status_code == 413  # the settings reached the worker processes
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert err.splitlines()[0] == note


def wait_for_health(base: str, process: subprocess.Popen[str]) -> dict[str, Any]:
    give_up = time.monotonic() + 120
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise AssertionError(f"auditor serve exited with {process.returncode}")
        try:
            return dict(httpx.get(f"{base}/healthz", timeout=2).json())
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("auditor serve did not answer /healthz within 120 s")
