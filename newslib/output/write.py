"""Writing the Parquet datasets: one file per run and dataset, appearing atomically.

Each dataset is a directory (`articles/`, `segments/`, `scores/`, `runs/`) holding one file per
run, so `pandas.read_parquet(dir)` reads every run. A file is written under a hidden name and
renamed into place: readers never see half a file (pyarrow skips names starting with "." or
"_"). Every file is flushed to disk before its rename and carries a checksum on each Parquet page,
so damage is found when it is read (see `newslib/output/verify.py`). `runs/` is written last, so a
run listed there is complete.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newslib.output.schema import SCHEMAS

DATASETS_IN_WRITE_ORDER = ("articles", "segments", "scores", "runs")


def to_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as a table of the dataset's documented schema (missing columns become nulls)."""
    schema = SCHEMAS[name]()
    columns = {field.name: [row.get(field.name) for row in rows] for field in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def fsync_and_replace(temporary: Path, path: Path) -> None:
    """Flush `temporary` to disk, rename it to `path`, and flush the rename (the directory)."""
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def write_table_durably(table: pa.Table, path: Path) -> None:
    """`table` to `path` with a checksum on every Parquet page, appearing complete or not at
    all (written under a hidden name, flushed to disk, renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, temporary, compression="zstd", write_page_checksum=True)
    fsync_and_replace(temporary, path)


def read_verified(path: Path) -> list[dict[str, Any]]:
    """Rows of a Parquet file, every page checked against its checksum (when it has one)."""
    if not path.stat().st_size:  # an empty table written as no bytes at all
        return []
    return pq.read_table(path, page_checksum_verification=True).to_pylist()


def write_rows_durably(rows: list[dict[str, Any]], path: Path) -> None:
    """Rows of any shape (staging, cache) as `write_table_durably` writes a table: a column
    for every key of any row (pyarrow's `from_pylist` would keep the first row's keys only)."""
    keys = list(dict.fromkeys(key for row in rows for key in row))
    table = pa.Table.from_pydict({key: [row.get(key) for row in rows] for key in keys})
    write_table_durably(table, path)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def file_record(path: Path, rows: int) -> dict[str, Any]:
    """What a reader checks a file against: its size, sha256 and row count."""
    return {"bytes": path.stat().st_size, "sha256": file_sha256(path), "rows": rows}


def write_run(output: Path, run_id: str, rows: dict[str, list[dict[str, Any]]]) -> dict[str, Path]:
    """Write one run's rows of every dataset; returns the written file of each.

    The `runs/` row, written last, records the size, sha256 and rows of the other files."""
    written: dict[str, Path] = {}
    records: dict[str, Any] = {}
    for name in DATASETS_IN_WRITE_ORDER:
        path = output / name / f"{run_id}.parquet"
        dataset_rows = rows.get(name, [])
        if name == "runs":
            files = json.dumps(records, sort_keys=True)
            dataset_rows = [row | {"files_json": files} for row in dataset_rows]
        write_table_durably(to_table(name, dataset_rows), path)
        records[name] = file_record(path, len(dataset_rows))
        written[name] = path
    return written
