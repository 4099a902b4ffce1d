"""Crash safety: SIGKILL a run half-way, run again, and every article is there exactly once.

The run is the real command line in its own process (against the session's Prefect server),
killed with SIGKILL once some batches are finished. A reader thread keeps listing and reading
every visible Parquet file of the datasets for the whole time, as an analyst's notebook would:
it must never see a partial file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from benchmarks.overhead import write_articles
from newslib.output.cache import CACHE_DIR, MANIFEST_SUFFIX, STAGING_DIR

pytestmark = pytest.mark.slow

N_ARTICLES = 50
BATCH_ARTICLES = 2
DATASETS = ("articles", "segments", "scores", "runs")


class Reader(threading.Thread):
    """Reads every visible dataset file, and each dataset as a whole, over and over."""

    def __init__(self, output: Path) -> None:
        super().__init__(daemon=True)
        self.output = output
        self.stopped = threading.Event()
        self.reads = 0
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stopped.is_set():
            for name in DATASETS:
                folder = self.output / name
                if not folder.is_dir():
                    continue
                try:
                    visible = [f for f in folder.iterdir() if not f.name.startswith((".", "_"))]
                    for file in visible:
                        pq.read_table(file)
                        self.reads += 1
                    if visible:
                        pq.read_table(folder)  # the whole dataset, as pandas reads it
                except Exception as error:
                    self.errors.append(f"{name}: {type(error).__name__}: {error}")
            time.sleep(0.005)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)


def cached_article_ids(output: Path) -> set[str]:
    ids: set[str] = set()
    for path in (output / CACHE_DIR).glob(f"*/[!.]*{MANIFEST_SUFFIX}"):
        ids.update(json.loads(path.read_text(encoding="utf-8"))["article_ids"])
    return ids


def test_a_run_killed_half_way_is_finished_by_the_next_one(
    tiny_models: tuple[Path, Path], prefect_server: None, ntrex_dir: Path, tmp_path: Path
) -> None:
    from prefect.settings import PREFECT_API_URL

    inputs, output = tmp_path / "in", tmp_path / "out"
    write_articles(ntrex_dir, N_ARTICLES, inputs, tmp_path / "refs")
    command = [
        str(Path(sys.executable).with_name("newsflow")), "run", str(inputs),
        "--output", str(output), "--model", str(tiny_models[0]),
        "--summarizer", str(tiny_models[1]), "--beams", "1",
        "--batch-articles", str(BATCH_ARTICLES),
    ]  # fmt: skip
    env = os.environ | {
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),  # the session's server, not its own
        "HF_HUB_OFFLINE": "1",
        "OMP_NUM_THREADS": "1",
    }
    reader = Reader(output)
    reader.start()
    try:
        log = (tmp_path / "killed.log").open("wb")
        victim = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 600
        try:
            # Kill once two batches are in the result cache: the run is well under way.
            while len(cached_article_ids(output)) < 2 * BATCH_ARTICLES:
                assert victim.poll() is None, "the run ended before it could be killed"
                assert time.monotonic() < deadline, "no batch finished in 10 minutes"
                time.sleep(0.02)
        finally:
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait()
        done_before = cached_article_ids(output)
        assert 2 * BATCH_ARTICLES <= len(done_before) < N_ARTICLES, "not killed half-way"
        assert not list(output.glob("runs/*.parquet")), "the killed run must not be listed"
        (dead,) = (output / STAGING_DIR).iterdir()  # its work in progress, left behind

        rerun = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    finally:
        reader.stop()

    assert reader.errors == []
    assert reader.reads > 0
    articles = pd.read_parquet(output / "articles")
    assert len(articles) == N_ARTICLES
    assert articles["article_id"].is_unique and articles["source"].is_unique
    assert sorted(Path(s).name for s in articles["source"]) == sorted(os.listdir(inputs))
    assert (articles["status"] == "ok").all()
    assert set(articles[articles["cached"]]["article_id"]) == done_before
    segments = pd.read_parquet(output / "segments")
    assert not segments.duplicated(["article_id", "line_index", "segment_index"]).any()
    assert segments.groupby("article_id").size().to_dict() == dict(
        zip(articles["article_id"], articles["n_segments"], strict=True)
    )
    (run,) = pd.read_parquet(output / "runs").itertuples()
    assert (run.n_articles, run.n_ok, run.n_cached) == (N_ARTICLES, N_ARTICLES, len(done_before))
    assert not dead.exists(), "the dead run's staging is cleaned up"
    assert list((output / STAGING_DIR).iterdir()) == []
