"""Made-up terms nobody listed: phrases presented as technical terms that no medical
vocabulary knows.

A candidate is a short phrase presented as a term — in quotation marks, in Title Case inside a
sentence, introduced by "known as", "referred to as", "called", "acts as a"…, or built on a
pseudo-technical head ("reset protocol", "harmony index") — in a sentence about health. It is
flagged when it is not real terminology (every word known to the vocabulary, or a curated
phrase, a fact-base name or a listed term) and it looks made up: it was introduced as a term,
or it mixes medical and everyday words the way invented jargon does ("comfort pathways").
Product names in their own context ("a blend called Peace & Calming", "Thieves oil") are left
alone. Once a phrase is flagged, every occurrence of it in the text is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from auditor.nlp.matching import spans_in
from auditor.records import Finding
from auditor.terms.vocabulary import Vocabulary

_INTRODUCERS = (("known", "as"), ("referred", "to", "as"), ("called",), ("termed",),
                ("dubbed",), ("so", "-", "called"), ("so-called",), ("acts", "as", "a"),
                ("act", "as", "a"), ("acting", "as", "a"), ("acting", "like"), ("acts", "like"),
                ("what", "experts", "call"), ("what", "we", "call"))
_OPEN_QUOTES = frozenset({'"', "“", "‘", "'", "«"})
_CLOSE_QUOTES = frozenset({'"', "”", "’", "'", "»"})
_PSEUDO_HEADS = frozenset({
    "protocol", "protocols", "pathway", "pathways", "reset", "index", "matrix", "blueprint",
    "cascade", "code", "field", "alignment", "harmony", "activation", "technology",
    "frequency", "frequencies", "vibration", "vibrations", "circuit", "loop", "switch",
    "sequence", "grid", "portal", "shield", "response", "phase", "reflex", "residue",
    "shadow", "imprint", "overload", "lock", "deficit", "zone"})
# Title Case phrases count as terms only when they end like one: "Cellular Harmony Index",
# not "United States" or "Jane Smith".
_TERM_HEADS = _PSEUDO_HEADS | frozenset({
    "effect", "factor", "syndrome", "therapy", "method", "system", "process", "phase", "point",
    "score", "level", "potency", "transfer", "balance", "state", "mode", "formula",
    "technique", "principle", "theory", "cycle", "deficit", "overload", "lock", "flush",
    "reflex", "resonance", "residue", "shadow", "imprint"})
# Everyday figures of speech built on the same heads: "the domino effect" is no coinage.
_IDIOMS = frozenset({"domino", "ripple", "snowball", "butterfly", "halo", "knock-on",
                     "greenhouse", "yo-yo", "bandwagon", "placebo", "nocebo", "side"})
_PRODUCT_NOUNS = frozenset({
    "blend", "blends", "oil", "oils", "product", "products", "brand", "spray", "supplement",
    "supplements", "tea", "teas", "line", "company", "app", "kit", "capsules", "tincture",
    "gummies", "drops", "cream", "lotion", "balm", "powder", "shampoo", "soap", "gum", "rub",
    "salve", "serum", "pills", "tablets", "syrup", "patch", "patches", "mask", "stick"})
_INSTITUTIONS = frozenset({
    "clinic", "hospital", "institute", "institutes", "center", "centre", "university",
    "association", "society", "foundation", "administration", "agency", "department",
    "organization", "organisation", "college", "council", "board", "school", "journal",
    "network", "service", "services", "program", "programme", "commission", "court",
    "laboratory", "laboratories", "inc", "ltd", "llc", "corp", "company", "group",
    "reporting", "registry", "surveillance"})
_PERSON_TITLES = frozenset({"dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "prof",
                            "prof.", "professor", "nurse", "doctor", "dean", "senator"})
_REPORTING = frozenset({"said", "says", "told", "wrote", "explained", "added", "noted"})
_DETERMINERS = frozenset({"the", "your", "a", "an", "our", "their", "this", "its", "his", "her"})
MAX_WORDS = 4


@dataclass(frozen=True)
class Coinage:
    start: int  # character offsets in the text
    end: int
    phrase: str
    presented: str  # how the text presents it as a term (for the explanation)
    unknown: tuple[str, ...]  # its words no vocabulary knows


def find_coinages(doc: Doc, vocabulary: Vocabulary) -> list[Coinage]:
    """Every occurrence of every made-up term in a scanned doc."""
    named = _named_tokens(doc)
    flagged: dict[str, Coinage] = {}
    for sentence in doc.sents:
        if not _about_health(sentence, vocabulary):
            continue
        for phrase, presented in _candidates(sentence, vocabulary):
            if any(t.i in named for t in phrase) or _product_context(phrase):
                continue
            coinage = _judge(phrase, presented, vocabulary)
            if coinage is not None:
                flagged.setdefault(coinage.phrase.lower(), coinage)
    return _occurrences(doc, flagged)


def _judge(phrase: Span, presented: str, vocabulary: Vocabulary) -> Coinage | None:
    words = [t for t in phrase if t.is_alpha or "-" in t.text]
    content = [t for t in words if not t.is_stop]
    if len(content) < 2 or len(words) > MAX_WORDS or vocabulary.knows_phrase(phrase.text):
        return None
    if any(t.lower_ in _INSTITUTIONS or t.lower_ in _IDIOMS for t in words):
        return None
    unknown = tuple(t.text for t in content if not vocabulary.knows_word(t.text))
    if not unknown:
        return None
    mixes = len(unknown) < len(content)  # medical and everyday words together
    introduced = presented.startswith("introduced")
    if not (introduced or mixes):
        return None
    return Coinage(phrase.start_char, phrase.end_char, phrase.text, presented, unknown)


def _candidates(sentence: Span, vocabulary: Vocabulary) -> Iterator[tuple[Span, str]]:
    yield from _introduced(sentence)
    yield from _quoted(sentence)
    yield from _title_case(sentence)
    yield from _pseudo_technical(sentence, vocabulary)


def _introduced(sentence: Span) -> Iterator[tuple[Span, str]]:
    doc = sentence.doc
    lowered = [t.lower_ for t in sentence]
    for i in range(len(lowered)):
        for cue in _INTRODUCERS:
            if tuple(lowered[i:i + len(cue)]) != cue:
                continue
            start = sentence.start + i + len(cue)
            while start < sentence.end and doc[start].lower_ in _DETERMINERS:
                start += 1
            if start < sentence.end and doc[start].text in _OPEN_QUOTES:
                quoted = _quoted_from(sentence, start)
                if quoted is not None:
                    yield quoted, f"introduced as a term (\"{' '.join(cue)}\")"
                continue
            end = start
            while end < sentence.end and end - start < MAX_WORDS and _term_word(doc[end]):
                end += 1
            if end > start:
                yield doc[start:end], f"introduced as a term (\"{' '.join(cue)}\")"


def _quoted(sentence: Span) -> Iterator[tuple[Span, str]]:
    for token in sentence:
        if token.text in _OPEN_QUOTES and (token.i == sentence.start
                                           or token.whitespace_ == ""):
            quoted = _quoted_from(sentence, token.i)
            # Quotation marks also mark quoted speech ("unreasonable risk"): only a quoted
            # phrase that ends like a term counts.
            if quoted is not None and quoted[-1].lower_ in _TERM_HEADS:
                yield quoted, "set in quotation marks as a term"


def _quoted_from(sentence: Span, open_at: int) -> Span | None:
    doc = sentence.doc
    for end in range(open_at + 1, min(open_at + MAX_WORDS + 2, sentence.end)):
        if doc[end].text in _CLOSE_QUOTES:
            inner = doc[open_at + 1:end]
            return inner if len(inner) and all(_term_word(t) for t in inner) else None
        if not _term_word(doc[end]):
            return None
    return None


def _title_case(sentence: Span) -> Iterator[tuple[Span, str]]:
    doc = sentence.doc
    words = [t for t in sentence if t.is_alpha]
    if sum(t.is_title for t in words) * 2 > len(words):
        return  # a heading in Title Case: capitals say nothing there
    i = sentence.start + 1  # the first word of a sentence is capitalised anyway
    while i < sentence.end:
        if doc[i].is_title and doc[i].is_alpha:
            end = i
            while end < sentence.end and ((doc[end].is_title and doc[end].is_alpha)
                                          or doc[end].text == "&"):
                end += 1
            if (end - i >= 2 and doc[end - 1].lower_ in _TERM_HEADS
                    and not _a_person(doc, i, end)):
                yield doc[i:end], "written in Title Case like a named concept"
            i = end
        else:
            i += 1


def _a_person(doc: Doc, start: int, end: int) -> bool:
    """"Dr. Jane Smith", "Jane Smith said": a person's name, not a concept."""
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].lower_ if end < len(doc) else ""
    return before in _PERSON_TITLES or after in _REPORTING


