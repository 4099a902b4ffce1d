"""What makes re-runs cheap and crashes harmless: the per-article result cache and run claims.

**Result cache.** Every batch whose model work succeeded is stored under
``<output>/_cache/<key>/`` as two Parquet files (its ok articles and their sentences), written
under a hidden name and renamed, sentences first: an ``*.articles.parquet`` file that is visible
is complete, and so are its sentences. ``key`` hashes everything that shapes a translation or a
summary (the settings in `RunConfig.output_fingerprint`, the revision of both models, backend
and device), so a run with other settings never sees these results. Before any model work, a
run looks every input article up by its content hash: found, its rows are reused (marked
``cached``) and no model sees it. A batch killed half-way stored nothing; the next run redoes it.

**Run claims.** A run's work in progress lives in ``<output>/_staging/<run_id>/``, which holds
a lock (``flock``) for as long as the run's process lives. A run that starts removes the
staging directories whose lock it can take (their process died, even by SIGKILL), together with
any dataset file such a run had renamed into place before dying without its ``runs/`` row.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsflow.config import RunConfig
from tasks.engines import EngineSpec
from tasks.write import DATASETS_IN_WRITE_ORDER

Row = dict[str, Any]

CACHE_FORMAT = 1  # bump when the cached rows change meaning
CACHE_DIR = "_cache"
STAGING_DIR = "_staging"
LOCK_NAME = ".lock"


# Engine settings that do not change a result: how much work goes into one model call.
NOT_IN_KEY = ("token_budget",)


def result_key(config: RunConfig, spec: EngineSpec) -> str:
    """Hash of everything that changes the text of a translation or a summary.

    `config.output_fingerprint()` covers the settings (model names, languages, beams, segment
    length, summarize); the engine adds the model revisions (a model changed in place counts),
    the backend and the device (int8 or half precision change the numbers), and any engine
    setting added later. Batch sizes, token budgets and task runners do not change results.
    """
    engine = {k: v for k, v in asdict(spec).items() if k not in NOT_IN_KEY}
    for role in ("translator", "summarizer"):
        if engine[role] is not None:
            engine[role] = {"name": engine[role]["name"], "revision": engine[role]["revision"]}
    payload = {"settings": config.output_fingerprint(), "engine": engine, "format": CACHE_FORMAT}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def write_parquet_atomic(rows: list[Row], path: Path) -> None:
    """Rows to `path` under a hidden temporary name, then renamed: complete or absent."""
    temporary = path.with_name(f".{path.name}.tmp")
    table = pa.Table.from_pylist(rows) if rows else pa.table({})
    pq.write_table(table, temporary)
    os.replace(temporary, path)


class ResultCache:
    """Finished articles of earlier runs with the same result key, by article id."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._entries: dict[str, Path] = {}  # article id -> its entry's articles file

    def load(self) -> ResultCache:
        """Index every complete entry (reads only the article id column)."""
        self._entries = {}
        if not self.directory.is_dir():
            return self
        for path in sorted(self.directory.glob("[!._]*.articles.parquet")):
            try:
                ids = pq.read_table(path, columns=["article_id"]).column(0).to_pylist()
            except (OSError, pa.ArrowException, KeyError):
                continue  # unreadable entry: its articles are simply redone
            for article_id in ids:
                self._entries.setdefault(str(article_id), path)
        return self

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def fetch(self, article_ids: Iterable[str]) -> tuple[dict[str, Row], dict[str, list[Row]]]:
        """(article row by id, sentence rows by id) of cached articles, one file read per entry."""
        wanted: dict[Path, set[str]] = defaultdict(set)
        for article_id in article_ids:
            wanted[self._entries[article_id]].add(article_id)
        articles: dict[str, Row] = {}
        segments: dict[str, list[Row]] = defaultdict(list)
        for articles_path, ids in wanted.items():
            for row in pq.read_table(articles_path).to_pylist():
                if row["article_id"] in ids and row["article_id"] not in articles:
                    articles[row["article_id"]] = row
            segments_path = _segments_path(articles_path)
            if segments_path.stat().st_size:
                for row in pq.read_table(segments_path).to_pylist():
                    if row["article_id"] in ids:
                        segments[row["article_id"]].append(row)
        return articles, segments

    def store(self, name: str, articles: list[Row], segments: list[Row]) -> int:
        """Keep the ok articles of a finished batch (and their sentences); returns how many."""
        ok = [a for a in articles if a["status"] == "ok"]
        if not ok:
            return 0
        ids = {a["article_id"] for a in ok}
        self.directory.mkdir(parents=True, exist_ok=True)
        articles_path = self.directory / f"{name}.articles.parquet"
        segments_path = _segments_path(articles_path)
        # Sentences first: a visible articles file is the mark of a complete entry.
        own_segments = [s for s in segments if s["article_id"] in ids]
        if own_segments:
            write_parquet_atomic(own_segments, segments_path)
        else:
            segments_path.write_bytes(b"")
        write_parquet_atomic(ok, articles_path)
        return len(ok)


