"""The judge generalizes beyond the seed: paraphrases are caught by the same facts, and true
statements are not flagged."""

from __future__ import annotations

import pytest

from auditor import Auditor
from auditor.records import Report

PROBLEMS = {"contradicted", "unsupported", "misused_term", "overstated"}

# sentence → (category, fact or rule) that must be among its findings
MUST_FLAG = [
    ("Kratom isn't habit-forming.", "contradicted", "factbase:kratom.addiction"),
    ("You can quit kratom any time with no withdrawal.", "contradicted",
     "factbase:kratom.addiction"),
    ("Kratom is a non-addictive way to get off opioids.", "contradicted",
     "factbase:kratom.addiction"),
    ("Mitragyna speciosa does not cause dependence.", "contradicted", "factbase:kratom.addiction"),
    ("Ketum leaves can be stopped anytime without withdrawal symptoms.", "contradicted",
     "factbase:kratom.addiction"),
    ("Kratom is perfectly safe.", "contradicted", "factbase:kratom.harms"),
    ("Kratom is harmless.", "contradicted", "factbase:kratom.harms"),
    ("Kratom is an FDA-approved remedy for pain.", "contradicted",
     "factbase:kratom.not_approved"),
    ("Kratom cures opioid addiction.", "unsupported", "factbase:kratom.treatment_unproven"),
    ("Many people use kratom to ease opiate withdrawal.", "unsupported",
     "factbase:kratom.treatment_unproven"),
    ("Kratom does not act on opioid receptors.", "contradicted",
     "factbase:kratom.opioid_receptors"),
    ("Methadone is simply trading one addiction for another.", "contradicted",
     "factbase:oud.not_substitution"),
    ("Vivitrol is habit-forming.", "contradicted", "factbase:oud.naltrexone_not_addictive"),
    ("Naltrexone eases opioid withdrawal.", "contradicted",
     "factbase:oud.naltrexone_not_for_withdrawal"),
    ("Lucemyra has not been approved by the FDA.", "contradicted",
     "factbase:oud.lofexidine_approved"),
    ("Kratom reaches peak plasma concentrations after 8 hours.", "contradicted",
     "factbase:kratom.peak_concentration"),
    ("Kratom is 100% safe for everyone.", "overstated", "rhetoric.absolute.percent"),
    ("This miracle herb cures anxiety.", "overstated", "rhetoric.hype.miracle"),
    ("Kratom acts like diffuser thieves in the brain.", "misused_term", "term.diffuser_thieves"),
    # Efficacy wordings beyond "treats" and "cures"
    ("Stromectol wipes out the coronavirus before it can spread.", "contradicted",
     "factbase:ivermectin_covid.not_effective"),
    ("CDS wipes out parasites and germs in your body.", "unsupported",
     "factbase:chlorine_dioxide.infections"),
    ("Kratom can take the edge off cravings.", "unsupported",
     "factbase:kratom.treatment_unproven"),
    ("Kratom offers real hope as a withdrawal aid.", "unsupported",
     "factbase:kratom.treatment_unproven"),
    ("Frankincense attacks cancer cells.", "unsupported", "factbase:essential_oils.cancer"),
    ("Essential oils calm ADHD symptoms.", "unsupported", "factbase:essential_oils.autism"),
    ("Hemp oil melts away anxiety in minutes.", "unsupported",
     "factbase:cbd.mental_health_unproven"),
    ("Her tumors shrank after three months of CBD oil.", "unsupported",
     "factbase:cbd.cancer_unproven"),
    ("Sunscreen doesn't even stop sunburn.", "contradicted", "factbase:sunscreen.sunburn"),
    ("COVID shots don't keep anyone out of the hospital.", "contradicted",
     "factbase:covid_vaccines.prevent_severe_disease_and_death"),
    ("With a juice detox you can lose up to 10 pounds of fat in a week.", "unsupported",
     "factbase:detox_cleanses.weight_loss"),
    ("Alkaline water hydrates you six times faster than tap water.", "unsupported",
     "factbase:alkaline_water.hydration"),
    # A condition fits a fact's condition as whole words: "any virus" is not "coronavirus"
    ("Colloidal silver kills any virus.", "unsupported",
     "factbase:colloidal_silver.treatment_unproven"),
    ("MMR never leads to bleeding disorders.", "contradicted",
     "factbase:mmr_autism.mmr_low_platelets"),
    ("Nebulized hydrogen peroxide kills the virus in your lungs and cures COVID-19.",
     "unsupported", "factbase:hydrogen_peroxide_therapy.covid"),
    # A pronoun or "these oils" as object or subject points back to the subject named before
    ("Ivermectin is sold in feed stores. You cannot overdose on it.", "contradicted",
     "factbase:ivermectin_covid.overdose_harms"),
    ("Essential oils are popular. These oils calm ADHD symptoms.", "unsupported",
     "factbase:essential_oils.autism"),
    ("COVID vaccines are everywhere. But the shots don't keep anyone out of the hospital.",
     "contradicted", "factbase:covid_vaccines.prevent_severe_disease_and_death"),
    ("Colloidal silver is sold online. This remedy cures cancer.", "unsupported",
     "factbase:colloidal_silver.serious_diseases"),
    # Causation
    ("The measles-mumps-rubella shot can lead to autism.", "contradicted",
     "factbase:mmr_autism.mmr_no_autism"),
    ("Sunscreen is what's giving people skin cancer.", "contradicted",
     "factbase:sunscreen.causes_cancer"),
    ("The sun doesn't cause melanoma.", "contradicted",
     "factbase:sunscreen.uv_causes_skin_cancer"),
    ("Vaccines are behind the rise in autism.", "unsupported",
     "factbase:mmr_autism.vaccines_autism_contested"),
    ("mRNA vaccines integrate into your genome.", "contradicted",
     "factbase:covid_vaccines.do_not_alter_dna"),
    ("The COVID vaccine affects fertility in young women.", "contradicted",
     "factbase:covid_vaccines.no_infertility"),
    # Safety, substitution, regulation, blood pH
    ("Quitting cold turkey is completely safe.", "contradicted",
     "factbase:oud.detox_alone_overdose_risk"),
    ("You cannot overdose on ivermectin.", "contradicted",
     "factbase:ivermectin_covid.overdose_harms"),
    ("Oxybenzone is a poison.", "unsupported", "factbase:sunscreen.chemical_filters_data"),
    ("Suboxone just swaps one drug for another.", "contradicted",
     "factbase:oud.not_substitution"),
    ("COVID vaccines are still experimental.", "contradicted", "factbase:covid_vaccines.approved"),
    ("CBD oil is an FDA-approved alternative to pain pills.", "contradicted",
     "factbase:cbd.not_approved"),
    ("Acidic foods make your blood acidic.", "contradicted",
     "factbase:acid_forming_diet.blood_ph"),
    ("Drinking alkaline water raises the pH of your blood.", "contradicted",
     "factbase:alkaline_diet.blood_ph"),
]

