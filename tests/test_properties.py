"""Property tests over arbitrary Unicode: cleaning, detection, segmentation and the checks.

For any input: nothing raises, no text is lost (every non-space character of every kept line
is in the line's segments, in order), and no segment is longer than the limit (unless it is a
single character that alone is).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newslib.batch import split_at_clause
from newslib.checks.flags import OUTPUT_CHECKS, has_repetition, output_flags
from newslib.checks.numbers import number_mismatch
from newslib.text.clean import clean_text
from newslib.text.detect import detect_article_language, detect_language
from newslib.text.languages import is_nllb_supported
from newslib.text.segment import segment_paragraph

# Pieces that exercise the interesting paths: sentence ends of the three scripts, decimals in
# their digits, clause punctuation, boilerplate lines, bidi and zero-width marks, real words.
_PIECES = [
    "Komen (0)", "মন্তব্য (0)", "[إعلان 2]", "A", "Sumber:", "।", "؟", "،", "؛", ". ", "? ",
    "3.5", "৩.৫", "٣٫٥", "1,000", "10:30", "Dr. ", "মি. ", "En. ", "\u200b", "\u200f", "\u00ad",
    "\n", "\n\n", "  ", "\t", "Perdana Menteri berkata", "প্রধানমন্ত্রী বলেছেন", "قال رئيس الوزراء",
    "the the the the", "😀", "\u0301", "\x85", "\u2028",
]  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=40).map("".join),
)
LANGS = st.sampled_from(
    ["zsm_Latn", "ben_Beng", "arb_Arab", "eng_Latn", "zho_Hans", "hin_Deva", "amh_Ethi"]
)
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def count_tokens(text: str) -> int:
    return len(text) // 3 + 1


def _non_space(text: str) -> str:
    return "".join(text.split())


@PROPERTY_SETTINGS
@given(TEXT)
def test_cleaning_keeps_non_empty_stripped_lines(raw: str) -> None:
    cleaned = clean_text(raw)
    for line in cleaned.lines:
        assert line and line == line.strip() and "\n" not in line
    assert cleaned.text.split("\n") == cleaned.lines or not cleaned.lines


@PROPERTY_SETTINGS
@given(TEXT)
def test_detection_never_raises_and_answers_an_nllb_code_or_why_not(text: str) -> None:
    guess = detect_language(text)
    assert 0.0 <= guess.confidence <= 1.0
    if guess.code is None:
        assert guess.reason
    else:
        assert is_nllb_supported(guess.code)


@PROPERTY_SETTINGS
@given(st.lists(TEXT, max_size=6))
def test_article_detection_never_raises_and_judges_every_line(lines: list[str]) -> None:
    result = detect_article_language(lines)
    assert len(result.paragraph_codes) == len(lines)
    assert isinstance(result.mixed, bool)


@PROPERTY_SETTINGS
@given(TEXT, LANGS, st.integers(min_value=1, max_value=40))
def test_segmentation_loses_no_text_and_respects_the_limit(
    raw: str, lang: str, max_tokens: int
) -> None:
    for line in clean_text(raw).lines:
        segments = segment_paragraph(line, lang, count_tokens, max_tokens)
        assert _non_space("".join(segments)) == _non_space(line)
        for segment in segments:
            assert segment and segment == segment.strip()
            assert count_tokens(segment) <= max_tokens or len(segment) == 1


@PROPERTY_SETTINGS
@given(TEXT, TEXT, LANGS, st.booleans())
def test_checks_never_raise(source: str, output: str, lang: str, hit_limit: bool) -> None:
    flags = output_flags(source, output, lang, hit_limit)
    assert set(flags) <= set(OUTPUT_CHECKS)
    assert ("length_limit" in flags) == hit_limit


@PROPERTY_SETTINGS
@given(TEXT, LANGS)
def test_a_text_has_the_same_numbers_as_itself_and_no_loop_of_its_own(text: str, lang: str) -> None:
    assert not number_mismatch(text, text, lang)
    assert not has_repetition(text, text)


@PROPERTY_SETTINGS
@given(TEXT)
def test_a_clause_split_keeps_every_character(text: str) -> None:
    halves = split_at_clause(text)
    if halves is not None:
        assert len(halves) == 2 and all(halves)
        assert _non_space("".join(halves)) == _non_space(text)
