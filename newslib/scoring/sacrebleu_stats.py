"""The metrics, and the one place that reaches into sacrebleu's internals.

Scores of any group of segments (an article, a language, a run) come from per-segment
sufficient statistics, summed: that is how sacrebleu computes a corpus score itself, and what
lets a run score its articles batch by batch. sacrebleu has no public API for those statistics,
so its private methods are called here and nowhere else; tests/test_sacrebleu_stats.py fails if
a sacrebleu release changes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric, Score

Statistics = list[int | float]  # one segment's, or a group's sum


def make_metrics() -> dict[str, Metric]:
    """The metrics, with the standard offline tokenizers (13a for BLEU; chrF++ = word order 2)."""
    return {"BLEU": BLEU(), "chrF++": CHRF(word_order=2), "TER": TER()}


def signature(metric: Metric) -> str:
    """sacrebleu's signature of the metric with one reference per segment, as after scoring
    (the signature names the number of references, which sacrebleu learns when it reads them;
    scoring with references stores nothing else on the metric)."""
    metric.corpus_score(["x"], [["x"]])
    return str(metric.get_signature())


def segment_statistics(metric: Metric, hyps: Sequence[str], refs: Sequence[str]) -> list[Any]:
    """sacrebleu's sufficient statistics, one list of numbers per segment (one reference each):
    BLEU 10 ints, chrF++ 24 ints, TER 2 floats."""
    return list(metric._extract_corpus_statistics(list(hyps), [list(refs)]))


def score_from_totals(metric: Metric, totals: Any) -> Score:
    """The score of a group of segments from the sum of their statistics, as `corpus_score`
    computes it."""
    return metric._compute_score_from_stats(totals)


def estimate_interval(estimate: Score, resampled: list[Score]) -> tuple[float, float]:
    """sacrebleu's bootstrap estimator on resampled scores: (mean, 95% half-width)."""
    estimate.estimate_ci(resampled)  # sorted, 1/40 from each end; stores them on the score
    return interval_of(estimate)


def interval_of(score: Score) -> tuple[float, float]:
    """(mean, 95% half-width) that `corpus_score(..., n_bootstrap=N)` stored on its score."""
    return float(score._mean), float(score._ci)
