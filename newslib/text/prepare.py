"""From a raw article to an article row and its sentence rows, before any model runs.

Cleaning, language detection and segmentation happen here. An article that cannot be
translated (unreadable, empty after cleaning, unknown or unsupported language) becomes a failed
row with its reason.

Sentences in another language than their article's are translated from their own language
(`sentence_language`) and flagged `language_mismatch`. In an article whose paragraphs disagree
(`lang_mixed`) every sentence is detected. In the others, full detection of every sentence
would cost more than translating it on a GPU (about 11 ms per Latin-script sentence), so only
the sentences a cheap screen picks are (`may_be_other_language`): a sentence mostly in another
script family (an English quote in Bengali or Arabic), or, in a Latin-script article, one that
a two-language detector (the article's language vs English, under 1 ms) calls English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from newslib.checks.flags import language_mismatch
from newslib.checks.untranslated import english_confidence, foreign_script_share
from newslib.inputs.article import RawArticle, identity
from newslib.output.records import new_row
from newslib.text.clean import clean_text
from newslib.text.detect import (
    LanguageGuess,
    detect_article_language,
    detect_language,
)
from newslib.text.segment import segment_paragraph

Row = dict[str, Any]

# A sentence is translated from its own language only when the detector is this sure of it and
# it has this many letters. Over 75 languages lingua is rarely surer than 0.9 of one English
# sentence (64% of NTREX's English are; 90% reach 0.5), and close varieties, which it does
# confuse confidently, never count as another language (`newslib.checks.flags.CLOSE_VARIETIES`): at
# 0.5, 1 of NTREX's 1,997 Malay sentences (mostly an English book title) and none of the Bengali or
# Arabic ones is taken for another language.
SENTENCE_MIN_CONFIDENCE = 0.5
SENTENCE_MIN_LETTERS = 20
# The screen's two-language detector must give English at least this much to look closer.
SCREEN_MIN_ENGLISH = 0.9


def failed_article(raw: RawArticle, reason: str, **known: Any) -> Row:
    return new_row(
        "articles",
        article_id=raw.article_id,
        **identity(raw),
        status="failed",
        reason=reason,
        **known,
    )


def _language(lines: list[str], source_lang: str | None) -> tuple[LanguageGuess, bool]:
    """The article's language (a given one with confidence 1.0) and whether it is mixed."""
    if source_lang is not None:
        return LanguageGuess(source_lang, None, 1.0, None), False
    detected = detect_article_language(lines)
    return detected.guess, detected.mixed


def candidate_rows(guess: LanguageGuess) -> list[Row]:
    """The detector's best languages as rows of the articles' `lang_candidates` column."""
    return [{"lang": code, "confidence": value} for code, value in guess.candidates]


def _confident(guess: LanguageGuess, text: str) -> str | None:
    """The guessed NLLB code when the detector is sure enough about `text`, else None."""
    letters = sum(char.isalpha() for char in text)
    if guess.code is None or guess.confidence < SENTENCE_MIN_CONFIDENCE:
        return None
    return guess.code if letters >= SENTENCE_MIN_LETTERS else None


def sentence_language(sentence: str, paragraph_lang: str | None, article_lang: str) -> str:
    """The language to translate `sentence` (of an article in `article_lang`) from.

    The sentence's own language where the detector is sure of it; else its paragraph's where
    the detector is sure of that (a short sentence in an English paragraph is English); else
    the article's. A close variety of the article's language (Malay vs Indonesian) is not a
    different language here: the article's evidence is better than one sentence's.
    """
    own = _confident(detect_language(sentence), sentence) or paragraph_lang
    if own is None or not language_mismatch(own, article_lang):
        return article_lang
    return own


def may_be_other_language(sentence: str, article_lang: str) -> bool:
    """A cheap screen: is `sentence` worth detecting on its own?"""
    letters = sum(char.isalpha() for char in sentence)
    if letters < SENTENCE_MIN_LETTERS:
        return False
    article_latin = article_lang.endswith("_Latn")
    sentence_latin = foreign_script_share(sentence) < 0.5
    if article_latin != sentence_latin:
        return True
    english = english_confidence(sentence, article_lang) if article_latin else None
    return english is not None and english >= SCREEN_MIN_ENGLISH


def prepare_article(
    raw: RawArticle,
    *,
    source_lang: str | None,
    target_lang: str,
    count_tokens: Callable[[str], int],
    max_segment_tokens: int,
) -> tuple[Row, list[Row]]:
    """The article row (status ok or failed) and, when ok, one row per sentence to translate."""
    if raw.text is None:
        return failed_article(raw, raw.error or "unreadable"), []
    cleaned = clean_text(raw.text)
    known: Row = {
        "dropped_lines": [asdict(d) for d in cleaned.dropped],
        "clean_text": cleaned.text,
        "n_lines": len(cleaned.lines),
    }
    if not cleaned.lines:
        return failed_article(raw, "no text left after cleaning", **known), []
    guess, mixed = _language(cleaned.lines, source_lang)
    lang = guess.code
    detect_sentences = source_lang is None  # a language given by the user is never second-guessed
    known |= {
        "lang_confidence": guess.confidence,
        "lang_candidates": candidate_rows(guess),
        "lang_mixed": mixed,
    }
    if lang is None:
        why = guess.reason or "undetermined"
        return failed_article(raw, f"language not identified: {why}", **known), []
    segments = []
    for line_index, line in enumerate(cleaned.lines):
        pieces = segment_paragraph(line, lang, count_tokens, max_segment_tokens)
        paragraph = _confident(detect_language(line), line) if mixed else None
        for segment_index, piece in enumerate(pieces):
            own = lang
            if mixed or (detect_sentences and may_be_other_language(piece, lang)):
                own = sentence_language(piece, paragraph, lang)
            segments.append(
                new_row(
                    "segments",
                    article_id=raw.article_id,
                    line_index=line_index,
                    segment_index=segment_index,
                    source_lang=own,
                    source_text=piece,
                    translated=own != target_lang,
                    flag_language_mismatch=language_mismatch(own, lang),
                )
            )
    article = new_row(
        "articles",
        article_id=raw.article_id,
        **identity(raw),
        status="ok",
        source_lang=lang,
        n_segments=len(segments),
        **known,
    )
    return article, segments
