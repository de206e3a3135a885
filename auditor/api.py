"""The library entry point: ``Auditor().audit(text_or_path) -> Report``."""

from __future__ import annotations

import copy
import os
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span

from auditor import __version__, paths
from auditor.factbase.loader import load_factbase
from auditor.ingest.sources import read_source
from auditor.judge.verdict import Judge, finalize
from auditor.learning.reader import LearnedReader, Reading, reading_finding
from auditor.learning.term_tagger import TermTagger, learned_term_finding
from auditor.nlp import components as _components  # noqa: F401  (registers the factories)
from auditor.nlp.lexicon import load_lexicon
from auditor.nlp.pipeline import (
    build_analyzer,
    build_scanner,
    load_model,
    model_label,
    sentence_tagger,
)
from auditor.records import Claim, Document, Finding, Report, overlaps
from auditor.terms.coinage import coinage_finding, find_coinages
from auditor.terms.glosses import conflicting_definitions
from auditor.terms.vocabulary import load_vocabulary

BATCH_SIZE = 64  # sentences per parser batch; spaCy's default order of magnitude


class Auditor:
    """Loads the pipeline and the fact base once; audits any number of texts.

    Args:
        spacy_model: name of an installed English spaCy model (default: see
            :func:`auditor.nlp.pipeline.load_model`).
        corpora: a corpora/ folder to use instead of the packaged one.
        parse: run the dependency parser on claim sentences (better negation scope). With
            ``False`` only the tokenizer runs and negation uses a word window.
        claim_detector: read the sentences the rules found no claim in with the trained claim
            detector, and list the claims it finds as ``unchecked``
            (see :mod:`auditor.learning.reader`).
        learned_stance: also judge those claims against the fact base with the stance model
            (off by default: on the dev articles it added false alarms and no recall).
        models: a models/ folder to use instead of the packaged one.
        coinages: flag made-up terms nobody listed (see :mod:`auditor.terms.coinage`).
        term_model: also flag the misused and made-up terms the trained term model finds where
            no rule did (see :mod:`auditor.learning.term_tagger`).
    """

    def __init__(self, *, spacy_model: str | None = None, corpora: Path | None = None,
                 parse: bool = True, claim_detector: bool = True, learned_stance: bool = False,
                 models: Path | None = None, coinages: bool = True,
                 term_model: bool = True) -> None:
        self.lexicon = load_lexicon(corpora)
        self.factbase = load_factbase(corpora)
        self.vocabulary = load_vocabulary(corpora) if coinages else None
        self.judge = Judge(self.factbase, self.lexicon)
        self.parse = parse
        model = load_model(spacy_model) if parse else None
        self.scanner = build_scanner(model, corpora)
        self.analyzer = build_analyzer(model, self.scanner, corpora)
        self._tag = sentence_tagger(self.analyzer)
        self.models = models or paths.models_dir()
        self.reader = (LearnedReader(self.scanner, self.factbase, self.models,
                                     stance=learned_stance)
                       if claim_detector or learned_stance else None)
        self.term_tagger = TermTagger.load(self.models, corpora) if term_model else None
        self.metadata: dict[str, Any] = {
            "version": __version__,
            "factbase_version": self.factbase.version,
            "models": {"spacy": model_label(model) if model is not None else "none (tokenizer)",
                       "claim_detector": "on" if self.reader else "off",
                       "learned_stance": "on" if learned_stance else "off",
                       "term_model": "on" if term_model else "off"},
        }

    def with_learned_stance(self) -> Auditor:
        """This auditor with the stance pass switched on, sharing its pipeline, fact base and
        vocabulary (only the stance model is loaded); itself when the pass is already on."""
        if self.reader is not None and self.reader.stance is not None:
            return self
        variant = copy.copy(self)
        variant.reader = LearnedReader(self.scanner, self.factbase, self.models, stance=True)
        variant.metadata = {**self.metadata,
                            "models": {**self.metadata["models"], "learned_stance": "on"}}
        return variant

    def audit(self, source: str | os.PathLike[str] | Document) -> Report:
        """Audit a text. ``source`` is a :class:`Document`, a path (``Path``, or a ``str`` that
        names an existing file on one line), or else the text itself."""
        return next(self.audit_many([source]))

    def audit_many(self, sources: Iterable[str | os.PathLike[str] | Document]
                   ) -> Iterator[Report]:
        """Audit many texts, batching the parser across them for speed; reports keep order."""
        batch: list[Document] = []
        for source in sources:
            batch.append(_as_document(source))
            if len(batch) >= BATCH_SIZE:
                yield from self._audit_batch(batch)
                batch = []
        if batch:
            yield from self._audit_batch(batch)

    def _audit_batch(self, documents: list[Document]) -> Iterator[Report]:
        scans = list(self.scanner.pipe(d.text for d in documents))
        claims = self._claims(scans)
        readings = self._readings(scans, claims)
        for document, scan, doc_claims, doc_readings in zip(documents, scans, claims, readings,
                                                            strict=True):
            yield self._report(document, scan, doc_claims, doc_readings)

    def _claims(self, scans: list[Doc]) -> list[list[Claim]]:
        found: list[list[Claim]] = [[] for _ in scans]
        for i, sent, doc in self.parsed_sentences(scans):
            found[i].extend(_place(claim, sent) for claim in doc._.auditor_claims)
        return found

    def _readings(self, scans: list[Doc], claims: list[list[Claim]]) -> list[list[Reading]]:
        """The learned pass over sentences where the rules found no claim, batched across
        documents."""
        if self.reader is None:
            return [[] for _ in scans]
        owners, sentences = [], []
        for i, (scan, doc_claims) in enumerate(zip(scans, claims, strict=True)):
            judged = {c.sentence_start for c in doc_claims}
            for sent in scan.sents:
                if sent.start_char not in judged:
                    owners.append(i)
                    sentences.append(sent)
        found: list[list[Reading]] = [[] for _ in scans]
        index_of = {id(s): i for s, i in zip(sentences, owners, strict=True)}
        for reading in self.reader.read(sentences):
            found[index_of[id(reading.sentence)]].append(reading)
        return found

    def parsed_sentences(self, scans: list[Doc]) -> Iterator[tuple[int, Span, Doc]]:
        """(document index, sentence in the scan, analysed sentence doc) for each sentence
        that holds a predicate word, parsing them all in one stream for speed."""
        owners: list[tuple[int, Span]] = [
            (i, sent) for i, scan in enumerate(scans) for sent in _claim_sentences(scan)]
        docs = self.analyzer.pipe((sent.as_doc() for _, sent in owners), batch_size=BATCH_SIZE)
        for (i, sent), doc in zip(owners, docs, strict=True):
            yield i, sent, doc

    def _report(self, document: Document, scan: Doc, claims: list[Claim],
                readings: list[Reading]) -> Report:
        text = document.text
        claims = resolve_antecedents(claims, scan.spans["auditor_subjects"])
        findings: list[Finding] = [
            self.judge.claim_finding(c, text, self.parse) for c in claims]
        # The judge picks the rhetoric that overstates: by pattern kind, health context,
        # negation and the verdicts on the sentence's claims (corpora/rhetoric/overstatement.yaml).
        findings += self.judge.overstatements(scan.spans["auditor_rhetoric"], findings)
        findings += self.judge.misused_terms(scan.spans["auditor_terms"],
                                             scan.spans["auditor_subjects"])
        findings += [reading_finding(r) for r in readings]
        if self.vocabulary is not None:
            findings += [coinage_finding(c)
                         for c in find_coinages(scan, self.vocabulary, self._tag)]
        findings += self._learned_terms(scan, findings)
        findings = self._terms_in_context(scan, findings)
        notes = document.notes
        if not text.strip():
            notes = (*notes, "empty document: there is no text to audit")
        return Report(source=document.source, title=document.title, text=text,
                      findings=finalize(findings), auditor=self.metadata, notes=notes,
                      metadata=document.metadata)


    def _learned_terms(self, scan: Doc, findings: list[Finding]) -> list[Finding]:
        """The term model's findings where no rule flagged a term: a rule's finding explains
        itself better, so it is kept instead."""
        if self.term_tagger is None:
            return []
        flagged = [(f.start, f.end) for f in findings if f.category == "misused_term"]
        return [learned_term_finding(term) for term in self.term_tagger.find(scan)
                if not any(overlaps(term.span.start_char, term.span.end_char, start, end)
                           for start, end in flagged)]

    def _terms_in_context(self, scan: Doc, findings: list[Finding]) -> list[Finding]:
        """Term findings read against their document: a term in a sentence that calls it a
        myth ("there is no such thing as adrenal fatigue") is named, not misused; the others
        say so when the text defines the term in incompatible ways."""
        debunking = {span.sent.start for span in scan.spans["auditor_debunks"]}
        kept: list[Finding] = []
        terms: list[Span] = []
        for finding in findings:
            if finding.category == "misused_term":
                span = scan.char_span(finding.start, finding.end, alignment_mode="expand")
                if span is not None and span.sent.start in debunking:
                    continue
                if span is not None:
                    terms.append(span)
            kept.append(finding)
        conflicts = conflicting_definitions(scan, terms, self.factbase)
        return [replace(f, explanation=f.explanation + conflicts[f.quote.lower()])
                if f.category == "misused_term" and f.quote.lower() in conflicts else f
                for f in kept]


