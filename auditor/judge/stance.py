"""Does a claim agree with a fact's proposition, and what category follows from the verdict."""

from __future__ import annotations

from typing import Literal

from auditor.factbase.loader import Fact
from auditor.records import Category, Claim

Stance = Literal["agree", "disagree"]

# verdict → (category when the claim agrees with the fact's proposition, when it disagrees)
_CATEGORY: dict[str, tuple[Category, Category]] = {
    "established": ("supported", "contradicted"),
    "refuted": ("contradicted", "supported"),
    "insufficient": ("unsupported", "supported"),
    "contested": ("unsupported", "unsupported"),
}


def stance(claim: Claim, fact: Fact) -> Stance:
    """Agreement on the predicate's polarity, or on a measured quantity when both give one."""
    if fact.quantity is not None and claim.quantity is not None:
        low, high, _ = fact.quantity
        claimed_low, claimed_high, _ = claim.quantity
        within = low <= claimed_low and claimed_high <= high
        agrees = within == (claim.polarity == "positive")
        return "agree" if agrees else "disagree"
    return "agree" if claim.polarity == fact.polarity else "disagree"


def category(claim: Claim, fact: Fact) -> Category:
    agree, disagree = _CATEGORY[fact.verdict]
    return agree if stance(claim, fact) == "agree" else disagree
