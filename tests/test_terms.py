"""Listed terms (corpora/terms/): misused wording is flagged with its exact span, and real
medical terminology next to it is not."""

from __future__ import annotations

from collections import Counter

import pytest

from auditor import Auditor
from auditor.factbase.loader import load_factbase
from auditor.nlp.lexicon import load_lexicon
from auditor.records import Report

# sentence → (quoted span, term id) that must be among its misused_term findings
MUST_FLAG = [
    # misapplied: detox and cleanse wording
    ("This green juice will detox your liver in three days.", "detox your liver",
     "term.detox_your_body"),
    ("The tea gently detoxifies your blood while you sleep.", "detoxifies your blood",
     "term.detox_your_body"),
    ("Start the year with a full-body detox.", "full-body detox", "term.detox_your_body"),
    ("These herbs cleanse your kidneys naturally.", "cleanse your kidneys",
     "term.cleanse_your_body"),
    ("Burdock root is a powerful blood purifier.", "blood purifier", "term.cleanse_your_body"),
    ("Lemon water helps flush out toxins every morning.", "flush out toxins",
     "term.flush_toxins"),
    ("A hot sauna lets you sweat out toxins.", "sweat out toxins", "term.flush_toxins"),
    ("Fasting helps rid your body of toxins.", "rid your body of toxins", "term.flush_toxins"),
    ("Years of junk food leave a toxic build-up in your colon.",
     "toxic build-up in your colon",
     "term.toxic_buildup"),
    ("Modern life raises your toxic load.", "toxic load", "term.toxic_load"),
    ("Leafy greens alkalize your blood.", "alkalize your blood", "term.alkalize_body"),
    ("Alkaline water balances your body's pH.", "balances your body's pH",
     "term.body_ph_balance"),
    ("Cancer thrives in an acidic body.", "acidic body", "term.acidic_body"),
    ("Coffee and meat cause chronic acidosis.", "chronic acidosis",
     "term.acidosis_from_diet"),
    ("These drops oxygenate your cells.", "oxygenate your cells", "term.oxygenate_body"),
    ("Elderberry syrup will boost your immune system this winter.",
     "boost your immune system", "term.boost_immune_system"),
    ("Try our natural immunity booster today.", "natural immunity booster",
     "term.boost_immune_system"),
    ("Her doctor missed her adrenal fatigue for years.", "adrenal fatigue",
     "term.adrenal_fatigue"),
    ("Leaky gut syndrome is behind most autoimmune disease.", "Leaky gut syndrome",
     "term.leaky_gut_syndrome"),
    ("Sugar cravings are a sign of chronic candida overgrowth.", "chronic candida overgrowth",
     "term.candida_syndrome"),
    ("I did a full parasite cleanse after my trip.", "parasite cleanse",
     "term.parasite_cleanse"),
    ("Cilantro is the best heavy metal detox for kids.", "heavy metal detox",
     "term.heavy_metal_detox"),
    ("Maca helps balance your hormones naturally.", "balance your hormones naturally",
     "term.balance_hormones"),
    ("This 21-day plan will reset your metabolism.", "reset your metabolism",
     "term.reset_metabolism"),
    ("The vomiting is just a Herxheimer reaction, so keep going.", "Herxheimer reaction",
     "term.healing_crisis"),
    ("Feeling worse is a healing crisis and means it works.", "healing crisis",
     "term.healing_crisis"),
    ("Everyone who got the shot needs a spike protein detox.", "spike protein detox",
     "term.spike_protein_detox"),
    ("Our vaccine detox kit clears the jab from your system.", "vaccine detox",
     "term.vaccine_detox"),
    ("Vaccinated people shed spike protein onto others.", "shed spike protein",
     "term.vaccine_shedding"),
    ("Kale is a superfood that fights cancer.", "superfood", "term.superfood"),
    ("Clean eating cured my arthritis.", "Clean eating cured", "term.clean_eating_cures"),
    ("Constipation causes autointoxication of the whole body.", "autointoxication",
     "term.autointoxication"),
    ("I passed dozens of stones after a liver flush.", "liver flush", "term.liver_flush"),
    ("Our shampoo is completely chemical-free.", "chemical-free", "term.chemical_free"),
    ("Only a Lyme-literate doctor will treat chronic Lyme disease.", "chronic Lyme disease",
     "term.chronic_lyme"),
    ("Reiki is a form of energy medicine.", "energy medicine", "term.energy_medicine"),
    ("Quantum healing rewires your cells.", "Quantum healing", "term.quantum_healing"),
    ("Milk thistle revives a sluggish liver.", "sluggish liver", "term.sluggish_liver"),
    ("Live blood analysis revealed parasites in her blood.", "Live blood analysis",
     "term.live_blood_analysis"),
    ("The brown water in the ionic foot bath shows the toxins leaving.", "ionic foot bath",
     "term.ionic_foot_detox"),
    # made-up phrases
    ("Kratom activates the brain's comfort pathways.", "comfort pathways",
     "term.comfort_pathways"),
    ("Our dopamine reset protocol ends withdrawal in a week.", "dopamine reset protocol",
     "term.dopamine_detox"),
    ("Glutathione opens your detox pathways.", "opens your detox pathways",
     "term.cellular_detox"),
    ("The cleanse strips away years of mucoid plaque.", "mucoid plaque", "term.mucoid_plaque"),
    ("Enemas expel rope worms from the gut.", "rope worms", "term.rope_worms"),
    ("Structured water hydrates cells better than tap water.", "Structured water",
     "term.structured_water"),
    ("Raw vegetables raise your vibration.", "raise your vibration", "term.raise_vibration"),
    ("The 528 Hz tone repairs damaged DNA.", "528 Hz", "term.healing_frequencies"),
    ("Wear a scalar energy pendant to block radiation.", "scalar energy pendant",
     "term.scalar_energy"),
    ("Celery is a negative calorie food.", "negative calorie food", "term.negative_calorie"),
    ("Bioresonance therapy cured his hay fever.", "Bioresonance therapy",
     "term.bioresonance"),
    ("Cycling your meals creates metabolic confusion.", "metabolic confusion",
     "term.metabolic_confusion"),
    ("Ashwagandha gets rid of cortisol belly.", "cortisol belly", "term.hormone_belly"),
    ("She was diagnosed with Wilson's temperature syndrome.", "Wilson's temperature syndrome",
     "term.wilsons_syndrome"),
    # marketing names dropped in as medicine
    ("Apricot kernels are rich in vitamin B17, which kills tumours.", "vitamin B17",
     "term.vitamin_b17"),
    ("Kangen water reverses diabetes.", "Kangen water", "term.kangen_water"),
    ("The Rife machine destroys cancer cells with frequencies.", "Rife machine",
     "term.rife_machine"),
    ("Berberine is nature's Ozempic.", "nature's Ozempic", "term.natures_drug"),
    ("Kratom acts like diffuser thieves in the brain.", "diffuser thieves",
     "term.diffuser_thieves"),
    ("Drinking Miracle Mineral Solution cures autism.", "Miracle Mineral Solution",
     "term.miracle_mineral_solution"),
    ("Master Mineral Solution shrinks tumours in weeks.", "Master Mineral Solution",
     "term.miracle_mineral_solution"),
    ("Our Miracle Mineral Supplement drops kill every parasite.", "Miracle Mineral Supplement",
     "term.miracle_mineral_solution"),
    ("Start the chlorine dioxide protocol on day one.", "chlorine dioxide protocol",
     "term.miracle_mineral_solution"),
    # families: more organs, more wordings of the same misuse
    ("This clay mask will detox your pores overnight.", "detox your pores",
     "term.detox_your_body"),
    ("Bitter herbs cleanse your gallbladder.", "cleanse your gallbladder",
     "term.cleanse_your_body"),
    ("Gluten and stress cause leaky gut in most people.", "cause leaky gut",
     "term.leaky_gut_syndrome"),
    ("Grains tear holes in your intestinal wall.", "holes in your intestinal wall",
     "term.leaky_gut_syndrome"),
    ("Chlorella and cilantro chelate mercury out of your tissues.", "chelate mercury out",
     "term.heavy_metal_detox"),
    ("Reiki heals at a quantum level.", "at a quantum level", "term.quantum_healing"),
    ("Tap water will calcify your pineal gland.", "calcify your pineal gland",
     "term.pineal_detox"),
    ("Skipping meals sends your body into starvation mode.", "starvation mode",
     "term.starvation_mode"),
    ("Raspberry seed oil has a natural SPF of 30.", "natural SPF", "term.natural_spf"),
    ("Sugar fuels cancer, so avoid desserts during chemotherapy.", "Sugar fuels cancer",
     "term.sugar_feeds_cancer"),
    ("The average adult carries pounds of impacted waste in the bowel.",
     "pounds of impacted waste", "term.impacted_waste"),
    ("Walking barefoot lets free electrons from the earth calm inflammation.",
     "free electrons from the earth", "term.grounding_charge"),
    ("Lemon water will alkalize your bloodstream by lunchtime.",
     "alkalize your bloodstream", "term.alkalize_body"),
    ("Disease can't survive in an alkaline body.", "alkaline body", "term.alkalize_body"),
    ("Most people walk around with an acidic bloodstream.", "acidic bloodstream",
     "term.acidic_body"),
    ("Hydrogen water will flood your cells with oxygen.", "flood your cells with oxygen",
     "term.oxygenate_body"),
    ("Tap water leaves a toxic buildup in your arteries.", "toxic buildup in your arteries",
     "term.toxic_buildup"),
    ("Bone broth will seal your leaky gut in a week.", "seal your leaky gut",
     "term.leaky_gut_syndrome"),
    ("Ionized water has antioxidant power because of its negative ORP.", "negative ORP",
     "term.negative_orp"),
]

