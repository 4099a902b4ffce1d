"""Re-runs reuse finished articles; settings and models that change results re-do them; a batch
that fails once is retried, one that keeps failing fails only its own articles.

Flows run in-process against the session's Prefect test server, with the tiny models. Failures
are injected into the model call itself (the loaded model's `generate`), nothing else is faked.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from benchmarks.overhead import write_articles
from flows.pipeline import translate_news
from newslib.config import RunConfig
from newslib.engines.resolve import resolve_engines
from newslib.engines.spec import get_summarizer, get_translator
from newslib.output.cache import CACHE_DIR

N_ARTICLES = 6


@pytest.fixture(scope="module")
def inputs(ntrex_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    write_articles(ntrex_dir, N_ARTICLES, root / "in", root / "refs")
    return root / "in"


def config_for(models: tuple[Path, Path], inputs: Path, output: Path, **settings: Any) -> RunConfig:
    values: dict[str, Any] = {"beams": 1, "batch_articles": 2}
    values |= settings
    return RunConfig(
        inputs=[inputs], output=output, model=str(models[0]), summarizer=str(models[1]), **values
    )


def run_rows(output: Path, run_id: str) -> tuple[pd.DataFrame, pd.Series]:
    articles = pd.read_parquet(output / "articles")
    runs = pd.read_parquet(output / "runs").set_index("run_id")
    return articles[articles.run_id == run_id].set_index("source"), runs.loc[run_id]


def model_loads() -> tuple[int, int]:
    """(hits, misses) of this process's model caches: unchanged means no batch ran."""
    t, s = get_translator.cache_info(), get_summarizer.cache_info()
    return t.hits + s.hits, t.misses + s.misses


def test_a_rerun_with_the_same_settings_does_no_model_work(
    tiny_models: tuple[Path, Path], prefect_server: None, inputs: Path, tmp_path: Path
) -> None:
    config = config_for(tiny_models, inputs, tmp_path / "out")
    first = translate_news(config)
    assert first["n_ok"] == N_ARTICLES and first["n_cached"] == 0

    before = model_loads()
    second = translate_news(config)
    assert model_loads() == before  # no batch asked for a model
    assert second["n_cached"] == N_ARTICLES and second["n_ok"] == N_ARTICLES
    assert second["model_seconds"] == 0

    old, old_run = run_rows(config.output, first["run_id"])
    new, new_run = run_rows(config.output, second["run_id"])
    assert not old["cached"].any() and new["cached"].all()
    assert (old_run.n_cached, new_run.n_cached) == (0, N_ARTICLES)
    assert old_run.fingerprint == new_run.fingerprint
    columns = ["article_id", "clean_text", "translation", "summary", "source_lang", "n_segments"]
    pd.testing.assert_frame_equal(old[columns].sort_index(), new[columns].sort_index())
    segments = pd.read_parquet(config.output / "segments")
    per_run = segments.groupby("run_id").size()
    assert per_run[first["run_id"]] == per_run[second["run_id"]] > 0

    # Settings that do not change a translation keep the cache: batch size, token budget.
    third = translate_news(
        config_for(tiny_models, inputs, config.output, batch_articles=4, token_budget=512)
    )
    assert third["n_cached"] == N_ARTICLES


def test_a_new_article_is_the_only_model_work(
    tiny_models: tuple[Path, Path], prefect_server: None, inputs: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(inputs, folder)
    config = config_for(tiny_models, folder, tmp_path / "out")
    translate_news(config)
    extra = folder / "zz_new.txt"
    extra.write_text("Kerajaan negeri akan mengumumkan bantuan banjir minggu depan.\n", "utf-8")
    summary = translate_news(config)
    assert summary["n_articles"] == N_ARTICLES + 1
    assert summary["n_cached"] == N_ARTICLES and summary["model_seconds"] > 0
    articles, _ = run_rows(config.output, summary["run_id"])
    assert articles["cached"].to_dict() == {str(p): p != extra for p in sorted(folder.iterdir())}


@pytest.mark.slow
@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"beams": 2}, id="beams"),
        pytest.param({"summarize": False}, id="summarize"),
        pytest.param({"max_segment_tokens": 32}, id="segment-length"),
    ],
)
def test_a_setting_that_changes_results_redoes_every_article(
    tiny_models: tuple[Path, Path],
    prefect_server: None,
    inputs: Path,
    tmp_path: Path,
    change: dict[str, Any],
) -> None:
    translate_news(config_for(tiny_models, inputs, tmp_path / "out"))
    summary = translate_news(config_for(tiny_models, inputs, tmp_path / "out", **change))
    assert summary["n_cached"] == 0 and summary["n_ok"] == N_ARTICLES


