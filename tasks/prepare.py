"""Stage 2, prepare: clean, detect the language of, and segment a chunk of inputs."""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.config import RunConfig
from newslib.engines.models import load_tokenizer
from newslib.engines.spec import EngineSpec
from newslib.inputs.ingest import RawArticle
from newslib.output.staging import POSITION, PreparedBatch, batch_file, read_rows, write_batch
from newslib.output.staging import write_rows as write_staged
from newslib.progress import Heartbeat, ProgressLog
from newslib.text.detect import load_latin_script_models
from newslib.text.prepare import prepare_article


@task(name="prepare", cache_policy=NONE)
def prepare_batch(chunk: str, index: int, config: RunConfig, spec: EngineSpec) -> PreparedBatch:
    """Clean, detect and segment a chunk of inputs; write the batch that needs models."""
    tokenizer = load_tokenizer(spec.translator)

    def count_tokens(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    if config.source_lang is None and not load_latin_script_models.cache_info().currsize:
        what = "loading the language detector's models (lingua; no other line until it is done)"
        with Heartbeat(what, get_run_logger().info):
            load_latin_script_models()
    articles, segments, failed = [], [], []
    inputs = read_rows(chunk)
    label = f"batch {index + 1}: articles prepared (clean, detect, segment)"
    with ProgressLog(label, get_run_logger().info, len(inputs)) as progress:
        for done, row in enumerate(inputs, start=1):
            position = row.pop(POSITION)
            article, rows = prepare_article(
                RawArticle(**row),
                source_lang=config.source_lang,
                target_lang=config.target_lang,
                count_tokens=count_tokens,
                max_segment_tokens=config.max_segment_tokens,
            )
            article |= {"cached": False, POSITION: position}
            if article["status"] == "ok":
                articles.append(article)
                segments.extend(rows)
            else:
                failed.append(article)
            progress(done)
    staging = Path(chunk).parent
    batch = write_batch(staging, index, "prepared", articles, segments) if articles else None
    return PreparedBatch(batch, write_staged(failed, batch_file(staging, index, "rejected")))