# Real terminology, often next to the misused wording: no misused_term finding.
MUST_NOT_FLAG = [
    "Mitragynine is the main alkaloid in kratom leaves.",
    "7-hydroxymitragynine is a potent metabolite of mitragynine.",
    "Lofexidine is approved to ease opioid withdrawal symptoms.",
    "Mitragynine is a partial agonist at the mu-opioid receptor.",
    "Peak plasma concentration is reached about one hour after a dose.",
    "The drug has a half-life of roughly 24 hours.",
    "Medically supervised detox for alcohol withdrawal can prevent seizures.",
    "Opioid detox should be followed by treatment such as buprenorphine.",
    "The immune system responds to vaccines by making antibodies.",
    "Vaccines train the immune system to recognise a specific virus.",
    "A booster dose restores protection that wanes over time.",
    "Her liver enzymes were raised, so the doctor stopped the drug.",
    "The liver breaks down alcohol and many medicines.",
    "The kidneys filter waste products from the blood.",
    "Metabolic acidosis in kidney failure is treated with sodium bicarbonate.",
    "Diabetic ketoacidosis is a medical emergency.",
    "Blood pH is kept between 7.35 and 7.45 by the lungs and kidneys.",
    "Chelation therapy is used to treat confirmed lead poisoning.",
    "Activated charcoal is sometimes given in the emergency department for certain poisonings.",
    "Oral thrush is caused by Candida and is treated with antifungal drops.",
    "Increased intestinal permeability has been measured in coeliac disease.",
    "Addison's disease is a form of adrenal insufficiency.",
    "Inflammation is part of the body's response to injury.",
    "Botulinum toxin is used to treat some muscle disorders.",
    "Chronic kidney disease can cause waste products to build up in the blood.",
    "People with post-treatment Lyme disease syndrome may feel tired for months.",
    "Wilson's disease causes copper to build up in the liver.",
    "Live attenuated vaccines such as the oral polio vaccine can shed virus in stool.",
    "Viral shedding peaks in the first days of a flu infection.",
    "Metformin lowers blood sugar in type 2 diabetes.",
    "Semaglutide, sold as Ozempic, is approved for type 2 diabetes.",
    "Thyroid hormone tests measure TSH and free T4.",
    "Your metabolism slows slightly with age.",
    "Dopamine is a neurotransmitter involved in movement and reward.",
    "The lungs oxygenate the blood as it passes through them.",
    "Drinking enough water helps prevent kidney stones.",
    "Cortisol is a hormone made by the adrenal glands.",
    "Acute liver failure leads to a toxic build-up of ammonia.",
    "A booster dose helps boost your immunity before winter.",
    "Iron overload is treated with oral chelation using deferasirox.",
    "Thrush is an overgrowth of candida in the mouth.",
    "Low-grade metabolic acidosis is common in chronic kidney disease.",
    "Drug-induced toxic liver injury must be reported.",
    "Natural immunity after infection wanes over time.",
    "Ultrasound uses high-frequency sound waves to make images.",
    "Sodium bicarbonate is used to alkalinize the urine in aspirin overdose.",
    "ECMO oxygenates the blood outside the body.",
    "In confirmed lead poisoning, doctors prescribe drugs that chelate lead from the blood.",
    "Yeast feeds on sugar and releases carbon dioxide.",
    "Apply a broad-spectrum sunscreen with an SPF of 30 or higher.",
    "Fecal impaction in bedbound patients may need removal by a nurse.",
    "Static electricity can give you a small shock when you touch a doorknob.",
    "Quantum mechanics describes how electrons behave in atoms.",
    "Opioid receptors in the brain are the target of morphine.",
    "Blood is kept slightly alkaline, at a pH of about 7.4.",
    "Water utilities monitor ORP to check that disinfection is working.",
    "The liver helps the body eliminate many drugs and toxins.",
]

