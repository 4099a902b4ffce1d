"""Damaged files are found, named and never built on: result-cache entries are checked against
what was recorded when they were written, dataset files by `newsflow verify` and at run start."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from newsflow.cli import EXIT_CANNOT_RUN, EXIT_OK, app
from newslib.output.cache import ResultCache
from newslib.output.write import write_run


def article(article_id: str, n_segments: int) -> dict[str, object]:
    return {"article_id": article_id, "status": "ok", "translation": "x", "n_segments": n_segments}


def segments_of(article_id: str, n: int) -> list[dict[str, object]]:
    return [{"article_id": article_id, "segment_index": i, "translation": "y"} for i in range(n)]


def stored_cache(directory: Path) -> ResultCache:
    cache = ResultCache(directory)
    cache.store(
        "run-b00000", [article("a", 3), article("b", 2)], segments_of("a", 3) + segments_of("b", 2)
    )
    return cache


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "half":
        path.write_bytes(data[: len(data) // 2])
    else:  # one byte changed in the middle: same size
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])


def test_an_intact_cache_entry_is_served_whole(tmp_path: Path) -> None:
    stored_cache(tmp_path)
    articles, segments, damaged = ResultCache(tmp_path).load().fetch(["a", "b"])
    assert sorted(articles) == ["a", "b"] and not damaged
    assert len(segments["a"]) == 3 and len(segments["b"]) == 2


@pytest.mark.parametrize("how", ["empty", "half", "one-byte"])
@pytest.mark.parametrize("kind", ["articles", "segments"])
def test_a_damaged_cache_entry_is_discarded_with_a_warning(
    tmp_path: Path, kind: str, how: str
) -> None:
    stored_cache(tmp_path)
    damage(tmp_path / f"run-b00000.{kind}.parquet", how)
    warnings: list[str] = []
    cache = ResultCache(tmp_path, warnings.append).load()
    assert "a" in cache  # the manifest still lists it: found damaged when read

    articles, segments, damaged = cache.fetch(["a", "b"])

    assert articles == {} and dict(segments) == {} and damaged == {"a", "b"}
    assert len(warnings) == 1 and f"run-b00000.{kind}.parquet" in warnings[0]
    assert list(tmp_path.iterdir()) == []  # discarded: the next run stores its redone work
    assert "a" not in ResultCache(tmp_path).load()


@pytest.mark.slow
def test_a_run_redoes_the_articles_of_a_truncated_cache_entry(
    tiny_models: tuple[Path, Path], prefect_server: None, samples_dir: Path, tmp_path: Path
) -> None:
    from flows.pipeline import translate_news
    from newslib.config import RunConfig
    from newslib.output.cache import CACHE_DIR

    config = RunConfig(
        inputs=[samples_dir],
        output=tmp_path / "out",
        model=str(tiny_models[0]),
        summarizer=str(tiny_models[1]),
        beams=1,
        summarize=False,
    )
    first = translate_news(config)
    (entry,) = (tmp_path / "out" / CACHE_DIR).glob("*/*.segments.parquet")
    entry.write_bytes(b"")

    second = translate_news(config)

    assert second["n_cached"] == 0 and second["n_ok"] == first["n_ok"]
    assert second["n_segments"] == first["n_segments"] > 0
    articles = pd.read_parquet(tmp_path / "out" / "articles")
    segments = pd.read_parquet(tmp_path / "out" / "segments")
    mine = articles[articles.run_id == second["run_id"]]
    counts = segments[segments.run_id == second["run_id"]].groupby("article_id").size()
    expected = mine.set_index("article_id")["n_segments"].sort_index()
    assert (counts.reindex(expected.index, fill_value=0) == expected).all()
    assert translate_news(config)["n_cached"] == first["n_ok"]  # stored again, whole


def written_output(output: Path) -> Path:
    now = datetime.now(UTC)
    run = {"run_id": "r1", "started_at": now, "finished_at": now, "n_articles": 2, "n_segments": 3}
    articles = [{"run_id": "r1", "article_id": f"id{i}", "status": "ok"} for i in range(2)]
    segments = [{"run_id": "r1", "article_id": "id0", "segment_index": i} for i in range(3)]
    written = write_run(output, "r1", {"articles": articles, "segments": segments, "runs": [run]})
    return written["articles"]


def verify(output: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["verify", str(output)])
    return result.exit_code, " ".join(result.output.split())


def test_verify_passes_an_intact_output(tmp_path: Path) -> None:
    written_output(tmp_path)
    code, text = verify(tmp_path)
    assert code == EXIT_OK and "4 dataset files verified" in text


@pytest.mark.parametrize("how", ["empty", "half", "one-byte"])
def test_verify_names_a_damaged_dataset_file(tmp_path: Path, how: str) -> None:
    articles_file = written_output(tmp_path)
    damage(articles_file, how)
    code, text = verify(tmp_path)
    assert code == EXIT_CANNOT_RUN
    assert f"damaged: {articles_file}" in text and "Move it out of" in text


def test_a_file_with_rows_missing_is_named(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    articles_file = written_output(tmp_path)
    pq.write_table(pq.read_table(articles_file).slice(0, 1), articles_file)
    code, text = verify(tmp_path)
    assert code == EXIT_CANNOT_RUN and f"damaged: {articles_file}" in text
    assert "but its run wrote" in text  # its size differs from what the run recorded


def test_runs_written_before_file_records_are_checked_by_row_counts(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    articles_file = written_output(tmp_path)
    runs_file = tmp_path / "runs" / "r1.parquet"
    runs = pq.read_table(runs_file)
    pq.write_table(runs.drop_columns(["files_json"]), runs_file)  # as an older run wrote it
    pq.write_table(pq.read_table(articles_file).slice(0, 1), articles_file)
    code, text = verify(tmp_path)
    assert code == EXIT_CANNOT_RUN and "holds 1 rows, but its run recorded 2" in text


def test_a_run_never_builds_on_a_damaged_output(tmp_path: Path) -> None:
    articles_file = written_output(tmp_path / "out")
    damage(articles_file, "half")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.txt").write_text("Berita.", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["run", str(tmp_path / "in"), "--output", str(tmp_path / "out")]
    )
    assert result.exit_code == EXIT_CANNOT_RUN
    assert str(articles_file) in " ".join(result.output.split())
    assert sorted(p.name for p in (tmp_path / "out" / "runs").iterdir()) == ["r1.parquet"]
