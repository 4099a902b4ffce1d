"""The translator and summarizer of this process, built once and reused by every batch.

Prefect tasks receive small, hashable descriptions (`EngineSpec`) instead of models; each
process (the flow's own, or a Dask worker) turns a spec into loaded models once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from newslib.engines.models import ModelSource, load_seq2seq
from newslib.engines.summarizer import DEFAULT_MAX_CHUNKS, Summarizer
from newslib.engines.transformers_translator import TransformersTranslator, Translator


@dataclass(frozen=True)
class EngineSpec:
    """Everything needed to build the models of a run, small enough to send anywhere."""

    translator: ModelSource
    summarizer: ModelSource | None
    device: str  # resolved: "cpu" or "cuda"
    backend: str  # resolved: "transformers" or "ctranslate2"
    target_lang: str
    beams: int
    token_budget: int
    restrict_vocab: bool = False  # decode over the English target vocabulary (ctranslate2)
    summary_max_chunks: int = DEFAULT_MAX_CHUNKS  # chunks summarized per level and article


@functools.cache
def get_translator(spec: EngineSpec) -> Translator:
    if spec.backend == "ctranslate2":
        from newslib.engines.ct2_translator import load_ct2_translator

        return load_ct2_translator(
            spec.translator,
            spec.device,
            target_lang=spec.target_lang,
            beams=spec.beams,
            token_budget=spec.token_budget,
            restrict_vocab=spec.restrict_vocab,
        )
    if spec.restrict_vocab:
        raise ValueError("the English vocabulary restriction needs the ctranslate2 backend")
    tokenizer, model = load_seq2seq(spec.translator, spec.device)
    return TransformersTranslator(
        tokenizer,
        model,
        target_lang=spec.target_lang,
        beams=spec.beams,
        token_budget=spec.token_budget,
    )


@functools.cache
def get_summarizer(spec: EngineSpec) -> Summarizer | None:
    if spec.summarizer is None:
        return None
    if spec.backend == "ctranslate2":  # the run's backend: summaries as fast as translations
        from newslib.engines.ct2_summarizer import load_ct2_summarizer

        return load_ct2_summarizer(
            spec.summarizer,
            spec.device,
            token_budget=spec.token_budget,
            max_chunks=spec.summary_max_chunks,
        )
    tokenizer, model = load_seq2seq(spec.summarizer, spec.device)
    return Summarizer(
        tokenizer, model, token_budget=spec.token_budget, max_chunks=spec.summary_max_chunks
    )


def restrict_vocab_for(backend: str, restrict_vocab: bool) -> bool:
    """The vocabulary restriction lives in the converted CTranslate2 model: with the
    transformers backend, asking for it is an error raised before any work starts."""
    if restrict_vocab and backend != "ctranslate2":
        from newslib.engines.models import ModelUnavailableError

        raise ModelUnavailableError(
            "--restrict-vocab needs the ctranslate2 backend (this run uses transformers)"
        )
    return restrict_vocab


def ctranslate2_usable(device: str) -> bool:
    """Whether CTranslate2 is installed and can run on `device`."""
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    if device == "cuda":
        from newslib.engines.ct2_translator import cuda_usable

        return cuda_usable()
    return True


def resolve_backend(backend: str, device: str) -> str:
    """'auto' picks the fastest backend installed for the device: CTranslate2 when it can run.

    Asking for ctranslate2 where it cannot run is an error, raised before any work starts.
    """
    if backend == "auto":
        return "ctranslate2" if ctranslate2_usable(device) else "transformers"
    if backend == "ctranslate2" and not ctranslate2_usable(device):
        from newslib.engines.models import ModelUnavailableError

        why = (
            "it is not installed (pip install ctranslate2)"
            if device == "cpu"
            else "this CTranslate2 build cannot use the GPU (its wheels need CUDA 12's cuBLAS)"
        )
        raise ModelUnavailableError(
            f"--backend ctranslate2 was asked for but {why}; use --backend transformers"
        )
    return backend
