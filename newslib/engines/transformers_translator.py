"""Translating segments with NLLB: length-sorted, token-budget batches, explicit length limits.

The output limit of every batch is derived from its longest input (never a library default),
and a segment whose output reached that limit is reported as `hit_limit`, so truncation is
never silent. Results come back in the caller's order.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Sequence, Sized
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from newslib.stop import check_stop, stopping_criteria

# Output tokens allowed per input token, plus a constant for very short inputs. English output
# from NLLB rarely exceeds 1.6x the source tokens; 2x leaves room without allowing runaway loops.
OUTPUT_RATIO = 2.0
OUTPUT_MARGIN = 10
# Scoring outputs holds (rows x tokens x vocabulary) logits at once: at most this many floats
# (200 MB of float32, twice that with their log-softmax); with NLLB's 256k vocabulary, a few
# rows of 40 tokens per chunk.
SCORE_CHUNK_LOGITS = 50_000_000

ProgressCallback = Callable[[int, int], None]  # (segments done, segments total)


@dataclass(frozen=True)
class DecodeSettings:
    """How to decode. The `repair` settings are the safer second try for a flagged segment."""

    beams: int
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0

    def for_repair(self) -> DecodeSettings:
        # Penalize and block repeated n-grams: the usual cure for NLLB's phrase loops.
        return DecodeSettings(self.beams, repetition_penalty=1.2, no_repeat_ngram_size=4)


@dataclass(frozen=True)
class Translation:
    text: str
    src_tokens: int
    out_tokens: int
    max_new_tokens: int
    hit_limit: bool  # decoding stopped at max_new_tokens, not at end-of-sentence
    # The model's log-probability of the output, per generated token (end token included);
    # None where the backend gave none.
    log_prob: float | None = None


class Translator(Protocol):
    """What the pipeline needs from a translation backend."""

    name: str
    model_seconds: float  # time spent inside model calls so far, in this process

    def count_tokens(self, text: str) -> int: ...

    def translate(
        self,
        texts: Sequence[str],
        src_lang: str,
        progress: ProgressCallback | None = None,
        *,
        repair: bool = False,
    ) -> list[Translation]: ...


def output_limit(src_tokens: int, model_max: int) -> int:
    return min(model_max, math.ceil(src_tokens * OUTPUT_RATIO) + OUTPUT_MARGIN)


def plan_batches(lengths: Sequence[int], token_budget: int) -> list[list[int]]:
    """Group indices into batches whose padded size (rows x longest) stays within the budget.

    Longest first, so that a batch too big for the device fails at the start, not at the end.
    A single segment longer than the budget still gets a batch of its own.
    """
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        longest = lengths[current[0]] if current else lengths[index]
        if current and (len(current) + 1) * longest > token_budget:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


logger = logging.getLogger(__name__)

Row = TypeVar("Row")
Result = TypeVar("Result")
TokenRow = TypeVar("TokenRow", bound=Sized)  # token ids or token strings of one segment

# How out-of-memory errors read when they do not come as torch.cuda.OutOfMemoryError
# (CTranslate2 raises RuntimeError; cuBLAS and the CUDA runtime have their own wording).
OOM_MARKERS = (
    "out of memory",
    "cublas_status_alloc_failed",
    "cudaerrormemoryallocation",
    "failed to allocate",
)


class SegmentTooLargeError(RuntimeError):
    """A single segment does not fit in the device's memory, even in a batch of its own."""


def is_out_of_memory(error: BaseException) -> bool:
    """Whether `error` says the device (or host) ran out of memory."""
    if isinstance(error, MemoryError):
        return True
    try:
        import torch

        if isinstance(error, torch.cuda.OutOfMemoryError):
            return True
    except ImportError:  # pragma: no cover - torch is a dependency
        pass
    message = str(error).lower()
    return isinstance(error, RuntimeError) and any(m in message for m in OOM_MARKERS)


def release_device_memory() -> None:
    """Give cached CUDA blocks back after an out-of-memory error, so the halves can fit."""
    try:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except ImportError:  # pragma: no cover
        pass


def run_splitting_on_oom(rows: list[Row], run: Callable[[list[Row]], list[Result]]) -> list[Result]:
    """`run(rows)`; when it runs out of memory, run each half instead (recursively).

    Nothing is lost: the results of the halves come back in order. A single row that still
    runs out of memory raises SegmentTooLargeError.
    """
    try:
        return run(rows)
    except Exception as error:
        if not is_out_of_memory(error):
            raise
        if len(rows) == 1:
            raise SegmentTooLargeError(
                f"one segment does not fit in memory even alone ({error}); lower --beams, "
                "use a device with more memory, or --max-segment-tokens to split it"
            ) from error
        logger.warning("out of memory on a batch of %d segments: splitting it", len(rows))
    # Outside the except block: the traceback (and the tensors its frames hold) is gone.
    release_device_memory()
    half = len(rows) // 2
    return run_splitting_on_oom(rows[:half], run) + run_splitting_on_oom(rows[half:], run)