def _segments_path(articles_path: Path) -> Path:
    return articles_path.with_name(
        articles_path.name.removesuffix(".articles.parquet") + ".segments.parquet"
    )


@dataclass
class RunClaim:
    """A run's staging directory, locked for as long as this process holds it."""

    run_id: str
    staging: Path
    _lock: IO[bytes] | None

    def release(self, remove: bool = True) -> None:
        if remove:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()  # closing drops the flock
            self._lock = None


def claim_staging(output: Path, run_id: str) -> RunClaim:
    """Create `<output>/_staging/<run_id>/` with its lock already held.

    The directory is built under a hidden name and renamed, so no other run ever sees it
    without its lock.
    """
    root = Path(output) / STAGING_DIR
    root.mkdir(parents=True, exist_ok=True)
    building = root / f".new-{run_id}-{uuid.uuid4().hex[:6]}"
    building.mkdir()
    handle = (building / LOCK_NAME).open("wb")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.write(f"{os.getpid()}\n".encode())
    handle.flush()
    staging = root / run_id
    os.replace(building, staging)
    return RunClaim(run_id, staging, handle)


def _is_abandoned(staging: Path) -> bool:
    """True when no live process holds the staging directory's lock."""
    try:
        handle = (staging / LOCK_NAME).open("rb")
    except FileNotFoundError:
        return True
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def clean_abandoned_runs(output: Path) -> list[str]:
    """Remove what runs that died left behind; returns their run ids.

    Their staging directories go, and so do their temporary files; a dataset file that such a
    run had already renamed into place is removed too unless its `runs/` row exists (a run
    listed in `runs/` is complete, and only the removal of its staging was missed).
    """
    output = Path(output)
    root = output / STAGING_DIR
    if not root.is_dir():
        return []
    removed = []
    for staging in sorted(root.iterdir()):
        if not staging.is_dir() or not _is_abandoned(staging):
            continue
        if staging.name.startswith("."):  # died while claiming: nothing else to undo
            shutil.rmtree(staging, ignore_errors=True)
            continue
        discard_unfinished(output, staging.name)
        shutil.rmtree(staging, ignore_errors=True)
        removed.append(staging.name)
    return removed


def discard_unfinished(output: Path, run_id: str) -> None:
    """Remove the temporary files of a run, and its dataset files unless `runs/` lists it."""
    output = Path(output)
    complete = (output / "runs" / f"{run_id}.parquet").exists()
    for dataset in DATASETS_IN_WRITE_ORDER:
        (output / dataset / f".{run_id}.parquet.tmp").unlink(missing_ok=True)
        if not complete:
            (output / dataset / f"{run_id}.parquet").unlink(missing_ok=True)
    for temporary in (output / CACHE_DIR).glob(f"*/.{run_id}-*.tmp"):
        temporary.unlink(missing_ok=True)
