"""Request bodies of the API, validated by pydantic (unknown keys are refused)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from auditor.records import Category, Citation, Evidence, Finding, Metadata, Report, Severity

INPUT_FIELDS = ("text", "html", "url")


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AuditOptions(Closed):
    learned_stance: bool = Field(
        False, description="also judge claims the rules missed with the stance model "
        "(experimental; the first such request loads the model)")


class AuditRequest(Closed):
    """Exactly one of ``text``, ``html`` or ``url``."""

    text: str | None = Field(None, description="the draft as plain text")
    html: str | None = Field(None, description="a web page; its main text is audited")
    url: str | None = Field(None, max_length=2048,
                            description="an http(s) address the server fetches (public "
                                        "addresses only, unless started with --allow-private)")
    title: str | None = Field(None, max_length=1000)
    options: AuditOptions = AuditOptions(learned_stance=False)

    @model_validator(mode="after")
    def _exactly_one_input(self) -> AuditRequest:
        given = [name for name in INPUT_FIELDS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, html or url (got "
                             f"{', '.join(given) if given else 'none'})")
        return self


# --- a report sent back for the ClaimReview export --------------------------------------------
# Only the fields render_claimreview reads; everything else in the report is ignored.


class Open(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CitationIn(Open):
    publisher: str
    title: str
    url: str
    date: str | None = None

    def record(self) -> Citation:
        return Citation(publisher=self.publisher, title=self.title, url=self.url, date=self.date)


class EvidenceIn(Open):
    fact_id: str
    statement: str
    verdict: str
    citations: list[CitationIn] = []

    def record(self) -> Evidence:
        return Evidence(self.fact_id, self.statement, self.verdict,
                        tuple(c.record() for c in self.citations))


class FindingIn(Open):
    id: str
    category: Category
    severity: Severity
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str
    explanation: str
    rule: str = ""
    confidence: float = 0.0
    suggestion: str | None = None
    evidence: list[EvidenceIn] = []

    def record(self) -> Finding:
        return Finding(id=self.id, category=self.category, severity=self.severity,
                       start=self.start, end=self.end, quote=self.quote,
                       explanation=self.explanation, rule=self.rule,
                       confidence=self.confidence, suggestion=self.suggestion,
                       evidence=tuple(e.record() for e in self.evidence))


class MetadataIn(Open):
    url: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    retrieved: str | None = None


class ReportIn(Open):
    source: str
    title: str | None = None
    text: str = ""
    findings: list[FindingIn]
    metadata: MetadataIn = Field(default_factory=MetadataIn)
    auditor: dict[str, Any] = {}

    def record(self, dismissed: set[str]) -> Report:
        kept = tuple(f.record() for f in self.findings if f.id not in dismissed)
        return Report(source=self.source, title=self.title, text=self.text, findings=kept,
                      auditor=self.auditor, metadata=Metadata(**self.metadata.model_dump()))


class ClaimReviewRequest(Closed):
    report: ReportIn
    dismissed: list[str] = Field(default_factory=list,
                                 description="ids of findings the editor dismissed: not exported")
    review_url: str | None = Field(None, description="the page that will host the reviews")


ErrorCode = Literal["invalid_request", "unauthorized", "not_found", "body_too_large",
                    "busy", "deadline", "input", "no_reviewer", "internal"]
