"""Claim structuring: from matched lexicon spans to (subject, relation, object, polarity).

The functions here work on any :class:`~spacy.tokens.Doc` carrying the ``auditor_*`` span
groups written by the lexicon component. When the doc has a dependency parse, negation
scope follows the tree; without one (``spacy.blank("en")``, tests), it falls back to a
NegEx-style window: a cue negates what follows within six tokens, up to a clause boundary
(Chapman et al. 2001, "A simple algorithm for identifying negated findings and diseases in
discharge summaries", J Biomed Inform 34:301–310).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from auditor.nlp.matching import LexemeTag
from auditor.records import Claim, overlaps

NEGATION_WINDOW = 6  # NegEx's default window, in tokens

# Words that point back to a subject named earlier ("it alleviates pain").
_ANAPHORS = frozenset({"it", "its", "they", "their", "these", "this", "them", "such"})
# "These oils", "the shots", "this remedy": the kinds of thing a subject is, after a determiner.
_ANAPHOR_NOUNS = frozenset({
    "herb", "plant", "alkaloids", "compounds", "substance", "leaf", "leaves", "product",
    "products", "drug", "supplement", "supplements", "remedy", "oil", "oils", "shot", "shots",
    "jab", "jabs", "vaccine", "vaccines", "pill", "pills", "drop", "drops", "water", "tea",
    "protocol", "capsule", "capsules", "powder"})
# Pronouns that point back from object position ("you cannot overdose on *it*").
_OBJECT_ANAPHORS = frozenset({"it", "them"})
# How a negation cue hangs off the word it negates, in spaCy's English dependency labels.
_CUE_DEPS = frozenset({"neg", "det", "advmod", "preconj", "aux", "nummod", "amod", "quantmod"})
# Subjects that are themselves negations: "None of them is approved". ("Nothing cures
# cancer like X" praises X, so "nothing" is left out.)
_NEGATIVE_SUBJECTS = frozenset({"none", "no", "nobody", "neither"})
_TREATMENT_TYPES = frozenset({"efficacy", "regulatory"})
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "advcl", "relcl", "parataxis"})
_OBJECT_DEPS = frozenset({"dobj", "pobj", "prep", "attr", "acomp", "oprd", "xcomp", "pcomp",
                          "compound", "amod", "npadvmod", "dative", "agent"})
_QUANTITY = re.compile(
    r"(?P<lo>\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(?P<hi>\d+(?:\.\d+)?)\s*)?"
    r"(?P<unit>hours?|hrs?|h|minutes?|mins?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """One predicate lexeme found in a sentence, with what its context does to it."""

    span: Span
    predicate: str
    positive: bool
    cues: tuple[Span, ...]


def sentence_claims(sent: Span) -> list[Claim]:
    """Structure the claims one sentence makes."""
    doc = sent.doc
    mentions = [m for m in _mentions(sent) if m is not None and not _asked(sent, m.span)]
    if not mentions:
        return []
    subject, anaphoric = _subject(sent)
    conditions = _within(doc.spans["auditor_conditions"], sent)
    hedges = [h for h in _within(doc.spans["auditor_hedges"], sent)
              if not any(_overlaps(h, m.span) for m in mentions)]
    attributions = _within(doc.spans["auditor_attributions"], sent)
    absolute = any(s.label_.startswith("rhetoric.absolute")
                   for s in _within(doc.spans["auditor_rhetoric"], sent))
    # One claim per predicate, polarity and clause: "X isn't habit-forming and you can quit
    # X with no withdrawal" makes two claims, each with its own span.
    groups: dict[tuple[str, bool, int], list[Mention]] = {}
    for mention in mentions:
        key = (mention.predicate, mention.positive, _clause_of(mention.span))
        groups.setdefault(key, []).append(mention)
    claims = []
    for (predicate, positive, _), group in groups.items():
        object_mode = LexemeTag.of(group[0].span).object_mode
        condition = _object(group, conditions, subject) if object_mode != "none" else None
        if object_mode == "required" and (condition is None or _names_other_claim(
                condition, group, mentions, conditions)):
            continue  # "can cause dependence" is an addiction claim, not a causation claim
        subject_text = subject.text if subject is not None else None
        if subject is None and not anaphoric:
            # No subject we know: still a health claim when a noun phrase claims an effect on
            # a condition ("Turmeric cures cancer"); reported as unchecked, never judged.
            subject_text = _unknown_subject(group, conditions)
            if subject_text is None:
                continue
        start, end = _extent(sent, group)
        quantity = None
        if predicate == "peak_concentration":
            quantity, quantity_end = _quantity(sent)
            end = max(end, quantity_end)
        claims.append(Claim(
            start=doc[start].idx, end=doc[end - 1].idx + len(doc[end - 1].text),
            text=doc[start:end].text,
            subject=subject.label_ if subject is not None else None,
            subject_text=subject_text,
            relation=predicate, object=condition,
            polarity="positive" if positive else "negative",
            hedged=any(_hedges(h, m.span) for h in hedges for m in group),
            absolute=absolute,
            cues=tuple(sorted({c.text.lower() for m in group for c in m.cues})),
            sentence_start=sent.start_char, sentence_end=sent.end_char,
            quantity=quantity,
            needs_antecedent=subject is None and anaphoric,
            attributed=any(_attributes(a, m.span) for a in attributions for m in group),
        ))
    return claims


def _mentions(sent: Span) -> Iterable[Mention | None]:
    # The lexicon component writes each lexeme's sign (and "only_negated") into span_id.
    spans = _within(sent.doc.spans["auditor_predicates"], sent)
    # Words naming what a treatment is for: "treats opioid addiction", "approved for seizures".
    efficacy = [s for s in spans if s.kb_id_ in _TREATMENT_TYPES]
    for span in spans:
        tag = LexemeTag.of(span)
        cues = negation_cues(span)
        negated = len(cues) % 2 == 1
        if tag.only_negated and not negated:
            yield None
        elif ((not negated or tag.only_negated) and span.kb_id_ not in _TREATMENT_TYPES
              and _is_treated_condition(span, efficacy, cues)):
            # "treats opioid addiction", "no evidence that it is effective for withdrawal":
            # the condition is what is treated, not an addiction claim
            yield None
        else:
            yield Mention(span, span.label_, tag.positive != negated, cues)


def _asked(sent: Span, mention: Span) -> bool:
    """Is the mention what a yes/no question asks about ("Is kratom safe?", "Does the vaccine
    change my DNA?")? A question asserts nothing; a clause it embeds still may ("Did you know
    kratom is non-addictive?"). Needs the parse: the question opens with its auxiliary."""
    words = [t for t in sent if not t.is_space]
    if not sent.doc.has_annotation("DEP") or not words or words[-1].text != "?":
        return False
    first = words[0]
    return first.pos_ == "AUX" and _clause_of(mention) == first.head.i


def _is_treated_condition(span: Span, efficacy: list[Span], cues: tuple[Span, ...]) -> bool:
    """Is ``span`` a condition named as the object of an efficacy word before it? Not when
    one of its negation cues stands between them: "relieves pain with *no* withdrawal" denies
    withdrawal, while "*no* evidence that it is effective for withdrawal" denies the
    treatment."""
    treating = _treating_word(span, efficacy)
    return treating is not None and not any(
        treating <= cue.start and cue.end <= span.start for cue in cues)


def _treating_word(span: Span, efficacy: list[Span]) -> int | None:
    """The end of the efficacy word that ``span``, a condition, is the object of."""
    doc = span.doc
    if not any(_overlaps(span, c) for c in doc.spans["auditor_conditions"]):
        return None
    earlier = [e for e in efficacy if e.end <= span.start]
    if not earlier:
        return None
    if doc.has_annotation("DEP"):
        heads = {t.i: e.end for e in earlier for t in e}
        for ancestor in span.root.ancestors:
            if ancestor.i in heads:
                return heads[ancestor.i]
            if ancestor.pos_ in ("VERB", "AUX"):
                return None
        return None
    nearest = max(e.end for e in earlier)
    if span.start - nearest > NEGATION_WINDOW or any(
            nearest <= b.start < span.start for b in doc.spans["auditor_boundaries"]):
        return None
    return nearest


def negation_cues(mention: Span) -> tuple[Span, ...]:
    """The negation cues whose scope covers ``mention`` (an odd count negates it)."""
    doc = mention.doc
    sent = mention.sent
    cues = [c for c in doc.spans["auditor_negations"]
            if c.sent.start == sent.start and not _overlaps(c, mention)]
    found: list[Span] = []
    if cues:
        found = (_cues_by_tree(mention, cues) if doc.has_annotation("DEP")
                 else _cues_by_window(mention, cues))
    return tuple(found) + tuple(_evidential_cues(mention))


def _evidential_cues(mention: Span) -> list[Span]:
    """"No evidence that ..." negates the rest of the sentence, up to a scope end."""
    doc = mention.doc
    found = []
    for cue in _within(doc.spans["auditor_evidential"], mention.sent):
        if cue.end <= mention.start and not any(
                cue.end <= end.start < mention.start for end in doc.spans["auditor_scope_ends"]):
            found.append(cue)
    return found[-1:]  # one denial of evidence, however many times it is repeated


def _cues_by_tree(mention: Span, cues: list[Span]) -> list[Span]:
    """Cues on the path from the mention up to its clause head, attached to that path, or
    negating the clause's subject ("*No* product has been approved")."""
    cue_at = {token.i: cue for cue in cues for token in cue}
    found: dict[int, Span] = {}
    path = list(_path_to_clause(mention.root))
    subjects = [c for c in path[-1].children if c.dep_ in ("nsubj", "nsubjpass")]
    for token in path + subjects:
        if token.i in cue_at and (token in path or token.lower_ in _NEGATIVE_SUBJECTS):
            found[cue_at[token.i].start] = cue_at[token.i]
        for child in token.children:
            if child.i in cue_at and child.dep_ in _CUE_DEPS:
                found[cue_at[child.i].start] = cue_at[child.i]
    return [found[k] for k in sorted(found)]


def _path_to_clause(token: Token) -> Iterable[Token]:
    yield token
    while token.dep_ not in _CLAUSE_DEPS and token.head is not token:
        # A verb joined by "and" is its own claim ("does not relieve pain and causes harm");
        # joined by "or"/"nor" it shares the negation ("has not authorized or approved it").
        if token.dep_ == "conj" and token.pos_ in ("VERB", "AUX") and not any(
                c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in token.head.children):
            return
        token = token.head
        yield token


def _clause_of(span: Span) -> int:
    """An id for the clause ``span`` stands in: its clause head when parsed (verbs joined
    without a subject of their own share it: "relieves pain, reduces anxiety and improves
    sleep"), else the number of clause boundaries before it in the sentence."""
    if span.doc.has_annotation("DEP"):
        token = span.root
        while token.dep_ not in _CLAUSE_DEPS and token.head is not token:
            if token.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass")
                                            for c in token.children):
                break
            token = token.head
        return token.i
    return sum(span.sent.start <= b.start < span.start
               for b in span.doc.spans["auditor_boundaries"])


