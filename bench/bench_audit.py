"""Audit throughput against plain spaCy, side by side in one run.

    python bench/bench_audit.py [--articles 300] [--rounds 3]

Measures words per second of ``Auditor.audit_many`` and of the plain ``en_core_web_sm``
pipeline (``nlp.pipe`` with every component) over the same texts, alternating the two in
each round so both see the same machine state, and prints the best round of each and the
ratio. Target: ratio ≥ 1.0 (the audit parses only claim sentences).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import spacy

from auditor import Auditor
from auditor.nlp.pipeline import MODEL_CANDIDATES
from bench.corpus import articles

RESULTS = Path(__file__).resolve().parent / "results"


def plain_spacy() -> spacy.language.Language:
    for name in MODEL_CANDIDATES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit("no English spaCy model installed")


def seconds(run: object) -> float:
    assert callable(run)
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    texts = articles(args.articles)
    words = sum(len(t.split()) for t in texts)
    auditor = Auditor()
    nlp = plain_spacy()
    # Warm both up (first-call allocations, lazy imports) before timing.
    list(auditor.audit_many(texts[:5]))
    list(nlp.pipe(texts[:5]))

    audit_times, spacy_times = [], []
    for _ in range(args.rounds):
        audit_times.append(seconds(lambda: list(auditor.audit_many(texts))))
        spacy_times.append(seconds(lambda: list(nlp.pipe(texts))))
    audit_wps = words / min(audit_times)
    spacy_wps = words / min(spacy_times)
    result = {
        "articles": len(texts), "words": words, "rounds": args.rounds,
        "audit_words_per_s": round(audit_wps), "spacy_words_per_s": round(spacy_wps),
        "ratio": round(audit_wps / spacy_wps, 2), "spacy_model": nlp.meta["name"],
        "python": platform.python_version(), "machine": platform.machine(),
    }
    print(f"{len(texts)} articles, {words} words, best of {args.rounds} rounds")
    print(f"  auditor (full audit):          {audit_wps:10,.0f} words/s")
    print(f"  plain spaCy nlp.pipe (all):    {spacy_wps:10,.0f} words/s")
    print(f"  ratio auditor / spaCy:         {audit_wps / spacy_wps:10.2f}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "audit.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
