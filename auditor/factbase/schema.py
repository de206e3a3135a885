"""The closed schema of a fact-base topic file (corpora/factbase/<topic>.yaml).

Curators read corpora/factbase/README.md, not this module; keep the two in step.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from auditor.datafiles import Closed
from auditor.records import Citation

Verdict = Literal["established", "refuted", "insufficient", "contested"]
Polarity = Literal["positive", "negative"]

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def check_date(value: str | None) -> str | None:
    if value is None:
        return value
    padded = value + "-01" * (2 - value.count("-"))
    try:
        valid = bool(_DATE.match(value)) and date.fromisoformat(padded) is not None
    except ValueError:
        valid = False
    if not valid:
        raise ValueError("must be a date written YYYY-MM-DD (or YYYY-MM, or YYYY)")
    return value


def check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("must be lower-case letters, digits, '.', '_' or '-'")
    return value


class CitationSchema(Closed):
    publisher: str = Field(min_length=2)
    title: str = Field(min_length=2)
    url: str
    date: str | None
    quote: str = Field(min_length=10)  # verbatim, at most two sentences
    # primary: the authority's own page was read; copy: only a faithful copy or report of it.
    seen: Literal["primary", "copy"]
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not _URL.match(value):
            raise ValueError("must be an http(s) URL")
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        # A bare year (2019) reads from YAML as a number; it is still a date.
        return check_date(str(value)) if isinstance(value, int | str) else value

    def as_record(self) -> Citation:
        return Citation(self.publisher, self.title, self.url, self.date, self.quote, self.seen)


class SubjectSchema(Closed):
    id: str
    name: str
    kind: Literal["substance", "drug", "product", "intervention", "condition", "organism"]
    aliases: list[str] = Field(default_factory=list)
    # Other subjects whose facts apply to this one (7-hydroxymitragynine → kratom).
    part_of: list[str] = Field(default_factory=list)

    _id = field_validator("id")(classmethod(lambda cls, v: check_id(v)))


class QuantitySchema(Closed):
    unit: Literal["hour"]
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> QuantitySchema:
        if self.min > self.max:
            raise ValueError("min must not exceed max")
        return self


class FactSchema(Closed):
    id: str
    subjects: list[str] = Field(min_length=1)
    predicate: str
    # What the fact asserts about the predicate: "kratom can cause addiction" is positive.
    polarity: Polarity = "positive"
    statement: str = Field(min_length=10)
    verdict: Verdict
    as_of: str
    review_by: str | None = None
    severity: Literal["error", "warning", "info"] | None = None
    conditions: list[str] = Field(default_factory=list)
    quantity: QuantitySchema | None = None
    explanation: str | None = None
    suggestion: str | None = None
    citations: list[CitationSchema] = Field(min_length=1)
    contradicts: list[str] = Field(default_factory=list)
    supports: list[str] = Field(default_factory=list)

    _id = field_validator("id")(classmethod(lambda cls, v: check_id(v)))
    _dates = field_validator("as_of", "review_by")(classmethod(lambda cls, v: check_date(v)))


class TopicSchema(Closed):
    topic: str
    title: str
    version: int = 1
    reviewed: str
    subjects: list[SubjectSchema] = Field(min_length=1)
    facts: list[FactSchema] = Field(min_length=1)

    _topic = field_validator("topic")(classmethod(lambda cls, v: check_id(v)))
    _reviewed = field_validator("reviewed")(classmethod(lambda cls, v: check_date(v)))
