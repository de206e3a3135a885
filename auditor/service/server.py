"""Run the app under uvicorn: in the foreground (``auditor serve``) or in a background thread
on a free port (tests and benchmarks that need a real server on a real socket)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from auditor.service.settings import ServiceSettings

# How `serve_processes` hands the settings to its worker processes (never the token itself:
# each worker reads that from the environment variable named here).
SETTINGS_ENV = "AUDITOR_SERVE_SETTINGS"
KEEP_ALIVE = 5  # seconds an idle connection is kept open (uvicorn's default)
WORKER_HEALTHCHECK = 60  # seconds a worker process may take to answer the supervisor
_START_TIMEOUT = 30.0


def serve(app: FastAPI, host: str, port: int) -> None:
    """Serve until interrupted (uvicorn handles SIGINT and SIGTERM)."""
    uvicorn.run(app, host=host, port=port, timeout_keep_alive=KEEP_ALIVE,
                log_level="info", server_header=False)


def serve_processes(settings: ServiceSettings, token_env: str, host: str, port: int,
                    workers: int) -> None:
    """Serve with ``workers`` processes sharing the port, each with its own auditor (its own
    memory: about what one ``auditor check`` takes) and its own queue: the way to use more
    than one core, since one process audits on one thread."""
    shared = {"allow_private": settings.allow_private, "max_body": settings.max_body,
              "deadline": settings.deadline, "max_queue": settings.max_queue,
              "config": str(settings.config) if settings.config else None,
              "token_env": token_env}
    os.environ[SETTINGS_ENV] = json.dumps(shared)
    # The supervisor kills a worker that misses its health ping for timeout_worker_healthcheck
    # seconds (uvicorn's default: 5). Loading the auditor holds the GIL in long C calls, and
    # two workers loading at once on two cores missed it and were killed in a loop.
    uvicorn.run("auditor.service.server:app_from_environment", factory=True, workers=workers,
                host=host, port=port, timeout_keep_alive=KEEP_ALIVE, log_level="info",
                server_header=False, timeout_worker_healthcheck=WORKER_HEALTHCHECK)


def app_from_environment() -> FastAPI:
    """The app of one worker process of :func:`serve_processes`."""
    from pathlib import Path

    from auditor.service.app import create_app

    shared = json.loads(os.environ[SETTINGS_ENV])
    token = os.environ.get(shared.pop("token_env"), "").strip() or None
    config = shared.pop("config")
    return create_app(ServiceSettings(token=token, config=Path(config) if config else None,
                                      **shared))


@contextmanager
def background_server(app: FastAPI, host: str = "127.0.0.1") -> Iterator[str]:
    """A real uvicorn server for ``app`` on a free port of ``host``, in a daemon thread;
    yields its base URL (``http://127.0.0.1:PORT``) once it accepts connections."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, 0))
    port = int(listener.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", server_header=False,
                                           timeout_keep_alive=KEEP_ALIVE))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True,
                              name=f"uvicorn {host}:{port}")
    thread.start()
    try:
        _wait_started(server, thread)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    give_up = time.monotonic() + _START_TIMEOUT
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the uvicorn server stopped while starting")
        if time.monotonic() > give_up:
            raise RuntimeError(f"the uvicorn server did not start within {_START_TIMEOUT:g} s")
        time.sleep(0.01)
