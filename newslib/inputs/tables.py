"""Table inputs (.jsonl, .csv, .parquet): one article per row.

A row's text is its text column, or, where that is empty or missing, the main text of its
html column (extracted as an HTML page is). Its headline, URL, date, author and site come from
the columns the run names (`--title-column`, `--url-column`, `--date-column`, ...), and from
the page where the row has html and not these columns.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newslib.inputs.article import RawArticle, content_id, text_id
from newslib.inputs.files import UnreadableFile, not_regular
from newslib.inputs.html import page_article, parse_timestamp

TABLE_SUFFIXES = {".jsonl", ".parquet", ".csv"}


@dataclass(frozen=True)
class TableColumns:
    """Which column of a table input holds what (a column a table lacks gives nulls)."""

    text: str = "text"
    id: str | None = None
    html: str = "html"
    title: str = "title"
    url: str = "url"
    published_at: str = "published_at"
    author: str = "author"
    site: str = "site"


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


def _string(value: object) -> str | None:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return None


def row_metadata(row: dict[str, object], columns: TableColumns) -> dict[str, Any]:
    """The headline, URL, date, author and site a row gives in its named columns."""
    return {
        "title": _string(row.get(columns.title)),
        "url": _string(row.get(columns.url)),
        "published_at": parse_timestamp(row.get(columns.published_at)),
        "author": _string(row.get(columns.author)),
        "site": _string(row.get(columns.site)),
        "input_format": "table",
    }


def _from_html(html: str, source: str, meta: dict[str, Any], max_bytes: int) -> RawArticle:
    """A row's html column as an article; the row's own metadata columns win over the page's."""
    data = html.encode()
    if len(data) > max_bytes:
        reason = f"html is {len(data):,} bytes, over the limit of {max_bytes:,}"
        return RawArticle(content_id(source.encode()), source, None, reason, **meta)
    page = page_article(data, source, "table", meta["url"])
    given = {key: value for key, value in meta.items() if value is not None}
    merged = replace(page, **given, encoding=None)
    if merged.text is None or not given.get("title") or given["title"] == page.title:
        return merged
    return replace(merged, article_id=text_id(merged.text, merged.title))


def row_article(
    row: dict[str, object], source: str, columns: TableColumns, max_bytes: int
) -> RawArticle:
    """One table row as an article, or a failed one with why."""
    meta = row_metadata(row, columns)
    text = row.get(columns.text)
    html = row.get(columns.html)
    if (not isinstance(text, str) or not text.strip()) and isinstance(html, str) and html.strip():
        return _from_html(html, source, meta, max_bytes)
    if columns.text not in row:
        reason = f"no column '{columns.text}' (columns: {sorted(row)}); use --text-column"
        return RawArticle(content_id(source.encode()), source, None, reason, **meta)
    if not isinstance(text, str) or not text.strip():
        return RawArticle(content_id(source.encode()), source, None, _not_text(text), **meta)
    if len(text.encode()) > max_bytes:
        reason = f"text is {len(text.encode()):,} bytes, over the limit of {max_bytes:,}"
        return RawArticle(content_id(source.encode()), source, None, reason, **meta)
    return RawArticle(text_id(text, meta["title"]), source, text, **meta)


def read_table(path: Path, columns: TableColumns, max_bytes: int) -> Iterator[RawArticle]:
    """One article per row of a .jsonl/.csv/.parquet table (the limit applies per row).

    A table that cannot be read gives one failed row for the file (after the rows read
    before the problem, for a .jsonl that breaks part way)."""
    try:
        problem = not_regular(os.stat(path).st_mode)
        if problem:  # a FIFO named .jsonl would hang the parser
            raise UnreadableFile(problem)
        for number, row in _table_rows(path):
            source = f"{path}#{number}"
            if isinstance(row, str):
                failed = content_id(source.encode())
                yield RawArticle(failed, source, None, row, input_format="table")
                continue
            if columns.id and row.get(columns.id) is not None:
                source = f"{path}#{row[columns.id]}"
            yield row_article(row, source, columns, max_bytes)
    except Exception as error:  # a broken table is one failed input, not a crashed run
        reason = f"bad table: {error}"
        yield RawArticle(
            content_id(str(path).encode()), str(path), None, reason, input_format="table"
        )
