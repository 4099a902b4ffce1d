"""Folding the stories a run began or added to into older ones that report the same event.

Linking decides one article at a time, as it arrives. The first report of an event from a new
angle (the rescue a day after the earthquake, the captain's words before the final day) can
be too unlike any one story to join it, and found a story of its own that its copies and
rewrites then join: one event ends as a main story and satellites. At the end of a run a
story's centroid (the sum of its members) says more than any one of its articles, so each
story the run began or added to is compared by centroid with the stories founded before it,
and folded into the closest when that reaches `merge_threshold`: always into an older one.
A satellite that an earlier run published folds too, once a later run has grown it or its
event: the older story lists its id in `folded_story_ids`, and the earlier runs' files keep it.
"""

from __future__ import annotations

from newslib.stories.assign import StorySettings, closest_agreeing, within_window
from newslib.stories.entries import Story
from newslib.stories.features import cosine, heaviest, normalized, summed
from newslib.stories.index import StoryIndex

STORIES_AT_A_TIME = 1000  # stories read at a time: memory does not grow with the run


def fold_stories(index: StoryIndex, settings: StorySettings) -> int:
    """Fold the stories the run began or added to into older close ones; how many were folded."""
    index.number_touched_stories()
    folded, last = 0, -1
    while page := index.touched_after(last, STORIES_AT_A_TIME):
        for story_id, founded in page:
            story = index.story(story_id)
            assert story is not None  # a story is folded only when its turn comes, oldest first
            older = {
                sid
                for sid in candidates(index, story, settings)
                if founded_before(index, sid, founded)
            }
            target = closest_older(index, story, older, settings)
            if target is not None:
                fold_into(index, story, target, settings)
                folded += 1
        last = page[-1][1]
    return folded


def replay_folds(index: StoryIndex, folds: list[tuple[str, str]], settings: StorySettings) -> None:
    """Fold again, rebuilding the index from an output, the (story id, folded into) pairs its
    `stories/` rows record; a pair already folded, or naming a story not indexed, is passed."""
    index.number_touched_stories()
    for story_id, into_id in folds:
        story, into = index.story(story_id), index.story(into_id)
        if story is not None and into is not None and story_id != into_id:
            fold_into(index, story, into, settings)


def fold_into(index: StoryIndex, story: Story, target: Story, settings: StorySettings) -> None:
    """Fold `story` into `target`: its articles take the target's id, their centroids add up."""
    merged = combine(target, story, settings)
    index.fold(story.story_id, merged, heaviest(merged.centroid, settings.posting_terms))


def founded_before(index: StoryIndex, story_id: str, founded: int) -> bool:
    """True for a story founded before story number `founded`."""
    number = index.founded(story_id)
    return number is not None and number < founded


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
    best = closest_agreeing(index, center, close, settings)
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
