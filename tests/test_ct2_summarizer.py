"""The CTranslate2 summarizer: the checkpoint's own generation settings, the same map-reduce."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newslib.engines.ct2_summarizer import (
    INFO_FILE,
    CTranslate2Summarizer,
    convert_summarizer,
    generation_options,
)
from newslib.engines.ct2_translator import load_ct2_model
from newslib.engines.models import ModelSource, load_seq2seq
from newslib.engines.spec import EngineSpec, get_summarizer
from newslib.engines.summarizer import Summarizer


@pytest.fixture(autouse=True)
def _private_ct2_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSFLOW_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "ct2-summ"))


def articles(ntrex_dir: Path) -> list[str]:
    """Short articles that fit one chunk, a long one that needs two levels, and an empty one."""
    english = (ntrex_dir / "newstest2019-src.eng.txt").read_text("utf-8").splitlines()
    short = [" ".join(english[i * 5 : i * 5 + 5]) for i in range(4)]
    return [*short, "\n".join(english[:60]), ""]


def test_generation_options_follow_the_checkpoints_generation_config(tmp_path: Path) -> None:
    from transformers import GenerationConfig

    # distilbart-cnn-12-6's generation settings
    GenerationConfig(
        num_beams=4,
        length_penalty=2.0,
        max_length=142,
        min_length=56,
        no_repeat_ngram_size=3,
        forced_bos_token_id=0,
        early_stopping=True,
    ).save_pretrained(tmp_path)
    options = generation_options(str(tmp_path), "<s>")
    assert options == {
        "beam_size": 4,
        "length_penalty": 2.0,
        "repetition_penalty": 1.0,
        "no_repeat_ngram_size": 3,
        # transformers counts the decoder's start token in its lengths; CTranslate2 does not
        "max_decoding_length": 141,
        "min_decoding_length": 55,
        "prefix": ["<s>"],
    }


def test_unquantized_it_writes_exactly_the_transformers_summaries(
    tiny_models: tuple[Path, Path], ntrex_dir: Path
) -> None:
    """Same weights in float32: any difference would be a generation setting translated wrong."""
    source = ModelSource(str(tiny_models[1]), True, "test")
    tokenizer, model = load_seq2seq(source, "cpu")
    texts = articles(ntrex_dir)
    expected = Summarizer(tokenizer, model, token_budget=4096, max_chunks=3).summarize(texts)
    model_dir = convert_summarizer(source, "float32")
    info = json.loads((model_dir / INFO_FILE).read_text("utf-8"))
    summarizer = CTranslate2Summarizer(
        tokenizer,
        load_ct2_model(model_dir, "cpu", "float32"),
        options=info["generation"],
        positions=info["max_position_embeddings"],
        token_budget=4096,
        max_chunks=3,
    )
    heard: list[tuple[int, int]] = []
    got = summarizer.summarize(texts, lambda done, total: heard.append((done, total)))
    assert got == expected
    assert expected[-2].levels == 2 and expected[-2].chunks == 3  # map-reduce was exercised
    assert heard and heard[-1][0] == heard[-1][1]
    assert summarizer.model_seconds > 0


def test_both_backends_give_the_same_summary_structure(
    tiny_models: tuple[Path, Path], ntrex_dir: Path
) -> None:
    """The run's backend picks the summarizer; int8 changes words, never chunks or levels."""
    source = ModelSource(str(tiny_models[1]), True, "test")
    translator = ModelSource(str(tiny_models[0]), True, "test")
    summaries = {}
    for backend in ("transformers", "ctranslate2"):
        spec = EngineSpec(translator, source, "cpu", backend, "eng_Latn", 2, 4096, False, 3)
        summarizer = get_summarizer(spec)
        assert summarizer is not None
        summaries[backend] = summarizer.summarize(articles(ntrex_dir))
    assert isinstance(get_summarizer(spec), CTranslate2Summarizer)
    structure = {
        backend: [(s.input_tokens, s.chunks, s.levels, s.total_chunks) for s in found]
        for backend, found in summaries.items()
    }
    assert structure["ctranslate2"] == structure["transformers"]
    assert all(s.text for s in summaries["ctranslate2"][:-1])
    assert summaries["ctranslate2"][-1].text == ""  # nothing to summarize
