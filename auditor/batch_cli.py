"""``auditor batch INPUT... --out DIR``: audit a corpus into Parquet tables and a summary.

Exit codes: 0 the batch finished (error rows included) · 2 usage or input error, e.g. a
missing input or an output folder holding another batch (one line on stderr, before any
work) · 130 interrupted (run the same command with ``--resume``).

Also runnable as ``python3 -m auditor.batch_cli INPUT... --out DIR`` (the tests do).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from auditor.cli_args import positive_number, whole_number
from auditor.errors import AuditorError

EXIT_OK, EXIT_INPUT, EXIT_INTERRUPTED = 0, 2, 130
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$", re.IGNORECASE)


def add_commands(commands: Any) -> None:
    batch = commands.add_parser(
        "batch", help="audit a corpus into Parquet tables and a summary",
        description="Audit every document of directories, JSONL, CSV, Parquet and WARC files "
        "in parallel. Writes DIR/documents.parquet, DIR/findings.parquet, DIR/summary.html, "
        "DIR/summary.md and, last, DIR/_SUCCESS.json. Killed or interrupted, the same command "
        "with --resume carries on where it stopped.")
    batch.add_argument("inputs", nargs="+", metavar="INPUT",
                       help="a directory of .txt/.md/.html, or a .jsonl, .csv, .parquet, "
                            ".warc or .warc.gz file")
    batch.add_argument("--out", type=Path, required=True, metavar="DIR",
                       help="output folder (new or empty, or this batch's with --resume)")
    batch.add_argument("--jobs", type=whole_number, default=None, metavar="N",
                       help="local worker processes (default: every core)")
    batch.add_argument("--resume", action="store_true",
                       help="continue an interrupted batch in DIR (or rebuild its outputs)")
    batch.add_argument("--csv", action="store_true", help="also write CSV copies of the tables")
    batch.add_argument("--text-column", default="text", metavar="NAME",
                       help="JSONL/CSV/Parquet column holding the text (default: text)")
    batch.add_argument("--id-column", default="id", metavar="NAME",
                       help="column holding the document id (default: id; else FILE:LINE)")
    batch.add_argument("--url-column", default="url", metavar="NAME",
                       help="column holding the document URL, if any (default: url)")
    batch.add_argument("--timeout", type=positive_number, default=60.0, metavar="S",
                       help="seconds a worker may spend on one task (up to 8 short documents, "
                            "or one long one) before it is stopped; a failed task is retried "
                            "one document at a time (default: 60)")
    batch.add_argument("--max-memory", type=_size, default=2 * 2**30, metavar="SIZE",
                       help="address space per worker, e.g. 2G or 1500M; 0 for no limit "
                            "(default: 2G)")
    batch.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                       help="run on this Dask distributed scheduler instead of local workers")
    batch.add_argument("--no-progress", action="store_true",
                       help="no progress bar (it is off anyway when stderr is not a terminal)")


def _size(text: str) -> int | None:
    match = _SIZE.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 2G, 1500M or 0")
    scale = 2 ** (10 * " KMGT".index((match.group(2) or " ").upper()))
    value = int(float(match.group(1)) * scale)
    return value or None


def batch_options(args: argparse.Namespace) -> Any:
    from auditor.batch.readers import ReadOptions
    from auditor.batch.runner import BatchOptions

    return BatchOptions(
        inputs=tuple(args.inputs), out=args.out, jobs=args.jobs, resume=args.resume,
        csv=args.csv, timeout=args.timeout, max_memory=args.max_memory,
        scheduler=args.scheduler,
        read=ReadOptions(text_column=args.text_column, id_column=args.id_column,
                         url_column=args.url_column))


def run_batch(args: argparse.Namespace) -> int:
    """Run ``auditor batch``; raises :class:`AuditorError` for the caller to print (exit 2)."""
    from auditor.batch import runner

    options = batch_options(args)
    if options.scheduler:
        # Dask logs each rescheduled task and lost worker as warnings; the batch handles
        # them and its error rows say what happened, so only errors reach the terminal.
        _quiet_dask()
    bar = _ProgressBar(enabled=not args.no_progress and sys.stderr.isatty())
    try:
        outcome = runner.run_batch(options, bar.callbacks() if bar.enabled else None)
    except KeyboardInterrupt:
        bar.close()
        _error(f"interrupted; run the same command with --resume to continue in {options.out}")
        return EXIT_INTERRUPTED
    bar.close()
    print(f"{outcome.documents} documents: {outcome.ok} ok, {outcome.errors} errors "  # noqa: T201
          f"→ {outcome.out}")
    return EXIT_OK


def _quiet_dask() -> None:
    import distributed  # noqa: F401  (configures its loggers, each with its own level)

    for name in ["distributed", *logging.root.manager.loggerDict]:
        if name.startswith("distributed"):
            logging.getLogger(name).setLevel(logging.ERROR)


class _ProgressBar:
    """tqdm on stderr: documents done, rate and ETA."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None

    def callbacks(self) -> Any:
        from auditor.batch.runner import Progress

        return Progress(start=self._start, advance=self._advance)

    def _start(self, total: int, done: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, initial=done, unit="doc", file=sys.stderr,
                         dynamic_ncols=True, smoothing=0.05, desc="auditing")

    def _advance(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _error(message: str) -> None:
    print(f"auditor: error: {message}", file=sys.stderr)  # noqa: T201


def main(argv: Sequence[str] | None = None) -> int:
    """``python3 -m auditor.batch_cli``: the ``batch`` command alone, same exit codes."""
    parser = argparse.ArgumentParser(prog="auditor")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["batch", *(sys.argv[1:] if argv is None else argv)])
    try:
        return run_batch(args)
    except AuditorError as exc:
        _error(exc.message)
        return EXIT_INPUT
    except Exception as exc:
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (set AUDITOR_DEBUG=1 for a "
               "traceback, and please report it)")
        return 3


if __name__ == "__main__":
    sys.exit(main())
