"""The story-grouping measurement (`eval.stories`): its pair counting, its summary over arrival
orders, and (marked `ntrex`, with the full set) the labelled set it builds and one run of it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from eval.stories import SAME_EVENT, evaluate, labelled_set, pairwise, summary


def test_pairwise_counts_every_pair_of_articles_once() -> None:
    truth = {"a": "x", "b": "x", "c": "x", "d": "y"}  # true pairs: ab, ac, bc
    predicted = {"a": "1", "b": "1", "c": "2", "d": "2"}  # said: ab (right), cd (wrong)
    scores = pairwise(truth, predicted)
    assert scores["precision"] == pytest.approx(1 / 2)
    assert scores["recall"] == pytest.approx(1 / 3)
    assert scores["f1"] == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))


def test_summary_averages_over_arrival_orders_and_keeps_the_recall_range() -> None:
    rows = [
        {"story_threshold": 0.2, "seed": s, "stories_found": n, "precision": p, "recall": r,
         "f1": 2 * p * r / (p + r), "dup_recall": 1.0, "dup_wrong": w}
        for s, n, p, r, w in [(1, 10, 0.9, 0.8, 0), (2, 12, 0.7, 0.6, 1)]
    ]  # fmt: skip
    table = summary(pd.DataFrame(rows)).set_index("story_threshold").loc[0.2]
    assert table["precision"] == pytest.approx(0.8)
    assert table["recall"] == pytest.approx(0.7)
    assert (table["recall_min"], table["recall_max"]) == (0.6, 0.8)
    assert table["dup_wrong"] == 1


@pytest.mark.ntrex
def test_the_labelled_set_tells_every_document_five_times(full_ntrex_dir: Path) -> None:
    articles = labelled_set(full_ntrex_dir)
    grouped = sum(len(group) - 1 for group in SAME_EVENT)
    assert len(articles) == 123 * 5
    assert len({a.story for a in articles}) == 123 - grouped
    assert [a.article_id for a in labelled_set(full_ntrex_dir, seed=1)] != [
        a.article_id for a in articles
    ]  # another seed is another arrival order


@pytest.mark.ntrex
def test_one_arrival_order_finds_every_wire_copy_and_no_false_duplicate(
    full_ntrex_dir: Path,
) -> None:
    result = evaluate(full_ntrex_dir, [0.24], [1]).iloc[0]
    assert (result["dup_recall"], result["dup_wrong"]) == (1.0, 0)
    assert 0.0 < result["recall"] <= 1.0 and 0.0 < result["precision"] <= 1.0
