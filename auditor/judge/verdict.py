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
from auditor.nlp.claims import negation_cues
from auditor.nlp.lexicon import Lexicon, TermSchema
from auditor.nlp.matching import spans_in
from auditor.records import CATEGORIES, Category, Claim, Evidence, Finding, Severity

_DEFAULT_SEVERITY: dict[Category, Severity] = {
    "contradicted": "error", "unsupported": "warning", "misused_term": "warning",
    "overstated": "warning", "supported": "info", "unchecked": "info",
}
# A hedged claim is judged as hedged: wrong is still wrong, but one step less severe.
_SOFTER: dict[Severity, Severity] = {"error": "warning", "warning": "info", "info": "info"}
_CATEGORY_ORDER = {name: rank for rank, name in enumerate(CATEGORIES)}
# A negation cue negates a term when at most this many words stand between them: "does not
# cause leaky gut", "no tea will detox your liver", but not "can't survive in an acidic body".
TERM_NEGATION_REACH = 2


class Judge:
    def __init__(self, factbase: FactBase, lexicon: Lexicon) -> None:
        self.factbase = factbase
        self.lexicon = lexicon
        self.index = FactIndex(factbase)
        cues = lexicon.cues
        # "not just", "not only": a "not" read with the next word says nothing is denied.
        self._pseudo_negations = frozenset(
            " ".join(p.lower().split())
            for p in (*cues.pseudo_negation, *cues.contrastive_pseudo_negation))

    def claim_finding(self, claim: Claim, text: str, parsed: bool) -> Finding:
        sentence = text[claim.sentence_start:claim.sentence_end]
        matches = self.index.candidates(claim, sentence)
        if not matches:
            return self._unchecked(claim, text)
        best = matches[0]
        category = category_of(claim, best.fact)
        severity = severity_of(category, best.fact.severity, claim.hedged or claim.attributed)
        return Finding(
            id="", category=category, severity=severity, start=claim.start, end=claim.end,
            quote=text[claim.start:claim.end], claim=claim,
            explanation=self._explain(category, claim, best.fact),
            suggestion=best.fact.suggestion if category in ("contradicted", "unsupported")
            else None,
            confidence=_confidence(claim, best, parsed),
            evidence=(evidence_of(best.fact),), rule=f"factbase:{best.fact.id}")

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

    def overstatements(self, spans: Iterable[Span], claim_findings: Iterable[Finding] = ()
                       ) -> list[Finding]:
        """Findings for the rhetoric matches that overstate, given the claim findings of the
        same text.

        Where a pattern may fire depends on its kind (the rule is documented in
        corpora/rhetoric/overstatement.yaml): hype anywhere; absolute and certainty only in a
        health sentence; certainty not where every claim of the sentence is ``supported``.
        A negated match ("has not been proven to", "no guarantee"), one inside a subject's
        name ("Miracle Mineral Solution") and one in quotation marks are not overstatements.
        """
        patterns = {p.id: p for p in self.lexicon.rhetoric}
        verdicts: dict[tuple[int, int], set[str]] = {}
        for finding in claim_findings:
            if finding.claim is not None:
                key = (finding.claim.sentence_start, finding.claim.sentence_end)
                verdicts.setdefault(key, set()).add(finding.category)
        matches = list(spans)
        findings = []
        for span in matches:
            pattern = patterns[span.label_]
            sentence = verdicts.get((span.sent.start_char, span.sent.end_char), set())
            if pattern.kind != "hype" and not (sentence or _is_health_sentence(span.sent)):
                continue
            if pattern.kind == "certainty" and sentence == {"supported"}:
                continue
            if _negated(span, matches) or _named_or_quoted(span):
                continue
            findings.append(Finding(
                id="", category="overstated", severity="warning", start=span.start_char,
                end=span.end_char, quote=span.text, explanation=pattern.explanation,
                suggestion=pattern.suggestion, confidence=0.7, rule=pattern.id))
        return findings

    def misused_terms(self, spans: Iterable[Span], subjects: Iterable[Span] = ()
                      ) -> list[Finding]:
        """Listed terms. A product name listed with the topics it belongs to ("Thieves":
        essential oils) is a product name in a text about those topics, and an off-topic
        keyword in any other."""
        terms = {t.id: t for t in self.lexicon.terms}
        spans = list(spans)
        # The product name may itself be a fact-base subject ("Thieves"): the text's topics
        # come from the other subjects it names.
        named = {i for span in spans for i in range(span.start, span.end)}
        topics = {self.factbase.subjects[s.label_].topic for s in subjects
                  if s.start not in named}
        uses = Counter(span.label_ for span in spans)
        findings = []
        for span in spans:
            term = terms[span.label_]
            if term.topics and topics & set(term.topics):
                continue
            if self._denied(span):
                continue
            findings.append(Finding(
                id="", category="misused_term", severity="warning", start=span.start_char,
                end=span.end_char, quote=span.text,
                explanation=term.explanation + self._off_topic(term, topics, uses[term.id]),
                suggestion=term.suggestion, confidence=0.9, rule=term.id,
                evidence=(Evidence(fact_id=term.id, statement=term.explanation,
                                   verdict="misused",
                                   citations=tuple(c.as_record() for c in term.sources)),
                          ) if term.sources else ()))
        return findings

    def _denied(self, span: Span) -> bool:
        """The sentence denies the term rather than uses it: it denies the evidence for it
        ("no evidence that foot pads pull toxins") or negates it ("cleanses don't detox your
        liver"). A negation further back negates the clause's verb, not the term ("cannot
        survive in an alkaline body"), and "doesn't just detox your liver" still says it does:
        a cue read with the next word as a listed pseudo-negation ("not just", "not only")
        does not count. (A sentence that debunks the term, "there is no such thing as adrenal
        fatigue", is set aside with every other term finding by the Auditor.)"""
        found = negation_cues(span)
        evidential = {(c.start, c.end) for c in span.doc.spans["auditor_evidential"]}
        if any((c.start, c.end) in evidential for c in found):
            return True
        near = [c for c in found if span.start - c.end <= TERM_NEGATION_REACH
                and not _pseudo_negation(c, self._pseudo_negations)]
        return len(near) % 2 == 1

    def _off_topic(self, term: TermSchema, topics: set[str], uses: int) -> str:
        said = f" It is used {uses} times in this text." if uses > 1 else ""
        if not term.topics or not topics:
            return said
        belongs = ", ".join(self.factbase.topics.get(t, t) for t in term.topics)
        about = ", ".join(sorted(self.factbase.topics.get(t, t) for t in topics))
        stuffing = (" Repeating an unrelated product name is keyword stuffing: it draws search "
                    "traffic, not readers' understanding." if uses >= 3 else "")
        return (f" It names a product of {belongs}, but this text is about {about}: here it "
                f"is an off-topic keyword, not a medical concept.{said}{stuffing}")


