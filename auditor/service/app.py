"""``auditor serve``: the JSON API and the editor's review page.

Routes: ``POST /v1/audit`` (text, HTML or a URL → the JSON report of DESIGN.md),
``GET /v1/facts/{id}``, ``POST /v1/claimreview`` (a reviewed report → ClaimReview JSON-LD),
``GET /healthz``, the review page at ``/`` with its files under ``/static/``, and the OpenAPI
description at ``/openapi.json`` with Swagger UI at ``/docs``.

Every ``/v1/`` route sits behind one router-level dependency, so a route added there inherits
the API token. The page's text never becomes markup: the browser script builds the highlighted
text from the report with text nodes only, under a CSP that allows no inline script or style.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, replace
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from auditor import __version__
from auditor.api import Auditor
from auditor.errors import AuditorError, InputError
from auditor.ingest.fetch import DEFAULT_TIMEOUT, FetchPolicy
from auditor.ingest.html import html_to_document
from auditor.ingest.sources import read_url
from auditor.records import Document
from auditor.report.claimreview import load_reviewer, render_claimreview
from auditor.service.limits import BodyLimit, SecurityHeaders
from auditor.service.schemas import AuditRequest, ClaimReviewRequest
from auditor.service.settings import ServiceSettings
from auditor.service.worker import AuditWorker, DeadlineExceeded, Saturated

logger = logging.getLogger("auditor.service")
STATIC = Path(str(files("auditor.service").joinpath("static")))
RETRY_AFTER = "5"  # seconds; a queue of 64 audits drains in about that order of time
_bearer = HTTPBearer(auto_error=False, description="the server's API token, when it has one")


class ApiError(Exception):
    """An error answer: status, a one-line message and a short code."""

    def __init__(self, status: int, message: str, code: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.headers = status, message, code, headers


def create_app(settings: ServiceSettings, auditor: Auditor | None = None) -> FastAPI:
    """The app. ``auditor`` lets a caller (tests, a process that already has one) share a
    loaded :class:`Auditor`; otherwise one is loaded here, once."""
    worker = AuditWorker(auditor or Auditor(), settings.max_queue)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        worker.close()

    app = FastAPI(title="Health Claim Auditor", version=__version__, docs_url=None,
                  redoc_url=None, lifespan=lifespan,
                  description="Flags contradicted, unsupported and overstated health claims "
                              "and misused terminology, with evidence.")
    app.state.worker = worker
    app.state.settings = settings
    app.add_middleware(BodyLimit, max_body=settings.max_body)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so 413s get the headers too
    _add_error_handlers(app)
    _add_page_routes(app)
    app.include_router(_api_router(settings, worker))
    return app


# --- /v1/ --------------------------------------------------------------------------------------


def _api_router(settings: ServiceSettings, worker: AuditWorker) -> APIRouter:
    router = APIRouter(prefix="/v1", dependencies=[Depends(_token_check(settings.token))],
                       responses={401: {"description": "missing or wrong API token"},
                                  422: {"description": "invalid request"}})
    policy = _fetch_policy(settings)

    @router.post("/audit", response_class=Response, responses={
        200: {"description": "the JSON report (see DESIGN.md)",
              "content": {"application/json": {}}},
        413: {"description": "body larger than the limit"},
        503: {"description": "too many audits waiting; retry after Retry-After seconds"},
        504: {"description": "the audit took longer than the deadline"}})
    async def audit(body: AuditRequest) -> Response:
        """Audit a text, a web page's HTML, or a URL the server fetches."""
        started = time.monotonic()
        document = await _fetched(body.url, policy) if body.url is not None else None
        left = settings.deadline - (time.monotonic() - started)
        try:
            payload = await worker.run(lambda: _audit_json(worker, body, document), left)
        except Saturated:
            raise ApiError(503, f"{worker.max_queue} audits are already waiting; retry in a "
                           "few seconds", "busy", {"Retry-After": RETRY_AFTER}) from None
        except DeadlineExceeded:
            raise ApiError(504, f"the audit took longer than the server's deadline of "
                           f"{settings.deadline:g} s; send a shorter text", "deadline") from None
        except AuditorError:
            raise
        except Exception as error:  # a bug: answer in JSON, with the headers, not a bare 500
            logger.exception("audit failed")
            raise ApiError(500, f"internal error: {type(error).__name__} (please report it)",
                           "internal") from None
        return Response(payload, media_type="application/json")

    @router.get("/facts/{fact_id}")
    async def fact(fact_id: str) -> dict[str, Any]:
        """One fact of the fact base, with its citations."""
        return _fact_json(worker.auditor, fact_id)

    @router.post("/claimreview", response_class=Response, responses={
        200: {"description": "a JSON array of schema.org ClaimReview objects",
              "content": {"application/ld+json": {}}},
        409: {"description": "the server has no reviewer configured"}})
    async def claimreview(body: ClaimReviewRequest) -> Response:
        """ClaimReview JSON-LD for a report, without the findings the editor dismissed."""
        try:
            reviewer = load_reviewer(settings.config)
        except InputError as error:
            raise ApiError(409, error.message, "no_reviewer") from None
        report = body.report.record(set(body.dismissed))
        text = render_claimreview([report], reviewer, review_url=body.review_url)
        return Response(text, media_type="application/ld+json")

    return router


