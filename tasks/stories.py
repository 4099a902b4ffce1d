"""Stories, between collecting the rows and scoring them: every article linked to its story
and to the article it copies, if any."""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.output.write import StagedDataset
from newslib.progress import Heartbeat
from newslib.stories.link import link_run_articles


@task(name="link-stories", cache_policy=NONE, retries=1)
def link_stories(
    output: str, run_id: str, articles: StagedDataset
) -> tuple[StagedDataset, StagedDataset]:
    """The run's articles file with story and duplicate columns filled, and its stories file;
    the story index beside the output changes only when the run commits."""
    what = f"linking {articles.rows} articles to stories and near-duplicates"
    with Heartbeat(what, get_run_logger().info):
        return link_run_articles(Path(output), run_id, articles)
