"""The tiny NLLB and distilbart look-alikes load like the real ones and behave plausibly."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch
from transformers import (
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    BartForConditionalGeneration,
    BartTokenizer,
    M2M100ForConditionalGeneration,
    NllbTokenizer,
)
from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

from tests import models
from tests.models import EOS_ID, build_tiny_models, ntrex_lines

# Held-out NTREX lines (the tokenizers train on the first 1000-1500).
HELD_OUT = models.NLLB_TRAIN_LINES  # the slice's lines no tokenizer was trained on
SOURCES = (("msa", "zsm_Latn"), ("ben", "ben_Beng"), ("arb", "arb_Arab"))
# `tiny_models` (conftest.py) builds both models once per session with build_tiny_models.

# (tokenizer, model) as loaded. Any: transformers' hints are too loose to check these tests
# (generate() returns a five-way union, tokenizer ids are int | list[int]).
Nllb = tuple[Any, Any]
Summarizer = tuple[Any, Any]


@pytest.fixture(scope="module", autouse=True)
def single_thread() -> Iterator[None]:
    """Tiny models gain nothing from intra-op threads, and on a busy 2-core machine the threads
    contend: 1 thread decodes ~10x faster here (5 vs 55 ms a step)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def nllb(tiny_models: tuple[Path, Path]) -> Nllb:
    path = tiny_models[0]
    return AutoTokenizer.from_pretrained(path), AutoModelForSeq2SeqLM.from_pretrained(path)


@pytest.fixture(scope="module")
def summarizer(tiny_models: tuple[Path, Path]) -> Summarizer:
    path = tiny_models[1]
    return AutoTokenizer.from_pretrained(path), AutoModelForSeq2SeqLM.from_pretrained(path)


def _digests(model_dir: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in model_dir.iterdir()}


def _mtimes(model_dir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in model_dir.iterdir()}


def test_nllb_has_the_real_classes_and_special_ids(nllb: Nllb) -> None:
    tokenizer, model = nllb
    assert isinstance(tokenizer, NllbTokenizer)
    assert isinstance(model, M2M100ForConditionalGeneration)
    config = model.config
    assert (config.bos_token_id, config.pad_token_id, config.eos_token_id) == (0, 1, 2)
    assert config.decoder_start_token_id == 2
    assert config.scale_embedding and config.max_position_embeddings == 1024
    assert config.vocab_size == len(tokenizer)
    assert model.get_output_embeddings().weight is model.model.shared.weight  # tied, as real
    assert tokenizer.model_max_length == 1024
    assert tokenizer.convert_ids_to_tokens([0, 1, 2, 3]) == ["<s>", "<pad>", "</s>", "<unk>"]
    assert tokenizer.mask_token_id == len(tokenizer) - 1
    assert model.generation_config.begin_suppress_tokens == [EOS_ID]
    assert model.generation_config.max_length == 200


def test_all_nllb_language_codes_are_single_special_tokens(nllb: Nllb) -> None:
    tokenizer, _ = nllb
    assert len(FAIRSEQ_LANGUAGE_CODES) == 202
    ids = tokenizer.convert_tokens_to_ids(FAIRSEQ_LANGUAGE_CODES)
    assert len(set(ids)) == 202 and tokenizer.unk_token_id not in ids
    for code, code_id in zip(FAIRSEQ_LANGUAGE_CODES, ids, strict=True):
        assert tokenizer(code, add_special_tokens=False).input_ids == [code_id]
    assert set(ids) <= set(tokenizer.all_special_ids)


def test_src_lang_prefixes_the_language_code_and_appends_eos(nllb: Nllb) -> None:
    tokenizer, _ = nllb
    for code in ("ben_Beng", "arb_Arab", "eng_Latn"):
        tokenizer.src_lang = code
        ids = tokenizer("Dhaka, 5 March").input_ids
        assert ids[0] == tokenizer.convert_tokens_to_ids(code)
        assert ids[-1] == EOS_ID and EOS_ID not in ids[1:-1]


def test_nllb_token_counts_are_realistic(nllb: Nllb, ntrex_dir: Path) -> None:
    tokenizer, _ = nllb
    for name, max_chars_per_token in (("eng-US", 2.0), ("ben", 1.5), ("arb", 1.5)):
        text = " ".join(ntrex_lines(ntrex_dir, name, HELD_OUT, HELD_OUT + 20))
        ids = tokenizer(text, add_special_tokens=False).input_ids
        # Subwords, not characters and not whole sentences.
        assert len(text) / 8 < len(ids) < len(text) / max_chars_per_token, name
        assert ids.count(tokenizer.unk_token_id) <= len(ids) // 100, name


def test_translations_are_nonempty_and_end_by_eos(nllb: Nllb, ntrex_dir: Path) -> None:
    tokenizer, model = nllb
    eng = tokenizer.convert_tokens_to_ids("eng_Latn")
    for name, code in SOURCES:
        tokenizer.src_lang = code
        sentences = ["Ok.", *ntrex_lines(ntrex_dir, name, HELD_OUT, HELD_OUT + 5)]
        inputs = tokenizer(sentences, return_tensors="pt", padding=True)
        source_lengths = inputs.attention_mask.sum(dim=1).tolist()
        limit = 2 * max(source_lengths) + 10
        out = model.generate(**inputs, forced_bos_token_id=eng, max_new_tokens=limit)
        assert (out[:, 1] == eng).all()
        for row, source_length in zip(out.tolist(), source_lengths, strict=True):
            new = row[2:]
            assert EOS_ID in new, "hit the limit"
            length = new.index(EOS_ID)
            assert 0 < length <= 2 * source_length + 10
            assert tokenizer.decode(new[:length], skip_special_tokens=True).strip()


