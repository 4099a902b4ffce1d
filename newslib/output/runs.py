"""The `runs/` row of a run, and the small summary the command prints at its end."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from newslib.config import RunConfig
from newslib.engines.spec import EngineSpec
from newslib.output.revision import package_versions
from newslib.output.schema import FLAGS
from newslib.output.staging import BatchOutcome

Row = dict[str, Any]


@dataclass(frozen=True)
class RunStart:
    """What a run settled before any work: its id, engines, result-cache key and folders."""

    run_id: str
    started: datetime
    spec: EngineSpec
    key: str  # the result cache key (`newslib.output.cache.result_key`)
    staging: str  # <output>/_staging/<run_id>
    cache_dir: str  # <output>/_cache/<key>


def new_run_id(started: datetime) -> str:
    return f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


@dataclass
class RunTally:
    """Counts of a run, added up batch by batch as its rows are written (no rows kept)."""

    n_articles: int = 0
    n_ok: int = 0
    n_cached: int = 0
    n_segments: int = 0
    n_translated: int = 0
    n_repaired: int = 0
    languages: dict[str, int] = field(default_factory=dict)  # ok articles per language
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    flags: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FLAGS, 0))

    def add(self, articles: list[Row], segments: list[Row]) -> None:
        self.n_articles += len(articles)
        self.n_segments += len(segments)
        for article in articles:
            self.n_cached += bool(article.get("cached"))
            if article["status"] == "ok":
                self.n_ok += 1
                lang = article["source_lang"]
                self.languages[lang] = self.languages.get(lang, 0) + 1
            else:
                self.failures.append((article["source"], article["reason"]))
        for segment in segments:
            self.n_translated += bool(segment.get("translated"))
            self.n_repaired += segment.get("repair") is not None
            for name in FLAGS:
                self.flags[name] += bool(segment.get(f"flag_{name}"))

    @property
    def repair_rate(self) -> float:
        return self.n_repaired / self.n_translated if self.n_translated else 0.0


def run_row(config: RunConfig, run: RunStart, tally: RunTally, model_seconds: float) -> Row:
    """The run's `runs/` row, but for `files_json` (the writer's, once the files exist)."""
    finished = datetime.now(UTC)
    spec = run.spec
    return {
        "run_id": run.run_id,
        "started_at": run.started,
        "finished_at": finished,
        "wall_seconds": (finished - run.started).total_seconds(),
        "model_seconds": model_seconds,
        "config_json": config.model_dump_json(),
        "fingerprint": run.key,
        "model": config.model,
        "model_revision": spec.translator.revision,
        "summarizer": config.summarizer if spec.summarizer else None,
        "summarizer_revision": spec.summarizer.revision if spec.summarizer else None,
        "backend": spec.backend,
        "device": spec.device,
        "packages_json": json.dumps(package_versions(), sort_keys=True),
        "n_articles": tally.n_articles,
        "n_ok": tally.n_ok,
        "n_failed": tally.n_articles - tally.n_ok,
        "n_cached": tally.n_cached,
        "n_segments": tally.n_segments,
        "n_repaired": tally.n_repaired,
        "repair_rate": tally.repair_rate,
    }


def run_summary(run: Row, tally: RunTally, corpus_scores: dict[str, float]) -> Row:
    """What the command line prints at the end: small and JSON-friendly."""
    keys = (
        "run_id",
        "n_articles",
        "n_ok",
        "n_failed",
        "n_cached",
        "n_segments",
        "wall_seconds",
        "model_seconds",
    )
    return {
        **{k: run[k] for k in keys},
        "languages": tally.languages,
        "failures": tally.failures,
        "corpus_scores": corpus_scores,
        "flags": tally.flags,
        "n_repaired": tally.n_repaired,
        "repair_rate": tally.repair_rate,
    }


def worker_report(outcomes: list[BatchOutcome]) -> dict[str, dict[str, int]]:
    """Per process that did model work (host:pid): its batches and the models it loaded."""
    workers: dict[str, dict[str, int]] = {}
    for outcome in outcomes:
        if outcome.worker is not None:
            seen = workers.setdefault(outcome.worker, {"batches": 0, "model_loads": 0})
            seen["batches"] += 1
            seen["model_loads"] = max(seen["model_loads"], outcome.model_loads)
    return workers
