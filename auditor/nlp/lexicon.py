"""Lexicons as data: predicates, cues, rhetoric patterns, terms and conditions.

Each file under corpora/ has a closed schema here; :func:`load_lexicon` reads them all once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from auditor import paths
from auditor.datafiles import Closed, load
from auditor.errors import DataError
from auditor.factbase.schema import CitationSchema

Sign = Literal["positive", "negative"]


class LexemeSchema(Closed):
    phrase: str = Field(min_length=1)
    sign: Sign = "positive"
    exact: bool = False
    # Which word takes the inflections: the last (default; the first before a particle such
    # as "help with"), or the first ("kill cancer cells" → "kills cancer cells").
    inflect: Literal["last", "first"] = "last"
    only_negated: bool = False
    not_before: list[str] = Field(default_factory=list)
    not_after: list[str] = Field(default_factory=list)


class PredicateSchema(Closed):
    id: str
    claim_type: Literal["efficacy", "safety", "addiction", "mechanism", "pharmacokinetics",
                        "regulatory", "causation", "physiology"]
    # Does the claim name a condition as its object ("relieves *withdrawal*", "causes *autism*")?
    # required: without one the words are not this claim ("cause dependence" is addiction).
    object: Literal["none", "optional", "required"] = "none"
    says_positive: str
    says_negative: str
    exclude: list[str] = Field(default_factory=list)
    lexemes: list[LexemeSchema] = Field(min_length=1)


class PredicatesFile(Closed):
    version: int
    predicates: list[PredicateSchema]


class CuesFile(Closed):
    version: int
    negation: list[str]
    pseudo_negation: list[str]
    contrastive_pseudo_negation: list[str]
    contrast: list[str]
    evidential_negation: list[str]
    hedge: list[str]
    attribution: list[str]
    boundary: list[str]
    scope_end: list[str]
    debunk: list[str] = Field(default_factory=list)


class RhetoricPatternSchema(Closed):
    id: str
    kind: Literal["absolute", "certainty", "hype"]
    phrases: list[str] = Field(min_length=1)
    explanation: str
    suggestion: str | None = None


class RhetoricFile(Closed):
    version: int
    patterns: list[RhetoricPatternSchema]


class TermPatternSchema(Closed):
    """A pattern with a sentence condition: ``near`` names a word set one of whose words must
    be in the sentence ("shedding" only beside a vaccine word), ``not_near`` one that must not
    ("chelate" not beside "poisoning")."""

    match: str
    near: str | None = Field(default=None, pattern=r"^\$[a-z0-9_]+$")
    not_near: str | None = Field(default=None, pattern=r"^\$[a-z0-9_]+$")

    @field_validator("match")
    @classmethod
    def _parses(cls, value: str) -> str:
        parse_pattern(value)
        return value


class TermSchema(Closed):
    id: str
    kind: Literal["made_up", "misapplied", "marketing"]
    phrases: list[str] = Field(default_factory=list)
    # Token patterns for the wordings no phrase list can enumerate ("give your liver a deep
    # detox"); the syntax is documented at :func:`parse_pattern`.
    patterns: list[str | TermPatternSchema] = Field(default_factory=list)
    explanation: str
    suggestion: str | None = None
    # marketing terms: fact-base topics where the phrase is a legitimate product name
    # ("Thieves" in an essential-oil article); elsewhere it is an off-topic keyword.
    topics: list[str] = Field(default_factory=list)
    sources: list[CitationSchema] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _patterns_parse(cls, value: list[str | TermPatternSchema]
                        ) -> list[str | TermPatternSchema]:
        for spec in value:
            if isinstance(spec, str):
                parse_pattern(spec)
        return value

    @model_validator(mode="after")
    def _matches_something(self) -> TermSchema:
        if not self.phrases and not self.patterns:
            raise ValueError("a term needs at least one of phrases or patterns")
        return self


class TermsFile(Closed):
    version: int
    # Named word sets the file's patterns refer to as $name (members may be several words).
    sets: dict[str, list[str]] = Field(default_factory=dict)
    # Words a pattern gap ("...") may not cross besides punctuation and the boundary cues of
    # corpora/lexicon/cues.yaml: clause breakers such as "and", "that", "so".
    gap_stops: list[str] = Field(default_factory=list)
    terms: list[TermSchema]

    @field_validator("sets")
    @classmethod
    def _set_names(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, members in value.items():
            if not re.fullmatch(r"[a-z0-9_]+", name):
                raise ValueError(f"set name {name!r}: use lower-case letters, digits and _")
            if not members:
                raise ValueError(f"set {name!r} is empty")
        return value


class ConditionsFile(Closed):
    version: int
    conditions: list[str]


@dataclass(frozen=True)
class Lexicon:
    predicates: tuple[PredicateSchema, ...]
    cues: CuesFile
    rhetoric: tuple[RhetoricPatternSchema, ...]
    terms: tuple[TermSchema, ...]
    conditions: tuple[str, ...]
    term_patterns: tuple[TermPattern, ...] = ()
    # Words a pattern gap may not cross (punctuation never), from every terms file.
    gap_stops: frozenset[str] = frozenset()

    def predicate(self, predicate_id: str) -> PredicateSchema:
        return next(p for p in self.predicates if p.id == predicate_id)


def load_lexicon(corpora: Path | None = None) -> Lexicon:
    """Every lexicon file under ``corpora`` (default: the resolved corpora/), read once per path."""
    return _load_lexicon(corpora or paths.corpora_dir())


@cache
def _load_lexicon(root: Path) -> Lexicon:
    rhetoric: list[RhetoricPatternSchema] = []
    for path in sorted((root / "rhetoric").glob("*.yaml")):
        rhetoric.extend(load(path, RhetoricFile).patterns)
    terms: list[TermSchema] = []
    patterns: list[TermPattern] = []
    gap_stops: set[str] = set()
    for path in sorted((root / "terms").glob("*.yaml")):
        terms_file = load(path, TermsFile)
        terms.extend(terms_file.terms)
        patterns.extend(resolve_patterns(path, terms_file))
        gap_stops.update(word.lower() for word in terms_file.gap_stops)
    cues = load(root / "lexicon" / "cues.yaml", CuesFile)
    return Lexicon(
        predicates=tuple(load(root / "lexicon" / "predicates.yaml", PredicatesFile).predicates),
        cues=cues,
        rhetoric=tuple(rhetoric),
        terms=tuple(terms),
        conditions=tuple(load(root / "lexicon" / "conditions.yaml", ConditionsFile).conditions),
        term_patterns=tuple(patterns),
        gap_stops=frozenset(gap_stops | {c.lower() for c in cues.boundary + cues.scope_end}),
    )


# Function words after which a phrase's verb is its first word: "help with" → "helps with".
_TRAILING_PARTICLES = frozenset({"with", "against", "to", "for", "in", "of", "from", "on"})


def inflections(word: str) -> set[str]:
    """Regular English inflections of ``word`` (plural/3rd person, past, gerund).

    Over-generation is harmless ("relief" → "reliefs" never occurs); irregular forms are
    listed in the data.
    """
    forms = {word}
    if not word.isalpha() or len(word) < 3:
        return forms
    if word.endswith("e"):
        forms |= {word + "s", word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms |= {word + "es", word + "ed", word + "ing"}
    else:
        forms |= {word + "s", word + "ed", word + "ing"}
    return forms


def phrase_variants(phrase: str, exact: bool = False, inflect: str = "last") -> list[str]:
    """The written forms a phrase matches: itself plus its head word inflected."""
    words = phrase.lower().split()
    if exact or not words:
        return [phrase.lower()]
    first = inflect == "first" or (len(words) > 1 and words[-1] in _TRAILING_PARTICLES)
    head = 0 if first else len(words) - 1
    variants = []
    for form in sorted(inflections(words[head])):
        variants.append(" ".join([*words[:head], form, *words[head + 1:]]))
    return variants


# --- Term patterns -------------------------------------------------------------------------

MAX_GAP = 6  # a longer gap would cross into the next clause however well its stops are chosen


@dataclass(frozen=True)
class Slot:
    """One position of a term pattern: a choice of words (each possibly several tokens
    long, written with spaces), or a gap of up to ``gap`` filler tokens."""

    words: tuple[str, ...] = ()
    optional: bool = False
    gap: int = 0


@dataclass(frozen=True)
class TermPattern:
    """A term pattern with its word sets resolved and its words inflected."""

    term_id: str
    index: int
    slots: tuple[Slot, ...]
    near: frozenset[str] = frozenset()
    not_near: frozenset[str] = frozenset()


_GAP = re.compile(r"\.\.\.([1-9][0-9]*)?")
_WORD = re.compile(r"=?[\w'’./%-]+")


def parse_pattern(text: str) -> list[tuple[str, bool, int]]:
    """The slots of a pattern, as (choice, optional, gap) before sets are resolved.

    A pattern is a line of slots separated by spaces, matched on lower-cased tokens::

        detox|detoxify $your? $organs      one slot per word group, left to right
        word          the word or its regular inflections (detox → detoxes, detoxed, detoxing)
        =word         exactly this word ("=shed", not "sheds")
        a|b|c         any of these words
        $name         any member of the file's word set ``name`` (a member may be several
                      words: "lymph nodes")
        slot?         the slot may be absent
        ...  ...N     up to 3 (N) tokens that are not punctuation or a clause breaker

    A pattern starts and ends with a required word slot, so a match never begins or ends on
    filler. Raises ValueError naming the faulty slot.
    """
    slots: list[tuple[str, bool, int]] = []
    for raw in text.split():
        gap = _GAP.fullmatch(raw)
        if gap:
            size = int(gap.group(1) or 3)
            if size > MAX_GAP:
                raise ValueError(f"pattern {text!r}: gap {raw!r} is longer than {MAX_GAP}")
            slots.append(("", True, size))
            continue
        optional = raw.endswith("?")
        body = raw.removesuffix("?")
        for choice in body.split("|"):
            if not (re.fullmatch(r"\$[a-z0-9_]+", choice) or _WORD.fullmatch(choice)):
                raise ValueError(f"pattern {text!r}: cannot read slot {raw!r} (write word, "
                                 "=word, a|b, $set, slot? or ...N)")
        slots.append((body, optional, 0))
    if not slots:
        raise ValueError("empty pattern")
    for end in (slots[0], slots[-1]):
        if end[1]:
            raise ValueError(f"pattern {text!r} must start and end with a required word slot")
    return slots


def resolve_patterns(path: Path, terms_file: TermsFile) -> list[TermPattern]:
    """The file's term patterns with ``$set`` names replaced by their members and words
    inflected. An unknown set name is a DataError naming the file, term and field."""
    resolved = []
    for t, term in enumerate(terms_file.terms):
        for p, spec in enumerate(term.patterns):
            field = f"terms.{t}.patterns.{p}"
            if isinstance(spec, str):
                spec = TermPatternSchema(match=spec)
            slots = tuple(
                Slot(gap=gap, optional=True) if gap else
                Slot(words=_choices(path, terms_file, term.id, field, body), optional=optional)
                for body, optional, gap in parse_pattern(spec.match))
            resolved.append(TermPattern(
                term.id, p, slots,
                near=_set_words(path, terms_file, term.id, f"{field}.near", spec.near),
                not_near=_set_words(path, terms_file, term.id, f"{field}.not_near",
                                    spec.not_near)))
    return resolved


def _choices(path: Path, terms_file: TermsFile, term_id: str, field: str,
             body: str) -> tuple[str, ...]:
    words: set[str] = set()
    for choice in body.split("|"):
        if choice.startswith("$"):
            words |= _set_words(path, terms_file, term_id, field, choice)
        elif choice.startswith("="):
            words.add(choice[1:].lower())
        else:
            words |= set(phrase_forms(choice))
    return tuple(sorted(words))


def _set_words(path: Path, terms_file: TermsFile, term_id: str, field: str,
               name: str | None) -> frozenset[str]:
    if name is None:
        return frozenset()
    members = terms_file.sets.get(name[1:])
    if members is None:
        known = ", ".join(f"${n}" for n in sorted(terms_file.sets)) or "none"
        raise DataError(str(path), f"unknown word set {name} (this file defines: {known})",
                        entry=term_id, field=field)
    return frozenset(form for member in members for form in phrase_forms(member))


def phrase_forms(phrase: str) -> list[str]:
    """A set member or pattern word with either end inflected ("flush out" → "flushes out",
    "lymph node" → "lymph nodes"); a leading "=" keeps it exact."""
    if phrase.startswith("="):
        return [" ".join(phrase[1:].lower().split())]
    return sorted({form for end in ("first", "last") for form in phrase_variants(phrase,
                                                                                 inflect=end)})