def test_beam_search_translation_is_nonempty(nllb: Nllb) -> None:
    tokenizer, model = nllb
    tokenizer.src_lang = "zsm_Latn"
    inputs = tokenizer(["Kerajaan mengumumkan bajet baharu hari ini."], return_tensors="pt")
    out = model.generate(
        **inputs,
        forced_bos_token_id=tokenizer.convert_tokens_to_ids("eng_Latn"),
        num_beams=4,
        max_new_tokens=2 * inputs.input_ids.shape[1] + 10,
    )
    assert out[0, -1] == EOS_ID
    assert tokenizer.decode(out[0], skip_special_tokens=True).strip()


def test_summarizer_has_the_real_classes_and_settings(summarizer: Summarizer) -> None:
    tokenizer, model = summarizer
    assert isinstance(tokenizer, BartTokenizer)  # RobertaTokenizer under its transformers-5 alias
    assert isinstance(model, BartForConditionalGeneration)
    special = ["<s>", "<pad>", "</s>", "<unk>"]
    assert tokenizer.convert_ids_to_tokens([0, 1, 2, 3]) == special
    assert tokenizer.mask_token_id == len(tokenizer) - 1 == model.config.vocab_size - 1
    assert tokenizer.model_max_length == model.config.max_position_embeddings == 256
    generation = model.generation_config
    assert (generation.forced_bos_token_id, generation.begin_suppress_tokens) == (0, [EOS_ID])
    assert generation.no_repeat_ngram_size == 3 and generation.num_beams == 2


def test_summaries_are_nonempty_and_bounded(summarizer: Summarizer, ntrex_dir: Path) -> None:
    tokenizer, model = summarizer
    documents = [
        " ".join(ntrex_lines(ntrex_dir, "eng-US", start, start + 12))
        for start in (HELD_OUT, HELD_OUT + 20)
    ]
    text = documents[0]
    assert len(tokenizer(text).input_ids) < len(text) / 2
    inputs = tokenizer(documents, return_tensors="pt", padding=True, truncation=True)
    assert inputs.input_ids.shape[1] == 256  # truncated to model_max_length
    out = model.generate(**inputs)
    assert out.shape[1] <= model.generation_config.max_length
    for summary in tokenizer.batch_decode(out, skip_special_tokens=True):
        assert summary.strip()


def test_second_build_is_a_no_op(tiny_models: tuple[Path, Path]) -> None:
    before = [_mtimes(path) for path in tiny_models]
    assert build_tiny_models(tiny_models[0].parent) == tiny_models
    assert [_mtimes(path) for path in tiny_models] == before


def test_build_is_deterministic_and_repairs_broken_dirs(
    tiny_models: tuple[Path, Path], tmp_path: Path
) -> None:
    nllb_dir, summarizer_dir = build_tiny_models(tmp_path)
    assert _digests(nllb_dir) == _digests(tiny_models[0])
    assert _digests(summarizer_dir) == _digests(tiny_models[1])
    # An interrupted build (no completion stamp) is rebuilt; a complete sibling is kept.
    (nllb_dir / models.STAMP_FILE).unlink()
    (nllb_dir / "model.safetensors").write_bytes(b"")
    summarizer_mtimes = _mtimes(summarizer_dir)
    build_tiny_models(tmp_path)
    assert _digests(nllb_dir) == _digests(tiny_models[0])
    assert _mtimes(summarizer_dir) == summarizer_mtimes


def test_tiny_models_train_on_the_slice_in_the_repository() -> None:
    # Nothing beside the repository is needed: the slice holds every line the recipe reads,
    # and lines no tokenizer saw for the checks above.
    assert models.ntrex_dir().is_relative_to(models.REPO_ROOT)
    plan = models.NLLB_FOCUS_LINES | dict.fromkeys(models.NLLB_OTHER_LANGS, models.NLLB_OTHER_LINES)
    for name, n_lines in plan.items():
        lines = ntrex_lines(models.ntrex_dir(), name, 0, None)
        assert len(lines) >= max(n_lines, HELD_OUT + 32), name


def test_a_model_changed_in_place_with_the_same_size_is_a_new_revision(tmp_path: Path) -> None:
    from newslib.output.revision import HASHES_FILE, local_model_revision, newsflow_cache_root

    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}", encoding="utf-8")
    weights = model / "model.safetensors"
    weights.write_bytes(bytes(range(256)) * 64)
    first = local_model_revision(model)
    assert local_model_revision(model) == first  # unchanged: the same revision
    assert str(weights.resolve()) in (newsflow_cache_root() / HASHES_FILE).read_text("utf-8")

    data = bytearray(weights.read_bytes())
    data[1000] ^= 0xFF  # one byte: same size, same name
    weights.write_bytes(bytes(data))
    assert local_model_revision(model) != first


def test_the_cache_key_counts_newsflow_code_and_package_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newslib.output.cache
    from newslib.config import RunConfig
    from newslib.engines.models import ModelSource
    from newslib.engines.spec import EngineSpec
    from newslib.output.cache import result_key

    config = RunConfig(inputs=[tmp_path])
    source = ModelSource("m", True, "local-1")
    spec = EngineSpec(source, None, "cpu", "transformers", "eng_Latn", 1, 1024)
    key = result_key(config, spec)
    assert result_key(config, spec) == key
    real_versions = newslib.output.cache.package_versions
    monkeypatch.setattr(
        newslib.output.cache, "package_versions", lambda: real_versions() | {"transformers": "99.0"}
    )
    upgraded = result_key(config, spec)
    assert upgraded != key
    monkeypatch.setattr(newslib.output.cache, "code_revision", lambda: "edited-code")
    assert result_key(config, spec) not in (key, upgraded)
