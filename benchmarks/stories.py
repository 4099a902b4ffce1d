"""Incremental story linking at scale: time per new article and memory as the index grows.

Synthetic English-like articles (no model needed): each story has its own rare words, names
(capitalised: people, places) and words of what happened (lower case), and its articles mix them
with words drawn from a shared Zipf vocabulary; one article in twenty is a copy of another with
a new footer. They arrive as nightly runs of `--run-size`
articles into one output; each run is linked (`link_stories`) and committed, as a real run is.

    python -m benchmarks.stories --articles 100000 --run-size 10000 --output /tmp/bench-stories

prints per run: articles already in the index, seconds per new article, the process's peak
memory (RSS) so far, and the index's size on disk.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from newslib.output.write import to_table, write_table_durably
from newslib.stories.link import commit_stories, index_path, link_stories

VOCABULARY = 20000
WORDS_PER_ARTICLE = 250
EVENT_WORDS = 25
START = datetime(2026, 1, 1, tzinfo=UTC)


def word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))


class Generator:
    """A reproducible stream of articles, grouped in stories of 1 to 8 articles."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = np.array([word(self.rng) for _ in range(VOCABULARY)])
        weights = 1 / np.arange(1, VOCABULARY + 1)
        self.weights = weights / weights.sum()
        self.draw = np.random.default_rng(seed)
        self.number = 0
        self.day = 0.0

    def story(self) -> list[dict[str, Any]]:
        rng = self.rng
        names = [word(rng).capitalize() for _ in range(EVENT_WORDS // 2)]
        names += [word(rng) for _ in range(EVENT_WORDS - len(names))]  # what happened
        self.day += rng.random() * 0.01  # a few hundred stories a day
        articles = []
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4, 8])):
            words = list(self.draw.choice(self.vocabulary, WORDS_PER_ARTICLE, p=self.weights))
            for position in rng.sample(range(WORDS_PER_ARTICLE), WORDS_PER_ARTICLE // 4):
                words[position] = rng.choice(names)
            articles.append(self.article(" ".join(words)))
        if rng.random() < 0.05:  # a copy of the first with another footer
            articles.append(self.article(articles[0]["translation"] + " Copyright wire service"))
        return articles

    def article(self, text: str) -> dict[str, Any]:
        self.number += 1
        published = START + timedelta(days=self.day, minutes=self.rng.random() * 600)
        return {
            "article_id": f"{self.number:016x}",
            "source": f"https://site{self.number % 50}.example/{self.number}",
            "status": "ok",
            "source_lang": "eng_Latn",
            "translation": text,
            "summary": text[:300],
            "published_at": published,
        }

    def take(self, n: int) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        while len(rows) < n:
            rows.extend(self.story())
        return rows


def write_part(rows: list[dict[str, Any]], path: Path) -> Path:
    table = to_table("articles", rows)
    times = pa.array([r["published_at"] for r in rows], pa.timestamp("us", tz="UTC"))
    write_table_durably(table.append_column("published_at", times), path)
    return path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(total: int, run_size: int, output: Path, part_size: int) -> None:
    shutil.rmtree(output, ignore_errors=True)
    generator = Generator(seed=7)
    indexed = 0
    print("run  indexed_before  new  ms_per_article  peak_rss_mb  index_mb")
    for number in range(-(-total // run_size)):
        run_id = f"run{number:04d}"
        rows = generator.take(run_size)
        parts = [
            write_part(rows[i : i + part_size], output / "_in" / f"{run_id}-{i:07d}.parquet")
            for i in range(0, len(rows), part_size)
        ]
        started = time.perf_counter()
        link_stories(output, run_id, parts)
        commit_stories(output, run_id)
        elapsed = time.perf_counter() - started
        runs = pa.table({"run_id": [run_id], "started_at": [datetime.now(UTC)]})
        write_table_durably(runs, output / "runs" / f"{run_id}.parquet")  # the run is listed
        shutil.rmtree(output / "_in")
        size = index_path(output).stat().st_size / 2**20
        print(
            f"{number:3d}  {indexed:14d}  {len(rows):5d}  {1000 * elapsed / len(rows):14.2f}"
            f"  {peak_rss_mb():11.0f}  {size:8.0f}",
            flush=True,
        )
        indexed += len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--run-size", type=int, default=10_000)
    parser.add_argument("--part-size", type=int, default=1000)
    parser.add_argument("--output", type=Path, default=Path("/tmp/bench-stories"))
    args = parser.parse_args()
    bench(args.articles, args.run_size, args.output, args.part_size)


if __name__ == "__main__":
    main()