def translate_in_batches(
    rows: Sequence[TokenRow],
    token_budget: int,
    generate: Callable[[list[TokenRow]], list[Translation]],
    progress: ProgressCallback | None = None,
) -> list[Translation]:
    """Translate encoded `rows` in length-sorted batches under `token_budget`, in input order.

    A batch that runs out of memory is split (`run_splitting_on_oom`); `progress` hears
    (rows done, rows total) after each batch. Both backends translate through this loop.
    """
    results: list[Translation | None] = [None] * len(rows)
    done = 0
    for batch in plan_batches([len(row) for row in rows], token_budget):
        check_stop()
        outputs = run_splitting_on_oom([rows[i] for i in batch], generate)
        for index, output in zip(batch, outputs, strict=True):
            results[index] = output
        done += len(batch)
        if progress is not None:
            progress(done, len(rows))
    return [r for r in results if r is not None]


class TransformersTranslator:
    """NLLB through transformers' `generate`."""

    name = "transformers"

    def __init__(
        self, tokenizer: Any, model: Any, *, target_lang: str, beams: int, token_budget: int
    ) -> None:
        self.tokenizer = tokenizer
        self.model = model
        self.target_id = tokenizer.convert_tokens_to_ids(target_lang)
        self.decode = DecodeSettings(beams)
        # Source tokens per batch, whatever the beam size, as CTranslate2's own token batching
        # counts them: a quarter of that at beam 4 ran 10% slower on CPU (README,
        # "Against the plain CTranslate2 call"); a batch too big for the device is split.
        self.token_budget = token_budget
        self.model_max = int(model.config.max_position_embeddings)
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
            encoded = [self.tokenizer(text)["input_ids"] for text in texts]
            return translate_in_batches(
                encoded, self.token_budget, lambda rows: self._generate(rows, settings), progress
            )

    def _generate(self, rows: list[list[int]], settings: DecodeSettings) -> list[Translation]:
        import torch

        pad = self.tokenizer.pad_token_id
        longest = max(len(ids) for ids in rows)
        input_ids = torch.full((len(rows), longest), pad, dtype=torch.long)
        attention = torch.zeros((len(rows), longest), dtype=torch.long)
        for row, ids in enumerate(rows):  # NLLB pads on the right
            input_ids[row, : len(ids)] = torch.tensor(ids)
            attention[row, : len(ids)] = 1
        limit = output_limit(longest, self.model_max)
        started = time.perf_counter()
        with torch.inference_mode():
            sequences = self.model.generate(
                input_ids=input_ids.to(self.model.device),
                attention_mask=attention.to(self.model.device),
                forced_bos_token_id=self.target_id,
                num_beams=settings.beams,
                repetition_penalty=settings.repetition_penalty,
                no_repeat_ngram_size=settings.no_repeat_ngram_size,
                do_sample=False,
                max_new_tokens=limit,
                stopping_criteria=stopping_criteria(),
            )
            check_stop()  # a stopped generate returns partial outputs: never use them
            decoded = [self._decode(seq.tolist()) for seq in sequences]
            log_probs = self._log_probs(input_ids, attention, decoded)
        self.model_seconds += time.perf_counter() - started
        return [
            Translation(text, len(ids), len(tokens), limit, not ended, log_prob)
            for (tokens, ended, text), ids, log_prob in zip(decoded, rows, log_probs, strict=True)
        ]

    def _decode(self, sequence: list[int]) -> tuple[list[int], bool, str]:
        """(generated tokens, whether decoding ended by itself, text) of one output row."""
        # sequence = [decoder start, target language, tokens..., eos, pad...]
        generated = sequence[2:]
        eos = self.tokenizer.eos_token_id
        ended = eos in generated
        tokens = generated[: generated.index(eos)] if ended else generated
        return tokens, ended, self.tokenizer.decode(tokens, skip_special_tokens=True).strip()

    def _log_probs(self, input_ids: Any, attention: Any, decoded: list[Any]) -> list[float]:
        """Each output's mean log-probability per token under the model (end token included,
        the forced language token not), in one teacher-forced pass over chunks of rows.

        The same quantity CTranslate2's `score_batch` gives, so both backends agree; the
        decoding's own beam scores depend on beam size and penalties.
        """
        import torch

        eos, start = self.tokenizer.eos_token_id, self.model.config.decoder_start_token_id
        targets = [
            [self.target_id, *tokens] + ([eos] if ended else []) for tokens, ended, _ in decoded
        ]
        longest = max(len(t) for t in targets)
        step = max(1, SCORE_CHUNK_LOGITS // (longest * int(self.model.config.vocab_size)))
        scores: list[float] = []
        for first in range(0, len(targets), step):
            chunk = targets[first : first + step]
            # Padding at the end of a row is never attended to by its tokens (causal decoder).
            inputs = torch.full((len(chunk), longest), self.tokenizer.pad_token_id)
            labels = torch.full((len(chunk), longest), -100)
            for row, target in enumerate(chunk):
                inputs[row, : len(target)] = torch.tensor([start, *target[:-1]])
                labels[row, 1 : len(target)] = torch.tensor(target[1:])  # not the language
            device = self.model.device
            logits = self.model(
                input_ids=input_ids[first : first + step].to(device),
                attention_mask=attention[first : first + step].to(device),
                decoder_input_ids=inputs.to(device),
            ).logits.float()
            picked = logits.log_softmax(-1).gather(-1, labels.clamp(min=0).unsqueeze(-1).to(device))
            mask = (labels != -100).to(device)
            sums = (picked.squeeze(-1) * mask).sum(-1)
            counts = mask.sum(-1).clamp(min=1)
            scores += (sums / counts).tolist()
        return scores
