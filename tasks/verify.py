"""Checking an output directory: every dataset file readable and as long as its run recorded.

`newsflow verify OUTPUT` reads every page of every dataset file (each page carries a checksum)
and every result-cache entry; each run checks its output quickly before it starts (every
file's footer, and row counts against the `runs/` rows) and refuses to add to a damaged one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tasks.cache import CACHE_DIR, MANIFEST_SUFFIX, STAGING_DIR, DamagedEntry, read_entry
from tasks.write import DATASETS_IN_WRITE_ORDER

# Row counts a `runs/` row records for the other datasets' files of the same run.
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


def _recorded_counts(output: Path, full: bool) -> dict[str, dict[str, int]]:
    """run id -> {dataset: rows its runs/ row recorded}, for the readable runs/ files."""
    counts: dict[str, dict[str, int]] = {}
    for path in sorted((output / "runs").glob("[!._]*.parquet")):
        rows, problem = _read_problem(path, full)
        if problem is None and rows == 1:
            row = pq.read_table(path).to_pylist()[0]
            counts[path.stem] = {name: int(row[column]) for name, column in COUNTED.items()}
    return counts


def verify_output(output: Path, full: bool = True) -> list[Damage]:
    """Every damaged file of `output`, with what is wrong and what to do. `full`: read every
    page (and the result cache); otherwise only footers and row counts (cheap)."""
    output = Path(output)
    damages: list[Damage] = []
    counts = _recorded_counts(output, full)
    in_progress = {p.name for p in (output / STAGING_DIR).glob("[!.]*")}
    for dataset in DATASETS_IN_WRITE_ORDER:
        for path in sorted((output / dataset).glob("[!._]*.parquet")):
            rows, problem = _read_problem(path, full)
            expected = counts.get(path.stem, {}).get(dataset)
            if problem is None and dataset == "runs" and rows != 1:
                problem = f"holds {rows} rows, not 1"
            if problem is None and expected is not None and rows != expected:
                problem = f"holds {rows} rows, but its run recorded {expected}"
            orphan = dataset != "runs" and path.stem not in counts and path.stem not in in_progress
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
