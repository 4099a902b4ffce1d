"""Deciding one article's near-duplicate and story against the index.

A duplicate is found through MinHash LSH: the signature is cut into bands, and any article that
shares a whole band is a candidate, kept when its estimated Jaccard similarity reaches
`duplicate_threshold`. The story is found through the stories' key terms: the stories that share
the most of the article's heaviest terms are candidates, and the article joins the one whose
centroid is closest (cosine), when that reaches `story_threshold` and the story's dates are
within `window_days` of the article's. A duplicate always joins its original's story. A story
keeps the id of the article that founded it (`st-<article_id>`) however it grows. At the end of
a run, `merge.py` folds the stories the run began or added to into older ones with a close
centroid.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Set
from dataclasses import dataclass

import numpy as np

from newslib.stories.entries import IndexedArticle, Story
from newslib.stories.features import (
    NUM_PERM,
    ArticleText,
    Vector,
    cosine,
    heaviest,
    idf_weight,
    jaccard,
    normalized,
    only,
    signature,
    summed,
    weigh,
    without,
)
from newslib.stories.index import StoryIndex

DAY = 86400.0
TITLE_CHARS = 200


@dataclass(frozen=True)
class StorySettings:
    """The method's thresholds (README "Stories" says how they were chosen and what they give)."""

    duplicate_threshold: float = 0.7  # estimated Jaccard of word 3-shingles
    story_threshold: float = 0.17  # cosine of tf-idf key terms, article vs story centroid
    merge_threshold: float = 0.18  # cosine of story centroids: a story folds into an older one
    what_threshold: float = 0.10  # cosine without the names: both also tell the same happening
    who_threshold: float = 0.02  # cosine of the names alone: both also name some of who and where
    window_days: float = 7.0  # a story spans at most this far around its members' dates
    bands: int = 32  # LSH bands of NUM_PERM // bands rows each
    query_terms: int = 20  # heaviest terms of an article used to find candidate stories
    posting_terms: int = 30  # heaviest terms of a story under which it can be found
    candidates: int = 20  # candidate stories compared in full
    centroid_terms: int = 100  # terms kept in a story's centroid


@dataclass(frozen=True)
class NewArticle:
    """An ok article of a run, as story linking needs it."""

    article_id: str
    text: ArticleText
    published: float | None
    lang: str | None
    site: str | None


@dataclass(frozen=True)
class Link:
    """What linking decided for one article."""

    story_id: str
    duplicate_of: str | None
    duplicate_similarity: float | None


def band_keys(values: np.ndarray, bands: int) -> list[int]:
    """One signed 64-bit key per LSH band (the band's number is part of the key)."""
    rows = NUM_PERM // bands
    keys = []
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows].astype(np.uint32).tobytes()
        digest = hashlib.blake2b(band.to_bytes(2, "big") + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def find_duplicate(
    index: StoryIndex, values: np.ndarray, keys: list[int], threshold: float
) -> tuple[IndexedArticle, float] | None:
    """The earliest indexed article this one copies (its similarity), or None.

    Earliest: by publication time when known, else by the order the index met them. The
    originals of the matches are considered too, so copies of a copy point at the original."""
    matches = [index.article(a) for a in index.band_matches(keys)]
    found = {m.article_id: m for m in matches if m is not None}
    for match in list(found.values()):
        if match.duplicate_of and match.duplicate_of not in found:
            original = index.article(match.duplicate_of)
            if original is not None:
                found[original.article_id] = original
    close = [(a, jaccard(values, a.signature)) for a in found.values()]
    close = [(a, s) for a, s in close if s >= threshold]
    if not close:
        return None
    return min(close, key=lambda pair: earliest_key(pair[0]))


def earliest_key(article: IndexedArticle) -> tuple[bool, float, int]:
    return (article.published is None, article.published or 0.0, article.seen)


def within_window(story: Story, published: float | None, days: float) -> bool:
    """True when the story's dates and `published` are at most `days` apart (or unknown)."""
    if published is None or story.first_published is None or story.last_published is None:
        return True
    return story.first_published - days * DAY <= published <= story.last_published + days * DAY


def closest_story(
    index: StoryIndex, vector: Vector, published: float | None, settings: StorySettings
) -> tuple[Story, float] | None:
    """The candidate story whose centroid is closest to `vector`, at or above the threshold."""
    query = heaviest(vector, settings.query_terms)
    hits = index.stories_with_terms(query)
    ranked = sorted(hits, key=lambda sid: (-hits[sid], sid))[: settings.candidates]
    stories = [index.story(story_id) for story_id in ranked]
    close = [
        (story, cosine(vector, normalized(story.centroid)))
        for story in stories
        if story is not None and within_window(story, published, settings.window_days)
    ]
    close = [(story, s) for story, s in close if s >= settings.story_threshold]
    return closest_agreeing(index, vector, close, settings)


def closest_agreeing(
    index: StoryIndex, vector: Vector, close: list[tuple[Story, float]], settings: StorySettings
) -> tuple[Story, float] | None:
    """The most similar of the `close` (story, similarity) pairs that agrees with `vector` on
    what happened and on who and where; None when none does."""
    names = index.names([*vector, *(t for story, _ in close for t in story.centroid)])
    agreeing = [
        (story, s)
        for story, s in close
        if same_happening(vector, story.centroid, names, settings.what_threshold)
        and same_actors(vector, story.centroid, names, settings.who_threshold)
    ]
    return max(agreeing, key=lambda pair: pair[1], default=None)


def same_happening(a: Vector, b: Vector, names: Set[str], threshold: float) -> bool:
    """True when `a` and `b` are alike beyond the names they share (people, places): two
    events with the same people differ in what happened."""
    return cosine(without(a, names), without(normalized(b), names)) >= threshold


def same_actors(a: Vector, b: Vector, names: Set[str], threshold: float) -> bool:
    """True when `a` and `b` share some of their names, or one names no one: two events alike
    in what happened (a stabbing here, a stabbing there) differ in who and where."""
    a_names, b_names = only(a, names), only(b, names)
    return not a_names or not b_names or cosine(a_names, b_names) >= threshold


def article_vector(index: StoryIndex, terms: Counter[str]) -> Vector:
    """The article's key-term vector, each term weighted by how rare it is among the stories
    (not the articles: the more reports an event has, the less its own words would weigh)."""
    frequencies = index.story_frequencies(terms)
    n = index.n_stories()
    return weigh(terms, {t: idf_weight(n, f) for t, f in frequencies.items()})


def count_terms(index: StoryIndex, terms: Counter[str], story: Story) -> None:
    """Count the article's terms once more where they are new to its story (not yet among
    the story's key terms): a term's count is then about the number of stories it is in."""
    index.count_terms([t for t in terms if t not in story.centroid], new_story=not story.n_articles)


def headline(text: ArticleText) -> str:
    """The title, or else the translation's first line, shortened."""
    first = text.title or next((line for line in text.translation.splitlines() if line.strip()), "")
    first = first.strip()
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1].rstrip() + "…"


