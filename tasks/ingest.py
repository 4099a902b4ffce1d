"""Stage 1, ingest: read the inputs, reuse what the result cache holds, cut the rest in chunks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.config import RunConfig
from newslib.inputs.chunks import ChunkPlanner
from newslib.inputs.ingest import RawArticle, ingest
from newslib.inputs.references import (
    References,
    load_references,
    match_reference,
    unused_references,
)
from newslib.inputs.tables import TableColumns
from newslib.output.cache import ResultCache
from newslib.output.staging import Plan

SHOWN_MISSING_REFERENCES = 20


@task(name="plan", cache_policy=NONE)
def plan_inputs(config: RunConfig, staging: str, cache_dir: str) -> Plan:
    """Read every input, in order, and look it up in the result cache; write chunks of
    consecutive inputs as they fill. Cached articles never reach a model; a repeated input
    (same content) copies its first occurrence's row when the run is written."""
    logger = get_run_logger()
    cache = ResultCache(Path(cache_dir), logger.warning).load()
    planner = ChunkPlanner(Path(staging), cache, config.batch_articles)
    check = ReferenceCheck(config) if config.references is not None else None
    skipped: Counter[str] = Counter()
    inputs = ingest(
        config.inputs,
        text_column=config.text_column,
        id_column=config.id_column,
        max_bytes=config.max_file_bytes,
        follow_symlinks=config.follow_symlinks,
        columns=table_columns(config),
        skipped=skipped,
    )
    for position, raw in enumerate(inputs):
        if check is not None:
            check.add(raw)
        planner.add(position, raw)
    planner.close()
    if skipped:
        why = ", ".join(f"{count} {reason}" for reason, count in sorted(skipped.items()))
        logger.info(f"web archives: {sum(skipped.values())} records are not articles ({why})")
    if check is not None:
        check.report()
    plan = Plan(planner.chunks, planner.n_inputs, planner.n_cached, frozenset(planner.repeated))
    batches = sum(chunk.n_todo > 0 for chunk in plan.chunks)
    logger.info(
        f"read {plan.n_inputs} inputs: {plan.n_cached} reused from earlier runs with the same "
        f"settings, {plan.n_todo} to translate in {batches} batches"
    )
    return plan


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


class ReferenceCheck:
    """Matches every readable input with its reference before any model work.

    A reference that cannot be used at all raises `ReferenceError` (naming the files); an
    article without a usable reference, and a reference no input matched, are logged and get
    a row in `scores` with the reason when the run scores."""

    def __init__(self, config: RunConfig) -> None:
        assert config.references is not None
        self.roots = config.inputs
        self.references: References = load_references(Path(config.references))
        self.matched: set[str] = set()
        self.n_missing = 0

    def add(self, raw: RawArticle) -> None:
        if raw.text is None:
            return
        match = match_reference(self.references, raw.article_id, raw.source, self.roots)
        if match.key is not None:
            self.matched.add(match.key)
        if match.text is None:
            self.n_missing += 1
            if self.n_missing <= SHOWN_MISSING_REFERENCES:
                get_run_logger().warning(f"{raw.source}: will not be scored: {match.problem}")

    def report(self) -> None:
        logger = get_run_logger()
        more = self.n_missing - SHOWN_MISSING_REFERENCES
        if more > 0:
            logger.warning(f"... and {more} more inputs without a usable reference")
        unused = unused_references(self.references, self.matched)
        if unused:
            shown = ", ".join(unused[:5]) + (" ..." if len(unused) > 5 else "")
            logger.warning(f"{len(unused)} references match no input: {shown}")
