"""Read a source (a .txt, .md or .html file, or ``-`` for stdin) into a :class:`Document`.

Every way a source can fail becomes an :class:`InputError` naming the source and what to do.
"""

from __future__ import annotations

import sys
from pathlib import Path

from auditor.errors import InputError
from auditor.ingest.html import html_to_document
from auditor.records import Document

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
MAX_BYTES = 50 * 1024 * 1024  # larger inputs are not articles; batch mode splits corpora
_BINARY_SNIFF = 8192


def read_source(source: str) -> Document:
    """Read ``source``: a file path, or ``-`` for standard input (treated as plain text)."""
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
    return decode(data, source, html=suffix in HTML_SUFFIXES)


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
