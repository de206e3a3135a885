"""Batch inputs → units: one per document, in a stable order, each with a stable unique id.

Inputs are directory trees of .txt/.md/.html, JSONL, CSV, Parquet and WARC (.warc, .warc.gz
as Common Crawl publishes them). A malformed record never stops the batch: it becomes an
*error unit* (``Unit.error`` set) naming the file, line, row or offset and the reason, so it
still gets its row in documents.parquet. Only a missing input, an unsupported file type or a
missing text column is an :class:`InputError`, raised by :func:`check_inputs` before any work.

Unit ids: a directory's files by path relative to the directory; a JSONL/CSV/Parquet record by
its id column, else ``FILE:LINE`` (JSONL) or ``FILE:ROW`` (CSV, Parquet); a WARC record by
``FILE:OFFSET`` (the record's byte offset, seekable with record-level gzip). Repeated ids get
``#2``, ``#3``... in input order, so ids are unique and the same on every run.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from auditor.errors import InputError
from auditor.ingest.body import decode_text
from auditor.ingest.sources import HTML_SUFFIXES, TEXT_SUFFIXES, decode

MAX_RECORD_BYTES = 10 * 2**20  # an article is < 1 MiB; larger records are dumps, not documents
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet", ".pq")
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class Unit:
    """One document to audit, or (``error`` set) a record that could not be read."""

    id: str
    source: str  # where it is, for people: "corpus.jsonl line 12", "crawl.warc.gz offset 444"
    text: str = ""
    html: bool = False  # ``text`` is HTML to extract (in the worker: extraction is CPU work)
    url: str | None = None
    title: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class ReadOptions:
    text_column: str = "text"
    id_column: str = "id"
    url_column: str = "url"
    title_column: str = "title"


def input_kind(path: Path) -> str:
    """``dir``, ``document``, ``jsonl``, ``csv``, ``parquet`` or ``warc``; ``""`` if unsupported."""
    if path.is_dir():
        return "dir"
    name = path.name.lower()
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES | HTML_SUFFIXES:
        return "document"
    for kind, suffixes in (("jsonl", JSONL_SUFFIXES), ("csv", CSV_SUFFIXES),
                           ("parquet", PARQUET_SUFFIXES), ("warc", WARC_SUFFIXES)):
        if name.endswith(suffixes):
            return kind
    return ""


def check_inputs(inputs: Iterable[str], options: ReadOptions) -> list[Path]:
    """The input paths, checked: each exists, has a supported type, and a table names the text
    column. Raises :class:`InputError` (one line naming the input) otherwise."""
    paths = []
    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{raw}: no such file or directory; check the path")
        if not input_kind(path):
            raise InputError(f"{raw}: unsupported input type; give a directory, .txt, .md, "
                             ".html, .jsonl, .csv, .parquet, .warc or .warc.gz")
        _check_text_column(path, options)
        paths.append(path)
    if not paths:
        raise InputError("no input given; name at least one file or directory")
    return paths


def input_signature(paths: Iterable[Path]) -> list[tuple[str, int, int]]:
    """(absolute path, size, mtime in ns) of every file the batch reads, in reading order:
    a run resumes only over the same files, unchanged."""
    signature = []
    for path in paths:
        files = _tree_files(path) if path.is_dir() else [path]
        for file in files:
            try:
                stat = file.stat()
            except OSError:  # a broken link or unreadable entry: its unit says so
                signature.append((str(file.absolute()), -1, -1))
                continue
            signature.append((str(file.absolute()), stat.st_size, stat.st_mtime_ns))
    return signature


def read_units(paths: Iterable[Path], options: ReadOptions) -> Iterator[Unit]:
    """Every unit of every input, in input order, with unique ids."""
    seen: dict[str, int] = {}
    for path in paths:
        for unit in _read_path(path, options):
            count = seen.get(unit.id, 0) + 1
            seen[unit.id] = count
            yield unit if count == 1 else replace(unit, id=f"{unit.id}#{count}")


def _read_path(path: Path, options: ReadOptions) -> Iterator[Unit]:
    kind = input_kind(path)
    if kind == "dir":
        yield from read_directory(path)
    elif kind == "document":
        yield _file_unit(path, path.name, str(path))
    elif kind == "jsonl":
        yield from read_jsonl(path, options)
    elif kind == "csv":
        yield from read_csv(path, options)
    elif kind == "parquet":
        yield from read_parquet(path, options)
    else:
        yield from read_warc(path)


# --- directories and single files -------------------------------------------------------

def _is_document(name: str) -> bool:
    return Path(name).suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES


def _tree_files(root: Path) -> list[Path]:
    """Documents under ``root``, and directories that cannot be listed (each gets an error
    row), sorted by relative path; symlinked directories are not followed (no loops, no
    escaping the tree)."""
    found: list[Path] = []

    def unlisted(error: OSError) -> None:
        found.append(Path(error.filename))

    for folder, dirnames, filenames in os.walk(root, onerror=unlisted, followlinks=False):
        dirnames.sort()
        found.extend(Path(folder, name) for name in sorted(filenames) if _is_document(name))
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def read_directory(root: Path) -> Iterator[Unit]:
    resolved_root = root.resolve()
    for file in _tree_files(root):
        unit_id = file.relative_to(root).as_posix()
        if file.is_dir():
            yield Unit(id=unit_id + "/", source=str(file),
                       error=f"{file}: directory cannot be listed; check its permissions")
            continue
        if file.is_symlink():
            target = file.resolve()
            if not target.exists():
                yield Unit(id=unit_id, source=str(file),
                           error=f"{file}: broken symbolic link; remove it or fix its target")
                continue
            if not target.is_relative_to(resolved_root):
                yield Unit(id=unit_id, source=str(file),
                           error=f"{file}: symbolic link to {target}, outside the input "
                           "directory; copy the file in instead")
                continue
        yield _file_unit(file, unit_id, str(file))


def _file_unit(file: Path, unit_id: str, source: str) -> Unit:
    html = file.suffix.lower() in HTML_SUFFIXES
    try:
        size = file.stat().st_size
        if size > MAX_RECORD_BYTES:
            return Unit(id=unit_id, source=source, error=_oversized(source, size))
        text = decode(file.read_bytes(), source, html=False).text
    except InputError as exc:
        return Unit(id=unit_id, source=source, error=exc.message)
    except OSError as exc:
        return Unit(id=unit_id, source=source,
                    error=f"{source}: cannot be read ({exc.strerror}); check the file")
    return Unit(id=unit_id, source=source, text=text, html=html)


def _oversized(where: str, size: int) -> str:
    return (f"{where}: record of {size} bytes is larger than {MAX_RECORD_BYTES // 2**20} MiB; "
            "split it into articles")


def _opened(path: Path, read: Callable[[BinaryIO], Iterator[Unit]]) -> Iterator[Unit]:
    """The units ``read`` finds in the open file, or one error unit when it cannot be opened."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield Unit(id=f"{path}:0", source=str(path),
                   error=f"{path}: cannot be read ({exc.strerror}); check the file")
        return
    with stream:
        yield from read(stream)


