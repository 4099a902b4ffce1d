"""Summarizing English text, map-reduce style, at a bounded cost per article.

A text that fits the summarizer's input is summarized directly. A longer one is split into
chunks that fit (at paragraph, then sentence boundaries), each chunk is summarized, and the joined
chunk summaries are summarized again, until one pass fits. Nothing is truncated silently.

The cost is bounded: at most `max_chunks` chunks are summarized per level. A text with more
chunks (longer than about `max_chunks` x the summarizer's input limit, in tokens) is summarized
from `max_chunks` of them chosen evenly from start to end, and says so: its `total_chunks`
exceeds its `chunks`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from newslib.engines.transformers_translator import ProgressCallback, plan_batches
from newslib.stop import check_stop, stopping_criteria
from newslib.text.segment import segment_paragraph

MAX_LEVELS = 6  # each level shrinks the text by the summarizer's ratio; 6 covers books
DEFAULT_MAX_CHUNKS = 16  # chunks summarized per level and article: about 16k tokens for BART


@dataclass(frozen=True)
class Summary:
    text: str
    input_tokens: int
    chunks: int  # chunks summarized at the first level (1 = the text fitted)
    levels: int  # passes of map-reduce (1 = direct)
    total_chunks: int = 0  # chunks the text had at the first level (> chunks: evenly chosen)


def choose_evenly(chunks: list[str], count: int) -> list[str]:
    """`count` of `chunks`, spread evenly from the first to the last, in order."""
    if len(chunks) <= count:
        return chunks
    if count == 1:
        return [chunks[len(chunks) // 2]]
    step = (len(chunks) - 1) / (count - 1)
    return [chunks[round(i * step)] for i in range(count)]


def chunk_lines(lines: Sequence[str], count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Greedily pack paragraphs into chunks of at most `limit` tokens; split longer paragraphs."""
    pieces: list[tuple[str, int]] = []
    for line in lines:
        tokens = count_tokens(line)
        if tokens <= limit:
            pieces.append((line, tokens))
        else:
            for part in segment_paragraph(line, "eng_Latn", count_tokens, limit):
                pieces.append((part, count_tokens(part)))
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for text, tokens in pieces:
        if current and used + tokens > limit:
            chunks.append("\n".join(current))
            current, used = [], 0
        current.append(text)
        used += tokens + 1  # the newline joining paragraphs costs about a token
    if current:
        chunks.append("\n".join(current))
    return chunks


def _offset(progress: ProgressCallback | None, before: int) -> ProgressCallback | None:
    """`progress` of one level, counted after the `before` chunks of the earlier levels."""
    if progress is None:
        return None
    return lambda done, total: progress(before + done, before + total)


class Summarizer:
    """A seq2seq summarizer (BART family) with its own generation settings, on transformers.

    The map-reduce (`summarize`) is shared by every backend; a backend replaces `generate`.
    `positions` is the model's input length where `model` has no transformers config."""

    def __init__(
        self,
        tokenizer: Any,
        model: Any,
        *,
        token_budget: int,
        max_chunks: int = DEFAULT_MAX_CHUNKS,
        positions: int | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        self.model = model
        if positions is None:
            positions = int(getattr(model.config, "max_position_embeddings", 1024))
        self.input_limit = min(int(tokenizer.model_max_length), positions) - 2  # <s> and </s>
        self.token_budget = token_budget
        self.max_chunks = max_chunks
        self.model_seconds = 0.0

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def summarize(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> list[Summary]:
        """One summary per text; the work of all texts is batched together at each level.

        `progress` hears (chunks done, chunks known): the total grows when a level begins."""
        current = list(texts)
        input_tokens = [self.count_tokens(t) for t in texts]
        first_chunks = [0] * len(texts)
        total_chunks = [0] * len(texts)
        levels = [0] * len(texts)
        pending = [i for i, t in enumerate(texts) if t.strip()]
        done = 0  # chunks summarized at the levels before this one
        for level in range(1, MAX_LEVELS + 1):
            if not pending:
                break
            every = {
                i: chunk_lines(current[i].split("\n"), self.count_tokens, self.input_limit)
                for i in pending
            }
            chunked = {i: choose_evenly(every[i], self.max_chunks) for i in pending}
            flat = [(i, chunk) for i in pending for chunk in chunked[i]]
            outputs = self.generate([chunk for _, chunk in flat], _offset(progress, done))
            done += len(flat)
            joined: dict[int, list[str]] = {i: [] for i in pending}
            for (i, _), summary in zip(flat, outputs, strict=True):
                joined[i].append(summary)
            for i in pending:
                if level == 1:
                    first_chunks[i], total_chunks[i] = len(chunked[i]), len(every[i])
                current[i] = "\n".join(joined[i])
                levels[i] = level
            pending = [i for i in pending if len(chunked[i]) > 1]
        return [
            Summary(
                current[i] if levels[i] else "",
                input_tokens[i],
                first_chunks[i],
                levels[i],
                total_chunks[i],
            )
            for i in range(len(texts))
        ]

    def generate(self, texts: list[str], progress: ProgressCallback | None = None) -> list[str]:
        """One summary of each of `texts` (each fits the model's input)."""
        import torch

        encoded = [self.tokenizer(t)["input_ids"] for t in texts]
        results: list[str] = [""] * len(texts)
        done = 0
        if progress is not None:
            progress(done, len(texts))
        for batch in plan_batches([len(ids) for ids in encoded], self.token_budget):
            padded = self.tokenizer.pad(
                {"input_ids": [encoded[i] for i in batch]}, return_tensors="pt"
            )
            check_stop()
            started = time.perf_counter()
            with torch.inference_mode():
                # The model's own generation config (beams, lengths, n-gram blocking) applies.
                sequences = self.model.generate(
                    input_ids=padded["input_ids"].to(self.model.device),
                    attention_mask=padded["attention_mask"].to(self.model.device),
                    stopping_criteria=stopping_criteria(),
                )
            check_stop()  # a stopped generate returns partial outputs: never use them
            self.model_seconds += time.perf_counter() - started
            decoded = self.tokenizer.batch_decode(sequences, skip_special_tokens=True)
            for index, text in zip(batch, decoded, strict=True):
                results[index] = text.strip()
            done += len(batch)
            if progress is not None:
                progress(done, len(texts))
        return results
