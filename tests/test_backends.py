"""Both translation backends keep one contract; out-of-memory batches are split, never lost."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
import torch

from newslib.config import RunConfig
from newslib.engines.ct2_translator import CTranslate2Translator, convert, load_ct2_translator
from newslib.engines.models import ModelSource, ModelUnavailableError, load_seq2seq
from newslib.engines.spec import resolve_backend
from newslib.engines.transformers_translator import (
    SegmentTooLargeError,
    TransformersTranslator,
    Translation,
    is_out_of_memory,
    output_limit,
    run_splitting_on_oom,
    translate_in_batches,
)
from newslib.engines.vocab import english_token_ids, read_vmap

TEXTS = [
    "Satu.",
    "Dua ekor kucing tidur.",
    "Tiga ekor kucing tidur di atas tikar merah.",
    "Menteri berkata peraturan baharu akan berkuat kuasa bulan depan di seluruh negara.",
    "Hujan.",
]


@pytest.fixture(scope="module")
def ct2_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ct2-cache")


@pytest.fixture(autouse=True)
def _private_ct2_cache(ct2_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_CACHE_DIR", str(ct2_cache))


@pytest.fixture(scope="module")
def source(tiny_models: tuple[Path, Path]) -> ModelSource:
    return ModelSource(str(tiny_models[0]), True, "test-backends")


def transformers_translator(source: ModelSource, beams: int = 2, budget: int = 96) -> Any:
    tokenizer, model = load_seq2seq(source, "cpu")
    return TransformersTranslator(
        tokenizer, model, target_lang="eng_Latn", beams=beams, token_budget=budget
    )


def ct2_translator(source: ModelSource, beams: int = 2, budget: int = 96, **kw: Any) -> Any:
    return load_ct2_translator(
        source, "cpu", target_lang="eng_Latn", beams=beams, token_budget=budget, **kw
    )


# --- out of memory ---------------------------------------------------------------------------


class OomAbove:
    """Wraps a model: any call with more than `rows` rows raises `error`; records batch sizes."""

    def __init__(self, model: Any, method: str, rows: int, error: Exception) -> None:
        self._model, self._method, self.rows, self.error = model, method, rows, error
        self.calls: list[int] = []

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._model, name)
        if name != self._method:
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            batch = args[0] if args else kwargs["input_ids"]
            self.calls.append(len(batch))
            if len(batch) > self.rows:
                raise self.error
            return attribute(*args, **kwargs)

        return call

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # a forward pass (scoring outputs)
        return self._model(*args, **kwargs)


@pytest.mark.parametrize(
    ("error", "oom"),
    [
        (torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB"), True),
        (RuntimeError("CUDA failed with error out of memory"), True),  # CTranslate2's wording
        (RuntimeError("CUBLAS_STATUS_ALLOC_FAILED when calling cublasCreate"), True),
        (MemoryError(), True),
        (RuntimeError("index out of range in self"), False),
        (ValueError("out of memory"), False),
    ],
)
def test_out_of_memory_errors_are_recognized(error: BaseException, oom: bool) -> None:
    assert is_out_of_memory(error) is oom


def test_splitting_recurses_and_keeps_order() -> None:
    seen: list[list[int]] = []

    def run(rows: list[int]) -> list[int]:
        seen.append(rows)
        if len(rows) > 2:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory")
        return [r * 10 for r in rows]

    assert run_splitting_on_oom(list(range(7)), run) == [r * 10 for r in range(7)]
    assert max(len(rows) for rows in seen if len(rows) <= 2) == 2
    with pytest.raises(SegmentTooLargeError, match="does not fit"):
        run_splitting_on_oom([1], lambda rows: (_ for _ in ()).throw(MemoryError()))
    with pytest.raises(KeyError):  # anything else is not ours to handle
        run_splitting_on_oom([1, 2], lambda rows: (_ for _ in ()).throw(KeyError("x")))


def test_batches_come_back_in_input_order_with_progress_and_oom_splits() -> None:
    # Rows of 1..6 tokens, budget 12: planned batches of 6+5, 4+3+2 and 1 tokens a row.
    rows = [[0] * n for n in range(1, 7)]
    batches: list[list[int]] = []
    progress: list[tuple[int, int]] = []

    def generate(batch: list[list[int]]) -> list[Translation]:
        if len(batch) > 1 and len(batch[0]) == 6:
            raise MemoryError  # the longest batch does not fit: it is split in halves
        batches.append([len(row) for row in batch])
        return [Translation(f"{len(row)} tokens", len(row), 1, 10, False) for row in batch]

    results = translate_in_batches(
        rows, 12, generate, lambda done, total: progress.append((done, total))
    )
    assert [r.text for r in results] == [f"{n} tokens" for n in range(1, 7)]
    assert batches == [[6], [5], [4, 3, 2], [1]]  # longest first; the first ran as halves
    assert progress == [(2, 6), (5, 6), (6, 6)]  # once per planned batch
    assert translate_in_batches([], 12, generate) == []


def test_transformers_oom_in_a_batch_is_recovered_by_splitting(source: ModelSource) -> None:
    reference = transformers_translator(source, budget=1)  # one segment per batch
    expected = reference.translate(TEXTS, "zsm_Latn")
    translator = transformers_translator(source, budget=10_000)
    wrapped = OomAbove(translator.model, "generate", 1, torch.cuda.OutOfMemoryError("OOM"))
    translator.model = wrapped
    results = translator.translate(TEXTS, "zsm_Latn")
    assert wrapped.calls[0] == len(TEXTS)  # one batch at first, then halves down to single rows
    assert sorted(wrapped.calls) != wrapped.calls and 1 in wrapped.calls
    assert [r.text for r in results] == [r.text for r in expected]
    assert [r.src_tokens for r in results] == [r.src_tokens for r in expected]

    wrapped.rows = 0  # even a single segment does not fit: a clear error, not a lost batch
    with pytest.raises(SegmentTooLargeError):
        translator.translate(TEXTS[:1], "zsm_Latn")


def test_ctranslate2_oom_in_a_batch_is_recovered_by_splitting(source: ModelSource) -> None:
    reference = ct2_translator(source, budget=1)
    expected = reference.translate(TEXTS, "zsm_Latn")
    translator = ct2_translator(source, budget=10_000)
    error = RuntimeError("CUDA failed with error out of memory")
    wrapped = OomAbove(translator.model, "translate_batch", 2, error)
    translator.model = wrapped
    results = translator.translate(TEXTS, "zsm_Latn")
    assert wrapped.calls[0] == len(TEXTS) and max(wrapped.calls[1:]) <= len(TEXTS) // 2 + 1
    assert [r.text for r in results] == [r.text for r in expected]


# --- one contract ----------------------------------------------------------------------------


def test_ctranslate2_keeps_the_translation_contract(source: ModelSource) -> None:
    translator = ct2_translator(source)
    forward = translator.translate(TEXTS, "zsm_Latn")
    backward = translator.translate(TEXTS[::-1], "zsm_Latn")
    assert [t.text for t in forward] == [t.text for t in backward[::-1]]
    reference = transformers_translator(source).translate(TEXTS, "zsm_Latn")
    assert [t.src_tokens for t in forward] == [t.src_tokens for t in reference]
    assert [t.max_new_tokens for t in forward] == [t.max_new_tokens for t in reference]
    for result in forward:
        assert result.max_new_tokens >= output_limit(result.src_tokens, 1024)
        assert result.out_tokens <= result.max_new_tokens
        # Same semantics as transformers: the language token counts towards the limit.
        assert result.hit_limit == (result.out_tokens >= result.max_new_tokens - 1)
    assert translator.model_seconds > 0


class Recorder:
    def __init__(self, model: Any) -> None:
        self._model = model
        self.kwargs: list[dict[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def translate_batch(self, source: Any, **kwargs: Any) -> Any:
        self.kwargs.append(kwargs)
        return self._model.translate_batch(source, **kwargs)


def test_a_batch_holds_the_whole_token_budget_at_any_beam_size(source: ModelSource) -> None:
    """The budget counts source tokens, as CTranslate2's own token batching does: beams do not
    divide it (a quarter of it at beam 4 ran 10% slower than the plain CTranslate2 call)."""
    translator = ct2_translator(source, beams=4, budget=1)
    translator.tokenizer.src_lang = "zsm_Latn"
    lengths = [len(ids) for ids in translator.tokenizer(TEXTS)["input_ids"]]
    budget = len(TEXTS) * max(lengths)  # every text padded to the longest: one batch exactly
    translator = ct2_translator(source, beams=4, budget=budget)
    recorder = Recorder(translator.model)
    translator.model = recorder
    translator.translate(TEXTS, "zsm_Latn")
    assert len(recorder.kwargs) == 1
    torch_translator = transformers_translator(source, beams=4, budget=budget)
    generate, calls = torch_translator.model.generate, []

    def counted(**kwargs: Any) -> Any:
        calls.append(kwargs)
        return generate(**kwargs)

    torch_translator.model.generate = counted
    torch_translator.translate(TEXTS, "zsm_Latn")
    assert len(calls) == 1
    smaller = ct2_translator(source, beams=4, budget=budget - 1)  # one token short of that
    recorder = Recorder(smaller.model)
    smaller.model = recorder
    smaller.translate(TEXTS, "zsm_Latn")
    assert len(recorder.kwargs) == 2


def test_ctranslate2_limits_are_explicit_and_repair_is_honoured(source: ModelSource) -> None:
    translator = ct2_translator(source, beams=3)
    recorder = Recorder(translator.model)
    translator.model = recorder
    translator.translate(TEXTS[:2], "zsm_Latn")
    translator.translate(TEXTS[:2], "zsm_Latn", repair=True)
    normal, repair = recorder.kwargs
    longest = max(len(translator.tokenizer(text)["input_ids"]) for text in TEXTS[:2])
    for kwargs in (normal, repair):
        # CTranslate2's defaults (1024 in, 256 out) would truncate silently.
        assert kwargs["max_input_length"] == 1024
        assert kwargs["max_decoding_length"] == output_limit(longest, 1024)
        assert kwargs["beam_size"] == 3
        assert kwargs["target_prefix"] == [["eng_Latn"]] * 2
    assert (normal["repetition_penalty"], normal["no_repeat_ngram_size"]) == (1.0, 0)
    assert (repair["repetition_penalty"], repair["no_repeat_ngram_size"]) == (1.2, 4)


def test_a_segment_longer_than_the_model_is_an_error_not_a_truncation(
    source: ModelSource,
) -> None:
    translator = ct2_translator(source)
    translator.model_max = 8
    with pytest.raises(ValueError, match="longer than the model"):
        translator.translate([TEXTS[3]], "zsm_Latn")


# --- the converted model cache ---------------------------------------------------------------


def test_conversion_is_cached_by_revision_and_survives_a_race(
    source: ModelSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newslib.engines.ct2_translator as ct2

    # Another process finishes the same conversion while ours is still writing: ours must
    # give way to it (rename fails) and use the finished one, leaving no temporary behind.
    real_write_vmap = ct2.write_vmap
    racing: list[Path] = []
    started: list[bool] = []

    def write_vmap_while_another_finishes(*args: Any) -> int:
        if not started:
            started.append(True)
            racing.append(convert(source, "int8", "eng_Latn", tmp_path))
        return real_write_vmap(*args)

    monkeypatch.setattr(ct2, "write_vmap", write_vmap_while_another_finishes)
    ours = convert(source, "int8", "eng_Latn", tmp_path)
    assert racing == [ours]
    assert [p.name for p in tmp_path.iterdir()] == [ours.name]  # no temporary left
    monkeypatch.setattr(ct2, "write_vmap", real_write_vmap)

    model = ours / "model.bin"
    stamp = model.stat().st_mtime_ns
    assert convert(source, "int8", "eng_Latn", tmp_path) == ours
    assert model.stat().st_mtime_ns == stamp  # not converted again
    other = ModelSource(source.name, True, "another-revision")
    assert convert(other, "int8", "eng_Latn", tmp_path) != ours


# --- English target vocabulary ---------------------------------------------------------------


def test_english_vocabulary_keeps_english_pieces_only(source: ModelSource) -> None:
    from newslib.engines.models import load_tokenizer

    tokenizer = load_tokenizer(source)
    ids = set(english_token_ids(tokenizer, "eng_Latn"))
    pieces = set(tokenizer.convert_ids_to_tokens(sorted(ids)))
    assert {"eng_Latn", "</s>", "<unk>", "<pad>"} <= pieces
    assert "zsm_Latn" not in pieces and "ben_Beng" not in pieces
    english = "The minister said on Tuesday that £3.5m – about €4m – was “not enough”."
    assert set(tokenizer(english, add_special_tokens=False)["input_ids"]) <= ids
    bengali = tokenizer("মন্ত্রী বলেছেন", add_special_tokens=False)["input_ids"]
    assert not set(bengali) & ids
    assert len(ids) < len(tokenizer)


def test_restricted_decoding_changes_only_what_english_could_not_say(
    tiny_models: tuple[Path, Path], ntrex_dir: Path
) -> None:
    """Greedy: over a vocabulary that holds every piece the full outputs chose, nothing changes.

    So the restriction changes a greedy output only where the full vocabulary's choice was a
    piece English cannot contain. (Beam search renormalizes over fewer pieces: README.)
    """
    from benchmarks.bench_vocab import measure, ntrex_lines

    (effect,) = measure(tiny_models[0], {"zsm_Latn": ntrex_lines(ntrex_dir, 30)["zsm_Latn"]}, 1)
    assert effect.segments == 30
    assert effect.restricted_outside == 0
    assert effect.covering_identical == effect.segments
    assert effect.identical >= effect.segments - effect.outside
    assert 0 < effect.vocabulary < effect.full_vocabulary


def test_the_converted_model_carries_its_vocabulary_map(source: ModelSource) -> None:
    from newslib.engines.ct2_translator import QUANTIZATION, VMAP_FILE

    directory = convert(source, QUANTIZATION["cpu"], "eng_Latn")
    pieces = read_vmap(directory / VMAP_FILE)
    assert "eng_Latn" in pieces and "</s>" in pieces and "zsm_Latn" not in pieces


# --- choosing a backend ----------------------------------------------------------------------


def test_auto_picks_ctranslate2_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_backend("auto", "cpu") == "ctranslate2"
    assert resolve_backend("transformers", "cpu") == "transformers"
    monkeypatch.setattr("newslib.engines.spec.ctranslate2_usable", lambda device: False)
    assert resolve_backend("auto", "cpu") == "transformers"
    with pytest.raises(ModelUnavailableError, match="ctranslate2"):
        resolve_backend("ctranslate2", "cuda")


# --- the whole flow, once per backend --------------------------------------------------------


@pytest.fixture(scope="module")
def runs_by_backend(
    tiny_models: tuple[Path, Path],
    prefect_server: None,
    samples_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    ct2_cache: Path,
) -> dict[str, Path]:
    from flows.pipeline import translate_news

    outputs = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSFLOW_CACHE_DIR", str(ct2_cache))
        for backend in ("transformers", "ctranslate2"):
            output = tmp_path_factory.mktemp(f"run-{backend}")
            config = RunConfig(
                inputs=[samples_dir],
                output=output,
                model=str(tiny_models[0]),
                summarizer=str(tiny_models[1]),
                summarize=False,
                beams=2,
                backend=backend,
            )
            translate_news(config)
            outputs[backend] = output
    return outputs


def test_both_backends_give_the_same_segmentation_flags_and_schema(
    runs_by_backend: dict[str, Path],
) -> None:
    keys = ["article_id", "line_index", "segment_index"]
    segmentation = ["source_lang", "source_text", "translated"]
    tables = {}
    for backend, output in runs_by_backend.items():
        segments = pd.read_parquet(output / "segments").sort_values(keys).reset_index(drop=True)
        assert len(segments) > 0
        # Outputs not repaired: the length flag says exactly "decoding stopped at the limit",
        # with the limit derived from the batch's longest input, never a library default.
        first = segments[segments["translated"] & segments["repair"].isna()]
        assert len(first) > 0
        assert (first["out_tokens"] <= first["max_new_tokens"]).all()
        hit = first["out_tokens"] >= first["max_new_tokens"] - 1
        assert (first["flag_length_limit"] == hit).all()
        assert (first["max_new_tokens"] >= first["src_tokens"] * 2 + 10).all()
        runs = pd.read_parquet(output / "runs")
        assert list(runs["backend"]) == [backend]
        tables[backend] = segments
    a, b = tables["transformers"], tables["ctranslate2"]
    pd.testing.assert_frame_equal(a[keys + segmentation], b[keys + segmentation])
    # Same tokenizer, same batches: same token counts and limits for every first output.
    both = a["repair"].isna() & b["repair"].isna() & a["translated"]
    for column in ("src_tokens", "max_new_tokens"):
        assert (a.loc[both, column] == b.loc[both, column]).all(), column
    flag_columns = [c for c in a.columns if c.startswith("flag_")]
    assert flag_columns == [c for c in b.columns if c.startswith("flag_")]
    assert "flag_length_limit" in flag_columns
    for dataset in ("articles", "segments", "scores", "runs"):
        schemas = [
            pq.read_schema(next((out / dataset).glob("*.parquet")))
            for out in runs_by_backend.values()
        ]
        assert schemas[0].equals(schemas[1]), dataset
    articles = [pd.read_parquet(out / "articles") for out in runs_by_backend.values()]
    for column in ("article_id", "status", "n_lines", "n_segments", "clean_text"):
        assert sorted(articles[0][column].astype(str)) == sorted(articles[1][column].astype(str))


def test_vocabulary_restriction_is_checked_and_fingerprinted() -> None:
    from newslib.engines.spec import restrict_vocab_for

    plain = RunConfig(model="m", summarizer="s")
    assert RunConfig(model="m", summarizer="s", restrict_vocab=False).output_fingerprint() == (
        plain.output_fingerprint()
    )
    restricted = RunConfig(model="m", summarizer="s", restrict_vocab=True)
    assert restricted.output_fingerprint() != plain.output_fingerprint()
    assert restrict_vocab_for("ctranslate2", True) is True
    with pytest.raises(ModelUnavailableError, match="--restrict-vocab"):
        restrict_vocab_for("transformers", True)


def test_both_backends_score_their_outputs_the_same_way(source: ModelSource) -> None:
    # The mean log-probability per token of the output under the model (not the beam score).
    # With the same weights in float32 the two backends agree to float precision.
    import ctranslate2
    from ctranslate2.converters import TransformersConverter

    reference = transformers_translator(source, beams=1)
    expected = reference.translate(TEXTS, "zsm_Latn")
    with tempfile.TemporaryDirectory() as tmp:
        TransformersConverter(source.name).convert(f"{tmp}/m", quantization="float32")
        model = ctranslate2.Translator(f"{tmp}/m", device="cpu", compute_type="float32")
        translator = CTranslate2Translator(
            reference.tokenizer, model, target_lang="eng_Latn", beams=1, token_budget=96
        )
        results = translator.translate(TEXTS, "zsm_Latn")
    assert [r.text for r in results] == [r.text for r in expected]
    for ours, theirs in zip(results, expected, strict=True):
        assert ours.log_prob is not None and theirs.log_prob is not None
        assert ours.log_prob < 0
        assert ours.log_prob == pytest.approx(theirs.log_prob, abs=1e-3)


def test_the_decodings_own_scores_are_the_second_passes_log_probabilities(
    source: ModelSource,
) -> None:
    """Without penalties or a restricted vocabulary, the log-probability comes from the
    decoding itself; it is the mean that a teacher-forced `score_batch` pass gives."""
    translator = ct2_translator(source, beams=3, budget=10_000)  # one batch: one call
    recorder = Recorder(translator.model)
    translator.model = recorder
    results = translator.translate(TEXTS, "zsm_Latn")
    assert "return_scores" in recorder.kwargs[0]
    tokenizer = translator.tokenizer
    rows = [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(TEXTS)["input_ids"]]
    decoded = recorder.translate_batch(rows, **recorder.kwargs[0] | {"asynchronous": False})
    hypotheses = [d.hypotheses[0] for d in decoded]  # [eng_Latn, tokens..., </s> if it ended]
    ended = [h[-1] == "</s>" for h in hypotheses]
    targets = [h[:-1] if end else h for h, end in zip(hypotheses, ended, strict=True)]
    scored = translator.model.score_batch(rows, targets, offset=1)  # adds the end token
    for result, score, end in zip(results, scored, ended, strict=True):
        log_probs = score.log_probs if end else score.log_probs[:-1]
        assert result.log_prob == pytest.approx(sum(log_probs) / len(log_probs), abs=2e-3)