# Span groups whose presence makes a sentence about health (see overstatement.yaml).
_HEALTH_GROUPS = ("auditor_subjects", "auditor_conditions", "auditor_predicates",
                  "auditor_terms")


def _is_health_sentence(sent: Span) -> bool:
    """Does the sentence name a known subject, a condition, a claim word or a misused term?"""
    return any(spans_in(sent, group) for group in _HEALTH_GROUPS)


def _pseudo_negation(cue: Span, pseudo: frozenset[str]) -> bool:
    """A "not"/"n't" cue whose next word makes a listed pseudo-negation ("doesn't just")."""
    doc = cue.doc
    if cue.end >= len(doc) or cue.text.lower() not in _NOT_FORMS:
        return False
    return f"not {doc[cue.end].lower_}" in pseudo


# Spellings of "not" that the pseudo-negation list writes as "not" ("not just").
_NOT_FORMS = frozenset({"not", "n't", "n’t"})


def _negated(span: Span, rhetoric: list[Span]) -> bool:
    """Negated with the claims' own cues and scope: a denial of evidence that covers the
    phrase ("not been proven" over "proven to"), or an odd number of negation cues in scope
    ("is not a miracle cure"). A cue inside another rhetoric phrase ("doesn't want you to
    know") belongs to that phrase."""
    doc = span.doc
    if any(c.start < span.end and span.start < c.end for c in doc.spans["auditor_evidential"]):
        return True
    cues = [c for c in negation_cues(span)
            if not any(r.start <= c.start and c.end <= r.end for r in rhetoric)]
    return len(cues) % 2 == 1


def _named_or_quoted(span: Span) -> bool:
    """Part of a subject's name ("Miracle Mineral Solution"), or held in quotation marks
    (sold as a "miracle cure")."""
    doc = span.doc
    if any(s.start < span.end and span.start < s.end for s in doc.spans["auditor_subjects"]):
        return True
    return (span.start > 0 and doc[span.start - 1].is_quote
            and span.end < len(doc) and doc[span.end].is_quote)


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


def severity_of(category: Category, override: str | None, softened: bool) -> Severity:
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


def evidence_of(fact: Fact) -> Evidence:
    return Evidence(fact_id=fact.id, statement=fact.statement, verdict=fact.verdict,
                    citations=fact.citations)
