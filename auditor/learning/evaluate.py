"""``auditor eval``: precision, recall and F1 per task, each beside simple baselines measured in
the same run, on data no model or rule was tuned on.

    claim detection   CW-CURE cure claims, leave one disease out (a model trained without the
                      disease, tested on it); CLEF 2020 CheckThat! test tweets
    stance            HealthVer test pairs
    articles          the annotated article set: span recall per category and the false-alarm
                      rate on clean sentences, for the rules alone and with the learned stance
    terms             labelled term occurrences: precision and recall of misused_term findings,
                      for everything, for the rules without the term model, and for the
                      listed terms alone; and how often real scientific writing (SciFact
                      claims, HealthVer evidence) gets one
    terms_cv          (run by ``auditor train``) the term model cross-validated over the
                      writers' batches of the dev half it learns from, beside the rules; and
                      how often the half of ordinary health writing it does not learn from
                      gets a finding from it
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from auditor import paths
from auditor.evaluation.articles import load_articles, score
from auditor.evaluation.terms import (
    OccurrenceSchema,
    TermScores,
    flagged_terms,
    load_split,
    score_flags,
    score_terms,
    split_file,
    term_bounds,
)
from auditor.learning import datasets
from auditor.learning.artifacts import sha256_of
from auditor.learning.claim_detector import ClaimDetector
from auditor.learning.stance_model import STANCES, Pair, StanceModel
from auditor.learning.train import Workshop
from auditor.records import Document, overlaps

Scores = dict[str, float]


def binary_scores(truth: Sequence[bool], predicted: Sequence[bool]) -> Scores:
    p, r, f, _ = precision_recall_fscore_support(truth, predicted, average="binary",
                                                 zero_division=0)
    return {"precision": float(p), "recall": float(r), "f1": float(f)}


def stance_scores(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    p, r, f, _ = precision_recall_fscore_support(truth, predicted, labels=list(STANCES),
                                                 zero_division=0)
    per_class = {s: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i])}
                 for i, s in enumerate(STANCES)}
    return {"macro_f1": float(np.mean(f)), "classes": per_class}


def keyword_claims(workshop: Workshop, texts: Sequence[str]) -> list[bool]:
    """Baseline: a sentence is a claim when it holds a predicate word of the lexicon."""
    return [bool(doc.spans["auditor_predicates"]) for doc in workshop.scanner.pipe(texts)]


def claim_detection(workshop: Workshop, models: Path) -> dict[str, Any]:
    cure = datasets.cwcure(workshop.data)
    per_disease = {}
    for disease in datasets.CWCURE_DISEASES:
        training = workshop.claim_training(without_disease=disease)
        test = cure[cure.disease == disease]
        detector = workshop.fit_detector(training)
        majority = bool(training.is_claim.mean() >= 0.5)
        per_disease[disease] = _with_baselines(
            list(test.is_claim), list(detector.predict(list(test.text))), majority,
            keyword_claims(workshop, list(test.text)))
    lodo = {name: _mean([d[name] for d in per_disease.values()])
            for name in ("model", "majority", "keyword")}
    clef_train = datasets.clef2020(workshop.data, "train")
    clef_test = datasets.clef2020(workshop.data, "test")
    shipped = ClaimDetector.load(workshop.scanner, models)
    clef = _with_baselines(list(clef_test.is_claim), list(shipped.predict(list(clef_test.text))),
                           bool(clef_train.is_claim.mean() >= 0.5),
                           keyword_claims(workshop, list(clef_test.text)))
    return {"cwcure_lodo": {**lodo, "diseases": per_disease}, "clef2020_test": clef}


def _with_baselines(truth: list[bool], predicted: list[bool], majority: bool,
                    keyword: list[bool]) -> dict[str, Scores]:
    return {"model": binary_scores(truth, predicted),
            "majority": binary_scores(truth, [majority] * len(truth)),
            "keyword": binary_scores(truth, keyword)}


def _mean(rows: list[Scores]) -> Scores:
    return {key: float(np.mean([r[key] for r in rows])) for key in rows[0]}


def keyword_stance(workshop: Workshop, pairs: Sequence[Pair]) -> list[str]:
    """Baseline: a negation on one side only is a contradiction; many shared words without
    one is support; anything else is neutral."""
    texts = sorted({t for p in pairs for t in (p.claim, p.evidence)})
    docs = dict(zip(texts, workshop.scanner.pipe(texts), strict=True))
    guesses = []
    for pair in pairs:
        claim, evidence = docs[pair.claim], docs[pair.evidence]
        negated = (bool(claim.spans["auditor_negations"])
                   != bool(evidence.spans["auditor_negations"]))
        words = {t.lower_ for t in claim if t.is_alpha and not t.is_stop}
        shared = len(words & {t.lower_ for t in evidence}) / max(len(words), 1)
        guesses.append("contradict" if negated and shared >= 0.3
                       else "support" if shared >= 0.5 else "neutral")
    return guesses


def stance(workshop: Workshop, models: Path) -> dict[str, Any]:
    dev = datasets.healthver(workshop.data, "dev")
    test = datasets.healthver(workshop.data, "test")
    pairs = [Pair(c, e) for c, e in zip(test.claim, test.evidence, strict=True)]
    truth = list(test.stance)
    majority = str(dev.stance.mode().iloc[0])
    model = StanceModel.load(workshop.scanner, models)
    return {"healthver_test": {
        "model": stance_scores(truth, model.predict(pairs)),
        "majority": stance_scores(truth, [majority] * len(truth)),
        "keyword": stance_scores(truth, keyword_stance(workshop, pairs))}}


def articles(split: str, models: Path, corpora: Path | None = None) -> dict[str, Any]:
    """The whole auditor on one half of the article set, in three configurations."""
    from auditor.api import Auditor

    chosen = [a for a in load_articles(corpora and corpora / "eval" / "articles")
              if a.split == split]
    configurations: dict[str, Callable[[], Auditor]] = {
        "rules": lambda: Auditor(corpora=corpora, claim_detector=False),
        "shipped": lambda: Auditor(corpora=corpora, models=models),
        "learned_stance": lambda: Auditor(corpora=corpora, models=models, learned_stance=True),
    }
    results: dict[str, Any] = {"articles": len(chosen)}
    for name, make in configurations.items():
        reports = make().audit_many(Document(text=a.text, source=a.id) for a in chosen)
        scores = score(chosen, reports)
        results[name] = {
            "recall": scores.recall, "false_alarm_rate": scores.false_alarm_rate,
            "found": scores.found, "problems": scores.problems,
            "false_alarms": scores.false_alarms, "clean": scores.clean,
            "categories": {c: {"problems": n, "found": hit, "recall": hit / n if n else 1.0}
                           for c, n, hit in scores.by_category}}
    return results


def terms(split: str, corpora: Path | None = None, models: Path | None = None
          ) -> dict[str, Any]:
    """Misused-term detection on the labelled term occurrences: everything, the rules without
    the term model, and the listed terms alone (the keyword baseline)."""
    from auditor.api import Auditor

    chosen = load_split(split, corpora)
    results: dict[str, Any] = {"occurrences": len(chosen)}
    for name, coinages, term_model in (("model", True, True), ("rules", True, False),
                                       ("listed_only", False, False)):
        auditor = Auditor(corpora=corpora, models=models, claim_detector=False,
                          coinages=coinages, term_model=term_model)
        reports = auditor.audit_many(Document(text=o.text, source=o.id) for o in chosen)
        results[name] = _term_results(score_terms(chosen, reports))
    return results


def _term_results(scores: TermScores) -> dict[str, Any]:
    return {"precision": scores.precision, "recall": scores.recall,
            "labels": {label: {"occurrences": n, "flagged": hit}
                       for label, n, hit in scores.by_label}}


def writer_batch(item: OccurrenceSchema) -> str:
    """The batch an occurrence was written in: its id's letters ("dg" of "dg17")."""
    found = re.match(r"[a-z]+", item.id)
    return found.group() if found else item.id


