"""Cutting a run's inputs, as they are read, into chunks of consecutive inputs.

Each chunk holds at most `batch_articles` inputs still to translate (a staging file of raw
inputs), the rows of its inputs found in the result cache, and its repeats of an earlier
input's content. The chunks' rows, written one chunk after another, are the run's rows in
input order; no step needs every input in memory at once.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from newslib.inputs.article import RawArticle, identity
from newslib.output.cache import ResultCache
from newslib.output.staging import POSITION, Chunk, Row, write_batch, write_rows

# A chunk also ends after this many times `batch_articles` inputs, so that a run of mostly
# cached articles still moves on in chunks of bounded size.
MAX_SPAN = 8


class ChunkPlanner:
    """Takes the inputs one by one, in order; writes a chunk's files as soon as it is full."""

    def __init__(self, staging: Path, cache: ResultCache, batch_articles: int) -> None:
        self.staging, self.cache, self.size = staging, cache, batch_articles
        self.chunks: list[Chunk] = []
        self.n_inputs = self.n_cached = 0
        self.seen: set[str] = set()  # article ids met so far (16 hex digits each)
        self.repeated: set[str] = set()  # article ids a later input repeats
        self._start()

    def _start(self) -> None:
        self.span = 0
        self.todo: list[Row] = []
        self.hits: list[tuple[int, RawArticle]] = []
        self.duplicates: list[tuple[int, dict[str, Any], str]] = []

    def add(self, position: int, raw: RawArticle) -> None:
        self.n_inputs += 1
        self.span += 1
        if raw.text is None:  # unreadable: fails in the prepare stage with its reason
            self.todo.append(asdict(raw) | {POSITION: position})
        elif raw.article_id in self.seen:
            self.duplicates.append((position, identity(raw), raw.article_id))
            self.repeated.add(raw.article_id)
        else:
            self.seen.add(raw.article_id)
            if raw.article_id in self.cache:
                self.hits.append((position, raw))
            else:
                self.todo.append(asdict(raw) | {POSITION: position})
        if len(self.todo) >= self.size or self.span >= self.size * MAX_SPAN:
            self.close()

    def close(self) -> None:
        """Write the chunk under way (if any input is in it)."""
        if not self.span:
            return
        articles, segments, redo = reuse_cached(self.cache, self.hits)
        self.n_cached += len(self.hits) - len(redo)
        todo = self.todo + [asdict(raw) | {POSITION: position} for position, raw in redo]
        todo.sort(key=lambda row: row[POSITION])
        index = len(self.chunks)
        settled = write_batch(self.staging, index, "settled", articles, segments)
        inputs = write_rows(todo, self.staging / f"inputs-{index:05d}.parquet")
        self.chunks.append(Chunk(index, inputs, settled, self.duplicates, len(todo)))
        self._start()


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
        row |= identity(raw) | {"cached": True, POSITION: position}
        article_rows.append(row)
        segment_rows.extend(segments.get(raw.article_id, []))
    return article_rows, segment_rows, redo