def grow(story: Story, article: NewArticle, vector: Vector, settings: StorySettings) -> Story:
    """`story` with `article` added: counts, dates, centroid and maybe a new representative."""
    story.centroid = summed(story.centroid, vector, settings.centroid_terms)
    dates = [d for d in (story.first_published, story.last_published, article.published) if d]
    story.first_published = min(dates) if dates else None
    story.last_published = max(dates) if dates else None
    story.n_articles += 1
    center = normalized(story.centroid)
    if story.n_articles == 1 or cosine(vector, center) > cosine(story.rep_vector, center):
        story.rep_article = article.article_id
        story.rep_title = headline(article.text)
        story.rep_summary = article.text.summary
        story.rep_vector = vector
    return story


def link_article(
    index: StoryIndex, article: NewArticle, settings: StorySettings, known: Link | None = None
) -> Link:
    """Assign `article` to a story and maybe a duplicate, and add it to the index.

    An article the index already holds keeps what it had. `known` (rebuilding the index from
    an output) imposes the story and duplicate the output recorded."""
    indexed = index.article(article.article_id)
    if indexed is not None:
        return Link(indexed.story_id, indexed.duplicate_of, indexed.duplicate_similarity)
    values = signature(article.text.translation)
    keys = band_keys(values, settings.bands)
    terms = article.text.about()
    index.count_document()
    index.count_cases(article.text.cases())  # its own writing says which of its words are names
    vector = article_vector(index, terms)
    link = known or decide(index, article, values, keys, vector, settings)
    story = index.story(link.story_id) or Story(link.story_id, 0, None, None, {}, "", None, None)
    count_terms(index, terms, story)
    story = grow(story, article, vector, settings)
    index.put_story(story, heaviest(story.centroid, settings.posting_terms))
    record = IndexedArticle(
        article.article_id, link.story_id, link.duplicate_of, link.duplicate_similarity,
        article.published, article.lang, article.site, index.next_seen(), values,
    )  # fmt: skip
    index.add_article(record, keys)
    return link


def decide(
    index: StoryIndex,
    article: NewArticle,
    values: np.ndarray,
    keys: list[int],
    vector: Vector,
    settings: StorySettings,
) -> Link:
    duplicate = find_duplicate(index, values, keys, settings.duplicate_threshold)
    if duplicate is not None:
        original, similarity = duplicate
        return Link(original.story_id, original.article_id, round(similarity, 4))
    closest = closest_story(index, vector, article.published, settings)
    story_id = closest[0].story_id if closest else f"st-{article.article_id}"
    return Link(story_id, None, None)
