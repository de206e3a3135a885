"""Overstated certainty: the tell-tale phrases of health-fraud marketing are flagged wherever
they stand, absolutes and "proven" only in a health sentence, and never when negated, named,
quoted, or (for "proven") said of what the fact base confirms.

The rule is documented in the header of corpora/rhetoric/overstatement.yaml.
"""

from __future__ import annotations

import pytest

from auditor import Auditor
from auditor.records import Finding

# sentence → (rule, exact quote) that must be among its overstated findings
MUST_FLAG = [
    # hype: overstatement on its own, even with no subject or claim word in the sentence
    ("It's basically a miracle drug.", "rhetoric.hype.miracle", "miracle drug"),
    ("Honestly, these oils are a miracle in a bottle.", "rhetoric.hype.miracle",
     "miracle in a bottle"),
    ("Meet the miracle molecule your body has been waiting for.", "rhetoric.hype.miracle",
     "miracle molecule"),
    ("This miracle herb cures anxiety.", "rhetoric.hype.miracle", "miracle herb"),
    ("Turmeric is a natural wonder drug.", "rhetoric.hype.miracle", "wonder drug"),
    ("Colloidal silver is a cure-all.", "rhetoric.hype.miracle", "cure-all"),
    ("Black seed oil cures everything.", "rhetoric.hype.miracle", "cures everything"),
    ("Elderberry syrup works miracles for colds.", "rhetoric.hype.miracle", "works miracles"),
    ("Ivermectin is the magic bullet for COVID.", "rhetoric.hype.miracle", "magic bullet"),
    ("A revolutionary breakthrough formula melts belly fat.", "rhetoric.hype.breakthrough",
     "revolutionary breakthrough"),
    ("It's 100% proven, do your own research.", "rhetoric.hype.total_proof", "100% proven"),
    ("Results are guaranteed for everyone.", "rhetoric.hype.total_proof",
     "Results are guaranteed"),
    ("Guaranteed results in just seven days.", "rhetoric.hype.total_proof",
     "Guaranteed results"),
    ("This remedy has zero side effects.", "rhetoric.hype.no_side_effects",
     "zero side effects"),
    ("Unlike drugs, herbs work without side effects.", "rhetoric.hype.no_side_effects",
     "without side effects"),
    ("This is the cure Big Pharma doesn't want you to know about.", "rhetoric.hype.suppressed",
     "doesn't want you to know"),
    ("Doctors don't want you to know about this secret ingredient.",
     "rhetoric.hype.suppressed", "don't want you to know"),
    ("Doctors don't want you to know about this secret ingredient.", "rhetoric.hype.secret",
     "secret ingredient"),
    ("This ancient remedy is the quick fix your gut needs.", "rhetoric.hype.secret",
     "ancient remedy"),
    ("This ancient remedy is the quick fix your gut needs.", "rhetoric.hype.secret",
     "quick fix"),
    # absolutes and certainty in a health sentence (a subject, condition or claim word)
    ("Kratom is a 100% natural way to reclaim your life.", "rhetoric.absolute.percent", "100%"),
    ("Kratom is 100% safe for everyone.", "rhetoric.absolute.percent", "100%"),
    ("Essential oils are 100% effective against viruses.", "rhetoric.absolute.percent", "100%"),
    ("Homeopathy is completely safe for babies.", "rhetoric.absolute.completely", "completely"),
    ("Kratom works every time.", "rhetoric.absolute.always_never", "works every time"),
    ("Chlorine dioxide permanently cures autism.", "rhetoric.absolute.guaranteed",
     "permanently cures"),
    ("These alkaline water benefits are scientifically proven.", "rhetoric.certainty.proven",
     "scientifically proven"),
    ("Kratom is scientifically proven to relieve withdrawal.", "rhetoric.certainty.proven",
     "scientifically proven"),
    ("This supplement is clinically proven to boost immunity.", "rhetoric.certainty.proven",
     "clinically proven"),
    ("Studies prove that apple cider vinegar burns fat.", "rhetoric.certainty.proven",
     "Studies prove"),
    ("It's a fact that vaccines cause autism.", "rhetoric.certainty.proven",
     "It's a fact that"),
    ("The link between vaccines and autism is undeniable.", "rhetoric.certainty.proven",
     "undeniable"),
]