def _cues_by_window(mention: Span, cues: list[Span]) -> list[Span]:
    doc = mention.doc
    boundary = doc.spans["auditor_boundaries"]
    limit = max(mention.sent.start, mention.start - NEGATION_WINDOW)
    for b in boundary:
        if limit <= b.start < mention.start:
            limit = b.end
    return [c for c in cues if limit <= c.start and c.end <= mention.start]


def _subject(sent: Span) -> tuple[Span | None, bool]:
    """The subject mention the sentence is about, and whether it refers back instead."""
    mentions = _within(sent.doc.spans["auditor_subjects"], sent)
    parsed = sent.doc.has_annotation("DEP")
    if mentions:
        if parsed:
            for mention in mentions:
                if any(t.dep_ in ("nsubj", "nsubjpass") for t in mention):
                    return mention, False
        return mentions[0], False
    return None, any(_is_anaphor(token, parsed) for token in sent)


def _is_anaphor(token: Token, parsed: bool) -> bool:
    """A pronoun or "these compounds" standing as the subject of a clause."""
    word = token.lower_
    if word in _ANAPHOR_NOUNS:
        determiner = token.nbor(-1).lower_ if token.i > token.sent.start else ""
        if determiner not in ("the", "this", "these", "its", "their"):
            return False
    elif word not in _ANAPHORS:
        return False
    if parsed:
        return token.dep_ in ("nsubj", "nsubjpass") or (
            token.dep_ == "poss" and token.head.dep_ in ("nsubj", "nsubjpass")) or (
            _is_object_anaphor(token))
    # Without a parse: the sentence or a subordinate clause opens with it.
    before = token.nbor(-1).lower_ if token.i > token.sent.start else ""
    return before in ("", "that", "while", "because", "as", "and", "but", "since", "these",
                      "the", "this", "its", "their")


