"""Made-up terms nobody listed: phrases presented as technical terms that no medical
vocabulary knows.

A candidate is a short phrase presented as a term — in quotation marks, in Title Case inside a
sentence, introduced by "known as", "referred to as", "called", "what herbalists call", "acts
as a"…, glossed after a dash ("clustered hydration — smaller water clusters"), or built on a
pseudo-technical head ("reset protocol", "harmony index") — in a sentence about health. Words
joined by hyphens ("neuro-softener", "Wake-Up Phase") are one term. It is flagged when it is
not real terminology (every word known to the vocabulary, a fact-base name or a listed term,
or a curated phrase) and it looks made up: a presentation cue marks it as a term, or it mixes
medical and everyday words the way invented jargon does ("comfort pathways"). A fact-base
name inside a longer phrase does not make the phrase real ("toxin mobilization phase"). A
product name turned into a part or power of the body ("your Thieves points", "VapoRub
immunity") is flagged too; product names in their own context ("a blend called Peace &
Calming", "Thieves oil") are left alone. An everyday figure of speech after words of medicine
("receptor fog", "hepatic silt", "dopamine memory loop") is made up even when every word is
known, unless the vocabulary knows the whole phrase ("immune memory", "brain fog"); with no
cue, such compounds are found with the tagger. Once a phrase is flagged, every occurrence of
it in the text is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from auditor.nlp.matching import spans_in
from auditor.records import Finding
from auditor.terms.vocabulary import Vocabulary, load_presentation

# The word lists are data: corpora/vocabulary/presentation.yaml (its comments say what each
# list is for). Punctuation stays here.
_CUES = load_presentation()
_INTRODUCERS = tuple(tuple(phrase.split()) for phrase in _CUES.introducers)
# "what herbalists call the …", "what people in our group call …": "what" this many words
# before "call" fronts a name.
_CALL_WINDOW = 6
_DASHES = frozenset({"—", "–", "--"})
_OPEN_QUOTES = frozenset({'"', "“", "‘", "'", "«"})
_CLOSE_QUOTES = frozenset({'"', "”", "’", "'", "»"})
_PSEUDO_HEADS = frozenset(_CUES.pseudo_heads)
_METAPHOR_HEADS = frozenset(_CUES.metaphor_heads)
_TERM_HEADS = _PSEUDO_HEADS | _METAPHOR_HEADS | frozenset(_CUES.term_heads)
_CONCEPT_HEADS = _TERM_HEADS | frozenset(_CUES.measure_heads)  # "... Index", "... Transfer"
_ALTERNATIVE = frozenset(_CUES.alternative_qualifiers)
_EVERYDAY_ADJECTIVES = frozenset(_CUES.everyday_adjectives)
_VERB_LICENSERS = frozenset(_CUES.verb_licensers)
_IDIOMS = frozenset(_CUES.idioms)
_PRODUCT_NOUNS = frozenset(_CUES.product_nouns)
_INSTITUTIONS = frozenset(_CUES.institutions)
_PERSON_TITLES = frozenset(_CUES.person_titles)
_REPORTING = frozenset(_CUES.reporting_verbs)
_DETERMINERS = frozenset(_CUES.determiners)
_NAMING = frozenset(_CUES.naming_words) | _DETERMINERS
_BODY_CONCEPTS = frozenset(_CUES.body_concepts)
_POSSESSIVES = frozenset(_CUES.possessives)
_TECHNICAL_WORD = re.compile(rf"^({'|'.join(_CUES.technical_prefixes)})|"
                             rf"({'|'.join(_CUES.technical_suffixes)})$")
_EVALUATIVE = re.compile(rf"({'|'.join(_CUES.evaluative_endings)})$")
_DISCUSSED = frozenset(_CUES.discussed)
# Adjectives made from nouns ("hepatic", "cellular", "hormonal", "bacterial"): the words of
# medicine that modify like nouns do.
_RELATIONAL = re.compile(r"(ic|al|ar|ary|ian)$")
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP"})  # a lower-case word tagged NNP is a noun too
# Endings of the nouns of chemistry and biology ("methylation", "histamine", "halide").
_SCIENTIFIC = re.compile(r"..(ation|ine|ase|ide|ol|one|ium|in)$")
_NOT_A_GLOSS = frozenset(_CUES.not_a_gloss)
_CATEGORIES = frozenset(_CUES.categories)
_CONCEPT_KINDS = frozenset(_CUES.concept_kinds)
_NAMING_CUES = frozenset({"called", "dubbed", "nicknamed"})  # introducers that give a name
_PROFESSIONALS = frozenset(_CUES.professionals)
_LEADS = frozenset(_CUES.leads)
_REGIMENS = frozenset(_CUES.regimens)
_PRODUCT_HEADS = frozenset(_CUES.product_heads)
MAX_WORDS = 4
_PARTICLES = frozenset({"on", "off"})


@dataclass(frozen=True)
class Coinage:
    start: int  # character offsets in the text
    end: int
    phrase: str
    presented: str  # how the text presents it as a term (for the explanation)
    unknown: tuple[str, ...]  # its words no vocabulary knows
    figurative: tuple[str, ...] = ()  # everyday words standing in for a process ("fog")


@dataclass(frozen=True)
class _Candidate:
    phrase: Span
    presented: str
    cued: bool  # a presentation cue marks it as a term; otherwise only its head does


# Tags the words of sentences (part of speech), for the phrases only grammar can delimit.
Tagger = Callable[[list[Span]], list[Doc]]


def find_coinages(doc: Doc, vocabulary: Vocabulary, tagger: Tagger | None = None
                  ) -> list[Coinage]:
    """Every occurrence of every made-up term in a scanned doc. With a tagger, figures of
    speech with no cue at all ("receptor fog") are found too."""
    named = _named_tokens(doc)
    flagged: dict[str, Coinage] = {}
    health = [s for s in doc.sents if _about_health(s, vocabulary)]
    figurative = _tagged(health, tagger)
    for sentence in health:
        candidates = list(_candidates(sentence, vocabulary, named))
        if sentence.start in figurative:
            candidates += _figurative_compounds(sentence, figurative[sentence.start],
                                                vocabulary, named)
        for candidate in candidates:
            if _set_aside(candidate.phrase, named):
                continue
            coinage = _judge(candidate, vocabulary, named)
            if coinage is not None:
                flagged.setdefault(coinage.phrase.lower(), coinage)
        for phrase in _product_as_body(sentence, named, vocabulary):
            flagged.setdefault(phrase.text.lower(), Coinage(
                phrase.start_char, phrase.end_char, phrase.text,
                "a product name made into a part or power of the body", (phrase[0].text,)))
    return _occurrences(doc, flagged)


def _judge(candidate: _Candidate, vocabulary: Vocabulary, named: set[int]) -> Coinage | None:
    phrase = candidate.phrase
    words = [t for t in phrase if _has_letters(t)]
    content = [t for t in words if not t.is_stop]
    if len(content) < 2 or len(words) > MAX_WORDS or vocabulary.knows_phrase(phrase.text):
        return None
    if any(t.lower_ in _INSTITUTIONS or t.lower_ in _IDIOMS for t in words):
        return None
    # A fact-base name or listed term inside a longer phrase is a real word ("toxin").
    unknown = tuple(t.text for t in content if t.i not in named and not _acronym(t)
                    and not vocabulary.knows_word(t.text))
    # An everyday figure of speech after a word of medicine ("dopamine memory loop") is
    # made up even when every word is known: only the whole phrase can be real.
    figurative = tuple(t.text for t in content[1:] if _figure_of_speech(t))
    if not (figurative or _named_in_capitals(content)) and (
            not unknown or all(_TECHNICAL_WORD.search(w.lower()) for w in unknown)):
        return None
    if content[-1].i in named and not figurative:
        return None  # a kind of a real thing: "precipitated withdrawal", "acute gout"
    if _eponym(content, unknown) or _hyphenated_eponym(phrase):
        return None
    mixes = len(unknown) < len(content)  # medical and everyday words together
    if not (candidate.cued or mixes or figurative):
        return None
    return Coinage(phrase.start_char, phrase.end_char, phrase.text, candidate.presented,
                   unknown, figurative)


def _named_in_capitals(content: list[Token]) -> bool:
    """"Neural Plaque Index", "Solar Toxin Transfer": a score or a process in capitals that no
    vocabulary knows is sold, not measured, even when each word is medicine's (real ones,
    "Body Mass Index", "Sudden Infant Death Syndrome", are known phrases or carry a person's
    name)."""
    return (content[-1].lower_ in _CONCEPT_HEADS and len(content) >= 3
            and all(t.is_title for t in content))


def _acronym(token: Token) -> bool:
    """"UV", "PSA", "HPV": an abbreviation of something real, not a coined word."""
    return token.is_upper and len(token.text) >= 2


def _eponym(content: list[Token], unknown: tuple[str, ...]) -> bool:
    """"the Somogyi effect", "Raynaud's phenomenon": a capitalised name before a lower-case
    head is how medicine names things after people. Invented names capitalise every word
    ("Leaf-Calm Response")."""
    return (len(content) == 2 and unknown == (content[0].text,) and content[0].is_title
            and content[1].is_lower)


def _hyphenated_eponym(phrase: Span) -> bool:
    """"Jarisch-Herxheimer" in "a Jarisch-Herxheimer reaction", "Guillain-Barré" before
    "syndrome": capitalised names joined by hyphens before a lower-case noun name a condition
    after the people who described it."""
    doc = phrase.doc
    joined = (all(_joins(t) or t.is_title for t in phrase) and any(_joins(t) for t in phrase)
              and not any(t.whitespace_ for t in phrase[:-1]))
    return (joined and phrase.end < len(doc) and doc[phrase.end].is_lower
            and doc[phrase.end].is_alpha)


def _set_aside(phrase: Span, named: set[int]) -> bool:
    """A real name, a phrase talked about rather than used, or a product."""
    inside = _inside_a_name(phrase, named) and not _figurative(phrase)
    return inside or _discussed(phrase) or _product_context(phrase)


def _figure_of_speech(word: Token) -> bool:
    """An everyday figure of speech, or its -ing form ("silting"). Plurals are not taken
    from their singular: on scientific text they only added false alarms ("charges")."""
    lower = word.lower_
    return lower in _METAPHOR_HEADS or (lower.endswith("ing") and lower[:-3] in _METAPHOR_HEADS)


def _figurative(phrase: Span) -> bool:
    """Ends with a figure of speech: "sugar memory" is no kind of sugar or memory, though
    both words name real things."""
    return _figure_of_speech(phrase[-1])


def _discussed(phrase: Span) -> bool:
    """The "acid-ash" theory, the "entourage" idea: a phrase talked about, not used."""
    doc = phrase.doc
    after = phrase.end
    while after < len(doc) and doc[after].text in _CLOSE_QUOTES:
        after += 1
    return after < len(doc) and doc[after].lower_ in _DISCUSSED


def _inside_a_name(phrase: Span, named: set[int]) -> bool:
    """Every word is part of a fact-base name or listed term ("apricot kernels"), or the
    phrase cuts such a name in two: a real name, or one the term list handles."""
    doc = phrase.doc
    if all(t.i in named for t in phrase if _has_letters(t)):
        return True
    return ((phrase.start > 0 and {phrase.start - 1, phrase.start} <= named)
            or (phrase.end < len(doc) and {phrase.end - 1, phrase.end} <= named))


def _candidates(sentence: Span, vocabulary: Vocabulary, named: set[int]
                ) -> Iterator[_Candidate]:
    yield from _introduced(sentence)
    yield from _called_by_someone(sentence)
    yield from _quoted(sentence, vocabulary)
    yield from _title_case(sentence)
    yield from _dash_glossed(sentence)
    yield from _pseudo_technical(sentence, vocabulary, named)


def _introduced(sentence: Span) -> Iterator[_Candidate]:
    lowered = [t.lower_ for t in sentence]
    for i in range(len(lowered)):
        for cue in _INTRODUCERS:
            if tuple(lowered[i:i + len(cue)]) == cue and not _explainer(sentence, i):
                for candidate in _named_after(sentence, sentence.start + i + len(cue),
                                              f"introduced as a term (\"{' '.join(cue)}\")"):
                    if not _sold_as(candidate.phrase, sentence.start + i, cue):
                        yield candidate


def _sold_as(phrase: Span, cue_at: int, cue: tuple[str, ...]) -> bool:
    """"a zinc gummy called Silverback Daily", "a pre-workout called Iron Dawn": a name in
    capitals given to some thing ("a"/"an" and a noun before the cue) is a product's, unless
    the thing is a kind of idea ("a process called ...") or the name ends like a concept
    ("... Syndrome", "... Reserve")."""
    doc = phrase.doc
    content = [t for t in phrase if _has_letters(t)]
    if cue[-1] not in _NAMING_CUES or cue_at == 0 or not all(t.is_title for t in content):
        return False
    thing = doc[cue_at - 1]
    before = {t.lower_ for t in doc[max(cue_at - 5, 0):cue_at - 1]}
    return (bool(before & {"a", "an"}) and thing.is_alpha and thing.is_lower
            and thing.lower_ not in _CONCEPT_KINDS and thing.lower_ not in _CATEGORIES
            and content[-1].lower_ not in _CONCEPT_HEADS)


def _explainer(sentence: Span, at: int) -> bool:
    """The cue at this index of the sentence follows the kind of thing it names, a kind whose
    names are often unknown words: "a compound known as", "a rare condition called". A figure
    of speech right after the cue is still jargon ("a bacterium's coat called the spirochete
    cloak")."""
    before = [t.lower_ for t in sentence[max(0, at - 3):at] if t.text != ","]
    return bool(_CATEGORIES & set(before[-2:])) and not _figure_follows(sentence, at)


def _figure_follows(sentence: Span, at: int) -> bool:
    named = sentence[at:at + MAX_WORDS + 3]
    return any(_figure_of_speech(t) for t in named[1:])


def _called_by_someone(sentence: Span) -> Iterator[_Candidate]:
    """"what herbalists call the Leaf-Calm Response", "what our group calls 'spike echo'":
    someone's name for a thing, fronted by "what"."""
    for token in sentence:
        if token.lower_ not in {"call", "calls"}:
            continue
        window = sentence.doc[max(sentence.start, token.i - _CALL_WINDOW):token.i + 1]
        before = [t.lower_ for t in window]
        if "what" in before and not (_PROFESSIONALS & set(before)
                                     and not _ALTERNATIVE & set(before)):
            fronted = window[before.index("what"):].text
            yield from _named_after(sentence, token.i + 1,
                                    f"introduced as a term (\"{fronted}\")")


def _named_after(sentence: Span, start: int, presented: str) -> Iterator[_Candidate]:
    """The name that follows a cue: quoted, or the run of term words."""
    doc = sentence.doc
    while start < sentence.end and doc[start].lower_ in _DETERMINERS:
        start += 1
    if start < sentence.end and doc[start].text in _OPEN_QUOTES:
        quoted = _quoted_from(sentence, start)
        if quoted is not None:
            yield _Candidate(quoted, presented, cued=True)
        return
    end = _run_end(sentence, start)
    if end > start:
        yield _Candidate(doc[start:end], presented, cued=True)


def _run_end(sentence: Span, start: int) -> int:
    """The end of the run of term words from start: at most MAX_WORDS words, hyphens
    inside ("cancer-lock enzymes"), never ending on a hyphen."""
    doc = sentence.doc
    end, words = start, 0
    # A name in capitals ends where the capitals do: "called Sun Guard Pro uses…"
    titled = start < sentence.end and doc[start].is_title
    while end < sentence.end and _term_word(doc[end]) and not (
            titled and doc[end].is_lower and not _joins(doc[end - 1])):
        words += _has_letters(doc[end])
        if words > MAX_WORDS:
            break
        end += 1
    while end > start and not _has_letters(doc[end - 1]):
        end -= 1
    return end


def _quoted(sentence: Span, vocabulary: Vocabulary) -> Iterator[_Candidate]:
    for token in sentence:
        if token.text in _OPEN_QUOTES and (token.i == sentence.start
                                           or token.whitespace_ == ""):
            quoted = _quoted_from(sentence, token.i)
            if quoted is None:
                continue
            # Quotation marks also mark quoted speech ("unreasonable risk", "cherry picked"):
            # a quoted phrase that opens with a judging adjective (not one of medicine's,
            # such as "adrenal") or ends with a participle is speech, not a name.
            first, last = quoted[0].lower_, quoted[-1].lower_
            judging = _EVALUATIVE.search(first) and not vocabulary.knows_word(first)
            if last in _TERM_HEADS or not (judging or last.endswith("ed")):
                yield _Candidate(quoted, "set in quotation marks as a term", cued=True)


def _quoted_from(sentence: Span, open_at: int) -> Span | None:
    doc = sentence.doc
    for end in range(open_at + 1, min(open_at + 2 * MAX_WORDS + 2, sentence.end)):
        if doc[end].text in _CLOSE_QUOTES:
            inner = doc[open_at + 1:end]
            words = sum(_has_letters(t) for t in inner)
            return inner if (0 < words <= MAX_WORDS and _has_letters(inner[0])
                             and _has_letters(inner[-1])) else None
        if not _term_word(doc[end]):
            return None
    return None


def _dash_glossed(sentence: Span) -> Iterator[_Candidate]:
    """"micro-clustered hydration — smaller water clusters that…": a phrase defined after a
    dash, the way a glossary introduces a term."""
    doc = sentence.doc
    for token in sentence:
        if token.text not in _DASHES or token.i == sentence.start or not token.whitespace_:
            continue
        start = token.i
        while (start > sentence.start and _term_word(doc[start - 1])
               and sum(_has_letters(t) for t in doc[start - 1:token.i]) <= MAX_WORDS):
            start -= 1
        while start < token.i and not _has_letters(doc[start]):
            start += 1
        gloss = doc[token.i + 1] if token.i + 1 < sentence.end else None
        if (start < token.i and start > sentence.start and doc[start - 1].lower_ in _LEADS
                and doc[start].is_lower
                and gloss is not None and gloss.is_lower and gloss.lower_ not in _NOT_A_GLOSS):
            yield _Candidate(doc[start:token.i], "defined after a dash like a glossary term",
                             cued=True)


def _title_case(sentence: Span) -> Iterator[_Candidate]:
    doc = sentence.doc
    words = [t for t in sentence if t.is_alpha]
    if sum(t.is_title for t in words) * 2 > len(words):
        return  # a heading in Title Case: capitals say nothing there
    i = sentence.start + 1  # the first word of a sentence is capitalised anyway
    while i < sentence.end:
        if doc[i].is_title and doc[i].is_alpha:
            end = i
            while end < sentence.end and ((doc[end].is_title and doc[end].is_alpha)
                                          or doc[end].text == "&" or _joins(doc[end])
                                          or (end > i and _joins(doc[end - 1])
                                              and doc[end].is_alpha)):
                end += 1
            while end > i and not doc[end - 1].is_alpha:
                end -= 1
            spaced = sum(t.is_alpha and not _joins(doc[t.i - 1]) for t in doc[i:end])
            if (spaced >= 2 and doc[end - 1].lower_ in _CONCEPT_HEADS
                    and not _a_person(doc, i, end)):
                yield _Candidate(doc[i:end], "written in Title Case like a named concept",
                                 cued=doc[end - 1].lower_ not in _PRODUCT_HEADS)
            i = max(end, i + 1)
        else:
            i += 1


def _a_person(doc: Doc, start: int, end: int) -> bool:
    """"Dr. Jane Smith", "Jane Smith said": a person's name, not a concept."""
    before = doc[start - 1].lower_ if start > 0 else ""
    after = doc[end].lower_ if end < len(doc) else ""
    return before in _PERSON_TITLES or after in _REPORTING


def _known_pair(modifier: Token, head: Token, vocabulary: Vocabulary, named: set[int]
                ) -> bool:
    """"iron overload", "seizure frequency": a known word or a fact-base name right before
    the head makes a real term, whatever stands further left ("promote iron overload").
    A known word or name before "protocol" names a regimen ("the naloxone protocol", "the
    ivermectin protocol"), however dubious."""
    known_head = vocabulary.knows_word(head.text) or head.lower_ in _REGIMENS
    return known_head and (modifier.i in named or vocabulary.knows_word(modifier.text))


def _pseudo_technical(sentence: Span, vocabulary: Vocabulary, named: set[int]
                      ) -> Iterator[_Candidate]:
    """A phrase built on a pseudo-technical head ("tranquility pathways"). With no cue to
    say where the term starts, the shortest phrase that looks made up is taken and then
    widened only over fact-base names ("tumor starvation protocol"): a longer reach
    swallows verbs ("kids carry spike residue"). Heads that follow the head stay with it
    ("immune imprint overload", "nutrient lock-in effect")."""
    doc = sentence.doc
    for token in sentence:
        if token.lower_ not in _PSEUDO_HEADS or token.i == sentence.start:
            continue
        if token.i + 1 < sentence.end and doc[token.i + 1].lower_ in _PARTICLES:
            continue  # a phrasal verb: "apricot kernels switch on tumour quieting"
        if _joins(doc[token.i - 1]):
            yield from _compound_before_head(sentence, token)
            continue
        if _known_pair(doc[token.i - 1], token, vocabulary, named):
            continue
        presented = f"built on the technical-sounding \"{token.text}\""
        end = _heads_end(sentence, token.i + 1)
        start = token.i
        while start > sentence.start and _term_word(doc[start - 1]):
            start -= 1
            while start - 1 > sentence.start and _joins(doc[start - 1]):
                start -= 2  # the whole compound: "bile-flush"
            if sum(_has_letters(t) for t in doc[start:end]) > MAX_WORDS:
                break
            candidate = _Candidate(doc[start:end], presented, cued=False)
            if _judge(candidate, vocabulary, named) is not None:
                while (start > sentence.start and doc[start - 1].i in named
                       and _term_word(doc[start - 1])
                       and sum(_has_letters(t) for t in doc[start - 1:end]) <= MAX_WORDS):
                    start -= 1
                yield _Candidate(doc[start:end], presented, cued=False)
                break


def _tagged(sentences: list[Span], tagger: Tagger | None) -> dict[int, Doc]:
    """The sentences where a figure of speech may follow a word (a cheap test on the words
    first: tagging is the expensive part), tagged, by their first token."""
    if tagger is None:
        return {}
    chosen = [s for s in sentences
              if any(_figure_of_speech(t) and t.i > s.start for t in s)]
    return {s.start: tagged for s, tagged in zip(chosen, tagger(chosen), strict=True)}


def _figurative_compounds(sentence: Span, tagged: Doc, vocabulary: Vocabulary,
                          named: set[int]) -> Iterator[_Candidate]:
    """Noun compounds whose head is an everyday figure of speech and whose modifiers are words
    of medicine: "receptor fog", "thyroid receptor dullness", "tick-borne nerve imprinting".
    The tags say the head is a noun ("clinics charge $500" has a verb)."""
    doc = sentence.doc
    for head in tagged:
        if not _figure_of_speech(head) or not _noun_head(head):
            continue
        start = head.i
        while start > 0:
            if start >= 2 and _joins(tagged[start - 1]):
                start -= 2  # the whole compound: "tick-borne", "sun-memory"
            elif _modifier(tagged, start - 1, vocabulary, named, sentence.start):
                start -= 1
            else:
                break
        if start == head.i or head.i - start > 2 * MAX_WORDS:
            continue
        end = head.i + 1
        while end < len(tagged) and tagged[end].lower_ in _TERM_HEADS:
            end += 1  # "dopamine memory loop"
        phrase = doc[sentence.start + start:sentence.start + end]
        if not vocabulary.knows_phrase(phrase.text):
            yield _Candidate(phrase, f"an everyday word (\"{head.text}\") used as a medical "
                             "process", cued=False)


def _noun_head(word: Token) -> bool:
    """Tagged a noun, or a bare verb right after a singular noun where no modal or "to"
    licenses a verb: the tagger takes unfamiliar compounds ("cortisol backflow") for a noun
    and a verb, but "your liver can drain" is a clause."""
    if word.tag_ in _NOUN_TAGS:
        return True
    doc = word.doc
    if word.tag_ == "VBG" and word.i >= 1 and doc[word.i - 1].tag_ in {"JJ", "NN"}:
        return True  # a gerund after its modifier names a process: "viral ghosting"
    if (word.tag_ == "JJ" and word.i >= 1 and doc[word.i - 1].tag_ in {"NN", "NNP"}
            and (word.i + 1 == len(doc) or doc[word.i + 1].tag_ not in _NOUN_TAGS)):
        return True  # an adjective ending a compound is its noun: "enamel static before"
    return (word.tag_ == "VB" and word.i >= 2 and doc[word.i - 1].tag_ == "NN"
            and doc[word.i - 2].lower_ not in _VERB_LICENSERS
            and not (word.i >= 3 and doc[word.i - 3].lower_ in _VERB_LICENSERS))


def _modifier(tagged: Doc, i: int, vocabulary: Vocabulary, named: set[int], offset: int
              ) -> bool:
    """A word of medicine modifying the noun after it: a known noun ("receptor"), a
    technical adjective ("hepatic", "mitochondrial"), or a fact-base name."""
    word = tagged[i]
    if not word.is_alpha or word.is_stop or word.lower_ in _EVERYDAY_ADJECTIVES:
        return False
    scientific = bool(_TECHNICAL_WORD.search(word.lower_) or _SCIENTIFIC.search(word.lower_))
    if word.tag_ in {"NN", "NNP"}:  # singular: a plural before a noun is rarely a modifier
        return vocabulary.knows_word(word.text) or i + offset in named or scientific
    # The tagger often takes an unfamiliar noun for an adjective ("histamine patience").
    return word.tag_ == "JJ" and (scientific or (bool(_RELATIONAL.search(word.lower_))
                                                 and vocabulary.knows_word(word.text)))


def _heads_end(sentence: Span, end: int) -> int:
    """Past the term heads and hyphenated tails that continue a pseudo-technical head."""
    doc = sentence.doc
    while end < sentence.end:
        if doc[end].lower_ in _PSEUDO_HEADS or doc[end].lower_ in _TERM_HEADS:
            end += 1
        elif _joins(doc[end]) and end + 1 < sentence.end:
            end += 2
        else:
            break
    return end


def _compound_before_head(sentence: Span, token: Token) -> Iterator[_Candidate]:
    """The pseudo-technical word ends a hyphenated compound ("carb-shadow"): a candidate only
    when the compound names a term ("the carb-shadow effect"); alone it is usually an
    adjective ("high-frequency sound waves")."""
    doc = sentence.doc
    start = token.i - 1
    while start > sentence.start and (_joins(doc[start]) or _joins(doc[start - 1])):
        start -= 1
    end = token.i + 1
    if end < sentence.end and doc[end].lower_ in _TERM_HEADS:
        yield _Candidate(doc[start:end + 1],
                         f"built on the technical-sounding \"{token.text}\"", cued=False)


def _term_word(token: Token) -> bool:
    return ((token.is_alpha or ("-" in token.text and any(c.isalpha() for c in token.text)))
            and not (token.is_stop and token.lower_ not in {"&"})) or _joins(token)


def _joins(token: Token) -> bool:
    """A hyphen with no space either side joins two words into one ("neuro-softener")."""
    doc = token.doc
    return (token.text == "-" and not token.whitespace_ and token.i > 0
            and not doc[token.i - 1].whitespace_ and token.i + 1 < len(doc)
            and _has_letters(doc[token.i - 1]) and _has_letters(doc[token.i + 1]))


def _has_letters(token: Token) -> bool:
    return any(c.isalpha() for c in token.text)


def _product_context(phrase: Span) -> bool:
    """"a blend called Peace & Calming", "the doTERRA blend On Guard", "Thieves oil": a
    product named as a product. The product noun must lead straight to the name."""
    doc = phrase.doc
    i = phrase.start - 1
    while i >= max(phrase.start - 4, 0):
        word = doc[i]
        if word.lower_ in _PRODUCT_NOUNS or _compound_ending_at(doc, i) in _PRODUCT_NOUNS:
            return True
        if not (word.lower_ in _NAMING or word.text in _OPEN_QUOTES
                or (word.is_alpha and not word.is_lower)):
            break
        i -= 1
    after = doc[phrase.end:phrase.end + 2]
    return any(t.lower_ in _PRODUCT_NOUNS for t in after)


def _compound_ending_at(doc: Doc, i: int) -> str:
    """The hyphenated compound that ends with token i ("roll-on"), lower-cased."""
    start = i
    while start >= 2 and _joins(doc[start - 1]):
        start -= 2
    return doc[start:i + 1].text.lower()


def _product_as_body(sentence: Span, named: set[int], vocabulary: Vocabulary
                     ) -> Iterator[Span]:
    """"your Thieves points", "toddlers with VapoRub immunity": a capitalised product name
    (not a word of medicine, not the first of the sentence) right before a part or power of
    the body. Eponyms take a capital too ("Erb's point"), so the name must be a listed
    term or fact-base name, written like a brand (an inner capital, "VapoRub"), or made the
    reader's own ("your Thieves points"). Acronyms ("COVID immunity") are not brands."""
    doc = sentence.doc
    for token in sentence:
        if token.i < sentence.start + 2 or token.lower_ not in _BODY_CONCEPTS:
            continue
        brand = doc[token.i - 1]
        owner = doc[max(brand.i - 2, 0)] if doc[brand.i - 1].lower_ == "own" else doc[brand.i - 1]
        branded = (brand.i in named or any(c.isupper() for c in brand.text[1:])
                   or owner.lower_ in _POSSESSIVES)
        if (brand.is_alpha and brand.text[0].isupper() and not brand.is_upper
                and token.is_lower and branded and not vocabulary.knows_word(brand.text)):
            yield doc[brand.i:token.i + 1]


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
    text = doc.text  # built from the tokens on every access: read it once
    lowered = text.lower()
    for key, coinage in flagged.items():
        start = lowered.find(key)
        while start != -1:
            end = start + len(key)
            bounded = ((start == 0 or not lowered[start - 1].isalnum())
                       and (end == len(lowered) or not lowered[end].isalnum()))
            if bounded:
                found.append(replace(coinage, start=start, end=end,
                                     phrase=text[start:end]))
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
    return Finding(
        id="", category="misused_term", severity="warning", start=coinage.start,
        end=coinage.end, quote=coinage.phrase, rule="terms.coinage", confidence=0.6,
        explanation=(f'"{coinage.phrase}" is {coinage.presented}, but it is not a term of '
                     f"medicine: no drug, disease, anatomy or pharmacology vocabulary the "
                     f"auditor knows has it{_why_unknown(coinage)}. Invented jargon makes a "
                     "claim sound scientific without saying anything checkable."),
        suggestion="Say in plain words what is meant, or drop the phrase.")


def _why_unknown(coinage: Coinage) -> str:
    said = []
    if coinage.unknown:
        said.append("nor the words " + ", ".join(f'"{w}"' for w in coinage.unknown))
    if coinage.figurative:
        figures = ", ".join(f'"{w}"' for w in coinage.figurative)
        said.append(f"and {figures} is a figure of speech there, not a process of the body")
    return ", " + "; ".join(said) if said else ""
