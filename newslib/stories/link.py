"""Linking a run's articles to stories and duplicates, and committing the index with the run.

The rule that keeps the index true to the output: the committed index
(`<output>/_stories/index.sqlite`) describes exactly the runs listed in `runs/`.
- `link_stories` reads the run's article parts one at a time, writes each again with
  `story_id`, `duplicate_of` and `duplicate_similarity` filled, and writes the run's `stories`
  part; its index additions go to a delta file in the run's staging folder, never to the index.
- `commit_stories`, called when the run commits (before its `runs/` row is written), copies the
  delta into the index in one SQLite transaction.
- Whenever the index and `runs/` disagree (no index, a run killed between the two steps, an
  index damaged or deleted), `ensure_index` rebuilds the index from the output's articles,
  keeping the story ids they were given. A run that is killed leaves the index as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import astuple
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newslib.output.cache import STAGING_DIR
from newslib.output.write import DatasetWriter, StagedDataset
from newslib.stories.assign import Link, StorySettings, link_article
from newslib.stories.index import StoryIndex, committed_runs
from newslib.stories.merge import fold_stories, replay_folds
from newslib.stories.rows import (
    ARTICLE_COLUMNS,
    LINK_COLUMNS,
    new_article,
    story_rows,
)

INDEX_DIR = "_stories"
INDEX_FILE = "index.sqlite"
READ_ROWS = 2048  # rows read at a time from a Parquet file


def index_path(output: Path) -> Path:
    return output / INDEX_DIR / INDEX_FILE


def run_stories_dir(output: Path, run_id: str) -> Path:
    """Where a run's linked article parts, stories part and index delta are written."""
    return output / STAGING_DIR / run_id / "stories"


def stories_part(output: Path, run_id: str) -> Path:
    """The run's `stories` file as `link_run_articles` stages it (until the run commits)."""
    return output / "stories" / f".{run_id}.parquet.tmp"


def link_stories(
    output: Path, run_id: str, article_parts: list[Path], settings: StorySettings | None = None
) -> list[Path]:
    """`link_run_articles` over article files that are not (yet) the run's staged file, as
    the evaluation, the benchmark and the tests have them; the linked file, still staged."""
    staged = DatasetWriter(output, "articles", run_id)
    for part in article_parts:
        for batch in pq.ParquetFile(part).iter_batches(READ_ROWS):
            staged.write(batch.to_pylist())
    linked, _ = link_run_articles(output, run_id, staged.close(), settings)
    return [Path(linked.temporary)]


def link_run_articles(
    output: Path, run_id: str, articles: StagedDataset, settings: StorySettings | None = None
) -> tuple[StagedDataset, StagedDataset]:
    """Link every ok article of the run's staged articles file to a story and maybe a
    duplicate, reading and writing it a block at a time; the run's `stories` rows too.

    Returns the run's articles file again (the link columns filled) and its stories file,
    both staged for `commit_run`. The index changes at `commit_stories`."""
    settings = settings or StorySettings()
    ensure_index(output, settings)
    folder = run_stories_dir(output, run_id)
    shutil.rmtree(folder, ignore_errors=True)  # a retried task starts again
    folder.mkdir(parents=True)
    unlinked = folder / "unlinked.parquet"
    os.replace(articles.temporary, unlinked)
    index = StoryIndex(index_path(output), folder / "delta.sqlite")
    try:
        linked = DatasetWriter(output, "articles", run_id)
        for batch in pq.ParquetFile(unlinked).iter_batches(READ_ROWS):
            rows = batch.to_pylist()
            for row in rows:
                link = link_row(index, row, settings)
                values = astuple(link) if link else (None, None, None)
                row |= dict(zip(LINK_COLUMNS, values, strict=True))
            index.flush()
            linked.write(rows)
        folded = fold_stories(index, settings)
        index.flush()
        articles = linked.close()
        if folded:
            articles = relabel(output, run_id, articles, index)
        stories = DatasetWriter(output, "stories", run_id)
        for row in story_rows(index, run_id):
            stories.write([row])
    finally:
        index.close()
    unlinked.unlink()
    return articles, stories.close()


