"""Reading inputs: files, directories and tables become raw articles.

Every input becomes a row. A file that cannot be read as an article (empty, binary, not UTF-8,
too large) becomes a RawArticle with an `error`, never an exception, so the run goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TABLE_SUFFIXES = {".jsonl", ".parquet", ".csv"}

# Magic numbers of common binary formats found in scraped folders, to name them in the reason.
_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (or .docx/.xlsx)",
    b"\x1f\x8b": "gzip archive",
    b"PAR1": "Parquet file",
}


@dataclass(frozen=True)
class RawArticle:
    article_id: str  # sha256 of the content, 16 hex digits: the same text has the same id
    source: str  # file path, or "path#row" for a row of a table
    text: str | None
    error: str | None = None


def content_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


class UnreadableFile(Exception):
    """A file that is not read as an article; the message says why."""


# What a path that is not a regular file is, to name it in the reason.
_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    return f"{kind}, not a regular file: only regular files are read"


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; raises UnreadableFile otherwise.

    A FIFO, device or socket is refused before it is opened for reading (opening a FIFO would
    wait for a writer), and the read itself stops after `max_bytes` + 1 bytes, so a file that
    grows, or lies about its size, cannot make the read unbounded.
    """
    try:
        problem = _not_regular(os.stat(path).st_mode)
        if problem:
            raise UnreadableFile(problem)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            problem = _not_regular(os.fstat(handle.fileno()).st_mode)  # swapped since stat
            if problem:
                raise UnreadableFile(problem)
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise UnreadableFile(f"unreadable: {error}") from None
    if len(data) > max_bytes:
        size = max(len(data), _size_or_zero(path))
        raise UnreadableFile(
            f"file is {size:,} bytes or more, over the limit of {max_bytes:,} (--max-file-bytes)"
        )
    return data


def _size_or_zero(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _outside(path: Path, root: Path) -> str | None:
    """Why a symbolic link under `root` is not followed (it leads outside), or None."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    if target.is_relative_to(root):
        return None
    return (
        f"symbolic link to {target}, outside the input directory {root}: not followed "
        "(--follow-symlinks follows it)"
    )


def discover_files(
    paths: list[Path], follow_symlinks: bool = False
) -> list[tuple[Path, str | None]]:
    """(file, why it is not read or None) for every input, in a stable order.

    Directories are walked recursively, hidden files and directories skipped. A symbolic link
    that leads outside its input directory is reported, not followed, unless `follow_symlinks`;
    a path given by hand is read wherever it leads.
    """
    found: list[tuple[Path, str | None]] = []
    for path in paths:
        if not path.is_dir():
            found.append((path, None))
            continue
        root = path.resolve()
        walked: list[tuple[Path, str | None]] = []
        for directory, dirs, files in os.walk(path, followlinks=follow_symlinks):
            here = Path(directory)
            dirs[:] = [d for d in sorted(dirs) if not d.startswith(".")]
            if not follow_symlinks:
                # os.walk does not enter linked directories: one leading outside is reported.
                walked.extend(
                    (here / d, _outside(here / d, root))
                    for d in dirs
                    if _outside(here / d, root) is not None
                )
            for name in files:
                if not name.startswith("."):
                    file = here / name
                    walked.append((file, None if follow_symlinks else _outside(file, root)))
        found.extend(sorted(walked))
    return found


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:4096]
    if b"\x00" in head:
        return "binary data (contains NUL bytes)"
    return None


def decode_article_bytes(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) for a readable article, (None, reason) otherwise."""
    if not data.strip():
        return None, "empty file"
    kind = _binary_kind(data)
    if kind is not None:
        return None, f"binary file: {kind}, not text"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, (
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "re-save the file as UTF-8"
        )
    if not text.strip():
        return None, "empty file"
    return text, None


def read_text_file(path: Path, max_bytes: int) -> RawArticle:
    try:
        data = read_bounded(path, max_bytes)
    except UnreadableFile as error:
        return RawArticle(content_id(str(path).encode()), str(path), None, str(error))
    text, reason = decode_article_bytes(data)
    return RawArticle(content_id(data), str(path), text, reason)


def _not_text(value: object) -> str:
    """Why a table value is not an article's text, naming what it was."""
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return "empty text"
    if isinstance(value, str):
        return "empty text"
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"text is not a string but {type(value).__name__}: {shown}"


def _table_rows(path: Path) -> Iterator[tuple[int, dict[str, object] | str]]:
    """(row number, row) pairs; a row that cannot be parsed comes as (number, error message)."""
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as error:
                    yield number, f"line {number + 1} is not valid JSON: {error.msg}"
                    continue
                yield number, row if isinstance(row, dict) else "line is not a JSON object"
        return
    import pandas as pd

    frame = pd.read_csv(path, dtype=str) if path.suffix == ".csv" else pd.read_parquet(path)
    for number, row in enumerate(frame.to_dict(orient="records")):
        yield number, {str(key): value for key, value in row.items()}


def read_table(
    path: Path, text_column: str, id_column: str | None, max_bytes: int
) -> list[RawArticle]:
    """One article per row of a .jsonl/.csv/.parquet table (the limit applies per row)."""
    try:
        problem = _not_regular(os.stat(path).st_mode)
        if problem:  # a FIFO named .jsonl would hang the parser
            raise UnreadableFile(problem)
        rows = list(_table_rows(path))
    except Exception as error:  # a broken table is one failed input, not a crashed run
        return [RawArticle(content_id(str(path).encode()), str(path), None, f"bad table: {error}")]
    articles = []
    for number, row in rows:
        source = f"{path}#{number}"
        if isinstance(row, str):
            articles.append(RawArticle(content_id(source.encode()), source, None, row))
            continue
        if id_column and row.get(id_column) is not None:
            source = f"{path}#{row[id_column]}"
        text = row.get(text_column)
        if text_column not in row:
            reason = f"no column '{text_column}' (columns: {sorted(row)}); use --text-column"
            articles.append(RawArticle(content_id(source.encode()), source, None, reason))
        elif not isinstance(text, str) or not text.strip():
            articles.append(RawArticle(content_id(source.encode()), source, None, _not_text(text)))
        elif len(text.encode()) > max_bytes:
            reason = f"text is {len(text.encode()):,} bytes, over the limit of {max_bytes:,}"
            articles.append(RawArticle(content_id(source.encode()), source, None, reason))
        else:
            articles.append(RawArticle(content_id(text.encode()), source, text))
    return articles


def ingest(
    paths: list[Path],
    *,
    text_column: str,
    id_column: str | None,
    max_bytes: int,
    follow_symlinks: bool = False,
) -> list[RawArticle]:
    """Every input, as raw articles in a stable order."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"input not found: {', '.join(missing)}")
    articles: list[RawArticle] = []
    for path, problem in discover_files(paths, follow_symlinks):
        if problem is not None:
            articles.append(RawArticle(content_id(str(path).encode()), str(path), None, problem))
        elif path.suffix.lower() in TABLE_SUFFIXES:
            articles.extend(read_table(path, text_column, id_column, max_bytes))
        else:
            articles.append(read_text_file(path, max_bytes))
    return articles
