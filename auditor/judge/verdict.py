"""Turn claims, rhetoric and term matches into explained findings."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Span

from auditor.factbase.loader import Fact, FactBase
from auditor.judge.match import FactIndex, Match
from auditor.judge.stance import category as category_of
from auditor.nlp.lexicon import Lexicon
from auditor.records import CATEGORIES, Category, Claim, Evidence, Finding, Severity

_DEFAULT_SEVERITY: dict[Category, Severity] = {
    "contradicted": "error", "unsupported": "warning", "misused_term": "warning",
    "overstated": "warning", "supported": "info", "unchecked": "info",
}
# A hedged claim is judged as hedged: wrong is still wrong, but one step less severe.
_SOFTER: dict[Severity, Severity] = {"error": "warning", "warning": "info", "info": "info"}
_CATEGORY_ORDER = {name: rank for rank, name in enumerate(CATEGORIES)}


class Judge:
    def __init__(self, factbase: FactBase, lexicon: Lexicon) -> None:
        self.factbase = factbase
        self.lexicon = lexicon
        self.index = FactIndex(factbase)

    def claim_finding(self, claim: Claim, text: str, parsed: bool) -> Finding:
        sentence = text[claim.sentence_start:claim.sentence_end]
        matches = self.index.candidates(claim, sentence)
        if not matches:
            return self._unchecked(claim, text)
        best = matches[0]
        category = category_of(claim, best.fact)
        severity = _severity(category, best.fact.severity, claim.hedged or claim.attributed)
        return Finding(
            id="", category=category, severity=severity, start=claim.start, end=claim.end,
            quote=text[claim.start:claim.end], claim=claim,
            explanation=self._explain(category, claim, best.fact),
            suggestion=best.fact.suggestion if category in ("contradicted", "unsupported")
            else None,
            confidence=_confidence(claim, best, parsed),
            evidence=(_evidence(best.fact),), rule=f"factbase:{best.fact.id}")

    def _unchecked(self, claim: Claim, text: str) -> Finding:
        return Finding(
            id="", category="unchecked", severity="info", start=claim.start, end=claim.end,
            quote=text[claim.start:claim.end], claim=claim,
            explanation=(f"A health claim that {self.says(claim)}; the fact base has no entry "
                         "on it, so it was not checked."),
            confidence=0.5, rule="claims.unchecked")

    def says(self, claim: Claim) -> str:
        predicate = self.lexicon.predicate(claim.relation)
        template = (predicate.says_positive if claim.polarity == "positive"
                    else predicate.says_negative)
        subject = (self.factbase.subjects[claim.subject].name if claim.subject
                   else claim.subject_text or "the subject")
        return template.format(subject=subject, object=claim.object or "a health condition",
                               for_object=f" for {claim.object}" if claim.object else "")

    def _explain(self, category: Category, claim: Claim, fact: Fact) -> str:
        said = (f"This reports the claim that {self.says(claim)}." if claim.attributed
                else f"This says {self.says(claim)}.")
        hedge = " It is hedged, but the hedge does not change the evidence." if claim.hedged else ""
        if category == "contradicted":
            return f"{said} The evidence says otherwise: {fact.statement}{hedge}"
        if category == "unsupported":
            if fact.verdict == "contested":
                return f"{said} Authorities disagree on this: {fact.statement}"
            body = fact.explanation or f"The evidence does not support it: {fact.statement}"
            return f"{said} {body}{hedge}"
        return f"{said} This agrees with the evidence: {fact.statement}"

    def overstatements(self, spans: Iterable[Span]) -> list[Finding]:
        patterns = {p.id: p for p in self.lexicon.rhetoric}
        findings = []
        for span in spans:
            pattern = patterns[span.label_]
            findings.append(Finding(
                id="", category="overstated", severity="warning", start=span.start_char,
                end=span.end_char, quote=span.text, explanation=pattern.explanation,
                suggestion=pattern.suggestion, confidence=0.7, rule=pattern.id))
        return findings

    def misused_terms(self, spans: Iterable[Span]) -> list[Finding]:
        terms = {t.id: t for t in self.lexicon.terms}
        spans = list(spans)
        uses = Counter(span.label_ for span in spans)
        findings = []
        for span in spans:
            term = terms[span.label_]
            repeated = (f" It is used {uses[term.id]} times in this text."
                        if uses[term.id] > 1 else "")
            sources = (Evidence(fact_id=term.id, statement=term.explanation, verdict="misused",
                                citations=tuple(c.as_record() for c in term.sources)),
                       ) if term.sources else ()
            findings.append(Finding(
                id="", category="misused_term", severity="warning", start=span.start_char,
                end=span.end_char, quote=span.text, explanation=term.explanation + repeated,
                suggestion=term.suggestion, confidence=0.9, rule=term.id, evidence=sources))
        return findings


def finalize(findings: list[Finding]) -> tuple[Finding, ...]:
    """Order by position and give each finding its stable id.

    The id hashes the rule, category and quote (not the offsets, so a moved paragraph keeps
    its ids) plus the occurrence number among identical findings.
    """
    ordered = sorted(findings, key=lambda f: (f.start, f.end, _CATEGORY_ORDER[f.category],
                                              f.rule))
    seen: Counter[tuple[str, str, str]] = Counter()
    final = []
    for finding in ordered:
        key = (finding.rule, finding.category, " ".join(finding.quote.lower().split()))
        seen[key] += 1
        digest = hashlib.sha256("\x1f".join((*key, str(seen[key]))).encode()).hexdigest()
        final.append(replace(finding, id=digest[:16]))
    return tuple(final)


def _severity(category: Category, override: str | None, softened: bool) -> Severity:
    """The category's severity (or the fact's own), one step lower for a hedged or reported
    claim."""
    severity: Severity = _DEFAULT_SEVERITY[category]
    if override is not None and category in ("contradicted", "unsupported"):
        severity = override  # type: ignore[assignment]
    return _SOFTER[severity] if softened else severity


def _confidence(claim: Claim, match: Match, parsed: bool) -> float:
    """A heuristic score, not a calibrated probability (calibration comes with the models):
    a parsed sentence scopes negation better than the word window, a subject found by
    pointing back ("it") is less certain, and wording close to the fact's own raises it."""
    score = 0.7 if parsed else 0.55
    score -= 0.1 if claim.needs_antecedent else 0.0
    score -= 0.05 if claim.hedged else 0.0
    score += 0.25 * match.similarity
    return max(0.05, min(0.99, score))


def _evidence(fact: Fact) -> Evidence:
    return Evidence(fact_id=fact.id, statement=fact.statement, verdict=fact.verdict,
                    citations=fact.citations)
