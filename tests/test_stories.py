"""Stories and near-duplicates on English articles written for the purpose, through real
Parquet part files, the real index on disk, and pandas reading the result."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from eval.ntrex import NTREX_DOCUMENT_IDS, NTREX_ENGLISH
from eval.stories import commit_linked, current_stories, link_run, stage_linked
from eval.testset import group_documents, read_lines
from newslib.output.write import to_table, write_table_durably
from newslib.stories import merge
from newslib.stories.assign import StorySettings, same_actors
from newslib.stories.features import word_cases
from newslib.stories.index import INDEX_VERSION, StoryIndex
from newslib.stories.link import commit_stories, index_path, link_stories
from tests import story_articles as texts


def article(text: str, source: str, **extra: Any) -> dict[str, Any]:
    """An ok English article row as the flow writes it (English passes through untranslated)."""
    return {
        "article_id": hashlib.sha256(text.encode()).hexdigest()[:16],
        "source": source,
        "status": "ok",
        "source_lang": "eng_Latn",
        "clean_text": text,
        "translation": text,
        "summary": " ".join(text.splitlines()[1].split()[:40]),
        **extra,
    }


def write_part(path: Path, rows: list[dict[str, Any]]) -> Path:
    """A part file of the articles dataset (web inputs' columns included: title, date, site)."""
    write_table_durably(to_table("articles", rows), path)
    return path


def run(
    output: Path,
    run_id: str,
    parts: list[list[dict[str, Any]]],
    settings: StorySettings | None = None,
) -> pd.DataFrame:
    """Link and commit one run, its files published as the flow will; its articles back."""
    files = [write_part(output / "_in" / f"{run_id}-{i}.parquet", p) for i, p in enumerate(parts)]
    articles = link_run(output, run_id, files, settings or StorySettings())
    return pd.read_parquet(articles).set_index("source")


PACT = [
    article(texts.PACT_SITE_A, "a.example/pact"),
    article(texts.PACT_SITE_B, "b.example/pact"),
    article(texts.PACT_SITE_C, "c.example/pact"),
]


def test_paraphrases_from_different_sites_form_one_story(tmp_path: Path) -> None:
    flood = article(texts.FLOOD, "d.example/flood")
    articles = run(tmp_path, "r1", [PACT[:2], [PACT[2], flood]])
    pact = articles.loc[["a.example/pact", "b.example/pact", "c.example/pact"], "story_id"]
    assert pact.nunique() == 1
    assert articles.loc["d.example/flood", "story_id"] != pact.iloc[0]
    assert articles["duplicate_of"].isna().all()  # paraphrases are not copies
    stories = pd.read_parquet(tmp_path / "stories").set_index("story_id")
    story = stories.loc[pact.iloc[0]]
    assert story["n_articles"] == 3 and story["n_new"] == 3
    assert sorted(story["article_ids"]) == sorted(a["article_id"] for a in PACT)
    assert list(story["languages"]) == ["eng_Latn"]
    assert story["title"] in {
        t.splitlines()[0] for t in (texts.PACT_SITE_A, texts.PACT_SITE_B, texts.PACT_SITE_C)
    }


def test_a_verbatim_copy_with_another_footer_is_a_duplicate_of_the_earliest(tmp_path: Path) -> None:
    copy = article(texts.PACT_SITE_A + texts.COPY_FOOTER, "e.example/copy")
    articles = run(tmp_path, "r1", [[*PACT, copy]])
    original = PACT[0]["article_id"]
    assert articles.loc["e.example/copy", "duplicate_of"] == original
    assert 0.7 <= articles.loc["e.example/copy", "duplicate_similarity"] < 1.0
    assert articles.loc["e.example/copy", "story_id"] == articles.loc["a.example/pact", "story_id"]
    assert pd.isna(articles.loc["a.example/pact", "duplicate_of"])


def test_two_events_with_the_same_people_stay_apart(tmp_path: Path) -> None:
    cosmodrome = [
        article(texts.COSMODROME, "a.example/space"),
        article(texts.COSMODROME_OTHER_SITE, "b.example/space"),
    ]
    articles = run(tmp_path, "r1", [[*PACT, *cosmodrome]])
    assert (
        articles.loc["a.example/space", "story_id"] == articles.loc["b.example/space", "story_id"]
    )
    assert articles.loc["a.example/space", "story_id"] != articles.loc["a.example/pact", "story_id"]


def english_documents(ntrex_dir: Path) -> list[dict[str, Any]]:
    """The English NTREX documents the repository carries, as articles of other news."""
    english = read_lines(ntrex_dir / NTREX_ENGLISH)
    doc_ids = [line.split("\t")[0] for line in read_lines(ntrex_dir / NTREX_DOCUMENT_IDS)]
    return [
        article("\n".join(english[doc.start : doc.stop]), f"ntrex/{doc.doc_id}")
        for doc in group_documents(doc_ids)
    ]


@pytest.mark.parametrize("gate", ["on", "off"])
def test_two_events_with_the_same_people_stay_apart_in_an_index_of_other_news(
    tmp_path: Path, ntrex_dir: Path, gate: str
) -> None:
    """In an index of other news, the names the two events share (Putin, Kim, Pyongyang,
    Russia) are rare and weigh much: only what happened tells the events apart."""
    settings = StorySettings() if gate == "on" else StorySettings(what_threshold=-1.0)
    run(tmp_path, "r0", [english_documents(ntrex_dir)], settings)
    cosmodrome = [
        article(texts.COSMODROME, "a.example/space"),
        article(texts.COSMODROME_OTHER_SITE, "b.example/space"),
    ]
    articles = run(tmp_path, "r1", [[*PACT, *cosmodrome]], settings)
    pact = articles.loc[["a.example/pact", "b.example/pact", "c.example/pact"], "story_id"]
    space = articles.loc[["a.example/space", "b.example/space"], "story_id"]
    assert pact.nunique() == 1 and space.nunique() == 1
    # Without the gate on what happened, the names alone join the two events.
    assert (space.iloc[0] != pact.iloc[0]) == (gate == "on")


@pytest.mark.parametrize("check", ["on", "off"])
def test_two_events_alike_in_what_happened_in_other_places_stay_apart(
    tmp_path: Path, check: str
) -> None:
    """Two floods tell the same happening in the same words; only who and where differ."""
    settings = StorySettings() if check == "on" else StorySettings(who_threshold=-1.0)
    floods = [
        article(texts.FLOOD, "a.example/kelantan"),
        article(texts.FLOOD_ELSEWHERE, "b.example/assam"),
    ]
    articles = run(tmp_path, "r1", [floods], settings)
    apart = (
        articles.loc["a.example/kelantan", "story_id"]
        != articles.loc["b.example/assam", "story_id"]
    )
    assert apart == (check == "on")


def test_a_report_naming_no_one_is_judged_on_what_happened_alone() -> None:
    names = {"kelantan", "assam"}
    nameless = {"flood": 0.8, "rain": 0.6}
    assert same_actors(nameless, {"flood": 0.7, "kelantan": 0.7}, names, 0.02)
    assert not same_actors(
        {"flood": 0.7, "assam": 0.7}, {"flood": 0.7, "kelantan": 0.7}, names, 0.02
    )
    assert same_actors({"flood": 0.7, "assam": 0.7}, {"assam": 0.5, "kelantan": 0.5}, names, 0.02)


def test_names_are_the_words_written_capitalised_inside_sentences(tmp_path: Path) -> None:
    text = "Floods hit Kelantan. Officials in Kelantan said floods rose.\nRescue teams came."
    cases = word_cases(text)
    assert cases[("kelantan", True)] == 2 and cases[("flood", False)] == 1
    assert ("flood", True) not in cases and ("rescue", True) not in cases  # sentence starts
    index = StoryIndex(tmp_path / "index.sqlite", tmp_path / "delta.sqlite")
    index.count_cases(cases)
    assert index.names(["kelantan", "flood", "official"]) == {"kelantan"}
    index.close()


def test_the_same_article_in_two_runs_keeps_its_story_and_a_story_keeps_its_id(
    tmp_path: Path,
) -> None:
    first = run(tmp_path, "r1", [PACT[:2]])
    story_id = first.loc["a.example/pact", "story_id"]
    second = run(tmp_path, "r2", [[PACT[0], PACT[2]]])
    assert second.loc["a.example/pact", "story_id"] == story_id
    assert second.loc["c.example/pact", "story_id"] == story_id  # the story grew, same id
    stories = pd.read_parquet(tmp_path / "stories")
    latest = stories[stories["run_id"] == "r2"].set_index("story_id").loc[story_id]
    assert latest["n_articles"] == 3 and latest["n_new"] == 1


def test_a_term_counts_once_per_story_not_once_per_report(tmp_path: Path) -> None:
    """An event's own words keep their weight however many reports it has: the term counts
    are of stories, so three reports of the pact count 'pyongyang' once, as one story."""
    flood = article(texts.FLOOD, "d.example/flood")
    articles = run(tmp_path, "r1", [[*PACT, flood]])
    assert articles.loc[[a["source"] for a in PACT], "story_id"].nunique() == 1
    with sqlite3.connect(index_path(tmp_path)) as db:
        counts = dict(db.execute("SELECT term, n FROM df WHERE term IN ('pyongyang', 'flood')"))
        meta = dict(db.execute("SELECT key, value FROM meta"))
    assert counts == {"pyongyang": 1, "flood": 1}
    assert (meta["n_stories"], meta["n_documents"]) == (2, 4)


# No article joins a story on its own: only folding at the end of a run can group them.
ALONE = StorySettings(story_threshold=1.01)


@pytest.mark.parametrize("stories_at_a_time", [1, 1000])
def test_a_runs_new_stories_of_one_event_fold_into_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stories_at_a_time: int
) -> None:
    monkeypatch.setattr(merge, "STORIES_AT_A_TIME", stories_at_a_time)  # pages of new stories
    flood = article(texts.FLOOD, "d.example/flood")
    articles = run(tmp_path, "r1", [[*PACT, flood]], ALONE)
    first = f"st-{PACT[0]['article_id']}"
    assert set(
        articles.loc[["a.example/pact", "b.example/pact", "c.example/pact"], "story_id"]
    ) == {first}
    assert articles.loc["d.example/flood", "story_id"] == f"st-{flood['article_id']}"
    stories = pd.read_parquet(tmp_path / "stories").set_index("story_id")
    assert sorted(stories.index) == sorted([first, f"st-{flood['article_id']}"])
    assert stories.loc[first, "n_articles"] == 3
    assert sorted(stories.loc[first, "article_ids"]) == sorted(a["article_id"] for a in PACT)
    with sqlite3.connect(index_path(tmp_path)) as db:
        indexed = dict(db.execute("SELECT story_id, n_articles FROM stories"))
    assert indexed == {first: 3, f"st-{flood['article_id']}": 1}


