"""The Prefect task of story linking: a thin wrapper over `newslib.stories.link`.

`link_stories_task` runs once per run, after the batches, on the run's article parts in input
order; the run calls `commit_stories` when it commits (before its `runs/` row), so that a killed
run leaves the story index as it was (README "Stories").
"""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE

from newslib.stories.link import link_stories


@task(name="link stories", cache_policy=NONE, retries=1)
def link_stories_task(output: Path, run_id: str, article_parts: list[Path]) -> list[Path]:
    """The article parts with story and duplicate columns filled (the index changes at commit)."""
    return link_stories(output, run_id, article_parts)