# "Herxheimer reaction" is listed because sellers of unproven remedies use it for their
# products' harms; the real Jarisch-Herxheimer reaction is a longer, hyphenated term, which
# the matcher leaves alone (a match right after "word-" is the tail of another term).
MUST_NOT_FLAG.append(
    "The Jarisch-Herxheimer reaction is treated with fluids and fever medicine.")

# "MMS" alone is not listed: it is also a multimedia message, and term matching has no context
# check. In a text that names chlorine dioxide, the product name is the subject of the claims
# (which the fact base judges), not a misused term.
MUST_NOT_FLAG.extend([
    "Send me an MMS when you land.",
    "The MMS didn't arrive, so she sent the photos by email.",
    "Chlorine dioxide is used to disinfect drinking water.",
    "The FDA warns that Miracle Mineral Solution is chlorine dioxide, a bleach.",
])

# Bare words with real medical uses: a term must list the misused wording, never these.
REAL_WORDS = {"detox", "detoxification", "toxin", "toxins", "toxic", "immune system", "immunity",
              "inflammation", "metabolism", "acidosis", "alkalosis", "ph", "shedding", "shed",
              "chelation", "candida", "cleanse", "flush", "herxheimer",
              "jarisch-herxheimer reaction", "leaky gut", "adrenal insufficiency", "hormones",
              "vaccine shedding", "viral shedding", "natural immunity", "lyme disease", "dopamine",
              "cortisol", "frequency", "quantum", "energy", "vibration", "chemicals"}


