"""The `runs/` row of a run, and the small summary the command prints at its end."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newslib.config import RunConfig
from newslib.engines.spec import EngineSpec
from newslib.output.revision import package_versions
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


def run_row(
    config: RunConfig,
    spec: EngineSpec,
    run_id: str,
    started: datetime,
    articles: list[Row],
    n_segments: int,
    model_seconds: float,
    fingerprint: str,
) -> Row:
    finished = datetime.now(UTC)
    n_failed = sum(a["status"] != "ok" for a in articles)
    return {
        "run_id": run_id,
        "started_at": started,
        "finished_at": finished,
        "wall_seconds": (finished - started).total_seconds(),
        "model_seconds": model_seconds,
        "config_json": config.model_dump_json(),
        "fingerprint": fingerprint,
        "model": config.model,
        "model_revision": spec.translator.revision,
        "summarizer": config.summarizer if spec.summarizer else None,
        "summarizer_revision": spec.summarizer.revision if spec.summarizer else None,
        "backend": spec.backend,
        "device": spec.device,
        "packages_json": json.dumps(package_versions(), sort_keys=True),
        "n_articles": len(articles),
        "n_ok": len(articles) - n_failed,
        "n_failed": n_failed,
        "n_cached": sum(bool(a.get("cached")) for a in articles),
        "n_segments": n_segments,
    }


def run_summary(run: Row, articles: list[Row], scores: list[Row]) -> Row:
    """What the command line prints at the end: small and JSON-friendly."""
    languages: dict[str, int] = {}
    for article in articles:
        if article["status"] == "ok":
            languages[article["source_lang"]] = languages.get(article["source_lang"], 0) + 1
    failures = [(a["source"], a["reason"]) for a in articles if a["status"] != "ok"]
    corpus = {s["metric"]: s["score"] for s in scores if s["level"] == "corpus"}
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
        "languages": languages,
        "failures": failures,
        "corpus_scores": corpus,
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
