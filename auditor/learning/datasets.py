"""Readers for the public datasets in ``../shared/datasets`` (see its README) and for the
team's own labelled sentences in ``corpora/training/``.

Every reader returns a pandas DataFrame with a ``text`` column and a label column, and raises
:class:`DataError` naming the file when it is missing or malformed.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field

from auditor import paths
from auditor.datafiles import Closed, load
from auditor.errors import DataError
from auditor.factbase.loader import FactBase

CWCURE_DISEASES = ("alzheimers", "cancer", "depression", "diabetes")
STANCES = ("contradict", "support", "neutral")
_HEALTHVER_STANCE = {"Supports": "support", "Refutes": "contradict", "Neutral": "neutral"}


DATASETS_ENV = "AUDITOR_DATASETS"


def default_data_dir() -> Path:
    """``$AUDITOR_DATASETS``, else ``../shared/datasets`` beside the source checkout (where CI
    keeps them)."""
    override = os.environ.get(DATASETS_ENV)
    return Path(override) if override else paths.data_root().parent / "shared" / "datasets"


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise DataError(str(path), "dataset file not found; pass --data with the folder "
                        "that holds the shared datasets")


def _read_table(path: Path, **options: object) -> pd.DataFrame:
    _require_file(path)
    try:
        return pd.read_csv(path, **options)
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataError(str(path), f"cannot read it as a table ({exc})") from None


def _require(frame: pd.DataFrame, path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(str(path), f"missing column(s) {missing}")
    return frame


def cwcure(root: Path) -> pd.DataFrame:
    """CW-CURE tweets: text, is_claim (a cure or treatment claim), disease."""
    frames = []
    for disease in CWCURE_DISEASES:
        path = root / "cwcure" / f"{disease}.tsv"
        frame = _require(_read_table(path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str),
                         path, ("Tweet", "IsCureClaim"))
        frames.append(pd.DataFrame({"text": frame["Tweet"].fillna(""),
                                    "is_claim": frame["IsCureClaim"] == "True",
                                    "disease": disease}))
    return pd.concat(frames, ignore_index=True)


def clef2020(root: Path, split: Literal["train", "test"]) -> pd.DataFrame:
    """CLEF 2020 CheckThat! task 1 tweets: text, is_claim. (The training file already holds
    the dev file, so train is training_v2 alone.)"""
    name = "training_v2.tsv" if split == "train" else "test-gold.tsv"
    path = root / "clef2020_checkthat_t1" / name
    frame = _require(_read_table(path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str),
                     path, ("tweet_text", "claim"))
    return pd.DataFrame({"text": frame["tweet_text"].fillna(""),
                         "is_claim": frame["claim"].str.strip() == "1"})


def claimbuster(root: Path) -> pd.DataFrame:
    """ClaimBuster debate sentences (out of domain): text, is_claim (check-worthy factual)."""
    rows = []
    for name in ("train.json", "test.json"):
        path = root / "claimbuster_twoclass" / name
        if not path.is_file():
            raise DataError(str(path), "dataset file not found")
        try:
            records = json.loads(path.read_text(encoding="utf-8"))
            rows += [{"text": r["text"], "is_claim": r["label"] == 1} for r in records]
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(str(path), f"not ClaimBuster JSON ({exc})") from None
    return pd.DataFrame(rows)


def healthver(root: Path, split: Literal["dev", "test"]) -> pd.DataFrame:
    """HealthVer claim–evidence pairs: claim, evidence, stance (contradict/support/neutral)."""
    path = root / "healthver" / f"healthver_{split}.csv"
    frame = _require(_read_table(path, dtype=str), path, ("claim", "evidence", "label"))
    stance = frame["label"].str.strip().map(_HEALTHVER_STANCE)
    if stance.isna().any():
        bad = frame.loc[stance.isna(), "label"].iloc[0]
        raise DataError(str(path), f"unknown label {bad!r}", field="label")
    return pd.DataFrame({"claim": frame["claim"].fillna("").str.strip(),
                         "evidence": frame["evidence"].fillna("").str.strip(),
                         "stance": stance})


def scientific_texts(root: Path) -> list[str]:
    """Real scientific writing with no invented jargon to find: every SciFact claim and every
    distinct HealthVer test evidence passage (abstract excerpts), in a fixed order."""
    texts = set(healthver(root, "test")["evidence"])
    for split in ("train", "dev", "test"):
        path = root / "scifact" / f"claims_{split}.jsonl"
        _require_file(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            try:
                texts.add(str(json.loads(line)["claim"]).strip())
            except (ValueError, KeyError):
                raise DataError(str(path), f"line {number} is not a claim record") from None
    return sorted(t for t in texts if t)


def ordinary_health_writing(root: Path) -> tuple[list[str], list[str]]:
    """Real health writing with no misused terms in it, as (learn from, check on): PubMed and
    press-release sentences (claim_strength) and HealthVer dev evidence alternate between the
    halves; SciFact and COVID-Fact evidence and InSciOut conclusions are learned from only.
    None of the texts of :func:`scientific_texts` (the science check) is among them."""
    science = set(scientific_texts(root))
    halved: set[str] = set(healthver(root, "dev")["evidence"])
    for name in ("annotated_pubmed.csv", "annotated_eureka.csv"):
        path = root / "claim_strength" / name
        halved.update(_require(_read_table(path, dtype=str), path, ("sentence",))["sentence"]
                      .dropna())
    learned: set[str] = set(scifact_pairs(root, "train")["evidence"])
    path = root / "covidfact" / "RTE-covidfact_train.tsv"
    learned.update(_require(_read_table(path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str),
                            path, ("sentence1",))["sentence1"].dropna())
    path = root / "sci_exaggeration" / "insciout_test.jsonl"
    frame = _require(_read_json_lines(path), path,
                     ("press_release_conclusion", "abstract_conclusion"))
    learned.update(frame["press_release_conclusion"].dropna())
    learned.update(frame["abstract_conclusion"].dropna())
    halved = {t.strip() for t in halved if t.strip()} - science
    ordered = sorted(halved)
    learned = {t.strip() for t in learned if t.strip()} - science - halved
    return ordered[0::2] + sorted(learned), ordered[1::2]


def _read_json_lines(path: Path) -> pd.DataFrame:
    _require_file(path)
    try:
        return pd.read_json(path, lines=True, dtype=False)
    except ValueError as exc:
        raise DataError(str(path), f"cannot read it as JSON lines ({exc})") from None


def scifact_pairs(root: Path, split: Literal["train", "dev"]) -> pd.DataFrame:
    """SciFact claim–rationale pairs (the COVID-Fact authors' RTE conversion): claim,
    evidence, stance. The files hold only claims with evidence, so `not_entailment` is a
    refutation (see the dataset's SOURCE.md)."""
    path = root / "scifact" / f"rte_scifact_{split}.tsv"
    frame = _require(_read_table(path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str), path,
                     ("sentence1", "sentence2", "entailment"))
    stance = frame["entailment"].str.strip().map({"entailment": "support",
                                                  "not_entailment": "contradict"})
    if stance.isna().any():
        raise DataError(str(path), "labels must be entailment or not_entailment",
                        field="entailment")
    return pd.DataFrame({"claim": frame["sentence2"].fillna("").str.strip(),
                         "evidence": frame["sentence1"].fillna("").str.strip(),
                         "stance": stance})


class LabelledSentence(Closed):
    text: str = Field(min_length=3)
    label: Literal["claim", "not_claim"]
    source: str


class LabelledSentences(Closed):
    version: int = 1
    sentences: list[LabelledSentence] = Field(min_length=1)


def team_sentences(corpora: Path | None = None) -> pd.DataFrame:
    """Sentences the team labelled (corpora/training/claim_sentences.yaml; guide beside it)."""
    folder = corpora / "training" if corpora else paths.corpora_dir("training")
    schema = load(folder / "claim_sentences.yaml", LabelledSentences)
    return pd.DataFrame([{"text": s.text, "is_claim": s.label == "claim", "source": s.source}
                         for s in schema.sentences])


def exemplar_pairs(factbase: FactBase) -> pd.DataFrame:
    """The fact base's exemplars as (claim, fact id, stance) rows."""
    rows = []
    for fact in factbase.facts.values():
        rows += [{"claim": c, "fact": fact.id, "topic": fact.topic, "stance": "contradict"}
                 for c in fact.contradicts]
        rows += [{"claim": s, "fact": fact.id, "topic": fact.topic, "stance": "support"}
                 for s in fact.supports]
    return pd.DataFrame(rows)
