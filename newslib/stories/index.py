"""The story index on disk: what earlier runs' articles look like, without their texts.

Two SQLite files. The committed index, `<output>/_stories/index.sqlite`, describes the articles of
the committed runs (listed in its `runs` table). A run never writes it: it writes its additions to
a delta file in its staging folder, and reads the committed index through it (the delta's own
rows win). `commit` then copies the delta into the committed index in one SQLite transaction: a
run killed before that leaves the committed index as it was. Nothing here holds more than one
story's or one article's rows in memory, so the index grows on disk, not in memory.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path

import numpy as np

from newslib.stories.entries import IndexedArticle, Story, article_from_row, story_from_row

POSTINGS_PER_TERM = 200  # a new article is compared with at most this many stories per term
TermHits = dict[str, int]  # story id -> terms shared with an article

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, duplicate_of TEXT,
    duplicate_similarity REAL, published REAL, lang TEXT, site TEXT, seen INTEGER NOT NULL,
    signature BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS articles_story ON articles (story_id);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, article_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS bands_key ON bands (key);
CREATE TABLE IF NOT EXISTS stories (
    story_id TEXT PRIMARY KEY, n_articles INTEGER NOT NULL, first_published REAL,
    last_published REAL, centroid TEXT NOT NULL, rep_article TEXT NOT NULL, rep_title TEXT,
    rep_summary TEXT, rep_vector TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS story_terms (term TEXT NOT NULL, story_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS story_terms_term ON story_terms (term);
CREATE INDEX IF NOT EXISTS story_terms_story ON story_terms (story_id);
CREATE TABLE IF NOT EXISTS df (term TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS cases (
    term TEXT PRIMARY KEY, capitalised INTEGER NOT NULL, lower INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS folds (story_id TEXT PRIMARY KEY, folded_into TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS folds_into ON folds (folded_into);
"""
# What an index's tables hold; an index of another version is rebuilt (2: `cases` added;
# 3: `df` counts stories, not articles, and `meta` holds `n_stories`; 4: `folds`, the
# published stories folded into another).
INDEX_VERSION = 4


