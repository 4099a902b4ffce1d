"""Stage 3, translate: every sentence of a batch, checked and repaired, joined into articles."""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.batch import assemble_articles, translate_segments, translate_titles
from newslib.engines.spec import EngineSpec, get_summarizer, get_translator
from newslib.output.staging import BatchFiles, BatchOutcome, read_rows, write_batch
from newslib.progress import Heartbeat, ProgressLog
from tasks.stopping import should_retry

# Model work is tagged with the device it runs on, so that a Prefect concurrency limit on the
# tag (`prefect concurrency-limit create gpu 1`) keeps two batches off one GPU at the same time.
DEVICE_TAGS = {"cuda": "gpu", "cpu": "cpu"}


def device_tag(device: str) -> str:
    return DEVICE_TAGS.get(device, device)


@task(name="load-models", cache_policy=NONE)
def load_models(spec: EngineSpec) -> None:
    """Load this process's models ahead of the first batch (they stay loaded for every batch).

    Only a head start: if loading fails here, the first batch loads them (and reports why)."""
    logger = get_run_logger()
    try:
        with Heartbeat(f"loading the models ({spec.backend} on {spec.device})", logger.info):
            get_translator(spec)
            get_summarizer(spec)
    except Exception as error:
        logger.warning(f"models will load with the first batch: {error!r}")


@task(
    name="translate",
    cache_policy=NONE,
    retries=1,
    retry_delay_seconds=2,
    retry_condition_fn=should_retry,
)
def translate_batch(batch: BatchFiles, spec: EngineSpec, n_batches: int) -> BatchOutcome:
    """Translate, check and repair every sentence of one batch; join them into articles."""
    articles, segments = read_rows(batch.articles), read_rows(batch.segments)
    translator = get_translator(spec)
    before = translator.model_seconds
    log = get_run_logger().info
    label = f"batch {batch.index + 1}/{n_batches}"
    with (
        ProgressLog(f"{label}: sentences translated", log) as translated,
        ProgressLog(f"{label}: flagged sentences repaired", log) as repaired,
    ):
        translate_segments(segments, translator, translated, repaired)
    assemble_articles(articles, segments)
    translate_titles(articles, translator, spec.target_lang)
    staging = Path(batch.articles).parent
    done = write_batch(staging, batch.index, "translated", articles, segments)
    return BatchOutcome(done, translator.model_seconds - before)
