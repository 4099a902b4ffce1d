"""The Prefect tasks of a run: thin wrappers that move files between the plain functions.

Tasks exchange paths and small records only (never models or tables): the work in progress of
a run lives as Parquet files in `<output>/_staging/<run_id>/`, which readers of the datasets
never see and which is removed when the run has been written. Finished batches also go to the
result cache (`newslib/output/cache.py`), which is what later runs reuse and what survives a crash.
"""

from __future__ import annotations

import os
import socket
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.batch import (
    assemble_articles,
    summarize_articles,
    translate_segments,
    translate_titles,
)
from newslib.config import RunConfig
from newslib.engines.models import load_tokenizer
from newslib.engines.spec import EngineSpec, get_summarizer, get_translator
from newslib.inputs.article import identity
from newslib.inputs.ingest import RawArticle, ingest
from newslib.inputs.references import load_references, match_reference, unused_references
from newslib.inputs.tables import TableColumns
from newslib.output.cache import ResultCache
from newslib.progress import Heartbeat, ProgressLog
from newslib.scoring.score import aligned_documents, score_documents
from newslib.text.detect import load_latin_script_models
from newslib.text.prepare import prepare_article
from tasks.stopping import should_retry

Row = dict[str, Any]

# Model work is tagged with the device it runs on, so that a Prefect concurrency limit on the
# tag (`prefect concurrency-limit create gpu 1`) keeps two batches off one GPU at the same time.
DEVICE_TAGS = {"cuda": "gpu", "cpu": "cpu"}

# Staging rows carry the article's position among the inputs, so that the written datasets
# keep the input order; the writer keeps only the documented columns, so it never reaches disk.
POSITION = "input_index"


@dataclass(frozen=True)
class BatchFiles:
    """A batch of articles and their sentences, as two staging files."""

    index: int
    articles: str
    segments: str


@dataclass(frozen=True)
class BatchOutcome:
    files: BatchFiles
    model_seconds: float
    error: str | None = None
    worker: str | None = None  # host:pid of the process that did the model work
    model_loads: int = 0  # models that process had loaded so far (1 or 2 when loaded once)


@dataclass(frozen=True)
class Plan:
    """What `plan_inputs` found: inputs still to prepare (in chunks), and reused rows."""

    chunks: list[str]  # staging files of raw inputs, `batch_articles` each
    settled: BatchFiles  # rows reused from the result cache
    n_inputs: int
    n_cached: int
    # Inputs whose content already appears earlier in the run: (position, the input's own
    # columns (source, url, ...: `newslib.inputs.article.identity`), article id).
    duplicates: list[tuple[int, dict[str, Any], str]] = field(default_factory=list)


@dataclass(frozen=True)
class PreparedBatch:
    """A chunk of inputs after cleaning, detection and segmentation."""

    batch: BatchFiles | None  # the articles that need models (None when there are none)
    rejected: str  # staging file of the articles that failed before any model


def read_rows(path: str) -> list[Row]:
    return pq.read_table(path).to_pylist() if Path(path).stat().st_size else []


def write_rows(rows: list[Row], path: Path) -> str:
    if rows:
        pq.write_table(pa.Table.from_pylist(rows), path)
    else:
        path.write_bytes(b"")
    return str(path)


def device_tag(device: str) -> str:
    return DEVICE_TAGS.get(device, device)


def _reuse(
    cache: ResultCache, hits: list[tuple[int, RawArticle]]
) -> tuple[list[Row], list[Row], list[tuple[int, RawArticle]]]:
    """Rows of cached articles, as this run's: its source and position, marked cached; and the
    hits whose cache entry turned out damaged (discarded: they are to be redone)."""
    articles, segments, damaged = cache.fetch(raw.article_id for _, raw in hits)
    article_rows, segment_rows, redo = [], [], []
    for position, raw in hits:
        if raw.article_id in damaged:
            redo.append((position, raw))
            continue
        row = dict(articles[raw.article_id])
        row |= identity(raw) | {"cached": True, POSITION: position}
        article_rows.append(row)
        segment_rows.extend(segments.get(raw.article_id, []))
    return article_rows, segment_rows, redo