def resolve_antecedents(claims: list[Claim], subjects: Iterable[Span]) -> list[Claim]:
    """Give claims that point back ("it relieves pain") the nearest subject named before."""
    mentions = sorted((s.end_char, s.label_) for s in subjects)
    resolved = []
    for claim in claims:
        if claim.needs_antecedent:
            before = [label for end, label in mentions if end <= claim.sentence_start]
            if before:
                claim = replace(claim, subject=before[-1])
        resolved.append(claim)
    return resolved


def _claim_sentences(scan: Doc) -> list[Span]:
    """Sentences holding at least one predicate word (a sorted search: long texts have
    thousands of both)."""
    starts = sorted(s.start for s in scan.spans["auditor_predicates"])
    chosen = []
    for sent in scan.sents:
        first = bisect_left(starts, sent.start)
        if first < len(starts) and starts[first] < sent.end:
            chosen.append(sent)
    return chosen


def _place(claim: Claim, sent: Span) -> Claim:
    """Move a claim found in a sentence doc to its place in the whole text; its sentence is
    the scanner's (the parser may split a sentence further)."""
    offset = sent.start_char
    return replace(claim, start=claim.start + offset, end=claim.end + offset,
                   sentence_start=sent.start_char, sentence_end=sent.end_char)


def _names_a_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # too long for a file name, or holds a NUL: it is text
        return False


def _as_document(source: str | os.PathLike[str] | Document) -> Document:
    if isinstance(source, Document):
        return source
    if isinstance(source, os.PathLike):
        return read_source(os.fspath(source))
    if "\n" not in source and len(source) < 4096 and _names_a_file(source):
        return read_source(source)
    return Document(text=source, source="<text>")
