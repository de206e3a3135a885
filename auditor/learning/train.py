"""``auditor train``: rebuild the claim detector, the stance model and the term model from the
shared datasets and the team's labels, with fixed seeds, into ``models/`` with a manifest and a
model card."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language
from spacy.tokens import Span

from auditor import paths
from auditor.evaluation.terms import OccurrenceSchema, load_split, split_file
from auditor.factbase.loader import FactBase, load_factbase
from auditor.learning import datasets
from auditor.learning.artifacts import library_versions, record, sha256_of, write_manifest
from auditor.learning.claim_detector import FILE as CLAIM_FILE
from auditor.learning.claim_detector import ClaimDetector
from auditor.learning.stance_model import FILE as STANCE_FILE
from auditor.learning.stance_model import Pair, StanceModel
from auditor.learning.term_tagger import FILE as TERM_FILE
from auditor.learning.term_tagger import TermTagger, labelled_sentences
from auditor.nlp import components as _components  # noqa: F401  (registers the factories)
from auditor.nlp.lexicon import load_lexicon
from auditor.nlp.pipeline import build_scanner

SEED = 0
NEUTRAL_PER_EXEMPLAR = 2  # other facts of the same topic each exemplar is paired with
# Weight of each sentence of ordinary health writing in the term model, against 1 for a
# labelled occurrence's (chosen with the threshold on the di–dl dev batches before the model
# learned from them, and kept when cross-validation over all the batches confirmed it).
ORDINARY_WEIGHT = 0.3


@dataclass(frozen=True)
class Workshop:
    """What training and evaluation share: the scanner, the fact base, the data folder."""

    scanner: Language
    factbase: FactBase
    claim_types: list[str]
    data: Path
    corpora: Path | None

    @classmethod
    def open(cls, data: Path | None = None, corpora: Path | None = None) -> Workshop:
        lexicon = load_lexicon(corpora)
        return cls(build_scanner(None, corpora), load_factbase(corpora),
                   sorted({p.claim_type for p in lexicon.predicates}),
                   data or datasets.default_data_dir(), corpora)

    def claim_training(self, *, without_disease: str | None = None) -> pd.DataFrame:
        """CW-CURE (less one disease when evaluating), CLEF 2020 training tweets and the
        team's labelled sentences."""
        cure = datasets.cwcure(self.data)
        if without_disease is not None:
            cure = cure[cure.disease != without_disease]
        frames = [cure, datasets.clef2020(self.data, "train"),
                  datasets.team_sentences(self.corpora)]
        return pd.concat([f[["text", "is_claim"]] for f in frames], ignore_index=True)

    def fit_detector(self, frame: pd.DataFrame) -> ClaimDetector:
        return ClaimDetector.fit(self.scanner, list(frame.text), list(frame.is_claim),
                                 self.claim_types, seed=SEED)

    def stance_training(self, topics: set[str] | None = None) -> tuple[list[Pair], list[str]]:
        """HealthVer dev and SciFact pairs, and the fact base's exemplars against their own
        fact (the exemplar left out of the fact's exemplars) and against other facts of their
        topic."""
        passages = pd.concat([datasets.healthver(self.data, "dev"),
                              datasets.scifact_pairs(self.data, "train"),
                              datasets.scifact_pairs(self.data, "dev")], ignore_index=True)
        pairs = [Pair(c, e) for c, e in zip(passages.claim, passages.evidence, strict=True)]
        labels = list(passages.stance)
        fact_pairs, fact_labels = exemplar_pairs(self.factbase, topics, random.Random(SEED))
        return pairs + fact_pairs, labels + fact_labels

    def fit_stance(self, topics: set[str] | None = None) -> StanceModel:
        pairs, labels = self.stance_training(topics)
        return StanceModel.fit(self.scanner, pairs, labels, seed=SEED)

    @cached_property
    def ordinary_writing(self) -> tuple[list[str], list[str]]:
        """Ordinary health writing: the half the term model learns from, and the half kept to
        count its false alarms (read once: training and cross-validation both use it)."""
        return datasets.ordinary_health_writing(self.data)

    @cached_property
    def ordinary_sentences(self) -> list[Span]:
        """The sentences of the ordinary health writing the term model learns from."""
        learn, _ = self.ordinary_writing
        return [s for doc in self.scanner.pipe(learn, batch_size=256) for s in doc.sents]

    def fit_term_tagger(self, occurrences: Sequence[OccurrenceSchema] | None = None,
                        ordinary: list[Span] | None = None) -> TermTagger:
        """The term model, from the dev half of the labelled term occurrences (or
        ``occurrences``) and, as counter-examples, ordinary health writing."""
        if occurrences is None:
            occurrences = load_split("dev", self.corpora)
        if ordinary is None:
            ordinary = self.ordinary_sentences
        sentences, labels = labelled_sentences(self.scanner, occurrences)
        return TermTagger.fit(
            sentences + ordinary, labels + [[False] * len(s) for s in ordinary],
            [1.0] * len(sentences) + [ORDINARY_WEIGHT] * len(ordinary), corpora=self.corpora)


