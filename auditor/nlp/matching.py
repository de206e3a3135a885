"""One PhraseMatcher pass over a doc for every lexicon: subjects, predicates, cues, rhetoric,
conditions and terms. Matching is on lower-cased tokens, so it needs only the tokenizer.

Span groups written (each filtered to the longest non-overlapping matches):

    auditor_subjects     label = subject id
    auditor_predicates   label = predicate id; kb_id = claim type;
                         span_id = a LexemeTag (sign, object mode, only_negated)
    auditor_conditions   label = "condition"
    auditor_negations    auditor_evidential   auditor_hedges    auditor_attributions
    auditor_boundaries   auditor_scope_ends   auditor_debunks
    auditor_rhetoric     label = rhetoric pattern id
    auditor_terms        label = term id
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise, product
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from auditor.factbase.loader import load_factbase
from auditor.nlp.lexicon import Lexicon, Slot, TermPattern, load_lexicon, phrase_variants

GROUPS = ("auditor_subjects", "auditor_predicates", "auditor_conditions", "auditor_negations",
          "auditor_evidential", "auditor_hedges", "auditor_attributions", "auditor_boundaries",
          "auditor_scope_ends", "auditor_debunks",
          "auditor_rhetoric", "auditor_terms")


@dataclass(frozen=True)
class LexemeTag:
    """What a predicate match carries to the claim analysis, packed into ``Span.id_``."""

    positive: bool
    object_mode: str  # none · optional · required
    only_negated: bool

    def encode(self) -> str:
        sign = "positive" if self.positive else "negative"
        return f"{sign}:{self.object_mode}:{int(self.only_negated)}"

    @classmethod
    def of(cls, span: Span) -> LexemeTag:
        sign, object_mode, only_negated = span.id_.split(":")
        return cls(sign == "positive", object_mode, only_negated == "1")


class LexiconMatcher:
    def __init__(self, nlp: Language, corpora: Path | None = None) -> None:
        self.lexicon = load_lexicon(corpora)
        self.factbase = load_factbase(corpora)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        # match key → (group, label, kb_id, span_id, not_before, not_after)
        self.keys: dict[str, tuple[str, str, str, str, frozenset[str], frozenset[str]]] = {}
        self._add_all(nlp, self.lexicon)
        # Term patterns (corpora/terms/*.yaml ``patterns:``), one small Matcher each.
        self.term_patterns = [CompiledPattern.of(nlp, pattern, self.lexicon.gap_stops)
                              for pattern in self.lexicon.term_patterns]

    def _add(self, nlp: Language, key: str, phrases: list[str], group: str, label: str,
             span_id: str = "", not_before: list[str] | None = None,
             not_after: list[str] | None = None, kb_id: str = "") -> None:
        self.keys[key] = (group, label, kb_id, span_id, frozenset(not_before or ()),
                          frozenset(not_after or ()))
        self.matcher.add(key, [nlp.make_doc(p) for p in phrases])

    def _add_all(self, nlp: Language, lexicon: Lexicon) -> None:
        for subject in self.factbase.subjects.values():
            names = [subject.name, *subject.aliases]
            self._add(nlp, f"S|{subject.id}", [v for n in names for v in phrase_variants(n, True)],
                      "auditor_subjects", subject.id)
        for predicate in lexicon.predicates:
            for index, lexeme in enumerate(predicate.lexemes):
                span_id = LexemeTag(lexeme.sign == "positive", predicate.object,
                                    lexeme.only_negated).encode()
                self._add(nlp, f"P|{predicate.id}|{index}",
                          phrase_variants(lexeme.phrase, lexeme.exact, lexeme.inflect),
                          "auditor_predicates",
                          predicate.id, span_id, lexeme.not_before, lexeme.not_after,
                          kb_id=predicate.claim_type)
            if predicate.exclude:
                self._add(nlp, f"X|{predicate.id}", [p.lower() for p in predicate.exclude],
                          "excluded", predicate.id)
        # The conditions facts are limited to are conditions too ("autism" in a vaccine fact).
        conditions = {*lexicon.conditions,
                      *(c for f in self.factbase.facts.values() for c in f.conditions)}
        self._add(nlp, "C", [v for c in sorted(conditions) for v in phrase_variants(c)],
                  "auditor_conditions", "condition")
        cues = lexicon.cues
        for group, words in (("auditor_negations", cues.negation),
                             ("pseudo_negations", cues.pseudo_negation),
                             ("contrastive_pseudo", cues.contrastive_pseudo_negation),
                             ("contrast", cues.contrast),
                             ("auditor_evidential", cues.evidential_negation),
                             ("auditor_hedges", cues.hedge),
                             ("auditor_attributions", cues.attribution),
                             ("auditor_boundaries", cues.boundary),
                             ("auditor_scope_ends", cues.scope_end),
                             ("auditor_debunks", cues.debunk)):
            self._add(nlp, group, list(words), group, group.removeprefix("auditor_"))
        for pattern in lexicon.rhetoric:
            self._add(nlp, f"R|{pattern.id}", [p.lower() for p in pattern.phrases],
                      "auditor_rhetoric", pattern.id)
        for term in lexicon.terms:
            # Terms are often verb phrases ("boost your immune system") or plural nouns
            # ("superfoods"): both ends inflect.
            forms = sorted({form for phrase in term.phrases for end in ("first", "last")
                            for form in phrase_variants(phrase, inflect=end)})
            self._add(nlp, f"T|{term.id}", forms, "auditor_terms", term.id)

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[Span]] = defaultdict(list)
        for match_id, start, end in self.matcher(doc):
            group, label, kb_id, span_id, not_before, not_after = self.keys[
                doc.vocab.strings[match_id]]
            if end < len(doc) and doc[end].lower_ in not_before:
                continue
            if start > 0 and doc[start - 1].lower_ in not_after:
                continue
            if group == "auditor_terms" and _tail_of_compound(doc, start):
                continue  # "Jarisch-Herxheimer reaction" is not "Herxheimer reaction"
            found[group].append(Span(doc, start, end, label=label, kb_id=kb_id,
                                     span_id=span_id))
        # A listed phrase is the curated reading of its words: a pattern match overlapping
        # one ("expel rope worms" over "rope worms") gives way to it.
        found["auditor_terms"] += [
            span for span in self._pattern_terms(doc)
            if not any(t.start < span.end and span.start < t.end
                       for t in found["auditor_terms"])]
        pseudo = found["pseudo_negations"] + [
            p for p in found["contrastive_pseudo"]
            if any(c.start > p.end and c.sent == p.sent for c in found["contrast"])]
        # A cue inside a longer cue ("no" in "no doubt", "no evidence") or inside a predicate
        # lexeme ("no side effects", "does nothing for") is not a cue by itself.
        found["auditor_negations"] = _outside(
            found["auditor_negations"],
            pseudo + found["auditor_evidential"] + found["auditor_predicates"])
        # A predicate word inside an exclusion ("history of addiction") or inside a subject's
        # name ("stem cell treatments", "Miracle Mineral Solution") is not a claim.
        found["auditor_subjects"] = subjects = filter_spans(found["auditor_subjects"])
        found["auditor_predicates"] = [
            span for span in found["auditor_predicates"]
            if not any(x.label_ == span.label_ for x in _containing(found["excluded"], span))
            and not any(s.start < span.end and span.start < s.end for s in subjects)]
        for group in GROUPS:
            doc.spans[group] = filter_spans(found[group])
        return doc


    def _pattern_terms(self, doc: Doc) -> list[Span]:
        """Term pattern matches whose sentence meets the pattern's near/not_near condition.

        spaCy's Matcher tries every pattern at every token, so each pattern runs only on the
        sentences holding a word of each of its required slots: most sentences hold none.
        """
        spans = []
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        for sentence in sentences:
            words = {token.lower_ for token in sentence}
            for compiled in self.term_patterns:
                if any(required.isdisjoint(words) for required in compiled.required):
                    continue
                for span in compiled.matcher(sentence, as_spans=True):
                    if compiled.fits(span):
                        spans.append(Span(doc, span.start, span.end,
                                          label=compiled.pattern.term_id))
        return spans


@dataclass(frozen=True)
class CompiledPattern:
    """A term pattern as a spaCy Matcher, with the words a sentence must hold to be tried
    (for each required slot, the first tokens of its words)."""

    pattern: TermPattern
    matcher: Matcher
    required: tuple[frozenset[str], ...]

    @classmethod
    def of(cls, nlp: Language, pattern: TermPattern, gap_stops: frozenset[str]
           ) -> CompiledPattern:
        matcher = Matcher(nlp.vocab)
        matcher.add(f"TP|{pattern.term_id}|{pattern.index}",
                    token_patterns(nlp, pattern, gap_stops))
        required = tuple(frozenset(nlp.make_doc(words)[0].lower_ for words in slot.words)
                         for slot in pattern.slots if not slot.optional)
        return cls(pattern, matcher, required)

    def fits(self, span: Span) -> bool:
        """Not the tail of a hyphenated compound; a ``near`` word in the sentence or the one
        before it (the topic is often set a sentence earlier: "My sister just got the vaccine.
        Shedding is real."); no ``not_near`` word in the sentence."""
        if _tail_of_compound(span.doc, span.start):
            return False
        if self.pattern.near and self.pattern.near.isdisjoint(
                _words_around(span.doc, span.start, span.end, sentences_before=1)):
            return False
        return not self.pattern.not_near or self.pattern.not_near.isdisjoint(
            _words_around(span.doc, span.start, span.end))


def token_patterns(nlp: Language, pattern: TermPattern, gap_stops: frozenset[str]
                   ) -> list[list[dict[str, Any]]]:
    """spaCy Matcher patterns for a term pattern: one per combination of word lengths of its
    slots, so the count stays small whatever the sets hold."""
    per_slot = [_slot_choices(nlp, slot, gap_stops) for slot in pattern.slots]
    return [[token for part in combination for token in part]
            for combination in product(*per_slot)]


def _slot_choices(nlp: Language, slot: Slot, gap_stops: frozenset[str]
                  ) -> list[list[dict[str, Any]]]:
    """The token sequences one slot may match (an empty one when it is optional).

    Words of the same length share one ``IN`` set per position: "lymph node" and "brain
    cell" also match "brain node", harmless over-generation that keeps a 40-member set at
    one or two Matcher patterns instead of forty.
    """
    if slot.gap:
        return [[{"IS_PUNCT": False, "LOWER": {"NOT_IN": sorted(gap_stops)},
                  "OP": f"{{,{slot.gap}}}"}]]
    by_length: dict[int, list[set[str]]] = {}
    for words in slot.words:
        tokens = [t.lower_ for t in nlp.make_doc(words)]
        positions = by_length.setdefault(len(tokens), [set() for _ in tokens])
        for position, token in zip(positions, tokens, strict=True):
            position.add(token)
    choices: list[list[dict[str, Any]]] = [[]] if slot.optional else []
    for length in sorted(by_length):
        choices.append([{"LOWER": {"IN": sorted(words)}} for words in by_length[length]])
    return choices


def _words_around(doc: Doc, start: int, end: int, sentences_before: int = 0
                  ) -> frozenset[str]:
    """The lower-cased words and word pairs of the match's sentence and the
    ``sentences_before`` it (the whole doc when it has no sentences), for near/not_near
    conditions."""
    if not doc.has_annotation("SENT_START"):
        scope = doc[:]
    else:
        sentence = first = doc[start:end].sent
        for _ in range(sentences_before):
            if first.start > 0:
                first = doc[first.start - 1].sent
        scope = doc[first.start:sentence.end]
    words = [t.lower_ for t in scope]
    return frozenset(words) | {f"{a} {b}" for a, b in pairwise(words)}


def spans_in(sentence: Span, group: str) -> list[Span]:
    """The spans of a scanner group (``auditor_subjects``, ...) that lie inside a sentence."""
    return [s for s in sentence.doc.spans[group]
            if sentence.start <= s.start and s.end <= sentence.end]


def _tail_of_compound(doc: Doc, start: int) -> bool:
    """The match starts right after a hyphen joined to a word: it is part of a longer term."""
    return (start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
            and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha)


def _containing(spans: list[Span], inner: Span) -> list[Span]:
    return [s for s in spans if s.start <= inner.start and inner.end <= s.end]


def _outside(spans: list[Span], others: list[Span]) -> list[Span]:
    return [s for s in spans if not _containing(others, s)]
