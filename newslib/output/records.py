"""The rows of the four datasets, as types: one definition per dataset row.

Rows travel between stages as plain dicts (Parquet staging files read back with pyarrow); these
TypedDicts say which fields each dataset's row has and of what type. `newslib.output.schema`
holds the Parquet types and meanings of the same columns: a test checks that both agree field
by field, and the writer refuses a row with a field the schema does not know (a misspelt key
is an error, not a silently null column) and, in tests, a row that lacks one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict


class ArticleRow(TypedDict):
    """A row of `articles/`: one input article."""

    run_id: str
    article_id: str
    source: str
    title: str | None
    title_translation: str | None
    title_flags: list[str] | None
    published_at: datetime | None
    url: str | None
    site: str | None
    author: str | None
    input_format: str | None
    encoding: str | None
    status: str
    reason: str | None
    source_lang: str | None
    lang_confidence: float | None
    lang_candidates: list[dict[str, Any]] | None
    lang_mixed: bool | None
    n_lines: int | None
    dropped_lines: list[dict[str, Any]] | None
    clean_text: str | None
    translation: str | None
    summary: str | None
    summary_chunks: int | None
    summary_chunks_total: int | None
    n_segments: int | None
    n_flag_length_limit: int | None
    n_flag_repetition: int | None
    n_flag_length_ratio: int | None
    n_flag_numbers: int | None
    n_flag_untranslated: int | None
    n_flag_off_target: int | None
    n_flag_low_confidence: int | None
    n_flag_language_mismatch: int | None
    n_repaired: int | None
    cached: bool
    story_id: str | None
    duplicate_of: str | None
    duplicate_similarity: float | None


class SegmentRow(TypedDict):
    """A row of `segments/`: one sentence of an article."""

    run_id: str
    article_id: str
    line_index: int
    segment_index: int
    source_lang: str | None
    source_text: str
    translation: str | None
    translated: bool
    src_tokens: int | None
    out_tokens: int | None
    max_new_tokens: int | None
    log_prob: float | None
    output_lang: str | None
    flag_length_limit: bool | None
    flag_repetition: bool | None
    flag_length_ratio: bool | None
    flag_numbers: bool | None
    flag_untranslated: bool | None
    flag_off_target: bool | None
    flag_low_confidence: bool | None
    flag_language_mismatch: bool | None
    first_flags: list[str] | None
    repair: str | None
    repair_kept: bool | None
    first_translation: str | None


class ScoreRow(TypedDict):
    """A row of `scores/`: one metric of an article, a language or the corpus."""

    run_id: str
    level: str
    article_id: str
    lang: str | None
    metric: str
    score: float | None
    signature: str
    alignment: str
    n_documents: int
    n_segments: int
    bootstrap_mean: float | None
    ci95: float | None
    bootstrap: str | None
    note: str | None


class RunRow(TypedDict):
    """A row of `runs/`: one run."""

    run_id: str
    started_at: datetime
    finished_at: datetime
    wall_seconds: float
    model_seconds: float
    config_json: str
    fingerprint: str
    model: str
    model_revision: str | None
    summarizer: str | None
    summarizer_revision: str | None
    backend: str
    device: str
    packages_json: str
    n_articles: int
    n_ok: int
    n_failed: int
    n_cached: int
    n_segments: int
    n_repaired: int
    repair_rate: float
    files_json: str


class StoryRow(TypedDict):
    """A row of `stories/`: one story a run began or added to, as it stood after the run."""

    run_id: str
    story_id: str
    n_articles: int
    n_new: int
    languages: list[str]
    sites: list[str]
    first_published: datetime | None
    last_published: datetime | None
    title: str | None
    summary: str | None
    representative_id: str
    article_ids: list[str]
    folded_story_ids: list[str]


RECORDS: dict[str, type] = {
    "articles": ArticleRow,
    "segments": SegmentRow,
    "scores": ScoreRow,
    "runs": RunRow,
    "stories": StoryRow,
}


def new_row(dataset: str, **fields: Any) -> dict[str, Any]:
    """A row of `dataset` with the given fields and every other one null (not known yet, or
    not applicable: a failed article has no translation). A field the dataset does not have is
    an error."""
    names = RECORDS[dataset].__annotations__
    unknown = sorted(fields.keys() - names.keys())
    if unknown:
        raise TypeError(f"{dataset} rows have no field {', '.join(unknown)}")
    return {name: fields.get(name) for name in names}


def check_rows(dataset: str, rows: list[dict[str, Any]], *, complete: bool) -> None:
    """Refuse rows with a field `dataset` does not have, and with `complete` rows lacking one."""
    names = RECORDS[dataset].__annotations__.keys()
    for row in rows:
        unknown, missing = sorted(row.keys() - names), sorted(names - row.keys())
        if unknown:
            raise ValueError(f"a {dataset} row has fields the schema lacks: {', '.join(unknown)}")
        if complete and missing:
            raise ValueError(f"a {dataset} row lacks the fields {', '.join(missing)}")
