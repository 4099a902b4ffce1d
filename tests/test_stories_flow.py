"""Story linking in the real flow: English articles passed through untranslated."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from newslib.config import RunConfig
from tests import story_articles as texts


def flow_then_link(inputs: Path, output: Path, models: tuple[Path, Path]) -> pd.DataFrame:
    from flows.pipeline import translate_news

    config = RunConfig(
        inputs=[inputs],
        output=output,
        model=str(models[0]),
        summarizer=str(models[1]),
        source_lang="eng_Latn",  # passed through: translation == the text
        summarize=False,  # the tiny summarizer's random text would only add noise
    )
    run_id = translate_news(config)["run_id"]
    return pd.read_parquet(output / "articles" / f"{run_id}.parquet").set_index("source")


@pytest.mark.slow
def test_the_flows_articles_link_into_stories_across_runs(
    tiny_models: tuple[Path, Path], prefect_server: None, tmp_path: Path
) -> None:
    inputs, output = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for name, text in [("a.txt", texts.PACT_SITE_A), ("b.txt", texts.PACT_SITE_B),
                       ("flood.txt", texts.FLOOD)]:  # fmt: skip
        (inputs / name).write_text(text, encoding="utf-8")
    first = flow_then_link(inputs, output, tiny_models)
    first.index = [Path(s).name for s in first.index]
    assert (first["translation"].str.len() > 0).all()
    assert first.loc["a.txt", "story_id"] == first.loc["b.txt", "story_id"]
    assert first.loc["flood.txt", "story_id"] != first.loc["a.txt", "story_id"]

    (inputs / "c.txt").write_text(texts.PACT_SITE_C, encoding="utf-8")
    second = flow_then_link(inputs, output, tiny_models)
    second.index = [Path(s).name for s in second.index]
    for name in ("a.txt", "b.txt", "flood.txt"):
        assert second.loc[name, "story_id"] == first.loc[name, "story_id"]
    assert second.loc["c.txt", "story_id"] == first.loc["a.txt", "story_id"]
