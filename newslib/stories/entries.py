"""What the story index keeps of an article and of a story, and how a row of its tables reads
back as one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from newslib.stories.features import Vector


@dataclass(frozen=True)
class IndexedArticle:
    """One article as the index keeps it (no text)."""

    article_id: str
    story_id: str
    duplicate_of: str | None
    duplicate_similarity: float | None
    published: float | None  # seconds since 1970 (UTC), None when unknown
    lang: str | None
    site: str | None
    seen: int  # order in which the index met the article
    signature: np.ndarray


@dataclass
class Story:
    """One story as the index keeps it: its centroid and its representative article."""

    story_id: str
    n_articles: int
    first_published: float | None
    last_published: float | None
    centroid: Vector  # sum of the members' unit term vectors, heaviest terms only
    rep_article: str
    rep_title: str | None
    rep_summary: str | None
    rep_vector: Vector = field(default_factory=dict)


def article_from_row(row: tuple) -> IndexedArticle:
    article_id, story_id, duplicate_of, similarity, published, lang, site, seen, blob = row
    values = np.frombuffer(blob, dtype=np.uint32)
    return IndexedArticle(
        article_id, story_id, duplicate_of, similarity, published, lang, site, seen, values
    )


def story_from_row(row: tuple) -> Story:
    sid, n, first, last, centroid, rep, title, summary, rep_vector = row
    return Story(
        sid, n, first, last, json.loads(centroid), rep, title, summary, json.loads(rep_vector)
    )
