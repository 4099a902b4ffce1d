"""Translation speed benchmark: `python -m benchmarks.bench [--quick] [--device cpu|cuda]`.

Builds the NLLB-200-distilled-600M architecture with random weights (cached after the first
run; the cost of a forward pass does not depend on the weights) and a tokenizer trained on
NTREX text, then translates the same NTREX documents in Malay, Bengali and Arabic with every
configuration, forcing every segment to exactly the same number of output tokens, so all do
identical work:

- `naive`: what most users write from the model card: transformers, float32, one segment at
  a time (the baseline);
- `transformers`: newsflow's TransformersTranslator (length-sorted token-budget batches;
  bfloat16/float16 on GPU);
- `ctranslate2`: newsflow's CTranslate2Translator (int8 on CPU, float16 on GPU);
- `ctranslate2+vocab`: the same, decoding over the English target vocabulary only.

Each configuration runs in a process of its own (its peak memory is its own); they take turns
on the same chunks (one language and beam size at a time, in rotating order), so a slow spell
of the machine hits them all alike. Prints segments/s, output tokens/s, peak memory and each
configuration's ratio to the baseline of the same run, and writes the table as Markdown and JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.bench_model import build_model_dir, load_documents
from benchmarks.bench_report import Settings, Tally, environment, markdown, table_rows
from benchmarks.bench_worker import (
    CTRANSLATE2,
    CTRANSLATE2_PLAIN,
    CTRANSLATE2_VOCAB,
    KINDS,
    NAIVE,
    RunResult,
    WorkerOptions,
    serve,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TOKEN_BUDGET = 4096  # newsflow's default --token-budget


def default_ntrex_dir() -> Path:
    shared = Path(os.environ.get("NEWSFLOW_SHARED_DIR", REPO_ROOT.parent / "shared"))
    return shared / "data" / "ntrex128"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def resolve_device(device: str) -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def available_configs(device: str, wanted: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(configs to run, notes on configs skipped)."""
    from newslib.engines.spec import ctranslate2_usable

    notes = []
    configs = list(wanted)
    if not ctranslate2_usable(device):
        for kind in (CTRANSLATE2, CTRANSLATE2_VOCAB, CTRANSLATE2_PLAIN):
            if kind in configs:
                configs.remove(kind)
                notes.append(f"{kind} skipped: CTranslate2 cannot run on {device} here")
    return configs, notes


def build_in_subprocess(ntrex_dir: Path) -> Path:
    """The benchmark model (built once, cached), in a process of its own: building it takes
    several GB that this process, the parent of every configuration, should not keep."""
    context = mp.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_build, args=(child, str(ntrex_dir)))
    process.start()
    child.close()
    try:
        path = Path(parent.recv())
    except EOFError:  # it died before answering
        path = Path()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"building the benchmark model failed (exit code {process.exitcode})")
    return path


def _build(conn: Any, ntrex_dir: str) -> None:
    conn.send(str(build_model_dir(Path(ntrex_dir), log=log)))


def convert_in_subprocess(model_dir: Path, device: str) -> None:
    """Convert the model for CTranslate2 once, in a process of its own (its memory is not
    any configuration's)."""
    context = mp.get_context("spawn")
    process = context.Process(target=_convert, args=(str(model_dir), device))
    process.start()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"CTranslate2 conversion failed (exit code {process.exitcode})")


def _convert(model_dir: str, device: str) -> None:
    from newslib.engines.ct2_translator import QUANTIZATION, convert
    from newslib.engines.models import ModelSource
    from newslib.output.revision import local_model_revision

    source = ModelSource(model_dir, True, local_model_revision(Path(model_dir)))
    convert(source, QUANTIZATION[device], "eng_Latn")


