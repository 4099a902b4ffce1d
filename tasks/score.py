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
from newslib.scoring.score import RunScorer, ScoreRow

READ_ROWS = 1024  # articles read from the run's file at a time


@task(name="score", cache_policy=NONE)
def score_articles(
    articles: StagedDataset, references: str, roots: list[Path], alignment: str
) -> StagedDataset:
    """BLEU, chrF++ and TER of every article of the run's (staged) articles file that has a
    reference; a row with the reason for every ok article that has none. `roots`: the run's
    inputs, references mirror them. `alignment="line"`: a reference whose line count differs
    is reported, not scored. Returns the run's scores file, staged like the articles'.

    Articles are read and scored 1,024 at a time; language and corpus scores come from the
    per-segment statistics gathered on the way (`RunScorer`), equal to sacrebleu's on the
    whole text."""
    scorer = RunScorer(load_references(Path(references)), roots, strict=alignment == "line")
    run_id = Path(articles.path).stem
    writer = DatasetWriter(Path(articles.path).parent.parent, "scores", run_id)

    def write(rows: list[ScoreRow]) -> None:
        dicts = [asdict(row) | {"run_id": run_id} for row in rows]
        check_rows("scores", dicts, complete=True)
        writer.write(dicts)

    log = get_run_logger().info
    with ProgressLog("articles scored", log, articles.rows) as progress:
        read = 0
        for batch in pq.ParquetFile(articles.temporary).iter_batches(batch_size=READ_ROWS):
            write(scorer.add_articles(batch.to_pylist()))
            read += batch.num_rows
            progress(read)
        write(scorer.summary_rows())
    log(f"scored {scorer.n_scored} of {scorer.n_articles} articles (the others lack references)")
    return writer.close()
