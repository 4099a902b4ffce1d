"""Translating with NLLB through CTranslate2: converted once, cached, int8 on CPU.

Same contract as `TransformersTranslator`: the same tokenizer (so the same segmentation and
token counts), length-sorted token-budget batches, an output limit derived from each batch's
longest input, `hit_limit` when decoding stopped at it, the same repair settings, results in
the caller's order, and out-of-memory batches split and retried. CTranslate2's own length
limits (`max_input_length` 1024, `max_decoding_length` 256 by default) truncate silently, so
both are set on every call, and an input longer than the model accepts is an error.

The converted model is cached under ``~/.cache/newsflow/ct2/<key>`` (``NEWSFLOW_CACHE_DIR``
moves ``~/.cache/newsflow``), keyed by the source model, its revision, the quantization and
the vocabulary rule. Conversion writes to a temporary directory that is renamed into place, so
a reader never sees half a model and two processes converting at once both end up with one.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newslib.engines.models import ModelSource, load_tokenizer, quiet_transformers
from newslib.engines.transformers_translator import (
    DecodeSettings,
    ProgressCallback,
    Translation,
    output_limit,
    translate_in_batches,
)
from newslib.engines.vocab import VOCAB_RULE_VERSION, english_token_ids, write_vmap
from newslib.stop import check_stop

# Weights as stored on disk, and the compute type they run in, per device. int8 on CPU is about
# 3x float32 for NLLB at the same BLEU; float16 on GPU uses the tensor cores.
QUANTIZATION = {"cpu": "int8", "cuda": "float16"}
COMPUTE_TYPE = {"cpu": "int8", "cuda": "float16"}
VMAP_FILE = "vmap.txt"
INFO_FILE = "newsflow.json"
# How often a batch under way is checked for its end (and the run for a stop request).
POLL_SECONDS = 0.01


def cache_dir() -> Path:
    base = os.environ.get("NEWSFLOW_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newsflow"
    )
    return Path(base) / "ct2"


def conversion_key(source: ModelSource, quantization: str, target_lang: str) -> str:
    import ctranslate2

    major = ctranslate2.__version__.split(".")[0]
    parts = [source.name, source.revision, quantization, target_lang, VOCAB_RULE_VERSION, major]
    local = Path(source.name).expanduser()
    if local.is_dir():  # a local revision hashes weight sizes only: add when they were written
        weights = sorted(local.glob("*.safetensors")) + sorted(local.glob("*.bin"))
        parts += [f"{w.name}:{w.stat().st_mtime_ns}" for w in weights]
    return hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()[:16]


def source_directory(source: ModelSource) -> str:
    """A local directory of the Hugging Face checkpoint (the cached snapshot for a hub id)."""
    if Path(source.name).expanduser().is_dir():
        return str(Path(source.name).expanduser())
    import huggingface_hub

    revision = None if source.revision in ("", "unknown") else source.revision
    return huggingface_hub.snapshot_download(
        source.name, revision=revision, local_files_only=source.local_files_only
    )


def convert(
    source: ModelSource, quantization: str, target_lang: str, root: Path | None = None
) -> Path:
    """The converted model directory, converting on first use (atomically, race-safe)."""
    root = root or cache_dir()
    target = root / conversion_key(source, quantization, target_lang)
    return convert_once(
        target, lambda out: write_translator(source, quantization, target_lang, out)
    )


def convert_once(target: Path, write: Callable[[Path], None]) -> Path:
    """`target`, written by `write(directory)` on first use into a temporary directory that is
    then renamed into place: a reader never sees half a model, and of two processes converting
    at once, the second uses the first's."""
    if (target / "model.bin").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        out = tmp / "model"
        write(out)
        try:
            out.rename(target)
        except OSError:
            # Another process renamed its conversion into place first: use that one.
            if not (target / "model.bin").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def write_translator(source: ModelSource, quantization: str, target_lang: str, out: Path) -> None:
    """Convert the NLLB checkpoint of `source` into `out`, with its English vocabulary map."""
    from ctranslate2.converters import TransformersConverter
    from transformers import AutoConfig

    quiet_transformers()
    checkpoint = source_directory(source)
    converter = TransformersConverter(checkpoint, load_as_float16=quantization != "int8")
    converter.convert(str(out), quantization=quantization)
    hf_config = AutoConfig.from_pretrained(checkpoint)  # for our own length limits
    tokenizer = load_tokenizer(source)
    ids = english_token_ids(tokenizer, target_lang)
    size = write_vmap(out / VMAP_FILE, tokenizer, ids)
    info = {
        "source": source.name,
        "revision": source.revision,
        "quantization": quantization,
        "target_lang": target_lang,
        "max_position_embeddings": int(hf_config.max_position_embeddings),
        "min_decoding_length": min_decoding_length(checkpoint, hf_config),
        "vocab_rule": VOCAB_RULE_VERSION,
        "vmap_tokens": size,
    }
    (out / INFO_FILE).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")