# True or harmless statements: no problem finding at all.
MUST_NOT_FLAG = [
    "Kratom can cause dependence.",
    "Regular kratom use can lead to tolerance and withdrawal.",
    "The FDA has not approved kratom for any medical use.",
    "Kratom has not been shown to be safe or effective for any medical use.",
    "There is no evidence that kratom is safe.",
    "Kratom is not safe.",
    "Kratom can cause liver injury.",
    "Mitragynine binds to opioid receptors.",
    "Kratom's main alkaloids are mitragynine and 7-hydroxymitragynine.",
    "Kratom compounds reach peak plasma concentrations within 1-2 hours.",
    "Buprenorphine relieves opioid withdrawal symptoms.",
    "Methadone can cause physical dependence.",
    "Naltrexone is not addictive.",
    "Lofexidine is FDA-approved to ease opioid withdrawal symptoms.",
    "Methadone does not just substitute one addiction for another.",
    "Safe usage requires people to buy from reputable sources.",
    "People with a history of addiction should talk to a doctor.",
    "These can include severe pain, nausea, vomiting, anxiety, insomnia, and intense cravings.",
    "Opioid withdrawal is a challenging process.",
    "Always read the label.",
    "The shirt is 100% cotton.",
    "Thieves stole the diffuser from the shop.",
    "Acidic foods do not make your blood acidic.",
    "Alkaline water does not change the pH of your blood.",
    "Sunscreen stops sunburn.",
    "COVID vaccines keep most people out of the hospital.",
    "UV rays from the sun are behind most skin cancers.",
    "Measles can leave children deaf or blind.",
    "Left untreated, measles can cause pneumonia.",
    "Methadone and buprenorphine are not just swapping one drug for another.",
    "Quitting cold turkey can be dangerous for people dependent on opioids.",
    "Poison control centers received more calls about ivermectin.",
    "Stay calm and keep your child hydrated.",
    "Lavender oil has a calming scent.",
    "Experimental studies in mice suggest curcumin may slow tumor growth.",
    "Turn to your doctor for advice about CBD oil.",
    "The mRNA in the vaccine breaks down within days.",
    "No controlled clinical trials have shown that kratom is safe.",
    "There is no evidence that kratom is safe or effective for withdrawal.",
    "No controlled clinical trials have shown that kratom is safe or effective for pain or "
    "withdrawal.",
    "Relying on homeopathy instead of proven treatment can be dangerous.",
    "MMS is not approved, and a court ordered sellers who marketed it as a cure to stop.",
    "Pediatricians say the vaccine does not cause autism.",
    # Questions assert nothing
    "Is kratom safe?",
    "COVID vaccines are safe and effective. Does the vaccine change my DNA?",
    "MMS is sold online. Are they approved? No.",
]


