"""Scoring translations against references with sacrebleu: BLEU, chrF++ and TER.

A reference with as many lines as the translation is scored line by line (sacrebleu's standard
corpus-level way); any other reference is scored as one segment for the whole document, and the
row says which. With `strict` alignment (line-aligned test sets) such a document is not scored
at all: it gets rows with `alignment = "misaligned"`, no score and a note, and stays out of the
language and corpus scores. Every score carries sacrebleu's signature, so it can be reproduced;
language and corpus scores also carry sacrebleu's bootstrap 95% confidence interval.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric

from newslib.inputs.references import References, match_reference

# Resamples of the confidence intervals: what `sacrebleu --confidence` uses by default.
N_BOOTSTRAP = 1000
# Bootstrap resamples are drawn in chunks of at most this many segment statistics, so memory stays
# bounded on large corpora (sacrebleu itself materializes all 1000 resamples at once).
_CHUNK_VALUES = 4_000_000
# Alignment of a document that has no usable reference (its note says why): not scored.
UNSCORED = "unscored"
NOT_SCORED = ("misaligned", UNSCORED)


def make_metrics() -> dict[str, Metric]:
    """The metrics, with the standard offline tokenizers (13a for BLEU; chrF++ = word order 2)."""
    return {"BLEU": BLEU(), "chrF++": CHRF(word_order=2), "TER": TER()}


def bootstrap_seed() -> str:
    """The resampling seed as sacrebleu reads it: SACREBLEU_SEED, default 12345 ('none': random)."""
    return os.environ.get("SACREBLEU_SEED", "12345").lower()


@dataclass(frozen=True)
class ScoredDocument:
    """One article's hypothesis and reference, aligned as segments."""

    article_id: str
    lang: str
    hypotheses: list[str]
    references: list[str]
    alignment: str  # "line", "document", "misaligned" (strict alignment) or "unscored"
    note: str | None = None  # why an unscored document has no reference


@dataclass(frozen=True)
class ScoreRow:
    level: str  # "article", "language" or "corpus"
    article_id: str | None
    lang: str | None
    metric: str
    score: float | None  # None for a misaligned document
    signature: str
    alignment: str  # "line", "document", "mixed" or "misaligned"
    n_documents: int
    n_segments: int
    bootstrap_mean: float | None = None  # sacrebleu's μ over the bootstrap resamples
    ci95: float | None = None  # half-width of the 95% interval: μ ± ci95
    bootstrap: str | None = None  # "bs:1000|seed:12345": how the interval was drawn
    note: str | None = None  # why a document was not scored


@dataclass(frozen=True)
class Interval:
    """sacrebleu's bootstrap estimate: the mean of the resampled scores and the 95% half-width."""

    mean: float
    ci95: float
    settings: str


def align(
    article_id: str, lang: str, hyp_lines: list[str], reference: str, *, strict: bool = False
) -> ScoredDocument:
    """Pair translation and reference lines; `strict`: never fall back to one document segment."""
    ref_lines = [line.strip() for line in reference.strip().splitlines() if line.strip()]
    if len(ref_lines) == len(hyp_lines):
        return ScoredDocument(article_id, lang, hyp_lines, ref_lines, "line")
    if strict:
        return ScoredDocument(article_id, lang, hyp_lines, ref_lines, "misaligned")
    return ScoredDocument(
        article_id, lang, [" ".join(hyp_lines)], [" ".join(ref_lines)], "document"
    )


def segment_stats(metric: Metric, hyps: Sequence[str], refs: Sequence[str]) -> list[Any]:
    """sacrebleu's sufficient statistics, one entry per segment.

    A corpus score is computed from the sum of these, so the scores of any group of documents
    (an article, a language, the corpus) come from one extraction, exactly as `corpus_score`
    on that group would compute them.
    """
    return list(metric._extract_corpus_statistics(list(hyps), [list(refs)]))