def terms_cross_validated(workshop: Workshop, models: Path) -> dict[str, Any]:
    """The term model scored on each writers' batch of the dev half after learning from the
    other batches, alone and beside the rules as shipped (which were tuned on all of dev, so
    the combination flatters the rules, not the model); and the share of the ordinary health
    writing it never learns from that gets a finding from it."""
    from auditor.api import Auditor

    items = load_split("dev", workshop.corpora)
    rules = Auditor(corpora=workshop.corpora, models=models, claim_detector=False,
                    term_model=False)
    by_rules = flagged_terms(items, rules.audit_many(
        Document(text=o.text, source=o.id) for o in items))
    ordinary = workshop.ordinary_sentences
    batches = sorted({writer_batch(o) for o in items})
    by_model = [False] * len(items)
    for batch in batches:
        tagger = workshop.fit_term_tagger([o for o in items if writer_batch(o) != batch],
                                          ordinary)
        tested = [(i, o) for i, o in enumerate(items) if writer_batch(o) == batch]
        for (i, item), doc in zip(tested, rules.scanner.pipe(o.text for _, o in tested),
                                  strict=True):
            start, end = term_bounds(item)
            by_model[i] = any(overlaps(t.span.start_char, t.span.end_char, start, end)
                              for t in tagger.find(doc))
    _, check = workshop.ordinary_writing
    shipped = Auditor(corpora=workshop.corpora, models=models, claim_detector=False)
    flagged = sum(any(f.rule == "model:term_tagger" for f in report.findings)
                  for report in shipped.audit_many(Document(text=t, source="ordinary")
                                                   for t in check))
    return {"occurrences": len(items),
            "batches": len(batches),
            "model_alone": _term_results(score_flags(items, by_model)),
            "rules": _term_results(score_flags(items, by_rules)),
            "rules_and_model": _term_results(score_flags(
                items, [a or b for a, b in zip(by_rules, by_model, strict=True)])),
            "ordinary": {"texts": len(check), "flagged": flagged,
                         "flagged_rate": flagged / len(check) if check else 0.0}}