def test_a_new_story_folds_into_an_earlier_runs_story_which_keeps_its_id(tmp_path: Path) -> None:
    first = run(tmp_path, "r1", [PACT[:1]], ALONE)
    story_id = first.loc["a.example/pact", "story_id"]
    second = run(tmp_path, "r2", [PACT[1:]], ALONE)
    assert set(second["story_id"]) == {story_id}
    stories = pd.read_parquet(tmp_path / "stories")
    latest = stories[stories["run_id"] == "r2"].set_index("story_id").loc[story_id]
    assert latest["n_articles"] == 3 and latest["n_new"] == 2


# Neither joins nor folds: each article begins a story of its own.
NO_FOLDING = StorySettings(story_threshold=1.01, merge_threshold=1.01)


@pytest.mark.parametrize("rebuilt", [False, True])
def test_a_published_story_folds_into_an_older_one_once_a_later_run_grows_it(
    tmp_path: Path, rebuilt: bool
) -> None:
    first, satellite = (f"st-{a['article_id']}" for a in PACT[:2])
    run(tmp_path, "r1", [PACT[:1]], NO_FOLDING)
    assert set(run(tmp_path, "r2", [PACT[1:2]], NO_FOLDING)["story_id"]) == {satellite}
    copy = article(texts.PACT_SITE_B + texts.COPY_FOOTER, "e.example/copy")
    third = run(tmp_path, "r3", [[copy]], ALONE)  # joins the satellite, which then folds
    assert third.loc["e.example/copy", "story_id"] == first
    stories = pd.read_parquet(tmp_path / "stories")
    rows = stories[stories["run_id"] == "r3"].set_index("story_id")
    assert list(rows.index) == [first]
    assert list(rows.loc[first, "folded_story_ids"]) == [satellite]
    assert (rows.loc[first, "n_articles"], rows.loc[first, "n_new"]) == (3, 2)
    if rebuilt:
        index_path(tmp_path).unlink()  # the next run replays the fold from stories/
    fourth = run(tmp_path, "r4", [PACT[2:]])
    assert fourth.loc["c.example/pact", "story_id"] == first
    with sqlite3.connect(index_path(tmp_path)) as db:
        assert dict(db.execute("SELECT story_id, n_articles FROM stories")) == {first: 4}
        assert db.execute("SELECT * FROM folds").fetchall() == [(satellite, first)]
    now = current_stories(tmp_path)  # README "For analysts": earlier runs' ids mapped
    assert set(now["story_id"]) == {first} and len(now) == 4


