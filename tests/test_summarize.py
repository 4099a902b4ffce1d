"""Summarizing costs at most `max_chunks` model inputs per level and article, however long the
article, says when it summarized chosen chunks only, and reports progress while it works."""

from __future__ import annotations

from pathlib import Path

from newslib.engines.models import ModelSource, load_seq2seq
from newslib.engines.summarizer import Summarizer, choose_evenly


def test_chunks_are_chosen_evenly_from_first_to_last() -> None:
    chunks = [f"c{i}" for i in range(10)]
    assert choose_evenly(chunks, 4) == ["c0", "c3", "c6", "c9"]
    assert choose_evenly(chunks, 10) == chunks
    assert choose_evenly(chunks, 1) == ["c5"]
    assert choose_evenly(chunks[:3], 5) == chunks[:3]


def test_a_huge_single_line_article_is_summarized_at_a_bounded_cost(
    tiny_models: tuple[Path, Path], ntrex_dir: Path
) -> None:
    source = ModelSource(str(tiny_models[1]), True, "test")
    tokenizer, model = load_seq2seq(source, "cpu")
    summarizer = Summarizer(tokenizer, model, token_budget=4096, max_chunks=3)
    english = (ntrex_dir / "newstest2019-src.eng.txt").read_text("utf-8").splitlines()
    article = " ".join(english * 4)  # one line of about 80 KB: dozens of chunks
    short = " ".join(english[:3])
    heard: list[tuple[int, int]] = []

    long_summary, short_summary = summarizer.summarize(
        [article, short], lambda done, total: heard.append((done, total))
    )

    assert long_summary.total_chunks > 30 and long_summary.chunks == 3
    assert long_summary.text.strip()
    assert (short_summary.chunks, short_summary.total_chunks) == (1, 1)  # fitted: unchanged
    assert heard, "progress is reported"
    # The total grows by each level's model inputs, both articles together: at most 3 for the
    # long one + 1.
    totals = sorted({total for _, total in heard})
    assert all(b - a <= 4 for a, b in zip([0, *totals], totals, strict=False)), totals