def _known_pair(modifier: Token, head: Token, vocabulary: Vocabulary) -> bool:
    """"iron overload": a known word right before the head makes a real term, whatever
    stands further left ("promote iron overload")."""
    return vocabulary.knows_word(modifier.text) and vocabulary.knows_word(head.text)


def _pseudo_technical(sentence: Span, vocabulary: Vocabulary) -> Iterator[tuple[Span, str]]:
    doc = sentence.doc
    for token in sentence:
        if token.lower_ not in _PSEUDO_HEADS or token.i == sentence.start:
            continue
        start = token.i
        while (start > sentence.start and token.i - start < MAX_WORDS - 1
               and _term_word(doc[start - 1])):
            start -= 1
        if start < token.i and not _known_pair(doc[token.i - 1], token, vocabulary):
            yield doc[start:token.i + 1], f"built on the technical-sounding \"{token.text}\""


def _term_word(token: Token) -> bool:
    return (token.is_alpha or ("-" in token.text and any(c.isalpha() for c in token.text))) \
        and not (token.is_stop and token.lower_ not in {"&"})


def _product_context(phrase: Span) -> bool:
    """"a blend called Peace & Calming", "Thieves oil": a product named as a product."""
    doc = phrase.doc
    before = doc[max(phrase.start - 4, 0):phrase.start]
    after = doc[phrase.end:phrase.end + 2]
    return (any(t.lower_ in _PRODUCT_NOUNS for t in before)
            or any(t.lower_ in _PRODUCT_NOUNS for t in after))


