"""Lexicons as data: predicates, cues, rhetoric patterns, terms and conditions.

Each file under corpora/ has a closed schema here; :func:`load_lexicon` reads them all once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from auditor import paths
from auditor.datafiles import Closed, load
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


class TermSchema(Closed):
    id: str
    kind: Literal["made_up", "misapplied", "marketing"]
    phrases: list[str] = Field(min_length=1)
    explanation: str
    suggestion: str | None = None
    # marketing terms: fact-base topics where the phrase is a legitimate product name
    # ("Thieves" in an essential-oil article); elsewhere it is an off-topic keyword.
    topics: list[str] = Field(default_factory=list)
    sources: list[CitationSchema] = Field(default_factory=list)


class TermsFile(Closed):
    version: int
    terms: list[TermSchema]


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
    for path in sorted((root / "terms").glob("*.yaml")):
        terms.extend(load(path, TermsFile).terms)
    return Lexicon(
        predicates=tuple(load(root / "lexicon" / "predicates.yaml", PredicatesFile).predicates),
        cues=load(root / "lexicon" / "cues.yaml", CuesFile),
        rhetoric=tuple(rhetoric),
        terms=tuple(terms),
        conditions=tuple(load(root / "lexicon" / "conditions.yaml", ConditionsFile).conditions),
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