def categories_and_rules(report: Report) -> set[tuple[str, str]]:
    return {(f.category, f.rule) for f in report.findings}


@pytest.mark.model
@pytest.mark.parametrize(("text", "category", "rule"), MUST_FLAG)
def test_judge_flags(auditor: Auditor, text: str, category: str, rule: str) -> None:
    report = auditor.audit(text)
    assert (category, rule) in categories_and_rules(report), report.findings


@pytest.mark.model
@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_judge_does_not_flag(auditor: Auditor, text: str) -> None:
    problems = [f for f in auditor.audit(text).findings if f.category in PROBLEMS]
    assert problems == []


@pytest.mark.model
def test_hedged_contradiction_is_one_step_less_severe(auditor: Auditor) -> None:
    plain = auditor.audit("Kratom is not addictive.").findings[0]
    hedged = auditor.audit("Kratom may not be addictive.").findings[0]
    assert (plain.category, plain.severity) == ("contradicted", "error")
    assert (hedged.category, hedged.severity) == ("contradicted", "warning")
    assert hedged.claim is not None and hedged.claim.hedged


@pytest.mark.model
def test_unknown_subject_is_unchecked_not_guessed(auditor: Auditor) -> None:
    findings = auditor.audit("Soursop cures cancer.").findings
    assert [(f.category, f.severity, f.rule) for f in findings] == [
        ("unchecked", "info", "claims.unchecked")]
    assert "no entry" in findings[0].explanation


@pytest.mark.model
def test_finding_names_fact_and_citations(auditor: Auditor) -> None:
    finding = auditor.audit("Kratom isn't habit-forming.").findings[0]
    assert finding.evidence[0].fact_id == "kratom.addiction"
    assert finding.evidence[0].verdict == "established"
    assert all(c.url.startswith("http") for c in finding.evidence[0].citations)
    assert "kratom does not cause addiction" in finding.explanation
    assert finding.suggestion
    assert 0 < finding.confidence < 1


@pytest.mark.model
def test_pronoun_claims_take_the_subject_named_before(auditor: Auditor) -> None:
    report = auditor.audit("Kratom is sold online. It is completely non-addictive.")
    contradicted = [f for f in report.findings if f.category == "contradicted"]
    assert [f.rule for f in contradicted] == ["factbase:kratom.addiction"]
    assert contradicted[0].quote.startswith("is completely non-addictive")


# sentence → a fact that must NOT judge it: a condition fits only as whole words, so a claim
# about any virus is not judged by a fact about COVID-19 ("virus" is not "coronavirus").
NOT_JUDGED_BY = [
    ("Colloidal silver kills any virus.", "factbase:colloidal_silver.covid"),
    ("Stromectol wipes out the virus before it can spread.",
     "factbase:ivermectin_covid.not_effective"),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "rule"), NOT_JUDGED_BY)
def test_condition_fits_whole_words_only(auditor: Auditor, text: str, rule: str) -> None:
    assert rule not in {f.rule for f in auditor.audit(text).findings}
