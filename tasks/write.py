"""Stage 6, write: the run's rows in input order, then every dataset, `runs/` last."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.checks.flags import flag_counts, repair_stats
from newslib.config import RunConfig
from newslib.output.runs import RunStart, run_row, run_summary, worker_report
from newslib.output.staging import BatchOutcome, Plan, in_input_order, read_rows, write_rows
from newslib.output.write import write_run
from newslib.progress import Heartbeat


@dataclass(frozen=True)
class Collected:
    """The run's articles and sentences, in input order, as two staging files."""

    articles: str
    segments: str


@task(name="collect", cache_policy=NONE)
def collect_results(plan: Plan, rejected: list[str], outcomes: list[BatchOutcome]) -> Collected:
    """Every article of the run (reused, rejected, translated) in the order of the inputs."""
    article_files = [plan.settled.articles, *rejected, *(o.files.articles for o in outcomes)]
    segment_files = [plan.settled.segments, *(o.files.segments for o in outcomes)]
    articles, segments = in_input_order(
        [a for f in article_files for a in read_rows(f)],
        [s for f in segment_files for s in read_rows(f)],
        plan.duplicates,
    )
    staging = Path(plan.settled.articles).parent
    return Collected(
        write_rows(articles, staging / "final.articles.parquet"),
        write_rows(segments, staging / "final.segments.parquet"),
    )


@task(name="write", cache_policy=NONE)
def write_results(
    config: RunConfig,
    run: RunStart,
    collected: Collected,
    scores_file: str | None,
    outcomes: list[BatchOutcome],
) -> dict[str, Any]:
    """Write the four datasets of the run; return what the command prints at the end."""
    articles, segments = read_rows(collected.articles), read_rows(collected.segments)
    scores = read_rows(scores_file) if scores_file else []
    model_seconds = sum(o.model_seconds for o in outcomes)
    row = run_row(
        config, run.spec, run.run_id, run.started, articles, len(segments), model_seconds, run.key
    )
    row |= repair_stats(segments)
    for each in (*articles, *segments, *scores):
        each["run_id"] = run.run_id
    label = f"writing {len(articles)} articles and {len(segments)} sentences"
    with Heartbeat(label, get_run_logger().info):
        write_run(
            Path(config.output),
            run.run_id,
            {"articles": articles, "segments": segments, "scores": scores, "runs": [row]},
        )
    return {
        **run_summary(row, articles, scores),
        "flags": flag_counts(segments),
        "n_repaired": row["n_repaired"],
        "repair_rate": row["repair_rate"],
        "workers": worker_report(outcomes),
    }
