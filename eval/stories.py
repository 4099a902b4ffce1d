"""Story grouping measured on a labelled set: pairwise precision and recall.

The set is built from NTREX-128's 123 English news documents (WMT19 news, from 12 sites): each
document is one story, told by four "articles" of different sites that an analyst would meet:
- `even` and `odd`: the document's even and its odd sentences, two reports of the event that
  share no sentence (the hardest case: only the event's names and words are shared);
- `rewrite`: half of the sentences, shuffled, with one word in six dropped (a shortened
  rewrite, as another site or another language's translation would give);
- `wire`: the whole document with another footer (a copy of the wire report: a duplicate).
Different documents are different stories (several share people: Trump, May, Brexit, which
is what keeps precision honest). Articles arrive shuffled, in three runs, as nightly runs would.

    python -m eval.stories NTREX_DIR [--thresholds 0.15,0.2,0.25,0.3]

prints, per story threshold, pairwise precision, recall and F1 over all pairs of articles, and
the duplicate precision and recall of the `wire` copies.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from eval.ntrex import NTREX_DOCUMENT_IDS, NTREX_ENGLISH
from eval.testset import group_documents, read_lines
from newslib.output.write import to_table, write_atomic
from newslib.stories.assign import StorySettings
from newslib.stories.link import commit_stories, link_stories

SEED = 20261130
RUNS = 3
FOOTER = "\nDistributed by a wire service. All rights reserved. Do not republish."


@dataclass(frozen=True)
class Labelled:
    article_id: str
    story: str  # the NTREX document
    kind: str  # even, odd, rewrite, wire
    text: str


def versions(doc: str, lines: list[str], rng: random.Random) -> list[Labelled]:
    """The four articles of one document (fewer when it has under two sentences)."""
    texts = {"wire": "\n".join(lines) + FOOTER}
    if len(lines) >= 2:
        texts["even"] = "\n".join(lines[0::2])
        texts["odd"] = "\n".join(lines[1::2])
        half = rng.sample(lines, max(1, len(lines) // 2))
        texts["rewrite"] = "\n".join(
            " ".join(w for w in line.split() if rng.random() >= 1 / 6) for line in half
        )
    return [
        Labelled(hashlib.sha256(f"{doc}/{kind}".encode()).hexdigest()[:16], doc, kind, text)
        for kind, text in texts.items()
    ]


def labelled_set(ntrex_dir: Path) -> list[Labelled]:
    """Every document's articles, shuffled into arrival order (fixed seed)."""
    english = read_lines(ntrex_dir / NTREX_ENGLISH)
    doc_ids = [line.split("\t")[0] for line in read_lines(ntrex_dir / NTREX_DOCUMENT_IDS)]
    rng = random.Random(SEED)
    articles = [
        article
        for doc in group_documents(doc_ids)
        for article in versions(doc.doc_id, english[doc.start : doc.stop], rng)
    ]
    rng.shuffle(articles)
    return articles


def row(article: Labelled) -> dict[str, Any]:
    return {
        "article_id": article.article_id,
        "source": f"{article.story}/{article.kind}",
        "status": "ok",
        "source_lang": "eng_Latn",
        "translation": article.text,
    }


def link_in_runs(articles: list[Labelled], settings: StorySettings, output: Path) -> pd.DataFrame:
    """Link the articles as RUNS successive runs of one output; their linked rows."""
    linked = []
    size = -(-len(articles) // RUNS)
    for number in range(RUNS):
        run_id = f"run{number}"
        chunk = articles[number * size : (number + 1) * size]
        part = output / "_in" / f"{run_id}.parquet"
        write_atomic(to_table("articles", [row(a) for a in chunk]), part)
        (new_part,) = link_stories(output, run_id, [part], settings)
        commit_stories(output, run_id)
        linked.append(pd.read_parquet(new_part))
    return pd.concat(linked, ignore_index=True)


def pairwise(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """Precision and recall over all pairs: is a pair put together, should it be?"""
    counts = {"tp": 0, "fp": 0, "fn": 0}
    for a, b in itertools.combinations(sorted(truth), 2):
        same, said = truth[a] == truth[b], predicted[a] == predicted[b]
        if same and said:
            counts["tp"] += 1
        elif said:
            counts["fp"] += 1
        elif same:
            counts["fn"] += 1
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1}


def duplicates(articles: list[Labelled], linked: pd.DataFrame) -> dict[str, float]:
    """How many `wire` copies (or their originals) were found, and how many found were right."""
    kind = {a.article_id: a for a in articles}
    found = linked.dropna(subset=["duplicate_of"])
    right = sum(kind[r.article_id].story == kind[r.duplicate_of].story for r in found.itertuples())
    wires = sum(a.kind == "wire" for a in articles)
    return {"dup_found": len(found), "dup_right": right, "wire_copies": wires}


def evaluate(ntrex_dir: Path, thresholds: list[float]) -> pd.DataFrame:
    articles = labelled_set(ntrex_dir)
    truth = {a.article_id: a.story for a in articles}
    results = []
    for threshold in thresholds:
        with tempfile.TemporaryDirectory() as folder:
            settings = StorySettings(story_threshold=threshold)
            linked = link_in_runs(articles, settings, Path(folder))
        predicted = dict(zip(linked["article_id"], linked["story_id"], strict=True))
        results.append(
            {
                "story_threshold": threshold,
                "articles": len(articles),
                "stories_true": len(set(truth.values())),
                "stories_found": len(set(predicted.values())),
                **pairwise(truth, predicted),
                **duplicates(articles, linked),
            }
        )
    return pd.DataFrame(results)


def by_kind(articles: list[Labelled]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for article in articles:
        counts[article.kind] += 1
    return dict(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ntrex_dir", type=Path)
    parser.add_argument("--thresholds", default=str(StorySettings().story_threshold))
    args = parser.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    print(f"articles by kind: {by_kind(labelled_set(args.ntrex_dir))}")
    print(evaluate(args.ntrex_dir, thresholds).to_string(index=False, float_format="%.3f"))


if __name__ == "__main__":
    main()
