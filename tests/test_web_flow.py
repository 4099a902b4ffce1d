"""The flow on a folder mixing text, HTML, a WARC, a table and a Windows-1256 file (issue #13)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from newslib.config import RunConfig
from tests.conftest import REPO_ROOT

WEB = REPO_ROOT / "data" / "web"
SAMPLES = REPO_ROOT / "data" / "samples"
# Strings of the pages' scripts, menus and share bars (eval/web_pages.py)
NOT_ARTICLE = ["googletag", "dataLayer", "Kongsi", "শেয়ার করুন", "مشاركة", "Utama", "Hiburan"]


@pytest.fixture(scope="module")
def mixed_run(
    tiny_models: tuple[Path, Path],
    prefect_server: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    from flows.pipeline import translate_news

    inputs = tmp_path_factory.mktemp("mixed")
    shutil.copy(SAMPLES / "000_f12dd5e4ffb682dc.txt", inputs / "plain.txt")
    shutil.copy(WEB / "000_f12dd5e4ffb682dc.html", inputs / "page.html")
    shutil.copy(WEB / "samples.warc.gz", inputs / "crawl.warc.gz")
    arabic = (SAMPLES / "004_19f5079ce5c62d1f.txt").read_text(encoding="utf-8")
    (inputs / "legacy.txt").write_bytes(arabic.encode("cp1256"))
    row = {
        "text": (SAMPLES / "002_e51bf2022168d2be.txt").read_text(encoding="utf-8"),
        "headline": "পুতিনের উত্তর কোরিয়া সফর",
        "url": "https://feed.example/1",
        "published_at": "2024-02-09T18:00:00+06:00",
    }
    (inputs / "feed.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n")
    output = tmp_path_factory.mktemp("mixed-out")
    config = RunConfig(
        inputs=[inputs],
        output=output,
        model=str(tiny_models[0]),
        summarizer=str(tiny_models[1]),
        beams=1,
        summarize=False,
        title_column="headline",
    )
    summary = translate_news(config)
    return pd.read_parquet(output / "articles"), summary


def test_every_input_of_every_format_has_a_row(mixed_run) -> None:
    articles, summary = mixed_run
    formats = articles["input_format"].value_counts().to_dict()
    assert formats == {"warc": 5, "text": 2, "html": 1, "table": 1}
    assert (articles["status"] == "ok").all(), articles[["source", "reason"]]
    assert summary["n_ok"] == 9


def test_web_pages_carry_their_metadata(mixed_run) -> None:
    articles, _ = mixed_run
    web = articles[articles["input_format"].isin(["html", "warc"])]
    assert web["title"].notna().all() and web["url"].notna().all()
    assert web["published_at"].notna().all()
    assert str(web["published_at"].dtype) == "datetime64[us, UTC]"
    assert web["title_translation"].str.len().gt(0).all()
    for text in web["clean_text"]:
        assert not any(marker in text for marker in NOT_ARTICLE)
    # The page from the file and from the archive is one article, each row with its own
    # source and format.
    same = articles[articles["url"].str.endswith("moscow-pyongyang-pakej-perjanjian", na=False)]
    assert set(same["input_format"]) == {"html", "warc"} and same["article_id"].nunique() == 1
    table = articles[articles["input_format"] == "table"].iloc[0]
    assert table["title"] == "পুতিনের উত্তর কোরিয়া সফর" and table["url"] == "https://feed.example/1"
    assert table["title_translation"]


def test_a_windows_1256_file_is_translated(mixed_run) -> None:
    articles, _ = mixed_run
    legacy = articles[articles["source"].str.endswith("legacy.txt")].iloc[0]
    assert legacy["encoding"] == "windows-1256" and legacy["source_lang"] == "arb_Arab"
    assert legacy["translation"]
    plain = articles[articles["source"].str.endswith("plain.txt")].iloc[0]
    assert plain["encoding"] == "utf-8" and pd.isna(plain["title"])
