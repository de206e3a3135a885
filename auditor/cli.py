"""The ``auditor`` command: parse arguments, call the library, render, set the exit code.

Exit codes of ``auditor check``: 0 no finding at or above --fail-on · 1 some · 2 usage or
input error (one line on stderr) · 3 internal error (a bug: one line, no traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor import __version__
from auditor.batch_cli import add_commands as add_batch_commands
from auditor.cli_args import iso_date, positive_number
from auditor.errors import AuditorError, InputError
from auditor.learning_cli import add_commands as add_learning_commands
from auditor.learning_cli import run_eval, run_train
from auditor.records import SEVERITY_RANK, Document, Report
from auditor.service_cli import add_commands as add_service_commands

if TYPE_CHECKING:
    from auditor.api import Auditor
    from auditor.ingest.fetch import FetchPolicy, Page
    from auditor.report.claimreview import Reviewer
    from auditor.suppress import Suppressed

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
    term_model: bool = True
    allow_private: bool = False
    timeout: float = 20.0
    max_size_mib: float = 10.0
    ca_bundle: str | None = None
    archive: Path | None = None
    config: Path | None = None
    baseline: Path | None = None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditor", description="Flag contradicted, unsupported and overstated health "
        "claims and misused terminology, with evidence.")
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="audit files, URLs or stdin",
                                description="Audit .txt, .md or .html files, web pages, or - "
                                "for stdin.")
    check.add_argument("sources", nargs="+", metavar="SOURCE",
                       help="a .txt, .md or .html file, an http(s) URL, or - for standard "
                            "input")
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="output format (default: text); html is a standalone report page, "
                            "claimreview schema.org ClaimReview JSON-LD, sarif SARIF 2.1.0 for "
                            "code-scanning annotations")
    check.add_argument("--baseline", type=Path, metavar="FILE",
                       help="accept the findings recorded in FILE (see 'auditor baseline'); "
                            "only new findings are reported and fail the check")
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
    check.add_argument("--no-term-model", action="store_true",
                       help="flag only the misused terms the rules find, not those the term "
                            "model adds (as info)")
    _add_url_options(check)
    baseline = commands.add_parser(
        "baseline", help="record the current findings so checks fail only on new ones",
        description="Audit the files and write their problem findings to a baseline file "
                    "for 'auditor check --baseline'.")
    baseline.add_argument("sources", nargs="+", metavar="FILE", help="files to audit")
    baseline.add_argument("--output", type=Path, default=Path(".auditor-baseline.json"),
                          metavar="FILE", help="where to write it "
                                               "(default: .auditor-baseline.json)")
    _add_factbase_commands(commands)
    add_learning_commands(commands)
    add_service_commands(commands)
    add_batch_commands(commands)
    return parser


FORMATS = ("text", "json", "jsonl", "html", "claimreview", "sarif")


def _add_url_options(check: argparse.ArgumentParser) -> None:
    web = check.add_argument_group("web pages")
    web.add_argument("--allow-private", action="store_true",
                     help="let URLs reach private and loopback addresses on any port "
                          "(intranet pages; off by default)")
    web.add_argument("--timeout", type=positive_number, default=20.0, metavar="SECONDS",
                     help="total time allowed per page, redirects included (default: 20)")
    web.add_argument("--max-size", type=positive_number, default=10.0, metavar="MIB",
                     help="largest page read, after decompression (default: 10 MiB)")
    web.add_argument("--ca-bundle", metavar="FILE",
                     help="trust the certificate authorities in this PEM file instead of the "
                          "bundled ones (intranet sites)")
    web.add_argument("--archive", type=Path, metavar="DIR",
                     help="keep the evidence: per source, the raw exchange as WARC, the "
                          "audited text and the report, with SHA-256 hashes")
    web.add_argument("--config", type=Path, metavar="FILE",
                     help="settings file (default: ./auditor.toml); [claimreview] "
                          "author_name and author_url name the reviewer")

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
        tool.add_argument("--today", type=iso_date, default=None,
                          help=argparse.SUPPRESS)  # for tests: the date reviews are due by


def parse_check(args: argparse.Namespace) -> CheckOptions:
    colour = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    return CheckOptions(sources=tuple(args.sources), format=args.format, fail_on=args.fail_on,
                        show_supported=args.show_supported, parse=not args.no_parse,
                        colour=colour, learned_stance=args.learned_stance,
                        term_model=not args.no_term_model, allow_private=args.allow_private,
                        timeout=args.timeout,
                        max_size_mib=args.max_size, ca_bundle=args.ca_bundle,
                        archive=args.archive, config=args.config, baseline=args.baseline)


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
        if args.command == "baseline":
            return run_baseline(args)
        if args.command == "batch":
            from auditor.batch_cli import run_batch

            return run_batch(args)
        if args.command == "serve":
            from auditor.service_cli import run_serve

            return run_serve(args)
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
    from auditor.report import render_jsonl_line, render_text

    # Usage errors (no reviewer, a missing CA or baseline file) come before any work.
    reviewer = _reviewer(options)
    policy = _fetch_policy(options)
    baseline = _baseline(options.baseline)
    auditor = Auditor(parse=options.parse, learned_stance=options.learned_stance,
                      term_model=options.term_model)
    reports: list[Report] = []
    accepted: dict[str, list[Suppressed]] = {}
    failed = False
    for source in options.sources:
        try:
            report = _audit_source(auditor, source, policy, options.archive)
        except AuditorError as exc:
            failed = True
            _error(exc.message)
            if options.format == "jsonl":
                print(render_jsonl_line(None, source, exc.message), flush=True)
            continue
        report, accepted[source] = _accept(report, source, baseline, options.baseline)
        reports.append(report)
        if options.format == "jsonl":
            print(render_jsonl_line(report, source), flush=True)
        elif options.format == "text":
            print(render_text(report, colour=options.colour,
                              show_supported=options.show_supported), flush=True)
    if reports and options.format not in ("text", "jsonl"):
        print(_render_all(reports, options.format, reviewer, accepted))
    if failed:
        return EXIT_INPUT
    return EXIT_FINDINGS if _fails(reports, options.fail_on) else EXIT_OK


def run_baseline(args: argparse.Namespace) -> int:
    from auditor.api import Auditor
    from auditor.suppress import write_baseline

    auditor = Auditor()
    reports = []
    for source in args.sources:
        try:
            reports.append(_accept(_audit_source(auditor, source, None, None), source,
                                   {}, None)[0])
        except AuditorError as exc:
            _error(exc.message)
            return EXIT_INPUT  # a baseline missing a file would hide that file's findings
    count = write_baseline(args.output, reports)
    print(f"{count} findings in {len(reports)} files recorded in {args.output}")
    return EXIT_OK


def _audit_source(auditor: Auditor, source: str, policy: FetchPolicy | None,
                  archive: Path | None) -> Report:
    from auditor.ingest.archive import write_evidence
    from auditor.ingest.sources import is_url, read_source, read_url

    page: Page | None = None
    document: Document
    if is_url(source):
        document, page = read_url(source, policy)
    else:
        document = read_source(source)
    report = auditor.audit(document)
    if archive is not None:
        write_evidence(archive, report, page)
    return report


def _accept(report: Report, source: str, baseline: dict[str, frozenset[str]],
            baseline_path: Path | None) -> tuple[Report, list[Suppressed]]:
    """Set aside the findings accepted by inline comments (Markdown) and by the baseline."""
    from auditor.suppress import MARKDOWN_SUFFIXES, apply_baseline, apply_inline

    accepted: list[Suppressed] = []
    if Path(source).suffix.lower() in MARKDOWN_SUFFIXES and Path(source).is_file():
        original = Path(source).read_text(encoding="utf-8-sig", errors="replace")
        report, accepted = apply_inline(report, original)
    if baseline_path is not None:
        report, more = apply_baseline(report, baseline.get(source, frozenset()), baseline_path)
        accepted += more
    if accepted:
        note = (f"{len(accepted)} finding{'s' if len(accepted) > 1 else ''} accepted by "
                "inline comments or the baseline, not listed")
        report = replace(report, notes=(*report.notes, note))
    return report, accepted


def _baseline(path: Path | None) -> dict[str, frozenset[str]]:
    from auditor.suppress import read_baseline

    return read_baseline(path) if path is not None else {}


def _fetch_policy(options: CheckOptions) -> FetchPolicy:
    from auditor.ingest.fetch import FetchPolicy

    if options.ca_bundle is not None and not Path(options.ca_bundle).is_file():
        raise InputError(f"--ca-bundle {options.ca_bundle}: no such file; give a PEM file")
    return FetchPolicy.for_user(options.allow_private, timeout=options.timeout,
                                max_bytes=int(options.max_size_mib * 2**20),
                                ca_bundle=options.ca_bundle)


def _reviewer(options: CheckOptions) -> Reviewer | None:
    if options.format != "claimreview":
        return None
    from auditor.report.claimreview import load_reviewer

    return load_reviewer(options.config)


def _render_all(reports: list[Report], format: str, reviewer: Reviewer | None,
                accepted: dict[str, list[Suppressed]]) -> str:
    from auditor.report import render_claimreview, render_html, render_json, render_sarif

    if format == "html":
        return render_html(reports)
    if format == "claimreview":
        assert reviewer is not None, "run_check loads the reviewer before any work"
        return render_claimreview(reports, reviewer)
    if format == "sarif":
        return render_sarif(reports, accepted)
    return render_json(reports)


def _fails(reports: list[Report], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = SEVERITY_RANK[fail_on]
    return any(SEVERITY_RANK[f.severity] >= threshold for r in reports for f in r.problems())


def _error(message: str) -> None:
    print(f"auditor: error: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