def _named_tokens(doc: Doc) -> set[int]:
    """Tokens of fact-base names and listed terms: real names, or handled by the term list."""
    return {i for group in ("auditor_subjects", "auditor_terms", "auditor_conditions")
            for span in doc.spans[group] for i in range(span.start, span.end)}


def _about_health(sentence: Span, vocabulary: Vocabulary) -> bool:
    if any(spans_in(sentence, group) for group in ("auditor_subjects", "auditor_predicates",
                                                     "auditor_conditions")):
        return True
    return sum(vocabulary.knows_word(t.text) for t in sentence
               if t.is_alpha and not t.is_stop) >= 2


def _occurrences(doc: Doc, flagged: dict[str, Coinage]) -> list[Coinage]:
    """Each flagged phrase wherever it appears, presented as a term or not."""
    found = []
    lowered = doc.text.lower()
    for key, coinage in flagged.items():
        start = lowered.find(key)
        while start != -1:
            end = start + len(key)
            bounded = ((start == 0 or not lowered[start - 1].isalnum())
                       and (end == len(lowered) or not lowered[end].isalnum()))
            if bounded:
                found.append(Coinage(start, end, doc.text[start:end], coinage.presented,
                                     coinage.unknown))
            start = lowered.find(key, start + 1)
    return _longest(found)


def _longest(found: list[Coinage]) -> list[Coinage]:
    """Overlapping occurrences ("Cellular Harmony" in "Cellular Harmony Index"): the longest."""
    kept: list[Coinage] = []
    for coinage in sorted(found, key=lambda c: (c.start, -(c.end - c.start))):
        if kept and coinage.start < kept[-1].end:
            continue
        kept.append(coinage)
    return kept


def coinage_finding(coinage: Coinage) -> Finding:
    unknown = ", ".join(f'"{w}"' for w in coinage.unknown)
    return Finding(
        id="", category="misused_term", severity="warning", start=coinage.start,
        end=coinage.end, quote=coinage.phrase, rule="terms.coinage", confidence=0.6,
        explanation=(f'"{coinage.phrase}" is {coinage.presented}, but it is not a term of '
                     f"medicine: no drug, disease, anatomy or pharmacology vocabulary the "
                     f"auditor knows has it, nor the words {unknown}. Invented jargon makes a "
                     "claim sound scientific without saying anything checkable."),
        suggestion="Say in plain words what is meant, or drop the phrase.")
