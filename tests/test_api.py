"""The library surface: Auditor().audit(text_or_path), batching, the parse-free mode."""

from __future__ import annotations

from pathlib import Path

import pytest

import auditor as package
from auditor import Auditor, Document, ModelError
from auditor.paths import corpora_dir

SEED = corpora_dir("examples", "kratom_seed.txt")


def test_public_names_are_exported() -> None:
    assert set(package.__all__) == {
        "Auditor", "AuditorError", "Claim", "DataError", "Document", "Evidence", "Finding",
        "InputError", "ModelError", "Report", "__version__"}


@pytest.mark.model
def test_audit_accepts_text_path_and_document(auditor: Auditor, tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text("Kratom isn't habit-forming.")
    by_path = auditor.audit(path)
    by_name = auditor.audit(str(path))
    by_text = auditor.audit("Kratom isn't habit-forming.")
    by_doc = auditor.audit(Document(text="Kratom isn't habit-forming.", source="mine"))
    assert by_path.source == by_name.source == str(path)
    assert (by_text.source, by_doc.source) == ("<text>", "mine")
    ids = {tuple(f.id for f in r.findings) for r in (by_path, by_name, by_text, by_doc)}
    assert len(ids) == 1


@pytest.mark.model
def test_audit_many_matches_one_by_one(auditor: Auditor, seed_text: str) -> None:
    texts = [seed_text, "Kratom is harmless.", "", "Naltrexone is addictive.", seed_text[:700]]
    batched = list(auditor.audit_many(texts))
    single = [auditor.audit(t) for t in texts]
    assert [r.to_dict() for r in batched] == [r.to_dict() for r in single]


def test_parse_free_mode_runs_without_a_model(auditor_no_parse: Auditor, seed_text: str) -> None:
    report = auditor_no_parse.audit(seed_text)
    assert report.auditor["models"]["spacy"] == "none (tokenizer)"
    contradicted = {f.quote for f in report.findings if f.category == "contradicted"}
    assert "without addiction" in contradicted
    assert "without inducing addiction or tolerance" in contradicted
    assert all(report.text[f.start:f.end] == f.quote for f in report.findings)


def test_missing_spacy_model_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="spaCy model no_such_model is not installed; run pip"):
        Auditor(spacy_model="no_such_model")


def test_a_long_single_line_text_is_audited_as_text_not_taken_for_a_path(
        auditor_no_parse: Auditor) -> None:
    """A one-line string too long to be a file name (over 255 bytes) is text, not an error."""
    text = "Kratom isn't habit-forming. " + "It grows in Southeast Asia. " * 20
    report = auditor_no_parse.audit(text)
    assert report.source == "<text>"
    assert any(f.category == "contradicted" for f in report.findings)


def test_with_learned_stance_shares_the_pipeline_and_leaves_the_original(
        auditor: Auditor) -> None:
    variant = auditor.with_learned_stance()
    assert variant is not auditor and variant.scanner is auditor.scanner
    assert variant.metadata["models"]["learned_stance"] == "on"
    assert auditor.metadata["models"]["learned_stance"] == "off"
    assert variant.reader is not None and variant.reader.stance is not None
    assert auditor.reader is not None and auditor.reader.stance is None
    assert variant.with_learned_stance() is variant
