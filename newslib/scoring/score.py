"""Scoring translations against references with sacrebleu: BLEU, chrF++ and TER.

A reference with as many lines as the translation is scored line by line (sacrebleu's standard
corpus-level way); any other reference is scored as one segment for the whole document, and the
row says which. With `strict` alignment (line-aligned test sets) such a document is not scored
at all: it gets rows with `alignment = "misaligned"`, no score and a note, and stays out of the
language and corpus scores. Every score carries sacrebleu's signature, so it can be reproduced;
language and corpus scores also carry sacrebleu's bootstrap 95% confidence interval.

A run is scored article file by article file (`RunScorer`), from per-segment statistics
(`newslib.scoring.accumulator`), so scoring never holds a run's articles in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sacrebleu.metrics.base import Metric

from newslib.inputs.references import References, match_reference
from newslib.scoring.accumulator import ScoreAccumulator
from newslib.scoring.bootstrap import N_BOOTSTRAP, Interval, bootstrap_interval, bootstrap_seed
from newslib.scoring.documents import NOT_SCORED, UNSCORED, ScoredDocument, ScoreRow, align
from newslib.scoring.sacrebleu_stats import make_metrics, segment_statistics

__all__ = [
    "NOT_SCORED",
    "N_BOOTSTRAP",
    "UNSCORED",
    "Interval",
    "RunScorer",
    "ScoreAccumulator",
    "ScoreRow",
    "ScoredDocument",
    "align",
    "aligned_documents",
    "bootstrap_interval",
    "bootstrap_seed",
    "make_metrics",
    "score_documents",
    "segment_stats",
]


def segment_stats(metric: Metric, hyps: Sequence[str], refs: Sequence[str]) -> list[Any]:
    """sacrebleu's sufficient statistics, one entry per segment.

    A corpus score is computed from the sum of these, so the scores of any group of documents
    (an article, a language, the corpus) come from one extraction, exactly as `corpus_score`
    on that group would compute them.
    """
    return segment_statistics(metric, hyps, refs)


def score_documents(
    docs: Sequence[ScoredDocument], n_bootstrap: int = N_BOOTSTRAP
) -> list[ScoreRow]:
    """Scores per article, per language and over the whole corpus, of documents in memory.

    Language and corpus scores carry a bootstrap confidence interval (`n_bootstrap` resamples;
    1 turns it off). Misaligned and unscored documents get rows without a score (their note
    says why) and are left out of both. The same rows as adding the documents to a
    `ScoreAccumulator` in any number of batches.
    """
    scores = ScoreAccumulator(n_bootstrap)
    return scores.add(docs) + scores.summary_rows()


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


class RunScorer:
    """A run's scores, one batch of article rows at a time (e.g. one part file per batch).

    scorer = RunScorer(references, roots, strict=False)
    for part in article_files:
        write(scorer.add_articles(read_rows(part)))   # article rows of this part
    write(scorer.summary_rows())                      # then language and run rows
    """

    def __init__(
        self,
        references: References,
        roots: Sequence[Path],
        *,
        strict: bool,
        n_bootstrap: int = N_BOOTSTRAP,
    ) -> None:
        self.references, self.roots, self.strict = references, list(roots), strict
        self.scores = ScoreAccumulator(n_bootstrap)
        self.n_articles = 0  # ok articles seen
        self.n_scored = 0  # of which had a usable reference

    def add_articles(self, articles: Iterable[Mapping[str, Any]]) -> list[ScoreRow]:
        """Score the ok ones of these article rows; their article rows, in the same order."""
        docs = [
            doc
            for _, doc in aligned_documents(
                articles, self.references, self.roots, strict=self.strict
            )
        ]
        self.n_articles += len(docs)
        self.n_scored += sum(doc.alignment not in NOT_SCORED for doc in docs)
        return self.scores.add(docs)

    def summary_rows(self) -> list[ScoreRow]:
        """Per-language and run rows over every article added."""
        return self.scores.summary_rows()
