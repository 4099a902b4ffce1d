"""Language identification accuracy on NTREX-128 sentences and 3-sentence paragraphs.

Per language: every line of at least MIN_LETTERS letters (a shorter one is a byline or a
number, which no detector can place), and paragraphs of 3 consecutive lines of one document
joined by spaces. The answer must be the language's NLLB code
(`newslib.text.languages.NTREX_TO_NLLB`);
"also said" lists the wrong answers, most frequent first. Languages NTREX lacks (Assamese,
Egyptian and Moroccan Arabic) come from a small hand-written file, eval/data/langid_extra.tsv.

    python -m eval.langid_ntrex ../shared/data/ntrex128 [--langs msa,ind,...]
    python -m eval.langid_ntrex ../shared/data/ntrex128 --markers

`--markers` checks the marker words of `newslib.text.detect_markers` instead: a Malay marker must
not occur in NTREX's Indonesian, an Indonesian one in its Malay, a dialect word in its Standard
Arabic; it prints each offender with its count and exits 1 if there is one.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eval.ntrex import NTREX_DOCUMENT_IDS, ntrex_languages
from eval.testset import group_documents, read_lines
from newslib.text.detect import detect_language
from newslib.text.detect_markers import (
    EGYPTIAN_WORDS,
    INDONESIAN_PHRASES,
    INDONESIAN_WORDS,
    MALAY_PHRASES,
    MALAY_WORDS,
    MOROCCAN_WORDS,
)
from newslib.text.languages import ntrex_files

MIN_LETTERS = 20
SENTENCES_PER_PARAGRAPH = 3
DEFAULT_LANGUAGES = "msa,ind,ben,arb,mey,fas,urd,hin,eng-US,fra,deu,fil"
EXTRA_FILE = Path(__file__).parent / "data" / "langid_extra.tsv"


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0
    wrong: Counter[str] = field(default_factory=Counter)

    def add(self, expected: str, text: str) -> None:
        code = str(detect_language(text).code)
        self.total += 1
        if code == expected:
            self.right += 1
        else:
            self.wrong[code] += 1

    def percent(self) -> str:
        return f"{100 * self.right / self.total:.1f}%" if self.total else "-"


def _paragraphs(documents: Iterable[list[str]]) -> Iterator[str]:
    for lines in documents:
        for start in range(0, len(lines) - SENTENCES_PER_PARAGRAPH + 1, SENTENCES_PER_PARAGRAPH):
            yield " ".join(lines[start : start + SENTENCES_PER_PARAGRAPH])


def _long_enough(line: str) -> bool:
    return sum(char.isalpha() for char in line) >= MIN_LETTERS


def ntrex_documents(ntrex_dir: Path, code: str) -> list[list[str]]:
    lines = read_lines(ntrex_files(ntrex_dir)[code])
    ids = [row.split("\t")[0].strip() for row in read_lines(ntrex_dir / NTREX_DOCUMENT_IDS)]
    return [
        [line.strip() for line in lines[document.start : document.stop] if line.strip()]
        for document in group_documents(ids)
    ]


def extra_documents(path: Path = EXTRA_FILE) -> dict[str, list[list[str]]]:
    """NLLB code -> one document of its hand-written sentences."""
    documents: dict[str, list[list[str]]] = {}
    for row in read_lines(path):
        if row.strip() and not row.startswith("#"):
            code, sentence = row.split("\t")
            documents.setdefault(code, [[]])[0].append(sentence.strip())
    return documents


def measure(expected: str, documents: list[list[str]]) -> tuple[Accuracy, Accuracy]:
    sentences, paragraphs = Accuracy(), Accuracy()
    for line in (line for lines in documents for line in lines if _long_enough(line)):
        sentences.add(expected, line)
    for paragraph in _paragraphs(documents):
        paragraphs.add(expected, paragraph)
    return sentences, paragraphs


def _row(name: str, expected: str, sentences: Accuracy, paragraphs: Accuracy) -> str:
    wrong = sentences.wrong + paragraphs.wrong
    also = ", ".join(f"{code} {count}" for code, count in wrong.most_common(3)) or "-"
    return (
        f"| {name} | `{expected}` | {sentences.total} | {sentences.percent()} "
        f"| {paragraphs.total} | {paragraphs.percent()} | {also} |"
    )


def accuracy_table(ntrex_dir: Path, codes: list[str]) -> str:
    rows = [
        "| language | expected | sentences | accuracy | paragraphs | accuracy | also said |",
        "|---|---|---|---|---|---|---|",
    ]
    for code, (expected, _path) in ntrex_languages(ntrex_dir, codes).items():
        documents = ntrex_documents(ntrex_dir, code)
        rows.append(_row(code, expected, *measure(expected, documents)))
    for expected, documents in extra_documents().items():
        rows.append(_row(f"{expected} (hand-written)", expected, *measure(expected, documents)))
    return "\n".join(rows)


_WORD = re.compile(r"\w+")


def marker_offenders(ntrex_dir: Path) -> list[str]:
    """Marker words that occur in NTREX's text of the variety they must not occur in."""
    checks = [
        ("Malay marker in Indonesian", MALAY_WORDS, "ind"),
        ("Indonesian marker in Malay", INDONESIAN_WORDS, "msa"),
        ("Egyptian marker in Standard Arabic", EGYPTIAN_WORDS, "arb"),
        ("Moroccan marker in Standard Arabic", MOROCCAN_WORDS, "arb"),
    ]
    offenders = []
    for what, pattern, code in [
        ("Malay phrase in Indonesian", MALAY_PHRASES, "ind"),
        ("Indonesian phrase in Malay", INDONESIAN_PHRASES, "msa"),
    ]:
        text = ntrex_files(ntrex_dir)[code].read_text(encoding="utf-8").lower()
        found = Counter(pattern.findall(text))
        offenders += [f"{what}: {phrase} ({count}x)" for phrase, count in sorted(found.items())]
    for what, markers, code in checks:
        text = ntrex_files(ntrex_dir)[code].read_text(encoding="utf-8").lower()
        counts = Counter(_WORD.findall(text))
        offenders += [
            f"{what}: {word} ({counts[word]}x)" for word in sorted(markers) if counts[word]
        ]
    return offenders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ntrex_dir", type=Path)
    parser.add_argument("--langs", default=DEFAULT_LANGUAGES, help="NTREX codes, comma-separated")
    parser.add_argument("--markers", action="store_true", help="check the marker words instead")
    args = parser.parse_args()
    if args.markers:
        offenders = marker_offenders(args.ntrex_dir)
        print("\n".join(offenders) or "no marker occurs in the other variety's NTREX text")
        sys.exit(1 if offenders else 0)
    print(accuracy_table(args.ntrex_dir, args.langs.split(",")))


if __name__ == "__main__":
    main()
