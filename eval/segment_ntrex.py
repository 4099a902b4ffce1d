"""Segmentation F1 on NTREX-128: paragraphs of 5 consecutive sentences of one document.

NTREX-128 has one sentence per line (a few lines hold two). A paragraph is made of 5
consecutive sentences of one document joined by spaces; the line ends inside it are the true
sentence boundaries. A line that does not end as a sentence does (. ! ? । ؟ … and closing
quotes or brackets), such as each document's headline, is not a sentence and starts a new run:
joined to the next line with a space, no segmenter could find that boundary. A line whose
English original holds more than one sentence (a quote of several: `"We were going to war.
Millions would have been killed."`) also starts a new run: there the reference has no boundary
where a right segmenter puts one. "More than one" is a terminator followed by a capital inside
the line, not after an English title or initial (Mr. St. U.S. a.m. J.), in the English original,
so the choice does not depend on the segmenter measured. Boundaries are compared as counts of
letters and digits before them, so a quotation mark put on the wrong line (NTREX has `said. "`
at a line end for the quote that opens the next line) does not matter. `split_sentences` is
scored on the boundaries it puts inside the paragraph: precision (its boundaries that are
true), recall (true boundaries it finds), F1.

    python -m eval.segment_ntrex ../shared/data/ntrex128 --langs msa,ben,arb,eng-US [--errors 5]
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from eval.ntrex import NTREX_DOCUMENT_IDS, NTREX_ENGLISH
from eval.testset import group_documents, read_lines
from newslib.text.languages import ntrex_files, ntrex_to_nllb
from newslib.text.segment import split_sentences

SENTENCES_PER_PARAGRAPH = 5
DEFAULT_LANGUAGES = "msa,ben,arb,eng-US"


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


SENTENCE_END = re.compile(r"[.!?।؟…][\"'”’»)\]]*$")
_ENGLISH_INNER_BOUNDARY = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]*[A-Z]")
_ENGLISH_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Capt|Lt|Col|Sgt|Jr|Sr|Prof|Rev|No|Vol|Inc|Ltd|Co|vs|"
    r"[A-Z]|(?:[A-Za-z]\.)+[A-Za-z])\.(?=\s)"
)


def _english_is_one_sentence(line: str) -> bool:
    return not _ENGLISH_INNER_BOUNDARY.search(_ENGLISH_ABBREVIATION.sub("ABBR", line.strip()))


def paragraphs(ntrex_dir: Path, code: str) -> Iterator[list[str]]:
    """Runs of SENTENCES_PER_PARAGRAPH consecutive sentences of one document, not overlapping."""
    lines = read_lines(ntrex_files(ntrex_dir)[code])
    english = read_lines(ntrex_dir / NTREX_ENGLISH)
    ids = [row.split("\t")[0].strip() for row in read_lines(ntrex_dir / NTREX_DOCUMENT_IDS)]
    for document in group_documents(ids):
        run: list[str] = []
        for index in range(document.start, document.stop):
            line = lines[index]
            if not (SENTENCE_END.search(line.strip()) and _english_is_one_sentence(english[index])):
                run = []
                continue
            run.append(line.strip())
            if len(run) == SENTENCES_PER_PARAGRAPH:
                yield run
                run = []


def _boundaries(pieces: list[str]) -> set[int]:
    """Inner boundaries as counts of letters and digits before them."""
    ends, total = set(), 0
    for piece in pieces[:-1]:
        total += sum(char.isalnum() for char in piece)
        ends.add(total)
    return ends


def score_language(ntrex_dir: Path, code: str, errors: int = 0) -> Score:
    lang = ntrex_to_nllb(code)
    assert lang is not None, code
    score = Score()
    for sentences in paragraphs(ntrex_dir, code):
        expected = _boundaries([sentence.strip() for sentence in sentences])
        predicted_pieces = split_sentences(" ".join(sentences), lang)
        predicted = _boundaries(predicted_pieces)
        score.true_positives += len(expected & predicted)
        score.predicted += len(predicted)
        score.expected += len(expected)
        if errors and expected != predicted:
            errors -= 1
            print(f"--- {code}: expected {len(expected) + 1} pieces")
            print("\n".join(f"  | {piece}" for piece in predicted_pieces))
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ntrex_dir", type=Path)
    parser.add_argument("--langs", default=DEFAULT_LANGUAGES, help="NTREX codes, comma-separated")
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong paragraphs")
    args = parser.parse_args()
    print("| language | paragraphs | precision | recall | F1 |\n|---|---|---|---|---|")
    for code in args.langs.split(","):
        score = score_language(args.ntrex_dir, code, args.errors)
        count = score.expected // (SENTENCES_PER_PARAGRAPH - 1)
        print(f"| {code} | {count} | {score.precision:.4f} | {score.recall:.4f} | {score.f1:.4f} |")


if __name__ == "__main__":
    main()