class StoryIndex:
    """The committed index read through a run's delta file, which takes all writes."""

    def __init__(self, committed: Path, delta: Path) -> None:
        committed.parent.mkdir(parents=True, exist_ok=True)
        delta.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(committed)) as base:
            base.executescript(_TABLES)
        self.db = sqlite3.connect(delta)
        # The delta is scratch: a run that dies is discarded with it, so it needs no journal
        # and no flush to disk. The committed index (attached below) keeps SQLite's defaults.
        self.db.execute("PRAGMA main.journal_mode = OFF")
        self.db.execute("PRAGMA main.synchronous = OFF")
        self.db.executescript(_TABLES)
        self.db.execute("ATTACH DATABASE ? AS b", (str(committed),))
        generation = self._meta("b", "generation")
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('base_generation', ?)", (generation,))
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def _meta(self, schema: str, key: str) -> int:
        row = self.db.execute(f"SELECT value FROM {schema}.meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def _both(self, select: str, params: Iterable[object] = ()) -> list[tuple]:
        """Rows of `select` ({s} = the schema) from the delta, then the committed index."""
        params = list(params)
        rows = self.db.execute(select.format(s="main"), params).fetchall()
        return rows + self.db.execute(select.format(s="b"), params).fetchall()

    # Counts for the term weights
    def n_documents(self) -> int:
        return self._meta("main", "n_documents") + self._meta("b", "n_documents")

    def story_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Term -> in how many stories it has been counted (`count_terms`)."""
        counts = dict.fromkeys(terms, 0)
        for chunk in chunks(list(counts)):
            marks = ",".join("?" * len(chunk))
            for term, n in self._both(
                f"SELECT term, n FROM {{s}}.df WHERE term IN ({marks})", chunk
            ):
                counts[term] += n
        return counts

    def n_stories(self) -> int:
        """Stories begun (a folded story still counts: its terms were counted)."""
        return self._meta("main", "n_stories") + self._meta("b", "n_stories")

    def count_document(self) -> None:
        """One more article met (its number orders the articles: `next_seen`)."""
        self._add_meta("n_documents", 1)

    def count_terms(self, terms: Iterable[str], new_story: bool) -> None:
        """Count `terms` as met in one more story (they are new to the story they are in)."""
        self.db.executemany(
            "INSERT INTO df VALUES (?, 1) ON CONFLICT(term) DO UPDATE SET n = n + 1",
            [(t,) for t in terms],
        )
        if new_story:
            self._add_meta("n_stories", 1)

    def count_cases(self, cases: Counter[tuple[str, bool]]) -> None:
        """Add an article's words to the counts of how the index writes them."""
        totals: dict[str, list[int]] = {}
        for (term, capitalised), n in cases.items():
            totals.setdefault(term, [0, 0])[0 if capitalised else 1] += n
        self.db.executemany(
            "INSERT INTO cases VALUES (?, ?, ?) ON CONFLICT(term) DO UPDATE SET "
            "capitalised = capitalised + excluded.capitalised, lower = lower + excluded.lower",
            [(t, c, low) for t, (c, low) in totals.items()],
        )

    def names(self, terms: Iterable[str]) -> set[str]:
        """The terms the index meets capitalised more often than not inside sentences."""
        balance: dict[str, int] = {}
        for chunk in chunks(sorted(set(terms))):
            marks = ",".join("?" * len(chunk))
            select = f"SELECT term, capitalised - lower FROM {{s}}.cases WHERE term IN ({marks})"
            for term, difference in self._both(select, chunk):
                balance[term] = balance.get(term, 0) + difference
        return {t for t, difference in balance.items() if difference > 0}

    def _add_meta(self, key: str, amount: int) -> None:
        self.db.execute(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = value + ?",
            (key, amount, amount),
        )

    # Articles and their MinHash bands
    def article(self, article_id: str) -> IndexedArticle | None:
        rows = self._both("SELECT * FROM {s}.articles WHERE article_id = ?", (article_id,))
        return article_from_row(rows[0]) if rows else None

    def band_matches(self, keys: list[int]) -> set[str]:
        """Articles that share at least one MinHash band with the given band keys."""
        marks = ",".join("?" * len(keys))
        select = f"SELECT article_id FROM {{s}}.bands WHERE key IN ({marks})"
        return {a for (a,) in self._both(select, keys)}

    def add_article(self, article: IndexedArticle, band_keys: list[int]) -> None:
        values = (*vars(article).values(),)
        self.db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values[:-1], article.signature.astype(np.uint32).tobytes()),
        )
        self.db.executemany(
            "INSERT INTO bands VALUES (?, ?)", [(k, article.article_id) for k in band_keys]
        )

    def next_seen(self) -> int:
        return self.n_documents()

    # Stories
    def story(self, story_id: str) -> Story | None:
        """The story as it stands; None for an unknown one, or one folded into another."""
        folded = "SELECT 1 FROM main.folds WHERE story_id = ?"
        if self.db.execute(folded, (story_id,)).fetchone():  # this run: still in the index
            return None
        rows = self._both("SELECT * FROM {s}.stories WHERE story_id = ?", (story_id,))
        return story_from_row(rows[0]) if rows else None

    def current_id(self, story_id: str) -> str:
        """The story `story_id` is in now: the one it was folded into, if it was."""
        rows = self._both("SELECT folded_into FROM {s}.folds WHERE story_id = ?", (story_id,))
        return str(rows[0][0]) if rows else story_id

    def stories_with_terms(self, terms: Iterable[str]) -> TermHits:
        """Story id -> how many of `terms` are among its key terms (most recent stories; none
        folded this run, whose terms leave the committed index only when the run commits)."""
        hits: TermHits = {}
        for term in terms:
            select = (
                "SELECT story_id FROM {s}.story_terms WHERE term = ? "
                "AND story_id NOT IN (SELECT story_id FROM main.folds) "
                f"ORDER BY rowid DESC LIMIT {POSTINGS_PER_TERM}"
            )
            for sid in {sid for (sid,) in self._both(select, (term,))}:
                hits[sid] = hits.get(sid, 0) + 1
        return hits

    def put_story(self, story: Story, key_terms: list[str]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                story.story_id, story.n_articles, story.first_published, story.last_published,
                json.dumps(story.centroid, sort_keys=True), story.rep_article, story.rep_title,
                story.rep_summary, json.dumps(story.rep_vector, sort_keys=True),
            ),
        )  # fmt: skip
        known = {t for (t,) in self._both(
            "SELECT term FROM {s}.story_terms WHERE story_id = ?", (story.story_id,)
        )}  # fmt: skip
        self.db.executemany(
            "INSERT INTO story_terms VALUES (?, ?)",
            [(t, story.story_id) for t in key_terms if t not in known],
        )

    # Folding (merge.py): the stories this run began or added to, in founding order
    def number_touched_stories(self) -> None:
        """Record the stories this run began or added to, numbered in the order they were
        founded (their first article's), in a table of the delta that `commit` leaves behind."""
        self.db.executescript(
            "DROP TABLE IF EXISTS main.touched;"
            "CREATE TABLE main.touched (story_id TEXT PRIMARY KEY,"
            " founded INTEGER NOT NULL UNIQUE, folded_into TEXT);"
        )
        self.db.execute(
            "INSERT INTO main.touched SELECT story_id, min(seen), NULL FROM ("
            " SELECT story_id, seen FROM main.articles UNION ALL"
            " SELECT story_id, seen FROM b.articles"
            " WHERE story_id IN (SELECT story_id FROM main.stories)"
            ") GROUP BY story_id"
        )

    def touched_after(self, founded: int, limit: int) -> list[tuple[str, int]]:
        """(story id, founding number) of the next `limit` touched stories founded after
        `founded`."""
        select = (
            "SELECT story_id, founded FROM main.touched WHERE founded > ? ORDER BY founded LIMIT ?"
        )
        return self.db.execute(select, (founded, limit)).fetchall()

    def founded(self, story_id: str) -> int | None:
        """The story's founding number (when its first article was met); None when unknown."""
        select = "SELECT founded FROM main.touched WHERE story_id = ?"
        row = self.db.execute(select, (story_id,)).fetchone()
        if row is None:  # a story this run left alone: its first article is in the index
            select = "SELECT min(seen) FROM b.articles WHERE story_id = ?"
            row = self.db.execute(select, (story_id,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def fold(self, story_id: str, into: Story, key_terms: list[str]) -> None:
        """Move the articles of `story_id` into the story `into` (already combined with it),
        and forget `story_id`. A story earlier runs published is recorded in `folds`, with
        those folded into it before: its id lives on in their files."""
        self.db.execute(
            "UPDATE main.articles SET story_id = ? WHERE story_id = ?", (into.story_id, story_id)
        )
        self.db.execute(  # its members of earlier runs, moved in the delta
            "INSERT OR REPLACE INTO main.articles SELECT article_id, ?, duplicate_of,"
            " duplicate_similarity, published, lang, site, seen, signature"
            " FROM b.articles WHERE story_id = ?",
            (into.story_id, story_id),
        )
        for table in ("stories", "story_terms"):
            self.db.execute(f"DELETE FROM main.{table} WHERE story_id = ?", (story_id,))
        published = "SELECT 1 FROM b.stories WHERE story_id = ?"
        if self.db.execute(published, (story_id,)).fetchone():
            self.db.execute(
                "INSERT OR REPLACE INTO main.folds SELECT story_id, ? FROM ("
                " SELECT ? AS story_id UNION SELECT story_id FROM b.folds WHERE folded_into = ?"
                " UNION SELECT story_id FROM main.folds WHERE folded_into = ?)",
                (into.story_id, story_id, story_id, story_id),
            )
        self.db.execute(
            "UPDATE main.touched SET folded_into = ? WHERE story_id = ?",
            (into.story_id, story_id),
        )
        self.put_story(into, key_terms)

    def folded_into(self, story_ids: Iterable[str]) -> dict[str, str]:
        """{story id: the story it was folded into} for those of `story_ids` this run folded."""
        folded: dict[str, str] = {}
        for chunk in chunks(sorted(set(story_ids))):
            marks = ",".join("?" * len(chunk))
            select = (
                "SELECT story_id, folded_into FROM main.touched "
                f"WHERE folded_into IS NOT NULL AND story_id IN ({marks})"
            )
            folded.update(self.db.execute(select, chunk).fetchall())
        return folded

    def folded_ids(self, story_id: str) -> list[str]:
        """The published story ids folded into `story_id`, this run or before, sorted."""
        select = (
            "SELECT story_id FROM main.folds WHERE folded_into = ? UNION"
            " SELECT story_id FROM b.folds WHERE folded_into = ?"
            " AND story_id NOT IN (SELECT story_id FROM main.folds) ORDER BY story_id"
        )
        return [sid for (sid,) in self.db.execute(select, (story_id, story_id))]

    def members(self, story_id: str) -> list[tuple[str, str | None, str | None, float | None]]:
        """(article_id, lang, site, published) of every article of the story, by first seen."""
        rows = self._both(
            "SELECT article_id, lang, site, published, seen FROM {s}.articles WHERE story_id = ?",
            (story_id,),
        )
        unique = {row[0]: row for row in rows}  # an article is in one file only, but be sure
        return [row[:4] for row in sorted(unique.values(), key=lambda r: r[4])]

    def n_committed_members(self, story_id: str) -> int:
        """Articles of the story in the committed index (before this run)."""
        select = "SELECT count(*) FROM b.articles WHERE story_id = ?"
        return int(self.db.execute(select, (story_id,)).fetchone()[0])

    def touched_stories(self) -> Iterator[str]:
        """Ids of the stories this run added to or created, in id order."""
        for (sid,) in self.db.execute("SELECT story_id FROM main.stories ORDER BY story_id"):
            yield sid

    def commit(self, run_id: str) -> bool:
        """Copy the delta into the committed index in one transaction, recording `run_id`.

        Returns False, and changes nothing, when another run committed since this delta began:
        its stories were decided against an older index (the caller then rebuilds)."""
        if self._meta("main", "base_generation") != self._meta("b", "generation"):
            return False
        with self.db:
            for table in ("articles", "stories"):
                self.db.execute(f"INSERT OR REPLACE INTO b.{table} SELECT * FROM main.{table}")
            for table in ("bands", "story_terms"):
                self.db.execute(f"INSERT INTO b.{table} SELECT * FROM main.{table}")
            self.db.execute("INSERT OR REPLACE INTO b.folds SELECT * FROM main.folds")
            for table in ("stories", "story_terms"):  # the published stories folded this run
                self.db.execute(
                    f"DELETE FROM b.{table} WHERE story_id IN (SELECT story_id FROM main.folds)"
                )
            self.db.execute(
                "INSERT INTO b.df SELECT term, n FROM main.df WHERE true "
                "ON CONFLICT(term) DO UPDATE SET n = n + excluded.n"
            )
            self.db.execute(
                "INSERT INTO b.cases SELECT term, capitalised, lower FROM main.cases WHERE true "
                "ON CONFLICT(term) DO UPDATE SET capitalised = capitalised + excluded.capitalised,"
                " lower = lower + excluded.lower"
            )
            self.db.execute("INSERT OR REPLACE INTO b.meta VALUES ('version', ?)", (INDEX_VERSION,))
            self.db.execute(
                "INSERT INTO b.meta SELECT key, value FROM main.meta "
                "WHERE key IN ('n_documents', 'n_stories') "
                "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value"
            )
            # A random generation, not a counter: a rebuilt index must not match an old delta.
            self.db.execute(
                "INSERT OR REPLACE INTO b.meta VALUES ('generation', ?)",
                (random.getrandbits(62),),
            )
            self.db.execute("INSERT OR IGNORE INTO b.runs VALUES (?)", (run_id,))
        return True

    def committed_runs(self) -> set[str]:
        return {r for (r,) in self.db.execute("SELECT run_id FROM b.runs")}

    def flush(self) -> None:
        self.db.commit()


def chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    """`items` in slices SQLite accepts as query parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def committed_runs(committed: Path) -> set[str]:
    """Runs the committed index describes (empty when there is no index; an index of another
    version, damaged or not an index describes none that exist, so the caller rebuilds it)."""
    if not committed.exists():
        return set()
    with closing(sqlite3.connect(committed)) as db:
        try:
            runs = {r for (r,) in db.execute("SELECT run_id FROM runs")}
            version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        except sqlite3.DatabaseError:
            return {"<unreadable>"}
    if runs and (version is None or version[0] != INDEX_VERSION):
        return {"<another version>"}
    return runs
