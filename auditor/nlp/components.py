"""spaCy components of the auditor (factories ``auditor_*``).

The components are thin: the algorithms live in :mod:`auditor.nlp.segment`,
:mod:`auditor.nlp.matching` and :mod:`auditor.nlp.claims`, and are tested without a pipeline.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from auditor.nlp.claims import claims_in
from auditor.nlp.matching import LexiconMatcher
from auditor.nlp.segment import set_sentences

if not Doc.has_extension("auditor_claims"):
    Doc.set_extension("auditor_claims", default=None)


@Language.factory("auditor_segmenter", assigns=["token.is_sent_start"])
def make_segmenter(nlp: Language, name: str) -> SegmenterComponent:
    return SegmenterComponent()


class SegmenterComponent:
    def __call__(self, doc: Doc) -> Doc:
        return set_sentences(doc)


@Language.factory(
    "auditor_lexicon",
    default_config={"corpora": ""},
    assigns=["doc.spans"],
)
def make_lexicon(nlp: Language, name: str, corpora: str) -> LexiconMatcher:
    """Find subjects, predicates, cues, rhetoric and terms (``corpora``: "" = packaged data)."""
    return LexiconMatcher(nlp, Path(corpora) if corpora else None)


@Language.factory(
    "auditor_claims",
    assigns=["doc._.auditor_claims"],
    requires=["doc.sents", "doc.spans"],
)
def make_claims(nlp: Language, name: str) -> ClaimsComponent:
    return ClaimsComponent()


class ClaimsComponent:
    def __call__(self, doc: Doc) -> Doc:
        doc._.auditor_claims = claims_in(doc)
        return doc
