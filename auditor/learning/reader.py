"""The learned pass of an audit, over the sentences where the rules found no claim.

The claim detector reads each of them. A sentence it takes for a health claim becomes an
``unchecked`` finding — a claim the fact base could not check, listed so a fact-checker sees
what was left unexamined — unless the stance model (when switched on) reads it as agreeing with
or contradicting a fact about a subject it names.

The rules stay first: they are precise and explain themselves word by word. The stance pass is
off by default because on the dev half of the article set it added false alarms and no recall
(``auditor eval`` measures both configurations side by side); findings from it say they come
from a model, with its probabilities, one severity step lower.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Span

from auditor.factbase.loader import Fact, FactBase
from auditor.judge.verdict import evidence_of, severity_of
from auditor.learning.claim_detector import ClaimDetector
from auditor.learning.stance_model import STANCES, Pair, StanceModel
from auditor.nlp.matching import spans_in
from auditor.records import Category, Finding

# What a claim that contradicts the evidence is, by the fact's verdict (supporting it is
# always "supported").
_CONTRADICTING: dict[str, Category] = {
    "established": "contradicted", "refuted": "contradicted",
    "insufficient": "unsupported", "contested": "unsupported",
}
# A stance must be this probable to become a finding (chosen on the dev articles).
STANCE_THRESHOLD = 0.85


@dataclass(frozen=True)
class Reading:
    """A sentence the models read as a claim; ``fact`` is None when none could be judged."""

    sentence: Span
    category: Category
    claim_probability: float
    fact: Fact | None = None
    stance_probability: float = 0.0


class LearnedReader:
    def __init__(self, scanner: Language, factbase: FactBase, models: Path, *,
                 stance: bool = False) -> None:
        self.factbase = factbase
        self.detector = ClaimDetector.load(scanner, models)
        self.stance = StanceModel.load(scanner, models) if stance else None

    def read(self, sentences: Sequence[Span]) -> list[Reading]:
        """A reading for each of ``sentences`` the claim detector takes for a claim."""
        sentences = [s for s in sentences if not is_heading(s)]
        likely = self.detector.sentence_probabilities(sentences)
        claims = [(s, float(p)) for s, p in zip(sentences, likely, strict=True)
                  if p >= self.detector.threshold]
        judged = self._stances(claims) if self.stance is not None else {}
        return [judged.get(sentence.start, Reading(sentence, "unchecked", p))
                for sentence, p in claims]

    def _stances(self, claims: list[tuple[Span, float]]) -> dict[int, Reading]:
        """The most probable non-neutral stance of each claim against its subjects' facts."""
        assert self.stance is not None
        candidates = [(sentence, p, fact) for sentence, p in claims
                      for fact in self._facts(sentence)]
        scores = self.stance.probabilities(
            [Pair(s.text, f.statement, f.contradicts, f.supports) for s, _, f in candidates])
        best: dict[int, Reading] = {}
        for (sentence, claim_p, fact), row in zip(candidates, scores, strict=True):
            stance = STANCES[int(row.argmax())]
            if stance == "neutral" or row.max() < STANCE_THRESHOLD:
                continue
            category = _CONTRADICTING[fact.verdict] if stance == "contradict" else "supported"
            reading = Reading(sentence, category, claim_p, fact, float(row.max()))
            held = best.get(sentence.start)
            if held is None or reading.stance_probability > held.stance_probability:
                best[sentence.start] = reading
        return best

    def _facts(self, sentence: Span) -> list[Fact]:
        seen: dict[str, Fact] = {}
        for subject in _subjects(sentence):
            for fact in self.factbase.facts_about(subject):
                seen.setdefault(fact.id, fact)
        return list(seen.values())


_HEADING_MARKS = "-*•#0123456789.) \t"
_MAX_HEADING_WORDS = 14


def is_heading(sentence: Span) -> bool:
    """A title, section heading or bulleted topic ("Understanding Opioid Withdrawal and
    Kratom's Role"): short, no closing punctuation, and its words capitalised but for the
    small ones. Headings that claim something hold a predicate word, and the rules read those
    sentences, not the detector."""
    text = sentence.text.strip().lstrip(_HEADING_MARKS).rstrip()
    words = [t for t in sentence if t.is_alpha]
    if not text or text[-1] in ".!?\"”'’" or not 2 <= len(words) <= _MAX_HEADING_WORDS:
        return False
    capitals = sum(t.text[0].isupper() for t in words)
    return capitals >= 2 and capitals + sum(t.is_stop and t.is_lower for t in words) == len(words)


def _subjects(sentence: Span) -> list[str]:
    return [s.label_ for s in spans_in(sentence, "auditor_subjects")]


def reading_finding(reading: Reading) -> Finding:
    """A finding that says it comes from the models, with their probabilities."""
    sentence, fact = reading.sentence, reading.fact
    quote = sentence.text.rstrip()  # not doc.text: that is rebuilt from every token
    start = sentence.start_char
    end = start + len(quote)
    detected = (f"The claim detector reads this sentence as a health claim (probability "
                f"{reading.claim_probability:.2f})")
    if fact is None:
        return Finding(
            id="", category="unchecked", severity="info", start=start, end=end,
            quote=quote, rule="model:claim_detector",
            explanation=f"{detected}; no rule or fact covers it, so it was not checked.",
            confidence=reading.claim_probability)
    read_as = {"contradicted": "contradicts", "unsupported": "asserts what the evidence has "
               "not shown in", "supported": "agrees with"}[reading.category]
    return Finding(
        id="", category=reading.category,
        severity=severity_of(reading.category, fact.severity, softened=True),
        start=start, end=end, quote=quote,
        explanation=(f"{detected}, and the stance model reads it as one that {read_as} this "
                     f"fact (probability {reading.stance_probability:.2f}): {fact.statement} "
                     "No rule of the lexicon matched its wording, so check it."),
        suggestion=fact.suggestion if reading.category != "supported" else None,
        confidence=reading.claim_probability * reading.stance_probability,
        evidence=(evidence_of(fact),), rule=f"model:{fact.id}")
