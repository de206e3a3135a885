"""The learned parts: training on a handful of examples, saving, reloading to the same
predictions; batch against single; and clear, safe refusals for missing, altered, foreign or
version-mismatched model files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from sklearn.preprocessing import FunctionTransformer

from auditor import Auditor
from auditor.errors import ModelError
from auditor.learning.artifacts import MANIFEST, load_model, record, sha256_of
from auditor.learning.claim_detector import FILE as CLAIM_FILE
from auditor.learning.claim_detector import ClaimDetector
from auditor.learning.datasets import default_data_dir
from auditor.learning.stance_model import FILE as STANCE_FILE
from auditor.learning.stance_model import Pair, StanceModel
from auditor.learning.term_tagger import TermTagger
from auditor.paths import models_dir

CLAIMS = [
    "Kratom relieves opioid withdrawal without addiction.",
    "Ivermectin cures COVID-19 in two days.",
    "Vitamin C prevents colds in most people.",
    "Black salve draws cancer out of the skin.",
    "Sunscreen causes skin cancer.",
    "Methadone reduces overdose deaths.",
    "Alkaline water raises the pH of your blood.",
    "Colloidal silver kills every virus in your body.",
]
NOT_CLAIMS = [
    "Free shipping on orders over fifty dollars.",
    "Click here to subscribe to our newsletter.",
    "Our store opens at nine on weekdays.",
    "Read our privacy policy before you sign up.",
    "The author lives in Ohio with two cats.",
    "What should you pack for a beach holiday?",
    "Share this post with your friends.",
    "Photos courtesy of the city archive.",
]
PAIRS = [
    Pair("Kratom is not addictive.", "Kratom can cause dependence and withdrawal."),
    Pair("Kratom can be habit-forming.", "Kratom can cause dependence and withdrawal."),
    Pair("Ivermectin cures COVID.", "Trials found ivermectin has no benefit for COVID."),
    Pair("Ivermectin does not help COVID patients.",
         "Trials found ivermectin has no benefit for COVID."),
    Pair("Our store opens at nine.", "Trials found ivermectin has no benefit for COVID."),
    Pair("Share this post.", "Kratom can cause dependence and withdrawal."),
]
STANCES = ["contradict", "support", "contradict", "support", "neutral", "neutral"]


@pytest.fixture(scope="module")
def scanner(auditor_no_parse: Auditor):  # type: ignore[no-untyped-def]
    return auditor_no_parse.scanner


@pytest.fixture(scope="module")
def claim_types(auditor_no_parse: Auditor) -> list[str]:
    return sorted({p.claim_type for p in auditor_no_parse.lexicon.predicates})


def _save(model: ClaimDetector | StanceModel, folder: Path, name: str, file: str) -> None:
    record(folder, name, file, model.save(folder))


def test_claim_detector_learns_saves_and_reloads_to_the_same_predictions(
        scanner, claim_types, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    texts, labels = CLAIMS + NOT_CLAIMS, [True] * len(CLAIMS) + [False] * len(NOT_CLAIMS)
    detector = ClaimDetector.fit(scanner, texts, labels, claim_types)
    assert list(detector.predict(texts)) == labels
    _save(detector, tmp_path, "claim_detector", CLAIM_FILE)
    reloaded = ClaimDetector.load(scanner, tmp_path)
    assert np.array_equal(reloaded.probabilities(texts), detector.probabilities(texts))


def test_stance_model_learns_saves_and_reloads_to_the_same_predictions(
        scanner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    model = StanceModel.fit(scanner, PAIRS, STANCES)
    assert model.predict(PAIRS) == STANCES
    _save(model, tmp_path, "stance", STANCE_FILE)
    reloaded = StanceModel.load(scanner, tmp_path)
    assert np.array_equal(reloaded.probabilities(PAIRS), model.probabilities(PAIRS))


def test_claim_detector_batch_single_and_scanned_sentences_agree(
        auditor_no_parse: Auditor) -> None:
    detector = auditor_no_parse.reader.detector  # type: ignore[union-attr]
    texts = CLAIMS + NOT_CLAIMS
    batch = detector.probabilities(texts)
    single = np.concatenate([detector.probabilities([t]) for t in texts])
    assert np.allclose(batch, single, rtol=0, atol=1e-12)
    scan = auditor_no_parse.scanner(" ".join(texts))
    sentences = list(scan.sents)
    assert [s.text.strip() for s in sentences] == texts
    assert np.allclose(detector.sentence_probabilities(sentences), batch, rtol=0, atol=1e-12)


def test_stance_batch_and_single_agree(auditor_no_parse: Auditor) -> None:
    model = StanceModel.load(auditor_no_parse.scanner, models_dir())
    batch = model.probabilities(PAIRS)
    single = np.vstack([model.probabilities([p]) for p in PAIRS])
    assert np.allclose(batch, single, rtol=0, atol=1e-12)


def test_the_shipped_detector_tells_claims_from_page_furniture(
        auditor_no_parse: Auditor) -> None:
    detector = auditor_no_parse.reader.detector  # type: ignore[union-attr]
    assert detector.predict(CLAIMS).mean() >= 0.75
    assert not detector.predict(NOT_CLAIMS).any()


@pytest.mark.parametrize(("text", "heading"), [
    ("- Understanding Opioid Withdrawal and Kratom's Role", True),
    ("Kratom for Withdrawal: What Sellers Promise", True),
    ("FDA Warning Letters to Kratom Vendors", True),
    ("Unregulated kratom products pose risks", False),  # sentence case: a statement
    ("Kratom Relieves Everything.", False),  # closing punctuation
    ("Is Kratom Safe?", False),
    ("Dosage", False),
])
def test_headings_are_not_read_as_claims(text: str, heading: bool,
                                         auditor_no_parse: Auditor) -> None:
    from auditor.learning.reader import is_heading

    assert is_heading(auditor_no_parse.scanner(text)[:]) is heading


def test_the_seed_headings_are_not_unchecked_claims(auditor_no_parse: Auditor,
                                                    seed_text: str) -> None:
    unchecked = [f.quote for f in auditor_no_parse.audit(seed_text).findings
                 if f.category == "unchecked"]
    assert unchecked
    assert not [q for q in unchecked if "Understanding Opioid Withdrawal" in q
                or q.startswith("- The Science Behind")]


def test_empty_input_gives_empty_predictions(auditor_no_parse: Auditor) -> None:
    detector = auditor_no_parse.reader.detector  # type: ignore[union-attr]
    assert detector.probabilities([]).shape == (0,)
    assert detector.sentence_probabilities([]).shape == (0,)


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "models"
    shutil.copytree(models_dir(), folder)
    return folder


def test_a_missing_model_names_the_file_and_the_rebuild_command(shipped_copy: Path) -> None:
    (shipped_copy / CLAIM_FILE).unlink()
    with pytest.raises(ModelError, match=r"claim_detector\.skops: model file not found; "
                                         r"rebuild it with `auditor train"):
        load_model(shipped_copy / CLAIM_FILE)


def test_an_altered_model_is_refused(shipped_copy: Path) -> None:
    with (shipped_copy / STANCE_FILE).open("ab") as stream:
        stream.write(b"\0")
    with pytest.raises(ModelError, match=r"stance\.skops: the file differs from the one "
                                         r"recorded in manifest\.json"):
        load_model(shipped_copy / STANCE_FILE)


def test_a_model_built_by_another_library_version_is_refused(shipped_copy: Path) -> None:
    manifest = json.loads((shipped_copy / MANIFEST).read_text())
    manifest["models"]["stance"]["versions"]["scikit-learn"] = "0.24.2"
    (shipped_copy / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match=r"stance\.skops: built with scikit-learn 0\.24\.2, "
                                         r"but .* is installed; rebuild it with `auditor train"):
        load_model(shipped_copy / STANCE_FILE)


def test_a_model_holding_foreign_code_is_refused_without_running_it(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    hostile = {"kind": "stance", "format": 1,
               "step": FunctionTransformer(func=os.system, kw_args={"command": f"touch {marker}"})}
    sio.dump(hostile, tmp_path / STANCE_FILE)
    record(tmp_path, "stance", STANCE_FILE, sha256_of(tmp_path / STANCE_FILE))
    with pytest.raises(ModelError, match=r"holds types outside the allowlist \(.*system"):
        load_model(tmp_path / STANCE_FILE)
    assert not marker.exists()


def test_cli_without_models_exits_2_with_one_line(data_dir: Path, tmp_path: Path) -> None:
    (data_dir.parent / "models" / CLAIM_FILE).unlink()
    article = tmp_path / "a.txt"
    article.write_text("Kratom is not addictive.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "auditor.cli", "check", str(article)],
                          capture_output=True, text=True, env=os.environ.copy(), check=False)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "claim_detector.skops: model file not found; rebuild it with `auditor train" in lines[0]


@pytest.mark.skipif(not (default_data_dir() / "cwcure").is_dir(),
                    reason="the shared datasets are not present (set AUDITOR_DATASETS)")
def test_auditor_train_reproduces_the_shipped_models(tmp_path: Path,
                                                     auditor_no_parse: Auditor) -> None:
    tmp_path = tmp_path / "new" / "models"  # a folder that does not exist yet
    done = subprocess.run([sys.executable, "-m", "auditor.cli", "train", "--no-eval", "--out",
                           str(tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / MANIFEST).read_text())
    assert set(manifest["models"]) == {"claim_detector", "stance", "term_tagger"}
    assert "datasets/cwcure/cancer.tsv" in manifest["data"]
    assert manifest["versions"]["scikit-learn"]
    scanner = auditor_no_parse.scanner
    texts = CLAIMS + NOT_CLAIMS
    # Equal up to floating-point summation order (BLAS builds differ between machines, and
    # a clean-clone CI run on 2026-12-02 once differed by 4.4e-9 from the same code and
    # versions); a change of data or features moves predictions far more than this.
    np.testing.assert_allclose(ClaimDetector.load(scanner, tmp_path).probabilities(texts),
                               ClaimDetector.load(scanner, models_dir()).probabilities(texts),
                               rtol=0, atol=1e-7)
    np.testing.assert_allclose(StanceModel.load(scanner, tmp_path).probabilities(PAIRS),
                               StanceModel.load(scanner, models_dir()).probabilities(PAIRS),
                               rtol=0, atol=1e-7)
    # The term model's liblinear fit stops at a tolerance: a full-suite run on 2026-12-02
    # differed by 2.5e-6 from the shipped model (identical when run alone); leaving one batch
    # of 80 dev items out of its training moves these probabilities by up to 0.09.
    sentences = [s for doc in scanner.pipe(texts) for s in doc.sents]
    np.testing.assert_allclose(
        np.concatenate(TermTagger.load(tmp_path).token_probabilities(sentences)),
        np.concatenate(TermTagger.load(models_dir()).token_probabilities(sentences)),
        rtol=0, atol=1e-4)


def test_shipped_models_were_trained_on_the_current_data() -> None:
    """A changed fact base, lexicon or label file means the models must be retrained."""
    from auditor.learning.train import Workshop, data_label, training_files

    manifest = json.loads((models_dir() / MANIFEST).read_text())
    workshop = Workshop.open()
    stale = [data_label(p, workshop) for p in training_files(workshop)
             if p.is_file() and manifest["data"].get(data_label(p, workshop)) != sha256_of(p)]
    assert not stale, f"models are stale for {stale}: run `auditor train` and commit models/"
