"""Folding the stories a run began into earlier ones that report the same event.

Linking decides one article at a time, as it arrives. The first report of an event from a new
angle (the rescue a day after the earthquake, the captain's words before the final day) can
be too unlike any one story to join it, and found a story of its own that its copies and
rewrites then join: one event ends as a main story and satellites. At the end of a run a
story's centroid (the sum of its members) says more than any one of its articles, so each
story the run began is compared by centroid with the stories begun before it (earlier runs'
and this run's), and folded into the closest when that reaches `merge_threshold`. Only the
run's new stories are folded, and always into an older one: no story id an earlier run
published ever disappears.
"""

from __future__ import annotations

from newslib.stories.assign import StorySettings, within_window
from newslib.stories.features import cosine, normalized
from newslib.stories.index import Story, StoryIndex


def fold_new_stories(index: StoryIndex, settings: StorySettings) -> dict[str, str]:
    """Fold the run's new stories into older close ones; {folded story id: the one it joined}."""
    founded = {sid: rank for rank, sid in enumerate(index.new_stories())}
    folded: dict[str, str] = {}
    for story_id in founded:
        story = index.story(story_id)
        assert story is not None  # a new story's row is in the run's delta
        older = {
            sid for sid in candidates(index, story, settings)
            if sid not in folded and founded.get(sid, -1) < founded[story_id]
        }  # fmt: skip
        target = closest_older(index, story, older, settings)
        if target is not None:
            merged = combine(target, story, settings)
            index.fold(story_id, merged, heaviest(merged, settings.posting_terms))
            folded[story_id] = target.story_id
    return folded


def candidates(index: StoryIndex, story: Story, settings: StorySettings) -> list[str]:
    """Stories sharing the most of `story`'s heaviest terms (itself excluded)."""
    hits = index.stories_with_terms(heaviest(story, settings.query_terms))
    hits.pop(story.story_id, None)
    return sorted(hits, key=lambda sid: (-hits[sid], sid))[: settings.candidates]


def closest_older(
    index: StoryIndex, story: Story, older: set[str], settings: StorySettings
) -> Story | None:
    """The story of `older` whose centroid is closest to `story`'s, at or above the merge
    threshold, and whose dates are within the window of `story`'s."""
    center = normalized(story.centroid)
    best: tuple[Story, float] | None = None
    for story_id in sorted(older):
        other = index.story(story_id)
        if other is None or not all(
            within_window(other, date, settings.window_days)
            for date in (story.first_published, story.last_published)
        ):
            continue
        similarity = cosine(center, normalized(other.centroid))
        if similarity >= settings.merge_threshold and (best is None or similarity > best[1]):
            best = (other, similarity)
    return best[0] if best else None


def combine(target: Story, story: Story, settings: StorySettings) -> Story:
    """`target` with `story`'s members added: centroid, counts, dates and representative."""
    centroid = dict(target.centroid)
    for term, weight in story.centroid.items():
        centroid[term] = centroid.get(term, 0.0) + weight
    kept = dict(
        sorted(centroid.items(), key=lambda item: (-item[1], item[0]))[: settings.centroid_terms]
    )
    dates = [
        d
        for d in (
            target.first_published,
            target.last_published,
            story.first_published,
            story.last_published,
        )
        if d is not None
    ]
    center = normalized(kept)
    rep = story if cosine(story.rep_vector, center) > cosine(target.rep_vector, center) else target
    return Story(
        target.story_id, target.n_articles + story.n_articles, min(dates, default=None),
        max(dates, default=None), kept, rep.rep_article, rep.rep_title, rep.rep_summary,
        rep.rep_vector,
    )  # fmt: skip


def heaviest(story: Story, count: int) -> list[str]:
    return sorted(story.centroid, key=lambda t: -story.centroid[t])[:count]
