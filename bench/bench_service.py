"""Load benchmark of ``auditor serve`` (not a test): N concurrent clients post typical articles
to ``POST /v1/audit`` for a while; reports errors, latency percentiles and throughput.

    python3 -m bench.bench_service                 # 50 clients, 60 s, a server it starts
    python3 -m bench.bench_service --seconds 20 --clients 50
    python3 -m bench.bench_service --url http://127.0.0.1:8000 --token-env AUDITOR_API_TOKEN

Articles: the bundled examples and the odd-numbered dev articles of corpora/eval/articles
(a01, a03, ..., b01, b03, ...); the even-numbered ones are held out and never read here.

The clients are closed-loop (each sends its next request when the last one is answered), so
the latencies include the wait in the server's queue but under-report what an open stream
of arrivals would see (coordinated omission; research/reliability.md §4.4). The client runs on
the same machine as the server and takes some of its CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import yaml

from auditor.paths import corpora_dir

_ODD_DEV = re.compile(r"^[ab]\d*[13579]_")


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    words: int = 0


def typical_articles() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpora_dir("examples").glob("*.txt"))]
    for path in sorted(corpora_dir("eval", "articles").glob("*.yaml")):
        if not _ODD_DEV.match(path.name):
            continue  # even numbers are the held-out set
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        if entry.get("split") == "dev":
            texts.append(entry["text"])
    return texts


async def client(number: int, base: str, articles: list[str], until: float,
                 headers: dict[str, str], results: Results) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=600, headers=headers) as http:
        turn = number
        while time.monotonic() < until:
            text = articles[turn % len(articles)]
            turn += 1
            started = time.monotonic()
            try:
                response = await http.post("/v1/audit", json={"text": text})
            except httpx.HTTPError as error:
                results.errors[type(error).__name__] += 1
                continue
            elapsed = time.monotonic() - started
            if response.status_code == 200:
                results.latencies.append(elapsed)
                results.words += len(text.split())
            else:
                results.errors[f"HTTP {response.status_code}"] += 1


async def run_load(base: str, articles: list[str], clients: int, seconds: float,
                   headers: dict[str, str]) -> tuple[Results, float]:
    results = Results()
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(*(client(i, base, articles, until, headers, results)
                           for i in range(clients)))
    return results, time.monotonic() - started


def baseline(base: str, articles: list[str], headers: dict[str, str]) -> float:
    """Median latency of one client auditing each article once, one at a time."""
    with httpx.Client(base_url=base, timeout=120, headers=headers) as http:
        times = []
        for text in articles:
            started = time.monotonic()
            http.post("/v1/audit", json={"text": text}).raise_for_status()
            times.append(time.monotonic() - started)
    return statistics.median(times)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "auditor.service_cli", "serve", "--port",
                             str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_healthy(base: str, process: subprocess.Popen[bytes] | None, workers: int) -> None:
    """Until /healthz answers, and, with several worker processes, a while longer: each
    loads its own auditor, and the port accepts as soon as the first one is up."""
    give_up = time.monotonic() + 120
    while time.monotonic() < give_up:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    else:
        raise SystemExit("the server did not answer /healthz within 120 s")
    if workers > 1:
        time.sleep(15)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def report(results: Results, elapsed: float, clients: int, single: float) -> None:
    done, failed = len(results.latencies), sum(results.errors.values())
    print(f"clients {clients}, {elapsed:.1f} s: {done} audits, {failed} errors "
          f"{dict(results.errors) if failed else ''}".rstrip())
    if not done:
        return
    print(f"throughput {done / elapsed:.2f} audits/s ({results.words / elapsed:.0f} words/s)")
    print(f"latency p50 {percentile(results.latencies, 0.50):.2f} s · "
          f"p95 {percentile(results.latencies, 0.95):.2f} s · "
          f"p99 {percentile(results.latencies, 0.99):.2f} s · "
          f"max {max(results.latencies):.2f} s")
    print(f"single-client median {single:.2f} s per article (baseline, before the load)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--url", help="a running server (default: start one on a free port)")
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes of the server it starts (default: 1)")
    parser.add_argument("--token-env", default="AUDITOR_API_TOKEN",
                        help="environment variable with the API token, if the server has one")
    args = parser.parse_args()
    token = os.environ.get(args.token_env, "").strip()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    articles = typical_articles()
    words = [len(text.split()) for text in articles]
    print(f"{len(articles)} articles, {min(words)}-{max(words)} words "
          f"(median {statistics.median(words):.0f}); {os.cpu_count()} CPUs; "
          f"server workers: {args.workers if args.url is None else 'as running'}")
    process = None
    base = args.url
    if base is None:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = start_server(port, args.workers)
    try:
        wait_healthy(base, process, args.workers if process is not None else 1)
        single = baseline(base, articles, headers)
        results, elapsed = asyncio.run(run_load(base, articles, args.clients, args.seconds,
                                                headers))
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
    report(results, elapsed, args.clients, single)
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
