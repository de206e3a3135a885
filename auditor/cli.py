"""The ``auditor`` command: parse arguments, call the library, render, set the exit code.

Exit codes of ``auditor check``: 0 no finding at or above --fail-on · 1 some · 2 usage or
input error (one line on stderr) · 3 internal error (a bug: one line, no traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from auditor import __version__
from auditor.errors import AuditorError
from auditor.learning_cli import add_commands as add_learning_commands
from auditor.learning_cli import run_eval, run_train
from auditor.records import SEVERITY_RANK, Report

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


@dataclass(frozen=True)
class CheckOptions:
    sources: tuple[str, ...]
    format: str
    fail_on: str
    show_supported: bool
    parse: bool
    colour: bool
    learned_stance: bool = False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditor", description="Flag contradicted, unsupported and overstated health "
        "claims and misused terminology, with evidence.")
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="audit files or stdin",
                                description="Audit .txt, .md or .html files, or - for stdin.")
    check.add_argument("sources", nargs="+", metavar="SOURCE",
                       help="a .txt, .md or .html file, or - for standard input")
    check.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                       help="output format (default: text)")
    check.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                       help="exit 1 when a finding at or above this severity is found "
                            "(default: error)")
    check.add_argument("--show-supported", action="store_true",
                       help="list supported claims in the text report too")
    check.add_argument("--no-parse", action="store_true",
                       help="skip the dependency parser (faster, cruder negation scope)")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="colour the text report (default: auto, on a terminal)")
    check.add_argument("--learned-stance", action="store_true",
                       help="also judge claims the rules missed with the stance model "
                            "(experimental: see models/MODEL_CARD.md)")
    _add_factbase_commands(commands)
    add_learning_commands(commands)
    return parser


def _add_factbase_commands(commands: Any) -> None:
    factbase = commands.add_parser("factbase", help="curator tools for the fact base",
                                   description="Validate, count, show and debug the fact base.")
    tools = factbase.add_subparsers(dest="tool", required=True, metavar="TOOL")
    validate = tools.add_parser("validate", help="check every topic file; exit 1 on errors")
    validate.add_argument("--strict", action="store_true",
                          help="treat warnings (e.g. reviews past due) as errors")
    stats = tools.add_parser("stats", help="topics, facts, citations, reviews due")
    show = tools.add_parser("show", help="one fact, subject or topic, with its citations")
    show.add_argument("id", help="a fact id (kratom.addiction), subject id or topic id")
    explain = tools.add_parser("explain", help="why a sentence got (or did not get) a verdict")
    explain.add_argument("sentence", help="the text to explain (quote it)")
    for tool in (validate, stats, show, explain):
        tool.add_argument("--format", choices=("text", "json"), default="text")
        tool.add_argument("--today", type=_date, default=None,
                          help=argparse.SUPPRESS)  # for tests: the date reviews are due by


def parse_check(args: argparse.Namespace) -> CheckOptions:
    colour = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    return CheckOptions(sources=tuple(args.sources), format=args.format, fail_on=args.fail_on,
                        show_supported=args.show_supported, parse=not args.no_parse,
                        colour=colour, learned_stance=args.learned_stance)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "factbase":
            from auditor.factbase_cli import run_factbase

            return run_factbase(args)
        if args.command == "train":
            return run_train(args)
        if args.command == "eval":
            return run_eval(args)
        return run_check(parse_check(args))
    except AuditorError as exc:
        _error(exc.message)
        return EXIT_INPUT
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as exc:
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (set AUDITOR_DEBUG=1 for a "
               "traceback, and please report it)")
        return EXIT_INTERNAL


def run_check(options: CheckOptions) -> int:
    from auditor.api import Auditor
    from auditor.ingest.sources import read_source
    from auditor.report import render_json, render_jsonl_line, render_text

    auditor = Auditor(parse=options.parse, learned_stance=options.learned_stance)
    reports: list[Report] = []
    failed = False
    for source in options.sources:
        try:
            report = auditor.audit(read_source(source))
        except AuditorError as exc:
            failed = True
            _error(exc.message)
            if options.format == "jsonl":
                print(render_jsonl_line(None, source, exc.message), flush=True)
            continue
        reports.append(report)
        if options.format == "jsonl":
            print(render_jsonl_line(report, source), flush=True)
        elif options.format == "text":
            print(render_text(report, colour=options.colour,
                              show_supported=options.show_supported), flush=True)
    if options.format == "json" and reports:
        print(render_json(reports))
    if failed:
        return EXIT_INPUT
    return EXIT_FINDINGS if _fails(reports, options.fail_on) else EXIT_OK


def _fails(reports: list[Report], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity] >= threshold for r in reports for f in r.problems())


def _error(message: str) -> None:
    print(f"auditor: error: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
