"""Sentence segmentation (sentencex) with a token-length fallback for the translation model.

Guarantees of `segment_paragraph`: no text is lost (the segments, joined, equal the paragraph
up to whitespace), every segment is stripped and non-empty, and none is longer than
`max_tokens` unless it is a single character that is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import sentencex

from newslib.text.languages import iso639_1

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
# Latin letters spelled out in other scripts, as initials of foreign names are written:
# "دي. كي. أريا" (D. K. Arya), "জর্জ ডব্লিউ. বুশ" (George W. Bush), "जॉर्ज डब्ल्यू. बुश".
_SPELLED_INITIALS_TEXT = (
    "إيه أ بي سي دي إي إف جي إتش اتش آي جيه كيه كي إل ام إم إن أو كيو آر إس تي يو في دبليو إكس "
    "واي زد زي "
    "এ বি সি ডি ই এফ জি এইচ আই জে কে এল এম এন ও পি কিউ আর এস টি ইউ ভি ডব্লিউ ডাব্লিউ "
    "ডাবলিউ এক্স ওয়াই জেড "
    "ए बी सी डी ई एफ जी एच आई जे के एल एम एन ओ पी क्यू आर एस टी यू वी डब्ल्यू एक्स वाई ज़ेड जेड"
)
_SPELLED_INITIALS = frozenset(_SPELLED_INITIALS_TEXT.split())
# The last token before a final ".", without opening brackets or quotes. Not \w+: Indic vowel
# signs (the "ি" of "মি") are not word characters to `re`.
_LAST_WORD_BEFORE_POINT = re.compile(r"([^\s(\[{\"'“‘«]+)\.$")
_HAS_WORD_CHARACTER = re.compile(r"\w")

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# sentencex skips boundaries between quotation marks and brackets, so one unbalanced quote
# (or a numbered list "(1) ... (2) ...") merges every sentence up to the next one. It sees
# them as a neutral invisible character instead, of the same length, so its pieces still map
# back onto the paragraph by their lengths.
_QUOTES_AND_BRACKETS = re.compile('["“”„«»()\\[\\]]')
_NEUTRAL = "\u2063"
# A closing quote (or bracket) sentencex left at the start of the next sentence.
_LEADING_CLOSER = re.compile('^(["”»)\\]]+)(?=\\s|$)')

# Boundaries sentencex misses after a point it takes for an abbreviation: a number with its
# unit ("600Mbit/s.", "3.50 m.", "৩.৫০ কিমি.") or a list's "etc.", then a word that is not
# lower-case (a capitalised one, or any word of a script without case: Arabic, Bengali).
_MISSED_BREAK = re.compile(
    r"(?:\d ?(?P<unit>[^\s\d.,;:!?()\[\]\"'“”‘’«»]{1,8})|\b(?:etc|dll|dsb|dst|usw|إلخ|الخ))\."
    r"[\"”’»)]*(?=\s+[\"“‘«(]*(?P<next>[^\W\d_]))"
)
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
    raw = _sentencex_pieces(paragraph, language)
    pieces = _move_leading_closers(_rejoin_false_breaks(_split_missed_breaks(raw)))
    repaired = _attach_punctuation_only(pieces)
    return [sentence.strip() for sentence in repaired if sentence.strip()]


def _sentencex_pieces(paragraph: str, language: str) -> list[str]:
    """sentencex's pieces of `paragraph`, quotes and brackets hidden from it (see _NEUTRAL)."""
    masked = _QUOTES_AND_BRACKETS.sub(_NEUTRAL, paragraph)
    pieces, start = [], 0
    for piece in sentencex.segment(language, masked):
        pieces.append(paragraph[start : start + len(piece)])
        start += len(piece)
    if start < len(paragraph):  # sentencex returns every character; kept safe all the same
        pieces.append(paragraph[start:])
    return pieces


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
    if last_word is None or _missed_break_ends(before.rstrip() + " X"):
        return False  # "3.50 m." ends a sentence even though "m." looks like an initial
    word = last_word.group(1)
    return _is_initial_or_title(word) and bool(after.strip())


def _is_initial_or_title(word: str) -> bool:
    """ "J", "Ж", "দ", "ع" (one letter of any script; Latin, Greek, Cyrillic uppercase), a title
    ("Dr", "মি") or a Latin letter spelled out in another script ("ডব্লিউ", "دي")."""
    letters = [char for char in word if char.isalpha()]
    one_letter = len(letters) == 1 and word == letters[0] and not word.islower()
    return one_letter or word in _TITLES or word in _SPELLED_INITIALS


def _missed_break_ends(text: str) -> list[int]:
    """Where sentences end after a unit or "etc." in `text` (not "10 St. Mary's", "etc. and")."""
    return [
        match.end()
        for match in _MISSED_BREAK.finditer(text)
        if match.group("unit") not in _TITLES and not match.group("next").islower()
    ]


def _split_missed_breaks(pieces: list[str]) -> list[str]:
    """Cut pieces where a sentence ends after a unit or "etc." (see _MISSED_BREAK)."""
    split: list[str] = []
    for piece in pieces:
        start = 0
        for end in _missed_break_ends(piece):
            split.append(piece[start:end])
            start = end
        split.append(piece[start:])
    return [piece for piece in split if piece]


def _move_leading_closers(pieces: list[str]) -> list[str]:
    """A closing quote at the start of a piece goes back to the sentence it closes."""
    moved: list[str] = []
    for piece in pieces:
        closer = _LEADING_CLOSER.match(piece) if moved else None
        if closer is not None:
            moved[-1] += closer.group(1)
            piece = piece[closer.end() :]
        if piece:
            moved.append(piece)
    return moved


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
