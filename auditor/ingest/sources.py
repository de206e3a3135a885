"""Read a source (a .txt, .md or .html file, a URL, or ``-`` for stdin) into a
:class:`Document`.

Every way a source can fail becomes an :class:`InputError` naming the source and what to do.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.errors import InputError
from auditor.ingest.html import html_to_document
from auditor.records import Document, Metadata
from auditor.suppress import MARKDOWN_SUFFIXES, blank_comments

if TYPE_CHECKING:
    from auditor.ingest.fetch import FetchPolicy, Page

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MAX_BYTES = 50 * 1024 * 1024  # larger inputs are not articles; batch mode splits corpora
_BINARY_SNIFF = 8192
# Anything with a scheme is a URL (file:, ftp:, ... are refused by the fetcher, by name),
# and so is a scheme-relative //host/path.
_URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def is_url(source: str) -> bool:
    return bool(_URL.match(source)) and not Path(source).exists()


def read_url(url: str, policy: FetchPolicy | None = None) -> tuple[Document, Page]:
    """Fetch ``url`` safely (:mod:`auditor.ingest.fetch`) and extract its main text."""
    from auditor.ingest.fetch import fetch

    page = fetch(url, policy)
    return page_document(page), page


def page_document(page: Page) -> Document:
    metadata = Metadata(url=page.final_url, retrieved=page.retrieved)
    if page.is_html:
        document = html_to_document(page.text, page.url, metadata)
    else:
        document = Document(text=page.text, source=page.url, metadata=metadata)
    notes = list(page.notes)
    if page.final_url != page.url:
        notes.append(f"redirected to {page.final_url}")
    return replace(document, notes=(*notes, *document.notes))


def read_source(source: str) -> Document:
    """Read ``source``: a file path, a URL (fetched with the default, public-only policy), or
    ``-`` for standard input (treated as plain text)."""
    if is_url(source):
        return read_url(source)[0]
    if source == "-":
        return decode(sys.stdin.buffer.read(), "<stdin>", html=False)
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise InputError(f"{source}: unsupported file type {suffix or '(none)'!r}; "
                         "give a .txt, .md or .html file, or - for stdin")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{source}: larger than {MAX_BYTES // 2**20} MiB; "
                             "split it, or use 'auditor batch'")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{source}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a directory; give the files inside it") from None
    except PermissionError:
        raise InputError(f"{source}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot be read ({exc.strerror}); check the file") from None
    document = decode(data, source, html=suffix in HTML_SUFFIXES)
    if suffix in MARKDOWN_SUFFIXES:
        document = replace(document, text=blank_comments(document.text))
    return document


def decode(data: bytes, source: str, *, html: bool) -> Document:
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputError(f"{source}: looks binary (it contains NUL bytes); "
                         "give a UTF-8 text, Markdown or HTML file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not valid UTF-8 (byte {exc.start}); "
                         "convert it, e.g. iconv -f latin1 -t utf-8") from None
    if html:
        return html_to_document(text, source)
    return Document(text=text, source=source, title=None)
