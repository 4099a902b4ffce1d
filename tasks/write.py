"""Stage 6, write: the run's rows in input order, a chunk at a time; then every dataset,
`runs/` last."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.config import RunConfig
from newslib.output.records import check_rows
from newslib.output.runs import RunStart, RunTally, run_row, run_summary, worker_report
from newslib.output.staging import POSITION, ChunkResult, Plan, Row, chunk_rows
from newslib.output.write import (
    DATASETS_IN_WRITE_ORDER,
    DatasetWriter,
    StagedDataset,
    commit_run,
)
from newslib.progress import ProgressLog
from newslib.stories.link import commit_stories


@dataclass(frozen=True)
class Assembled:
    """The run's articles and sentences, written in input order under hidden names."""

    articles: StagedDataset
    segments: StagedDataset
    tally: RunTally


@task(name="collect", cache_policy=NONE)
def collect_results(plan: Plan, results: list[ChunkResult], output: str, run_id: str) -> Assembled:
    """Every article of the run (reused, rejected, translated) in the order of the inputs,
    written chunk by chunk: memory holds one chunk's rows (and those of repeated articles)."""
    articles = DatasetWriter(Path(output), "articles", run_id)
    segments = DatasetWriter(Path(output), "segments", run_id)
    tally = RunTally()
    repeated_rows: dict[str, Row] = {}
    log = get_run_logger().info
    with ProgressLog("articles written", log, plan.n_inputs) as progress:
        for result in results:
            chunk_articles, chunk_segments = chunk_rows(result, plan.repeated, repeated_rows)
            for row in chunk_articles:
                row.pop(POSITION)  # the order is the file's own from here on
            for row in (*chunk_articles, *chunk_segments):
                row["run_id"] = run_id
            # Every row the flow writes has every field of its record (null where it does
            # not apply): a field lost on the way is an error here, not a null column.
            check_rows("articles", chunk_articles, complete=True)
            check_rows("segments", chunk_segments, complete=True)
            articles.write(chunk_articles)
            segments.write(chunk_segments)
            tally.add(chunk_articles, chunk_segments)
            progress(tally.n_articles)
    return Assembled(articles.close(), segments.close(), tally)


@task(name="write", cache_policy=NONE)
def write_results(
    config: RunConfig,
    run: RunStart,
    assembled: Assembled,
    staged: dict[str, StagedDataset | None],
    results: list[ChunkResult],
) -> dict[str, Any]:
    """Put the run's datasets in place, `runs/` last; return what the command prints.

    `staged`: the run's articles, scores and stories files where a later stage rewrote or
    made them (None: not made; an empty file takes its place, so every run has them all)."""
    output = Path(config.output)
    files = {"articles": assembled.articles, "segments": assembled.segments}
    for name in ("articles", "scores", "stories"):
        files[name] = staged.get(name) or files.get(name) or empty_file(output, name, run.run_id)
    outcomes = [r.outcome for r in results if r.outcome is not None]
    row = run_row(config, run, assembled.tally, sum(o.model_seconds for o in outcomes))
    check_rows("runs", [row | {"files_json": None}], complete=True)  # the writer fills it
    linked = staged.get("stories") is not None
    commit_run(
        output,
        run.run_id,
        [files[name] for name in DATASETS_IN_WRITE_ORDER if name in files],
        row,
        before_listing=(lambda: commit_stories(output, run.run_id)) if linked else None,
    )
    return run_summary(row, assembled.tally, corpus_scores(Path(files["scores"].path))) | {
        "workers": worker_report(outcomes)
    }


def empty_file(output: Path, name: str, run_id: str) -> StagedDataset:
    return DatasetWriter(output, name, run_id).close()


def corpus_scores(path: Path) -> dict[str, float]:
    """{metric: score} of the corpus level of a scores file."""
    table = pq.read_table(path, columns=["level", "metric", "score"])
    return {r["metric"]: r["score"] for r in table.to_pylist() if r["level"] == "corpus"}