@pytest.mark.slow
def test_another_model_or_the_same_model_changed_in_place_redoes_every_article(
    tiny_models: tuple[Path, Path], prefect_server: None, inputs: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    translate_news(config_for(tiny_models, inputs, output))
    other = tmp_path / "nllb-copy"
    shutil.copytree(tiny_models[0], other)
    models = (other, tiny_models[1])
    assert translate_news(config_for(models, inputs, output))["n_cached"] == 0
    assert translate_news(config_for(models, inputs, output))["n_cached"] == N_ARTICLES
    # Same directory, new revision (its generation settings changed): nothing is reused.
    generation = other / "generation_config.json"
    generation.write_text(generation.read_text().replace("{", '{\n  "newsflow_test": 1,', 1))
    assert translate_news(config_for(models, inputs, output))["n_cached"] == 0
    # The weights changed in place, same size, same names: nothing is reused either.
    add_noise_keeping_size(other / "model.safetensors")
    assert translate_news(config_for(models, inputs, output))["n_cached"] == 0
    runs = pd.read_parquet(output / "runs")
    assert runs["fingerprint"].nunique() == 4
    assert runs["model_revision"].nunique() == 3  # the copy has the original's content
    assert len(list((output / CACHE_DIR).iterdir())) == 4


def add_noise_keeping_size(weights: Path) -> None:
    """Add noise to every tensor of a safetensors file; the file keeps its size."""
    import torch
    from safetensors.torch import load_file, save_file

    size = weights.stat().st_size
    tensors = load_file(weights)
    generator = torch.Generator().manual_seed(0)
    for name, tensor in tensors.items():
        if tensor.is_floating_point():
            noise = torch.randn(tensor.shape, generator=generator, dtype=tensor.dtype)
            tensors[name] = tensor + 0.01 * noise
    save_file(tensors, weights, metadata={"format": "pt"})
    assert weights.stat().st_size == size


def inject(
    config: RunConfig, monkeypatch: pytest.MonkeyPatch, fails: Callable[[str], bool]
) -> list[str]:
    """Make this process's translation model raise when `fails(decoded input)` says so."""
    translator = get_translator(resolve_engines(config))
    model, tokenizer = translator.model, translator.tokenizer  # type: ignore[attr-defined]
    real_generate = model.generate
    raised: list[str] = []

    def generate(*args: Any, **kwargs: Any) -> Any:
        text = " ".join(tokenizer.batch_decode(kwargs["input_ids"], skip_special_tokens=True))
        if fails(text):
            raised.append(text)
            raise RuntimeError("injected model failure")
        return real_generate(*args, **kwargs)

    monkeypatch.setattr(model, "generate", generate)
    return raised


def test_a_transient_failure_in_a_batch_is_retried(
    tiny_models: tuple[Path, Path],
    prefect_server: None,
    inputs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = config_for(tiny_models, inputs, tmp_path / "out", backend="transformers")
    raised = inject(config, monkeypatch, lambda text: not raised)  # only the first call
    summary = translate_news(config)
    assert len(raised) == 1
    assert summary["n_ok"] == N_ARTICLES and summary["n_failed"] == 0


@pytest.mark.slow
def test_a_permanent_failure_fails_only_the_articles_of_its_batch(
    tiny_models: tuple[Path, Path],
    prefect_server: None,
    inputs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = config_for(tiny_models, inputs, tmp_path / "out", backend="transformers")
    files = sorted(inputs.iterdir())
    # Batches of 2 articles: the Malay article #3 shares batch 2 with the Arabic article #2.
    poisoned = files[3].read_text("utf-8")
    marker = max((w for w in poisoned.split() if w.isalpha()), key=len)
    assert not any(marker in f.read_text("utf-8") for f in files if f != files[3])
    raised = inject(config, monkeypatch, lambda text: marker in text)
    summary = translate_news(config)
    assert len(raised) == 2  # the first try and its retry
    articles, run = run_rows(config.output, summary["run_id"])
    failed = articles[articles.status == "failed"]
    assert sorted(failed.index) == [str(p) for p in files[2:4]]
    assert failed["reason"].str.contains("translation failed").all()
    assert failed["reason"].str.contains("injected model failure").all()
    assert (articles.drop(failed.index)["status"] == "ok").all()
    assert (run.n_failed, run.n_ok) == (2, N_ARTICLES - 2)

    # The failed batch was not cached: once the model works again, a re-run redoes just it.
    monkeypatch.undo()
    again = translate_news(config)
    assert again["n_failed"] == 0 and again["n_cached"] == N_ARTICLES - 2