def bootstrap_interval(
    metric: Metric, stats: Sequence[Any], n_samples: int = N_BOOTSTRAP
) -> Interval:
    """The 95% confidence interval of `sacrebleu --confidence`, resample for resample.

    Same seed, same resampled indices, same float32 sums and the same estimator as sacrebleu's
    `corpus_score(..., n_bootstrap=n_samples)`, drawn in chunks to bound memory.
    """
    import numpy as np

    seed = bootstrap_seed()
    rng = np.random.default_rng(None if seed == "none" else int(seed))
    stats_np = np.array(stats, dtype="float32")
    n = len(stats_np)
    per_chunk = max(1, _CHUNK_VALUES // max(1, stats_np.size))
    resampled = []
    done = 0
    while done < n_samples:
        count = min(per_chunk, n_samples - done)
        for indices in rng.choice(n, size=(count, n), replace=True):
            resampled.append(metric._compute_score_from_stats(stats_np[indices].sum(0)))
        done += count
    estimate = metric._compute_score_from_stats(stats_np.sum(0))
    try:
        estimate.estimate_ci(resampled)  # sacrebleu's estimator: sorted, 1/40 from each end
    except TypeError:
        # sacrebleu's chrF gives a plain float 0.0 for an empty resample and float32 otherwise,
        # which its estimator cannot average (sacrebleu --confidence crashes there): same
        # estimator, on floats (float32 -> float is exact).
        for score in resampled:
            score.score = float(score.score)
        estimate.estimate_ci(resampled)
    return Interval(float(estimate._mean), float(estimate._ci), f"bs:{n_samples}|seed:{seed}")


def _misaligned_rows(doc: ScoredDocument, signatures: dict[str, str]) -> list[ScoreRow]:
    note = doc.note or (
        f"not scored: the translation has {len(doc.hypotheses)} lines, the reference "
        f"{len(doc.references)}"
    )
    return [
        ScoreRow(
            "article",
            doc.article_id,
            doc.lang,
            name,
            None,
            signature,
            doc.alignment,
            1,
            len(doc.hypotheses),
            note=note,
        )
        for name, signature in signatures.items()
    ]


def score_documents(
    docs: Sequence[ScoredDocument], n_bootstrap: int = N_BOOTSTRAP
) -> list[ScoreRow]:
    """Scores per article, per language and over the whole corpus.

    Language and corpus scores carry a bootstrap confidence interval (`n_bootstrap` resamples;
    1 turns it off). Misaligned and unscored documents get rows without a score (their note
    says why) and are left out of both.
    """
    scored = [d for d in docs if d.alignment not in NOT_SCORED]
    metrics = make_metrics()
    # stats[name][i]: the segment statistics of scored[i] under metric `name`
    stats: dict[str, list[list[Any]]] = {name: [] for name in metrics}
    signatures: dict[str, str] = {}
    for name, metric in metrics.items():
        hyps = [h for d in scored for h in d.hypotheses]
        refs = [r for d in scored for r in d.references]
        flat = segment_stats(metric, hyps, refs) if hyps else []
        start = 0
        for doc in scored:
            stats[name].append(flat[start : start + len(doc.hypotheses)])
            start += len(doc.hypotheses)
        if not hyps:  # nothing to score: still name how it would have been scored
            metric.corpus_score(["x"], [["x"]])
        signatures[name] = str(metric.get_signature())

    index = {id(doc): i for i, doc in enumerate(scored)}
    intervals: dict[tuple[str, frozenset[int]], Interval] = {}

    def group_rows(
        group: Sequence[ScoredDocument], level: str, article_id: str | None, lang: str | None
    ) -> list[ScoreRow]:
        members = [index[id(d)] for d in group]
        alignments = {d.alignment for d in group}
        alignment = alignments.pop() if len(alignments) == 1 else "mixed"
        n_segments = sum(len(d.hypotheses) for d in group)
        rows = []
        for name, metric in metrics.items():
            group_stats = [s for i in members for s in stats[name][i]]
            score = float(metric._aggregate_and_compute(group_stats).score)
            interval = None
            if level != "article" and n_bootstrap > 1:
                key = (name, frozenset(members))
                if key not in intervals:  # a one-language corpus is that language
                    intervals[key] = bootstrap_interval(metric, group_stats, n_bootstrap)
                interval = intervals[key]
            rows.append(
                ScoreRow(
                    level,
                    article_id,
                    lang,
                    name,
                    score,
                    signatures[name],
                    alignment,
                    len(group),
                    n_segments,
                    interval.mean if interval else None,
                    interval.ci95 if interval else None,
                    interval.settings if interval else None,
                )
            )
        return rows

    rows: list[ScoreRow] = []
    for doc in docs:
        if doc.alignment in NOT_SCORED:
            rows.extend(_misaligned_rows(doc, signatures))
        else:
            rows.extend(group_rows([doc], "article", doc.article_id, doc.lang))
    for lang in sorted({d.lang for d in scored}):
        rows.extend(group_rows([d for d in scored if d.lang == lang], "language", None, lang))
    if scored:
        rows.extend(group_rows(scored, "corpus", None, None))
    return rows


def aligned_documents(
    articles: Iterable[Mapping[str, Any]],
    references: References,
    roots: Sequence[Path],
    *,
    strict: bool,
) -> Iterator[tuple[Mapping[str, Any], ScoredDocument]]:
    """(article, its translation aligned with its reference) for each ok article.

    `articles`: rows of the articles dataset; `roots`: the run's inputs, which references are
    matched against (see `newslib.inputs.references`). An article without a usable reference gives
    an `unscored` document that says why. With `strict`, a reference whose line count differs
    gives a `misaligned` document (see `align`). The flow scores these; `newsflow compare` and
    the eval text files take the `line` ones, exactly the documents a strict scoring scored.
    """
    for article in articles:
        if article["status"] != "ok":
            continue
        article_id, lang = str(article["article_id"]), str(article["source_lang"])
        lines = str(article["translation"]).split("\n")
        match = match_reference(references, article_id, str(article["source"]), roots)
        if match.text is None:
            yield article, ScoredDocument(article_id, lang, lines, [], UNSCORED, match.problem)
        else:
            yield article, align(article_id, lang, lines, match.text, strict=strict)