# --- JSONL ------------------------------------------------------------------------------

def read_jsonl(path: Path, options: ReadOptions) -> Iterator[Unit]:
    return _opened(path, lambda stream: _jsonl_units(stream, path, options))


def _jsonl_units(stream: BinaryIO, path: Path, options: ReadOptions) -> Iterator[Unit]:
    number = 0
    while True:
        line = stream.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        number += 1
        where = f"{path} line {number}"
        if len(line) > MAX_RECORD_BYTES:
            size = len(line) + _skip_line(stream)
            yield Unit(id=f"{path}:{number}", source=where, error=_oversized(where, size))
            continue
        if line.strip():
            yield _jsonl_unit(line, path, number, options)


def _skip_line(stream: BinaryIO) -> int:
    """Read past the rest of an oversized line without holding it; the bytes skipped."""
    skipped = 0
    while chunk := stream.readline(_READ_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _jsonl_unit(line: bytes, path: Path, number: int, options: ReadOptions) -> Unit:
    where = f"{path} line {number}"
    fallback_id = f"{path}:{number}"
    try:
        text = line.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return Unit(id=fallback_id, source=where,
                    error=f"{where}: not valid UTF-8 (byte {exc.start}); convert the file")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        if not line.endswith(b"\n"):
            reason = "truncated last line (no newline at the end and not valid JSON)"
        else:
            reason = f"not valid JSON: {exc.msg} (column {exc.colno})"
        return Unit(id=fallback_id, source=where, error=f"{where}: {reason}")
    if not isinstance(record, dict):
        return Unit(id=fallback_id, source=where,
                    error=f"{where}: not a JSON object; each line must be {{...}}")
    return _record_unit(record, fallback_id, where, options)


def _record_unit(record: dict[str, Any], fallback_id: str, where: str,
                 options: ReadOptions) -> Unit:
    """A unit from one table record (JSONL object, CSV row, Parquet row)."""
    unit_id = _cell(record.get(options.id_column)) or fallback_id
    text = record.get(options.text_column)
    if not isinstance(text, str):
        found = "missing" if text is None else f"not text ({type(text).__name__})"
        return Unit(id=unit_id, source=where,
                    error=f"{where}: field {options.text_column!r} is {found}; "
                    "give --text-column")
    if len(text) > MAX_RECORD_BYTES:
        return Unit(id=unit_id, source=where, error=_oversized(where, len(text.encode())))
    return Unit(id=unit_id, source=where, text=text, url=_cell(record.get(options.url_column)),
                title=_cell(record.get(options.title_column)))


def _cell(value: object) -> str | None:
    """A table cell as text: strings and integers (ids are often numbers); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int):
        return str(value)
    return None


# --- CSV --------------------------------------------------------------------------------

def _csv_lines(stream: BinaryIO) -> Iterator[str]:
    """Lines decoded with surrogate escapes, so one bad byte spoils one row, not the file."""
    for raw in stream:
        yield raw.decode("utf-8", errors="surrogateescape")


def read_csv(path: Path, options: ReadOptions) -> Iterator[Unit]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_RECORD_BYTES))
    return _opened(path, lambda stream: _csv_units(stream, path, options))


def _csv_units(stream: BinaryIO, path: Path, options: ReadOptions) -> Iterator[Unit]:
    if stream.read(3) != codecs.BOM_UTF8:
        stream.seek(0)
    rows = csv.reader(_csv_lines(stream), strict=True)
    header = next(rows, None)
    if header is None:
        return
    number = 0
    while True:
        line = rows.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            where = f"{path} row {number} (line {line})"
            yield Unit(id=f"{path}:{number}", source=where,
                       error=f"{where}: malformed CSV ({exc}); fix the quoting")
            continue
        if not row:
            continue
        number += 1
        yield _csv_unit(dict(zip(header, row, strict=False)), path, number, line, options)


def _csv_unit(record: dict[str, str], path: Path, number: int, line: int,
              options: ReadOptions) -> Unit:
    where = f"{path} row {number} (line {line})"
    for value in record.values():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            byte = value[exc.start].encode("utf-8", "surrogateescape")[0]
            return Unit(id=f"{path}:{number}", source=where,
                        error=f"{where}: not valid UTF-8 (byte 0x{byte:02x}); convert the file")
    return _record_unit(dict(record), f"{path}:{number}", where, options)


# --- Parquet ----------------------------------------------------------------------------

def read_parquet(path: Path, options: ReadOptions) -> Iterator[Unit]:
    import pyarrow.parquet as pq

    wanted = (options.text_column, options.id_column, options.url_column, options.title_column)
    number = 0
    try:
        table = pq.ParquetFile(path)
        columns = [c for c in dict.fromkeys(wanted) if c in table.schema_arrow.names]
        for batch in table.iter_batches(batch_size=1024, columns=columns):
            for record in batch.to_pylist():
                number += 1
                where = f"{path} row {number}"
                yield _record_unit(record, f"{path}:{number}", where, options)
    except Exception as exc:  # pyarrow raises several types for corrupt files; one row says so
        where = f"{path} after row {number}" if number else str(path)
        yield Unit(id=f"{path}:{number + 1}", source=where,
                   error=f"{where}: unreadable Parquet ({exc}); the rest of the file is "
                   "skipped")


# --- WARC -------------------------------------------------------------------------------

def read_warc(path: Path) -> Iterator[Unit]:
    """HTML response records of a WARC file (fastwarc). A record whose block digest does not
    match, or that ends early, is an error unit; unreadable data ends the file with one."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    last = None
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, record_types=WarcRecordType.response,
                                          parse_http=False, fsspec_args=False):
                last = record.stream_pos
                unit = _warc_unit(record, path)
                if unit is not None:
                    yield unit
    except OSError as exc:
        where = f"{path} after offset {last}" if last is not None else str(path)
        offset = "end" if last is not None else "0"
        yield Unit(id=f"{path}:{offset}", source=where,
                   error=f"{where}: unreadable WARC data ({exc}); the rest of the file is "
                   "skipped")


