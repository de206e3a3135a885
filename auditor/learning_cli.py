"""``auditor train`` and ``auditor eval``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from auditor import paths

TASKS = ("claims", "stance", "articles", "terms")  # what `auditor eval` runs by default


def add_commands(commands: Any) -> None:
    train = commands.add_parser(
        "train", help="rebuild the trained models into models/",
        description="Train the claim detector, the stance model and the term model (fixed "
        "seeds) from the shared datasets and the team's labels; write them with a manifest "
        "and a model card.")
    _data_option(train)
    train.add_argument("--out", type=Path, default=None, help="models folder (default: models/)")
    train.add_argument("--no-eval", action="store_true",
                       help="skip the evaluation (the manifest then has no metrics)")
    evaluate = commands.add_parser(
        "eval", help="precision, recall and F1 per task, beside baselines",
        description="Evaluate the claim detector (CW-CURE leave one disease out, CLEF 2020 "
        "test), the stance model (HealthVer test), the whole auditor on the article set and "
        "on the labelled term occurrences; terms_cv cross-validates the term model over the "
        "writers' batches of the dev half (minutes; `auditor train` runs it).")
    _data_option(evaluate)
    evaluate.add_argument("--models", type=Path, default=None,
                          help="models folder (default: models/)")
    evaluate.add_argument("--task", action="append",
                          choices=(*TASKS, "terms_cv"),
                          help="evaluate only this task (repeatable; default: all)")
    evaluate.add_argument("--format", choices=("text", "json"), default="text")


def _data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=None,
                        help="folder of the shared datasets (default: ../shared/datasets)")


def run_train(args: argparse.Namespace) -> int:
    from auditor.learning.artifacts import write_manifest
    from auditor.learning.card import model_card
    from auditor.learning.evaluate import evaluate
    from auditor.learning.train import train

    out = args.out or paths.models_dir()
    manifest = train(args.data, out)
    print(f"trained the claim detector, stance model and term model into {out}", flush=True)
    if not args.no_eval:
        results = evaluate(args.data, out, tasks=(*TASKS, "terms_cv"))
        manifest["metrics"] = results
        write_manifest(out, manifest)
        (out / "MODEL_CARD.md").write_text(model_card(manifest, results), encoding="utf-8")
        print(f"wrote {out / 'manifest.json'} and {out / 'MODEL_CARD.md'}")
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from auditor.learning.card import eval_table
    from auditor.learning.evaluate import evaluate

    results = evaluate(args.data, args.models,
                       tasks=args.task or TASKS)
    if args.format == "json":
        print(json.dumps(results, indent=2, sort_keys=True))
    else:
        print(eval_table(results))
        print(f"\nheld-out data sha256: {results['data_sha256']}")
    return 0
