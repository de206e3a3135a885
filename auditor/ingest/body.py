"""A fetched body: inflate it under a cap, tell binary from text, and decode its charset.

httpx's own decoders inflate a whole chunk at once (64 KiB of gzip can become 64 MiB in one
call), so the fetcher reads the raw bytes and inflates them here in bounded steps, the way
Scrapy's decompression-bomb guard does.
"""

from __future__ import annotations

import codecs
import re
import zlib
from email.message import Message

_STEP = 64 * 1024

# Magic numbers of formats that are never a web page (WHATWG MIME Sniffing §7).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "a Windows executable"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"%!PS", "a PostScript document"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_DETECTION_SLICE = 5000
# The legacy default of browsers in most locales (WHATWG Encoding); a detector tie between
# single-byte code pages (cp1250 vs cp1252 read "café" alike) goes to it, or "crème"
# would come out as "crčme".
_LEGACY_DEFAULT = "cp1252"


class BodyError(Exception):
    """The body cannot be read as a page (the message says why)."""


class TooLarge(BodyError):
    """The body passed the size cap."""


class CappedDecoder:
    """Removes one Content-Encoding (gzip or deflate) without ever holding more than
    ``limit`` decoded bytes; stacked or unknown encodings are refused."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise BodyError(f"the server stacked content encodings ({content_encoding}); "
                           "the auditor accepts at most one")
        self.coding = codings[0] if codings else None
        if self.coding not in (None, "gzip", "x-gzip", "deflate"):
            raise BodyError(f"the server used content encoding {self.coding!r}, which the "
                           "auditor did not ask for")
        self.limit, self.size = limit, 0
        self._inflater: zlib._Decompress | None = None

    def feed(self, data: bytes) -> bytes:
        if self.coding is None:
            return self._count(data)
        if self._inflater is None:
            self._inflater = zlib.decompressobj(_window_bits(self.coding, data))
        out = []
        try:
            while data and not self._inflater.eof:
                piece = self._inflater.decompress(data, _STEP)
                out.append(self._count(piece))
                data = self._inflater.unconsumed_tail
        except zlib.error as exc:
            raise BodyError(f"the {self.coding} body is corrupt ({exc})") from None
        return b"".join(out)

    def flush(self) -> bytes:
        if self._inflater is None:
            return b""
        return self._count(self._inflater.flush(_STEP))

    def _count(self, piece: bytes) -> bytes:
        self.size += len(piece)
        if self.size > self.limit:
            what = "decompresses to" if self.coding else "is"
            raise TooLarge(f"the page {what} more than {size_text(self.limit)}")
        return piece


def size_text(size: int) -> str:
    return f"{size / 2**20:.0f} MiB" if size >= 2**20 else f"{size} bytes"


def _window_bits(coding: str, first: bytes) -> int:
    if coding != "deflate":
        return 16 + zlib.MAX_WBITS  # gzip header and trailer
    # "deflate" should be zlib-wrapped (RFC 9110) but some servers send a raw stream.
    wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] * 256 + first[1]) % 31 == 0
    return zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS


def binary_kind(content: bytes) -> str | None:
    """What binary format ``content`` is, by its first bytes, or None for text."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    if b"\x00" in content[:1024] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data (it contains NUL bytes)"
    return None


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _declared_charset(content_type: str) -> str | None:
    message = Message()
    message["content-type"] = content_type or "text/plain"
    charset = message.get_param("charset")
    return charset if isinstance(charset, str) and charset.strip() else None


def decode_text(content: bytes, content_type: str, *, html: bool
                ) -> tuple[str, str, tuple[str, ...]]:
    """(text, charset used, notes). Order: byte-order mark, the HTTP charset, the page's
    ``<meta charset>``, UTF-8, a detector on bounded slices, and last UTF-8 with replacement
    characters — each step that was overruled leaves a note."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            return content.decode(name, errors="replace"), name, ()
    declared = _declared_charset(content_type)
    if declared is None and html:
        found = _META_CHARSET.search(content[:4096])
        declared = found.group(1).decode("ascii") if found else None
    notes: list[str] = []
    for candidate in dict.fromkeys((declared, "utf-8")):
        if candidate is None:
            continue
        decoded = _strict(content, candidate)
        if decoded is not None:
            return decoded, candidate.lower(), tuple(notes)
        if candidate == declared:
            notes.append(f"the page declares charset {declared!r}, but its bytes are not "
                         f"{declared}")
    return _detected(content, notes)


def _strict(content: bytes, charset: str) -> str | None:
    try:
        return content.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return None


def _detected(content: bytes, notes: list[str]) -> tuple[str, str, tuple[str, ...]]:
    from charset_normalizer import from_bytes

    sample = content if len(content) <= 2 * _DETECTION_SLICE else (
        content[:_DETECTION_SLICE] + content[-_DETECTION_SLICE:])
    matches = from_bytes(sample)
    best = matches.best()
    if best is not None:
        encoding = best.encoding
        if any(match.encoding == _LEGACY_DEFAULT and match.chaos <= best.chaos
               and match.coherence >= best.coherence for match in matches):
            encoding = _LEGACY_DEFAULT
        notes.append(f"decoded as {encoding} (detected)")
        return content.decode(encoding, errors="replace"), encoding, tuple(notes)
    notes.append("the charset could not be determined; undecodable bytes were replaced")
    return content.decode("utf-8", errors="replace"), "utf-8", tuple(notes)
