"""The newsflow flow: articles in, Parquet out. Orchestration only; the work is in `tasks/`.

`translate_news` looks every input up in the result cache, prepares the others batch by batch,
hands each batch to a task runner as soon as it is ready (so preparing the next batch overlaps
with the model work on this one), and writes the four datasets. The runner is chosen per run
from the configuration: a single thread in this process (`thread`), or a Dask cluster through
prefect-dask (`dask`), in which case the model work runs as a subflow whose task runner is the
cluster, so one deployment serves both.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.exceptions import FailedRun
from prefect.futures import PrefectFuture
from prefect.states import Failed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from newslib.checks.flags import flag_counts, repair_stats
from newslib.config import RunConfig
from newslib.engines.models import (
    ModelUnavailableError,
    load_tokenizer,
    resolve_device,
    resolve_model,
)
from newslib.engines.spec import EngineSpec, resolve_backend, restrict_vocab_for
from newslib.output.cache import (
    CACHE_DIR,
    claim_staging,
    clean_abandoned_runs,
    discard_unfinished,
    result_key,
)
from newslib.output.revision import package_versions
from newslib.output.verify import check_output
from newslib.output.write import write_run
from newslib.progress import Heartbeat
from tasks.steps import (
    POSITION,
    BatchOutcome,
    Plan,
    device_tag,
    fail_batch,
    load_models,
    plan_inputs,
    prepare_batch,
    process_batch,
    read_rows,
    score_articles,
    write_rows,
)
from tasks.stopping import stop_on_signal


class _NoTracebackForAReturnedFailure(logging.Filter):
    """Prefect's process engine logs a traceback for every failed flow run, also for one that
    returned its Failed state on purpose (a missing model), whose message already says it all.
    Only that case raises FailedRun there; every other failure keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], FailedRun))


logging.getLogger("prefect.flow_runs").addFilter(_NoTracebackForAReturnedFailure())


def resolve_engines(config: RunConfig) -> EngineSpec:
    """Check the models can be had and the device exists, before any work starts."""
    device = resolve_device(config.device)
    backend = resolve_backend(config.backend, device)
    return EngineSpec(
        translator=resolve_model(config.model, "translation"),
        summarizer=resolve_model(config.summarizer, "summarization") if config.summarize else None,
        device=device,
        backend=backend,
        target_lang=config.target_lang,
        beams=config.beams,
        token_budget=config.token_budget,
        restrict_vocab=restrict_vocab_for(backend, config.restrict_vocab),
        summary_max_chunks=config.summary_max_chunks,
    )


def new_run_id(started: datetime) -> str:
    return f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def run_row(
    config: RunConfig,
    spec: EngineSpec,
    run_id: str,
    started: datetime,
    articles: list[dict[str, Any]],
    n_segments: int,
    model_seconds: float,
    fingerprint: str,
) -> dict[str, Any]:
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


def run_summary(
    run: dict[str, Any], articles: list[dict[str, Any]], scores: list[dict[str, Any]]
) -> dict[str, Any]:
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


def thread_runner() -> TaskRunner[Any]:
    """One batch at a time in this process (the translator serializes model calls anyway)."""
    return ThreadPoolTaskRunner(max_workers=1)


def model_task_runner(config: RunConfig) -> TaskRunner[Any]:
    """The runner of the model work: one thread here, or a Dask cluster through prefect-dask."""
    if config.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if config.dask_address:
            return DaskTaskRunner(address=config.dask_address)
        # Worker processes, one thread each: every process loads the models once and works on
        # one batch at a time. The dashboard (if bokeh is installed) listens on loopback only.
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": config.dask_workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": "127.0.0.1:0",
            }
        )
    return thread_runner()


def translate_batches(
    plan: Plan, config: RunConfig, spec: EngineSpec, cache_dir: str
) -> tuple[list[str], list[BatchOutcome]]:
    """Prepare each chunk of inputs here and hand its batch to the task runner at once, so that
    preparing the next chunk overlaps with the model work on this one.

    Returns the files of the articles rejected before any model, and one outcome per batch: a
    batch that still fails after its retry becomes failed rows with the reason, and the others
    go on.
    """
    logger = get_run_logger()
    work = process_batch.with_options(tags={device_tag(spec.device)})
    n_batches = len(plan.chunks)
    rejected: list[str] = []
    submitted = []
    if config.task_runner == "thread":
        # The runner's thread loads the models while this one prepares the first chunk. The
        # tokenizer first: two threads importing transformers at once can break its imports.
        load_tokenizer(spec.translator)
        load_models.submit(spec)
    for index, chunk in enumerate(plan.chunks):
        prepared = prepare_batch(chunk, index, config, spec)
        rejected.append(prepared.rejected)
        if prepared.batch is not None:
            future = work.submit(prepared.batch, spec, n_batches, cache_dir)
            submitted.append((prepared.batch, future))
    outcomes: list[BatchOutcome] = []
    for batch, future in submitted:
        wait_for(future)
        if future.state.is_completed():
            outcomes.append(future.result())
        else:
            reason = str(future.state.message or "unknown error")
            logger.error(f"batch {batch.index + 1} failed for good: {reason}")
            outcomes.append(fail_batch(batch, reason))
    return rejected, outcomes


