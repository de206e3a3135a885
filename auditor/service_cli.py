"""``auditor serve``: the review page and the JSON API (:mod:`auditor.service`).

``python3 -m auditor.service_cli serve ...`` runs it on its own too.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from auditor.cli_args import positive_number, whole_number
from auditor.errors import AuditorError
from auditor.service.settings import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_BODY,
    DEFAULT_MAX_QUEUE,
    TOKEN_ENV,
    ServiceSettings,
)


def add_commands(commands: Any) -> None:
    serve = commands.add_parser(
        "serve", help="run the editor's review page and the JSON API",
        description="Serve the review page at / and the API under /v1/ (OpenAPI at /docs). "
        "Binds to 127.0.0.1 unless told otherwise.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default: 8000)")
    serve.add_argument("--token-env", default=TOKEN_ENV, metavar="VAR",
                       help=f"environment variable holding the API token (default: "
                            f"{TOKEN_ENV}); when it is set, the /v1/ routes need "
                            "'Authorization: Bearer <token>'. An environment variable, not a "
                            "flag, so the token does not show in the process list")
    serve.add_argument("--allow-private", action="store_true",
                       help="let URL audits reach private and loopback addresses on any port "
                            "(intranet pages, tests; off by default)")
    serve.add_argument("--max-body", type=positive_number, default=DEFAULT_MAX_BODY / 2**20,
                       metavar="MIB", help="largest request body (default: 2 MiB)")
    serve.add_argument("--deadline", type=positive_number, default=DEFAULT_DEADLINE,
                       metavar="SECONDS", help="longest a request's fetch and audit may take "
                       "once started (default: 30); waiting for a turn is not counted")
    serve.add_argument("--max-queue", type=whole_number, default=DEFAULT_MAX_QUEUE, metavar="N",
                       help="audits that may wait for the worker; more are refused with 503 "
                            "(default: 64)")
    serve.add_argument("--workers", type=whole_number, default=1, metavar="N",
                       help="processes serving the port, each auditing one request at a time "
                            "with its own copy of the auditor (default: 1; use up to the "
                            "number of CPU cores)")
    serve.add_argument("--config", type=Path, metavar="FILE",
                       help="settings file (default: ./auditor.toml); [claimreview] "
                            "author_name and author_url name the reviewer for the export")


def settings_from(args: argparse.Namespace,
                  environ: dict[str, str] | None = None) -> ServiceSettings:
    env = dict(os.environ) if environ is None else environ
    token = env.get(args.token_env, "").strip() or None
    return ServiceSettings(token=token, allow_private=args.allow_private,
                           max_body=int(args.max_body * 2**20), deadline=args.deadline,
                           max_queue=args.max_queue, config=args.config)


def run_serve(args: argparse.Namespace) -> int:
    from auditor.api import Auditor
    from auditor.service.app import create_app
    from auditor.service.server import serve, serve_processes

    settings = settings_from(args)
    if settings.token is None and not _is_loopback(args.host):
        _note(f"serving on {args.host} without an API token: anyone who can reach it can run "
              f"audits and make it fetch URLs; set {args.token_env}")
    if args.workers > 1:
        _note(f"starting {args.workers} worker processes; each loads the auditor")
        serve_processes(settings, args.token_env, args.host, args.port, args.workers)
        return 0
    # One process: load here, so a broken model or fact base is one line and exit 2.
    _note("loading the auditor (a few seconds)...")
    app = create_app(settings, Auditor())
    serve(app, args.host, args.port)
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _note(message: str) -> None:
    sys.stderr.write(f"auditor serve: {message}\n")
    sys.stderr.flush()




def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="auditor")
    add_commands(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    try:
        return run_serve(args)
    except AuditorError as error:
        _note(error.message)
        return 2


if __name__ == "__main__":
    sys.exit(main())
