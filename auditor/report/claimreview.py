"""schema.org ClaimReview JSON-LD: one review per problem finding a fact checker can publish.

Only findings the auditor *reviewed* against evidence or a term list are exported:
``contradicted``, ``unsupported``, ``overstated`` and ``misused_term``. ``supported`` is not a
problem, and ``unchecked`` means nobody reviewed the claim, so publishing a rating for it would
claim a review that did not happen.

Rating scale (``worstRating`` 1, ``bestRating`` 5; the textual ``alternateName`` is what
search engines show, the number orders the verdicts):

    =============  ==============  ===========  ==================================================
    category       alternateName   ratingValue  why
    =============  ==============  ===========  ==================================================
    contradicted   False           1            the evidence says the opposite
    unsupported    Unsupported     2            nothing backs it, though nothing refutes it either
    misused_term   Misleading      2            the wording misleads whatever the facts are
    overstated     Exaggerated     3            the kernel may hold; the certainty does not
    =============  ==============  ===========  ==================================================

4 and 5 ("Mostly true", "True") are left to the human reviewer: the auditor never exports a
claim it found consistent.

Field names checked against https://schema.org/ClaimReview (``claimReviewed``; ``itemReviewed``,
``reviewRating``, ``reviewBody``, ``author``, ``datePublished`` from Review/CreativeWork),
https://schema.org/citation (CreativeWork or Text) and Google's "Fact check (ClaimReview)
structured data" page (developers.google.com/search/docs/appearance/structured-data/factcheck,
via Full Fact's table of its required and recommended properties: ClaimReview ``url``
``claimReviewed`` ``reviewRating`` ``author`` ``datePublished`` ``itemReviewed``; Claim
``appearance`` ``author`` ``datePublished`` ``firstAppearance``; Rating ``alternateName``
``ratingValue`` ``bestRating`` ``worstRating``). Google wants ``url`` to be the page hosting the
fact check, so it is only written when that page is given (``review_url``), pointing at the
finding's entry (``#finding-<id>``) in the page ``--format html`` writes.

The reviewer (the publishing organisation) comes from ``AUDITOR_REVIEWER_NAME`` /
``AUDITOR_REVIEWER_URL``, else ``[claimreview]`` ``author_name`` / ``author_url`` in
``auditor.toml`` (see :func:`load_reviewer`).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.records import Category, Finding, Report
from auditor.report.html import safe_href

# category -> (alternateName, ratingValue); the table in the module docstring says why.
RATINGS: dict[Category, tuple[str, int]] = {
    "contradicted": ("False", 1),
    "unsupported": ("Unsupported", 2),
    "misused_term": ("Misleading", 2),
    "overstated": ("Exaggerated", 3),
}
BEST_RATING, WORST_RATING = 5, 1

NAME_ENV, URL_ENV = "AUDITOR_REVIEWER_NAME", "AUDITOR_REVIEWER_URL"
DEFAULT_CONFIG = Path("auditor.toml")
_SECTION = "claimreview"
_KEYS = ("author_name", "author_url")
MISSING_REVIEWER = (f"ClaimReview needs a reviewer: set {NAME_ENV} or author_name under "
                    f"[{_SECTION}] in auditor.toml")


@dataclass(frozen=True)
class Reviewer:
    """Who publishes the reviews: the ClaimReview ``author``."""

    name: str
    url: str | None = None


def render_claimreview(reports: list[Report], reviewer: Reviewer, *,
                       today: date | None = None, review_url: str | None = None) -> str:
    """A JSON array of ClaimReview objects, one per reviewed problem finding, in report order.

    ``today`` is the review date (``datePublished``); ``review_url`` the page that will host
    the reviews (omitted when None).
    """
    if review_url is not None:
        _check_url(review_url, "the ClaimReview page URL")
    reviewed = (today or date.today()).isoformat()
    reviews = [claim_review(report, finding, reviewer, reviewed, review_url)
               for report in reports for finding in report.findings
               if finding.category in RATINGS]
    return _json_for_html(reviews)


def claim_review(report: Report, finding: Finding, reviewer: Reviewer, reviewed: str,
                 review_url: str | None = None) -> dict[str, Any]:
    name, value = RATINGS[finding.category]
    review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview",
                              "datePublished": reviewed}
    if review_url is not None:
        review["url"] = f"{review_url.split('#')[0]}#finding-{finding.id}"
    review["claimReviewed"] = finding.quote
    review["itemReviewed"] = _claim(report)
    review["author"] = _organisation(reviewer)
    review["reviewRating"] = {"@type": "Rating", "ratingValue": value, "bestRating": BEST_RATING,
                              "worstRating": WORST_RATING, "alternateName": name}
    review["reviewBody"] = _body(finding)
    citations = _citation_urls(finding)
    if citations:
        review["citation"] = citations
    return review


def _claim(report: Report) -> dict[str, Any]:
    meta = report.metadata
    claim: dict[str, Any] = {"@type": "Claim"}
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if meta.url and safe_href(meta.url):
        work["url"] = meta.url
    if report.title:
        work["headline"] = report.title
    if meta.date:
        work["datePublished"] = meta.date
    if meta.author:
        work["author"] = _authors(meta.author, meta.site_name)
    if len(work) > 1:  # a bare {"@type": "CreativeWork"} says nothing
        claim["appearance"] = [work]
    if meta.date:
        claim["datePublished"] = meta.date
    return claim


def _authors(author: str, site_name: str | None) -> dict[str, str] | list[dict[str, str]]:
    """trafilatura joins several authors with "; ". A byline equal to the site's name is the
    publisher speaking as itself (an Organization); any other name is taken as a Person."""
    names = [name.strip() for name in author.split(";") if name.strip()]
    site = (site_name or "").strip().casefold()
    people = [{"@type": "Organization" if name.casefold() == site else "Person", "name": name}
              for name in names]
    return people[0] if len(people) == 1 else people


def _organisation(reviewer: Reviewer) -> dict[str, str]:
    author = {"@type": "Organization", "name": reviewer.name}
    if reviewer.url:
        author["url"] = reviewer.url
    return author


def _body(finding: Finding) -> str:
    if finding.suggestion:
        return f"{finding.explanation} Suggestion: {finding.suggestion}"
    return finding.explanation


def _citation_urls(finding: Finding) -> list[str]:
    urls: list[str] = []
    for evidence in finding.evidence:
        for citation in evidence.citations:
            if safe_href(citation.url) and citation.url not in urls:
                urls.append(citation.url)
    return urls


def _json_for_html(payload: Any) -> str:
    """Pretty JSON that can be pasted into ``<script type="application/ld+json">`` as is: ``<``,
    ``>`` and ``&`` only occur inside strings, where their \\u escapes mean the same."""
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def load_reviewer(config: Path | None = None,
                  environ: Mapping[str, str] | None = None) -> Reviewer:
    """The reviewer from the environment, else from ``[claimreview]`` in ``config`` (default
    ``./auditor.toml`` when it exists); each environment variable wins over its TOML key."""
    env = os.environ if environ is None else environ
    settings = _read_config(config)
    name = _setting(env, NAME_ENV) or settings.get("author_name")
    if not name:
        raise InputError(MISSING_REVIEWER)
    url = _setting(env, URL_ENV)
    url_origin = URL_ENV
    if url is None and settings.get("author_url"):
        url = settings["author_url"]
        url_origin = f"author_url under [{_SECTION}] in {config or DEFAULT_CONFIG}"
    if url is not None:
        _check_url(url, f"the reviewer URL ({url_origin})")
    return Reviewer(name=name, url=url)


def _setting(env: Mapping[str, str], key: str) -> str | None:
    value = env.get(key, "").strip()
    return value or None


def _read_config(config: Path | None) -> dict[str, str]:
    """``[claimreview]`` of the config file, its values stripped; {} when there is no file."""
    path = config if config is not None else DEFAULT_CONFIG
    if config is None and not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        raise InputError(f"{path}: config file not found; give an existing auditor.toml") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"{path}: not valid TOML: {detail}") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read the config file: {error.strerror}") from None
    return _section(document, path)


def _section(document: dict[str, Any], path: Path) -> dict[str, str]:
    section = document.get(_SECTION, {})
    if not isinstance(section, dict):
        raise InputError(f"{path}: [{_SECTION}] must be a table with keys {', '.join(_KEYS)}")
    unknown = sorted(set(section) - set(_KEYS))
    if unknown:
        raise InputError(f"{path}: [{_SECTION}] has unknown key {unknown[0]!r}; valid keys: "
                         f"{', '.join(_KEYS)}")
    settings: dict[str, str] = {}
    for key, value in section.items():
        if not isinstance(value, str):
            raise InputError(f"{path}: [{_SECTION}] {key} must be a string, got {value!r}")
        if value.strip():
            settings[key] = value.strip()
    return settings


def _check_url(url: str, what: str) -> None:
    if safe_href(url) is None:
        raise InputError(f"{what} {url!r} is not an http(s) URL; give a web address such as "
                         "https://example.org")