@pytest.mark.parametrize("rebuilt", [False, True])
def test_a_chain_of_folds_across_runs_ends_in_the_oldest_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rebuilt: bool
) -> None:
    """C folds into B in one run, B into A in the next: every id ends in A, in the index, in
    `stories/` and after a rebuild. (Which story folds is planned here: the tests above check
    the decision; this one the bookkeeping.)"""
    plan: dict[str, str] = {}

    def planned(index: StoryIndex, story: Any, older: set[str], _: StorySettings) -> Any:
        return index.story(plan[story.story_id]) if plan.get(story.story_id) in older else None

    monkeypatch.setattr(merge, "closest_older", planned)
    a, b, c = (f"st-{x['article_id']}" for x in PACT)
    run(tmp_path, "r1", [PACT], NO_FOLDING)
    plan[c] = b
    run(tmp_path, "r2", [[article(texts.PACT_SITE_C + texts.COPY_FOOTER, "r2.example")]])
    plan.clear()
    plan[b] = a
    run(tmp_path, "r3", [[article(texts.PACT_SITE_B + texts.COPY_FOOTER, "r3.example")]])
    plan.clear()
    stories = pd.read_parquet(tmp_path / "stories")
    rows = stories[stories["run_id"] == "r3"].set_index("story_id")
    assert list(rows.index) == [a] and list(rows.loc[a, "folded_story_ids"]) == sorted([b, c])
    if rebuilt:
        index_path(tmp_path).unlink()
    flood = article(texts.FLOOD, "d.example/flood")
    run(tmp_path, "r4", [[flood]])
    with sqlite3.connect(index_path(tmp_path)) as db:
        indexed = dict(db.execute("SELECT story_id, n_articles FROM stories"))
        assert indexed == {a: 5, f"st-{flood['article_id']}": 1}
        assert sorted(db.execute("SELECT * FROM folds")) == sorted([(b, a), (c, a)])
    assert set(current_stories(tmp_path)["story_id"]) == {a, f"st-{flood['article_id']}"}


