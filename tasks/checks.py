"""Checks on every translated segment: what professionals distrust in NLLB output, as flags.

One pure function per check, each on a (source sentence, English output) pair:

- `length_limit`: decoding stopped at its output limit (the translator reports it);
- `repetition`: the output loops on an n-gram, and the source has no such loop (`has_repetition`);
- `length_ratio`: output length far outside the usual ratio for the language pair
  (`length_ratio_outside`, bounds measured on NTREX-128 in `tasks/length_ratio_bounds.py`);
- `numbers`: a number of the source is missing from the output, or the output adds one
  (`number_mismatch`: digits of every script, thousands groupings and scale words allowed for);
- `untranslated`: the output is still in the source's script or language (`untranslated`);
- `language_mismatch`: the segment's own language differs from its article's
  (`language_mismatch`; decided while preparing, see `tasks/prepare.py`).

`output_flags` runs the output checks together; `flag_counts` and `repair_stats` add them up for
the end table, `newsflow eval` and the runs dataset.

The length-ratio table is derived from data, never typed by hand:

    python -m tasks.checks --derive ../shared/data/ntrex128     # rewrites length_ratio_bounds.py
    python -m tasks.checks --rates ../shared/data/ntrex128      # flag rates, references as output
"""

from __future__ import annotations

import argparse
import functools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tasks.length_ratio_bounds import (
    DEFAULT_BOUNDS,
    LENGTH_RATIO_BOUNDS,
    SCRIPT_BOUNDS,
)
from tasks.schema import FLAGS

if TYPE_CHECKING:
    from lingua import LanguageDetector

# Bump when a check or the bounds table changes what it flags: results cached under an older
# version carry flags (and repairs) decided by the older checks.
CHECKS_VERSION = 1
# Flags a second decoding can cure: the segment is decoded again with safer settings.
REPAIRABLE = ("length_limit", "repetition", "length_ratio")
# Flags that `output_flags` decides from the output (language_mismatch is decided before).
OUTPUT_CHECKS = ("length_limit", "repetition", "length_ratio", "numbers", "untranslated")
TARGET_LANG = "eng_Latn"  # the checks read the output as English

# --- length ratio ----------------------------------------------------------------------------

# Characters added to both sides before dividing: a 3-character headline translated into 9
# characters is not a 3x blow-up. With 10, the spread of NTREX ratios is about the same for
# 20-character and 200-character sentences, so one pair of bounds serves every length.
RATIO_SMOOTHING = 10
# The table keeps the 0.5th..99.5th percentile of NTREX, widened by this factor each way.
RATIO_PERCENTILES = (0.5, 99.5)
RATIO_WIDENING = 1.2


def char_count(text: str) -> int:
    """Characters that are not whitespace (spacing differs between scripts, content does not)."""
    return sum(1 for char in text if not char.isspace())


def length_ratio(source: str, output: str) -> float:
    """Smoothed ratio of output characters to source characters."""
    return (char_count(output) + RATIO_SMOOTHING) / (char_count(source) + RATIO_SMOOTHING)


def ratio_bounds(src_lang: str) -> tuple[float, float]:
    """(low, high) ratio bounds for translating `src_lang` into English.

    Languages NTREX lacks use the bounds pooled over NTREX languages of the same script, then
    over all of them.
    """
    if src_lang in LENGTH_RATIO_BOUNDS:
        return LENGTH_RATIO_BOUNDS[src_lang]
    return SCRIPT_BOUNDS.get(src_lang.partition("_")[2], DEFAULT_BOUNDS)


def length_ratio_outside(source: str, output: str, src_lang: str) -> bool:
    low, high = ratio_bounds(src_lang)
    return not low <= length_ratio(source, output) <= high


# --- repetition ------------------------------------------------------------------------------

MAX_LOOP_NGRAM = 12  # longest repeated unit looked for, in words
# How many copies in a row make a loop, by n-gram size: "very very" is English, a word four
# times is not; a phrase of four or more words said twice in a row is a decoder loop.
LOOP_MIN_REPEATS_WORD = 4
LOOP_MIN_REPEATS_SHORT = 3  # 2 and 3 words
LOOP_MIN_REPEATS_LONG = 2  # 4 words and more
LOOP_LONG_NGRAM = 4


