"""HTML to text: the article's main text and title, via trafilatura (extraction only)."""

from __future__ import annotations

import logging

from auditor.records import Document


def html_to_document(html: str, source: str) -> Document:
    import trafilatura  # imported on first use: it takes ~0.5 s and plain text never needs it

    # trafilatura logs each page it cannot parse; the auditor reports that itself.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    text = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True, deduplicate=False) or ""
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title if metadata is not None else None
    notes: tuple[str, ...] = ()
    if not text.strip() and html.strip():
        notes = ("no article text could be extracted from this HTML",)
    return Document(text=text, source=source, title=title, notes=notes)
