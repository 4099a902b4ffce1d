"""One benchmark configuration in a process of its own, so its memory is its own.

The parent sends the same chunks of segments to every worker in turn (interleaved); a worker
translates them with its configuration, forcing exactly `n_tokens` output tokens per segment,
and answers with the time the translation took and its peak memory so far.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

# The backends under test, by configuration name.
NAIVE = "naive"
TRANSFORMERS = "transformers"
CTRANSLATE2 = "ctranslate2"
CTRANSLATE2_VOCAB = "ctranslate2+vocab"
CTRANSLATE2_PLAIN = "ctranslate2-plain"
KINDS = (NAIVE, TRANSFORMERS, CTRANSLATE2, CTRANSLATE2_VOCAB, CTRANSLATE2_PLAIN)


@dataclass(frozen=True)
class WorkerOptions:
    kind: str
    model_dir: str
    device: str
    token_budget: int
    ct2_cache: str | None = None  # NEWSFLOW_CACHE_DIR for the converted model


@dataclass
class RunResult:
    seconds: float
    segments: int
    out_tokens: int
    exact: bool  # every segment produced exactly n_tokens tokens
    peak_bytes: int  # resident memory (CPU) or device memory (GPU), peak so far


class FixedLengthTorchModel:
    """A transformers model whose `generate` always makes exactly `n_tokens` tokens per row.

    Everything else is the model's own, so the translator under test runs unchanged.
    """

    def __init__(self, model: Any, n_tokens: int) -> None:
        self._model = model
        self.n_tokens = n_tokens

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # a forward pass (output scores)
        return self._model(*args, **kwargs)

    def generate(self, **kwargs: Any) -> Any:
        # +1: the forced target-language token counts as a new token.
        kwargs["max_new_tokens"] = kwargs["min_new_tokens"] = self.n_tokens + 1
        return self._model.generate(**kwargs)


class FixedLengthCt2Model:
    """A ctranslate2.Translator whose `translate_batch` makes exactly `n_tokens` per row."""

    def __init__(self, model: Any, n_tokens: int) -> None:
        self._model = model
        self.n_tokens = n_tokens

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def translate_batch(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        # The decoding length counts the target-language prefix.
        kwargs["max_decoding_length"] = kwargs["min_decoding_length"] = self.n_tokens + 1
        return self._model.translate_batch(source, *args, **kwargs)


def peak_memory(device: str) -> int:
    if device == "cuda":
        import torch

        if torch.cuda.is_initialized():
            return int(torch.cuda.max_memory_allocated())
        return gpu_memory_of_this_process()
    return peak_rss()


def peak_rss() -> int:
    """This process's peak resident memory.

    /proc's VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent
    across fork and exec, so a worker would report its parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def gpu_memory_of_this_process() -> int:
    """Device memory held by this process, from nvidia-smi (CTranslate2 has no counter)."""
    import subprocess

    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    for line in out.splitlines():
        pid, _, used = line.partition(",")
        if pid.strip() == str(os.getpid()):
            return int(used.strip()) * 2**20
    return 0


# An engine translates (texts, lang, beams, n_tokens) and returns each segment's output tokens.
EngineRun = Callable[[list[str], str, int, int], list[int]]


def naive_engine(options: WorkerOptions) -> EngineRun:
    """The loop most users write from the model card: one segment at a time, float32."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(options.model_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(options.model_dir, dtype=torch.float32)
    model.to(options.device)
    target = tokenizer.convert_tokens_to_ids("eng_Latn")

    def run(texts: list[str], lang: str, beams: int, n_tokens: int) -> list[int]:
        tokenizer.src_lang = lang
        counts = []
        for text in texts:
            inputs = tokenizer(text, return_tensors="pt").to(options.device)
            out = model.generate(
                **inputs,
                forced_bos_token_id=target,
                num_beams=beams,
                max_new_tokens=n_tokens + 1,
                min_new_tokens=n_tokens + 1,
            )
            tokenizer.batch_decode(out, skip_special_tokens=True)
            counts.append(int(out.shape[1]) - 2)  # less decoder start and language token
        return counts

    return run


def transformers_engine(options: WorkerOptions) -> EngineRun:
    """newsflow's TransformersTranslator, loaded the way the pipeline loads it."""
    from newslib.engines.models import ModelSource, load_seq2seq
    from newslib.engines.transformers_translator import TransformersTranslator

    source = ModelSource(options.model_dir, True, "bench")
    tokenizer, model = load_seq2seq(source, options.device)
    wrapped = FixedLengthTorchModel(model, 0)
    translators: dict[int, TransformersTranslator] = {}

    def run(texts: list[str], lang: str, beams: int, n_tokens: int) -> list[int]:
        wrapped.n_tokens = n_tokens
        if beams not in translators:
            translators[beams] = TransformersTranslator(
                tokenizer,
                wrapped,
                target_lang="eng_Latn",
                beams=beams,
                token_budget=options.token_budget,
            )
        return [t.out_tokens for t in translators[beams].translate(texts, lang)]

    return run


