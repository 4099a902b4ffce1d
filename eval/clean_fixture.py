"""How much page furniture cleaning removes, and how much news it keeps, on a fixture.

eval/data/boilerplate.tsv holds scraped-page leftovers in Malay, Bengali and Arabic (bare ad
labels, share buttons, "read more" lines, related-article headers with their headline lists,
source credits, captions scraped twice) around news paragraphs, some of which start like
furniture ("Sumber polis berkata ...", "مصدر: لا صحة ..."). Each article is cleaned whole.

    python -m eval.clean_fixture [--show]
    python -m eval.clean_fixture --ntrex ../shared/data/ntrex128

`--ntrex` cleans every NTREX-128 file instead (news only: nothing may be dropped) and prints
the lines it dropped, with the count per file.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from eval.testset import read_lines
from newslib.text.clean import clean_text

FIXTURE = Path(__file__).parent / "data" / "boilerplate.tsv"
LANGUAGE_OF_ARTICLE = {"m": "Malay", "b": "Bengali", "a": "Arabic"}


@dataclass(frozen=True)
class FixtureLine:
    article: str
    drop: bool  # page furniture (True) or news (False)
    text: str


@dataclass(frozen=True)
class Outcome:
    line: FixtureLine
    dropped: bool

    @property
    def right(self) -> bool:
        return self.dropped == self.line.drop


def read_fixture(path: Path = FIXTURE) -> dict[str, list[FixtureLine]]:
    articles: dict[str, list[FixtureLine]] = defaultdict(list)
    for row in read_lines(path):
        if row.strip() and not row.startswith("#"):
            article, expect, text = row.split("\t")
            articles[article].append(FixtureLine(article, expect == "drop", text))
    return dict(articles)


def clean_fixture(path: Path = FIXTURE) -> list[Outcome]:
    outcomes = []
    for lines in read_fixture(path).values():
        dropped = {d.line_no for d in clean_text("\n".join(line.text for line in lines)).dropped}
        outcomes += [Outcome(line, index in dropped) for index, line in enumerate(lines)]
    return outcomes


def table(outcomes: list[Outcome]) -> str:
    rows = ["| language | furniture removed | news kept |", "|---|---|---|"]
    by_language: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_language[LANGUAGE_OF_ARTICLE[outcome.line.article[0]]].append(outcome)
    for language, group in by_language.items():
        furniture = [o for o in group if o.line.drop]
        news = [o for o in group if not o.line.drop]
        removed = sum(o.dropped for o in furniture)
        kept = sum(not o.dropped for o in news)
        rows.append(
            f"| {language} | {removed}/{len(furniture)} ({100 * removed / len(furniture):.0f}%) "
            f"| {kept}/{len(news)} ({100 * kept / len(news):.0f}%) |"
        )
    return "\n".join(rows)


def ntrex_drops(ntrex_dir: Path) -> dict[str, list[str]]:
    """File name -> the lines cleaning dropped from it, for every NTREX-128 text file."""
    return {
        path.name: [d.text for d in clean_text(path.read_text(encoding="utf-8")).dropped]
        for path in sorted(ntrex_dir.glob("newstest2019-*.txt"))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print the lines it got wrong")
    parser.add_argument("--ntrex", type=Path, help="clean NTREX-128 from this directory instead")
    args = parser.parse_args()
    if args.ntrex:
        drops = ntrex_drops(args.ntrex)
        for name, lines in drops.items():
            for line in lines:
                print(f"{name}: dropped: {line}")
        total = sum(len(lines) for lines in drops.values())
        print(f"{len(drops)} files, {total} lines dropped")
        return
    outcomes = clean_fixture()
    print(table(outcomes))
    if args.show:
        for outcome in outcomes:
            if not outcome.right:
                action = "kept" if outcome.line.drop else "dropped"
                print(f"{outcome.line.article}: {action}: {outcome.line.text}")


if __name__ == "__main__":
    main()