def min_decoding_length(checkpoint: str, hf_config: Any) -> int:
    """CTranslate2's minimum length (target-language token included) that matches the
    checkpoint's generation config: 2 when it forbids ending right after the language token."""
    from transformers import GenerationConfig

    try:
        generation = GenerationConfig.from_pretrained(checkpoint)
    except OSError:  # no generation_config.json
        return 1
    eos = generation.eos_token_id if generation.eos_token_id is not None else hf_config.eos_token_id
    suppressed = generation.begin_suppress_tokens or []
    return 2 if eos in suppressed or int(generation.min_new_tokens or 0) > 1 else 1


def cuda_usable() -> bool:
    """Whether this CTranslate2 build can run on a GPU here (its wheels need cuBLAS 12)."""
    try:
        import ctranslate2

        if ctranslate2.get_cuda_device_count() < 1:
            return False
        ctypes.CDLL("libcublas.so.12")  # found if installed, or already loaded by torch
    except (ImportError, OSError, RuntimeError):
        return False
    return True


def default_threads() -> int:
    return int(os.environ.get("OMP_NUM_THREADS") or os.cpu_count() or 1)


def load_ct2_model(model_dir: Path, device: str, compute_type: str | None = None) -> Any:
    import ctranslate2

    return ctranslate2.Translator(
        str(model_dir),
        device=device,
        compute_type=compute_type or COMPUTE_TYPE[device],
        inter_threads=1,
        intra_threads=default_threads() if device == "cpu" else 0,
    )


class CTranslate2Translator:
    """NLLB through a converted CTranslate2 model."""

    name = "ctranslate2"

    def __init__(
        self,
        tokenizer: Any,
        model: Any,
        *,
        target_lang: str,
        beams: int,
        token_budget: int,
        model_max: int = 1024,
        restrict_vocab: bool = False,
        min_length: int = 1,
    ) -> None:
        self.tokenizer = tokenizer
        self.model = model  # a ctranslate2.Translator
        self.target_lang = target_lang
        self.decode = DecodeSettings(beams)
        # Source tokens per batch, whatever the beam size, as CTranslate2's own token batching
        # counts them: a quarter of that at beam 4 ran 10% slower on CPU (README,
        # "Against the plain CTranslate2 call"); a batch too big for the device is split.
        self.token_budget = token_budget
        self.model_max = model_max
        self.restrict_vocab = restrict_vocab
        self.min_length = min_length
        self.model_seconds = 0.0
        # The tokenizer's src_lang is shared state; one translation at a time per process.
        self._lock = threading.Lock()

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def translate(
        self,
        texts: Sequence[str],
        src_lang: str,
        progress: ProgressCallback | None = None,
        *,
        repair: bool = False,
    ) -> list[Translation]:
        settings = self.decode.for_repair() if repair else self.decode
        with self._lock:
            self.tokenizer.src_lang = src_lang
            ids = self.tokenizer(list(texts))["input_ids"] if texts else []
            encoded = [self.tokenizer.convert_ids_to_tokens(row) for row in ids]
            for tokens in encoded:
                if len(tokens) > self.model_max:
                    raise ValueError(
                        f"a segment of {len(tokens)} tokens is longer than the model's "
                        f"{self.model_max}: split it first (--max-segment-tokens)"
                    )
            return translate_in_batches(
                encoded, self.token_budget, lambda rows: self._generate(rows, settings), progress
            )

    def _generate(self, rows: list[list[str]], settings: DecodeSettings) -> list[Translation]:
        longest = max(len(tokens) for tokens in rows)
        limit = output_limit(longest, self.model_max)
        started = time.perf_counter()
        pending = self.model.translate_batch(
            rows,
            target_prefix=[[self.target_lang]] * len(rows),
            beam_size=settings.beams,
            repetition_penalty=settings.repetition_penalty,
            no_repeat_ngram_size=settings.no_repeat_ngram_size,
            # Both limits explicit: the defaults (1024 in, 256 out) would truncate silently.
            # The decoding length counts the target-language token, as max_new_tokens does.
            max_input_length=self.model_max,
            max_decoding_length=limit,
            min_decoding_length=self.min_length,
            return_end_token=True,
            use_vmap=self.restrict_vocab,
            return_scores=True,
            asynchronous=True,
        )
        results = wait_for_results(pending)
        decoded = [self._decode(result.hypotheses[0]) for result in results]
        if self.restrict_vocab or settings != DecodeSettings(settings.beams):
            # Penalties and the restricted vocabulary change the decoding's own scores.
            log_probs = self._log_probs(rows, decoded)
        else:  # the model's own log-probabilities: no second pass needed
            log_probs = [decoding_log_prob(r.scores[0], len(r.hypotheses[0])) for r in results]
        self.model_seconds += time.perf_counter() - started
        return [
            Translation(text, len(source), len(tokens), limit, not ended, log_prob)
            for (tokens, ended, text), source, log_prob in zip(
                decoded, rows, log_probs, strict=True
            )
        ]

    def _decode(self, hypothesis: list[str]) -> tuple[list[str], bool, str]:
        """(generated tokens, whether decoding ended by itself, text) of one hypothesis."""
        # hypothesis = [target language, tokens..., eos when decoding ended by itself]
        generated = hypothesis[1:] if hypothesis[:1] == [self.target_lang] else hypothesis
        ended = bool(generated) and generated[-1] == self.tokenizer.eos_token
        tokens = generated[:-1] if ended else generated
        ids = self.tokenizer.convert_tokens_to_ids(tokens)
        return tokens, ended, self.tokenizer.decode(ids, skip_special_tokens=True).strip()

    def _log_probs(self, rows: list[list[str]], decoded: list[Any]) -> list[float]:
        """Each output's mean log-probability per token under the model (end token included,
        the forced language token not): CTranslate2's `score_batch`, one teacher-forced pass.

        The same quantity the transformers backend computes; the decoding's own scores depend
        on beam size, penalties and the restricted vocabulary.
        """
        targets = [[self.target_lang, *tokens] for tokens, _, _ in decoded]
        scored = self.model.score_batch(rows, targets, max_input_length=self.model_max, offset=1)
        means = []
        for result, (_, ended, _) in zip(scored, decoded, strict=True):
            # score_batch always scores an end token: leave it out where decoding never chose it.
            log_probs = list(result.log_probs) if ended else list(result.log_probs)[:-1]
            means.append(sum(log_probs) / len(log_probs) if log_probs else 0.0)
        return means


