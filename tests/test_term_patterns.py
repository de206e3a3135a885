"""Term patterns (``patterns:`` in corpora/terms/*.yaml): misuse families caught in wordings no
phrase list enumerates, real medical uses of the same words left alone, and terms inside a
negated or debunking sentence named rather than misused."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from auditor import Auditor
from auditor.errors import DataError
from auditor.nlp.lexicon import load_lexicon, parse_pattern
from auditor.nlp.matching import token_patterns


@pytest.fixture(scope="module")
def auditor() -> Auditor:
    return Auditor(claim_detector=False)


def term_findings(auditor: Auditor, text: str) -> list[tuple[str, str]]:
    """(quote, rule) of the listed-term findings of a text (coinages are another module's)."""
    return [(f.quote, f.rule) for f in auditor.audit(text).findings
            if f.category == "misused_term" and f.rule.startswith("term.")]


# sentence → the exact quote and term of its one listed-term finding
MUST_FLAG = [
    # detox and cleanse of an organ, verbal and nominal
    ("This three-week program gives your kidneys a thorough detox.",
     "gives your kidneys a thorough detox", "term.detox_your_body"),
    ("Dandelion tea detoxifies the gallbladder overnight.", "detoxifies the gallbladder",
     "term.detox_your_body"),
    ("Treat your gut to a deep cleanse this spring.", "Treat your gut to a deep cleanse",
     "term.cleanse_your_body"),
    ("Nettle tea will unclog your lymph nodes.", "unclog your lymph nodes",
     "term.cleanse_your_body"),
    # toxins
    ("Our drops flush out all those nasty toxins from your cells.",
     "flush out all those nasty toxins", "term.flush_toxins"),
    ("Clay masks pull toxins from your pores.", "pull toxins", "term.flush_toxins"),
    ("Your liver is clogged with toxins from processed food.",
     "liver is clogged with toxins", "term.toxic_buildup"),
    ("Modern life overwhelms us with a chemical overload.", "chemical overload",
     "term.toxic_load"),
    # acid–alkaline
    ("Lemon water makes your blood more alkaline.", "makes your blood more alkaline",
     "term.alkalize_body"),
    ("These greens alkalinize the tissues.", "alkalinize the tissues", "term.alkalize_body"),
    ("Baking soda raises your body's pH in a week.", "raises your body's pH",
     "term.body_ph_balance"),
    ("Green juice restores the pH balance of your blood.",
     "restores the pH balance of your blood", "term.body_ph_balance"),
    ("Stress makes your body too acidic.", "body too acidic", "term.acidic_body"),
    ("Meat and coffee make your blood acidic.", "make your blood acidic", "term.acidic_body"),
    ("Avoid acid-forming foods like meat and coffee.", "acid-forming foods",
     "term.acidic_body"),
    # oxygen
    ("Ozone therapy floods your tissues with pure oxygen.",
     "floods your tissues with pure oxygen", "term.oxygenate_body"),
    ("These drops oxygenate your arteries.", "oxygenate your arteries",
     "term.oxygenate_body"),
    # immunity
    ("Elderberry gummies supercharge your kids' immune system.",
     "supercharge your kids' immune system", "term.boost_immune_system"),
    ("Zinc lozenges will turbocharge your immunity.", "turbocharge your immunity",
     "term.boost_immune_system"),
    # hormones and metabolism
    ("Seed cycling rebalances your estrogen and progesterone.", "rebalances your estrogen",
     "term.balance_hormones"),
    ("This tea supports hormonal balance naturally.", "supports hormonal balance",
     "term.balance_hormones"),
    ("Intermittent fasting can reboot your damaged metabolism.",
     "reboot your damaged metabolism", "term.reset_metabolism"),
    # heavy metals
    ("Cilantro and chlorella chelate mercury out of the brain.", "chelate mercury out",
     "term.heavy_metal_detox"),
    ("Zeolite pulls heavy metals from your body.", "pulls heavy metals",
     "term.heavy_metal_detox"),
    # vaccines
    ("Unvaccinated women report cycle changes from shedding after hugging vaccinated friends.",
     "shedding", "term.vaccine_shedding"),
    ("Vaccinated people can transmit spike proteins to the unvaccinated.",
     "transmit spike proteins to the unvaccinated", "term.vaccine_shedding"),
    ("Nattokinase dissolves the spike protein in your blood.", "dissolves the spike protein",
     "term.spike_protein_detox"),
    ("Giving six shots in one visit will overwhelm a baby's developing immune system.",
     "overwhelm a baby's developing immune system", "term.vaccine_overload"),
    # yeast, parasites, leaky gut
    ("Brain fog and bloating are caused by systemic yeast overgrowth.",
     "systemic yeast overgrowth", "term.candida_syndrome"),
    ("Bad breath and itchy skin are classic symptoms of parasites.", "symptoms of parasites",
     "term.parasite_cleanse"),
    ("Most adults are carrying parasites without knowing it.",
     "Most adults are carrying parasites", "term.parasite_cleanse"),
    ("Your migraines are probably caused by leaky gut.", "caused by leaky gut",
     "term.leaky_gut_syndrome"),
    ("Undigested food particles leak into your bloodstream and trigger allergies.",
     "Undigested food particles leak into your bloodstream", "term.leaky_gut_syndrome"),
    # vibration, frequency, quantum
    ("Crystals raise the vibration of your cells.", "raise the vibration of your cells",
     "term.raise_vibration"),
    ("Eat high-vibration foods to heal faster.", "high-vibration foods",
     "term.raise_vibration"),
    ("These tones heal your cells while you sleep.", "tones heal your cells",
     "term.healing_frequencies"),
    ("Homeopathy works through quantum entanglement with the patient.",
     "quantum entanglement", "term.quantum_healing"),
    # chiropractic subluxation as a cause of illness
    ("A subluxation at the top of the neck causes ear infections.", "subluxation",
     "term.subluxation_disease"),
    ("Adjustments clear nerve interference so your body fights colds.", "nerve interference",
     "term.subluxation_disease"),
    ("Misaligned vertebrae block the nerve supply to your organs.",
     "Misaligned vertebrae block the nerve supply", "term.subluxation_disease"),
    ("Regular adjustments correct the subluxations that weaken your immune system.",
     "subluxations", "term.subluxation_disease"),
    ("When your atlas is out of alignment, your body cannot heal itself.",
     "atlas is out of alignment", "term.subluxation_disease"),
    ("Spinal misalignments are the hidden cause of colic and asthma in babies.",
     "Spinal misalignments", "term.subluxation_disease"),
    ("Subluxations interfere with the nerve flow from your brain to your stomach.",
     "Subluxations interfere with the nerve flow", "term.subluxation_disease"),
    # lactic acid as the cause of next-day soreness
    ("Foam rolling after a run will flush lactic acid out of your muscles.",
     "flush lactic acid", "term.lactic_acid_soreness"),
    ("Lactic acid build-up causes the soreness the day after a hard workout.",
     "Lactic acid build-up causes", "term.lactic_acid_soreness"),
    ("Squeeze lactic acid out with a foam roller.", "Squeeze lactic acid",
     "term.lactic_acid_soreness"),
    ("A sports massage breaks up lactic acid so you won't be sore tomorrow.",
     "breaks up lactic acid", "term.lactic_acid_soreness"),
    ("That stiffness the next morning is lactic acid trapped in your legs.",
     "is lactic acid trapped", "term.lactic_acid_soreness"),
    ("Your sore legs the day after a race are caused by a build-up of lactic acid.",
     "caused by a build-up of lactic acid", "term.lactic_acid_soreness"),
    ("Lactate makes your muscles sore for days.", "Lactate makes",
     "term.lactic_acid_soreness"),
    # food rotting, putrefying or fermenting in the gut (food combining)
    ("Meat putrefies in your colon for days.", "putrefies in your colon",
     "term.food_putrefaction"),
    ("Red meat rots in your colon.", "rots in your colon", "term.food_putrefaction"),
    ("Fruit ferments in your stomach when eaten after a meal.", "ferments in your stomach",
     "term.food_putrefaction"),
    ("Undigested food is left rotting in the gut for weeks.", "rotting in the gut",
     "term.food_putrefaction"),
    ("Eating starch with protein leaves putrefying food in your gut.",
     "putrefying food in your gut", "term.food_putrefaction"),
    ("Melon sits and ferments in the belly if you eat it with other food.",
     "ferments in the belly", "term.food_putrefaction"),
    # distilled water leaching minerals from the body
    ("Distilled water leaches minerals from your bones.", "Distilled water leaches minerals",
     "term.distilled_water_leaching"),
    ("Drinking distilled water will slowly leach calcium out of your teeth.",
     "leach calcium out of your teeth", "term.distilled_water_leaching"),
    ("Reverse osmosis water pulls essential minerals out of your cells.",
     "pulls essential minerals out of your cells", "term.distilled_water_leaching"),
    ("Demineralised water robs your body of magnesium.", "robs your body of magnesium",
     "term.distilled_water_leaching"),
    ("Distilled water is dead water.", "dead water", "term.distilled_water_leaching"),
]

# Real uses of the words the families abuse: no listed-term finding at all.
MUST_NOT_FLAG = [
    "The liver and kidneys remove toxins from the blood.",
    "A medically supervised detox is the safest way to stop drinking.",
    "Alcohol detoxification should happen under medical care.",
    "Chelation therapy for lead poisoning is given in hospital.",
    "The vaccine boosts antibody levels within two weeks.",
    "A booster dose boosts immunity against severe disease.",
    "Adjuvants boost the immune response to a vaccine.",
    "Respiratory alkalosis can follow a panic attack.",
    "Oxygen saturation below 92% needs urgent care.",
    "Hormone replacement therapy can relieve hot flushes.",
    "Levothyroxine restores thyroid hormone levels.",
    "The body regulates blood pH tightly.",
    "The kidneys keep the blood slightly alkaline.",
    "Vomiting can make the blood more alkaline.",
    "Bicarbonate raises blood pH in severe metabolic acidosis.",
    "Uric acid in your blood can form crystals in the joints.",
    "The lungs oxygenate the blood and the kidneys filter it.",
    "Dialysis cleanses the blood when the kidneys fail.",
    "Cleanse your skin twice a day with a mild soap.",
    "Activated charcoal can soak up some poisons after an overdose.",
    "Botulism antitoxin neutralizes the toxin in the blood.",
    "Dying bacteria release toxins during antibiotic treatment.",
    "Water filters can trap heavy metals like lead.",
    "Thyroid hormone speeds up your metabolism.",
    "Oral polio vaccine can shed live virus in stool.",
    "Her dog is shedding a lot of hair this spring.",
    "Neutralizing antibodies bind the spike protein.",
    "Sepsis can overwhelm the immune system.",
    "Chemotherapy weakens the immune system, so patients should avoid live vaccines.",
    "Stool tests can show signs of parasites after travel abroad.",
    "Invasive candida infections in ICU patients are treated with antifungals.",
    "Antibiotics can cause candida overgrowth and vaginal thrush.",
    "Ulcers are sores in the stomach lining.",
    "Exercise increases the frequency of your heartbeat.",
    "MRI scanners rely on quantum mechanics of hydrogen nuclei.",
    # subluxation: the orthopaedic partial dislocation of a named joint
    "She had a shoulder subluxation after a fall.",
    "Atlantoaxial subluxation in rheumatoid arthritis can compress the spinal cord.",
    "Patellar subluxation is common in teenage athletes.",
    "Shoulder subluxation is common after a stroke and can cause pain.",
    "Hip subluxation is common in children with cerebral palsy.",
    "Radial head subluxation, or nursemaid's elbow, happens when a toddler is pulled by the arm.",
    "The lens subluxation in Marfan syndrome was found on an eye exam.",
    "Cervical subluxation after a diving accident needs urgent imaging.",
    "A slipped vertebra can pinch nerves and cause leg pain.",
    "A misaligned spine from severe scoliosis can reduce lung function.",
    "Damage to the sacral nerves can cut off the nerve supply to the bladder.",
    # lactate and lactic acid in exercise physiology, medicine, food and skin care
    "Lactate threshold training improves endurance.",
    "Blood lactate rises during intense exercise.",
    "Lactic acid builds up in your muscles during a hard sprint.",
    "Lactic acidosis in sepsis signals poor blood flow to the tissues.",
    "Metformin can rarely cause lactic acidosis.",
    "Lactic acid bacteria turn milk into yogurt.",
    "A lactic acid peel can smooth rough skin.",
    "Lactic acid is added to foods as a preservative.",
    "The liver turns lactate back into glucose after exercise.",
    "Muscle soreness a day or two after a hard workout comes from small injuries to the "
    "muscle fibres.",
    "Blood lactate was measured the next day in the study.",
    # digestion, fermentation by gut bacteria, decomposition
    "Food poisoning causes vomiting and diarrhoea.",
    "Bacteria ferment fibre in the colon, producing short-chain fatty acids.",
    "Undigested lactose ferments in the colon in people with lactose intolerance.",
    "Putrefaction begins in the gut a few days after death.",
    "Forensic scientists study putrefaction to estimate the time of death.",
    "Cows have a stomach in which grass ferments.",
    "In gastroparesis, food stays in the stomach too long and can ferment.",
    "Fruit left on the counter sits and rots within a week.",
    # water leaching minerals from soil, pipes and food; distilled water in appliances
    "Acid rain leaches minerals from the soil.",
    "Use distilled water in your CPAP humidifier.",
    "Distilled water is best for steam irons because it leaves no mineral deposits.",
    "Water softeners pull calcium and magnesium out of hard water.",
    "Cooking vegetables in distilled water can pull minerals out of the vegetables.",
    "Dialysis uses purified water to draw excess potassium out of your blood.",
    "Steroids can pull calcium out of your bones over time.",
    "Sailors once feared dead water, which could slow a ship to a crawl.",
]

# A term the sentence denies, debunks or names as a myth: no finding for it.
DENIED = [
    "Gluten does not cause leaky gut.",
    "Cleanses don't detox your liver.",
    "There is no evidence that foot pads pull toxins from your body.",
    "No tea will detox your liver.",
    "Catching measles does not strengthen the immune system.",
    "There is no such thing as adrenal fatigue.",
    "Several vaccines at one visit do not overload the immune system.",
    "There is no evidence that subluxations cause ear infections.",
    "Next-day muscle soreness is not caused by lactic acid.",
    "Lactic acid does not cause muscle soreness the next day.",
    "Soreness the next day isn't from lactic acid.",
    "You don't need to flush lactic acid after a workout.",
    "Meat does not rot in your colon.",
    "Distilled water does not leach minerals from your bones.",
    "It's a myth that lactic acid makes you sore the next day.",
    "A common myth says meat rots in your colon.",
    "That foot pads pull toxins from your body has been disproved.",
]

# Negation that does not deny the term: a pseudo-negation, or a negated verb further back.
STILL_FLAGGED = [
    ("This tea doesn't just detox your liver, it rebuilds it.", "detox your liver",
     "term.detox_your_body"),
    ("This tea does not only detox your liver, it rebuilds it.", "detox your liver",
     "term.detox_your_body"),
    ("Disease can't survive in an alkaline body.", "alkaline body", "term.alkalize_body"),
]


@pytest.mark.parametrize(("text", "quote", "rule"), MUST_FLAG)
def test_family_wordings_are_flagged_with_their_span(auditor: Auditor, text: str, quote: str,
                                                     rule: str) -> None:
    assert term_findings(auditor, text) == [(quote, rule)]


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_real_medical_uses_are_not_flagged(auditor: Auditor, text: str) -> None:
    assert term_findings(auditor, text) == []


@pytest.mark.parametrize("text", DENIED)
def test_a_denied_term_is_not_a_misuse(auditor: Auditor, text: str) -> None:
    assert term_findings(auditor, text) == []


@pytest.mark.parametrize(("text", "quote", "rule"), STILL_FLAGGED)
def test_negation_that_does_not_deny_the_term_keeps_it(auditor: Auditor, text: str,
                                                       quote: str, rule: str) -> None:
    assert term_findings(auditor, text) == [(quote, rule)]


# A pattern's `near` word may set the topic a sentence earlier; two sentences back is too far,
# and `not_near` still reads the term's own sentence only.
NEAR_ACROSS_SENTENCES = [
    ("My cycle went haywire after a weekend with my vaccinated sister. Shedding is real, "
     "ladies.", ["Shedding"]),
    ("Three kids in his class got the nasal flu vaccine. Pretty sure it's shedding.",
     ["shedding"]),
    ("She got her booster in May. We moved house in June. Her shedding started in July.", []),
    ("We got the puppy vaccinated last week. Her shedding is terrible, hair everywhere.", []),
]


@pytest.mark.parametrize(("text", "quotes"), NEAR_ACROSS_SENTENCES)
def test_a_near_word_in_the_sentence_before_counts(auditor: Auditor, text: str,
                                                   quotes: list[str]) -> None:
    assert [f.quote for f in auditor.audit(text).findings
            if f.rule == "term.vaccine_shedding"] == quotes


def test_a_listed_phrase_wins_over_a_pattern_overlapping_it(auditor: Auditor) -> None:
    # "expel ... worms" is a parasite-cleanse pattern; "rope worms" a listed made-up term.
    assert term_findings(auditor, "Enemas expel rope worms from the gut.") == [
        ("rope worms", "term.rope_worms")]


def test_every_shipped_pattern_compiles_to_few_matcher_patterns() -> None:
    """The scanner reads every word of every text: sets share one ``IN`` per position, so no
    pattern may explode into a Cartesian product of its sets' members."""
    lexicon = load_lexicon()
    nlp = spacy.blank("en")
    sizes = {f"{p.term_id}#{p.index}": len(token_patterns(nlp, p, lexicon.gap_stops))
             for p in lexicon.term_patterns}
    assert len(sizes) >= 60
    assert max(sizes.values()) <= 200
    assert sum(sizes.values()) <= 4000


@pytest.mark.parametrize(("pattern", "slots"), [
    ("detox|cleanse $your? ...2 $organs",
     [("detox|cleanse", False, 0), ("$your", True, 0), ("", True, 2), ("$organs", False, 0)]),
    ("=shed ... skin", [("=shed", False, 0), ("", True, 3), ("skin", False, 0)]),
])
def test_pattern_syntax(pattern: str, slots: list[tuple[str, bool, int]]) -> None:
    assert parse_pattern(pattern) == slots


def _with_terms_file(corpora: Path, body: str) -> Path:
    path = corpora / "terms" / "zz_test.yaml"
    path.write_text("version: 1\n" + body, encoding="utf-8")
    return path


_TERM = """terms:
  - id: term.test_pattern
    kind: misapplied
    explanation: A test term.
    patterns:
      - {pattern}
"""


@pytest.mark.parametrize(("body", "message"), [
    ("sets:\n  organs: [liver]\n" + _TERM.format(pattern='"detox $organz"'),
     "entry 'term.test_pattern': field 'terms.0.patterns.0': unknown word set $organz "
     "(this file defines: $organs)"),
    (_TERM.format(pattern='{match: "shedding", near: $vaccines}'),
     "entry 'term.test_pattern': field 'terms.0.patterns.0.near': unknown word set "
     "$vaccines (this file defines: none)"),
])
def test_an_unknown_set_names_file_term_and_field(corpora_copy: Path, body: str,
                                                  message: str) -> None:
    path = _with_terms_file(corpora_copy, body)
    with pytest.raises(DataError) as error:
        load_lexicon(corpora_copy)
    assert str(error.value) == f"[E200] {path}: {message}"


@pytest.mark.parametrize(("pattern", "detail"), [
    ('"detox ...9 liver"', "gap '...9' is longer than 6"),
    ('"detox liver?"', "must start and end with a required word slot"),
    ('"detox li#ver"', "cannot read slot 'li#ver'"),
])
def test_a_malformed_pattern_is_a_data_error(corpora_copy: Path, pattern: str,
                                             detail: str) -> None:
    path = _with_terms_file(corpora_copy, _TERM.format(pattern=pattern))
    with pytest.raises(DataError) as error:
        load_lexicon(corpora_copy)
    assert str(error.value).startswith(
        f"[E200] {path}: entry 'term.test_pattern': field 'terms.0.patterns")
    assert detail in str(error.value)


# Catch-all causes and miracle mechanisms: the span is the condition or mechanism itself,
# flagged only when the sentence makes it the cause of everything or a cure.
CATCH_ALL_MUST_FLAG = [
    ("Chronic inflammation is the root cause of almost every chronic disease.",
     "Chronic inflammation", "term.catch_all_cause"),
    ("Dehydration is the hidden cause of most headaches, joint pain and fatigue.",
     "Dehydration", "term.catch_all_cause"),
    ("Almost every illness can be traced back to magnesium deficiency.",
     "magnesium deficiency", "term.catch_all_cause"),
    ("Anxiety, insomnia and migraines are all rooted in an MTHFR mutation.",
     "MTHFR mutation", "term.catch_all_cause"),
    ("Oxidative stress is the real reason you age, get sick and gain weight.",
     "Oxidative stress", "term.catch_all_cause"),
    ("Toxins are the root of all disease.", "Toxins", "term.catch_all_cause"),
    ("Your brain fog is probably mycotoxins from hidden mold.", "mycotoxins",
     "term.catch_all_cause"),
    ("Your headaches, rashes and insomnia are caused by EMF sensitivity.", "EMF sensitivity",
     "term.catch_all_cause"),
    ("Sugar cravings and fatigue are signs you have estrogen dominance.", "estrogen dominance",
     "term.catch_all_cause"),
    ("Your constant bloating means you have candida.", "means you have candida",
     "term.catch_all_cause"),
    ("Turmeric is anti-inflammatory, so it can reverse arthritis for good.",
     "anti-inflammatory", "term.miracle_mechanism"),
    ("Fasting flips on autophagy and reverses aging.", "autophagy",
     "term.miracle_mechanism"),
    ("This nootropic rewires your brain so you never crave sugar again.",
     "rewires your brain", "term.miracle_mechanism"),
    ("Chickenpox parties give kids natural immunity against all other viruses.",
     "natural immunity", "term.miracle_mechanism"),
    ("Skip the flu shot: catching it gives natural immunity, which is always stronger.",
     "natural immunity", "term.miracle_mechanism"),
    ("This sea moss blend will activate your own stem cells to rebuild worn joints.",
     "activate your own stem cells", "term.miracle_mechanism"),
    ("Our app will rewire your brain for deep sleep in just seven nights.",
     "rewire your brain", "term.miracle_mechanism"),
    ("Eczema, arthritis and thyroid disease all trace back to one root cause: leaky gut.",
     "leaky gut", "term.leaky_gut_syndrome"),
    ("Lemon water helps alkalize your joints so the cartilage stops wearing down.",
     "alkalize your joints", "term.alkalize_body"),
    ("Bitter melon capsules regenerate your pancreatic beta cells in a month.",
     "regenerate your pancreatic beta cells", "term.miracle_mechanism"),
    ("Cutting out every gram of sugar is the fastest way to starve cancer cells.",
     "starve cancer cells", "term.sugar_feeds_cancer"),
    ("Bloating, acne and irregular cycles are all estrogen dominance.",
     "estrogen dominance", "term.catch_all_cause"),
    ("Fasting for three days regenerates your entire immune system.",
     "regenerates your entire immune system", "term.miracle_mechanism"),
    ("Red light therapy recharges your mitochondria and reverses aging.",
     "recharges your mitochondria", "term.miracle_mechanism"),
    ("Drinking alkaline water neutralizes the acid in your blood.",
     "neutralizes the acid in your blood", "term.alkalize_body"),
    ("Bone broth heals the gut lining and cures autoimmune disease.",
     "heals the gut lining", "term.leaky_gut_syndrome"),
    ("Broccoli sprouts are foods that kill cancer cells before they spread.",
     "kill cancer cells", "term.superfood"),
    ("Apple cider vinegar melts away visceral fat overnight.",
     "melts away visceral fat", "term.fat_flush"),
    ("Zeolite binds heavy metals and carries them out in your urine.",
     "binds heavy metals", "term.heavy_metal_detox"),
    ("NAD+ drips repair your DNA in a single session.", "repair your DNA",
     "term.dna_activation"),
    ("Most of the fatigue people blame on age is really heavy metal toxicity from fillings.",
     "heavy metal toxicity", "term.catch_all_cause"),
    ("Snacking every two hours keeps your metabolism stoked all day.",
     "keeps your metabolism stoked", "term.reset_metabolism"),
    ("These quantum-charged drops realign the energy of your eyes.", "quantum-charged",
     "term.quantum_healing"),
    ("Chickenpox parties give kids natural immunity that is purer than a shot.",
     "natural immunity", "term.miracle_mechanism"),
    ("This resveratrol formula activates your longevity DNA overnight.",
     "activates your longevity DNA", "term.dna_activation"),
    ("This guided meditation activates dormant DNA strands while you sleep.",
     "activates dormant DNA strands", "term.dna_activation"),
]

# The same conditions and mechanisms in their real sense.
CATCH_ALL_MUST_NOT_FLAG = [
    "Chronic inflammation is linked to heart disease.",
    "Dehydration can cause headaches.",
    "Signs of dehydration include dark urine.",
    "Dark urine, dizziness and a dry mouth are all signs of dehydration.",
    "Dehydration means you've lost more fluid than you've taken in.",
    "Feeling thirsty means you have mild dehydration.",
    "Parasites are a common cause of diarrhoea in travellers.",
    "A positive stool test means you have parasites.",
    "Candida can cause thrush in the mouth.",
    "An electrolyte imbalance can cause muscle cramps.",
    "An electrolyte imbalance is usually treated with fluids.",
    "Inflammation usually settles within a few days.",
    "Inflammation at the root of a tooth can cause an abscess.",
    "Heavy metal toxicity is usually caused by occupational exposure.",
    "Researchers believe chronic inflammation is a root cause of many age-related diseases.",
    "Chronic dehydration means you have a higher risk of kidney stones.",
    "Kids who come down with a stomach bug can quickly develop dehydration.",
    "The root cause of her anaemia turned out to be coeliac disease.",
    "Most heat illness is caused by dehydration and overexertion.",
    "Chronic stress is the root of many health problems.",
    "The test has poor sensitivity, which is why doctors repeat it.",
    "People who report electromagnetic hypersensitivity did no better than chance in "
    "blinded tests.",
    "Addiction rewires the brain's reward system.",
    "Opioids rewire the brain, and the changes can last long after use stops.",
    "Rehabilitation harnesses neuroplasticity to help stroke patients regain movement.",
    "Autophagy is the process by which cells recycle damaged parts.",
    "Insulin switches on cellular pathways that store glucose.",
    "Neuroprotective drugs may slow the loss of nerve cells in early Parkinson's disease.",
    "Natural immunity after measles usually lasts for life.",
    "Natural immunity after measles is lifelong.",
    "Filgrastim is given to release stem cells from the bone marrow before a transplant.",
    "In mice, the drug activated stem cells in the gut lining.",
    "Radiation activates the DNA damage response in tumour cells.",
    "There is no good evidence that leaky gut is the root cause of autism.",
    "Surgeons can rebuild your cartilage with a graft taken from another joint.",
    "On a gluten-free diet, the gut lining of people with coeliac disease can heal.",
    "A gluten-free diet lets coeliac patients heal the gut lining over months.",
    "Chemotherapy drugs kill cancer cells, and a balanced diet helps patients cope.",
    "In the lab, curcumin extracts killed cancer cells in a dish.",
    "Antacids neutralize the acid in your stomach within minutes.",
    "Strength training keeps your metabolism working well as you age.",
    "The real culprit was heavy metal poisoning among the factory's workers.",
    "Angiogenesis inhibitors starve tumours of the blood supply they need to grow, "
    "whatever the patient's sugar intake.",
    "There is no evidence that estrogen dominance causes weight gain.",
]


@pytest.mark.parametrize(("text", "quote", "rule"), CATCH_ALL_MUST_FLAG)
def test_catch_all_causes_and_miracle_mechanisms_are_flagged(auditor: Auditor, text: str,
                                                             quote: str, rule: str) -> None:
    assert term_findings(auditor, text) == [(quote, rule)]


@pytest.mark.parametrize("text", CATCH_ALL_MUST_NOT_FLAG)
def test_real_uses_of_catch_all_conditions_are_not_flagged(auditor: Auditor,
                                                           text: str) -> None:
    assert term_findings(auditor, text) == []
