"""The main text and metadata of a news page, with trafilatura.

Menus, share buttons, comment counters, related-article lists, ad slots, scripts and footers
are left out; the article's paragraphs come out one per line, ready for the usual cleaning
(which still removes the "read also" links inside the text that extraction keeps). The headline,
publication date, author, site name and canonical URL come from the page's metadata (Open
Graph, JSON-LD, <time>, ...) where it has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newslib.inputs.article import RawArticle, content_id, text_id
from newslib.inputs.encoding import declared_charset, decode_bytes

HTML_SUFFIXES = (".html", ".htm", ".xhtml")

# The date with its time and offset where the page gives them (htmldate's output format).
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# A byline is shorter than this; a lede that names the author is a paragraph, longer.
BYLINE_MAX_CHARS = 100


@dataclass(frozen=True)
class Page:
    text: str | None  # paragraphs, one per line; None when the page has no main text
    title: str | None = None
    published_at: datetime | None = None  # in UTC
    author: str | None = None
    site: str | None = None
    url: str | None = None


def parse_timestamp(value: object) -> datetime | None:
    """`value` (ISO 8601 text, a datetime or a pandas Timestamp) as a UTC datetime, or None.

    A date or time without an offset is taken as UTC: what the page or table says, no guess
    from the site's country."""
    if value is None or value == "" or value != value:  # None, empty, NaN or NaT
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _words(text: str) -> str:
    return " ".join(text.split())


def is_byline(line: str, author: str | None) -> bool:
    """A short line near the top naming the author with a date or count: "Aina Rahman -
    2024-02-08 - Komen (0)". It is metadata (`author`, `published_at`), not the article's."""
    if author is None or len(line) >= BYLINE_MAX_CHARS or author not in line:
        return False
    return any(char.isdigit() for char in line)


def link_texts(html: str) -> set[str]:
    """The texts of the page's links (menus, related headlines, tags), whitespace-normalized."""
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return set()
    return {_words(link.text_content()) for link in tree.iter("a")}


def extract_page(html: str, url: str | None = None) -> Page:
    """The main text and metadata of `html` (`url`: where it was fetched, if known).

    A page trafilatura finds no main text in gives `Page(text=None)`; its metadata, if any,
    is still returned.
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        favor_precision=True,
        date_extraction_params={"original_date": True, "outputformat": _DATE_FORMAT},
    )
    if document is None or isinstance(document, dict):  # dict only with as_dict=True
        return Page(None, url=url)
    lines = [line.strip() for line in (document.text or "").splitlines()]
    lines = [line for line in lines if line]
    title, author = _clean(document.title), _clean(document.author)
    if lines and title and _words(lines[0]) == title:
        lines = lines[1:]  # the headline is translated on its own, not as the body's first line
    lines = [line for n, line in enumerate(lines) if not (n < 3 and is_byline(line, author))]
    links = link_texts(html)
    # With no article found, trafilatura falls back to the page's whole text: a page of
    # menus and link lists has no main text, whatever comes out.
    text = "\n".join(lines) if any(_words(line) not in links for line in lines) else ""
    return Page(
        text=text or None,
        title=title,
        published_at=parse_timestamp(document.date),
        author=author,
        site=_clean(document.sitename),
        url=_clean(document.url) or url,
    )


def page_article(
    data: bytes,
    source: str,
    input_format: str,
    url: str | None = None,
    charset: str | None = None,
) -> RawArticle:
    """An HTML page (bytes) as an article: its main text and metadata, or why it has none.

    `charset`: the HTTP header's; the page's own <meta> declaration comes after it."""
    decoded = decode_bytes(data, charset or declared_charset(data))
    if decoded.text is None:
        reason = decoded.reason or "not text"
        return RawArticle(
            content_id(data), source, None, reason, url=url, input_format=input_format
        )
    return from_page(extract_page(decoded.text, url), source, input_format, decoded.encoding, url)


def from_page(
    page: Page, source: str, input_format: str, encoding: str | None, url: str | None = None
) -> RawArticle:
    """A RawArticle of an extracted page; `url` (where it was fetched) wins over the page's."""
    meta: dict[str, Any] = {
        "title": page.title,
        "published_at": page.published_at,
        "url": url or page.url,
        "site": page.site,
        "author": page.author,
        "input_format": input_format,
        "encoding": encoding,
    }
    if page.text is None:
        reason = "no main text found in the HTML page (only navigation, links or scripts?)"
        return RawArticle(content_id(source.encode()), source, None, reason, **meta)
    return RawArticle(text_id(page.text, page.title), source, page.text, None, **meta)
