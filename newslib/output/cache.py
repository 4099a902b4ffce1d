"""What makes re-runs cheap and crashes harmless: the per-article result cache and run claims.

**Result cache.** Every batch whose model work succeeded is stored under
``<output>/_cache/<key>/`` as two Parquet files (its ok articles and their sentences) and a
manifest that records their sizes, sha256 and row counts, each written under a hidden name,
flushed to disk and renamed, the manifest last: an entry whose ``*.entry.json`` is visible is
complete. Every entry is checked against its manifest when read; a damaged one is discarded
with a warning and its articles are redone. ``key`` hashes everything that shapes a translation or a
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
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from newslib.config import RunConfig
from newslib.engines.spec import EngineSpec
from newslib.output.revision import NOT_SHAPING_CACHED_ROWS, code_revision, package_versions
from newslib.output.write import (
    DATASETS_IN_WRITE_ORDER,
    file_record,
    file_sha256,
    fsync_and_replace,
    read_verified,
    write_rows_durably,
)

Row = dict[str, Any]

CACHE_FORMAT = 2  # bump when the cached rows change meaning (2: entries with a manifest)
MANIFEST_SUFFIX = ".entry.json"
CACHE_DIR = "_cache"
STAGING_DIR = "_staging"
LOCK_NAME = ".lock"


# Engine settings that do not change a result: how much work goes into one model call.
NOT_IN_KEY = ("token_budget",)


def result_key(config: RunConfig, spec: EngineSpec) -> str:
    """Hash of everything that changes the text of a translation or a summary.

    `config.output_fingerprint()` covers the settings (model names, languages, beams, segment
    length, summarize); the engine adds the model revisions (hashes of the models' content: a
    model changed in place counts), the backend and the device (int8 or half precision change
    the numbers), and any engine setting added later; then newsflow's own code and the versions
    of the packages that shape the rows. Batch sizes, token budgets and task runners do not
    change results.
    """
    engine = {k: v for k, v in asdict(spec).items() if k not in NOT_IN_KEY}
    for role in ("translator", "summarizer"):
        if engine[role] is not None:
            engine[role] = {"name": engine[role]["name"], "revision": engine[role]["revision"]}
    versions = package_versions()
    for name in NOT_SHAPING_CACHED_ROWS:
        versions.pop(name, None)
    payload = {
        "settings": config.output_fingerprint(),
        "engine": engine,
        "format": CACHE_FORMAT,
        "code": code_revision(),  # newsflow's own code: an upgrade or an edit counts
        "packages": versions,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


class DamagedEntry(Exception):
    """A cache entry that does not match what was recorded when it was written."""


class ResultCache:
    """Finished articles of earlier runs with the same result key, by article id.

    An entry is three files: its ok articles, their sentences, and a manifest written last
    (``<name>.entry.json``) that records the article ids and, for both Parquet files, their
    size, sha256 and row count. Only an entry whose manifest exists is complete, and every entry
    is checked against its manifest when read: a damaged one is discarded (with a warning) and
    its articles are redone, never served.
    """

    def __init__(self, directory: Path, warn: Callable[[str], None] | None = None) -> None:
        self.directory = Path(directory)
        self.warn = warn or (lambda message: None)
        self._entries: dict[str, Path] = {}  # article id -> its entry's manifest

    def load(self) -> ResultCache:
        """Index every complete entry by its manifest (no Parquet is read here)."""
        self._entries = {}
        if not self.directory.is_dir():
            return self
        for manifest in sorted(self.directory.glob(f"[!._]*{MANIFEST_SUFFIX}")):
            try:
                ids = json.loads(manifest.read_text(encoding="utf-8"))["article_ids"]
            except (OSError, ValueError, KeyError, TypeError) as error:
                self.discard(manifest, f"unreadable manifest ({error})")
                continue
            for article_id in ids:
                self._entries.setdefault(str(article_id), manifest)
        return self

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def fetch(
        self, article_ids: Iterable[str]
    ) -> tuple[dict[str, Row], dict[str, list[Row]], set[str]]:
        """(article row by id, sentence rows by id, ids whose entry was damaged and discarded)."""
        wanted: dict[Path, set[str]] = defaultdict(set)
        for article_id in article_ids:
            wanted[self._entries[article_id]].add(article_id)
        articles: dict[str, Row] = {}
        segments: dict[str, list[Row]] = defaultdict(list)
        damaged: set[str] = set()
        for manifest, ids in wanted.items():
            try:
                entry_articles, entry_segments = read_entry(manifest)
            except DamagedEntry as error:
                self.discard(manifest, str(error))
                damaged |= ids
                continue
            for row in entry_articles:
                if row["article_id"] in ids and row["article_id"] not in articles:
                    articles[row["article_id"]] = row
            for row in entry_segments:
                if row["article_id"] in ids:
                    segments[row["article_id"]].append(row)
        return articles, segments, damaged

    def discard(self, manifest: Path, why: str) -> None:
        """Remove a damaged entry, saying so; its articles will be translated again."""
        self.warn(f"cache entry {manifest} is damaged ({why}): discarded, its articles are redone")
        for path in (manifest, *_entry_files(manifest)):
            path.unlink(missing_ok=True)
        self._entries = {k: v for k, v in self._entries.items() if v != manifest}

    def store(self, name: str, articles: list[Row], segments: list[Row]) -> int:
        """Keep the ok articles of a finished batch (and their sentences); returns how many."""
        ok = [a for a in articles if a["status"] == "ok"]
        if not ok:
            return 0
        ids = {a["article_id"] for a in ok}
        self.directory.mkdir(parents=True, exist_ok=True)
        manifest = self.directory / f"{name}{MANIFEST_SUFFIX}"
        articles_path, segments_path = _entry_files(manifest)
        own_segments = [s for s in segments if s["article_id"] in ids]
        write_rows_durably(own_segments, segments_path)
        write_rows_durably(ok, articles_path)
        record = {
            "format": CACHE_FORMAT,
            "article_ids": sorted(ids),
            "articles": file_record(articles_path, len(ok)),
            "segments": file_record(segments_path, len(own_segments)),
        }
        # The manifest last: a visible manifest is the mark of a complete entry.
        temporary = manifest.with_name(f".{manifest.name}.tmp")
        temporary.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        fsync_and_replace(temporary, manifest)
        return len(ok)


def _entry_files(manifest: Path) -> tuple[Path, Path]:
    stem = manifest.name.removesuffix(MANIFEST_SUFFIX)
    return manifest.with_name(f"{stem}.articles.parquet"), manifest.with_name(
        f"{stem}.segments.parquet"
    )


def read_entry(manifest: Path) -> tuple[list[Row], list[Row]]:
    """The rows of a cache entry, checked against its manifest; DamagedEntry when they differ."""
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
        tables = []
        for kind, path in zip(("articles", "segments"), _entry_files(manifest), strict=True):
            expected = record[kind]
            if path.stat().st_size != expected["bytes"]:
                raise DamagedEntry(
                    f"{path.name} is {path.stat().st_size} bytes, not {expected['bytes']}"
                )
            if file_sha256(path) != expected["sha256"]:
                raise DamagedEntry(f"{path.name} does not match its recorded sha256")
            rows = read_verified(path)
            if len(rows) != expected["rows"]:
                raise DamagedEntry(f"{path.name} has {len(rows)} rows, not {expected['rows']}")
            tables.append(rows)
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as error:
        raise DamagedEntry(f"{type(error).__name__}: {error}") from None
    articles, segments = tables
    counts: dict[str, int] = defaultdict(int)
    for row in segments:
        counts[row["article_id"]] += 1
    for row in articles:
        if counts[row["article_id"]] != row["n_segments"]:
            raise DamagedEntry(
                f"article {row['article_id']} has {counts[row['article_id']]} sentences, "
                f"not {row['n_segments']}"
            )
    return articles, segments


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