def test_a_run_that_raced_a_fold_is_rebuilt_into_the_story_folded_into(tmp_path: Path) -> None:
    """Two runs link against one index: one folds a published story, the other adds to it.
    The second's commit is refused, and the index rebuilt from the output puts its article in
    the story the first folded into, not in a revived folded story."""
    first, satellite = (f"st-{a['article_id']}" for a in PACT[:2])
    run(tmp_path, "r1", [PACT[:1]], NO_FOLDING)
    run(tmp_path, "r2", [PACT[1:2]], NO_FOLDING)
    folding = article(texts.PACT_SITE_B + texts.COPY_FOOTER, "e.example/copy")
    adding = article(texts.PACT_SITE_B + "\nSyndicated by f.example.", "f.example/copy")
    staged = {
        run_id: stage_linked(tmp_path, run_id, [write_part(tmp_path / "_in" / run_id, [row])], s)
        for run_id, row, s in (("r3", folding, ALONE), ("r3b", adding, NO_FOLDING))
    }
    for run_id, files in staged.items():
        commit_linked(tmp_path, run_id, files)
    assert not index_path(tmp_path).exists()  # r3b's commit was refused: rebuild next run
    run(tmp_path, "r4", [PACT[2:]])
    with sqlite3.connect(index_path(tmp_path)) as db:
        assert dict(db.execute("SELECT story_id, n_articles FROM stories")) == {first: 5}
        assert db.execute("SELECT * FROM folds").fetchall() == [(satellite, first)]
        where = dict(db.execute("SELECT article_id, story_id FROM articles"))
    assert where[adding["article_id"]] == first


def test_two_events_with_the_same_people_do_not_fold_together(tmp_path: Path) -> None:
    cosmodrome = [article(texts.COSMODROME, "a.example/space")]
    articles = run(tmp_path, "r1", [[PACT[0], *cosmodrome]], ALONE)
    assert articles["story_id"].nunique() == 2


def test_publication_dates_outside_the_window_start_a_new_story(tmp_path: Path) -> None:
    june = datetime(2024, 6, 19, tzinfo=UTC)
    rows = [
        article(texts.PACT_SITE_A, "a.example/pact", published_at=june, site="a.example"),
        article(texts.PACT_SITE_B, "b.example/pact", published_at=june, site="b.example"),
        article(texts.PACT_SITE_C, "c.example/pact", published_at=datetime(2024, 9, 1, tzinfo=UTC)),
    ]
    articles = run(tmp_path, "r1", [rows])
    assert articles.loc["a.example/pact", "story_id"] == articles.loc["b.example/pact", "story_id"]
    assert articles.loc["c.example/pact", "story_id"] != articles.loc["a.example/pact", "story_id"]
    story = (
        pd.read_parquet(tmp_path / "stories")
        .set_index("story_id")
        .loc[articles.loc["a.example/pact", "story_id"]]
    )
    assert list(story["sites"]) == ["a.example", "b.example"]
    assert story["first_published"] == pd.Timestamp(june)