def _warc_unit(record: Any, path: Path) -> Unit | None:
    offset = record.stream_pos
    where = f"{path} offset {offset}"
    unit_id = f"{path}:{offset}"
    url = record.headers.get("WARC-Target-URI")

    def error(reason: str) -> Unit:
        return Unit(id=unit_id, source=where, url=url, error=f"{where}: {reason}")

    if not str(record.headers.get("Content-Type", "")).startswith("application/http"):
        return None  # dns: and other non-HTTP responses

    if record.headers.get("WARC-Block-Digest") and not record.verify_block_digest(consume=False):
        return error("WARC-Block-Digest does not match (truncated or corrupt record)")
    try:
        record.parse_http()
    except OSError as exc:
        return error(f"bad HTTP headers ({exc})")
    content_type = (record.http_content_type or "").lower()
    if content_type not in HTML_TYPES:
        return None  # robots.txt, images, PDFs: not articles, not inputs
    expected = record.content_length
    if expected > MAX_RECORD_BYTES:
        return error(_oversized("record", expected).removeprefix("record: "))
    body = record.reader.read()
    if len(body) < expected:
        return error(f"record ends after {len(body)} of {expected} payload bytes (truncated)")
    try:
        body = _content_decoded(body, record.http_headers.get("Content-Encoding"))
        text = _html_text(body, record.http_headers.get("Content-Type") or "text/html")
    except InputError as exc:
        return error(exc.message.removeprefix(f"{where}: "))
    return Unit(id=unit_id, source=where, text=text, html=True, url=url)


