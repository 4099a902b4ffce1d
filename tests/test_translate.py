"""Batching by token budget, explicit output limits, and order kept."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newslib.engines.models import ModelSource, load_seq2seq
from newslib.engines.transformers_translator import (
    TransformersTranslator,
    output_limit,
    plan_batches,
)


@given(
    st.lists(st.integers(min_value=1, max_value=300), max_size=200),
    st.integers(min_value=16, max_value=4096),
)
def test_batches_cover_every_segment_once_within_budget(lengths: list[int], budget: int) -> None:
    batches = plan_batches(lengths, budget)
    flat = [i for batch in batches for i in batch]
    assert sorted(flat) == list(range(len(lengths)))
    for batch in batches:
        longest = max(lengths[i] for i in batch)
        assert len(batch) == 1 or len(batch) * longest <= budget
        # Batches are length-sorted: similar lengths share a batch, so padding stays small.
        assert [lengths[i] for i in batch] == sorted((lengths[i] for i in batch), reverse=True)


def test_output_limit_follows_input_and_model() -> None:
    assert output_limit(10, 1024) == 30
    assert output_limit(20, 1024) > output_limit(10, 1024)
    assert output_limit(900, 1024) == 1024


def test_results_come_back_in_the_callers_order(tiny_models: tuple[Path, Path]) -> None:
    source = ModelSource(str(tiny_models[0]), True, "test")
    tokenizer, model = load_seq2seq(source, "cpu")
    translator = TransformersTranslator(
        tokenizer, model, target_lang="eng_Latn", beams=1, token_budget=64
    )
    texts = ["Satu.", "Dua ekor kucing tidur.", "Tiga ekor kucing tidur di atas tikar merah."]
    forward = translator.translate(texts, "zsm_Latn")
    backward = translator.translate(texts[::-1], "zsm_Latn")
    assert [t.text for t in forward] == [t.text for t in backward[::-1]]
    assert [t.src_tokens for t in forward] == sorted(t.src_tokens for t in forward)
    for result in forward:
        assert result.text
        # The limit comes from the longest input of the batch: never below the segment's own.
        assert result.max_new_tokens >= output_limit(result.src_tokens, 1024)
        assert result.out_tokens <= result.max_new_tokens
        assert result.hit_limit == (result.out_tokens >= result.max_new_tokens - 1)
