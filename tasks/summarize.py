"""Stage 4, summarize: a summary of every translated article; the batch's results are kept."""

from __future__ import annotations

import os
import socket
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.batch import summarize_articles
from newslib.engines.spec import EngineSpec, get_summarizer, get_translator
from newslib.output.cache import ResultCache
from newslib.output.staging import POSITION, BatchOutcome, read_rows, write_batch
from newslib.progress import ProgressLog
from tasks.stopping import should_retry


@task(
    name="summarize",
    cache_policy=NONE,
    retries=1,
    retry_delay_seconds=2,
    retry_condition_fn=should_retry,
)
def summarize_batch(
    translated: BatchOutcome, spec: EngineSpec, n_batches: int, cache_dir: str
) -> BatchOutcome:
    """Summarize one translated batch; store its results in staging and in the result cache."""
    batch = translated.files
    articles, segments = read_rows(batch.articles), read_rows(batch.segments)
    summarizer = get_summarizer(spec)
    model_seconds = translated.model_seconds
    if summarizer is not None:
        before = summarizer.model_seconds
        label = f"batch {batch.index + 1}/{n_batches}: summary chunks written"
        log = get_run_logger().info
        with ProgressLog(label, log) as summarized:
            summarize_articles(articles, summarizer, log, summarized)
        model_seconds += summarizer.model_seconds - before
    staging = Path(batch.articles).parent
    done = write_batch(staging, batch.index, "done", articles, segments)
    # The staging directory is named by the run id: cache entries are named by run and batch.
    cacheable = [{k: v for k, v in a.items() if k != POSITION} for a in articles]
    ResultCache(Path(cache_dir)).store(f"{staging.name}-b{batch.index:05d}", cacheable, segments)
    loads = get_translator.cache_info().misses + get_summarizer.cache_info().misses
    worker = f"{socket.gethostname()}:{os.getpid()}"
    return BatchOutcome(done, model_seconds, worker=worker, model_loads=loads)