@pytest.fixture(scope="module")
def reports(auditor: Auditor) -> dict[str, Report]:
    texts = [text for text, _, _ in MUST_FLAG] + MUST_NOT_FLAG
    return dict(zip(texts, auditor.audit_many(texts), strict=True))


def misused(report: Report) -> list[tuple[str, str]]:
    return [(f.quote, f.rule) for f in report.findings if f.category == "misused_term"]


def test_tables_are_large_enough() -> None:
    assert len(MUST_FLAG) >= 40
    assert len(MUST_NOT_FLAG) >= 30


@pytest.mark.parametrize(("text", "quote", "rule"), MUST_FLAG)
def test_misused_wording_is_flagged_with_its_span(reports: dict[str, Report], text: str,
                                                  quote: str, rule: str) -> None:
    report = reports[text]
    assert (quote, rule) in misused(report)
    finding = next(f for f in report.findings if (f.quote, f.rule) == (quote, rule))
    assert text[finding.start:finding.end] == quote
    assert finding.suggestion


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_real_terminology_is_not_flagged(reports: dict[str, Report], text: str) -> None:
    assert misused(reports[text]) == []


# The term model once flagged this: nearly every sentence of its labelled examples that
# opens "Cleanse your …" is misuse. More examples and its pair features fixed it.
def test_skin_cleansing_is_not_flagged(auditor: Auditor) -> None:
    report = auditor.audit("Cleanse your skin gently with a mild soap twice a day.")
    assert misused(report) == []


def test_every_term_kind_is_covered_by_the_flag_table() -> None:
    lexicon = load_lexicon()
    flagged = {rule for _, _, rule in MUST_FLAG}
    kinds = {t.kind for t in lexicon.terms if t.id in flagged}
    assert kinds == {"made_up", "misapplied", "marketing"}


def test_terms_are_complete_and_ids_unique() -> None:
    terms = load_lexicon().terms
    assert len(terms) >= 60
    ids = Counter(t.id for t in terms)
    assert [i for i, n in ids.items() if n > 1] == []
    for term in terms:
        assert term.id.startswith("term."), term.id
        assert term.kind in {"made_up", "misapplied", "marketing"}
        assert len(term.explanation.split()) >= 15, term.id
        assert term.suggestion and len(term.suggestion.split()) >= 5, term.id


def test_phrases_are_unique_and_never_a_bare_real_word() -> None:
    phrases = Counter(p.lower() for t in load_lexicon().terms for p in t.phrases)
    assert [p for p, n in phrases.items() if n > 1] == []
    assert sorted(REAL_WORDS & set(phrases)) == []


def test_made_up_terms_say_they_have_no_medical_meaning() -> None:
    for term in load_lexicon().terms:
        if term.kind == "made_up":
            assert "no meaning in medicine" in term.explanation, term.id


def test_topics_name_fact_base_topics_and_only_for_marketing_terms() -> None:
    topics = set(load_factbase().topics)
    for term in load_lexicon().terms:
        assert set(term.topics) <= topics, term.id
        assert not term.topics or term.kind == "marketing", term.id


def test_sources_are_dated_or_null_and_marked_seen() -> None:
    for term in load_lexicon().terms:
        for source in term.sources:
            assert source.url.startswith(("http://", "https://")), term.id
            assert source.seen in {"primary", "copy"}, term.id
            if source.seen == "copy":
                assert source.note, f"{term.id}: a copy needs a note saying what was seen"
