"""Reading sources: every failure is one InputError naming the source and what to do."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.ingest.sources import read_source

FIXTURES = Path(__file__).parent / "fixtures"


def test_text_file_is_read_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# Title\nKratom isn't habit-forming.\n", encoding="utf-8")
    document = read_source(str(path))
    assert document.text == "# Title\nKratom isn't habit-forming.\n"
    assert document.source == str(path)


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfKratom.")
    assert read_source(str(path)).text == "Kratom."


def test_html_gives_main_text_and_title() -> None:
    document = read_source(str(FIXTURES / "article.html"))
    assert document.title == "Kratom for withdrawal: what you should know"
    assert "you can quit kratom any time with no withdrawal" in document.text
    assert "Subscribe to our newsletter" not in document.text
    assert "All rights reserved" not in document.text


def test_stdin_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Kratom is safe.")))
    document = read_source("-")
    assert (document.text, document.source) == ("Kratom is safe.", "<stdin>")


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("missing.txt", None, "missing.txt: no such file; check the path"),
    ("binary.txt", b"\x7fELF\x00\x00\x01", "binary.txt: looks binary"),
    ("latin1.txt", "café".encode("latin-1"), "latin1.txt: not valid UTF-8 (byte 3)"),
    ("notes.pdf", b"%PDF-1.4", "notes.pdf: unsupported file type '.pdf'"),
])
def test_bad_sources_raise_one_line_errors(tmp_path: Path, name: str, content: bytes | None,
                                           expected: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_source(str(path))
    assert expected in caught.value.message
    assert str(path) in caught.value.message
    assert "\n" not in caught.value.message


def test_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "drafts.md"
    folder.mkdir()
    with pytest.raises(InputError, match="is a directory"):
        read_source(str(folder))


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0,
                    reason="root can read files without read permission")
def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_source(str(path))