def _content_decoded(body: bytes, encoding: str | None) -> bytes:
    """Undo gzip/deflate content coding (Common Crawl stores payloads decoded, other crawlers
    may not), capped at the record limit: a small bomb must not expand without bound."""
    coding = (encoding or "identity").strip().lower()
    if coding in ("", "identity"):
        return body
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise InputError(f"unsupported Content-Encoding {coding!r}")
    try:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32 if "gzip" in coding else zlib.MAX_WBITS)
        data = inflater.decompress(body, MAX_RECORD_BYTES + 1)
    except zlib.error as exc:
        raise InputError(f"corrupt {coding} content ({exc})") from None
    if len(data) > MAX_RECORD_BYTES:
        raise InputError(f"decoded content larger than {MAX_RECORD_BYTES // 2**20} MiB")
    return data


def _html_text(body: bytes, content_type: str) -> str:
    """The page's text, decoded the way a URL audit decodes a fetched page: byte-order mark,
    the HTTP charset, the page's ``<meta charset>``, UTF-8, then detection (a crawl keeps
    pages whatever their encoding, as browsers show them)."""
    return decode_text(body, content_type, html=True)[0]


# --- up-front column checks -------------------------------------------------------------

def _check_text_column(path: Path, options: ReadOptions) -> None:
    """A CSV header or Parquet schema without the text column is a usage error (every row
    would fail); an unreadable file is not: its error row says so."""
    columns = _table_columns(path)
    if columns is not None and options.text_column not in columns:
        listed = ", ".join(repr(c) for c in columns[:12])
        raise InputError(f"{path}: no column {options.text_column!r} (columns: {listed}); "
                         "give --text-column")


def _table_columns(path: Path) -> list[str] | None:
    kind = input_kind(path)
    try:
        if kind == "csv":
            with path.open("rb") as stream:
                first = stream.readline(MAX_RECORD_BYTES).decode("utf-8-sig", "replace")
            return next(csv.reader([first]), None)
        if kind == "parquet":
            import pyarrow.parquet as pq

            return list(pq.ParquetFile(path).schema_arrow.names)
    except Exception:  # unreadable: reported as an error unit when read
        return None
    return None
