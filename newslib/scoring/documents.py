"""What is scored: an article's translation aligned with its reference, and the score rows."""

from __future__ import annotations

from dataclasses import dataclass

# Alignment of a document that has no usable reference (its note says why): not scored.
UNSCORED = "unscored"
NOT_SCORED = ("misaligned", UNSCORED)


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
