"""Checking an output directory: every dataset file readable and as its run recorded it.

A run's `runs/` row records the size, sha256 and row count of its other files (`files_json`).
`newsflow verify OUTPUT` reads every page of every dataset file (each page carries a checksum),
compares every file with that record, and checks every result-cache entry; each run checks its
output quickly before it starts (every file's footer, size and row count) and refuses to add to
a damaged one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newslib.output.cache import CACHE_DIR, MANIFEST_SUFFIX, STAGING_DIR, DamagedEntry, read_entry
from newslib.output.write import DATASETS_IN_WRITE_ORDER, file_sha256

# Row counts every `runs/` row records (runs written before `files_json` have only these).
COUNTED = {"articles": "n_articles", "segments": "n_segments"}


class DamagedOutputError(RuntimeError):
    """The output directory holds damaged files; a run does not add to it until they are fixed."""


@dataclass(frozen=True)
class Damage:
    path: Path
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}. {self.fix}"


def _dataset_fix(path: Path, output: Path) -> str:
    run_id = path.stem
    return (
        f"Move it out of {path.parent} (pandas reads every file there), together with "
        f"run {run_id}'s files in the other datasets, then run that run's inputs again "
        f"(unchanged articles come from the result cache in {output / CACHE_DIR})."
    )


def _read_problem(path: Path, full: bool) -> tuple[int | None, str | None]:
    """(rows, None) for a readable file, (None, why) otherwise."""
    try:
        if full:
            table = pq.read_table(path, page_checksum_verification=True)
            return table.num_rows, None
        return pq.ParquetFile(path).metadata.num_rows, None
    except (OSError, pa.ArrowException) as error:
        return None, f"cannot be read ({type(error).__name__}: {error})"


def _recorded(output: Path, full: bool) -> dict[str, dict[str, dict[str, Any]]]:
    """run id -> {dataset: what its runs/ row recorded of that file}: rows always; size and
    sha256 for runs that recorded them (`files_json`)."""
    recorded: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted((output / "runs").glob("[!._]*.parquet")):
        rows, problem = _read_problem(path, full)
        if problem is not None or rows != 1:
            continue
        row = pq.read_table(path).to_pylist()[0]
        files = json.loads(row.get("files_json") or "{}")
        for name, column in COUNTED.items():
            files.setdefault(name, {"rows": int(row[column])})
        recorded[path.stem] = files
    return recorded


def _mismatch(path: Path, rows: int | None, record: dict[str, Any], full: bool) -> str | None:
    """How a readable dataset file differs from what its run recorded, or None."""
    if "bytes" in record and path.stat().st_size != record["bytes"]:
        return f"is {path.stat().st_size} bytes, but its run wrote {record['bytes']}"
    if full and "sha256" in record and file_sha256(path) != record["sha256"]:
        return "does not match the sha256 its run recorded: its content changed"
    if rows is not None and rows != record["rows"]:
        return f"holds {rows} rows, but its run recorded {record['rows']}"
    return None


def verify_output(output: Path, full: bool = True) -> list[Damage]:
    """Every damaged file of `output`, with what is wrong and what to do. `full`: read every
    page, compare content hashes, check the result cache; otherwise only footers, sizes and
    row counts (cheap)."""
    output = Path(output)
    damages: list[Damage] = []
    recorded = _recorded(output, full)
    in_progress = {p.name for p in (output / STAGING_DIR).glob("[!.]*")}
    for dataset in DATASETS_IN_WRITE_ORDER:
        for path in sorted((output / dataset).glob("[!._]*.parquet")):
            rows, problem = _read_problem(path, full)
            record = recorded.get(path.stem, {}).get(dataset)
            if problem is None and dataset == "runs" and rows != 1:
                problem = f"holds {rows} rows, not 1"
            if problem is None and record is not None and dataset != "runs":
                problem = _mismatch(path, rows, record, full)
            orphan = (
                dataset != "runs" and path.stem not in recorded and path.stem not in in_progress
            )
            if full and problem is None and orphan:
                problem = "belongs to no complete run (no runs/ row): a run died writing it"
            if problem is not None:
                damages.append(Damage(path, problem, _dataset_fix(path, output)))
    if full:
        damages.extend(verify_cache(output))
    return damages


def verify_cache(output: Path) -> list[Damage]:
    """Damaged result-cache entries (a run discards those itself, and redoes their articles)."""
    damages = []
    for manifest in sorted((output / CACHE_DIR).glob(f"*/[!._]*{MANIFEST_SUFFIX}")):
        try:
            read_entry(manifest)
        except DamagedEntry as error:
            fix = "The next run discards this entry and translates its articles again."
            damages.append(Damage(manifest, f"damaged cache entry: {error}", fix))
    return damages


def check_output(output: Path) -> None:
    """The quick check at the start of a run: DamagedOutputError naming every damaged file."""
    damages = verify_output(output, full=False)
    if damages:
        listed = "\n".join(f"- {d}" for d in damages)
        raise DamagedOutputError(
            f"{output} holds damaged dataset files; nothing was run:\n{listed}\n"
            f"`newsflow verify {output}` checks every file once they are dealt with."
        )