def _words(text: str) -> list[str]:
    """Whitespace tokens, lowercased, without the punctuation around them.

    Whitespace, not `\\w+`: Bengali vowel signs are not word characters for `re`, so `\\w+`
    would cut Bengali words into pieces that look like repeats. Punctuation-only tokens stay
    (a loop of "- - - -" is a loop).
    """
    words = []
    for token in text.lower().split():
        stripped = token.strip("".join(c for c in token if unicodedata.category(c)[0] == "P"))
        words.append(stripped or token)
    return words


def repeat_runs(text: str) -> dict[int, int]:
    """For each n-gram size n, the most copies of one n-gram back to back in `text` (if > 1)."""
    words = _words(text)
    runs: dict[int, int] = {}
    for n in range(1, min(MAX_LOOP_NGRAM, len(words) // 2) + 1):
        i = 0
        while i + 2 * n <= len(words):
            copies = 1
            while words[i + copies * n : i + (copies + 1) * n] == words[i : i + n]:
                copies += 1
            if copies > 1:
                runs[n] = max(runs.get(n, 0), copies)
                i += (copies - 1) * n
            else:
                i += 1
    return runs


def longest_repeat(text: str) -> tuple[int, int]:
    """(n, copies) of the n-gram repeated most often back to back; the longer on ties; (0, 1)."""
    return max(
        ((n, c) for n, c in repeat_runs(text).items()), key=lambda r: (r[1], r[0]), default=(0, 1)
    )


def _is_loop(n: int, copies: int) -> bool:
    if n == 1:
        return copies >= LOOP_MIN_REPEATS_WORD
    if n < LOOP_LONG_NGRAM:
        return copies >= LOOP_MIN_REPEATS_SHORT
    return copies >= LOOP_MIN_REPEATS_LONG


def has_repetition(source: str, output: str) -> bool:
    """The output loops on an n-gram, and the source does not repeat anything as often.

    A source that itself says something several times in a row ("Allahu akbar, Allahu akbar")
    may be translated with the same repetition: that is faithful, not a loop.
    """
    loops = [copies for n, copies in repeat_runs(output).items() if _is_loop(n, copies)]
    if not loops:
        return False
    source_copies = max(repeat_runs(source).values(), default=1)
    return max(loops) > source_copies


# --- numbers ---------------------------------------------------------------------------------

# A number as written: digits of any script (`\d` is every Unicode decimal digit), possibly
# with separators between digit groups: "1,000", "3.5", "৩.৫", "٣٫٥" (Arabic decimal sign),
# "١٬٠٠٠" (Arabic thousands sign), "10:30", "1 000" with a no-break space.
_NUMBER = re.compile(r"\d+(?:[.,:\u066b\u066c\u00a0\u202f]\d+)*")
_SEPARATOR = re.compile(r"\D")


@dataclass(frozen=True)
class Number:
    text: str
    key: str  # its significant digits: "1,500,000" -> "15", "1.5" -> "15", "٣٠٠" -> "3"
    parts: tuple[str, ...]  # the key of each digit group: "10:30" -> ("1", "3")


def _key(digits: str) -> str:
    # Leading zeros (09:30) and trailing zeros (the scale: "300 ألف" is 300,000, "15 লাখ" is
    # 1.5 million) say nothing about whether the number survived translation.
    return digits.strip("0") or "0"


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def numbers_in(text: str) -> list[Number]:
    """The numbers written with digits in `text`, in any script."""
    found = []
    for match in _NUMBER.finditer(text):
        digits = _ascii_digits(match.group())
        found.append(
            Number(
                text=match.group(),
                key=_key(_SEPARATOR.sub("", digits)),
                parts=tuple(_key(part) for part in _SEPARATOR.split(digits)),
            )
        )
    return found


# Number words: a source number may come out as an English word ("9 orang" -> "nine people"),
# and a source word may come out as digits ("সাতটার আগে" -> "before 7"). Only the languages
# seen most here have a word list on the source side; English covers every output.
def _word_table(spec: str) -> dict[str, int]:
    """'value:word word, value:word' -> {word: value}, words NFC-normalized."""
    table: dict[str, int] = {}
    for entry in spec.split(","):
        value, _, words = entry.strip().partition(":")
        for word in words.split():
            table[unicodedata.normalize("NFC", word)] = int(value)
    return table


# Cardinals and ordinals up to ten, tens, scale words; "belas"/"puluh" and "عشر" build teens
# and tens with the word before them (see `_word_numbers`).
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "eng": _word_table(
        "0:zero zeroth, 1:one first once single, 2:two second twice, 3:three third, "
        "4:four fourth, 5:five fifth half, 6:six sixth, 7:seven seventh, 8:eight eighth, "
        "9:nine ninth, 10:ten tenth decade, 11:eleven eleventh, 12:twelve twelfth dozen, "
        "13:thirteen thirteenth, 14:fourteen fourteenth, 15:fifteen fifteenth, "
        "16:sixteen sixteenth, 17:seventeen seventeenth, 18:eighteen eighteenth, "
        "19:nineteen nineteenth, 20:twenty twentieth, 30:thirty thirtieth, 40:forty fortieth, "
        "50:fifty fiftieth, 60:sixty sixtieth, 70:seventy seventieth, 80:eighty eightieth, "
        "90:ninety ninetieth, 100:hundred century, 1000:thousand, 1000000:million, "
        "1000000000:billion, 1000000000000:trillion"
    ),
    "zsm": _word_table(
        "1:satu se pertama, 2:dua kedua, 3:tiga ketiga, 4:empat keempat, 5:lima kelima, "
        "6:enam keenam, 7:tujuh ketujuh, 8:lapan delapan kelapan kedelapan, "
        "9:sembilan kesembilan, 10:sepuluh kesepuluh, 11:sebelas, 100:seratus ratus, "
        "1000:seribu ribu, 1000000:juta sejuta, 1000000000:bilion miliar"
    ),
    "ben": _word_table(
        "1:এক একটি একটা প্রথম, 2:দুই দুটি দুটো দু দ্বিতীয়, 3:তিন তিনটি তৃতীয়, "
        "4:চার চারটি চতুর্থ, 5:পাঁচ পাঁচটি পঞ্চম, 6:ছয় ছয়টি ছ ছটা ষষ্ঠ, 7:সাত সাতটি সপ্তম, "
        "8:আট আটটি অষ্টম, 9:নয় নয়টি নবম, 10:দশ দশটি দশম, 11:এগারো, 12:বারো, 13:তেরো, "
        "14:চৌদ্দ, 15:পনেরো, 16:ষোল ষোলো, 17:সতেরো, 18:আঠারো, 19:উনিশ, 20:বিশ কুড়ি, "
        "30:ত্রিশ তিরিশ, 40:চল্লিশ, 50:পঞ্চাশ, 60:ষাট, 70:সত্তর, 80:আশি, 90:নব্বই, "
        "100:একশ একশো একশত শত শতাধিক, 1000:হাজার, 100000:লাখ লক্ষ, 10000000:কোটি"
    ),
    "arb": _word_table(
        "1:واحد واحدة أول أولى اول اولى, 2:اثنان اثنين اثنتان اثنتين ثاني ثانية ثان, "
        "3:ثلاث ثلاثة ثالث ثالثة, 4:أربع أربعة رابع رابعة اربع اربعة, 5:خمس خمسة خامس خامسة, "
        "6:ست ستة سادس سادسة, 7:سبع سبعة سابع سابعة, 8:ثمان ثماني ثمانية ثامن ثامنة, "
        "9:تسع تسعة تاسع تاسعة, 10:عشر عشرة عاشر عاشرة, 20:عشرين عشرون, 30:ثلاثين ثلاثون, "
        "40:أربعين أربعون اربعين اربعون, 50:خمسين خمسون, 60:ستين ستون, 70:سبعين سبعون, "
        "80:ثمانين ثمانون, 90:تسعين تسعون, 100:مائة مئة, 1000:ألف آلاف الف الاف, "
        "1000000:مليون ملايين, 1000000000:مليار"
    ),
}
NUMBER_WORDS["ind"] = NUMBER_WORDS["zsm"]
# Words that make a teen or a tens number out of the unit word before them.
_TEEN_WORDS = {"belas", "عشر", "عشرة"}
_TENS_WORDS = {"puluh"}
# Arabic clitics written onto the word: و (and), ب (with), ل (for), ف, ك, and the article ال.
_ARABIC_PREFIX = re.compile(r"^(?:[وفبلك]?ال|[وفبلك])(?=\w\w)")
# Bengali classifiers and case endings after a number word: সাতটার, ছটায়, ১৪ জন.
_BENGALI_SUFFIX = re.compile(
    unicodedata.normalize("NFC", "(?:টির|টার|টায়|টিতে|টি|টা|টে|জন|য়|ের|ে|ই)$")
)


def _word_candidates(word: str, lang: str) -> list[str]:
    candidates = [word]
    if lang == "arb":
        # Short vowels and tanween off (واحدًا -> واحدا), then the accusative alif (-> واحد).
        bare = "".join(c for c in word if unicodedata.category(c) != "Mn")
        stripped = _ARABIC_PREFIX.sub("", bare)
        for form in (bare, stripped, stripped.removeprefix("ال")):
            candidates += [form, form.removesuffix("ا")]
    elif lang == "ben":
        candidates.append(_BENGALI_SUFFIX.sub("", word))
    elif lang in ("zsm", "ind"):
        candidates.append(word.removeprefix("ke-").removeprefix("ke"))
    return candidates


def _word_numbers(text: str, lang: str) -> set[str]:
    """Keys of the numbers written as words in `text` (a generous reading: it only excuses)."""
    table = NUMBER_WORDS.get(lang)
    if table is None:
        return set()
    keys: set[str] = set()
    previous: int | None = None
    for token in re.split(r"[\s\-–—]+", unicodedata.normalize("NFC", text.lower())):
        word = token.strip("".join(c for c in token if not c.isalnum()))
        base = next((c for c in _word_candidates(word, lang) if c in table), word)
        value = table.get(base)
        if previous is not None and base in _TEEN_WORDS:
            keys.add(_key(str(previous + 10)))  # tiga belas, السابعة عشرة
        if previous is not None and base in _TENS_WORDS:
            value = previous * 10  # dua puluh
        if value is not None:
            keys.add(_key(str(value)))
            if previous is not None and _tens_and_unit(previous, value):
                keys.add(_key(str(previous + value)))  # twenty-one, ستة وثلاثين
        previous = value
    return keys


def _tens_and_unit(a: int, b: int) -> bool:
    return any(x >= 20 and x < 100 and x % 10 == 0 and 0 < y < 10 for x, y in ((a, b), (b, a)))


@dataclass(frozen=True)
class NumberDiff:
    missing: list[str]  # source numbers not in the output
    added: list[str]  # output numbers not in the source

    def __bool__(self) -> bool:
        return bool(self.missing or self.added)


def _covered(number: Number, keys: set[str], parts: set[str]) -> bool:
    """Whether `number` is on the other side, whose numbers have `keys` and `parts`.

    Group by group, a number matches separate numbers ("7.55am" and "৭ টা ৫৫"), never the
    groups of one other number ("3.5" is not "5.3").
    """
    if number.key in keys:
        return True
    if len(number.parts) > 1:
        return all(part in keys for part in number.parts)
    return number.key in parts


def number_mismatch(source: str, output: str, src_lang: str) -> NumberDiff:
    """Numbers of the source missing from the output, and numbers the output adds.

    Numbers are compared by their significant digits, whatever the script ("৩.৫" is "3.5"),
    the grouping ("1,000", "1.000", "১,০০,০০০") or the scale word ("300 ألف" is "300,000");
    "10:30" also matches "10.30" and "১০টা ৩০" group by group. A number written as a word on
    the other side counts as present ("9 orang" -> "nine people").
    """
    source_numbers, output_numbers = numbers_in(source), numbers_in(output)
    if not source_numbers and not output_numbers:
        return NumberDiff([], [])
    lang = src_lang.partition("_")[0]
    source_keys = {n.key for n in source_numbers}
    source_parts = {p for n in source_numbers for p in n.parts}
    output_keys = {n.key for n in output_numbers}
    output_parts = {p for n in output_numbers for p in n.parts}
    output_words = _word_numbers(output, "eng") if source_numbers else set()
    source_words = _word_numbers(source, lang) if output_numbers else set()
    missing = [
        n.text for n in source_numbers if not _covered(n, output_keys | output_words, output_parts)
    ]
    added = [
        n.text for n in output_numbers if not _covered(n, source_keys | source_words, source_parts)
    ]
    return NumberDiff(missing, added)


# --- untranslated ----------------------------------------------------------------------------

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

    from tasks.languages import LINGUA_TO_NLLB

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
    if src_lang == TARGET_LANG:
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
    from tasks.detect import detect_language

    guess = detect_language(sample)
    return (
        guess.code is not None
        and guess.code != TARGET_LANG
        and guess.confidence >= UNTRANSLATED_MIN_CONFIDENCE
    )


# --- language mismatch -----------------------------------------------------------------------

# Varieties a detector cannot tell apart on one sentence (Malay is called Indonesian on 1.6% of
# NTREX's Malay sentences, confidently): a sentence in one of these inside an article in
# another of the same group keeps the article's language.
CLOSE_VARIETIES: tuple[frozenset[str], ...] = (
    frozenset({"zsm_Latn", "ind_Latn"}),
    frozenset({"bos_Latn", "hrv_Latn"}),
    frozenset({"nob_Latn", "nno_Latn", "dan_Latn"}),
    frozenset({"pes_Arab", "prs_Arab"}),
    frozenset(
        {"arb_Arab", "acm_Arab", "acq_Arab", "aeb_Arab", "ajp_Arab", "apc_Arab", "ars_Arab"}
        | {"ary_Arab", "arz_Arab"}
    ),
    frozenset({"zho_Hans", "zho_Hant", "yue_Hant"}),
)


def close_varieties(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in CLOSE_VARIETIES)


def language_mismatch(segment_lang: str | None, article_lang: str | None) -> bool:
    """The segment's own language is known and really differs from the article's."""
    if segment_lang is None or article_lang is None:
        return False
    return not close_varieties(segment_lang, article_lang)


# --- all checks ------------------------------------------------------------------------------


def output_flags(source: str, output: str, src_lang: str, hit_limit: bool) -> list[str]:
    """Names of the output checks that fire, in FLAGS order."""
    fired = {
        "length_limit": hit_limit,
        "repetition": has_repetition(source, output),
        "length_ratio": length_ratio_outside(source, output, src_lang),
        "numbers": bool(number_mismatch(source, output, src_lang)),
        "untranslated": untranslated(source, output, src_lang),
    }
    return [name for name in FLAGS if fired.get(name)]


def _rows(segments: Any) -> list[Mapping[str, Any]]:
    if hasattr(segments, "to_dict"):  # a pandas DataFrame
        records: list[Mapping[str, Any]] = segments.to_dict("records")
        return records
    return list(segments)


def flag_counts(segments: Any) -> dict[str, int]:
    """Segments flagged by each check: {flag name: count}, every flag of FLAGS present.

    `segments`: the segments dataset as a pandas DataFrame (`pd.read_parquet(out/"segments")`)
    or as row dicts. Null flags (rows written before a check existed) count as not flagged.
    """
    if hasattr(segments, "columns"):
        return {
            name: int(segments[f"flag_{name}"].fillna(False).astype(bool).sum())
            if f"flag_{name}" in segments.columns
            else 0
            for name in FLAGS
        }
    rows = _rows(segments)
    return {name: sum(bool(r.get(f"flag_{name}")) for r in rows) for name in FLAGS}


def repair_stats(segments: Iterable[Mapping[str, Any]] | Any) -> dict[str, Any]:
    """Segments re-decoded, and their share of the segments translated (0.0 when none)."""
    rows = _rows(segments)
    translated = sum(bool(r.get("translated")) for r in rows)
    repaired = sum(r.get("repair") is not None for r in rows)
    return {"n_repaired": repaired, "repair_rate": repaired / translated if translated else 0.0}


# --- deriving the bounds from NTREX ----------------------------------------------------------

BOUNDS_MODULE = Path(__file__).with_name("length_ratio_bounds.py")


def _ntrex_pairs(ntrex_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """NLLB code -> (sentence, English original) pairs from NTREX-128.

    Where several NTREX files map to one NLLB code, the files of that very language are used
    (Hassaniya, sent as Modern Standard Arabic, does not shape Arabic's bounds).
    """
    from tasks.languages import NTREX_TO_NLLB, ntrex_files

    english = _read_lines(ntrex_dir / "newstest2019-src.eng.txt")
    files: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    for code, path in ntrex_files(ntrex_dir).items():
        nllb = NTREX_TO_NLLB.get(code)
        if nllb is not None and nllb != TARGET_LANG:
            files[nllb].append((code, path))
    pairs: dict[str, list[tuple[str, str]]] = {}
    for nllb, candidates in sorted(files.items()):
        own = [p for c, p in candidates if c.split("-")[0].removeprefix("2.") == nllb[:3]]
        chosen = own or [p for _, p in candidates]
        pairs[nllb] = [
            (source, target)
            for path in chosen
            for source, target in zip(_read_lines(path), english, strict=False)
            if source.strip() and target.strip()
        ]
    return pairs


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _bounds(ratios: Sequence[float]) -> tuple[float, float]:
    low, high = (_percentile(ratios, q) for q in RATIO_PERCENTILES)
    return (
        math.floor(low / RATIO_WIDENING * 100) / 100,
        math.ceil(high * RATIO_WIDENING * 100) / 100,
    )


def derive_bounds(ntrex_dir: Path) -> dict[str, Any]:
    """Ratio bounds per NLLB language, per script and over all languages, from NTREX-128."""
    per_lang: dict[str, tuple[float, float, int]] = {}
    by_script: dict[str, list[float]] = defaultdict(list)
    for lang, pairs in _ntrex_pairs(ntrex_dir).items():
        ratios = [length_ratio(source, english) for source, english in pairs]
        per_lang[lang] = (*_bounds(ratios), len(ratios))
        by_script[lang.partition("_")[2]].extend(ratios)
    every = [r for ratios in by_script.values() for r in ratios]
    return {
        "languages": per_lang,
        "scripts": {s: _bounds(r) for s, r in sorted(by_script.items()) if len(r) >= 1000},
        "default": _bounds(every),
    }


def bounds_module_source(derived: Mapping[str, Any]) -> str:
    languages = "\n".join(
        f'    "{lang}": ({low:.2f}, {high:.2f}),  # {n} sentences'
        for lang, (low, high, n) in sorted(derived["languages"].items())
    )
    scripts = "\n".join(
        f'    "{script}": ({low:.2f}, {high:.2f}),'
        for script, (low, high) in derived["scripts"].items()
    )
    low, high = derived["default"]
    return f'''"""Length-ratio bounds for English translations. Generated: do not edit.

Regenerate with `python -m tasks.checks --derive ../shared/data/ntrex128`. The ratio is
`tasks.checks.length_ratio`: (English characters + {RATIO_SMOOTHING}) / (source characters + \
{RATIO_SMOOTHING}), whitespace
not counted, over NTREX-128's 1,997 human translations of each language paired with the English
original; the bounds are its {RATIO_PERCENTILES[0]}th and {RATIO_PERCENTILES[1]}th percentiles, \
widened {RATIO_WIDENING}x each way.
"""

# NLLB code -> (lowest, highest) ratio of a normal translation.
LENGTH_RATIO_BOUNDS: dict[str, tuple[float, float]] = {{
{languages}
}}

# Languages NTREX lacks: all NTREX languages of the same script pooled (scripts with at least
# 1,000 sentences), else every language pooled.
SCRIPT_BOUNDS: dict[str, tuple[float, float]] = {{
{scripts}
}}
DEFAULT_BOUNDS: tuple[float, float] = ({low:.2f}, {high:.2f})
'''


def ntrex_flag_rates(ntrex_dir: Path, langs: Sequence[str]) -> dict[str, dict[str, float]]:
    """Share of NTREX sentences each check flags with the human English as the "translation".

    A sanity check of false positives: human translations should pass nearly every check.
    """
    pairs = _ntrex_pairs(ntrex_dir)
    rates: dict[str, dict[str, float]] = {}
    for lang in langs:
        counts = dict.fromkeys(OUTPUT_CHECKS, 0)
        for source, english in pairs[lang]:
            for name in output_flags(source, english, lang, hit_limit=False):
                counts[name] += 1
        rates[lang] = {name: count / len(pairs[lang]) for name, count in counts.items()}
        rates[lang]["sentences"] = len(pairs[lang])
    return rates


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tasks.checks", description=__doc__)
    parser.add_argument(
        "--derive",
        type=Path,
        metavar="NTREX_DIR",
        help="derive the length-ratio bounds and rewrite length_ratio_bounds.py",
    )
    parser.add_argument(
        "--rates",
        type=Path,
        metavar="NTREX_DIR",
        help="print each check's flag rate on NTREX references",
    )
    parser.add_argument(
        "--langs",
        default="zsm_Latn,ben_Beng,arb_Arab",
        help="NLLB codes for --rates (comma-separated)",
    )
    args = parser.parse_args(argv)
    if args.derive:
        BOUNDS_MODULE.write_text(bounds_module_source(derive_bounds(args.derive)), encoding="utf-8")
        print(f"wrote {BOUNDS_MODULE}")
    if args.rates:
        for lang, rates in ntrex_flag_rates(args.rates, args.langs.split(",")).items():
            shown = ", ".join(f"{k} {v:.2%}" for k, v in rates.items() if k != "sentences")
            print(f"{lang} ({rates['sentences']:.0f} sentences): {shown}")
    if not (args.derive or args.rates):
        parser.print_help()


if __name__ == "__main__":
    main()
