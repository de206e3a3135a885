"""Evidence preservation: what a page said when it was audited, in files a fact-check can cite.

For each audited source ``--archive DIR`` writes one folder::

    DIR/<UTC time>-<host or file name>-<8 hex>/
      page.warc.gz    every request and response of the fetch, redirects included, as WARC 1.1
                      (bodies as received), with the address connected to (URL sources only)
      text.txt        the text that was audited (the extracted main text for web pages)
      report.json     the audit report
      manifest.json   the source, the times, and the SHA-256 of each file above

The folder is written under a temporary name and renamed when complete, so a folder that
exists is whole.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from auditor import __version__
from auditor.errors import InputError
from auditor.ingest.fetch import Exchange, Page
from auditor.records import Report

# Bodies are stored as received but de-chunked (httpx hands over the payload), so a
# Transfer-Encoding header would make WARC readers de-chunk them again.
_DROPPED_HEADERS = frozenset({b"transfer-encoding"})


def write_evidence(root: Path, report: Report, page: Page | None = None) -> Path:
    """Write the evidence folder for one audited source and return its path."""
    folder = root / _folder_name(report.source, page)
    work = folder.with_name(folder.name + ".partial")
    try:
        work.mkdir(parents=True, exist_ok=False)
        files = {"text.txt": report.text.encode("utf-8"),
                 "report.json": json.dumps(report.to_dict(), ensure_ascii=False,
                                           indent=2).encode("utf-8")}
        if page is not None:
            files["page.warc.gz"] = warc_bytes(page)
        for name, data in files.items():
            (work / name).write_bytes(data)
        manifest = _manifest(report, page, files)
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n",
                                            encoding="utf-8")
        os.replace(work, folder)
    except OSError as exc:
        raise InputError(f"--archive {root}: cannot write the evidence folder "
                         f"({exc.strerror or exc}); check the directory") from None
    return folder


def warc_bytes(page: Page) -> bytes:
    """The fetch as a gzipped WARC: a warcinfo record, then request and response per hop."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(
        "page.warc.gz", {"software": f"health-claim-auditor/{__version__}",
                         "format": "WARC File Format 1.1",
                         "description": f"fetched for audit: {page.url}"}))
    # Each record gets its length: without one warcio buffers the payload in a temporary
    # file that is never closed.
    for exchange in page.exchanges:
        request_line = f"GET {_target(exchange.url)} HTTP/1.1"
        request = StatusAndHeaders(request_line, _text_headers(exchange.request_headers),
                                   is_http_request=True)
        writer.write_record(writer.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(b""), length=0, http_headers=request))
        status = StatusAndHeaders(f"{exchange.status} {exchange.reason}".strip(),
                                  _text_headers(exchange.headers),
                                  protocol=exchange.http_version)
        extra = {"WARC-IP-Address": exchange.peer} if exchange.peer else {}
        writer.write_record(writer.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.body),
            length=len(exchange.body), http_headers=status, warc_headers_dict=extra))
    return buffer.getvalue()


def _text_headers(raw: tuple[tuple[bytes, bytes], ...]) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in raw
            if name.lower() not in _DROPPED_HEADERS]


def _target(url: str) -> str:
    import httpx

    return httpx.URL(url).raw_path.decode("ascii")


def _manifest(report: Report, page: Page | None, files: dict[str, bytes]) -> dict[str, Any]:
    fetched: dict[str, Any] | None = None
    if page is not None:
        fetched = {"url": page.url, "final_url": page.final_url, "retrieved": page.retrieved,
                   "media_type": page.media_type, "charset": page.charset,
                   "hops": [_hop(e) for e in page.exchanges]}
    return {"source": report.source, "title": report.title,
            "audited": datetime.now(UTC).isoformat(timespec="seconds"),
            "auditor": report.auditor, "fetch": fetched,
            "findings": len(report.problems()),
            "sha256": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}}


def _hop(exchange: Exchange) -> dict[str, Any]:
    return {"url": exchange.url, "status": exchange.status, "address": exchange.peer,
            "body_sha256": hashlib.sha256(exchange.body).hexdigest()}


def _folder_name(source: str, page: Page | None) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    if page is not None:
        import httpx

        label = httpx.URL(page.url).host
    else:
        label = Path(source).name
    slug = re.sub(r"[^A-Za-z0-9.-]+", "-", label).strip("-.")[:60] or "text"
    digest = hashlib.sha256(f"{source}\n{stamp}".encode()).hexdigest()[:8]
    return f"{stamp}-{slug}-{digest}"
