"""An input read as an article, before cleaning: its id, where it came from, its text and
what the input says about it (headline, date, URL, site, author, format, encoding)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

INPUT_FORMATS = ("text", "html", "warc", "table")


@dataclass(frozen=True)
class RawArticle:
    article_id: str  # sha256 of the content, 16 hex digits: the same text has the same id
    source: str  # file path, "path#row" for a row of a table, "path#offset" for a WARC record
    text: str | None
    error: str | None = None
    title: str | None = None  # the headline, where the input has one
    published_at: datetime | None = None  # UTC
    url: str | None = None
    site: str | None = None
    author: str | None = None
    input_format: str | None = None  # one of INPUT_FORMATS
    encoding: str | None = None  # the encoding the bytes were decoded from (utf-8, windows-1256)


# An article's own columns: a repeated or cached article keeps these of its own input.
IDENTITY_COLUMNS = (
    *("source", "title", "published_at", "url", "site", "author"),
    *("input_format", "encoding"),
)


def identity(raw: RawArticle) -> dict[str, Any]:
    """The columns of `raw` that belong to this input, not to its (shared) content."""
    return {name: getattr(raw, name) for name in IDENTITY_COLUMNS}


def content_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def text_id(text: str, title: str | None = None) -> str:
    """The id of a text and its headline (the text's alone when there is none)."""
    return content_id((f"{title}\n\n{text}" if title else text).encode())
