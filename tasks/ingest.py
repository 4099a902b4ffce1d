"""Reading inputs: files, directories and tables become raw articles.

Every input becomes a row. A file that cannot be read as an article (empty, binary, not UTF-8,
too large) becomes a RawArticle with an `error`, never an exception, so the run goes on.
"""

from __future__ import annotations

import hashlib
import json
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


def discover_files(paths: list[Path]) -> list[Path]:
    """Input files in a stable order; directories are walked recursively, hidden files skipped."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
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
        size = path.stat().st_size
        if size > max_bytes:
            return RawArticle(
                content_id(str(path).encode()),
                str(path),
                None,
                f"file is {size:,} bytes, over the limit of {max_bytes:,} (--max-file-bytes)",
            )
        data = path.read_bytes()
    except OSError as error:
        return RawArticle(content_id(str(path).encode()), str(path), None, f"unreadable: {error}")
    text, reason = decode_article_bytes(data)
    return RawArticle(content_id(data), str(path), text, reason)


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


def read_table(path: Path, text_column: str, id_column: str | None) -> list[RawArticle]:
    """One article per row of a .jsonl/.csv/.parquet table."""
    try:
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
            articles.append(RawArticle(content_id(source.encode()), source, None, "empty text"))
        else:
            articles.append(RawArticle(content_id(text.encode()), source, text))
    return articles


def ingest(
    paths: list[Path], *, text_column: str, id_column: str | None, max_bytes: int
) -> list[RawArticle]:
    """Every input, as raw articles in a stable order."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"input not found: {', '.join(missing)}")
    articles: list[RawArticle] = []
    for path in discover_files(paths):
        if path.suffix.lower() in TABLE_SUFFIXES:
            articles.extend(read_table(path, text_column, id_column))
        else:
            articles.append(read_text_file(path, max_bytes))
    return articles
