"""Reading inputs: files, directories, tables, web pages and web archives become raw articles.

Every input becomes a row. A file that cannot be read as an article (empty, binary, too large,
an HTML page without main text) becomes a RawArticle with an `error`, never an exception, so
the run goes on. `ingest` is a generator: articles come one at a time, in input order, so a
multi-GB web archive or a huge folder is never held in memory.

The article id is a hash of what is translated: the file's bytes for a text file, the text for
a table row, the headline and main text for a web page (plus the row's headline where a table
has one). URL, date, site and author do not enter it: the same article scraped twice, at two
URLs or with other ads and counters around it, has one id and is translated once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from newslib.inputs.article import RawArticle, content_id
from newslib.inputs.encoding import binary_kind, decode_bytes
from newslib.inputs.files import UnreadableFile, discover_files, read_bounded
from newslib.inputs.html import HTML_SUFFIXES, page_article
from newslib.inputs.tables import TABLE_SUFFIXES, TableColumns, read_table
from newslib.inputs.warc import BrokenWarc, is_warc, read_warc


def decode_article_bytes(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) for a readable article, (None, reason) otherwise."""
    if not data.strip():
        return None, "empty file"
    kind = binary_kind(data)
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
    """A text file (any encoding) or an HTML page, as one article."""
    html = path.suffix.lower() in HTML_SUFFIXES
    try:
        data = read_bounded(path, max_bytes)
    except UnreadableFile as error:
        input_format = "html" if html else "text"
        return RawArticle(
            content_id(str(path).encode()), str(path), None, str(error), input_format=input_format
        )
    if html:
        return page_article(data, str(path), "html")
    if not data.strip():
        return RawArticle(content_id(data), str(path), None, "empty file", input_format="text")
    decoded = decode_bytes(data)
    reason = decoded.reason or (None if (decoded.text or "").strip() else "empty file")
    text = None if reason else decoded.text
    return RawArticle(
        content_id(data), str(path), text, reason, input_format="text", encoding=decoded.encoding
    )


def read_web_archive(path: Path, max_bytes: int, skipped: Counter[str]) -> Iterator[RawArticle]:
    """Every HTML page of a WARC file as an article; the other records are counted in
    `skipped`. A damaged file gives one failed row where it stops being readable."""
    try:
        for record in read_warc(path, max_bytes, skipped):
            source = f"{path}#{record.offset}"
            if record.body is None:
                yield RawArticle(
                    content_id(source.encode()),
                    source,
                    None,
                    record.error,
                    url=record.url,
                    input_format="warc",
                )
            else:
                yield page_article(record.body, source, "warc", record.url, record.charset)
    except BrokenWarc as error:
        yield RawArticle(
            content_id(str(path).encode()),
            str(path),
            None,
            f"web archive {error}",
            input_format="warc",
        )


def ingest(
    paths: list[Path],
    *,
    text_column: str,
    id_column: str | None,
    max_bytes: int,
    follow_symlinks: bool = False,
    columns: TableColumns | None = None,
    skipped: Counter[str] | None = None,
) -> Iterator[RawArticle]:
    """Every input, as raw articles in a stable order, one at a time.

    A missing input raises FileNotFoundError here, before any is read. `columns`: where
    table inputs keep their html and metadata (defaults: the columns named as the article
    columns); `skipped` counts the web-archive records that are not articles, by why."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"input not found: {', '.join(missing)}")
    columns = columns or TableColumns(text=text_column, id=id_column)
    return _articles(
        paths, columns, max_bytes, follow_symlinks, Counter() if skipped is None else skipped
    )


def _articles(
    paths: list[Path],
    columns: TableColumns,
    max_bytes: int,
    follow_symlinks: bool,
    skipped: Counter[str],
) -> Iterator[RawArticle]:
    for path, problem in discover_files(paths, follow_symlinks):
        if problem is not None:
            yield RawArticle(content_id(str(path).encode()), str(path), None, problem)
        elif path.suffix.lower() in TABLE_SUFFIXES:
            yield from read_table(path, columns, max_bytes)
        elif is_warc(path):
            yield from read_web_archive(path, max_bytes, skipped)
        else:
            yield read_text_file(path, max_bytes)
