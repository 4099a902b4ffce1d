"""Sentence segmentation (sentencex) with a token-length fallback for the translation model.

Guarantees of `segment_paragraph`: no text is lost (the segments, joined, equal the paragraph
up to whitespace), every segment is stripped and non-empty, and none is longer than
`max_tokens` unless it is a single character that is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import sentencex

from tasks.languages import iso639_1

# sentencex's terminators are the same for every language (। ؟ 。 ። ...); the language picks
# abbreviation lists, and English is its own fallback for languages it lacks.
FALLBACK_SENTENCE_LANGUAGE = "en"

# A boundary sentencex puts inside a number written with a decimal point, in any script's digits
# (Python's \d matches ৩ and ٣): "৩." + "৫ শতাংশ".
_ENDS_WITH_DIGIT_POINT = re.compile(r"\d\.$")
_STARTS_WITH_DIGIT = re.compile(r"^\d")
# Titles and initials sentencex does not know in some languages, so "En. Adams" (Malay),
# "মি. এডামস" (Bengali), "मि. एडम्स" (Hindi), "มร. อดัม" (Thai), "(U. N." stay whole.
_TITLES_TEXT = (
    "Mr Mrs Ms Dr Prof Rev St Sr Jr En Pn Tn Cik Bpk Sdr Ny dr "
    "मि मिस डॉ श्री ড ডা মি মিস মিসেস রেভ শ্রী มร ดร นพ د"
)
_TITLES = frozenset(_TITLES_TEXT.split())
# The last token before a final ".", without opening brackets or quotes. Not \w+: Indic vowel
# signs (the "ি" of "মি") are not word characters to `re`.
_LAST_WORD_BEFORE_POINT = re.compile(r"([^\s(\[{\"'“‘«]+)\.$")
_HAS_WORD_CHARACTER = re.compile(r"\w")

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Where an over-long sentence may be cut, coarsest first: after clause punctuation (not inside
# numbers such as 3,5 or 10:30), then before a word.
_CLAUSE_BREAK = re.compile(r"(?<=[,;:،؛、，；：])(?!\d)")
_WORD_BREAK = re.compile(r"(?<=\s)(?=\S)")


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """Sentences of `paragraph`, stripped; `lang` is an NLLB code such as "ben_Beng"."""
    if not paragraph.strip():
        return []
    # Lone surrogates are not text: neither sentencex nor a tokenizer can encode them.
    paragraph = _LONE_SURROGATE.sub("\ufffd", paragraph)
    language = iso639_1(lang) or FALLBACK_SENTENCE_LANGUAGE
    raw = [str(piece) for piece in sentencex.segment(language, paragraph)]
    repaired = _attach_punctuation_only(_rejoin_false_breaks(raw))
    return [sentence.strip() for sentence in repaired if sentence.strip()]


def segment_paragraph(
    paragraph: str, lang: str, count_tokens: Callable[[str], int], max_tokens: int
) -> list[str]:
    """Sentences of `paragraph`, each cut further until it fits in `max_tokens` tokens."""
    segments: list[str] = []
    for sentence in split_sentences(paragraph, lang):
        segments.extend(_fit(sentence, count_tokens, max_tokens))
    return segments


# --- repairs of sentencex's boundaries -------------------------------------------------------


def _rejoin_false_breaks(pieces: list[str]) -> list[str]:
    joined: list[str] = []
    for piece in pieces:
        if joined and _is_false_break(joined[-1], piece):
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


def _is_false_break(before: str, after: str) -> bool:
    if _ENDS_WITH_DIGIT_POINT.search(before) and _STARTS_WITH_DIGIT.match(after):
        return True  # a decimal point, not a full stop
    last_word = _LAST_WORD_BEFORE_POINT.search(before.rstrip())
    if last_word is None:
        return False
    word = last_word.group(1)
    is_initial = len(word) == 1 and word.isupper()
    return (word in _TITLES or is_initial) and bool(after.strip())


def _attach_punctuation_only(pieces: list[str]) -> list[str]:
    """Glue a piece with no word character (a stray quote) to its neighbour."""
    attached: list[str] = []
    for piece in pieces:
        if attached and not (_has_words(piece) and _has_words(attached[-1])):
            attached[-1] += piece
        else:
            attached.append(piece)
    return attached


def _has_words(text: str) -> bool:
    return _HAS_WORD_CHARACTER.search(text) is not None


# --- token-length fallback -------------------------------------------------------------------


def _fit(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """`text` cut into stripped pieces of at most `max_tokens` tokens, coarsest cuts first."""
    text = text.strip()
    if not text:
        return []
    if count_tokens(text) <= max_tokens:
        return [text]
    for breaks in (_CLAUSE_BREAK, _WORD_BREAK):
        pieces = [piece for piece in breaks.split(text) if piece]
        if len(pieces) > 1:
            return _pack(pieces, count_tokens, max_tokens)
    return list(_cut_characters(text, count_tokens, max_tokens))


def _pack(pieces: list[str], count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Consecutive pieces merged while they fit; a piece too long alone is cut finer."""
    packed: list[str] = []
    current = ""
    for piece in pieces:
        if current and count_tokens((current + piece).strip()) <= max_tokens:
            current += piece
            continue
        packed.extend(_fit(current, count_tokens, max_tokens))
        current = piece
    packed.extend(_fit(current, count_tokens, max_tokens))
    return packed


def _cut_characters(
    text: str, count_tokens: Callable[[str], int], max_tokens: int
) -> Iterator[str]:
    """Last resort: the longest prefixes that fit (binary search); one character at least."""
    while text:
        low, high = 1, len(text)  # the longest fitting prefix length lies in [low, high]
        while low < high:
            middle = (low + high + 1) // 2
            if count_tokens(text[:middle].strip()) <= max_tokens:
                low = middle
            else:
                high = middle - 1
        piece, text = text[:low].strip(), text[low:]
        if piece:
            yield piece
