"""Scores accumulated batch by batch equal sacrebleu's on the whole text, and the rows of
scoring everything at once; the accumulator keeps per-segment statistics, not the text."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

from newslib.inputs.references import load_references
from newslib.scoring.sacrebleu_stats import interval_of
from newslib.scoring.score import (
    N_BOOTSTRAP,
    RunScorer,
    ScoreAccumulator,
    ScoredDocument,
    align,
    make_metrics,
    score_documents,
)

LANGS = ("zsm_Latn", "ben_Beng", "arb_Arab")


def _ntrex_documents(ntrex_dir: Path) -> list[ScoredDocument]:
    """Documents of 1 to 6 lines in three languages, line- and document-aligned, and two that
    are not scored (misaligned, no reference): British English against American English."""
    english = (ntrex_dir / "newstest2019-ref.eng-US.txt").read_text("utf-8").splitlines()
    british = (ntrex_dir / "newstest2019-ref.eng-GB.txt").read_text("utf-8").splitlines()
    docs, start, number = [], 0, 0
    while start < len(english):
        size = 1 + number % 6
        hyps, refs = british[start : start + size], english[start : start + size]
        lang = LANGS[number % len(LANGS)]
        if number % 7 == 3:  # a reference with one line less: one document segment
            refs = refs[:-1] or refs
        strict = number % 11 == 5  # ... or, under strict alignment, not scored
        docs.append(align(f"a{number}", lang, hyps, "\n".join(refs), strict=strict))
        start, number = start + size, number + 1
    docs.append(ScoredDocument("none", LANGS[0], ["x"], [], "unscored", "no reference"))
    return docs


def _whole_text(docs: list[ScoredDocument]) -> tuple[list[str], list[str]]:
    return [h for d in docs for h in d.hypotheses], [r for d in docs for r in d.references]


@pytest.mark.parametrize("batch_size", [1, 4, 1000])
def test_batches_give_the_rows_of_scoring_everything_at_once(
    ntrex_dir: Path, batch_size: int
) -> None:
    docs = _ntrex_documents(ntrex_dir)
    scores = ScoreAccumulator()
    rows = []
    for start in range(0, len(docs), batch_size):
        rows += scores.add(docs[start : start + batch_size])
    rows += scores.summary_rows()

    assert rows == score_documents(docs)
    assert {r.alignment for r in rows} >= {"line", "document", "misaligned", "unscored", "mixed"}


def test_streamed_scores_and_intervals_equal_sacrebleu_on_the_whole_text(
    ntrex_dir: Path,
) -> None:
    docs = _ntrex_documents(ntrex_dir)
    scored = [d for d in docs if d.alignment in ("line", "document")]
    scores = ScoreAccumulator()
    for start in range(0, len(docs), 5):
        articles = scores.add(docs[start : start + 5])
        for row in articles:  # each article: sacrebleu on that article's text
            doc = next(d for d in docs if d.article_id == row.article_id)
            if row.score is not None:
                metric = make_metrics()[row.metric]
                assert row.score == metric.corpus_score(doc.hypotheses, [doc.references]).score
    summary = scores.summary_rows()

    groups = {lang: [d for d in scored if d.lang == lang] for lang in LANGS} | {None: scored}
    assert {r.lang for r in summary} == set(groups)
    for row in summary:
        hyps, refs = _whole_text(groups[row.lang])
        metric = make_metrics()[row.metric]
        expected = metric.corpus_score(hyps, [refs], n_bootstrap=N_BOOTSTRAP)
        assert row.score == expected.score, (row.lang, row.metric)
        assert (row.bootstrap_mean, row.ci95) == interval_of(expected), row.metric
        assert row.n_segments == len(hyps) and row.n_documents == len(groups[row.lang])


def test_run_scorer_reads_article_rows_part_by_part(tmp_path: Path) -> None:
    inputs, refs = tmp_path / "in", tmp_path / "refs"
    inputs.mkdir()
    refs.mkdir()
    articles = []
    for number in range(6):
        (refs / f"{number}.txt").write_text(f"The cat sat.\nIt rained {number} times.\n")
        articles.append(
            {
                "article_id": f"id{number}",
                "source": str(inputs / f"{number}.txt"),
                "status": "failed" if number == 4 else "ok",
                "source_lang": LANGS[number % 2],
                "translation": f"The cat sat.\nIt rained {number % 3} times.",
            }
        )
    articles.append(articles[0] | {"article_id": "x", "source": str(inputs / "missing.txt")})
    references = load_references(refs)

    whole = RunScorer(references, [inputs], strict=False)
    at_once = whole.add_articles(articles) + whole.summary_rows()
    parts = RunScorer(references, [inputs], strict=False)
    streamed = parts.add_articles(articles[:2]) + parts.add_articles(articles[2:])
    streamed += parts.summary_rows()

    assert [asdict(r) for r in streamed] == [asdict(r) for r in at_once]
    assert (parts.n_articles, parts.n_scored) == (6, 5)  # the failed one is not an ok article
    perfect = [r for r in streamed if r.article_id in ("id0", "id1", "id2") and r.metric == "BLEU"]
    assert [r.score for r in perfect] == [pytest.approx(100.0)] * 3
    assert next(r for r in streamed if r.article_id == "x").score is None


def test_the_accumulator_keeps_statistics_per_segment_not_text() -> None:
    docs = [align(f"a{n}", LANGS[n % 3], ["A cat.", "A dog."], "A cat.\nA dog.") for n in range(9)]
    with_intervals, without = ScoreAccumulator(), ScoreAccumulator(n_bootstrap=1)
    with_intervals.add(docs)
    without.add(docs)

    assert with_intervals.segment_statistics_bytes() == 18 * (10 * 4 + 24 * 4 + 2 * 8 + 4)
    assert without.segment_statistics_bytes() == 0
    assert all(r.ci95 is None for r in without.summary_rows())
    assert all(r.ci95 is not None for r in with_intervals.summary_rows())
