"""sacrebleu's bootstrap confidence interval, from per-segment statistics, in bounded memory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
from sacrebleu.metrics.base import Metric

from newslib.scoring.sacrebleu_stats import estimate_interval, score_from_totals

# Resamples of the confidence intervals: what `sacrebleu --confidence` uses by default.
N_BOOTSTRAP = 1000
# Bootstrap resamples are drawn in chunks of at most this many segment statistics, so memory stays
# bounded on large corpora (sacrebleu itself materializes all 1000 resamples at once).
CHUNK_VALUES = 4_000_000


def bootstrap_seed() -> str:
    """The resampling seed as sacrebleu reads it: SACREBLEU_SEED, default 12345 ('none': random)."""
    return os.environ.get("SACREBLEU_SEED", "12345").lower()


@dataclass(frozen=True)
class Interval:
    """sacrebleu's bootstrap estimate: the mean of the resampled scores and the 95% half-width."""

    mean: float
    ci95: float
    settings: str


def bootstrap_interval(metric: Metric, stats: Any, n_samples: int = N_BOOTSTRAP) -> Interval:
    """The 95% confidence interval of `sacrebleu --confidence`, resample for resample.

    `stats`: the segments' statistics in corpus order (a list of lists, or an array with a row
    per segment). Same seed, same resampled indices, same float32 sums and the same estimator
    as sacrebleu's `corpus_score(..., n_bootstrap=n_samples)`, drawn in chunks to bound memory.
    """
    seed = bootstrap_seed()
    rng = np.random.default_rng(None if seed == "none" else int(seed))
    stats_np = np.asarray(stats, dtype="float32")
    n = len(stats_np)
    per_chunk = max(1, CHUNK_VALUES // max(1, stats_np.size))
    resampled = []
    done = 0
    while done < n_samples:
        count = min(per_chunk, n_samples - done)
        for indices in rng.choice(n, size=(count, n), replace=True):
            resampled.append(score_from_totals(metric, stats_np[indices].sum(0)))
        done += count
    estimate = score_from_totals(metric, stats_np.sum(0))
    try:
        mean, ci95 = estimate_interval(estimate, resampled)
    except TypeError:
        # sacrebleu's chrF gives a plain float 0.0 for an empty resample and float32 otherwise,
        # which its estimator cannot average (sacrebleu --confidence crashes there): same
        # estimator, on floats (float32 -> float is exact).
        for score in resampled:
            score.score = float(score.score)
        mean, ci95 = estimate_interval(estimate, resampled)
    return Interval(mean, ci95, f"bs:{n_samples}|seed:{seed}")
