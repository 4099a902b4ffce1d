"""The `untranslated` check: the English output is still in the source's script or language.

Script is counted letter by letter; language is asked of lingua only for the few outputs that
share most of their words with the source (copies, or Indonesian for Malay), with a detector of
just the source language and English. `newslib.checks.flags.output_flags` runs it with the other
checks;
`newslib.text.prepare` uses `english_confidence` and `foreign_script_share` to pass English through.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from newslib.text.languages import ENGLISH, LINGUA_TO_NLLB

if TYPE_CHECKING:
    from lingua import LanguageDetector

# An English output is in Latin script; this share of its letters in another script means the
# text (or a good part of it) was left as it was, or came out in another language.
MAX_FOREIGN_SCRIPT_SHARE = 0.25
# Output words also found in the source: names and numbers make this high on some real
# translations, so the language is only asked about above it.
OVERLAP_TO_CHECK_LANGUAGE = 0.5
UNTRANSLATED_MIN_CONFIDENCE = 0.5
# Letters of the output's own words (not in the source) enough to judge its language by them.
MIN_OWN_LETTERS = 10
_LETTERS = re.compile(r"[^\W\d_]")


def _is_latin(char: str) -> bool:
    code = ord(char)
    return code < 0x0250 or 0x1E00 <= code <= 0x1EFF or 0x2C60 <= code <= 0x2C7F


def foreign_script_share(text: str) -> float:
    """Share of the letters of `text` that are not Latin."""
    letters = _LETTERS.findall(text)
    if not letters:
        return 0.0
    return sum(not _is_latin(c) for c in letters) / len(letters)


def word_overlap(source: str, output: str) -> float:
    """Share of the output's words that also occur in the source (case-insensitive)."""
    source_words = set(_LETTER_WORDS.findall(source.lower()))
    output_words = _LETTER_WORDS.findall(output.lower())
    if not output_words:
        return 0.0
    return sum(w in source_words for w in output_words) / len(output_words)


_LETTER_WORDS = re.compile(r"[^\W\d_]+")


@functools.cache
def english_detector(lang: str) -> LanguageDetector | None:
    """A lingua detector that only tells `lang` (an NLLB code) from English.

    Two languages instead of 75: well under a millisecond a sentence, and the names a sentence
    shares with its translation weigh on neither side. None where lingua lacks `lang`.
    """
    from lingua import Language, LanguageDetectorBuilder

    names = [name for name, code in LINGUA_TO_NLLB.items() if code == lang]
    by_name = {language.iso_code_639_3.name: language for language in Language.all()}
    if not names or names[0] == "ENG" or names[0] not in by_name:
        return None
    return LanguageDetectorBuilder.from_languages(by_name[names[0]], Language.ENGLISH).build()


def english_confidence(text: str, lang: str) -> float | None:
    """How sure lingua is that `text` is English rather than `lang` (None where it lacks lang)."""
    from lingua import Language

    detector = english_detector(lang)
    if detector is None:
        return None
    return float(detector.compute_language_confidence(text, Language.ENGLISH))


def untranslated(source: str, output: str, src_lang: str) -> bool:
    """The output is not English: still in a non-Latin script, or in the source's language.

    Script: more than MAX_FOREIGN_SCRIPT_SHARE of the output's letters are not Latin. Language
    (Latin-script sources): the output shares most of its words with the source, and is more
    the source's language than English to a detector of those two languages (of all languages,
    where lingua lacks the source's), judged on the words it does not share with the source
    when there are enough of them. Only those few outputs go to a detector.
    """
    if src_lang == ENGLISH:
        return False
    if foreign_script_share(output) > MAX_FOREIGN_SCRIPT_SHARE:
        return True
    if word_overlap(source, output) < OVERLAP_TO_CHECK_LANGUAGE:
        return False
    # Judge the words the output does not share with the source: names and loanwords both
    # sides have say nothing about the language ("Datuk Seri Anwar Ibrahim met ... on Monday").
    source_words = set(_LETTER_WORDS.findall(source.lower()))
    own = [w for w in _LETTER_WORDS.findall(output.lower()) if w not in source_words]
    sample = " ".join(own) if sum(map(len, own)) >= MIN_OWN_LETTERS else output
    english = english_confidence(sample, src_lang)
    if english is not None:
        return english < UNTRANSLATED_MIN_CONFIDENCE
    from newslib.text.detect import detect_language

    guess = detect_language(sample)
    return (
        guess.code is not None
        and guess.code != ENGLISH
        and guess.confidence >= UNTRANSLATED_MIN_CONFIDENCE
    )
