"""benchmarks/memory.py: distinct synthetic articles, and a real (tiny) run of the benchmark."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.memory import main, table, write_articles


def test_synthetic_articles_are_distinct_and_have_their_references(
    ntrex_dir: Path, tmp_path: Path
) -> None:
    write_articles(ntrex_dir, 600, 3, tmp_path / "in", tmp_path / "refs")

    texts = [p.read_text("utf-8") for p in sorted((tmp_path / "in").iterdir())]
    refs = [p.read_text("utf-8") for p in sorted((tmp_path / "refs").iterdir())]
    assert len(texts) == len(set(texts)) == 600  # more articles than NTREX has lines
    assert len(set(refs)) == 200  # the three languages translate the same English lines
    assert all(
        len(t.splitlines()) == len(r.splitlines()) == 3 for t, r in zip(texts, refs, strict=True)
    )


def test_table_gives_growth_per_article_and_the_ratio() -> None:
    rows = [
        {"articles": 1000, "peak_mb": 1000.0, "seconds": 10.0},
        {"articles": 3000, "peak_mb": 1100.0, "seconds": 30.0},
    ]
    printed = table(rows)
    assert "| 3,000 | 1,100 MB | 51.2 KB | 30 s |" in printed
    assert printed.endswith("largest / smallest peak memory: **1.10**")


@pytest.mark.slow  # two flows, each in its own process with its own Prefect server
def test_benchmark_runs_the_flow_per_size(
    tiny_models: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nllb, _ = tiny_models
    main(["--sizes", "4", "2", "--models", str(nllb.parent), "--keep", str(tmp_path)])

    printed = capsys.readouterr().out
    assert re.search(r"^\| 2 \| [\d,]+ MB \| - \|", printed, re.M)
    assert re.search(r"^\| 4 \| [\d,]+ MB \| -?[\d.]+ KB \|", printed, re.M)
    assert re.search(r"largest / smallest peak memory: \*\*\d+\.\d\d\*\*", printed)
    # each size ran its own flow into its own output, every article written
    for size in (2, 4):
        articles = pd.read_parquet(tmp_path / f"run-{size}" / "output" / "articles")
        assert len(articles) == size and (articles["status"] == "ok").all()
