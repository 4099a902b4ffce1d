"""Stage 5, score: BLEU, chrF++ and TER of the translations that have a reference."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.inputs.references import load_references
from newslib.output.staging import read_rows, write_rows
from newslib.progress import ProgressLog
from newslib.scoring.score import aligned_documents, score_documents


@task(name="score", cache_policy=NONE)
def score_articles(
    article_files: list[str], references: str, roots: list[Path], alignment: str, staging: str
) -> str:
    """BLEU, chrF++ and TER of every article that has a reference; a row with the reason for
    every ok article that has none. `roots`: the run's inputs, references mirror them.

    `alignment="line"`: a reference whose line count differs is reported, not scored.
    Returns the staging file of the score rows."""
    refs = load_references(Path(references))
    strict = alignment == "line"
    docs = [
        doc
        for path in article_files
        for _, doc in aligned_documents(read_rows(path), refs, roots, strict=strict)
    ]
    scored = sum(doc.references != [] for doc in docs)
    log = get_run_logger().info
    with ProgressLog(
        f"scoring {scored} of {len(docs)} articles (the others lack references)", log, len(docs)
    ):
        rows = [asdict(row) for row in score_documents(docs)]
    return write_rows(rows, Path(staging) / "scores.parquet")