def decoding_log_prob(score: float, length: int) -> float:
    """The mean log-probability per generated token of a hypothesis of `length` tokens (the
    forced language token and the end token included) from CTranslate2's score for it.

    With the default length penalty (1), the score is the sum of the tokens' log-probabilities
    divided by the length; the forced language token counts in the length with log-probability
    0. So the mean over the other tokens is what `score_batch` gives in a second pass
    (`_log_probs`; tests/test_backends.py checks they agree), at no extra cost. Log-probabilities
    are taken before the minimum-length mask, as `score_batch` takes them."""
    return score * length / (length - 1) if length > 1 else 0.0


def wait_for_results(pending: list[Any]) -> list[Any]:
    """The results of an asynchronous `translate_batch`, polled: a synchronous call holds the
    GIL until the whole batch is done, which freezes every thread of the process (the signal
    handler that stops a run included). A stopped run abandons the batch."""
    while not all(result.done() for result in pending):
        check_stop()
        time.sleep(POLL_SECONDS)
    return [result.result() for result in pending]


def load_ct2_translator(
    source: ModelSource,
    device: str,
    *,
    target_lang: str,
    beams: int,
    token_budget: int,
    restrict_vocab: bool = False,
) -> CTranslate2Translator:
    """Convert (once) and load the translation model of `source` for `device`."""
    from transformers import AutoTokenizer

    model_dir = convert(source, QUANTIZATION[device], target_lang)
    info = json.loads((model_dir / INFO_FILE).read_text(encoding="utf-8"))
    # A tokenizer of its own: src_lang is per-instance state (load_tokenizer's is shared).
    tokenizer = AutoTokenizer.from_pretrained(source.name, local_files_only=source.local_files_only)
    return CTranslate2Translator(
        tokenizer,
        load_ct2_model(model_dir, device),
        target_lang=target_lang,
        beams=beams,
        token_budget=token_budget,
        model_max=int(info["max_position_embeddings"]),
        restrict_vocab=restrict_vocab,
        min_length=int(info.get("min_decoding_length", 1)),
    )