def _is_object_anaphor(token: Token) -> bool:
    """A pronoun as the object of a verb or preposition ("you cannot overdose on *it*", "quit
    *it* any time") whose clause has no noun for a subject: the claim is about what it
    points back to. "Turmeric cures cancer, try it" is about turmeric, so not then."""
    if token.lower_ not in _OBJECT_ANAPHORS or token.dep_ not in ("dobj", "pobj"):
        return False
    clause = token
    while clause.dep_ not in _CLAUSE_DEPS and clause.head is not clause:
        clause = clause.head
    return not any(t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN")
                   for t in clause.subtree)


def _unknown_subject(group: list[Mention], conditions: list[Span]) -> str | None:
    """The noun phrase that makes an efficacy claim about a condition, when we can see one:
    the grammatical subject when parsed, else the words opening the sentence ("Turmeric
    cures cancer")."""
    first = min(group, key=lambda m: m.span.start).span
    if first.kb_id_ not in ("efficacy", "causation") or not any(
            c.start >= first.start for c in conditions):
        return None
    doc = first.doc
    if doc.has_annotation("DEP"):
        for token in (first.root, *first.root.ancestors):
            for child in token.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ in ("NOUN", "PROPN"):
                    return doc[child.left_edge.i:child.i + 1].text
            if token.dep_ in _CLAUSE_DEPS:
                break
    opening = doc[first.sent.start:first.start]
    if 0 < len(opening) <= 4 and all(t.is_alpha for t in opening) and opening[0].is_title:
        return opening.text
    return None