def ct2_engine(options: WorkerOptions) -> EngineRun:
    """newsflow's CTranslate2Translator: converted (once, cached), int8 on CPU."""
    if options.ct2_cache:
        os.environ["NEWSFLOW_CACHE_DIR"] = options.ct2_cache
    from newslib.engines.ct2_translator import CTranslate2Translator, load_ct2_translator
    from newslib.engines.models import ModelSource
    from newslib.output.revision import local_model_revision

    source = ModelSource(options.model_dir, True, local_model_revision(Path(options.model_dir)))
    restrict = options.kind == CTRANSLATE2_VOCAB
    base = load_ct2_translator(
        source,
        options.device,
        target_lang="eng_Latn",
        beams=1,
        token_budget=options.token_budget,
        restrict_vocab=restrict,
    )
    wrapped = FixedLengthCt2Model(base.model, 0)
    translators: dict[int, CTranslate2Translator] = {}

    def run(texts: list[str], lang: str, beams: int, n_tokens: int) -> list[int]:
        wrapped.n_tokens = n_tokens
        if beams not in translators:
            translators[beams] = CTranslate2Translator(
                base.tokenizer,
                wrapped,
                target_lang="eng_Latn",
                beams=beams,
                token_budget=options.token_budget,
                model_max=base.model_max,
                restrict_vocab=restrict,
                min_length=base.min_length,
            )
        return [t.out_tokens for t in translators[beams].translate(texts, lang)]

    return run


def ct2_plain_engine(options: WorkerOptions) -> EngineRun:
    """The peer a CTranslate2 user writes: the same converted model, every segment in one
    `translate_batch` call that batches by tokens itself; no checks, no scores."""
    if options.ct2_cache:
        os.environ["NEWSFLOW_CACHE_DIR"] = options.ct2_cache
    from transformers import AutoTokenizer

    from newslib.engines.ct2_translator import QUANTIZATION, convert, load_ct2_model
    from newslib.engines.models import ModelSource
    from newslib.output.revision import local_model_revision

    source = ModelSource(options.model_dir, True, local_model_revision(Path(options.model_dir)))
    model = load_ct2_model(
        convert(source, QUANTIZATION[options.device], "eng_Latn"), options.device
    )
    tokenizer = AutoTokenizer.from_pretrained(options.model_dir)

    def run(texts: list[str], lang: str, beams: int, n_tokens: int) -> list[int]:
        tokenizer.src_lang = lang
        rows = [tokenizer.convert_ids_to_tokens(ids) for ids in tokenizer(texts)["input_ids"]]
        results = model.translate_batch(
            rows,
            target_prefix=[["eng_Latn"]] * len(rows),
            beam_size=beams,
            max_batch_size=options.token_budget,
            batch_type="tokens",
            max_decoding_length=n_tokens + 1,  # the language token counts
            min_decoding_length=n_tokens + 1,
        )
        outputs = [result.hypotheses[0][1:] for result in results]
        for out in outputs:
            tokenizer.decode(tokenizer.convert_tokens_to_ids(out))
        return [len(out) for out in outputs]

    return run


ENGINES = {
    NAIVE: naive_engine,
    TRANSFORMERS: transformers_engine,
    CTRANSLATE2: ct2_engine,
    CTRANSLATE2_VOCAB: ct2_engine,
    CTRANSLATE2_PLAIN: ct2_plain_engine,
}


def serve(conn: Connection, options: WorkerOptions) -> None:
    """Worker process: load, say ready, then run chunks until told to stop."""
    try:
        if options.device == "cpu" and options.kind in (NAIVE, TRANSFORMERS):
            from newslib.engines.models import torch_threads_hint

            torch_threads_hint()
        started = time.perf_counter()
        run = ENGINES[options.kind](options)
        conn.send(("ready", time.perf_counter() - started, peak_memory(options.device)))
        while True:
            message = conn.recv()
            if message is None:
                break
            texts, lang, beams, n_tokens = message
            if options.device == "cuda":
                import torch

                torch.cuda.synchronize()
            begin = time.perf_counter()
            counts = run(texts, lang, beams, n_tokens)
            if options.device == "cuda":
                import torch

                torch.cuda.synchronize()
            seconds = time.perf_counter() - begin
            exact = len(counts) == len(texts) and all(c == n_tokens for c in counts)
            result = RunResult(seconds, len(texts), sum(counts), exact, peak_memory(options.device))
            conn.send(("result", result))
    except Exception as error:  # report, so the parent can say which configuration failed
        import traceback

        conn.send(("error", f"{type(error).__name__}: {error}\n{traceback.format_exc()}"))
    finally:
        conn.close()
