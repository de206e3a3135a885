"""Batch readers: every input format, and every kind of bad record → an error unit naming
the file, line/row/offset and the reason (no spaCy needed)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from auditor.batch.readers import (
    MAX_RECORD_BYTES,
    ReadOptions,
    Unit,
    check_inputs,
    input_signature,
    read_units,
)
from auditor.errors import InputError

CORPUS = Path(__file__).parent / "fixtures" / "batch" / "corpus"
PAGE = ("<html><head><title>Page {n}</title></head><body><article><p>Kratom is not addictive, "
        "says page {n}. It is a long enough paragraph for the extractor to keep it as the main "
        "text of the page.</p></article></body></html>")


def units(*paths: Path, options: ReadOptions | None = None) -> list[Unit]:
    return list(read_units(check_inputs([str(p) for p in paths], options or ReadOptions()),
                           options or ReadOptions()))


def summary(found: list[Unit]) -> list[tuple[str, str | None]]:
    """(id, error) per unit: the shape every case is checked against."""
    return [(u.id, u.error) for u in found]


# --- directories -----------------------------------------------------------------------------

def test_directory_tree_sorted_by_relative_path_with_html_flagged() -> None:
    found = units(CORPUS)
    assert [(u.id, u.html, u.error) for u in found] == [
        ("a_first.txt", False, None),
        ("health/deep/vaccines.md", False, None),
        ("health/kratom.txt", False, None),
        ("health/page.html", True, None),
    ]
    assert found[2].text == "Kratom is not addictive.\n"
    assert found[2].source == f"{CORPUS}/health/kratom.txt"


def test_directory_poison_files_become_error_units(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "good.txt").write_text("Fine text.")
    (root / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (root / "binary.md").write_bytes(b"\x00\x01\x02")
    with (root / "huge.txt").open("wb") as stream:  # sparse: no 10 MiB written
        stream.truncate(MAX_RECORD_BYTES + 1)
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    (root / "link_out.txt").symlink_to(outside)
    (root / "link_broken.txt").symlink_to(tmp_path / "gone.txt")
    (root / "loop").symlink_to(root)  # a directory link loop: not followed
    assert summary(units(root)) == [
        ("binary.md", f"{root}/binary.md: looks binary (it contains NUL bytes); give a UTF-8 "
                      "text, Markdown or HTML file"),
        ("good.txt", None),
        ("huge.txt", f"{root}/huge.txt: record of {MAX_RECORD_BYTES + 1} bytes is larger than "
                     "10 MiB; split it into articles"),
        ("latin1.txt", f"{root}/latin1.txt: not valid UTF-8 (byte 3); convert it, e.g. iconv "
                       "-f latin1 -t utf-8"),
        ("link_broken.txt", f"{root}/link_broken.txt: broken symbolic link; remove it or fix "
                            "its target"),
        ("link_out.txt", f"{root}/link_out.txt: symbolic link to {outside}, outside the input "
                         "directory; copy the file in instead"),
    ]


def test_repeated_ids_get_a_suffix_in_input_order(tmp_path: Path) -> None:
    first = tmp_path / "one.jsonl"
    first.write_text('{"id": "x", "text": "a"}\n{"id": "x", "text": "b"}\n')
    second = tmp_path / "two.jsonl"
    second.write_text('{"id": "x", "text": "c"}\n')
    assert [(u.id, u.text) for u in units(first, second)] == [
        ("x", "a"), ("x#2", "b"), ("x#3", "c")]


# --- JSONL -----------------------------------------------------------------------------------

def test_jsonl_records_and_every_kind_of_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "k1", "text": "Kratom is safe.", "url": "https://a.example/1",
                    "title": "K"}).encode(),
        json.dumps({"text": "No id here."}).encode(),
        b"",  # blank lines are not records
        b"{not json",
        b'{"id": "bad-utf8", "text": "caf\xe9"}',
        b'["a", "list"]',
        json.dumps({"id": "no-text", "body": "x"}).encode(),
        json.dumps({"id": 7, "text": 12}).encode(),
        b'{"id": "big", "text": "' + b"a" * MAX_RECORD_BYTES + b'"}',
        json.dumps({"id": 42, "text": "Numeric id."}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b'\n{"id": "cut", "text": "trunc')
    found = units(path)
    where = f"{path} line"
    assert summary(found) == [
        ("k1", None),
        (f"{path}:2", None),
        (f"{path}:4", f"{where} 4: not valid JSON: Expecting property name enclosed in double "
                      "quotes (column 2)"),
        (f"{path}:5", f"{where} 5: not valid UTF-8 (byte 31); convert the file"),
        (f"{path}:6", f"{where} 6: not a JSON object; each line must be {{...}}"),
        ("no-text", f"{where} 7: field 'text' is missing; give --text-column"),
        ("7", f"{where} 8: field 'text' is not text (int); give --text-column"),
        (f"{path}:9", f"{where} 9: record of {len(lines[8]) + 1} bytes is larger than "
                      "10 MiB; split it into articles"),
        ("42", None),
        (f"{path}:11", f"{where} 11: truncated last line (no newline at the end and not "
                       "valid JSON)"),
    ]
    assert (found[0].url, found[0].title, found[0].text) == (
        "https://a.example/1", "K", "Kratom is safe.")
    assert found[1].source == f"{path} line 2"


def test_jsonl_custom_columns(tmp_path: Path) -> None:
    path = tmp_path / "posts.ndjson"
    path.write_text('{"post": "p1", "body": "Body text.", "link": "https://b.example/x"}')
    options = ReadOptions(text_column="body", id_column="post", url_column="link")
    [unit] = units(path, options=options)
    assert (unit.id, unit.text, unit.url, unit.error) == (
        "p1", "Body text.", "https://b.example/x", None)


# --- CSV -------------------------------------------------------------------------------------

def test_csv_rows_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    path.write_bytes(b'id,text,url\n'
                     b'c1,"A quoted, multi\nline text",https://c.example/1\n'
                     b',No id.,\n'
                     b'c3,caf\xe9 latin-1\n'
                     b'c4\n'
                     b'c5,"unterminated quote\n')
    where = f"{path} row"
    assert summary(units(path)) == [
        ("c1", None),
        (f"{path}:2", None),
        (f"{path}:3", f"{where} 3 (line 5): not valid UTF-8 (byte 0xe9); convert the file"),
        ("c4", f"{where} 4 (line 6): field 'text' is missing; give --text-column"),
        (f"{path}:5", f"{where} 5 (line 7): malformed CSV (unexpected end of data); fix the "
                      "quoting"),
    ]
    assert units(path)[0].text == "A quoted, multi\nline text"


def test_csv_without_the_text_column_is_refused_before_work(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("id,body\n1,x\n")
    with pytest.raises(InputError) as caught:
        check_inputs([str(path)], ReadOptions())
    assert caught.value.message == (f"{path}: no column 'text' (columns: 'id', 'body'); "
                                    "give --text-column")


# --- Parquet ---------------------------------------------------------------------------------

def test_parquet_rows_null_text_and_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "corpus.parquet"
    pq.write_table(pa.table({"id": ["p1", None, "p3"], "text": ["Text one.", "Text two.", None],
                             "url": ["https://d.example/1", None, None]}), path)
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1 this is not parquet")
    found = units(path, corrupt)
    assert [(u.id, u.error) for u in found[:3]] == [
        ("p1", None), (f"{path}:2", None),
        ("p3", f"{path} row 3: field 'text' is missing; give --text-column")]
    assert found[0].url == "https://d.example/1"
    assert found[3].id == f"{corrupt}:1"
    assert found[3].error is not None
    assert found[3].error.startswith(f"{corrupt}: unreadable Parquet (")
    assert found[3].error.endswith("); the rest of the file is skipped")


# --- WARC ------------------------------------------------------------------------------------

def warc_record(uri: str, content_type: str, body: bytes, *, number: int) -> bytes:
    """One WARC/1.0 response record with its block digest, as Common Crawl writes them."""
    block = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
             f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    digest = base64.b32encode(hashlib.sha1(block).digest()).decode()
    headers = ("WARC/1.0\r\nWARC-Type: response\r\n"
               f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
               f"WARC-Date: 2026-01-01T00:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
               "Content-Type: application/http; msgtype=response\r\n"
               f"WARC-Block-Digest: sha1:{digest}\r\nContent-Length: {len(block)}\r\n\r\n")
    return headers.encode() + block + b"\r\n\r\n"


def warc_records(count: int, *, gz: bool, robots: bool = True) -> list[bytes]:
    """Each record serialized alone (record-level gzip when ``gz``); record 1 is robots.txt
    when ``robots``."""
    records = []
    for n in range(count):
        if robots and n == 1:
            record = warc_record("https://www.site1.example/robots.txt", "text/plain",
                                 b"User-agent: *", number=n)
        else:
            record = warc_record(f"https://www.site{n}.example/page", "text/html; charset=utf-8",
                                 PAGE.format(n=n).encode(), number=n)
        records.append(gzip.compress(record, mtime=0) if gz else record)
    return records


def test_warc_gz_html_responses_by_offset(tmp_path: Path) -> None:
    records = warc_records(3, gz=True)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(b"".join(records))
    found = units(path)
    offsets = [0, len(records[0]) + len(records[1])]  # record 1 is robots.txt: not an input
    assert [(u.id, u.html, u.url, u.error) for u in found] == [
        (f"{path}:{offsets[0]}", True, "https://www.site0.example/page", None),
        (f"{path}:{offsets[1]}", True, "https://www.site2.example/page", None)]
    assert "Kratom is not addictive, says page 2." in found[1].text


@pytest.mark.parametrize(("content_type", "body", "expected"), [
    # the page's own <meta charset> when the HTTP header names none
    ("text/html", '<html><head><meta charset="windows-1252"></head><body><p>Kratom '
     "caf\u00e9s sell it as a \u201cremedy\u201d.</p></body></html>".encode("cp1252"),
     "Kratom caf\u00e9s sell it as a \u201cremedy\u201d."),
    # the HTTP charset wins over the page's
    ("text/html; charset=iso-8859-1", '<html><head><meta charset="utf-8"></head><body><p>'
     "Kratom caf\u00e9s sell it.</p></body></html>".encode("latin-1"),
     "Kratom caf\u00e9s sell it."),
    # no declaration and not UTF-8: detected, as a browser would show it, not an error row
    ("text/html", "<html><body><p>Le kratom est vendu dans les caf\u00e9s comme rem\u00e8de "
     "contre la d\u00e9pendance aux opio\u00efdes.</p></body></html>".encode("latin-1"),
     "caf\u00e9s comme rem\u00e8de"),
], ids=["meta charset", "HTTP charset wins", "detected"])
def test_warc_pages_decode_like_fetched_pages(tmp_path: Path, content_type: str, body: bytes,
                                              expected: str) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_record("https://www.site.example/page", content_type, body,
                                 number=0))
    [unit] = units(path)
    assert unit.error is None
    assert expected in unit.text


def test_warc_broken_records(tmp_path: Path) -> None:
    plain = warc_records(3, gz=False, robots=False)
    declared = re.search(rb"Content-Length: (\d+)", plain[1])
    assert declared is not None
    wrong_length = plain[1].replace(declared.group(0),
                                    b"Content-Length: %d" % (int(declared.group(1)) + 5), 1)
    path = tmp_path / "broken.warc"
    path.write_bytes(plain[0] + wrong_length + plain[2])
    truncated = tmp_path / "truncated.warc"
    truncated.write_bytes(plain[0] + plain[1] + plain[2][:-120])
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(gzip.compress(plain[0]) + b"\x1f\x8b\x08garbage" + gzip.compress(plain[2]))
    second = len(plain[0])
    assert summary(units(path, truncated)) == [
        (f"{path}:0", None),
        (f"{path}:{second}", f"{path} offset {second}: WARC-Block-Digest does not match "
                             "(truncated or corrupt record)"),
        (f"{path}:end", f"{path} after offset {second}: unreadable WARC data (Invalid WARC "
                        "header); the rest of the file is skipped"),
        (f"{truncated}:0", None),
        (f"{truncated}:{second}", None),
        (f"{truncated}:{2 * second}", f"{truncated} offset {2 * second}: WARC-Block-Digest "
                                      "does not match (truncated or corrupt record)"),
    ]
    found = summary(units(garbage))
    assert found[0] == (f"{garbage}:0", None)
    assert found[1][0] == f"{garbage}:end"
    assert found[1][1] is not None
    assert found[1][1].startswith(f"{garbage} after offset 0: unreadable WARC data (")


# --- checks before any work ------------------------------------------------------------------

@pytest.mark.parametrize(("name", "message"), [
    ("missing.jsonl", "{path}: no such file or directory; check the path"),
    ("notes.docx", "{path}: unsupported input type; give a directory, .txt, .md, .html, "
                   ".jsonl, .csv, .parquet, .warc or .warc.gz"),
])
def test_bad_input_paths_raise_before_work(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    if name.endswith(".docx"):
        path.write_text("x")
    with pytest.raises(InputError) as caught:
        check_inputs([str(path)], ReadOptions())
    assert caught.value.message == message.format(path=path)


def test_signature_changes_when_a_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"text": "a"}\n')
    before = input_signature([path])
    os.utime(path, ns=(1, 1))
    assert input_signature([path]) != before
    assert input_signature([CORPUS])[0][0] == str(CORPUS / "a_first.txt")
