"""Stage 1, ingest: read every input, reuse what the result cache holds, chunk the rest."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.config import RunConfig
from newslib.inputs.ingest import RawArticle, ingest
from newslib.inputs.references import load_references, match_reference, unused_references
from newslib.output.cache import ResultCache
from newslib.output.staging import POSITION, BatchFiles, Plan, Row, write_rows


@task(name="plan", cache_policy=NONE)
def plan_inputs(config: RunConfig, staging: str, cache_dir: str) -> Plan:
    """Read every input and look it up in the result cache; write the rest in chunks.

    Cached articles go to one `settled` file and never reach a model; a repeated input (same
    content) is noted once and copied from its first occurrence at the end.
    """
    logger = get_run_logger()
    raws = list(
        ingest(
            config.inputs,
            text_column=config.text_column,
            id_column=config.id_column,
            max_bytes=config.max_file_bytes,
            follow_symlinks=config.follow_symlinks,
        )
    )
    if config.references is not None:
        check_references(raws, config)
    cache = ResultCache(Path(cache_dir), logger.warning).load()
    hits, todo, duplicates = sort_inputs(raws, cache)
    articles, segments, redo = reuse_cached(cache, hits)
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


def sort_inputs(
    raws: list[RawArticle], cache: ResultCache
) -> tuple[list[tuple[int, RawArticle]], list[Row], list[tuple[int, str, str]]]:
    """Inputs found in the cache (with their positions), rows of the inputs still to do, and
    the repeats of an earlier input: (position, source, article id)."""
    hits: list[tuple[int, RawArticle]] = []
    duplicates: list[tuple[int, str, str]] = []
    todo: list[Row] = []
    seen: set[str] = set()
    for position, raw in enumerate(raws):
        if raw.text is None:  # unreadable: fails in the prepare stage with its reason
            todo.append(asdict(raw) | {POSITION: position})
        elif raw.article_id in seen:
            duplicates.append((position, raw.source, raw.article_id))
        else:
            seen.add(raw.article_id)
            if raw.article_id in cache:
                hits.append((position, raw))
            else:
                todo.append(asdict(raw) | {POSITION: position})
    return hits, todo, duplicates


def reuse_cached(
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
        row |= {"source": raw.source, "cached": True, POSITION: position}
        article_rows.append(row)
        segment_rows.extend(segments.get(raw.article_id, []))
    return article_rows, segment_rows, redo


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
