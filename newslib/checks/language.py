"""The `off_target` check, and the language of every output: is the English output English?

NLLB's best-known failure is output in the wrong language: the source copied back, a close
variety (Indonesian for Malay), a third language (French for Malay), or an output that starts
in English and ends in the source language. The output, and each half of a long one, goes to
the same detector that identifies articles (`newslib.text.detect.detect_language`, lingua over all
its languages): an output confidently in a language other than English is off target. Each half of
a longer output goes to a detector of just the source language and English: a half in the
source's language means the output is partly untranslated.
`newslib.checks.flags.check_output` runs it with the other checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newslib.checks.untranslated import english_confidence, foreign_script_share
from newslib.text.detect import detect_language
from newslib.text.languages import ENGLISH, are_close_languages

# lingua's confidence (over all its languages) that the output is in its language. On
# NTREX's human English (1,997 sentences) no output reaches 0.5 in another language.
OFF_TARGET_MIN_CONFIDENCE = 0.5
# Outputs of at least this many words are also judged half by half, by a detector of just the
# source language and English (`english_confidence`): a half it gives English less than
# HALF_MAX_ENGLISH is in the source language. On NTREX's human English (Malay, Indonesian and
# French sources, 3,500 halves) 3 halves fall below 0.2, 14 below 0.5.
MIN_WORDS_FOR_HALVES = 6
HALF_MAX_ENGLISH = 0.2
# Letters of a half's own words (those not in the source) enough to judge it by them alone.
MIN_OWN_LETTERS = 4


@dataclass(frozen=True)
class OutputLanguage:
    code: str | None  # NLLB code of the whole output (None: too short or unsure)
    off_target: bool  # the output is confidently not English
    partly_source: bool  # all of it, or a half of it, is in the source's language


def halves(text: str) -> list[str]:
    """The two halves of `text` by words, or [] when it is too short to judge by halves."""
    words = text.split()
    if len(words) < MIN_WORDS_FOR_HALVES:
        return []
    middle = len(words) // 2
    return [" ".join(words[:middle]), " ".join(words[middle:])]


def _half_in_source_language(half: str, src_lang: str, source_words: set[str]) -> bool:
    # Judged on its words the source does not have: names both sides share ("Kuala Lumpur on
    # Monday") say nothing about the language. A half mostly copied from the source (more than
    # half of its words, or too few letters left) is judged whole.
    words = _WORD.findall(half.lower())
    own = [w for w in words if w not in source_words]
    copied = len(words) - len(own) > len(words) / 2
    sample = half if copied or sum(map(len, own)) < MIN_OWN_LETTERS else " ".join(own)
    english = english_confidence(sample, src_lang)
    if english is not None:
        return english < HALF_MAX_ENGLISH
    guess = detect_language(sample)  # a source lingua lacks: ask the detector of all languages
    return guess.confidence >= OFF_TARGET_MIN_CONFIDENCE and are_close_languages(
        guess.code, src_lang
    )


# English words no other language writes the same way ("was" and "will" are German, "at",
# "for" and "her" Danish, "an" Irish: left out). An output in which they make up
# ENGLISH_MARKER_SHARE of the words (at least ENGLISH_MARKER_MIN of them) reads as English
# without asking the detector of all languages, which costs about 10 ms a sentence on a CPU
# core (the other checks together cost well under 1 ms). A typical English sentence is a
# third such words; a sentence in another language almost never has two.
ENGLISH_MARKERS = frozenset(
    [
        "the",
        "and",
        "that",
        "with",
        "were",
        "which",
        "this",
        "these",
        "those",
        "from",
        "have",
        "has",
        "been",
        "would",
        "said",
        "says",
        "they",
        "their",
        "not",
        "but",
        "his",
        "who",
        "after",
        "about",
        "than",
        "more",
        "when",
        "what",
        "also",
        "she",
        "you",
        "our",
        "your",
        "could",
        "should",
        "being",
        "other",
        "such",
        "only",
        "any",
        "most",
        "some",
        "into",
    ]
)
ENGLISH_MARKER_SHARE = 0.15
ENGLISH_MARKER_MIN = 2
_WORD = re.compile(r"[^\W\d_]+")


def reads_as_english(text: str) -> bool:
    """Enough of the words are English function words (see ENGLISH_MARKERS)."""
    words = _WORD.findall(text.lower())
    markers = sum(word in ENGLISH_MARKERS for word in words)
    return markers >= ENGLISH_MARKER_MIN and markers >= ENGLISH_MARKER_SHARE * len(words)


def output_language(output: str, src_lang: str, source: str = "") -> OutputLanguage:
    """The language of `output`, whether it is not English, and whether a half of it is
    still in the source's language (`source`: the sentence translated, whose words do not
    count as evidence of a half's language).

    An output that reads as English by its function words (`reads_as_english`) is English
    without the detector; its halves are judged all the same.
    """
    code: str | None = ENGLISH
    if reads_as_english(output):
        foreign = False
    else:
        whole = detect_language(output)
        code = whole.code
        foreign = (
            whole.code is not None
            and whole.code != ENGLISH
            and whole.confidence >= OFF_TARGET_MIN_CONFIDENCE
        )
    partly_source = foreign and are_close_languages(code, src_lang)
    # Halves of a Latin-script output catch "English first, then the source" (a text mostly
    # in another script is caught by its letters, `newslib.checks.untranslated`).
    if not partly_source and src_lang != ENGLISH and foreign_script_share(output) == 0.0:
        source_words = set(_WORD.findall(source.lower()))
        partly_source = any(
            _half_in_source_language(half, src_lang, source_words) for half in halves(output)
        )
    return OutputLanguage(code=code, off_target=foreign, partly_source=partly_source)