def _token_check(token: str | None) -> Any:
    expected = token.encode() if token else None

    async def check(credentials: Annotated[HTTPAuthorizationCredentials | None,
                                           Depends(_bearer)]) -> None:
        if expected is None:
            return
        given = credentials.credentials.encode() if credentials is not None else b""
        # compare_digest: the time taken does not tell how much of the token was right.
        if not hmac.compare_digest(given, expected):
            raise ApiError(401, "missing or wrong API token; send 'Authorization: Bearer "
                           "<token>'", "unauthorized", {"WWW-Authenticate": "Bearer"})

    return check


def _fetch_policy(settings: ServiceSettings) -> FetchPolicy:
    return FetchPolicy.for_user(settings.allow_private,
                                timeout=min(DEFAULT_TIMEOUT, settings.deadline))


async def _fetched(url: str, policy: FetchPolicy) -> Document:
    """The page's document. Fetching waits on the network, not the CPU, so it runs in the
    shared thread pool, not on the audit worker."""
    document, _page = await run_in_threadpool(read_url, url, policy)
    return document


def _audit_json(worker: AuditWorker, body: AuditRequest, fetched: Document | None) -> bytes:
    """Runs on the worker thread: extraction (CPU-bound too), audit and JSON encoding."""
    if fetched is not None:
        document = fetched
    elif body.html is not None:
        document = html_to_document(body.html, "<html>")
    else:
        document = Document(text=body.text or "", source="<text>")
    if body.title is not None:
        document = replace(document, title=body.title)
    report = worker.auditor_for(body.options.learned_stance).audit(document)
    return json.dumps(report.to_dict(), ensure_ascii=False).encode()


def _fact_json(auditor: Auditor, fact_id: str) -> dict[str, Any]:
    factbase = auditor.factbase
    fact = factbase.facts.get(fact_id)
    if fact is None:
        raise ApiError(404, f"no fact {fact_id!r} in the fact base (version "
                       f"{factbase.version}); fact ids look like 'kratom.addiction'", "not_found")
    payload = asdict(fact)
    payload.pop("path")  # where the server keeps its files is not the client's business
    payload["topic_title"] = factbase.topics.get(fact.topic)
    return payload


# --- the page, health, docs ----------------------------------------------------------------------


def _add_page_routes(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)  # no icon; saves the browser a logged 404

    @app.get("/healthz", tags=["health"])
    async def healthz(request: Request) -> dict[str, Any]:
        """Liveness: the auditor is loaded and the event loop answers."""
        worker: AuditWorker = request.app.state.worker
        return {"status": "ok", "version": __version__,
                "factbase_version": worker.auditor.factbase.version,
                "waiting": worker.waiting}

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return _swagger_page(app.openapi_url or "/openapi.json", app.title)


def _swagger_page(openapi_url: str, title: str) -> HTMLResponse:
    """FastAPI's Swagger UI page. Its script and styles come from the jsDelivr CDN (so /docs
    needs network; /openapi.json does not), and it has one inline script: the policy allows
    that CDN and that script's hash, nothing else inline."""
    page = get_swagger_ui_html(openapi_url=openapi_url, title=f"{title} — API")
    html = bytes(page.body).decode()
    hashes = " ".join(f"'sha256-{_sha256(script)}'"
                      for script in re.findall(r"<script>(.*?)</script>", html, re.DOTALL))
    cdn = "https://cdn.jsdelivr.net"
    policy = (f"default-src 'none'; script-src {cdn} {hashes}; "
              f"style-src {cdn} 'unsafe-inline'; "
              "img-src 'self' data: https://fastapi.tiangolo.com; "
              "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


def _sha256(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


# --- errors: always {"error": one line, "code": short name} ---------------------------------


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return _error(error.status, error.message, error.code, error.headers)

    @app.exception_handler(AuditorError)
    async def auditor_error(request: Request, error: AuditorError) -> JSONResponse:
        return _error(422, error.message, "input")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        details = [_problem(item) for item in error.errors()]
        return _error(422, "invalid request: " + "; ".join(details), "invalid_request")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        code = "not_found" if error.status_code == 404 else "invalid_request"
        headers = dict(error.headers) if error.headers else None
        return _error(error.status_code, str(error.detail), code, headers)


def _error(status: int, message: str, code: str,
           headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "code": code}, status_code=status, headers=headers)


def _problem(item: Any) -> str:
    """One pydantic error as 'where: what' ("body.options.learned_stance: Input should be a
    valid boolean"); a whole-body rule reads as its message alone."""
    if item.get("type") == "json_invalid":
        return "the body is not valid JSON"
    where = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
    message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
