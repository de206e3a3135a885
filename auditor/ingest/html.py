"""HTML to text: the article's main text and metadata, via trafilatura (extraction only).

libxml2 drops what lies deeper than its nesting limit, and a text node above its size limit,
without an error — text a browser shows but an auditor would never read. So the page is
parsed with lxml's ``huge_tree`` (limits 2048 levels, 1 GB) and handed to trafilatura as a
tree, and what the parser kept is compared with a tag-stripped count of the raw page: when
text went missing, the document carries a note saying how much.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from typing import Any

from auditor.records import Document, Metadata

_INVISIBLE = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# The parse may differ from the tag-stripped count in small ways (entities, stray '<');
# a loss beyond this share and this many characters is reported.
_LOSS_SHARE, _LOSS_CHARS = 0.005, 20


def html_to_document(html: str, source: str, metadata: Metadata | None = None) -> Document:
    """The main text of ``html`` with its title and metadata; ``metadata`` (e.g. the URL and
    retrieval time of a fetch) fills what the page itself does not say."""
    import trafilatura  # imported on first use: it takes ~0.5 s and plain text never needs it

    # trafilatura logs each page it cannot parse; the auditor reports that itself.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    notes: list[str] = []
    text, page = "", None
    tree = _parse(html)
    if tree is not None:
        # Two parses, not one: extraction prunes the tree it is given, while reading the
        # metadata leaves its tree whole for the lost-text count.
        text = trafilatura.extract(_parse(html), include_comments=False, include_tables=False,
                                   favor_precision=True, deduplicate=False) or ""
        page = trafilatura.extract_metadata(tree)
        notes += _lost_text(html, tree)
    if not text.strip() and html.strip():
        notes.append("no article text could be extracted from this HTML")
    return Document(text=text, source=source, title=page.title if page else None,
                    notes=tuple(notes), metadata=_merged(page, metadata or Metadata()))


def _parse(html: str) -> Any:
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    try:
        return document_fromstring(html, parser=HTMLParser(huge_tree=True, remove_comments=True))
    except (etree.ParserError, ValueError):  # e.g. a page of only whitespace or comments
        return None


def _merged(page: Any, given: Metadata) -> Metadata:
    if page is None:
        return given
    return Metadata(url=given.url or page.url, author=given.author or page.author,
                    date=given.date or page.date, site_name=given.site_name or page.sitename,
                    retrieved=given.retrieved)


def _lost_text(html: str, tree: Any) -> list[str]:
    """A note when the parser kept noticeably less text than the page holds (``tree`` is
    the page parsed; its scripts and styles are removed here)."""
    expected = _visible_length(html)
    from lxml import etree

    etree.strip_elements(tree, "script", "style", "template", "noscript", with_tail=False)
    kept = len(_SPACE.sub(" ", " ".join(tree.itertext())).strip())
    lost = expected - kept
    if lost > max(_LOSS_CHARS, expected * _LOSS_SHARE):
        return [f"the HTML parser could read only {kept:,} of about {expected:,} characters of "
                "this page's text (nesting too deep or a text block too large); the rest was "
                "not audited"]
    return []


def _visible_length(html: str) -> int:
    text = _TAG.sub(" ", _INVISIBLE.sub(" ", html))
    return len(_SPACE.sub(" ", html_lib.unescape(text)).strip())
