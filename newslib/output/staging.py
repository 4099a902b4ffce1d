"""A run's work in progress: Parquet files in `<output>/_staging/<run_id>/`, and the small
records that name them.

Stages hand each other these records (paths and counts), never models or tables. Readers of
the datasets never see the staging folder, which is removed once the run is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from newslib.output.write import write_rows_durably

Row = dict[str, Any]

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
class Chunk:
    """Consecutive inputs of the run: the ones to prepare (a staging file), the rows reused
    from the result cache, and the repeats of an earlier input's content."""

    index: int
    inputs: str  # staging file of the raw inputs still to do (`batch_articles` at most)
    settled: BatchFiles  # rows reused from the result cache
    # Inputs whose content already appears earlier in the run: (position, the input's own
    # columns (source, url, ...: `newslib.inputs.article.identity`), article id).
    duplicates: list[tuple[int, dict[str, Any], str]] = field(default_factory=list)
    n_todo: int = 0  # rows of `inputs`


@dataclass(frozen=True)
class Plan:
    """What the ingest stage found, in input order."""

    chunks: list[Chunk]
    n_inputs: int
    n_cached: int
    repeated: frozenset[str] = frozenset()  # article ids whose content some later input repeats

    @property
    def n_todo(self) -> int:
        return sum(chunk.n_todo for chunk in self.chunks)


@dataclass(frozen=True)
class ChunkResult:
    """A chunk after the model work: where each kind of its rows is."""

    chunk: Chunk
    rejected: str | None  # articles that failed before any model (None: none prepared)
    outcome: BatchOutcome | None  # None: nothing needed a model


@dataclass(frozen=True)
class PreparedBatch:
    """A chunk of inputs after cleaning, detection and segmentation."""

    batch: BatchFiles | None  # the articles that need models (None when there are none)
    rejected: str  # staging file of the articles that failed before any model


def read_rows(path: str | Path) -> list[Row]:
    return pq.read_table(path).to_pylist() if Path(path).stat().st_size else []


def write_rows(rows: list[Row], path: Path) -> str:
    write_rows_durably(rows, path)
    return str(path)


def batch_file(staging: Path, index: int, kind: str) -> Path:
    """`batch-00003.<kind>.parquet`: one name scheme for every stage's files of a batch."""
    return staging / f"batch-{index:05d}.{kind}.parquet"


def write_batch(
    staging: Path, index: int, kind: str, articles: list[Row], segments: list[Row]
) -> BatchFiles:
    """Write a batch's articles and sentences as `<kind>` files; their record."""
    return BatchFiles(
        index,
        write_rows(articles, batch_file(staging, index, f"{kind}.articles")),
        write_rows(segments, batch_file(staging, index, f"{kind}.segments")),
    )


def failed_batch(batch: BatchFiles, reason: str) -> BatchOutcome:
    """A batch whose model work failed for good: its articles become failed rows."""
    articles = read_rows(batch.articles)
    for article in articles:
        if article["status"] == "ok":
            article |= {"status": "failed", "reason": f"translation failed: {reason}"}
    staging = Path(batch.articles).parent
    return BatchOutcome(write_batch(staging, batch.index, "failed", articles, []), 0.0, reason)


def chunk_rows(
    result: ChunkResult, repeated: frozenset[str], repeated_rows: dict[str, Row]
) -> tuple[list[Row], list[Row]]:
    """The chunk's articles in input order and their sentences in the articles' order.

    A repeated input copies its first occurrence's row (one row per input, its sentences
    once). `repeated_rows` keeps the rows of the articles in `repeated` (those some later input
    repeats) as chunks go by in order: only those rows stay in memory."""
    files = [result.chunk.settled, *([result.outcome.files] if result.outcome else [])]
    article_files = [*(f.articles for f in files), *([result.rejected] if result.rejected else [])]
    articles = [a for f in article_files for a in read_rows(f)]
    segments = [s for f in files for s in read_rows(f.segments)]
    by_id = {a["article_id"]: a for a in articles}
    for article_id in by_id.keys() & repeated:
        repeated_rows.setdefault(article_id, by_id[article_id])
    for position, own, article_id in result.chunk.duplicates:
        first = by_id.get(article_id) or repeated_rows[article_id]
        articles.append(first | own | {POSITION: position})
    articles.sort(key=lambda a: a[POSITION])
    first_position: dict[str, int] = {}
    for article in articles:
        first_position.setdefault(article["article_id"], article[POSITION])
    segments.sort(
        key=lambda s: (first_position[s["article_id"]], s["line_index"], s["segment_index"])
    )
    return articles, segments