def test_a_run_that_never_commits_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    run(tmp_path, "r1", [PACT[:1]])
    before = index_path(tmp_path).read_bytes()
    part = write_part(tmp_path / "_in" / "killed.parquet", PACT[1:])
    link_stories(tmp_path, "killed", [part])  # killed before commit_stories
    assert index_path(tmp_path).read_bytes() == before
    with sqlite3.connect(index_path(tmp_path)) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_a_missing_index_is_rebuilt_from_the_output_with_the_same_story_ids(tmp_path: Path) -> None:
    first = run(tmp_path, "r1", [PACT[:2]])
    index_path(tmp_path).unlink()
    second = run(tmp_path, "r2", [PACT[2:]])
    assert second.loc["c.example/pact", "story_id"] == first.loc["a.example/pact", "story_id"]


def test_an_index_naming_a_run_missing_from_runs_is_rebuilt(tmp_path: Path) -> None:
    run(tmp_path, "r1", [PACT[:1]])
    part = write_part(tmp_path / "_in" / "ghost.parquet", [article(texts.FLOOD, "f")])
    link_stories(tmp_path, "ghost", [part])
    commit_stories(tmp_path, "ghost")  # and then killed before its runs/ row
    run(tmp_path, "r2", [PACT[1:2]])
    with sqlite3.connect(index_path(tmp_path)) as db:
        runs = {r for (r,) in db.execute("SELECT run_id FROM runs")}
        ids = {a for (a,) in db.execute("SELECT article_id FROM articles")}
    assert runs == {"r1", "r2"}
    assert ids == {PACT[0]["article_id"], PACT[1]["article_id"]}


def test_an_index_of_an_older_version_is_rebuilt(tmp_path: Path) -> None:
    first = run(tmp_path, "r1", [PACT[:2]])
    with sqlite3.connect(index_path(tmp_path)) as db:
        db.execute("DELETE FROM meta WHERE key = 'version'")
        db.execute("DELETE FROM cases")  # an index from before the counts were kept
    second = run(tmp_path, "r2", [PACT[2:]])
    assert second.loc["c.example/pact", "story_id"] == first.loc["a.example/pact", "story_id"]
    with sqlite3.connect(index_path(tmp_path)) as db:
        version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0]
        counted = db.execute("SELECT count(*) FROM cases").fetchone()[0]
    assert version == INDEX_VERSION and counted > 0


def test_failed_rows_stay_and_get_no_story(tmp_path: Path) -> None:
    failed = {"article_id": "f" * 16, "source": "bad.bin", "status": "failed", "reason": "binary"}
    articles = run(tmp_path, "r1", [[PACT[0], failed]])
    assert len(articles) == 2
    assert pd.isna(articles.loc["bad.bin", "story_id"])
    assert articles.loc["bad.bin", "reason"] == "binary"


@pytest.mark.parametrize("value", ["2024-06-19T08:00:00Z", "not a date", None])
def test_publication_times_are_read_leniently(value: object) -> None:
    from newslib.stories.rows import seconds

    expected = (
        datetime(2024, 6, 19, 8, tzinfo=UTC).timestamp() if value and "Z" in str(value) else None
    )
    assert seconds(value) == expected


def test_the_stories_command_prints_the_largest_stories_of_the_latest_run(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsflow.cli import app

    run(tmp_path, "r1", [[article(texts.FLOOD, "d.example/flood")]])
    run(tmp_path, "r2", [[*PACT, article(texts.COSMODROME, "a.example/space")]])
    result = CliRunner().invoke(
        app, ["stories", str(tmp_path), "--top", "1"], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    assert "largest stories of run r2" in result.output
    assert "Kelantan" not in result.output and "Cosmodrome" not in result.output
    assert any(
        t.splitlines()[0][:20] in result.output
        for t in (texts.PACT_SITE_A, texts.PACT_SITE_B, texts.PACT_SITE_C)
    )


def test_the_stories_command_says_when_there_are_no_stories(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsflow.cli import app

    result = CliRunner().invoke(app, ["stories", str(tmp_path)])
    assert result.exit_code == 2
    assert "no stories/ dataset" in result.output
