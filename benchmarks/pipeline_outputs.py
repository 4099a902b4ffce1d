"""The pipeline benchmark's outputs: the NTREX English in place of random words.

With random weights every output is a string of pieces in no language, so every check fires and
every segment is repaired, which says nothing of a trained model. `reference_outputs` keeps the
model's work as it is (forced lengths, every decoding step run) and puts the human English
translation of the segment's sentence in the output the flow then checks, repairs, summarizes,
scores and writes. The checks then fire as they would on a good translation: the repair rate
measured is the checks' own rate on human translations, a lower bound for a trained model's.

A segment is matched to its NTREX line by its text (whitespace collapsed); a sentence the flow
cut in pieces gets the share of the line's English words that its share of the line's
words is. A segment found in no line (the warm-up article) keeps the model's output.
"""

from __future__ import annotations

import contextlib
import dataclasses
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class ReferenceLines:
    """Each NTREX source line of the benchmark's articles with its English line."""

    lines: dict[str, str]
    matched: int = 0
    unmatched: int = 0

    @classmethod
    def read(cls, inputs: Path, references: Path) -> ReferenceLines:
        lines: dict[str, str] = {}
        for source in sorted(inputs.glob("*.txt")):
            english = (references / source.name).read_text("utf-8").splitlines()
            for line, reference in zip(
                source.read_text("utf-8").splitlines(), english, strict=True
            ):
                if line.strip():
                    lines[_normal(line)] = reference.strip()
        return cls(lines)

    def english_of(self, segment: str) -> str | None:
        """The English of `segment` (a whole line or a piece of one), or None if in no line."""
        text = _normal(segment)
        if text in self.lines:
            self.matched += 1
            return self.lines[text]
        for line, reference in self.lines.items():
            start = line.find(text)
            if start >= 0 and text:
                self.matched += 1
                return self._share(reference, line, start, text)
        self.unmatched += 1
        return None

    @staticmethod
    def _share(reference: str, line: str, start: int, piece: str) -> str:
        # The reference's words in the share of the line's words the piece has.
        words, line_words = reference.split(), len(line.split())
        before = len(line[:start].split())
        first = round(len(words) * before / line_words)
        last = round(len(words) * (before + len(piece.split())) / line_words)
        return " ".join(words[first : max(last, first + 1)])

    @property
    def share(self) -> float:
        """Of the outputs asked for, the share given the English."""
        asked = self.matched + self.unmatched
        return self.matched / asked if asked else 0.0


@contextlib.contextmanager
def reference_outputs(references: ReferenceLines) -> Iterator[None]:
    """The flow's translations, first and repaired, carry the English of their sentence."""
    import newslib.batch

    translate_by_language = newslib.batch.translate_by_language

    def with_references(texts: dict[str, list[str]], *args: Any, **kwargs: Any) -> Any:
        results = translate_by_language(texts, *args, **kwargs)
        for lang, translations in results.items():
            for i, (source, translation) in enumerate(zip(texts[lang], translations, strict=True)):
                english = references.english_of(source)
                if english is not None:
                    translations[i] = dataclasses.replace(translation, text=english)
        return results

    newslib.batch.translate_by_language = with_references
    try:
        yield
    finally:
        newslib.batch.translate_by_language = translate_by_language
