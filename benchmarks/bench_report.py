"""The benchmark's table: each configuration's rates and its ratios to the baseline (the naive
loop) and to the plain CTranslate2 call of the same run and beam size."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from typing import Any

from benchmarks.bench_worker import CTRANSLATE2_PLAIN, NAIVE, RunResult


@dataclass(frozen=True)
class Settings:
    device: str
    documents: int  # NTREX documents per language
    segments_per_language: int  # 0: every segment of those documents
    n_tokens: int  # output tokens forced per segment
    beams: tuple[int, ...]
    configs: tuple[str, ...]
    rounds: int
    token_budget: int
    baseline_segments: int  # 0: the baseline translates every chunk in full


@dataclass
class Tally:
    seconds: float = 0.0
    segments: int = 0
    out_tokens: int = 0
    exact: bool = True
    peak_bytes: int = 0
    chunk_rates: list[float] = field(default_factory=list)

    def add(self, result: RunResult) -> None:
        self.seconds += result.seconds
        self.segments += result.segments
        self.out_tokens += result.out_tokens
        self.exact = self.exact and result.exact
        self.peak_bytes = max(self.peak_bytes, result.peak_bytes)
        self.chunk_rates.append(result.segments / max(result.seconds, 1e-9))


def table_rows(settings: Settings, tallies: dict[tuple[str, int], Tally]) -> list[dict[str, Any]]:
    rows = []
    for beams in settings.beams:
        base = tallies.get((NAIVE, beams))
        for kind in settings.configs:
            tally = tallies[kind, beams]
            rate = tally.segments / tally.seconds
            row: dict[str, Any] = {
                "configuration": kind,
                "beams": beams,
                "segments": tally.segments,
                "seconds": round(tally.seconds, 3),
                "segments_per_s": rate,
                "out_tokens_per_s": tally.out_tokens / tally.seconds,
                "peak_memory_bytes": tally.peak_bytes,
                "identical_work": tally.exact,
                "speed_vs_baseline": None,
                "memory_vs_baseline": None,
            }
            if base is not None:
                row["speed_vs_baseline"] = rate / (base.segments / base.seconds)
                row["memory_vs_baseline"] = tally.peak_bytes / max(base.peak_bytes, 1)
            plain = tallies.get((CTRANSLATE2_PLAIN, beams))
            row["speed_vs_ctranslate2_plain"] = (
                None if plain is None else rate / (plain.segments / plain.seconds)
            )
            rows.append(row)
    return rows


def markdown(rows: list[dict[str, Any]], device: str) -> str:
    memory = "peak GPU memory" if device == "cuda" else "peak memory (RSS)"
    lines = [
        f"| configuration | beams | segments | segments/s | output tokens/s | {memory} "
        "| speed vs baseline | memory vs baseline | speed vs ctranslate2-plain |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        speed = row["speed_vs_baseline"]
        mem = row["memory_vs_baseline"]
        plain = row["speed_vs_ctranslate2_plain"]
        lines.append(
            f"| {row['configuration']} | {row['beams']} | {row['segments']} "
            f"| {row['segments_per_s']:.2f} | {row['out_tokens_per_s']:.1f} "
            f"| {row['peak_memory_bytes'] / 2**30:.2f} GiB "
            f"| {'-' if speed is None else f'{speed:.2f}x'} "
            f"| {'-' if mem is None else f'{mem:.2f}x'} "
            f"| {'-' if plain is None else f'{plain:.2f}x'} |"
        )
    return "\n".join(lines) + "\n"


def environment(device: str) -> dict[str, Any]:
    from importlib import metadata

    versions = {}
    for name in ("torch", "transformers", "ctranslate2", "tokenizers"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    info: dict[str, Any] = {
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "packages": versions,
    }
    if device == "cuda":
        import torch

        info["gpu"] = torch.cuda.get_device_name(0)
    return info
