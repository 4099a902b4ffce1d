"""Writing the Parquet datasets: one file per run and dataset, appearing atomically.

Each dataset is a directory (`articles/`, `segments/`, `scores/`, `runs/`) holding one file per
run, so `pandas.read_parquet(dir)` reads every run. A file is written under a hidden name and
renamed into place: readers never see half a file (pyarrow skips names starting with "." or
"_"). `runs/` is written last, so a run listed there is complete.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tasks.schema import SCHEMAS

DATASETS_IN_WRITE_ORDER = ("articles", "segments", "scores", "runs")


def to_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as a table of the dataset's documented schema (missing columns become nulls)."""
    schema = SCHEMAS[name]()
    columns = {field.name: [row.get(field.name) for row in rows] for field in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write `table` to `path` so that the file appears complete or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, temporary, compression="zstd")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def write_run(output: Path, run_id: str, rows: dict[str, list[dict[str, Any]]]) -> dict[str, Path]:
    """Write one run's rows of every dataset; returns the written file of each."""
    written = {}
    for name in DATASETS_IN_WRITE_ORDER:
        path = output / name / f"{run_id}.parquet"
        write_atomic(to_table(name, rows.get(name, [])), path)
        written[name] = path
    return written
