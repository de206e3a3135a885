"""``auditor factbase explain``: the curator's debugger.

For each sentence: what the lexicon matched, which claims were built (with the negation
cues that scoped them), which facts were candidates, with what similarity and stance, and
what the verdict was — the whole path from words to finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span

from auditor.judge.stance import category, stance
from auditor.nlp.matching import LexemeTag
from auditor.records import Claim, Finding

if TYPE_CHECKING:
    from auditor.api import Auditor

_SHOWN_GROUPS = {"auditor_subjects": "subject", "auditor_predicates": "predicate",
                 "auditor_conditions": "condition", "auditor_negations": "negation",
                 "auditor_evidential": "evidence denial", "auditor_hedges": "hedge",
                 "auditor_rhetoric": "rhetoric", "auditor_terms": "term"}


@dataclass(frozen=True)
class Candidate:
    fact_id: str
    verdict: str
    similarity: float
    stance: str
    category: str


@dataclass(frozen=True)
class ClaimTrace:
    claim: Claim
    candidates: tuple[Candidate, ...]
    finding: Finding | None


@dataclass
class SentenceTrace:
    text: str
    start: int
    matches: list[tuple[str, str, str]] = field(default_factory=list)  # kind, words, label
    claims: list[ClaimTrace] = field(default_factory=list)


def explain(auditor: Auditor, text: str) -> list[SentenceTrace]:
    report = auditor.audit(text)
    scan = auditor.scanner(text)
    analysed = {sent.start_char: doc for _, sent, doc in auditor.parsed_sentences([scan])}
    findings = {(f.start, f.end, f.claim.relation): f for f in report.findings if f.claim}
    traces = []
    for sent in scan.sents:
        trace = SentenceTrace(sent.text.strip(), sent.start_char)
        doc = analysed.get(sent.start_char)
        trace.matches = _matches(doc if doc is not None else scan, sent, doc is not None)
        claims = [f.claim for f in report.findings
                  if f.claim and sent.start_char <= f.claim.start < sent.end_char]
        for claim in dict.fromkeys(claims):
            trace.claims.append(ClaimTrace(
                claim, _candidates(auditor, claim, text),
                findings.get((claim.start, claim.end, claim.relation))))
        traces.append(trace)
    return traces


def _matches(doc: Doc, sent: Span, whole: bool) -> list[tuple[str, str, str]]:
    found = []
    for group, kind in _SHOWN_GROUPS.items():
        for span in doc.spans[group]:
            if not whole and not (sent.start <= span.start < sent.end):
                continue
            label = span.label_
            if group == "auditor_predicates":
                tag = LexemeTag.of(span)
                condition = ", only if negated" if tag.only_negated else ""
                label += f" ({'+' if tag.positive else '-'}{condition})"
            found.append((kind, span.text, label))
    return found


def _candidates(auditor: Auditor, claim: Claim, text: str) -> tuple[Candidate, ...]:
    sentence = text[claim.sentence_start:claim.sentence_end]
    return tuple(Candidate(m.fact.id, m.fact.verdict, round(m.similarity, 3),
                           stance(claim, m.fact), category(claim, m.fact))
                 for m in auditor.judge.index.candidates(claim, sentence))


def render_explanation(traces: list[SentenceTrace]) -> str:
    lines: list[str] = []
    for trace in traces:
        lines.append(f"sentence @{trace.start}: “{trace.text}”")
        if not trace.matches:
            lines.append("  no lexicon match: not a claim sentence")
        for kind, words, label in trace.matches:
            lines.append(f"  {kind:<15} “{words}” → {label}")
        for item in trace.claims:
            claim = item.claim
            cues = f", negated by {', '.join(claim.cues)}" if claim.cues else ""
            lines.append(f"  claim “{claim.text}”: subject={claim.subject} "
                         f"relation={claim.relation} object={claim.object} "
                         f"polarity={claim.polarity} hedged={claim.hedged}{cues}")
            if not item.candidates:
                lines.append("    no fact matches this subject and relation → unchecked")
            for rank, c in enumerate(item.candidates):
                chosen = "→" if rank == 0 else " "
                lines.append(f"    {chosen} {c.fact_id} ({c.verdict}): similarity "
                             f"{c.similarity:.2f}, claim {c.stance}s → {c.category}")
            if item.finding is not None:
                lines.append(f"    finding: {item.finding.category} ({item.finding.severity}), "
                             f"rule {item.finding.rule}")
    return "\n".join(lines)


def explanation_dict(traces: list[SentenceTrace]) -> list[dict[str, Any]]:
    return [{
        "sentence": t.text, "start": t.start,
        "matches": [{"kind": k, "text": w, "label": label} for k, w, label in t.matches],
        "claims": [{"claim": {**c.claim.to_dict(), "text": c.claim.text,
                              "cues": list(c.claim.cues)},
                    "candidates": [vars(x) for x in c.candidates],
                    "finding": c.finding.to_dict() if c.finding else None}
                   for c in t.claims],
    } for t in traces]
