import pytest
import spacy

from auditor.nlp.segment import set_sentences

nlp = spacy.blank("en")


def sentences(text: str) -> list[str]:
    return [s.text.strip() for s in set_sentences(nlp(text)).sents]


@pytest.mark.parametrize(("text", "expected"), [
    ("Kratom is addictive. It is not safe.", ["Kratom is addictive.", "It is not safe."]),
    ("A heading\nBody text here.", ["A heading", "Body text here."]),
    ("- Bullet one\n- Bullet two", ["- Bullet one", "- Bullet two"]),
    ("He said “stop.” Then left.", ["He said “stop.”", "Then left."]),
    ("Doses of 1.5 mg are common.", ["Doses of 1.5 mg are common."]),
    ("Is it safe? No! Never.", ["Is it safe?", "No!", "Never."]),
    ("ends with e.g. an abbreviation here.", ["ends with e.g. an abbreviation here."]),
])
def test_segment_splits_lines_and_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_segment_handles_empty_doc() -> None:
    assert list(set_sentences(nlp("")).sents) == []


def test_tokenizer_splits_dashes_glued_to_quotes() -> None:
    from auditor.nlp.pipeline import adapt_tokenizer

    words = [t.text for t in adapt_tokenizer(spacy.blank("en"))("‘diffuser thieves’—the risks")]
    assert words == ["‘", "diffuser", "thieves", "’", "—", "the", "risks"]


@pytest.mark.parametrize(("text", "words"), [
    ("Your blood pH.", ["Your", "blood", "pH", "."]),
    ("It alters DNA.", ["It", "alters", "DNA", "."]),
    ("Made in the U.S. today.", ["Made", "in", "the", "U.S.", "today", "."]),
    ("Dr. Smith said so.", ["Dr.", "Smith", "said", "so", "."]),
])
def test_tokenizer_splits_a_period_after_capitals(text: str, words: list[str]) -> None:
    from auditor.nlp.pipeline import adapt_tokenizer

    assert [t.text for t in adapt_tokenizer(spacy.blank("en"))(text)] == words
