"""Terms in their document: incompatible definitions of one term, and product names that are
off-topic keywords in one text and plain product names in another."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor import Auditor


def test_seed_definitions_of_diffuser_thieves_conflict(auditor: Auditor,
                                                       seed_text: str) -> None:
    terms = [f for f in auditor.audit(seed_text).findings if f.rule == "term.diffuser_thieves"]
    assert len(terms) == 9
    for finding in terms:
        assert 'defines "diffuser thieves" in incompatible ways' in finding.explanation
        for meaning in ("as kratom", "as risks", "as people", "as products"):
            assert meaning in finding.explanation


def test_a_consistently_defined_term_has_no_conflict(auditor: Auditor) -> None:
    text = ("Some sellers push diffuser thieves (contaminated kratom products) online. "
            "Diffuser thieves (contaminated kratom products) are sold without labels.")
    terms = [f for f in auditor.audit(text).findings if f.category == "misused_term"]
    assert len(terms) == 2
    assert not any("incompatible" in f.explanation for f in terms)


@pytest.fixture
def with_product_term(corpora_copy: Path) -> Auditor:
    terms = corpora_copy / "terms" / "test_products.yaml"
    terms.write_text("""version: 1
terms:
  - id: term.test_thieves_blend
    kind: marketing
    phrases: [thieves blend]
    topics: [essential_oils]
    explanation: '"Thieves blend" is the name of an essential-oil product.'
    suggestion: Name the product as a product, or leave it out.
""", encoding="utf-8")
    return Auditor(corpora=corpora_copy, parse=False, claim_detector=False)


def test_product_name_in_its_own_topic_is_not_a_misused_term(with_product_term: Auditor
                                                             ) -> None:
    text = ("Many people diffuse essential oils at home. The Thieves blend smells of clove and "
            "cinnamon.")
    assert not [f for f in with_product_term.audit(text).findings
                if f.category == "misused_term"]


def test_product_name_repeated_off_topic_is_keyword_stuffing(with_product_term: Auditor
                                                              ) -> None:
    text = ("Kratom is sold as a Thieves blend for withdrawal. Every Thieves blend user should "
            "know kratom risks. Buy the Thieves blend kratom today.")
    terms = [f for f in with_product_term.audit(text).findings
             if f.rule == "term.test_thieves_blend"]
    assert [f.quote for f in terms] == ["Thieves blend"] * 3
    assert "off-topic keyword" in terms[0].explanation
    assert "Kratom" in terms[0].explanation
    assert "keyword stuffing" in terms[0].explanation


@pytest.mark.parametrize("sentence", [
    "There is no such thing as adrenal fatigue.",
    "Adrenal fatigue is not a recognized diagnosis, endocrinologists say.",
    "Doctors call the so-called detox your liver trend the myth of the decade: the myth that "
    "you must detox your liver is everywhere.",
    "There is no evidence that sugar feeds cancer.",
    "The claim that leaky gut causes autism has been debunked.",
])
def test_a_term_named_to_debunk_it_is_not_misused(auditor: Auditor, sentence: str) -> None:
    assert not [f for f in auditor.audit(sentence).findings if f.category == "misused_term"]


def test_the_same_term_used_as_medicine_is_still_misused(auditor: Auditor) -> None:
    text = "Our adaptogen blend is formulated for adrenal fatigue."
    assert [f.quote for f in auditor.audit(text).findings
            if f.category == "misused_term"] == ["adrenal fatigue"]