def table_columns(config: RunConfig) -> TableColumns:
    """Where table inputs keep each article column, as the run's options name them."""
    return TableColumns(
        text=config.text_column,
        id=config.id_column,
        html=config.html_column,
        title=config.title_column,
        url=config.url_column,
        published_at=config.date_column,
        author=config.author_column,
        site=config.site_column,
    )


@task(name="plan", cache_policy=NONE)
def plan_inputs(config: RunConfig, staging: str, cache_dir: str) -> Plan:
    """Read every input and look it up in the result cache; write the rest in chunks.

    Cached articles go to one `settled` file and never reach a model; a repeated input (same
    content) is noted once and copied from its first occurrence at the end.
    """
    logger = get_run_logger()
    skipped: Counter[str] = Counter()
    raws = list(
        ingest(
            config.inputs,
            text_column=config.text_column,
            id_column=config.id_column,
            max_bytes=config.max_file_bytes,
            follow_symlinks=config.follow_symlinks,
            columns=table_columns(config),
            skipped=skipped,
        )
    )
    if skipped:
        why = ", ".join(f"{count} {reason}" for reason, count in sorted(skipped.items()))
        logger.info(f"web archives: {sum(skipped.values())} records are not articles ({why})")
    if config.references is not None:
        check_references(raws, config)
    cache = ResultCache(Path(cache_dir), logger.warning).load()
    hits: list[tuple[int, RawArticle]] = []
    duplicates: list[tuple[int, dict[str, Any], str]] = []
    todo: list[Row] = []
    seen: set[str] = set()
    for position, raw in enumerate(raws):
        if raw.text is None:  # unreadable: fails in `prepare_batch` with its reason
            todo.append(asdict(raw) | {POSITION: position})
        elif raw.article_id in seen:
            duplicates.append((position, identity(raw), raw.article_id))
        else:
            seen.add(raw.article_id)
            if raw.article_id in cache:
                hits.append((position, raw))
            else:
                todo.append(asdict(raw) | {POSITION: position})
    articles, segments, redo = _reuse(cache, hits)
    if redo:
        todo.extend(asdict(raw) | {POSITION: position} for position, raw in redo)
        todo.sort(key=lambda row: row[POSITION])
        hits = [hit for hit in hits if hit not in redo]
    root = Path(staging)
    settled = BatchFiles(
        -1,
        write_rows(articles, root / "settled.articles.parquet"),
        write_rows(segments, root / "settled.segments.parquet"),
    )
    size = config.batch_articles
    chunks = [
        write_rows(todo[start : start + size], root / f"inputs-{start // size:05d}.parquet")
        for start in range(0, len(todo), size)
    ]
    logger.info(
        f"read {len(raws)} inputs: {len(hits)} reused from earlier runs with the same settings, "
        f"{len(todo)} to translate in {len(chunks)} batches"
    )
    return Plan(chunks, settled, len(raws), len(hits), duplicates)


