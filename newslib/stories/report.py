"""The largest stories of an output's latest run, for `newsflow stories`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

COLUMNS = [
    "story_id", "n_articles", "n_new", "languages", "sites", "first_published",
    "last_published", "title",
]  # fmt: skip


class NoStoriesError(ValueError):
    """The output has no `stories/` rows; the message says why."""


def latest_stories(output: Path, top: int) -> tuple[str, list[dict[str, Any]]]:
    """(run id, its `top` largest stories) of the latest run that wrote stories.

    Latest: the last finished run of `runs/` that has a `stories/` file; largest: most
    articles, then most added by that run."""
    files = {p.stem: p for p in (output / "stories").glob("[!._]*.parquet")}
    if not files:
        raise NoStoriesError(
            f"{output} has no stories/ dataset: it is written by runs that link stories"
        )
    finished = {}
    for path in (output / "runs").glob("[!._]*.parquet"):
        for row in pq.read_table(path, columns=["run_id", "finished_at"]).to_pylist():
            finished[row["run_id"]] = row["finished_at"]
    listed = [run for run in files if run in finished]
    if not listed:
        raise NoStoriesError(f"no run listed in {output / 'runs'} has a stories/ file")
    latest = max(listed, key=lambda run: (finished[run], run))
    rows = pq.read_table(files[latest], columns=COLUMNS).to_pylist()
    rows.sort(key=lambda r: (-r["n_articles"], -r["n_new"], r["story_id"]))
    return latest, rows[:top]
