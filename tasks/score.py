"""Stage 5, score: BLEU, chrF++ and TER of the translations that have a reference."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pyarrow.parquet as pq
from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newslib.inputs.references import load_references
from newslib.output.records import check_rows
from newslib.output.write import DatasetWriter, StagedDataset
from newslib.progress import ProgressLog
from newslib.scoring.score import ScoredDocument, aligned_documents, score_documents

READ_ROWS = 1024  # articles read from the run's file at a time


@task(name="score", cache_policy=NONE)
def score_articles(
    articles: StagedDataset, references: str, roots: list[Path], alignment: str
) -> StagedDataset:
    """BLEU, chrF++ and TER of every article of the run's (staged) articles file that has a
    reference; a row with the reason for every ok article that has none. `roots`: the run's
    inputs, references mirror them. `alignment="line"`: a reference whose line count differs
    is reported, not scored. Returns the run's scores file, staged like the articles'."""
    refs = load_references(Path(references))
    strict = alignment == "line"
    docs: list[ScoredDocument] = []
    for batch in pq.ParquetFile(articles.temporary).iter_batches(batch_size=READ_ROWS):
        rows = batch.to_pylist()
        docs.extend(doc for _, doc in aligned_documents(rows, refs, roots, strict=strict))
    scored = sum(doc.references != [] for doc in docs)
    log = get_run_logger().info
    run_id = Path(articles.path).stem
    with ProgressLog(
        f"scoring {scored} of {len(docs)} articles (the others lack references)", log, len(docs)
    ):
        rows = [asdict(row) | {"run_id": run_id} for row in score_documents(docs)]
    check_rows("scores", rows, complete=True)
    writer = DatasetWriter(Path(articles.path).parent.parent, "scores", run_id)
    writer.write(rows)
    return writer.close()
