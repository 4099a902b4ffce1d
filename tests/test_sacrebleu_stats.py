"""The sacrebleu internals that scoring relies on (newslib/scoring/sacrebleu_stats.py) still
behave as assumed: if a sacrebleu release renames or changes them, this fails first."""

from __future__ import annotations

import numpy as np
import pytest

from newslib.scoring.sacrebleu_stats import (
    estimate_interval,
    interval_of,
    make_metrics,
    score_from_totals,
    segment_statistics,
    signature,
)

HYPS = ["The cat sat on the mat.", "It rained all day in Kuala Lumpur.", "Prices rose 3.5%."]
REFS = ["The cat sat on a mat.", "It rained all day long in Kuala Lumpur.", "Prices rose by 3.5%."]


@pytest.mark.parametrize("name", ["BLEU", "chrF++", "TER"])
def test_summed_segment_statistics_give_the_corpus_score(name: str) -> None:
    metric = make_metrics()[name]
    stats = segment_statistics(metric, HYPS, REFS)

    assert len(stats) == len(HYPS)
    assert len({len(s) for s in stats}) == 1  # a fixed number of statistics per segment
    assert {"BLEU": 10, "chrF++": 24, "TER": 2}[name] == len(stats[0])
    totals = [sum(column) for column in zip(*stats, strict=True)]
    expected = make_metrics()[name].corpus_score(HYPS, [REFS])
    assert score_from_totals(metric, totals).score == expected.score
    # numpy sums (what the bootstrap passes) are read the same way
    assert score_from_totals(metric, np.array(totals)).score == pytest.approx(expected.score)


@pytest.mark.parametrize("name", ["BLEU", "chrF++", "TER"])
def test_the_interval_estimator_is_sacrebleus(name: str) -> None:
    metric = make_metrics()[name]
    with_interval = make_metrics()[name].corpus_score(HYPS, [REFS], n_bootstrap=40)
    mean, ci95 = interval_of(with_interval)
    assert ci95 >= 0 and mean > 0

    stats = segment_statistics(metric, HYPS, REFS)
    resampled = [score_from_totals(metric, s) for s in stats] * 2
    estimate = score_from_totals(metric, [sum(c) for c in zip(*stats, strict=True)])
    low, high = sorted(s.score for s in resampled)[0], sorted(s.score for s in resampled)[-1]
    assert estimate_interval(estimate, resampled) == (
        pytest.approx(sum(s.score for s in resampled) / len(resampled)),
        pytest.approx((high - low) / 2),
    )


def test_signature_names_one_reference() -> None:
    metrics = make_metrics()
    assert signature(metrics["BLEU"]).startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    assert "nw:2" in signature(metrics["chrF++"])
    assert signature(metrics["TER"]).startswith("nrefs:1|")
