"""Claim structuring: predicate, polarity (negation scope), subject, hedging, spans.

The same table runs twice: on a blank pipeline (word-window negation) and through the
dependency parser (tree negation), because the auditor uses both.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from auditor import Auditor
from auditor.records import Claim

# sentence → the (relation, polarity, subject) triples it must yield, in order
CLAIMS = [
    ("Kratom isn't habit-forming.", [("addictive", "negative", "kratom")]),
    ("You can quit kratom any time with no withdrawal.", [("addictive", "negative", "kratom")]),
    ("Kratom can cause dependence.", [("addictive", "positive", "kratom")]),
    ("Kratom is non-habit-forming.", [("addictive", "negative", "kratom")]),
    ("Kratom is addiction-free.", [("addictive", "negative", "kratom")]),
    ("Kratom doesn't cause tolerance or dependence.", [("addictive", "negative", "kratom")]),
    ("Kratom relieves withdrawal without addiction.",
     [("effective", "positive", "kratom"), ("addictive", "negative", "kratom")]),
    ("Kratom offers relief without inducing addiction or tolerance.",
     [("effective", "positive", "kratom"), ("addictive", "negative", "kratom")]),
    ("The FDA has not approved kratom for any medical use.", [("approved", "negative", "kratom")]),
    ("There is no evidence that kratom is safe.", [("harmful", "positive", "kratom")]),
    ("Kratom has no side effects.", [("harmful", "negative", "kratom")]),
    ("Kratom is not only addictive but dangerous.",
     [("addictive", "positive", "kratom"), ("harmful", "positive", "kratom")]),
    ("Kratom is not just addictive but also dangerous.",
     [("addictive", "positive", "kratom"), ("harmful", "positive", "kratom")]),
    ("Methadone does not just substitute one drug for another.",
     [("substitutes_addiction", "negative", "methadone")]),
    ("Kratom is not addictive, but it is dangerous.",
     [("addictive", "negative", "kratom"), ("harmful", "positive", "kratom")]),
    ("Lofexidine does nothing for withdrawal symptoms.", [("effective", "negative", "lofexidine")]),
    # The condition a treatment is for is not a claim about addiction.
    ("Kratom treats opioid addiction.", [("effective", "positive", "kratom")]),
    ("Naltrexone helps prevent relapse in opioid addiction.",
     [("effective", "positive", "naltrexone")]),
    # ... also when the treatment itself is denied: "withdrawal" is what it is said not to
    # treat, not a "no withdrawal" claim; a cue between them denies the withdrawal instead.
    ("There is no evidence that kratom is safe or effective for withdrawal.",
     [("harmful", "positive", "kratom"), ("effective", "negative", "kratom")]),
    ("Kratom does not relieve withdrawal.", [("effective", "negative", "kratom")]),
    ("Kratom relieves pain with no withdrawal.",
     [("effective", "positive", "kratom"), ("addictive", "negative", "kratom")]),
]

# Sentences that make no claim the auditor should structure.
NO_CLAIMS = [
    "Safe usage of kratom matters.",
    "Opioid withdrawal is hard.",
    "People with a history of addiction should avoid kratom.",
    "The severity of symptoms depends on individual tolerance.",
    "Always read the label.",
    "Our costs were reduced by half.",
]


def blank_claims(nlp: Language, text: str) -> list[Claim]:
    return nlp(text)._.auditor_claims


def parsed_claims(auditor: Auditor, text: str) -> list[Claim]:
    return auditor.analyzer(text)._.auditor_claims


def triples(claims: list[Claim]) -> list[tuple[str, str, str | None]]:
    return [(c.relation, c.polarity, c.subject) for c in claims]


@pytest.mark.parametrize(("text", "expected"), CLAIMS)
def test_claims_without_parse(blank_nlp: Language, text: str, expected: list) -> None:
    assert triples(blank_claims(blank_nlp, text)) == expected


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), CLAIMS)
def test_claims_with_parse(auditor: Auditor, text: str, expected: list) -> None:
    assert triples(parsed_claims(auditor, text)) == expected


@pytest.mark.parametrize("text", NO_CLAIMS)
def test_no_claim_without_parse(blank_nlp: Language, text: str) -> None:
    assert blank_claims(blank_nlp, text) == []


@pytest.mark.model
@pytest.mark.parametrize("text", NO_CLAIMS)
def test_no_claim_with_parse(auditor: Auditor, text: str) -> None:
    assert parsed_claims(auditor, text) == []


@pytest.mark.parametrize(("text", "quote"), [
    ("Kratom isn't habit-forming.", "n't habit-forming"),
    ("Kratom offers relief without inducing addiction or tolerance.",
     "without inducing addiction or tolerance"),
    ("Kratom has no side effects.", "no side effects"),
])
def test_claim_span_covers_cue_and_predicate(blank_nlp: Language, text: str, quote: str) -> None:
    claim = blank_claims(blank_nlp, text)[-1]
    assert text[claim.start:claim.end] == claim.text == quote


@pytest.mark.model
@pytest.mark.parametrize(("text", "quote"), [
    ("While it alleviates pain and anxiety without addiction, see a doctor.",
     "alleviates pain and anxiety without addiction"),
    ("Kratom is known for its relatively mild profile.", "known for its relatively mild profile"),
    ("Kratom reaches peak plasma concentrations within 1-2 hours.",
     "reaches peak plasma concentrations within 1-2 hours"),
])
def test_parsed_claim_span_extends_to_verb_and_object(auditor: Auditor, text: str,
                                                       quote: str) -> None:
    claim = parsed_claims(auditor, text)[-1]
    assert text[claim.start:claim.end] == quote


@pytest.mark.parametrize(("text", "hedged"), [
    ("Kratom may relieve withdrawal.", True),
    ("Research suggests that kratom relieves pain.", True),
    ("Kratom is a potential natural alternative for managing withdrawal.", True),
    ("Kratom relieves withdrawal.", False),
    ("Kratom can cause dependence.", False),  # "can" states a capability, not a hedge
])
def test_hedges_are_marked(blank_nlp: Language, text: str, hedged: bool) -> None:
    assert all(c.hedged is hedged for c in blank_claims(blank_nlp, text))


def details(claims: list[Claim]) -> list[tuple[str, str, str | None, str | None, bool]]:
    return [(c.relation, c.polarity, c.subject, c.object, c.needs_antecedent) for c in claims]


# sentence → (relation, polarity, subject, object, needs_antecedent) of each claim, both ways.
# "These oils", "the shots", "this remedy" point back to a subject named before.
DETAILED = [
    ("These oils calm ADHD symptoms.", [("effective", "positive", None, "ADHD", True)]),
    ("But the shots don't keep anyone out of the hospital.",
     [("effective", "negative", None, "out of the hospital", True)]),
    ("This remedy cures cancer.", [("effective", "positive", None, "cancer", True)]),
    # The object is a condition after the predicate, else one just before it; never the subject
    ("Measles strengthens children's immunity better than any vaccine.",
     [("effective", "positive", "measles", "immunity", False)]),
    ("Kratom is a cancer treatment.", [("effective", "positive", "kratom", "cancer", False)]),
]

# The same, through the parser only: a pronoun as an object points back when its clause has
# no noun for a subject; a yes/no question asserts nothing unless in a clause it embeds.
DETAILED_PARSED = [
    ("You literally cannot overdose on it.", [("harmful", "negative", None, None, True)]),
    ("You can quit it any time with no withdrawal.",
     [("addictive", "negative", None, None, True)]),
    ("Many parents say these oils calm ADHD symptoms.",
     [("effective", "positive", None, "ADHD", True)]),
    ("Soursop cures cancer, so try it.", [("effective", "positive", None, "cancer", False)]),
    ("Does the vaccine change my DNA?", []),
    ("Is kratom safe?", []),
    ("Are they approved?", []),
    ("Did you know kratom is non-addictive?",
     [("addictive", "negative", "kratom", None, False)]),
]


@pytest.mark.parametrize(("text", "expected"), DETAILED)
def test_claim_details_without_parse(blank_nlp: Language, text: str, expected: list) -> None:
    assert details(blank_claims(blank_nlp, text)) == expected


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), DETAILED + DETAILED_PARSED)
def test_claim_details_with_parse(auditor: Auditor, text: str, expected: list) -> None:
    assert details(parsed_claims(auditor, text)) == expected


def test_pronoun_subject_points_back(blank_nlp: Language) -> None:
    claims = blank_claims(blank_nlp, "It relieves pain.")
    assert [(c.subject, c.needs_antecedent) for c in claims] == [(None, True)]


def test_unknown_subject_with_condition_is_kept_for_unchecked(blank_nlp: Language) -> None:
    claims = blank_claims(blank_nlp, "Soursop cures cancer.")
    assert [(c.subject, c.subject_text, c.object) for c in claims] == [(None, "Soursop", "cancer")]


def test_quantity_is_read_in_hours(blank_nlp: Language) -> None:
    claims = blank_claims(blank_nlp, "Kratom peaks: peak plasma concentrations in 90 minutes.")
    assert claims[0].quantity == pytest.approx((1.5, 1.5, "hour"))


def test_hedge_covers_its_own_clause_only(blank_nlp: Language) -> None:
    claims = blank_claims(blank_nlp, "Kratom isn't habit-forming, but it may relieve pain.")
    assert [(c.relation, c.hedged) for c in claims] == [("addictive", False), ("effective", True)]


@pytest.mark.model
def test_same_claim_in_two_clauses_is_two_claims(auditor: Auditor) -> None:
    text = "Sellers say kratom isn't habit-forming and that you can quit it with no withdrawal."
    claims = parsed_claims(auditor, text)
    assert [(c.relation, c.polarity, c.text) for c in claims] == [
        ("addictive", "negative", "isn't habit-forming"),
        ("addictive", "negative", "quit it with no withdrawal")]


@pytest.mark.model
def test_hedge_and_claim_cover_a_list_of_verbs(auditor: Auditor) -> None:
    text = "Research suggests that kratom can alleviate pain, reduce anxiety, and improve sleep."
    claims = parsed_claims(auditor, text)
    assert [(c.relation, c.hedged, c.text) for c in claims] == [
        ("effective", True, "alleviate pain, reduce anxiety, and improve sleep")]


@pytest.mark.parametrize(("text", "attributed"), [
    ("Sellers say kratom isn't habit-forming.", True),
    ("According to vendors, kratom is harmless.", True),
    ("Kratom is allegedly non-addictive.", True),
    ("Kratom isn't habit-forming.", False),
    ("Kratom isn't habit-forming, whatever sellers say.", False),
])
def test_reported_claims_are_marked(blank_nlp: Language, text: str, attributed: bool) -> None:
    assert [c.attributed for c in blank_claims(blank_nlp, text)] == [attributed]


@pytest.mark.model
def test_reported_claim_is_judged_one_step_softer(auditor: Auditor) -> None:
    finding = auditor.audit("Sellers say kratom isn't habit-forming.").findings[0]
    assert (finding.category, finding.severity) == ("contradicted", "warning")
    assert finding.explanation.startswith("This reports the claim that kratom does not cause")