def _hedges(hedge: Span, mention: Span) -> bool:
    """Does the hedge scope over the mention? Parsed: the hedge's verb governs it ("research
    suggests that it can relieve pain, reduce anxiety and improve sleep"). Else: no clause
    boundary stands between them."""
    if mention.doc.has_annotation("DEP"):
        verb = hedge.root if hedge.root.pos_ == "VERB" else hedge.root.head
        return verb == mention.root or verb in mention.root.ancestors
    return _same_clause(hedge, mention)


def _attributes(cue: Span, mention: Span) -> bool:
    """Is the mention inside a reported claim? "According to X" covers its sentence; a
    reporting verb ("sellers say that ...") covers what it governs (without a parse: what
    follows it)."""
    if cue.text.lower().startswith("according"):
        return True
    if mention.doc.has_annotation("DEP"):
        return cue.root in mention.root.ancestors
    return cue.end <= mention.start


def _same_clause(a: Span, b: Span) -> bool:
    """No clause boundary (comma, "but", ...) stands between the two spans."""
    first, second = (a, b) if a.start <= b.start else (b, a)
    return not any(first.end <= x.start < second.start
                   for x in a.doc.spans["auditor_boundaries"])


def _names_other_claim(condition: str, group: list[Mention], mentions: list[Mention],
                       conditions: list[Span]) -> bool:
    """Is the object also another predicate's word ("cause *addiction*")?"""
    spans = [c for c in conditions if c.text == condition]
    others = [m.span for m in mentions if m not in group]
    return any(_overlaps(c, o) for c in spans for o in others)


def _object(group: list[Mention], conditions: list[Span],
            subject: Span | None = None) -> str | None:
    """The condition the claim is about: the nearest after the predicate ("relieves
    withdrawal"), else one just before it ("a cancer treatment"); never the subject itself
    ("*Measles* strengthens children's immunity" is about immunity)."""
    first = min(m.span.start for m in group)
    named = [c for c in conditions if subject is None or not _overlaps(c, subject)]
    after = [c for c in named if c.start >= first]
    if after:
        return min(after, key=lambda c: c.start).text
    before = [c for c in named if c.end == first]
    return before[0].text if before else None


def _extent(sent: Span, group: list[Mention]) -> tuple[int, int]:
    """Token range of the claim: its predicate words, their cues, verb and object."""
    doc = sent.doc
    pieces = [m.span for m in group] + [c for m in group for c in m.cues]
    start = min(p.start for p in pieces)
    end = max(p.end for p in pieces)
    if doc.has_annotation("DEP"):
        for mention in group:
            anchors = [mention.span.root, *(c.root for c in mention.cues)]
            for anchor in anchors:
                head = _governing_verb(anchor)
                if head is not None and sent.start <= head.i < start:
                    start = head.i
                end = max(end, _right_edge(anchor) + 1)
    end = min(end, sent.end)
    while end - 1 > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _governing_verb(token: Token) -> Token | None:
    for candidate in (token, *token.ancestors):
        if candidate.pos_ in ("VERB", "AUX"):
            return candidate
        if candidate.dep_ in _CLAUSE_DEPS:
            return None
    return None


def _right_edge(token: Token) -> int:
    """Rightmost token of the phrase ``token`` heads, leaving out clauses joined to it."""
    if token.dep_ in ("amod", "compound") and token.head.i > token.i:
        token = token.head
    edge = token.i
    for child in token.rights:
        if child.dep_ in _OBJECT_DEPS:
            edge = max(edge, child.right_edge.i)
    return edge


def _quantity(sent: Span) -> tuple[tuple[float, float, str] | None, int]:
    """A duration stated in the sentence, in hours, and the token index just after it."""
    match = _QUANTITY.search(sent.text)
    if match is None:
        return None, 0
    lo = float(match["lo"])
    hi = float(match["hi"]) if match["hi"] else lo
    if match["unit"].lower().startswith("m"):
        lo, hi = lo / 60, hi / 60
    span = sent.char_span(match.start(), match.end(), alignment_mode="expand")
    return (lo, hi, "hour"), (span.end if span is not None else 0)


def _within(spans: Iterable[Span], sent: Span) -> list[Span]:
    return [s for s in spans if sent.start <= s.start and s.end <= sent.end]


def _overlaps(a: Span, b: Span) -> bool:
    return overlaps(a.start, a.end, b.start, b.end)


def claims_in(doc: Doc) -> list[Claim]:
    """All claims in ``doc``, in order."""
    claims: list[Claim] = []
    for sent in doc.sents:
        claims.extend(sentence_claims(sent))
    return claims