def exemplar_pairs(factbase: FactBase, topics: set[str] | None,
                   rng: random.Random) -> tuple[list[Pair], list[str]]:
    """Every exemplar of the facts in ``topics`` (all when None) as a stance pair."""
    by_topic: dict[str, list[Any]] = {}
    for fact in factbase.facts.values():
        by_topic.setdefault(fact.topic, []).append(fact)
    pairs: list[Pair] = []
    labels: list[str] = []
    for fact in factbase.facts.values():
        if topics is not None and fact.topic not in topics:
            continue
        others = [f for f in by_topic[fact.topic] if f.id != fact.id]
        for stance, side in (("contradict", fact.contradicts), ("support", fact.supports)):
            for claim in side:
                pairs.append(Pair(claim, fact.statement,
                                  tuple(c for c in fact.contradicts if c != claim),
                                  tuple(s for s in fact.supports if s != claim)))
                labels.append(stance)
                for other in rng.sample(others, min(NEUTRAL_PER_EXEMPLAR, len(others))):
                    pairs.append(Pair(claim, other.statement, other.contradicts, other.supports))
                    labels.append("neutral")
    return pairs, labels


def training_files(workshop: Workshop) -> list[Path]:
    shared = workshop.data
    corpora = workshop.corpora or paths.corpora_dir()
    return ([shared / "cwcure" / f"{d}.tsv" for d in datasets.CWCURE_DISEASES]
            + [shared / "clef2020_checkthat_t1" / "training_v2.tsv",
               shared / "healthver" / "healthver_dev.csv",
               shared / "scifact" / "rte_scifact_train.tsv",
               shared / "scifact" / "rte_scifact_dev.tsv",
               shared / "claim_strength" / "annotated_pubmed.csv",
               shared / "claim_strength" / "annotated_eureka.csv",
               shared / "covidfact" / "RTE-covidfact_train.tsv",
               shared / "sci_exaggeration" / "insciout_test.jsonl",
               corpora / "training" / "claim_sentences.yaml",
               split_file("dev", workshop.corpora)]
            + sorted((corpora / "vocabulary").glob("*.*"))
            + sorted((corpora / "factbase").glob("*.yaml"))
            + sorted((corpora / "lexicon").glob("*.yaml"))
            + sorted((corpora / "terms").glob("*.yaml"))
            + sorted((corpora / "rhetoric").glob("*.yaml")))


def train(data: Path | None = None, out: Path | None = None,
          corpora: Path | None = None) -> dict[str, Any]:
    """Fit the three models on everything (no evaluation data), save them and the
    manifest."""
    workshop = Workshop.open(data, corpora)
    out = out or paths.models_dir()
    out.mkdir(parents=True, exist_ok=True)  # a new folder for a trial run
    detector = workshop.fit_detector(workshop.claim_training())
    stance = workshop.fit_stance()
    tagger = workshop.fit_term_tagger()
    write_manifest(out, {"models": {}})  # a fresh manifest: old metrics no longer hold
    record(out, "claim_detector", CLAIM_FILE, detector.save(out))
    record(out, "stance", STANCE_FILE, stance.save(out))
    manifest = record(out, "term_tagger", TERM_FILE, tagger.save(out))
    manifest.update({
        "seed": SEED, "versions": library_versions(),
        "data": {data_label(p, workshop): sha256_of(p) for p in training_files(workshop)}})
    write_manifest(out, manifest)
    return manifest


def data_label(path: Path, workshop: Workshop) -> str:
    """A data file's name relative to its root, so manifests compare across machines."""
    for root, prefix in ((workshop.data, "datasets"),
                         (workshop.corpora or paths.corpora_dir(), "corpora")):
        if path.is_relative_to(root):
            return f"{prefix}/{path.relative_to(root).as_posix()}"
    return path.name
