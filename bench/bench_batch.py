"""Batch throughput (not a test): ``auditor batch`` with --jobs 1, --jobs 2 and a local Dask
cluster of 2 workers, beside plain spaCy ``nlp.pipe`` over the same texts, in one run.

    python3 -m bench.bench_batch                    # 2,000 articles of ~150 words
    python3 -m bench.bench_batch --articles 400 --no-dask

Articles are synthesized, with a fixed seed, from the sentences of the bundled examples and
the odd-numbered dev articles of corpora/eval/articles (a01, a03, ..., b01, b03, ...; the
even-numbered ones are held out and never read here), so they are as claim-dense as the
health articles the auditor is for.

Each batch runs as ``python3 -m auditor.batch_cli`` in a subprocess, as a user would run it.
Reported per configuration:

* end to end: documents and words per second over the whole command (imports, worker start
  and export included);
* steady state: documents per second between the first and the last result committed to the
  ledger (what a long batch converges to), and words per second at that document rate;
* peak RSS per worker (sampled every 0.2 s with psutil for local workers; ``ru_maxrss`` for
  Dask workers) and of the supervisor. RSS counts the model pages shared copy-on-write with
  the fork server in every worker, so the sum over workers over-states the machine's use.

The plain spaCy rows time ``nlp.pipe`` in this process over the same texts, with the model as
the auditor loads it (``auditor.nlp.pipeline.load_model``: no NER, lemmatizer or senter) and
with every component of ``en_core_web_sm``. Targets (issue 7): audit throughput per core at
least the plain spaCy pipeline's; 2 workers at least 1.8x one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
import yaml

from auditor.nlp.pipeline import load_model
from auditor.paths import corpora_dir
from bench.bench_audit import plain_spacy

RESULTS = Path(__file__).resolve().parent / "results"
_ODD_DEV = re.compile(r"^[ab]\d*[13579]_")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
SEED = 7


@dataclass
class Row:
    name: str
    documents: int
    words: int
    seconds: float
    steady_docs_per_s: float | None = None
    worker_peak_rss_mib: list[float] = field(default_factory=list)
    supervisor_peak_rss_mib: float | None = None

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.seconds

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds


def dev_sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpora_dir("examples").glob("*"))]
    for path in sorted(corpora_dir("eval", "articles").glob("*.yaml")):
        if _ODD_DEV.match(path.name):
            texts.append(yaml.safe_load(path.read_text(encoding="utf-8"))["text"])
    return [s.strip() for t in texts for s in _SENTENCE_END.split(t) if len(s.split()) > 3]


def articles(count: int, words: int) -> list[str]:
    """``count`` articles of about ``words`` words: paragraphs of sampled dev sentences."""
    sentences = dev_sentences()
    chooser = random.Random(SEED)
    texts = []
    for _ in range(count):
        picked: list[str] = []
        while sum(len(s.split()) for s in picked) < words:
            picked.append(chooser.choice(sentences))
        texts.append("\n\n".join(" ".join(picked[i:i + 3]) for i in range(0, len(picked), 3)))
    return texts


def write_corpus(texts: list[str], folder: Path) -> Path:
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for n, text in enumerate(texts):
            stream.write(json.dumps({"id": f"a{n:05d}", "text": text,
                                     "url": f"https://site{n % 7}.example/{n}"}) + "\n")
    return path


def time_spacy(name: str, nlp: object, texts: list[str], words: int) -> Row:
    pipe = nlp.pipe  # type: ignore[attr-defined]
    list(pipe(texts[:20]))  # warm up
    start = time.perf_counter()
    for _ in pipe(texts, batch_size=64):
        pass
    return Row(name=name, documents=len(texts), words=words,
               seconds=time.perf_counter() - start)


def run_batch(name: str, corpus: Path, out: Path, words: int, *extra: str,
              dask_client: object | None = None) -> Row:
    command = [sys.executable, "-m", "auditor.batch_cli", str(corpus), "--out", str(out),
               "--no-progress", *extra]
    errors = out.with_name(out.name + ".stderr")
    start = time.perf_counter()
    with errors.open("w") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
    watcher = psutil.Process(process.pid)
    peaks: dict[int, float] = {}
    supervisor_peak = 0.0
    progress: list[tuple[float, int]] = []
    while process.poll() is None:
        supervisor_peak = max(supervisor_peak, _rss(watcher))
        try:
            children = watcher.children(recursive=True)
        except psutil.Error:
            children = []
        for child in children:
            if _is_worker(child, process.pid):
                peaks[child.pid] = max(peaks.get(child.pid, 0.0), _rss(child))
        progress.append((time.perf_counter(), _ledger_rows(out)))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{name}: exit {process.returncode}: {errors.read_text().strip()}")
    documents = json.loads((out / "_SUCCESS.json").read_text())["documents"]
    worker_peaks = _worker_peaks(peaks, dask_client)
    return Row(name=name, documents=documents, words=words, seconds=seconds,
               steady_docs_per_s=_steady_rate(progress),
               worker_peak_rss_mib=worker_peaks, supervisor_peak_rss_mib=supervisor_peak)


def _is_worker(child: psutil.Process, supervisor: int) -> bool:
    """Local workers are forked by the fork server, itself a child of the supervisor (the
    other direct child is multiprocessing's resource tracker)."""
    try:
        return child.ppid() != supervisor
    except psutil.Error:
        return False


def _rss(process: psutil.Process) -> float:
    try:
        return float(process.memory_info().rss) / 2**20
    except psutil.Error:
        return 0.0


def _worker_peaks(peaks: dict[int, float], dask_client: object | None) -> list[float]:
    if dask_client is not None:
        usage = dask_client.run(_max_rss_mib)  # type: ignore[attr-defined]
        return sorted(round(v, 1) for v in usage.values())
    return sorted((round(v, 1) for v in peaks.values()), reverse=True)


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ledger_rows(out: Path) -> int:
    path = out / "_work" / "ledger.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=0.1) as db:
            return int(db.execute("SELECT COUNT(*) FROM results").fetchone()[0])
    except sqlite3.Error:
        return 0


def _steady_rate(progress: list[tuple[float, int]]) -> float | None:
    """Documents per second from the first sample with a committed result to the last."""
    started = [(t, n) for t, n in progress if n > 0]
    if len(started) < 2 or started[-1][1] == started[0][1]:
        return None
    (t0, n0), (t1, n1) = started[0], started[-1]
    return (n1 - n0) / (t1 - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, default=150, help="words per article")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()

    texts = articles(args.articles, args.words)
    words = sum(len(t.split()) for t in texts)
    rows = [time_spacy("spaCy nlp.pipe, auditor's model (1 core)", load_model(), texts, words),
            time_spacy("spaCy nlp.pipe, full en_core_web_sm (1 core)", plain_spacy(),
                       texts, words)]
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as folder:
        corpus = write_corpus(texts, Path(folder))
        for jobs in (1, 2):
            rows.append(run_batch(f"auditor batch --jobs {jobs}", corpus,
                                  Path(folder) / f"jobs{jobs}", words, "--jobs", str(jobs)))
        if not args.no_dask:
            rows.append(_dask_row(corpus, Path(folder) / "dask", words))
    report(rows, texts, words)


def _dask_row(corpus: Path, out: Path, words: int) -> Row:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        return run_batch("auditor batch --scheduler (Dask, 2 workers)", corpus, out, words,
                         "--scheduler", cluster.scheduler_address, dask_client=client)


def report(rows: list[Row], texts: list[str], words: int) -> None:
    print(f"{len(texts)} articles, {words:,} words ({words / len(texts):.0f} per article), "
          f"{os.cpu_count()} cores")
    print(f"{'':48} {'docs/s':>8} {'words/s':>9} {'steady docs/s':>14} {'steady words/s':>15}"
          f"  peak RSS per worker (MiB)")
    per_doc = words / len(texts)
    for row in rows:
        steady = row.steady_docs_per_s
        steady_text = (f"{steady:14.1f} {steady * per_doc:15,.0f}" if steady
                       else f"{'':14} {'':15}")
        peaks = ", ".join(f"{v:.0f}" for v in row.worker_peak_rss_mib)
        print(f"{row.name:48} {row.docs_per_s:8.1f} {row.words_per_s:9,.0f} {steady_text}"
              f"  {peaks}")
    by_name = {r.name: r for r in rows}
    one, two = by_name["auditor batch --jobs 1"], by_name["auditor batch --jobs 2"]
    if one.steady_docs_per_s and two.steady_docs_per_s:
        print(f"speed-up 2 workers / 1 (steady state): "
              f"{two.steady_docs_per_s / one.steady_docs_per_s:.2f}x")
    RESULTS.mkdir(exist_ok=True)
    result = {"articles": len(texts), "words": words, "cores": os.cpu_count(),
              "python": platform.python_version(), "machine": platform.machine(),
              "rows": [{**asdict(r), "docs_per_s": round(r.docs_per_s, 2),
                        "words_per_s": round(r.words_per_s)} for r in rows]}
    (RESULTS / "batch.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
