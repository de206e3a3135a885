"""Data files load against closed schemas; a broken file names file, entry and field."""

from pathlib import Path

import pytest

from auditor.errors import DataError
from auditor.factbase.loader import load_factbase
from auditor.nlp.lexicon import inflections, load_lexicon, phrase_variants
from auditor.paths import corpora_dir


def test_packaged_corpora_load() -> None:
    lexicon = load_lexicon()
    factbase = load_factbase()
    assert {"kratom", "opioid_use_disorder"} <= set(factbase.topics)
    assert {p.id for p in lexicon.predicates} >= {"addictive", "effective", "harmful", "approved"}
    assert any(t.id == "term.diffuser_thieves" for t in lexicon.terms)


@pytest.mark.parametrize(("word", "forms"), [
    ("treat", {"treat", "treats", "treated", "treating"}),
    ("relieve", {"relieve", "relieves", "relieved", "relieving"}),
    ("remedy", {"remedy", "remedies", "remedied", "remedying"}),
    ("ease", {"ease", "eases", "eased", "easing"}),
    ("no", {"no"}),
])
def test_inflections_cover_regular_forms(word: str, forms: set[str]) -> None:
    assert forms <= inflections(word)


def test_phrase_variants_inflect_the_verb_before_a_particle() -> None:
    assert "helps with" in phrase_variants("help with")
    assert phrase_variants("does not work", exact=True) == ["does not work"]


def _break(root: Path, name: str, old: str, new: str) -> None:
    path = root / "factbase" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    verdict: established\n", "    verdict: proven\n",
     ["kratom.yaml", "kratom.addiction", "facts.0.verdict", "'established'", "'contested'"]),
    ("    polarity: positive\n", "    polarity: positive\n    polarty: positive\n",
     ["kratom.yaml", "kratom.addiction", "facts.0.polarty", "unknown key"]),
    ("url: http://www.drugandalcoholdependence.com", "url: www.drugandalcoholdependence.com",
     ["kratom.yaml", "kratom.addiction", "facts.0.citations.0.url", "http(s) URL"]),
    ("date: 2014-06-01", "date: 2014-13-01",
     ["kratom.yaml", "kratom.addiction", "facts.0.citations.0.date", "YYYY-MM-DD"]),
    ("        quote: Some studies suggest kratom has potential for dependence and abuse (1,2).\n",
     "", ["kratom.yaml", "kratom.addiction", "facts.0.citations.2.quote", "Field required"]),
    ("  - id: kratom.not_approved\n", "  - id: kratom.addiction\n",
     ["kratom.yaml", "'kratom.addiction'", "field 'id'", "duplicate fact id"]),
    ("    predicate: addictive\n", "    predicate: addicted\n",
     ["kratom.yaml", "kratom.addiction", "field 'predicate'", "accepted:", "effective"]),
    ("    subjects: [kratom]\n", "    subjects: [kratum]\n",
     ["kratom.yaml", "kratom.addiction", "field 'subjects'", "unknown subject 'kratum'"]),
    ("    verdict: established\n", "    verdict: established\n    verdict: refuted\n",
     ["kratom.yaml", "not valid YAML", "duplicate key 'verdict'"]),
])
def test_broken_fact_base_names_file_entry_and_field(
        corpora_copy: Path, old: str, new: str, expected: list[str]) -> None:
    _break(corpora_copy, "kratom.yaml", old, new)
    with pytest.raises(DataError) as caught:
        load_factbase(corpora_copy)
    message = str(caught.value)
    for piece in expected:
        assert piece in message
    assert "\n" not in message


def test_broken_lexicon_names_file_and_field(corpora_copy: Path) -> None:
    path = corpora_copy / "lexicon" / "predicates.yaml"
    path.write_text(path.read_text().replace("claim_type: safety", "claim_type: safty"))
    with pytest.raises(DataError) as caught:
        load_lexicon(corpora_copy)
    message = str(caught.value)
    assert "predicates.yaml" in message and "'harmful'" in message
    assert "claim_type" in message and "'safety'" in message


def test_every_citation_records_how_it_was_seen() -> None:
    for fact in load_factbase().facts.values():
        assert fact.citations, fact.id
        for citation in fact.citations:
            assert citation.seen in ("primary", "copy")
            assert citation.url.startswith(("http://", "https://"))


def test_packaged_data_is_found_through_one_resolver() -> None:
    assert (corpora_dir("factbase") / "kratom.yaml").is_file()
