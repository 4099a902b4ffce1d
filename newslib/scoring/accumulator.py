"""Scores of a run, accumulated batch by batch from per-segment sufficient statistics.

`ScoreAccumulator.add(documents)` scores one batch's documents and returns their article rows;
`summary_rows()` then gives the language and corpus rows. The scores equal sacrebleu's on the
whole text (a group's score comes from the sum of its segments' statistics, exactly as
`corpus_score` computes it), and so do the bootstrap intervals, which resample the segments.

Memory: what the accumulator holds does not grow with the articles' text or rows, only with
their segments: per segment, its statistics (BLEU 10 and chrF++ 24 counts as int32, TER 2
floats as float64) and its language (int32), about 160 bytes, kept for the bootstrap in arrival
order. Without intervals (`n_bootstrap=1`) it keeps only running sums per language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newslib.scoring.bootstrap import N_BOOTSTRAP, Interval, bootstrap_interval
from newslib.scoring.documents import NOT_SCORED, ScoredDocument, ScoreRow
from newslib.scoring.sacrebleu_stats import (
    make_metrics,
    score_from_totals,
    segment_statistics,
    signature,
)

INT32 = np.iinfo(np.int32)


class SegmentTable:
    """A row of numbers per segment, appended batch by batch (capacity doubles as it fills).

    Integer statistics are kept as int32 while they fit (a sentence's counts always do)."""

    def __init__(self) -> None:
        self._data: np.ndarray | None = None
        self._size = 0

    def extend(self, rows: np.ndarray) -> None:
        if rows.dtype.kind in "iu" and (
            rows.size == 0 or (rows.min() >= INT32.min and rows.max() <= INT32.max)
        ):
            rows = rows.astype(np.int32)
        needed = self._size + len(rows)
        data = self._data
        dtype = rows.dtype if data is None else np.result_type(data, rows)
        if data is None or needed > len(data) or dtype != data.dtype:
            capacity = max(needed, 2 * len(data) if data is not None else 0, 1024)
            grown = np.zeros((capacity, rows.shape[1]), dtype)
            if data is not None:
                grown[: self._size] = data[: self._size]
            data = self._data = grown
        data[self._size : needed] = rows
        self._size = needed

    def rows(self) -> np.ndarray:
        return self._data[: self._size] if self._data is not None else np.zeros((0, 0))


def add_up(totals: list[Any], segments: Iterable[Sequence[Any]]) -> list[Any]:
    """`totals` plus each segment's statistics, in order (as sacrebleu sums a corpus)."""
    for segment in segments:
        totals = [a + b for a, b in zip(totals, segment, strict=True)] if totals else list(segment)
    return totals


@dataclass
class Group:
    """Running sums of a group of documents (a language, or the whole run)."""

    totals: dict[str, list[Any]] = field(default_factory=dict)  # metric -> summed statistics
    n_documents: int = 0
    n_segments: int = 0
    alignments: set[str] = field(default_factory=set)

    def add(self, doc: ScoredDocument, stats: dict[str, list[Any]]) -> None:
        for name, segments in stats.items():
            self.totals[name] = add_up(self.totals.get(name, []), segments)
        self.n_documents += 1
        self.n_segments += len(doc.hypotheses)
        self.alignments.add(doc.alignment)

    @property
    def alignment(self) -> str:
        return next(iter(self.alignments)) if len(self.alignments) == 1 else "mixed"


class ScoreAccumulator:
    """Scores per article (as each batch is added), per language and for the run (at the end).

    Language and run scores carry a bootstrap confidence interval (`n_bootstrap` resamples;
    1 turns it off). Misaligned and unscored documents get rows without a score (their note
    says why) and are left out of both.
    """

    def __init__(self, n_bootstrap: int = N_BOOTSTRAP) -> None:
        self.n_bootstrap = n_bootstrap
        self.metrics = make_metrics()
        self.signatures = {name: signature(metric) for name, metric in self.metrics.items()}
        self.languages: dict[str, Group] = {}
        self.corpus = Group()
        # for the bootstrap: each scored segment's statistics per metric, and its language
        self._segments = {name: SegmentTable() for name in self.metrics}
        self._segment_langs = SegmentTable()
        self._lang_codes: dict[str, int] = {}
        self._intervals: dict[tuple[str, str | None], Interval] = {}

    def add(self, docs: Iterable[ScoredDocument]) -> list[ScoreRow]:
        """Take in a batch of documents; their article rows, in the documents' order."""
        docs = list(docs)
        scored = [d for d in docs if d.alignment not in NOT_SCORED]
        per_doc = iter(self._extract(scored))
        if scored:
            self._intervals.clear()  # drawn again from all segments at the next summary
        rows: list[ScoreRow] = []
        for doc in docs:
            if doc.alignment in NOT_SCORED:
                rows.extend(self._unscored_rows(doc))
                continue
            stats = next(per_doc)
            self.languages.setdefault(doc.lang, Group()).add(doc, stats)
            self.corpus.add(doc, stats)
            if self.n_bootstrap > 1:
                self._keep_segments(doc, stats)
            article = Group()
            article.add(doc, stats)
            rows.extend(self._rows("article", doc.article_id, doc.lang, article))
        return rows

    def summary_rows(self) -> list[ScoreRow]:
        """Rows per language (in code order) and for the run, of every document added so far."""
        rows: list[ScoreRow] = []
        for lang in sorted(self.languages):
            rows.extend(self._group_rows("language", lang, self.languages[lang]))
        if self.corpus.n_documents:
            rows.extend(self._group_rows("corpus", None, self.corpus))
        return rows

    def segment_statistics_bytes(self) -> int:
        """Bytes of the per-segment statistics held for the bootstrap (their arrays reserve up
        to twice that, as they grow by doubling)."""
        tables = [*self._segments.values(), self._segment_langs]
        return sum(table.rows().nbytes for table in tables)

    def _extract(self, scored: list[ScoredDocument]) -> list[dict[str, list[Any]]]:
        """Each document's segment statistics per metric, from one extraction per metric."""
        hyps = [h for d in scored for h in d.hypotheses]
        refs = [r for d in scored for r in d.references]
        flat = {
            name: segment_statistics(metric, hyps, refs) if hyps else []
            for name, metric in self.metrics.items()
        }
        per_doc, start = [], 0
        for doc in scored:
            end = start + len(doc.hypotheses)
            per_doc.append({name: stats[start:end] for name, stats in flat.items()})
            start = end
        return per_doc

    def _keep_segments(self, doc: ScoredDocument, stats: dict[str, list[Any]]) -> None:
        code = self._lang_codes.setdefault(doc.lang, len(self._lang_codes))
        for name, segments in stats.items():
            self._segments[name].extend(np.array(segments))
        self._segment_langs.extend(np.full((len(doc.hypotheses), 1), code))

    def _interval(self, name: str, lang: str | None) -> Interval | None:
        """The bootstrap interval of a language (or of the run: `lang` None)."""
        if self.n_bootstrap <= 1:
            return None
        if len(self.languages) == 1:  # a one-language run is that language: resample once
            lang = None
        if (name, lang) not in self._intervals:
            stats = self._segments[name].rows()
            if lang is not None:
                stats = stats[self._segment_langs.rows()[:, 0] == self._lang_codes[lang]]
            interval = bootstrap_interval(self.metrics[name], stats, self.n_bootstrap)
            self._intervals[name, lang] = interval
        return self._intervals[name, lang]

    def _group_rows(self, level: str, lang: str | None, group: Group) -> list[ScoreRow]:
        intervals = {name: self._interval(name, lang) for name in self.metrics}
        return self._rows(level, None, lang, group, intervals)

    def _rows(
        self,
        level: str,
        article_id: str | None,
        lang: str | None,
        group: Group,
        intervals: dict[str, Interval | None] | None = None,
    ) -> list[ScoreRow]:
        rows = []
        for name, metric in self.metrics.items():
            interval = (intervals or {}).get(name)
            rows.append(
                ScoreRow(
                    level,
                    article_id,
                    lang,
                    name,
                    float(score_from_totals(metric, group.totals[name]).score),
                    self.signatures[name],
                    group.alignment,
                    group.n_documents,
                    group.n_segments,
                    interval.mean if interval else None,
                    interval.ci95 if interval else None,
                    interval.settings if interval else None,
                )
            )
        return rows

    def _unscored_rows(self, doc: ScoredDocument) -> list[ScoreRow]:
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
                sign,
                doc.alignment,
                1,
                len(doc.hypotheses),
                note=note,
            )
            for name, sign in self.signatures.items()
        ]