# No overstated finding (other categories may still apply to the claim itself).
MUST_NOT_FLAG = [
    # negated certainty and negated hype
    "Nosodes are not vaccines and have not been proven to prevent infection.",
    "CBD has not been proven to treat anxiety.",
    "Turmeric has never been proven to cure cancer.",
    "There is no proven cure for the common cold.",
    "There is no guarantee that a supplement contains what the label says.",
    "No treatment is guaranteed to work for everyone.",
    "There is no miracle cure for autism.",
    "Ivermectin is not a wonder drug for COVID-19.",
    "There is no evidence that colloidal silver is a cure-all.",
    "There is no quick fix for opioid addiction.",
    "No vaccine is 100% effective.",
    "Nothing is 100% safe.",
    "Kratom is not completely safe.",
    # certainty about what the fact base confirms
    "Two doses of the MMR vaccine are proven to prevent measles.",
    "Methadone is proven to reduce overdose deaths.",
    # "proven" as a plain adjective in public-health advice
    "Relying on homeopathy instead of proven treatment can be dangerous.",
    "Patients should not give up proven cancer treatments.",
    # a product name, and a phrase held in quotation marks
    "Miracle Mineral Solution is industrial bleach.",
    'Products sold as "Miracle Mineral Solution" are bleach.',
    'Sellers market the tea as a "miracle cure" for weight loss.',
    # medical uses of "breakthrough"
    "Fully vaccinated people can still get a breakthrough infection.",
    "Breakthrough pain is common in people with cancer.",
    # absolutes outside a health sentence, or not absolute about health
    "Always read the label.",
    "The shirt is 100% cotton.",
    "The juice is 100% orange juice with no added sugar.",
    "Subscribe and save 15%.",
    "Always talk to your doctor before starting a new supplement.",
    "Every time you travel, pack sunscreen.",
    "Vaccination is recommended for everyone aged six months and older.",
    "Most children have no side effects from the MMR vaccine.",
    "30-day money-back guarantee, no questions asked.",
]


def overstated(auditor: Auditor, text: str) -> list[Finding]:
    return [f for f in auditor.audit(text).findings if f.category == "overstated"]


@pytest.mark.model
@pytest.mark.parametrize(("text", "rule", "quote"), MUST_FLAG)
def test_overstatement_is_flagged(auditor: Auditor, text: str, rule: str, quote: str) -> None:
    found = overstated(auditor, text)
    assert (rule, quote) in {(f.rule, f.quote) for f in found}, found
    assert all(text[f.start:f.end] == f.quote for f in found)


@pytest.mark.model
@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_overstatement_is_not_flagged(auditor: Auditor, text: str) -> None:
    assert overstated(auditor, text) == []


@pytest.mark.model
def test_certainty_is_judged_by_the_claims_verdict(auditor: Auditor) -> None:
    """"Proven" is accurate for what the fact base confirms, unverified for what it does not
    cover; a "100%" stays an overstatement even about an established benefit."""
    confirmed = auditor.audit("Methadone is proven to reduce overdose deaths.").findings
    assert {f.category for f in confirmed} == {"supported"}
    unconfirmed = overstated(auditor, "Kratom is proven to ease opioid withdrawal.")
    assert [(f.rule, f.quote) for f in unconfirmed] == [("rhetoric.certainty.proven",
                                                          "proven to")]
    absolute = overstated(auditor, "Methadone is 100% effective at preventing overdose deaths.")
    assert [f.rule for f in absolute] == ["rhetoric.absolute.percent"]


@pytest.mark.model
def test_overstatement_finding_explains_and_suggests(auditor: Auditor) -> None:
    [finding] = overstated(auditor, "It's basically a miracle drug.")
    assert finding.severity == "warning"
    assert "FDA" in finding.explanation
    assert finding.suggestion
