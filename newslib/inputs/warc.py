"""Web archives (.warc, .warc.gz, e.g. Common Crawl's CC-NEWS), read as a stream with warcio.

Every HTML response record with HTTP status 200 becomes an article: its source is the WARC
file and the record's byte offset (`crawl.warc.gz#12345`, which `warcio extract` takes), its
url the record's target URI. Every other record (requests, metadata, redirects, errors,
images, robots.txt, ...) is skipped and counted by why. One record is read at a time, so a
WARC of any size is never held in memory; a record whose page is over the size limit becomes a
failed article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newslib.inputs.encoding import header_charset

WARC_SUFFIXES = (".warc", ".warc.gz")

# The MIME types of web pages; anything else (images, JSON, robots.txt) is not an article.
HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def why_skipped(record: Any) -> str | None:
    """Why a WARC record is not an article (its type, HTTP status or content type), or None."""
    if record.rec_type != "response":
        return f"{record.rec_type} record"
    headers = record.http_headers
    if headers is None:
        return "response without HTTP headers"
    status = headers.get_statuscode()
    if status != "200":
        return f"HTTP status {status}"
    mime = (headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if mime not in HTML_TYPES:
        return f"not HTML ({mime or 'no content type'})"
    return None


@dataclass(frozen=True)
class WarcPage:
    offset: int  # byte offset of the record in the file
    url: str | None  # WARC-Target-URI
    charset: str | None  # from the HTTP Content-Type header
    body: bytes | None  # None when over the limit: see `error`
    error: str | None = None


class BrokenWarc(Exception):
    """A WARC that cannot be read on from some point; the message says where and why."""


def read_warc(path: Path, max_bytes: int, skipped: Counter[str]) -> Iterator[WarcPage]:
    """The HTML pages of a WARC file, one record at a time; `skipped` counts the others.

    Raises BrokenWarc where the file stops being readable (truncated, not a WARC); the pages
    before that point have been yielded.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        end = 0  # where the last whole record ends
        try:
            for record in records:
                reason = why_skipped(record)
                page = _page(record, max_bytes) if reason is None else None
                # Only after the body is read: asking for the offset reads the record to its end.
                offset = records.get_record_offset()
                end = offset + records.get_record_length()
                if page is None:
                    skipped[str(reason)] += 1
                else:
                    yield replace(page, offset=offset)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
            raise BrokenWarc(f"unreadable after byte {end:,}: {error}") from None
    size = path.stat().st_size
    if end < size:  # warcio ends quietly at a record cut short
        raise BrokenWarc(f"unreadable after byte {end:,} of {size:,}: truncated or damaged")


def _page(record: Any, max_bytes: int) -> WarcPage:
    url = record.rec_headers.get_header("WARC-Target-URI")
    charset = header_charset(record.http_headers.get_header("Content-Type"))
    body = record.content_stream().read(max_bytes + 1)  # decoded from chunked/gzip transfer
    if len(body) > max_bytes:
        reason = f"page is over the limit of {max_bytes:,} bytes (--max-file-bytes)"
        return WarcPage(0, url, charset, None, reason)
    return WarcPage(0, url, charset, body)