def relabel(output: Path, run_id: str, articles: StagedDataset, index: StoryIndex) -> StagedDataset:
    """The run's linked articles file again, the stories that were folded renamed."""
    before = run_stories_dir(output, run_id) / "before-folding.parquet"
    os.replace(articles.temporary, before)
    relabelled = DatasetWriter(output, "articles", run_id)
    for batch in pq.ParquetFile(before).iter_batches(READ_ROWS):
        rows = batch.to_pylist()
        folded = index.folded_into(r["story_id"] for r in rows if r["story_id"])
        for row in rows:
            row["story_id"] = folded.get(row["story_id"], row["story_id"])
        relabelled.write(rows)
    before.unlink()
    return relabelled.close()


def link_row(index: StoryIndex, row: dict[str, Any], settings: StorySettings) -> Link | None:
    article = new_article(row)
    if article is None:  # a failed article, or one without a translation
        return None
    known = None
    if row.get("story_id"):  # rebuilding: the output already says (or a later run folded it)
        story_id = index.current_id(row["story_id"])
        known = Link(story_id, row.get("duplicate_of"), row.get("duplicate_similarity"))
    return link_article(index, article, settings, known)


def rows_of(table: pa.Table) -> Iterator[dict[str, Any]]:
    for batch in table.to_batches(READ_ROWS):
        yield from batch.to_pylist()


def commit_stories(output: Path, run_id: str) -> None:
    """Make the run's index additions part of the index (call when the run commits)."""
    delta = run_stories_dir(output, run_id) / "delta.sqlite"
    if not delta.exists():
        raise FileNotFoundError(f"no story links of run {run_id}: call link_stories first")
    index = StoryIndex(index_path(output), delta)
    try:
        committed = index.commit(run_id)
    finally:
        index.close()
    delta.unlink()
    if not committed:  # another run committed meanwhile: the next run rebuilds from the output
        index_path(output).unlink(missing_ok=True)


def output_runs(output: Path) -> list[str]:
    """Run ids of `runs/`, oldest first."""
    files = sorted((output / "runs").glob("*.parquet"))
    if not files:
        return []
    runs = pq.read_table(files, columns=["run_id", "started_at"]).to_pylist()
    return [r["run_id"] for r in sorted(runs, key=lambda r: (r["started_at"], r["run_id"]))]


def ensure_index(output: Path, settings: StorySettings) -> None:
    """Rebuild the index from the output when it does not describe exactly the runs of `runs/`."""
    runs = output_runs(output)
    if committed_runs(index_path(output)) == set(runs) and index_path(output).exists():
        return
    rebuild_index(output, runs, settings)


def rebuild_index(output: Path, runs: list[str], settings: StorySettings) -> None:
    """A new index from the articles of `runs`, in order, keeping their recorded stories."""
    building = output / INDEX_DIR / f".{INDEX_FILE}.rebuild"
    delta = building.with_name(".rebuild.delta.sqlite")
    for stale in (building, delta):
        stale.unlink(missing_ok=True)
    for run_id in runs:
        index = StoryIndex(building, delta)
        try:
            for row in read_articles(output / "articles" / f"{run_id}.parquet"):
                link_row(index, row, settings)
            replay_folds(index, read_folds(output / "stories" / f"{run_id}.parquet"), settings)
            index.flush()
            index.commit(run_id)
        finally:
            index.close()
        delta.unlink()
    StoryIndex(building, delta).close()  # an empty output still gets an (empty) index
    delta.unlink()
    os.replace(building, index_path(output))


def read_folds(path: Path) -> list[tuple[str, str]]:
    """(folded story id, story it was folded into) of a run's `stories` file, as recorded."""
    if not path.exists() or not path.stat().st_size:
        return []
    file = pq.ParquetFile(path)
    if "folded_story_ids" not in file.schema_arrow.names:  # written before stories could fold
        return []
    folds = []
    for batch in file.iter_batches(READ_ROWS, columns=["story_id", "folded_story_ids"]):
        for row in batch.to_pylist():
            folds += [(old, row["story_id"]) for old in row["folded_story_ids"] or []]
    return folds


def read_articles(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of an articles file, a few thousand at a time, the columns linking reads."""
    if not path.exists() or not path.stat().st_size:
        return
    file = pq.ParquetFile(path)
    wanted = [c for c in (*ARTICLE_COLUMNS, *LINK_COLUMNS) if c in file.schema_arrow.names]
    for batch in file.iter_batches(READ_ROWS, columns=wanted):
        yield from batch.to_pylist()