def check_references(raws: list[RawArticle], config: RunConfig) -> None:
    """Match every readable input with its reference before any model work.

    A reference that cannot be used at all raises `ReferenceError` (naming the files); an
    article without a usable reference, and a reference no input matched, are logged here and
    get a row in `scores` with the reason when the run scores.
    """
    assert config.references is not None
    logger = get_run_logger()
    references = load_references(Path(config.references))
    matches = [
        (raw.source, match_reference(references, raw.article_id, raw.source, config.inputs))
        for raw in raws
        if raw.text is not None
    ]
    missing = [(source, m.problem) for source, m in matches if m.text is None]
    for source, problem in missing[:20]:
        logger.warning(f"{source}: will not be scored: {problem}")
    if len(missing) > 20:
        logger.warning(f"... and {len(missing) - 20} more inputs without a usable reference")
    unused = unused_references(references, (m.key for _, m in matches))
    if unused:
        shown = ", ".join(unused[:5]) + (" ..." if len(unused) > 5 else "")
        logger.warning(f"{len(unused)} references match no input: {shown}")


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
    root = Path(chunk).parent
    batch = None
    if articles:
        batch = BatchFiles(
            index,
            write_rows(articles, root / f"batch-{index:05d}.articles.parquet"),
            write_rows(segments, root / f"batch-{index:05d}.segments.parquet"),
        )
    early = write_rows(failed, root / f"batch-{index:05d}.rejected.parquet")
    return PreparedBatch(batch, early)


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
    name="translate-and-summarize",
    cache_policy=NONE,
    retries=1,
    retry_delay_seconds=2,
    retry_condition_fn=should_retry,
)
def process_batch(
    batch: BatchFiles, spec: EngineSpec, n_batches: int, cache_dir: str
) -> BatchOutcome:
    """Translate and summarize one batch; store the results in staging and in the cache."""
    articles, segments = read_rows(batch.articles), read_rows(batch.segments)
    translator = get_translator(spec)
    summarizer = get_summarizer(spec)
    before = translator.model_seconds + (summarizer.model_seconds if summarizer else 0.0)
    log = get_run_logger().info
    label = f"batch {batch.index + 1}/{n_batches}"
    with (
        ProgressLog(f"{label}: sentences translated", log) as translated,
        ProgressLog(f"{label}: flagged sentences repaired", log) as repaired,
    ):
        translate_segments(segments, translator, translated, repaired)
    assemble_articles(articles, segments)
    translate_titles(articles, translator, spec.target_lang)
    if summarizer is not None:
        with ProgressLog(f"{label}: summary chunks written", log) as summarized:
            summarize_articles(articles, summarizer, log, summarized)
    after = translator.model_seconds + (summarizer.model_seconds if summarizer else 0.0)
    staging = Path(batch.articles).parent
    done = BatchFiles(
        batch.index,
        write_rows(articles, staging / f"batch-{batch.index:05d}.done.articles.parquet"),
        write_rows(segments, staging / f"batch-{batch.index:05d}.done.segments.parquet"),
    )
    # The staging directory is named by the run id: cache entries are named by run and batch.
    cacheable = [{k: v for k, v in a.items() if k != POSITION} for a in articles]
    ResultCache(Path(cache_dir)).store(f"{staging.name}-b{batch.index:05d}", cacheable, segments)
    loads = get_translator.cache_info().misses + get_summarizer.cache_info().misses
    worker = f"{socket.gethostname()}:{os.getpid()}"
    return BatchOutcome(done, after - before, worker=worker, model_loads=loads)


def fail_batch(batch: BatchFiles, reason: str) -> BatchOutcome:
    """A batch whose model work failed for good: its articles become failed rows."""
    articles = read_rows(batch.articles)
    for article in articles:
        if article["status"] == "ok":
            article |= {"status": "failed", "reason": f"translation failed: {reason}"}
    staging = Path(batch.articles).parent
    failed = BatchFiles(
        batch.index,
        write_rows(articles, staging / f"batch-{batch.index:05d}.failed.articles.parquet"),
        write_rows([], staging / f"batch-{batch.index:05d}.failed.segments.parquet"),
    )
    return BatchOutcome(failed, 0.0, reason)


@task(name="score", cache_policy=NONE)
def score_articles(
    article_files: list[str], references: str, roots: list[Path], alignment: str = "auto"
) -> list[Row]:
    """BLEU, chrF++ and TER of every article that has a reference; a row with the reason for
    every ok article that has none. `roots`: the run's inputs, references mirror them.

    `alignment="line"`: a reference whose line count differs is reported, not scored."""
    refs = load_references(Path(references))
    strict = alignment == "line"
    docs = [
        doc
        for path in article_files
        for _, doc in aligned_documents(read_rows(path), refs, roots, strict=strict)
    ]
    scored = sum(doc.references != [] for doc in docs)
    log = get_run_logger().info
    with ProgressLog(
        f"scoring {scored} of {len(docs)} articles (the others lack references)", log, len(docs)
    ):
        return [asdict(row) for row in score_documents(docs)]