def wait_for(future: PrefectFuture[Any]) -> None:
    """Wait for a batch in short steps. Python runs a signal handler (SIGTERM: stop the run) in
    the main thread only, and only while it runs Python: a signal the kernel delivers to a
    worker thread never wakes a wait without a timeout, which would last the whole batch."""
    wrapped = getattr(future, "wrapped_future", None)
    while wrapped is not None and not wrapped.done():
        future.wait(timeout=0.5)
    future.wait()


@flow(name="newsflow-model-work", validate_parameters=False)
def model_work(
    plan: Plan, config: RunConfig, spec: EngineSpec, cache_dir: str
) -> tuple[list[str], list[BatchOutcome]]:
    """`translate_batches` on the task runner given by `with_options` (a Dask cluster)."""
    return translate_batches(plan, config, spec, cache_dir)


def run_batches(
    plan: Plan, config: RunConfig, spec: EngineSpec, cache_dir: str
) -> tuple[list[str], list[BatchOutcome]]:
    if not plan.chunks:  # everything cached: no cluster, no model
        return [], []
    if config.task_runner == "thread":
        return translate_batches(plan, config, spec, cache_dir)
    runner = model_task_runner(config)
    return model_work.with_options(task_runner=runner)(plan, config, spec, cache_dir)


def _in_input_order(
    articles: list[dict[str, Any]],
    segments: list[dict[str, Any]],
    duplicates: list[tuple[int, dict[str, Any], str]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Articles in the order of the inputs (a repeated input copies its first occurrence's
    row: one row per input, its sentences once), and sentences in their articles' order."""
    by_id = {a["article_id"]: a for a in articles}
    for position, own, article_id in duplicates:
        articles.append(by_id[article_id] | own | {POSITION: position})
    articles.sort(key=lambda a: a[POSITION])
    first: dict[str, int] = {}
    for article in articles:
        first.setdefault(article["article_id"], article[POSITION])
    segments.sort(key=lambda s: (first[s["article_id"]], s["line_index"], s["segment_index"]))
    return articles, segments


def worker_report(outcomes: list[BatchOutcome]) -> dict[str, dict[str, int]]:
    """Per process that did model work (host:pid): its batches and the models it loaded."""
    workers: dict[str, dict[str, int]] = {}
    for outcome in outcomes:
        if outcome.worker is not None:
            seen = workers.setdefault(outcome.worker, {"batches": 0, "model_loads": 0})
            seen["batches"] += 1
            seen["model_loads"] = max(seen["model_loads"], outcome.model_loads)
    return workers


@flow(name="newsflow", task_runner=thread_runner(), validate_parameters=True)
def translate_news(config: RunConfig) -> dict[str, Any]:
    """Translate, summarize and score the articles of `config.inputs` into `config.output`."""
    logger = get_run_logger()
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    try:
        spec = resolve_engines(config)
    except ModelUnavailableError as error:
        # A returned state is the run's final state: a deployment's run fails with this one
        # message, not a traceback (a direct call raises it as an exception).
        logger.error(str(error))
        return Failed(message=str(error))  # type: ignore[return-value]
    output = Path(config.output)
    for dead in clean_abandoned_runs(output):
        logger.warning(f"removed what run {dead} left behind (its process died)")
    check_output(output)  # never add to a damaged output
    claim = claim_staging(output, run_id)
    key = result_key(config, spec)
    cache_dir = str(output / CACHE_DIR / key)
    logger.info(
        f"run {run_id}: {spec.backend} on {spec.device}, {config.task_runner} runner, "
        f"writing to {output}"
    )
    try:
        plan = plan_inputs(config, str(claim.staging), cache_dir)
        rejected, outcomes = run_batches(plan, config, spec, cache_dir)
        article_files = [plan.settled.articles, *rejected, *(o.files.articles for o in outcomes)]
        segment_files = [plan.settled.segments, *(o.files.segments for o in outcomes)]
        articles, segments = _in_input_order(
            [a for f in article_files for a in read_rows(f)],
            [s for f in segment_files for s in read_rows(f)],
            plan.duplicates,
        )
        scores: list[dict[str, Any]] = []
        if config.references:
            final = write_rows(articles, claim.staging / "final.articles.parquet")
            scores = score_articles(
                [final], str(config.references), config.inputs, config.alignment
            )
        model_seconds = sum(o.model_seconds for o in outcomes)
        run = run_row(config, spec, run_id, started, articles, len(segments), model_seconds, key)
        run |= repair_stats(segments)
        for row in (*articles, *segments, *scores):
            row["run_id"] = run_id
        with Heartbeat(
            f"writing {len(articles)} articles and {len(segments)} sentences", logger.info
        ):
            write_run(
                output,
                run_id,
                {"articles": articles, "segments": segments, "scores": scores, "runs": [run]},
            )
    except BaseException as error:
        stop_on_signal(error)  # SIGTERM: model work in other threads stops too
        discard_unfinished(output, run_id)  # no dataset file of a run without its runs/ row
        raise
    finally:
        claim.release()
    return {
        **run_summary(run, articles, scores),
        "flags": flag_counts(segments),
        "n_repaired": run["n_repaired"],
        "repair_rate": run["repair_rate"],
        "workers": worker_report(outcomes),
    }
