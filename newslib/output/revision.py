"""What identifies the code and models behind a result: content hashes and package versions.

A local model's revision is a hash of the content of every file in its directory (weights,
configuration, tokenizer), so a model changed in place, even with the same file sizes, is a new
revision. Hashing gigabytes on every run would be slow, so each file's hash is remembered in
``~/.cache/newsflow/file-hashes.json`` (``NEWSFLOW_CACHE_DIR`` moves it) under its path, size,
modification time, change time and inode: a file rewritten in any way changes one of them, and
is hashed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from importlib import metadata
from pathlib import Path

# Packages whose version can change a translation, a summary or a score.
PACKAGES = (
    "newsflow",
    "torch",
    "transformers",
    "tokenizers",
    "sentencepiece",
    "sacrebleu",
    "prefect",
    "lingua-language-detector",
    "sentencex",
    "ctranslate2",
)
# Of those, the ones that do not shape the cached rows (scores are never cached; Prefect only
# orchestrates), left out of the result-cache key.
NOT_SHAPING_CACHED_ROWS = ("sacrebleu", "prefect")

HASHES_FILE = "file-hashes.json"
_CHUNK = 1 << 20
_lock = threading.Lock()


def newsflow_cache_root() -> Path:
    """``NEWSFLOW_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsflow`` or ``~/.cache/newsflow``."""
    base = os.environ.get("NEWSFLOW_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newsflow"
    )
    return Path(base)


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stamp(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"


def _load_memo(file: Path) -> dict[str, list[str]]:
    try:
        memo = json.loads(file.read_text(encoding="utf-8"))
        return memo if isinstance(memo, dict) else {}
    except (OSError, ValueError):
        return {}  # missing or damaged: every file is simply hashed again


def _save_memo(file: Path, memo: dict[str, list[str]]) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(memo, sort_keys=True), encoding="utf-8")
        os.replace(temporary, file)
    except OSError:
        pass  # a read-only cache only costs hashing again next time


def files_digest(files: list[tuple[str, Path]]) -> str:
    """sha256 over (name, content hash) of each file; content hashes remembered by stamp."""
    memo_file = newsflow_cache_root() / HASHES_FILE
    with _lock:
        memo = _load_memo(memo_file)
        changed = False
        digest = hashlib.sha256()
        for name, path in files:
            where, stamp = str(path.resolve()), _stamp(path)
            known = memo.get(where)
            if not (isinstance(known, list) and len(known) == 2 and known[0] == stamp):
                known = [stamp, _file_sha256(path)]
                memo[where], changed = known, True
            digest.update(f"{name}\0{known[1]}\n".encode())
        if changed:
            _save_memo(memo_file, memo)
    return digest.hexdigest()


def directory_files(root: Path, suffix: str = "") -> list[tuple[str, Path]]:
    """(relative name, path) of the regular files under `root`, hidden ones left out."""
    found = []
    for directory, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(directory) / name
            if not name.startswith(".") and name.endswith(suffix) and path.is_file():
                found.append((path.relative_to(root).as_posix(), path))
    return found


def local_model_revision(path: Path) -> str:
    """`local-` and 12 hex digits of the hash of every file of a model directory."""
    return "local-" + files_digest(directory_files(path))[:12]


def code_revision() -> str:
    """Hash of the library's source code (16 hex digits): every result is made there; the
    tasks and flows above it only move files and records around."""
    import newslib

    root = Path(next(iter(newslib.__path__)))
    return files_digest([(f"newslib/{n}", p) for n, p in directory_files(root, ".py")])[:16]
