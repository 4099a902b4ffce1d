"""The `off_target` check, and the language of every output: is the English output English?

NLLB's best-known failure is output in the wrong language: the source copied back, a close
variety (Indonesian for Malay), a third language (French for Malay), or an output that starts
in English and ends in the source language. The output, and each half of a long one, goes to
the same detector that identifies articles (`tasks.detect.detect_language`, lingua over all its
languages): a part confidently in a language other than English is off target; a half in the
source's language (or a close variety of it) means the output is partly untranslated.
`tasks.checks.check_output` runs it with the other checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from tasks.checks_untranslated import foreign_script_share
from tasks.detect import detect_language
from tasks.languages import ENGLISH, are_close_languages

# lingua's confidence (over all its languages) that a part is in its language. On NTREX's
# human English (1,997 sentences and their halves) no part reaches 0.5 in another language.
OFF_TARGET_MIN_CONFIDENCE = 0.5
# Outputs of at least this many words are also judged half by half, so an output half in the
# source language is seen; shorter halves are too short for a detector.
MIN_WORDS_FOR_HALVES = 10


@dataclass(frozen=True)
class OutputLanguage:
    code: str | None  # NLLB code of the whole output (None: too short or unsure)
    off_target: bool  # the output, or a half of it, is confidently not English
    partly_source: bool  # a half (or all) of it is in the source's language


def _foreign(code: str | None, confidence: float) -> bool:
    return code is not None and code != ENGLISH and confidence >= OFF_TARGET_MIN_CONFIDENCE


def halves(text: str) -> list[str]:
    """The two halves of `text` by words, or [] when it is too short to judge by halves."""
    words = text.split()
    if len(words) < MIN_WORDS_FOR_HALVES:
        return []
    middle = len(words) // 2
    return [" ".join(words[:middle]), " ".join(words[middle:])]


def output_language(output: str, src_lang: str) -> OutputLanguage:
    """The language of `output`, and whether it (or a half of it) is not English."""
    whole = detect_language(output)
    parts = [(whole.code, whole.confidence)]
    # A text mostly in another script is not English whatever a half says; halves of a
    # Latin-script output catch "English first, then the source".
    if foreign_script_share(output) == 0.0:
        for half in halves(output):
            guess = detect_language(half)
            parts.append((guess.code, guess.confidence))
    foreign = [code for code, confidence in parts if _foreign(code, confidence)]
    return OutputLanguage(
        code=whole.code,
        off_target=bool(foreign),
        partly_source=any(are_close_languages(code, src_lang) for code in foreign),
    )
