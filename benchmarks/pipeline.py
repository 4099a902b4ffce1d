"""The whole article, end to end: `python -m benchmarks.bench --pipeline [--quick]`.

NTREX-128 documents in Malay, Bengali and Arabic go through the real flow
(`flows.pipeline.translate_news`: clean, detect, segment, translate, check, repair, summarize,
score against the NTREX English, write Parquet) with the full-size architectures of
NLLB-200-distilled-600M and distilbart-cnn-12-6 (random weights, built once and cached; every
sentence forced to `--tokens` output tokens, every summary to 80), and through the naive
pipeline of the model cards (one sentence at a time, one summary per article, float32). Each
configuration runs in a process of its own, one after the other, on the same articles.

Reports articles/minute, each stage's share of the run's wall time (prepare, translate, repair,
summarize, score, write), the summarizer's share of model time, peak memory and the ratio to
the naive pipeline, as Markdown and JSON (`rows`) in `output/bench/`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.bench import REPO_ROOT, build_in_subprocess, default_ntrex_dir, log
from benchmarks.bench_model import NTREX_ENGLISH, NTREX_LANGS, ntrex_file
from benchmarks.bench_report import environment
from benchmarks.pipeline_model import build_summarizer_dir
from benchmarks.pipeline_worker import (
    CONFIGURATIONS,
    MODEL,
    MODEL_STAGES,
    NAIVE,
    NEWSFLOW,
    REFERENCES,
    STAGES,
    Job,
    Measured,
    serve,
)

QUICK_MAX_SENTENCES = 6  # --quick: the first documents this short (naive beam 4 is slow)


def choose_documents(ntrex_dir: Path, count: int, max_sentences: int) -> list[tuple[str, str]]:
    """(document id, NLLB code): `count` documents in turn in each language, the first ones
    of at most `max_sentences` lines (0: any length)."""
    ids = [line.split("\t")[0] for line in (ntrex_dir / "DOCUMENT_IDS.tsv").read_text().split("\n")]
    sizes: dict[str, int] = {}
    for doc_id in ids:
        if doc_id:
            sizes[doc_id] = sizes.get(doc_id, 0) + 1
    fitting = [d for d, n in sizes.items() if not max_sentences or n <= max_sentences]
    langs = list(NTREX_LANGS.values())
    return [(doc_id, langs[i % len(langs)]) for i, doc_id in enumerate(fitting[:count])]


def write_articles(ntrex_dir: Path, chosen: list[tuple[str, str]], work: Path) -> None:
    """One .txt per article (a sentence a line) and its English reference; a warm-up article."""
    ids = (ntrex_dir / "DOCUMENT_IDS.tsv").read_text().splitlines()
    ids = [line.split("\t")[0] for line in ids]
    english = (ntrex_dir / NTREX_ENGLISH).read_text("utf-8").splitlines()
    by_code = {code: suffix for suffix, code in NTREX_LANGS.items()}
    for folder in ("inputs", "references", "warmup"):
        (work / folder).mkdir(parents=True, exist_ok=True)
    for number, (doc_id, lang) in enumerate(chosen):
        source = ntrex_file(ntrex_dir, by_code[lang]).read_text("utf-8").splitlines()
        lines = [i for i, d in enumerate(ids) if d == doc_id]
        name = f"{number:03d}_{doc_id}__{lang}.txt"
        (work / "inputs" / name).write_text("\n".join(source[i] for i in lines) + "\n", "utf-8")
        (work / "references" / name).write_text(
            "\n".join(english[i] for i in lines) + "\n", "utf-8"
        )
    malay = ntrex_file(ntrex_dir, "msa").read_text("utf-8").splitlines()
    (work / "warmup" / "warmup__zsm_Latn.txt").write_text(malay[-1] + "\n", "utf-8")


def run_job(job: Job) -> Measured:
    context = mp.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=serve, args=(child, job))
    process.start()
    child.close()
    try:
        status, payload = parent.recv()
    except EOFError:
        status, payload = "error", f"the process died (exit code {process.exitcode})"
    process.join()
    if status != "result":
        raise RuntimeError(f"{job.configuration} failed: {payload}")
    measured: Measured = payload
    return measured


def row_of(configuration: str, measured: Measured, naive_rate: float | None) -> dict[str, Any]:
    rate = 60 * measured.articles / measured.seconds
    stages = {stage: measured.stage_seconds.get(stage, 0.0) for stage in STAGES}
    model = sum(stages[stage] for stage in MODEL_STAGES)
    return {
        "configuration": configuration,
        "articles": measured.articles,
        "articles_ok": measured.ok,
        "sentences": measured.sentences,
        "seconds": round(measured.seconds, 3),
        "articles_per_minute": rate,
        "speed_vs_naive": None if naive_rate is None else rate / naive_rate,
        # With the model's own (random) outputs every segment is repaired; with the English
        # references, as many as the checks flag in human translations. The speed with the
        # repair pass left out bounds what a run with no repairs gets.
        "repair_rate": measured.repair_rate,
        "reference_share": measured.reference_share,
        "speed_vs_naive_without_repair": (
            None
            if naive_rate is None
            else 60 * measured.articles / (measured.seconds - stages["repair"]) / naive_rate
        ),
        "stage_seconds": stages,
        "stage_share": {stage: seconds / measured.seconds for stage, seconds in stages.items()},
        "summarize_share": stages["summarize"] / model if model else None,
        "model_seconds": measured.model_seconds,
        "peak_memory_bytes": measured.peak_bytes,
    }


def markdown(rows: list[dict[str, Any]]) -> str:
    stages = " | ".join(STAGES)
    lines = [
        f"| configuration | articles | sentences | articles/min | speed vs naive | {stages} "
        "| summarize / model time | repaired | speed vs naive, repair left out "
        "| peak memory (RSS) |",
        "|---|---:|---:|---:|---:|" + "---:|" * len(STAGES) + "---:|---:|---:|---:|",
    ]
    for row in rows:
        speed, bound = row["speed_vs_naive"], row["speed_vs_naive_without_repair"]
        shares = " | ".join(f"{row['stage_share'][s]:.0%}" for s in STAGES)
        lines.append(
            f"| {row['configuration']} | {row['articles']} | {row['sentences']} "
            f"| {row['articles_per_minute']:.2f} | {'-' if speed is None else f'{speed:.2f}x'} "
            f"| {shares} | {row['summarize_share']:.0%} | {row['repair_rate']:.0%} "
            f"| {'-' if bound is None else f'{bound:.2f}x'} "
            f"| {row['peak_memory_bytes'] / 2**30:.2f} GiB |"
        )
    return "\n".join(lines) + "\n"


def measure(args: argparse.Namespace, models: tuple[Path, Path], work: Path) -> dict[str, Measured]:
    """Each configuration in turn, in a process of its own, on the articles under `work`."""
    measured: dict[str, Measured] = {}
    for configuration in args.configs:
        log(f"{configuration}: starting")
        job = Job(
            configuration,
            str(models[0]),
            str(models[1]),
            str(work / "inputs"),
            str(work / "references"),
            str(work / configuration),
            str(work / "warmup"),
            args.tokens,
            args.beams,
            args.outputs,
        )
        measured[configuration] = run_job(job)
        log(f"{configuration}: {measured[configuration].seconds:.1f} s")
    return measured


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench --pipeline", description=__doc__
    )
    parser.add_argument("--quick", action="store_true", help="3 short articles (one a language)")
    parser.add_argument("--documents", type=int, help="NTREX documents (in turn per language)")
    parser.add_argument("--tokens", type=int, default=30, help="output tokens per sentence")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument(
        "--outputs",
        choices=[REFERENCES, MODEL],
        default=REFERENCES,
        help="the words of each output: the NTREX English (the checks see good translations) "
        "or the random model's own (every check fires, every segment is repaired)",
    )
    parser.add_argument("--configs", nargs="+", choices=CONFIGURATIONS, default=[NAIVE, NEWSFLOW])
    parser.add_argument("--ntrex", type=Path, default=None, help="NTREX-128 directory")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "output" / "bench")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    ntrex_dir = args.ntrex or default_ntrex_dir()
    if not (ntrex_dir / "DOCUMENT_IDS.tsv").is_file():
        print(f"NTREX-128 not found at {ntrex_dir} (--ntrex, NEWSFLOW_SHARED_DIR)", file=sys.stderr)
        return 2
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see bench --omp-wait-policy
    translator = build_in_subprocess(ntrex_dir)
    summarizer = build_summarizer_dir(ntrex_dir, log=log)
    count = args.documents or (3 if args.quick else 6)
    chosen = choose_documents(ntrex_dir, count, QUICK_MAX_SENTENCES if args.quick else 0)
    work = Path(tempfile.mkdtemp(prefix="newsflow-pipeline-bench-"))
    load_before = os.getloadavg()
    try:
        write_articles(ntrex_dir, chosen, work)
        measured = measure(args, (translator, summarizer), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    naive = measured.get(NAIVE)
    naive_rate = 60 * naive.articles / naive.seconds if naive else None
    rows = [row_of(name, m, naive_rate) for name, m in measured.items()]
    table = markdown(rows)
    report = {
        "command": "python -m benchmarks.bench --pipeline " + " ".join(argv or []),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "documents": [{"document": d, "lang": lang} for d, lang in chosen],
        "sentence_tokens": args.tokens,
        "beams": args.beams,
        "outputs": args.outputs,
        "environment": environment("cpu"),
        "load_average_before_after": [load_before, os.getloadavg()],
        "rows": rows,
        "measured": {name: asdict(m) for name, m in measured.items()},
        "wall_seconds": time.perf_counter() - started,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = (
        f"pipeline-cpu{'-quick' if args.quick else ''}{'-model' if args.outputs == MODEL else ''}"
    )
    (args.out / f"{stem}.md").write_text(table, encoding="utf-8")
    (args.out / f"{stem}.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(table)
    print(
        f"wall time {report['wall_seconds']:.0f} s; load average before {load_before[0]:.1f}, "
        f"after {os.getloadavg()[0]:.1f}; written to {args.out / stem}.md and .json"
    )
    return 0
