"""Checks on every translated segment: what professionals distrust in NLLB output, as flags.

One pure function per check, each on a (source sentence, English output) pair:

- `length_limit`: decoding stopped at its output limit (the translator reports it);
- `repetition`: the output loops on an n-gram, and the source has no such loop (`has_repetition`);
- `length_ratio`: output length far outside the usual ratio for the language pair
  (`length_ratio_outside`, bounds measured on NTREX-128 in `newslib/checks/length_bounds.py`);
- `numbers`: a number of the source is missing from the output, or the output adds one
  (`number_mismatch` in `newslib/checks/numbers.py`);
- `untranslated`: the output, or a half of it, is still in the source's script or language
  (`untranslated` in `newslib/checks/untranslated.py`, halves in `newslib/checks/language.py`);
- `off_target`: the output, or a half of it, is confidently in a language other than English
  (`output_language` in `newslib/checks/language.py`, which also names the output's language);
- `low_confidence`: the model's own length-normalised log-probability of the output is far
  below the run's usual for the language (`low_confidence_threshold`; decided per batch and
  language after translating, see `newslib/batch.py`);
- `language_mismatch`: the segment's own language differs from its article's
  (`language_mismatch`; decided while preparing, see `newslib/text/prepare.py`).

`check_output` runs the output checks together (`output_flags` gives just the names);
`flag_counts` and `repair_stats` add them up for the end table, `newsflow eval` and the runs
dataset. The length-ratio bounds are derived from NTREX-128 by
`python -m eval.checks_ntrex --derive`, never typed by hand.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from newslib.checks.language import output_language
from newslib.checks.length_bounds import (
    DEFAULT_BOUNDS,
    LENGTH_RATIO_BOUNDS,
    SCRIPT_BOUNDS,
)
from newslib.checks.numbers import number_mismatch
from newslib.checks.untranslated import untranslated
from newslib.output.schema import FLAGS
from newslib.text.languages import ENGLISH

# Bump when a check or the bounds table changes what it flags: results cached under an older
# version carry flags (and repairs) decided by the older checks.
CHECKS_VERSION = 2
# Flags a second decoding can cure: the segment is decoded again with safer settings.
REPAIRABLE = ("length_limit", "repetition", "length_ratio", "off_target", "low_confidence")
# Flags that `check_output` decides from the output (language_mismatch is decided before
# translating, low_confidence from the scores of all outputs of a batch).
OUTPUT_CHECKS = (
    "length_limit",
    "repetition",
    "length_ratio",
    "numbers",
    "untranslated",
    "off_target",
)

# --- length ratio ----------------------------------------------------------------------------

# Characters added to both sides before dividing: a 3-character headline translated into 9
# characters is not a 3x blow-up. With 10, the spread of NTREX ratios is about the same for
# 20-character and 200-character sentences, so one pair of bounds serves every length.
RATIO_SMOOTHING = 10
WORD_SMOOTHING = 2
# Two ways to measure length; each language uses the one that, on NTREX, best separates
# half-truncated English from the human translations (see `eval/checks_ntrex.py --derive`).
# `chars+words`: the geometric mean of the character ratio and the word ratio. It helps where
# human translations vary much in characters (Arabic's run 0.6x to 1.5x the English).
LENGTH_MEASURES = ("chars", "chars+words")
# The table keeps these percentiles of the NTREX ratios as bounds: 0.6% of human translations
# fall below, 0.2% above (truncation, the commoner failure, gets more of the error budget).
RATIO_PERCENTILES = (0.6, 99.8)
RATIO_WIDENING = 1.0
_WORD = re.compile(r"\w+")


def char_count(text: str) -> int:
    """Characters that are not whitespace (spacing differs between scripts, content does not)."""
    return sum(1 for char in text if not char.isspace())


def length_ratio(source: str, output: str, measure: str = "chars") -> float:
    """Smoothed ratio of output length to source length, by `measure` (LENGTH_MEASURES)."""
    chars = (char_count(output) + RATIO_SMOOTHING) / (char_count(source) + RATIO_SMOOTHING)
    if measure == "chars":
        return chars
    words = (len(_WORD.findall(output)) + WORD_SMOOTHING) / (
        len(_WORD.findall(source)) + WORD_SMOOTHING
    )
    return math.sqrt(chars * words)


def ratio_bounds(src_lang: str) -> tuple[str, float, float]:
    """(measure, low, high): how to measure length for `src_lang` -> English, and the bounds.

    Languages NTREX lacks use character bounds pooled over NTREX languages of the same script,
    then over all of them.
    """
    if src_lang in LENGTH_RATIO_BOUNDS:
        return LENGTH_RATIO_BOUNDS[src_lang]
    return ("chars", *SCRIPT_BOUNDS.get(src_lang.partition("_")[2], DEFAULT_BOUNDS))


def length_ratio_outside(source: str, output: str, src_lang: str) -> bool:
    measure, low, high = ratio_bounds(src_lang)
    return not low <= length_ratio(source, output, measure) <= high


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


# --- language mismatch -----------------------------------------------------------------------

# Varieties a detector cannot tell apart on one sentence (Malay is called Indonesian on 1.6% of
# NTREX's Malay sentences, confidently): a sentence in one of these inside an article in
# another of the same group keeps the article's language.
CLOSE_VARIETIES: tuple[frozenset[str], ...] = (
    frozenset({"zsm_Latn", "ind_Latn"}),
    frozenset({"asm_Beng", "ben_Beng"}),  # Assamese without its own letters reads as Bengali
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


@dataclass(frozen=True)
class OutputCheck:
    flags: list[str]  # names of the output checks that fire, in FLAGS order
    output_lang: str | None  # NLLB code the output was detected in (None: too short, unsure)


def check_output(source: str, output: str, src_lang: str, hit_limit: bool) -> OutputCheck:
    """Every output check on one (source sentence, English output) pair."""
    language = output_language(output, src_lang, source)
    fired = {
        "length_limit": hit_limit,
        "repetition": has_repetition(source, output),
        "length_ratio": length_ratio_outside(source, output, src_lang),
        "numbers": bool(number_mismatch(source, output, src_lang)),
        "untranslated": src_lang != ENGLISH
        and (language.partly_source or untranslated(source, output, src_lang)),
        "off_target": language.off_target,
    }
    return OutputCheck([name for name in FLAGS if fired.get(name)], language.code)


def output_flags(source: str, output: str, src_lang: str, hit_limit: bool) -> list[str]:
    """Names of the output checks that fire, in FLAGS order."""
    return check_output(source, output, src_lang, hit_limit).flags


# --- model confidence ------------------------------------------------------------------------

# A batch's outputs of one language need this many scores before a threshold is taken from
# them: with fewer, the median and its spread say little.
MIN_SCORES_FOR_THRESHOLD = 20
# Below the median by this many robust standard deviations (1.4826 x the median absolute
# deviation): about 1 output in 1,000 of a normal distribution, far into the low tail.
LOW_CONFIDENCE_MADS = 3.5


def low_confidence_threshold(log_probs: Iterable[float | None]) -> float | None:
    """The log-probability below which an output is `low_confidence`, from a run's own scores.

    Sequence log-probability is a published hallucination detector for NMT (Guerreiro et al.,
    2023, "Looking for a Needle in a Haystack"); its scale depends on language and model, so
    the threshold comes from the outputs it judges: median - LOW_CONFIDENCE_MADS robust
    standard deviations. None (no flag) with fewer than MIN_SCORES_FOR_THRESHOLD scores.
    """
    scores = sorted(s for s in log_probs if s is not None and math.isfinite(s))
    if len(scores) < MIN_SCORES_FOR_THRESHOLD:
        return None
    median = statistics.median(scores)
    spread = 1.4826 * statistics.median(abs(s - median) for s in scores)
    return median - LOW_CONFIDENCE_MADS * max(spread, 1e-6)


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
