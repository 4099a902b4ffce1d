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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newslib.output.records import check_rows
from newslib.output.schema import SCHEMAS

DATASETS_IN_WRITE_ORDER = ("articles", "segments", "scores", "stories", "runs")


def to_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as a table of the dataset's documented schema. A field the schema lacks is an
    error; a missing one becomes nulls (the flow checks its own rows are complete first)."""
    check_rows(name, rows, complete=False)
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


class DatasetWriter:
    """One dataset's file of a run, written a row group at a time under its hidden name
    (`.<run_id>.parquet.tmp`, which readers skip): memory holds one row group, however large
    the run. `commit_run` renames it into place."""

    ROW_GROUP_ROWS = 1024

    def __init__(self, output: Path, name: str, run_id: str) -> None:
        self.name = name
        self.path = output / name / f"{run_id}.parquet"
        self.temporary = self.path.with_name(f".{self.path.name}.tmp")
        self.temporary.parent.mkdir(parents=True, exist_ok=True)
        self.rows = 0
        self._pending: list[dict[str, Any]] = []
        self._writer = pq.ParquetWriter(
            self.temporary, SCHEMAS[name](), compression="zstd", write_page_checksum=True
        )

    def write(self, rows: list[dict[str, Any]]) -> None:
        self._pending.extend(rows)
        self.rows += len(rows)
        if len(self._pending) >= self.ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._writer.write_table(to_table(self.name, self._pending))
            self._pending = []

    def close(self) -> StagedDataset:
        self._flush()
        self._writer.close()
        return StagedDataset(self.name, str(self.temporary), str(self.path), self.rows)


@dataclass(frozen=True)
class StagedDataset:
    """A dataset file of a run, complete under its hidden name, waiting for `commit_run`."""

    name: str
    temporary: str
    path: str
    rows: int


def commit_run(
    output: Path,
    run_id: str,
    files: list[StagedDataset],
    run: dict[str, Any],
    before_listing: Callable[[], None] | None = None,
) -> None:
    """Rename the run's closed dataset files into place, then write its `runs/` row, which
    records the size, sha256 and rows of each: a run listed in `runs/` is complete.
    `before_listing` runs once the files are in place, before the row (the story index)."""
    records: dict[str, Any] = {}
    for staged in files:
        fsync_and_replace(Path(staged.temporary), Path(staged.path))
        records[staged.name] = file_record(Path(staged.path), staged.rows)
    if before_listing is not None:
        before_listing()
    row = run | {"files_json": json.dumps(records, sort_keys=True)}
    write_table_durably(to_table("runs", [row]), output / "runs" / f"{run_id}.parquet")


def write_run(output: Path, run_id: str, rows: dict[str, list[dict[str, Any]]]) -> dict[str, Path]:
    """Write one run's rows of every dataset at once; returns the written file of each."""
    files = []
    for name in DATASETS_IN_WRITE_ORDER[:-1]:
        writer = DatasetWriter(output, name, run_id)
        writer.write(rows.get(name, []))
        files.append(writer.close())
    (run,) = rows.get("runs") or [{}]
    commit_run(output, run_id, files, run)
    return {f.name: Path(f.path) for f in files} | {"runs": output / "runs" / f"{run_id}.parquet"}
