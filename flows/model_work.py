"""The model work of a run, on the task runner the configuration names.

Every run goes the same way: a subflow whose task runner is one thread in this process
(`thread`) or a Dask cluster through prefect-dask (`dask`). The flow prepares each chunk of
inputs and hands its batch to the runner at once, so preparing the next chunk overlaps with the
model work on this one.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from newslib.config import RunConfig
from newslib.engines.models import load_tokenizer
from newslib.output.runs import RunStart
from newslib.output.staging import (
    BatchFiles,
    BatchOutcome,
    Chunk,
    ChunkResult,
    Plan,
    failed_batch,
)
from tasks.prepare import prepare_batch
from tasks.summarize import summarize_batch
from tasks.translate import device_tag, load_models, translate_batch


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


def run_model_work(plan: Plan, config: RunConfig, run: RunStart) -> list[ChunkResult]:
    """`translate_batches` on the configured task runner; nothing to do, no runner at all."""
    if not plan.n_todo:  # everything cached: no cluster, no model
        return [ChunkResult(chunk, None, None) for chunk in plan.chunks]
    runner = model_task_runner(config)
    return model_work.with_options(task_runner=runner)(plan, config, run)


@flow(name="newsflow-model-work", validate_parameters=False)
def model_work(plan: Plan, config: RunConfig, run: RunStart) -> list[ChunkResult]:
    """Prepare, translate and summarize every chunk of inputs (see `translate_batches`)."""
    return translate_batches(plan, config, run)


def translate_batches(plan: Plan, config: RunConfig, run: RunStart) -> list[ChunkResult]:
    """One result per chunk: the files of its articles rejected before any model, and the
    outcome of its batch. A batch that still fails after its retry becomes failed rows with
    the reason, and the others go on."""
    spec, tags = run.spec, {device_tag(run.spec.device)}
    n_batches = len(plan.chunks)  # chunks all cached need no model, and log nothing here
    # The runner loads the models while this thread prepares the first chunk. The tokenizer
    # first: two threads importing transformers at once can break its imports.
    load_tokenizer(spec.translator)
    load_models.with_options(tags=tags).submit(spec)
    submitted: list[tuple[Chunk, str | None, tuple[BatchFiles, Any, Any] | None]] = []
    for chunk in plan.chunks:
        if not chunk.n_todo:
            submitted.append((chunk, None, None))
            continue
        prepared = prepare_batch(chunk.inputs, chunk.index, config, spec)
        futures = None
        if prepared.batch is not None:
            translated = translate_batch.with_options(tags=tags).submit(
                prepared.batch, spec, n_batches
            )
            # The translated batch's future: the runner starts the summary once it is done.
            done = summarize_batch.with_options(tags=tags).submit(
                translated,  # type: ignore[call-overload]
                spec,
                n_batches,
                run.cache_dir,
            )
            futures = (prepared.batch, translated, done)
        submitted.append((chunk, prepared.rejected, futures))
    return [
        ChunkResult(chunk, rejected, outcome_of(*futures) if futures else None)
        for chunk, rejected, futures in submitted
    ]


def outcome_of(
    batch: BatchFiles, translated: PrefectFuture[Any], done: PrefectFuture[BatchOutcome]
) -> BatchOutcome:
    """The batch's result, or its articles as failed rows with the reason of the failure."""
    for future in (translated, done):
        wait_for(future)
        if not future.state.is_completed():
            reason = str(future.state.message or "unknown error")
            get_run_logger().error(f"batch {batch.index + 1} failed for good: {reason}")
            return failed_batch(batch, reason)
    return done.result()


def wait_for(future: PrefectFuture[Any]) -> None:
    """Wait for a batch in short steps. Python runs a signal handler (SIGTERM: stop the run) in
    the main thread only, and only while it runs Python: a signal the kernel delivers to a
    worker thread never wakes a wait without a timeout, which would last the whole batch."""
    wrapped = getattr(future, "wrapped_future", None)
    while wrapped is not None and not wrapped.done():
        future.wait(timeout=0.5)
    future.wait()