class Worker:
    def __init__(self, options: WorkerOptions) -> None:
        context = mp.get_context("spawn")
        self.kind = options.kind
        self.conn, child = context.Pipe()
        self.process = context.Process(target=serve, args=(child, options), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self) -> tuple[float, int]:
        message = self.conn.recv()
        if message[0] != "ready":
            raise RuntimeError(f"{self.kind} failed to start: {message[1]}")
        return float(message[1]), int(message[2])

    def run(self, texts: list[str], lang: str, beams: int, n_tokens: int) -> RunResult:
        self.conn.send((texts, lang, beams, n_tokens))
        message = self.conn.recv()
        if message[0] != "result":
            raise RuntimeError(f"{self.kind} failed: {message[1]}")
        result: RunResult = message[1]
        return result

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()


def chunks_of(settings: Settings, ntrex_dir: Path) -> dict[str, list[str]]:
    documents = load_documents(ntrex_dir, settings.documents)
    chunks = {}
    for lang, segments in documents.items():
        texts = [s.text for s in segments]
        if settings.segments_per_language:
            texts = texts[: settings.segments_per_language]
        chunks[lang] = texts
    return chunks


def measure(settings: Settings, model_dir: Path, chunks: dict[str, list[str]]) -> dict[str, Any]:
    """Run every configuration on every chunk, interleaved; the tallies and load facts."""
    configs = list(settings.configs)
    if any(kind.startswith(CTRANSLATE2) for kind in configs):
        log("converting for CTranslate2 (cached after the first run)")
        convert_in_subprocess(model_dir, settings.device)
    workers: dict[str, Worker] = {}
    load: dict[str, dict[str, float]] = {}
    try:
        log(f"loading {', '.join(configs)}")
        for kind in configs:  # all at once: loading is not what is measured
            options = WorkerOptions(kind, str(model_dir), settings.device, settings.token_budget)
            workers[kind] = Worker(options)
        for kind in configs:
            seconds, memory = workers[kind].wait_ready()
            load[kind] = {"seconds": seconds, "memory_bytes": memory}
        warm = next(iter(chunks.values()))[:2]
        for kind in configs:
            for beams in settings.beams:
                workers[kind].run(warm, next(iter(chunks)), beams, 4)
        tallies = {(kind, beams): Tally() for kind in configs for beams in settings.beams}
        turn = 0
        for round_index in range(settings.rounds):
            for lang, texts in chunks.items():
                for beams in settings.beams:
                    order = configs[turn % len(configs) :] + configs[: turn % len(configs)]
                    turn += 1
                    for kind in order:
                        part = texts
                        if kind == NAIVE and settings.baseline_segments:
                            part = texts[: settings.baseline_segments]
                        result = workers[kind].run(part, lang, beams, settings.n_tokens)
                        tallies[kind, beams].add(result)
                        log(
                            f"round {round_index + 1}/{settings.rounds} {lang} beams={beams} "
                            f"{kind}: {result.segments / result.seconds:.2f} segments/s"
                        )
    finally:
        for worker in workers.values():
            worker.stop()
    return {"tallies": tallies, "load": load}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run (under 5 min, 2 CPUs)")
    parser.add_argument(
        "--pipeline", action="store_true", help="whole articles end to end (see --pipeline -h)"
    )
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--documents", type=int, help="NTREX documents per language")
    parser.add_argument("--segments", type=int, help="at most this many segments per language")
    parser.add_argument("--tokens", type=int, help="output tokens forced per segment")
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--configs", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--rounds", type=int, help="passes over the documents")
    parser.add_argument("--token-budget", type=int, help="newsflow's --token-budget")
    parser.add_argument(
        "--baseline-segments",
        type=int,
        help="the baseline translates only the first N segments of each chunk (default: all "
        "on CPU, 24 on GPU, where one-at-a-time is too slow for thousands)",
    )
    parser.add_argument(
        "--omp-wait-policy",
        choices=["passive", "active", "unset"],
        default="passive",
        help="OMP_WAIT_POLICY of every configuration (default passive: on a machine shared with "
        "other work, spinning OpenMP threads slow torch down several times, CTranslate2 less, "
        "which would distort the ratios; an OMP_WAIT_POLICY already set is kept)",
    )
    parser.add_argument("--ntrex", type=Path, default=None, help="NTREX-128 directory")
    parser.add_argument("--model-dir", type=Path, help="a prebuilt model directory to use")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "output" / "bench")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace, device: str) -> Settings:
    gpu = device == "cuda"
    if args.quick:
        documents, segments, tokens, rounds = (8, 0, 40, 1) if gpu else (1, 5, 16, 1)
    else:
        documents, segments, tokens, rounds = (40, 0, 40, 1) if gpu else (2, 0, 32, 1)
    return Settings(
        device=device,
        documents=args.documents or documents,
        segments_per_language=args.segments if args.segments is not None else segments,
        n_tokens=args.tokens or tokens,
        beams=tuple(args.beams),
        configs=tuple(args.configs),
        rounds=args.rounds or rounds,
        token_budget=args.token_budget or (32768 if gpu else DEFAULT_TOKEN_BUDGET),
        baseline_segments=(
            args.baseline_segments if args.baseline_segments is not None else (24 if gpu else 0)
        ),
    )


