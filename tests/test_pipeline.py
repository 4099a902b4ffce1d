"""The whole flow on the sample articles, with tiny models loaded the way users load theirs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from newslib.config import RunConfig
from newslib.output.schema import SCHEMAS
from newslib.text.clean import clean_text

BOILERPLATE = [
    "Komen (0)",
    "মন্তব্য (0)",
    "تعليق (0)",
    "[বিজ্ঞাপন_২]",
    "[إعلان 2]",
    "Muat turun aplikasi Sinar Harian",
    "Artikel Berkaitan",
]


def run_flow(config: RunConfig) -> dict[str, Any]:
    from flows.pipeline import translate_news

    return translate_news(config)


@pytest.fixture(scope="module")
def sample_run(
    tiny_models: tuple[Path, Path],
    prefect_server: None,
    samples_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, Any]]:
    output = tmp_path_factory.mktemp("sample-run")
    config = RunConfig(
        inputs=[samples_dir],
        output=output,
        model=str(tiny_models[0]),
        summarizer=str(tiny_models[1]),
        beams=2,
    )
    return output, run_flow(config)


def test_every_sample_article_is_translated_and_summarized(sample_run, samples_dir) -> None:
    output, summary = sample_run
    articles = pd.read_parquet(output / "articles").set_index("source")
    assert len(articles) == len(list(samples_dir.glob("*.txt"))) == 5
    assert (articles["status"] == "ok").all()
    languages = {Path(s).name[:3]: lang for s, lang in articles["source_lang"].items()}
    assert languages == {
        "000": "zsm_Latn",
        "001": "zsm_Latn",
        "002": "ben_Beng",
        "003": "arb_Arab",
        "004": "arb_Arab",
    }
    assert articles["translation"].str.strip().str.len().gt(0).all()
    assert articles["summary"].str.strip().str.len().gt(0).all()
    assert summary["n_ok"] == 5 and summary["n_failed"] == 0
    assert summary["languages"] == {"zsm_Latn": 2, "ben_Beng": 1, "arb_Arab": 2}


def test_translation_keeps_the_cleaned_line_structure(sample_run) -> None:
    output, _ = sample_run
    articles = pd.read_parquet(output / "articles")
    segments = pd.read_parquet(output / "segments")
    for article in articles.itertuples():
        clean_lines = article.clean_text.split("\n")
        assert len(article.translation.split("\n")) == len(clean_lines) == article.n_lines
        own = segments[segments["article_id"] == article.article_id]
        assert sorted(own["line_index"].unique()) == list(range(len(clean_lines)))
        assert len(own) == article.n_segments
        for text in BOILERPLATE:
            assert text not in article.clean_text


def test_cleaning_in_the_flow_is_the_cleaner(sample_run, samples_dir) -> None:
    output, _ = sample_run
    articles = pd.read_parquet(output / "articles")
    for article in articles.itertuples():
        raw = Path(article.source).read_text(encoding="utf-8")
        assert article.clean_text == clean_text(raw).text
        assert [d["reason"] for d in article.dropped_lines] == [
            d.reason for d in clean_text(raw).dropped
        ]


def test_written_datasets_have_the_documented_schema(sample_run) -> None:
    output, summary = sample_run
    import pyarrow.parquet as pq

    for name, schema in SCHEMAS.items():
        if name == "stories":  # written once story linking is in the flow (issue #17)
            continue
        (file,) = (output / name).glob("*.parquet")
        assert file.name == f"{summary['run_id']}.parquet"
        assert pq.read_schema(file).remove_metadata().equals(schema().remove_metadata())
    runs = pd.read_parquet(output / "runs")
    assert runs.loc[0, "n_articles"] == 5 and runs.loc[0, "model_seconds"] > 0
    assert not (output / "_staging" / summary["run_id"]).exists()


def test_bad_inputs_become_failed_rows_and_the_run_goes_on(
    tiny_models: tuple[Path, Path], prefect_server: None, samples_dir: Path, tmp_path: Path
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(samples_dir / "000_f12dd5e4ffb682dc.txt", inputs / "good.txt")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "latin1.txt").write_bytes("Berita caf\xe9".encode("latin-1"))
    (inputs / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (inputs / "boilerplate-only.txt").write_text("Komen (0)\nA\nA\n", encoding="utf-8")
    config = RunConfig(
        inputs=[inputs],
        output=tmp_path / "out",
        model=str(tiny_models[0]),
        summarizer=str(tiny_models[1]),
        beams=1,
    )

    summary = run_flow(config)

    articles = pd.read_parquet(tmp_path / "out" / "articles").set_index("source")
    reasons = {Path(s).name: r for s, r in articles["reason"].items()}
    assert len(articles) == 5
    assert pd.isna(reasons["good.txt"])
    assert articles.loc[str(inputs / "good.txt"), "translation"]
    assert reasons["empty.txt"] == "empty file"
    assert "not valid UTF-8" in reasons["latin1.txt"]
    assert "PNG" in reasons["image.png"]
    assert reasons["boilerplate-only.txt"] == "no text left after cleaning"
    assert summary["n_failed"] == 4 and summary["n_ok"] == 1