def terms_on_science(workshop: Workshop, corpora: Path | None = None,
                     models: Path | None = None) -> dict[str, Any]:
    """misused_term findings on real scientific writing (SciFact claims, HealthVer evidence),
    which holds no invented jargon: nearly every finding there is a false alarm."""
    from auditor.api import Auditor

    texts = datasets.scientific_texts(workshop.data)
    auditor = Auditor(corpora=corpora, models=models, claim_detector=False)
    flagged = [t for t, report in zip(texts, auditor.audit_many(
        Document(text=t, source="science") for t in texts), strict=True)
        if any(f.category == "misused_term" for f in report.findings)]
    return {"texts": len(texts), "flagged": len(flagged),
            "flagged_rate": len(flagged) / len(texts) if texts else 0.0}


def heldout_hashes(data: Path, corpora: Path | None = None) -> dict[str, str]:
    """SHA-256 of every file a held-out score is computed from ("missing" when absent)."""
    return {label: sha256_of(path) if path.is_file() else "missing"
            for label, path in heldout_files(data, corpora).items()}


def combined_hash(hashes: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()


def heldout_files(data: Path, corpora: Path | None = None) -> dict[str, Path]:
    folder = (corpora or paths.corpora_dir()) / "eval" / "articles"
    files = {f"corpora/eval/articles/{a.id}.yaml": folder / f"{a.id}.yaml"
             for a in load_articles(folder) if a.split == "heldout"}
    for disease in datasets.CWCURE_DISEASES:
        files[f"datasets/cwcure/{disease}.tsv"] = data / "cwcure" / f"{disease}.tsv"
    files["datasets/clef2020_checkthat_t1/test-gold.tsv"] = (
        data / "clef2020_checkthat_t1" / "test-gold.tsv")
    files["corpora/eval/terms/heldout.yaml"] = split_file("heldout", corpora)
    files["datasets/healthver/healthver_test.csv"] = data / "healthver" / "healthver_test.csv"
    return files


def evaluate(data: Path | None = None, models: Path | None = None,
             corpora: Path | None = None,
             tasks: Sequence[str] = ("claims", "stance", "articles", "terms")) -> dict[str, Any]:
    workshop = Workshop.open(data, corpora)
    models = models or paths.models_dir()
    results: dict[str, Any] = {
        "data_sha256": combined_hash(heldout_hashes(workshop.data, corpora))}
    if "claims" in tasks:
        results["claim_detection"] = claim_detection(workshop, models)
    if "stance" in tasks:
        results["stance"] = stance(workshop, models)
    if "articles" in tasks:
        results["articles"] = {split: articles(split, models, corpora)
                               for split in ("heldout", "dev")}
    if "terms" in tasks:
        results["terms"] = {split: terms(split, corpora, models) for split in ("heldout", "dev")}
        if (workshop.data / "scifact").is_dir():
            results["terms"]["science"] = terms_on_science(workshop, corpora, models)
    if "terms_cv" in tasks:
        results["terms_cv"] = terms_cross_validated(workshop, models)
    return results
