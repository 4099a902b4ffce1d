"""Scale-out through prefect-dask: the same rows from a cluster of worker processes.

Real Dask clusters (worker processes on loopback), the real flow, the tiny models. Each worker
process loads the models once, whatever the number of batches it gets.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from benchmarks.overhead import write_articles
from flows.pipeline import translate_news
from newslib.config import RunConfig
from tasks.translate import device_tag

pytestmark = pytest.mark.slow

N_ARTICLES = 12
BATCH_ARTICLES = 2  # 6 batches for 2 workers


@pytest.fixture(scope="module")
def inputs(ntrex_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dask")
    write_articles(ntrex_dir, N_ARTICLES, root / "in", root / "refs")
    return root / "in"


def run(models: tuple[Path, Path], inputs: Path, output: Path, **settings: Any) -> dict[str, Any]:
    config = RunConfig(
        inputs=[inputs], output=output, model=str(models[0]), summarizer=str(models[1]),
        beams=1, batch_articles=BATCH_ARTICLES, **settings,
    )  # fmt: skip
    return translate_news(config)


def rows(output: Path, name: str, keys: list[str]) -> pd.DataFrame:
    frame = pd.read_parquet(output / name).drop(columns=["run_id"])
    return frame.sort_values(keys).reset_index(drop=True)


@pytest.fixture(scope="module")
def single_process(
    tiny_models: tuple[Path, Path],
    prefect_server: None,
    inputs: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    output = tmp_path_factory.mktemp("thread-run")
    summary = run(tiny_models, inputs, output, task_runner="thread")
    assert summary["n_ok"] == N_ARTICLES
    return output


def assert_same_rows(expected: Path, actual: Path) -> None:
    for name, keys in [
        ("articles", ["source"]),
        ("segments", ["article_id", "line_index", "segment_index"]),
    ]:
        pd.testing.assert_frame_equal(rows(expected, name, keys), rows(actual, name, keys))


def test_a_local_cluster_of_two_worker_processes_gives_the_same_rows(
    tiny_models: tuple[Path, Path], single_process: Path, inputs: Path, tmp_path: Path
) -> None:
    summary = run(tiny_models, inputs, tmp_path / "out", task_runner="dask", dask_workers=2)

    assert summary["n_ok"] == N_ARTICLES and summary["n_cached"] == 0
    assert_same_rows(single_process, tmp_path / "out")
    workers = summary["workers"]
    assert len(workers) == 2, workers  # two worker processes did model work ...
    assert all(not w.endswith(f":{os.getpid()}") for w in workers)  # ... none of them this one
    assert sum(w["batches"] for w in workers.values()) == N_ARTICLES // BATCH_ARTICLES
    # ... and each loaded its two models (translator, summarizer) once, for all its batches.
    assert all(w["model_loads"] == 2 for w in workers.values()), workers


def test_an_existing_cluster_by_address_with_one_batch_per_device_at_a_time(
    tiny_models: tuple[Path, Path], single_process: Path, inputs: Path, tmp_path: Path
) -> None:
    """`--dask-address` sends the work to a running cluster; a concurrency limit on the device
    tag (`gpu` on a GPU, here `cpu`) keeps two batches from running on it at once."""
    from distributed import LocalCluster
    from prefect.client.orchestration import get_client

    tag = device_tag("cpu")
    started = datetime.now(UTC)
    with get_client(sync_client=True) as client:
        client.create_concurrency_limit(tag=tag, concurrency_limit=1)
    try:
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
        ) as cluster:
            address = cluster.scheduler_address
            assert address.startswith("tcp://127.0.0.1:")
            summary = run(
                tiny_models, inputs, tmp_path / "out", task_runner="dask", dask_address=address
            )
    finally:
        with get_client(sync_client=True) as client:
            client.delete_concurrency_limit_by_tag(tag)

    assert summary["n_ok"] == N_ARTICLES
    assert_same_rows(single_process, tmp_path / "out")
    spans = asyncio.run(batch_run_spans(started))
    assert len(spans) == N_ARTICLES // BATCH_ARTICLES
    for (_, first_end), (second_start, _) in combinations(sorted(spans), 2):
        assert first_end <= second_start, "two batches held the device at the same time"


async def batch_run_spans(since: datetime) -> list[tuple[datetime, datetime]]:
    """(start, end) of every model-work task run that started after `since`."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        TaskRunFilter,
        TaskRunFilterName,
        TaskRunFilterStartTime,
    )
    from prefect.client.schemas.sorting import TaskRunSort

    async with get_client() as client:
        runs = await client.read_task_runs(
            task_run_filter=TaskRunFilter(
                name=TaskRunFilterName(like_="translate"),
                start_time=TaskRunFilterStartTime(after_=since),
            ),
            sort=TaskRunSort.EXPECTED_START_TIME_ASC,
            limit=200,
        )
    assert all(r.state is not None and r.state.is_completed() for r in runs)
    return [(r.start_time, r.end_time) for r in runs if r.start_time and r.end_time]
