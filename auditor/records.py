"""The records that flow through the auditor: Document → Claim → Finding → Report.

They are plain frozen dataclasses; ``to_dict`` gives the JSON contract of DESIGN.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Category = Literal["contradicted", "unsupported", "misused_term", "overstated", "supported",
                   "unchecked"]
Severity = Literal["error", "warning", "info"]

CATEGORIES: tuple[Category, ...] = ("contradicted", "unsupported", "misused_term", "overstated",
                                    "supported", "unchecked")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    """Whether the half-open ranges [start, end) and [other_start, other_end) share a
    position (characters of findings, tokens of spans)."""
    return start < other_end and other_start < end


@dataclass(frozen=True)
class Metadata:
    """What a page says about itself, and where and when it was read (URL and HTML input)."""

    url: str | None = None  # the address the text was fetched from, after redirects
    author: str | None = None
    date: str | None = None  # the page's own publication date, as trafilatura reads it
    site_name: str | None = None
    retrieved: str | None = None  # ISO 8601 UTC time the page was fetched

    def to_dict(self) -> dict[str, str | None]:
        return asdict(self)


@dataclass(frozen=True)
class Document:
    """Text to audit, with where it came from."""

    text: str
    source: str
    title: str | None = None
    notes: tuple[str, ...] = ()
    metadata: Metadata = field(default_factory=Metadata)


@dataclass(frozen=True)
class Claim:
    """A health claim found in one sentence, structured.

    ``polarity`` is what the sentence asserts about ``relation``: "kratom is not addictive"
    is relation ``addictive`` with polarity ``negative``.
    """

    start: int
    end: int
    text: str
    subject: str | None
    subject_text: str | None
    relation: str
    object: str | None
    polarity: Literal["positive", "negative"]
    hedged: bool
    absolute: bool = False
    cues: tuple[str, ...] = ()
    sentence_start: int = 0
    sentence_end: int = 0
    quantity: tuple[float, float, str] | None = None
    # The sentence names no subject but points back to one ("it relieves pain").
    needs_antecedent: bool = False
    # The text reports the claim as someone else's ("sellers say ...").
    attributed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "subject_text": self.subject_text,
                "relation": self.relation, "object": self.object, "polarity": self.polarity,
                "hedged": self.hedged, "attributed": self.attributed}


@dataclass(frozen=True)
class Citation:
    publisher: str
    title: str
    url: str
    date: str | None
    quote: str | None = None
    seen: str = "primary"


@dataclass(frozen=True)
class Evidence:
    fact_id: str
    statement: str
    verdict: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Finding:
    id: str
    category: Category
    severity: Severity
    start: int
    end: int
    quote: str
    explanation: str
    rule: str
    confidence: float
    claim: Claim | None = None
    suggestion: str | None = None
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "category": self.category, "severity": self.severity,
            "start": self.start, "end": self.end, "quote": self.quote,
            "claim": self.claim.to_dict() if self.claim else None,
            "explanation": self.explanation, "suggestion": self.suggestion,
            "confidence": round(self.confidence, 3),
            "evidence": [asdict(item) for item in self.evidence], "rule": self.rule,
        }


@dataclass(frozen=True)
class Report:
    source: str
    title: str | None
    text: str
    findings: tuple[Finding, ...]
    auditor: dict[str, Any]
    notes: tuple[str, ...] = ()
    summary: dict[str, int] = field(default_factory=dict)
    metadata: Metadata = field(default_factory=Metadata)

    def __post_init__(self) -> None:
        counts = dict.fromkeys(CATEGORIES, 0)
        for finding in self.findings:
            counts[finding.category] += 1
        object.__setattr__(self, "summary", counts)

    def problems(self) -> tuple[Finding, ...]:
        """Findings a reader should act on (everything but ``supported``)."""
        return tuple(f for f in self.findings if f.category != "supported")

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "title": self.title, "text": self.text,
                "findings": [f.to_dict() for f in self.findings], "summary": self.summary,
                "notes": list(self.notes), "metadata": self.metadata.to_dict(),
                "auditor": self.auditor}
