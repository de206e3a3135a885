"""Benchmark corpora: health articles built from public text, never shipped in the repo.

With ../shared/datasets present (developers and CI), articles are assembled from HealthVer
evidence passages (abstract prose about COVID-19 treatments) and claim-strength sentences
(PubMed conclusions and press releases), ~400 words each, plus the bundled seed article.
Without it, the bundled examples are repeated, which is enough to run but not to compare.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from auditor.paths import corpora_dir

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
ARTICLE_WORDS = 400


def articles(count: int) -> list[str]:
    sentences = _dataset_sentences()
    examples = [p.read_text(encoding="utf-8") for p in sorted(corpora_dir("examples").glob("*"))]
    texts: list[str] = list(examples)
    paragraph: list[str] = []
    words = 0
    for sentence in sentences:
        if len(texts) >= count:
            break
        paragraph.append(sentence)
        words += len(sentence.split())
        if words >= ARTICLE_WORDS:
            texts.append("\n".join(" ".join(paragraph[i:i + 4])
                                   for i in range(0, len(paragraph), 4)))
            paragraph, words = [], 0
    while len(texts) < count:
        texts.append(examples[len(texts) % len(examples)])
    return texts[:count]


def _dataset_sentences() -> list[str]:
    if not DATASETS.is_dir():
        return []
    evidence = pd.read_csv(DATASETS / "healthver" / "healthver_test.csv")["evidence"]
    strength = pd.concat([
        pd.read_csv(DATASETS / "claim_strength" / "annotated_pubmed.csv")["sentence"],
        pd.read_csv(DATASETS / "claim_strength" / "annotated_eureka.csv")["sentence"],
    ])
    unique = pd.concat([evidence.drop_duplicates(), strength]).dropna().astype(str)
    return [text.strip() for text in unique if text.strip()]
