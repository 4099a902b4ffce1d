"""What a run costs outside the models: orchestration, I/O, cleaning, detection, scoring.

Runs the real flow on 2,000 short news articles (two NTREX-128 sentences each, in Malay,
Bengali and Arabic, with references so that scoring runs too) with the tiny test models, then
reads the run's row in `runs/` and prints

    outside model calls = (wall_seconds - model_seconds) / articles

in milliseconds per article. The tiny models make model calls cheap but everything around them
is the production code path. A second run over the same inputs shows the cost of a re-run that
finds every article in the result cache.

    python -m benchmarks.overhead                 # 2,000 articles, tiny models built on the fly
    python -m benchmarks.overhead --articles 500 --models /tmp/m --keep /tmp/overhead

It uses the Prefect server of PREFECT_API_URL when set, else a temporary one (its start-up is
not part of the run's wall time, which starts inside the flow).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

NTREX_LANGS = ("msa", "ben", "arb")  # NTREX-128 file suffixes
LINES_PER_ARTICLE = 2


def default_ntrex_dir() -> Path:
    shared = os.environ.get("NEWSFLOW_SHARED_DIR")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return base / "data" / "ntrex128"


def write_articles(ntrex_dir: Path, n_articles: int, inputs: Path, references: Path) -> None:
    """`n_articles` distinct short articles as .txt files, each with its English reference."""
    sources = {
        lang: (ntrex_dir / f"newstest2019-ref.{lang}.txt").read_text("utf-8").splitlines()
        for lang in NTREX_LANGS
    }
    english = (ntrex_dir / "newstest2019-src.eng.txt").read_text("utf-8").splitlines()
    per_lang = -(-n_articles // len(NTREX_LANGS))
    if per_lang * LINES_PER_ARTICLE > len(english):
        raise SystemExit(f"NTREX has lines for at most {len(english) // 2 * 3} articles")
    inputs.mkdir(parents=True)
    references.mkdir(parents=True)
    for number in range(n_articles):
        lang = NTREX_LANGS[number % len(NTREX_LANGS)]
        start = (number // len(NTREX_LANGS)) * LINES_PER_ARTICLE
        span = slice(start, start + LINES_PER_ARTICLE)
        name = f"{number:05d}_{lang}.txt"
        (inputs / name).write_text("\n".join(sources[lang][span]) + "\n", encoding="utf-8")
        (references / name).write_text("\n".join(english[span]) + "\n", encoding="utf-8")


def run_once(config: Any) -> dict[str, Any]:
    import pandas as pd

    from flows.pipeline import translate_news

    summary = translate_news(config)
    runs = pd.read_parquet(Path(config.output) / "runs")
    return runs[runs["run_id"] == summary["run_id"]].iloc[0].to_dict()


def report(label: str, run: dict[str, Any]) -> float:
    n = int(run["n_articles"])
    outside = run["wall_seconds"] - run["model_seconds"]
    per_article = 1000 * outside / n
    print(
        f"{label}: {n} articles ({run['n_ok']} ok, {run['n_cached']} reused), "
        f"wall {run['wall_seconds']:.1f} s, in model calls {run['model_seconds']:.1f} s, "
        f"outside model calls {outside:.1f} s = {per_article:.1f} ms per article"
    )
    return per_article


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--models", type=Path, help="directory holding nllb/ and summarizer/")
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: temporary)")
    parser.add_argument("--ntrex", type=Path, default=default_ntrex_dir())
    parser.add_argument("--beams", type=int, default=1)
    parser.add_argument("--batch-articles", type=int, default=256)
    parser.add_argument("--no-rerun", action="store_true", help="skip the cached re-run")
    parser.add_argument("--no-scores", action="store_true", help="give no references")
    args = parser.parse_args(argv)

    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

    work = args.keep or Path(tempfile.mkdtemp(prefix="newsflow-overhead-"))
    try:
        if args.models:
            nllb, summarizer = args.models / "nllb", args.models / "summarizer"
        else:
            from tests.models import build_tiny_models

            nllb, summarizer = build_tiny_models(work / "models")
        inputs, references, output = work / "inputs", work / "references", work / "output"
        shutil.rmtree(inputs, ignore_errors=True)
        shutil.rmtree(references, ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
        write_articles(args.ntrex, args.articles, inputs, references)

        from newslib.config import RunConfig

        config = RunConfig(
            inputs=[inputs],
            output=output,
            references=None if args.no_scores else references,
            model=str(nllb),
            summarizer=str(summarizer),
            beams=args.beams,
            batch_articles=args.batch_articles,
        )
        load_before = os.getloadavg()[0]
        first = report("first run", run_once(config))
        result = {"articles": args.articles, "outside_ms_per_article": round(first, 2)}
        if not args.no_rerun:
            again = report("re-run (all cached)", run_once(config))
            result["rerun_outside_ms_per_article"] = round(again, 2)
        # Other work on the machine slows everything down: say how busy it was.
        result |= {"cpus": os.cpu_count(), "load_average": [load_before, os.getloadavg()[0]]}
        print(json.dumps(result))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
