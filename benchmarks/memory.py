"""Peak memory of a run's flow process as the run grows: is it bounded by the batch?

Runs the real flow (`flows.pipeline.translate_news`) with the tiny test models, no summaries and
greedy decoding, on synthetic news runs of 2,000, 8,000 and 32,000 articles (a few NTREX-128
sentences each, in Malay, Bengali and Arabic, with their English references so that scoring
runs too). Each size runs in its own process, which reports its peak resident memory (the RSS
high-water mark, `getrusage`); the models are built once, before. It prints a Markdown table
with each size's peak memory, the extra memory per article over the smallest run and the ratio
of the largest run's peak to the smallest's (1.0: memory does not grow with the run).

    python -m benchmarks.memory                        # 2,000 / 8,000 / 32,000 articles
    python -m benchmarks.memory --quick                # 30 / 60 / 120 articles (a smoke test)
    python -m benchmarks.memory --sizes 1000 4000 --sentences 10 --models /tmp/m

The temporary Prefect server (or the one of PREFECT_API_URL) is a separate process and is not
counted: the flow's own process is what must stay bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.overhead import NTREX_LANGS, default_ntrex_dir

DEFAULT_SIZES = (2000, 8000, 32000)
QUICK_SIZES = (30, 60, 120)


def ntrex_texts(ntrex_dir: Path) -> tuple[dict[str, list[str]], list[str]]:
    """The NTREX-128 sentences of each source language, and the English ones they translate."""
    sources = {
        lang: (ntrex_dir / f"newstest2019-ref.{lang}.txt").read_text("utf-8").splitlines()
        for lang in NTREX_LANGS
    }
    english = (ntrex_dir / "newstest2019-src.eng.txt").read_text("utf-8").splitlines()
    return sources, english


def article_lines(number: int, sentences: int, n_lines: int) -> list[int]:
    """The NTREX line numbers of article `number`: a different combination for every article
    (a run over repeated texts would measure the cache, not the run)."""
    order = number // len(NTREX_LANGS)
    first, step = order % n_lines, 1 + (order // n_lines) % (n_lines - 1)
    return [(first + k * step) % n_lines for k in range(sentences)]


def write_articles(
    ntrex_dir: Path, n_articles: int, sentences: int, inputs: Path, references: Path
) -> None:
    """`n_articles` distinct .txt articles of `sentences` lines, each with its reference."""
    sources, english = ntrex_texts(ntrex_dir)
    n_lines = len(english)
    if n_articles > len(NTREX_LANGS) * n_lines * (n_lines - 1):
        raise SystemExit(f"{ntrex_dir} has too few lines for {n_articles} distinct articles")
    inputs.mkdir(parents=True)
    references.mkdir(parents=True)
    for number in range(n_articles):
        lang = NTREX_LANGS[number % len(NTREX_LANGS)]
        lines = article_lines(number, sentences, n_lines)
        name = f"{number:06d}_{lang}.txt"
        text = "\n".join(sources[lang][i] for i in lines) + "\n"
        (inputs / name).write_text(text, encoding="utf-8")
        (references / name).write_text("\n".join(english[i] for i in lines) + "\n", "utf-8")


def measure_run(work: Path, models: Path, beams: int, scores: bool) -> dict[str, Any]:
    """Run the flow once in this process; its peak RSS and how long the run took."""
    from flows.pipeline import translate_news
    from newslib.config import RunConfig

    config = RunConfig(
        inputs=[work / "inputs"],
        output=work / "output",
        references=work / "references" if scores else None,
        model=str(models / "nllb"),
        summarizer=str(models / "summarizer"),
        summarize=False,
        beams=beams,
    )
    started = time.monotonic()
    summary = translate_news(config)
    seconds = time.monotonic() - started
    # ru_maxrss: kilobytes on Linux
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n_articles": summary["n_articles"], "peak_mb": peak_mb, "seconds": seconds}


def run_child(size: int, work: Path, models: Path, beams: int, scores: bool) -> dict[str, Any]:
    """One size in its own process, so that each peak is that run's alone."""
    command = [sys.executable, "-m", "benchmarks.memory", "--child", str(work)]
    command += ["--models", str(models), "--beams", str(beams)]
    command += [] if scores else ["--no-scores"]
    started = time.monotonic()
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=root)
    if done.returncode != 0:
        raise SystemExit(f"the run of {size} articles failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result | {"articles": size, "process_seconds": time.monotonic() - started}


def table(results: list[dict[str, Any]]) -> str:
    """The Markdown table: peak memory per size, growth per article, largest / smallest."""
    base = results[0]
    lines = [
        "| articles | peak memory of the flow process (RSS) | more than the smallest run, per "
        "article | run time |",
        "|---:|---:|---:|---:|",
    ]
    for result in results:
        extra = result["articles"] - base["articles"]
        per_article = (
            f"{1024 * (result['peak_mb'] - base['peak_mb']) / extra:.1f} KB" if extra else "-"
        )
        lines.append(
            f"| {result['articles']:,} | {result['peak_mb']:,.0f} MB | {per_article} "
            f"| {result['seconds']:,.0f} s |"
        )
    ratio = results[-1]["peak_mb"] / base["peak_mb"]
    lines.append("")
    lines.append(f"largest / smallest peak memory: **{ratio:.2f}**")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}")
    parser.add_argument("--sentences", type=int, default=2, help="NTREX sentences per article")
    parser.add_argument("--models", type=Path, help="directory of nllb/, summarizer/ (else built)")
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: temporary)")
    parser.add_argument("--ntrex", type=Path, help="NTREX-128 directory (default: shared/)")
    parser.add_argument("--beams", type=int, default=1)
    parser.add_argument("--no-scores", action="store_true", help="give no references")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # one run, in-process
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = list(QUICK_SIZES)
    if args.ntrex is None:
        shared = default_ntrex_dir()
        if shared.exists():
            args.ntrex = shared
        else:  # a fresh clone: the slice the tests carry
            from tests.models import ntrex_dir

            args.ntrex = ntrex_dir()
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if args.child:
        print(json.dumps(measure_run(args.child, args.models, args.beams, not args.no_scores)))
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="newsflow-memory-"))
    try:
        models = args.models
        if models is None:
            from tests.models import build_tiny_models

            models = build_tiny_models(work / "models")[0].parent
        results = []
        for size in sorted(args.sizes):
            run_dir = work / f"run-{size}"
            shutil.rmtree(run_dir, ignore_errors=True)
            write_articles(
                args.ntrex, size, args.sentences, run_dir / "inputs", run_dir / "references"
            )
            result = run_child(size, run_dir, models, args.beams, not args.no_scores)
            print(json.dumps(result), flush=True)
            results.append(result)
        print(f"\n{args.sentences} NTREX sentences per article, beams {args.beams}, no summaries")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
        print(table(results))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
