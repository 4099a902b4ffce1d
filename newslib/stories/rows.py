"""Between Parquet rows and story linking: reading an article row, writing the link columns
and the `stories` rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa

from newslib.output.schema import story_link_columns
from newslib.stories.assign import Link, NewArticle
from newslib.stories.features import ArticleText
from newslib.stories.index import StoryIndex

# Columns of an articles row that linking reads; the last four may be absent (older outputs).
ARTICLE_COLUMNS = (
    "article_id", "status", "translation", "summary", "source_lang", "source",
    "title_translation", "published_at", "site",
)  # fmt: skip
LINK_COLUMNS = tuple(name for name, _, _ in story_link_columns())
STORIES_PER_WRITE = 1000


def new_article(row: dict[str, Any]) -> NewArticle | None:
    """The article of an ok row with a translation; None for any other row."""
    translation = row.get("translation")
    if row.get("status") != "ok" or not translation or not translation.strip():
        return None
    text = ArticleText(row.get("title_translation") or None, row.get("summary"), translation)
    return NewArticle(
        row["article_id"],
        text,
        seconds(row.get("published_at")),
        row.get("source_lang"),
        row.get("site") or site_of(row.get("source")),
    )


def site_of(source: str | None) -> str | None:
    """The host of a source that is a URL (www. dropped); None for a file path."""
    if not source or "://" not in source:
        return None
    host = urlsplit(source).hostname or ""
    return host.removeprefix("www.") or None


def seconds(value: object) -> float | None:
    """A publication time as seconds since 1970 UTC; None when missing or not a time.

    A time without a zone is taken as UTC."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def with_links(table: pa.Table, links: list[Link | None]) -> pa.Table:
    """`table` with the link columns set (replaced where it already had them)."""
    values: dict[str, list[Any]] = {
        "story_id": [link.story_id if link else None for link in links],
        "duplicate_of": [link.duplicate_of if link else None for link in links],
        "duplicate_similarity": [link.duplicate_similarity if link else None for link in links],
    }
    for name, dtype, doc in story_link_columns():
        field = pa.field(name, dtype, metadata={"description": doc})
        column = pa.array(values[name], type=dtype)
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), field, column)
        else:
            table = table.append_column(field, column)
    return table


def story_rows(index: StoryIndex, run_id: str) -> Iterator[dict[str, Any]]:
    """One `stories` row per story the run added to or began, as it stands after the run."""
    for story_id in index.touched_stories():
        story = index.story(story_id)
        assert story is not None  # touched stories are the delta's own rows
        members = index.members(story_id)
        before = index.n_committed_members(story_id)
        yield {
            "run_id": run_id,
            "story_id": story_id,
            "n_articles": len(members),
            "n_new": len(members) - before,
            "languages": sorted({m[1] for m in members if m[1]}),
            "sites": sorted({m[2] for m in members if m[2]}),
            "first_published": moment(story.first_published),
            "last_published": moment(story.last_published),
            "title": story.rep_title,
            "summary": story.rep_summary,
            "representative_id": story.rep_article,
            "article_ids": [m[0] for m in members],
            "folded_story_ids": index.folded_ids(story_id),
        }


def moment(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)
