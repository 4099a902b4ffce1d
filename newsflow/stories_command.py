"""`newsflow stories OUTPUT`: the largest stories of the latest run, as a table."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.table import Table

from newsflow.terminal import console
from newslib.stories.report import latest_stories


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "?"


def print_largest_stories(output: Path, top: int) -> None:
    """Print the table; raises NoStoriesError when the output has no stories."""
    run_id, rows = latest_stories(output, top)
    table = Table(title=f"largest stories of run {run_id}")
    for column in ("articles", "new", "languages", "sites", "published", "title", "story"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row["n_articles"]),
            str(row["n_new"]),
            ", ".join(row["languages"]),
            ", ".join(row["sites"]) or "-",
            f"{day(row['first_published'])} .. {day(row['last_published'])}",
            row["title"] or "",
            row["story_id"],
        )
    console.print(table)