def run_pipeline(argv: list[str]) -> int:
    from benchmarks.pipeline import main as pipeline_main  # it imports this module

    return pipeline_main(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--pipeline" in argv:  # the whole article, end to end
        return run_pipeline([a for a in argv if a != "--pipeline"])
    args = parse_args(argv)
    started = time.perf_counter()
    device = resolve_device(args.device)
    settings = settings_from(args, device)
    configs, notes = available_configs(device, settings.configs)
    if NAIVE not in configs:
        notes.append("no baseline in this run: no ratios")
    settings = Settings(**{**asdict(settings), "configs": tuple(configs)})
    ntrex_dir = args.ntrex or default_ntrex_dir()
    if not (ntrex_dir / "DOCUMENT_IDS.tsv").is_file():
        print(f"NTREX-128 not found at {ntrex_dir} (--ntrex, NEWSFLOW_SHARED_DIR)", file=sys.stderr)
        return 2
    model_dir = args.model_dir or build_in_subprocess(ntrex_dir)
    chunks = chunks_of(settings, ntrex_dir)
    log(
        f"{device}: {', '.join(configs)}; beams {list(settings.beams)}; "
        f"{sum(map(len, chunks.values()))} segments x {settings.rounds} round(s), "
        f"{settings.n_tokens} output tokens each"
    )
    if args.omp_wait_policy != "unset":  # inherited by the worker processes
        os.environ.setdefault("OMP_WAIT_POLICY", args.omp_wait_policy.upper())
    load_before = os.getloadavg()
    measured = measure(settings, model_dir, chunks)
    rows = table_rows(settings, measured["tallies"])
    table = markdown(rows, device)
    command = "python -m benchmarks.bench " + " ".join(argv)
    report = {
        "command": command.strip(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "device": device,
        "settings": asdict(settings),
        "environment": environment(device),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "load_average_before_after": [load_before, os.getloadavg()],
        "load": measured["load"],
        "rows": rows,
        "notes": notes,
        "wall_seconds": time.perf_counter() - started,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"bench-{device}{'-quick' if args.quick else ''}"
    (args.out / f"{stem}.md").write_text(table, encoding="utf-8")
    (args.out / f"{stem}.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(table)
    for note in notes:
        print(f"note: {note}")
    bad = [f"{r['configuration']} beams={r['beams']}" for r in rows if not r["identical_work"]]
    if bad:
        print(f"warning: output length not forced for {', '.join(bad)}")
    print(
        f"{settings.n_tokens} output tokens per segment; wall time {report['wall_seconds']:.0f} s; "
        f"load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f}; "
        f"written to {args.out / stem}.md and .json"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
