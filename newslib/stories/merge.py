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

from newslib.stories.assign import StorySettings, closest_agreeing, within_window
from newslib.stories.features import cosine, heaviest, normalized, summed
from newslib.stories.index import Story, StoryIndex

STORIES_AT_A_TIME = 1000  # new stories read at a time: memory does not grow with the run


def fold_new_stories(index: StoryIndex, settings: StorySettings) -> int:
    """Fold the run's new stories into older close ones; how many were folded."""
    index.number_new_stories()
    folded, last = 0, -1
    while page := index.new_stories_after(last, STORIES_AT_A_TIME):
        for story_id, founded in page:
            story = index.story(story_id)
            assert story is not None  # a new story is folded only when its turn comes
            older = {
                sid
                for sid in candidates(index, story, settings)
                if founded_before(index, sid, founded)
            }
            target = closest_older(index, story, older, settings)
            if target is not None:
                merged = combine(target, story, settings)
                index.fold(story_id, merged, heaviest(merged.centroid, settings.posting_terms))
                folded += 1
        last = page[-1][1]
    return folded


def founded_before(index: StoryIndex, story_id: str, founded: int) -> bool:
    """True for a story of an earlier run, or one this run began before story number `founded`."""
    number = index.founded(story_id)
    return number is None or number < founded


def candidates(index: StoryIndex, story: Story, settings: StorySettings) -> list[str]:
    """Stories sharing the most of `story`'s heaviest terms (itself excluded)."""
    hits = index.stories_with_terms(heaviest(story.centroid, settings.query_terms))
    hits.pop(story.story_id, None)
    return sorted(hits, key=lambda sid: (-hits[sid], sid))[: settings.candidates]


def closest_older(
    index: StoryIndex, story: Story, older: set[str], settings: StorySettings
) -> Story | None:
    """The story of `older` whose centroid is closest to `story`'s, at or above the merge
    threshold, and whose dates are within the window of `story`'s."""
    center = normalized(story.centroid)
    close = []
    for story_id in sorted(older):
        other = index.story(story_id)
        if other is not None and all(
            within_window(other, date, settings.window_days)
            for date in (story.first_published, story.last_published)
        ):
            similarity = cosine(center, normalized(other.centroid))
            if similarity >= settings.merge_threshold:
                close.append((other, similarity))
    best = closest_agreeing(index, center, close, settings.what_threshold)
    return best[0] if best else None


def combine(target: Story, story: Story, settings: StorySettings) -> Story:
    """`target` with `story`'s members added: centroid, counts, dates and representative."""
    kept = summed(target.centroid, story.centroid, settings.centroid_terms)
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
