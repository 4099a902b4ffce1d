"""Sentence splitting and the token-length fallback."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newslib.text.languages import ntrex_files
from newslib.text.segment import segment_paragraph, split_sentences


def _words(text: str) -> int:
    """A stand-in tokenizer: one token per whitespace-separated word."""
    return len(text.split())


def _without_whitespace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _assert_well_formed(
    paragraph: str, segments: list[str], count_tokens: Callable[[str], int], max_tokens: int
) -> None:
    assert _without_whitespace("".join(segments)) == _without_whitespace(paragraph)
    assert all(segment == segment.strip() and segment for segment in segments)
    too_long = [s for s in segments if count_tokens(s) > max_tokens and len(s) > 1]
    assert too_long == []


# --- sentence boundaries -----------------------------------------------------------------------


def test_bengali_danda_splits() -> None:
    paragraph = "আমি ভাত খাই। তুমি কি খাও? আমরা কাল ঢাকায় যাব।"
    assert split_sentences(paragraph, "ben_Beng") == [
        "আমি ভাত খাই।",
        "তুমি কি খাও?",
        "আমরা কাল ঢাকায় যাব।",
    ]


def test_arabic_question_mark_and_full_stop_split() -> None:
    paragraph = "هل أنت بخير؟ نعم أنا بخير. شكرا لك!"
    assert split_sentences(paragraph, "arb_Arab") == ["هل أنت بخير؟", "نعم أنا بخير.", "شكرا لك!"]


def test_english_abbreviations_do_not_split() -> None:
    paragraph = "Dr. Smith met Mr. Jones in the U.S. capital. They spoke for an hour."
    assert split_sentences(paragraph, "eng_Latn") == [
        "Dr. Smith met Mr. Jones in the U.S. capital.",
        "They spoke for an hour.",
    ]


@pytest.mark.parametrize(
    ("paragraph", "lang"),
    [
        ("Prices rose 3.5 percent in June.", "eng_Latn"),
        ("Harga naik 3.5 peratus pada bulan Jun.", "zsm_Latn"),
        ("দাম ৩.৫ শতাংশ বেড়েছে।", "ben_Beng"),
        ("ارتفع السعر ٣.٥ بالمئة.", "arb_Arab"),
        ("मूल्य ३.५ प्रतिशत बढ़ा।", "hin_Deva"),
    ],
)
def test_decimals_do_not_split(paragraph: str, lang: str) -> None:
    assert split_sentences(paragraph, lang) == [paragraph]


@pytest.mark.parametrize(
    ("paragraph", "lang"),
    [
        ("En. Merriweather berkata bahawa St. Martin tidak menggantikannya.", "zsm_Latn"),
        ("মি. এডামস বলেছেন যে তিনি আসবেন।", "ben_Beng"),
        ("मि. एडम्स ने कहा कि वे आएंगे।", "hin_Deva"),
    ],
)
def test_titles_do_not_split(paragraph: str, lang: str) -> None:
    assert split_sentences(paragraph, lang) == [paragraph]


def test_unknown_language_uses_fallback_rules() -> None:
    assert split_sentences("Hello there. How are you?", "ace_Latn") == [
        "Hello there.",
        "How are you?",
    ]


@pytest.mark.parametrize("paragraph", ["", "   ", "\n\n"])
def test_empty_paragraph(paragraph: str) -> None:
    assert split_sentences(paragraph, "eng_Latn") == []
    assert segment_paragraph(paragraph, "eng_Latn", _words, 5) == []


def test_stray_closing_quote_stays_with_its_sentence() -> None:
    paragraph = 'He said, "it is over."" '
    assert split_sentences(paragraph, "eng_Latn") == ['He said, "it is over.""']


# --- token-length fallback ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "lang", "expected"),
    [
        # Latin initials spelled out in Arabic and Bengali script
        (
            "قال دي. كي. أريا إن الحكومة ستعلن القرار. وأضاف أن الاجتماع سيعقد غدا.",
            "arb_Arab",
            ["قال دي. كي. أريا إن الحكومة ستعلن القرار.", "وأضاف أن الاجتماع سيعقد غدا."],
        ),
        (
            "জর্জ ডব্লিউ. বুশ আজ বক্তৃতা দেন। তিনি বলেন যে যুদ্ধ শেষ হবে।",
            "ben_Beng",
            ["জর্জ ডব্লিউ. বুশ আজ বক্তৃতা দেন।", "তিনি বলেন যে যুদ্ধ শেষ হবে।"],
        ),
        (
            "ডিওনিইও এ. লিন্ড বাজান। তিনি খুশি।",
            "ben_Beng",
            ["ডিওনিইও এ. লিন্ড বাজান।", "তিনি খুশি।"],
        ),
    ],
)
def test_initials_in_any_script_do_not_split(
    paragraph: str, lang: str, expected: list[str]
) -> None:
    assert split_sentences(paragraph, lang) == expected


@pytest.mark.parametrize(
    ("paragraph", "lang", "expected"),
    [
        ("The speed is 600Mbit/s. The old one was slower.", "eng_Latn", 2),
        ("Kelajuan ialah 600Mbit/s. Yang lama lebih perlahan.", "zsm_Latn", 2),
        ("The wall is 3.50 m. It was built in 1990.", "eng_Latn", 2),
        ("রাস্তাটি ৩.৫০ কিমি. তারপর তিনি চলে যান।", "ben_Beng", 2),
        ("They sold apples, pears, etc. The market closed at noon.", "eng_Latn", 2),
        ("Mereka menjual epal, pir, dll. Pasar ditutup pada tengah hari.", "zsm_Latn", 2),
        ("باعوا التفاح والكمثرى إلخ. ثم أغلق السوق ظهرا.", "arb_Arab", 2),
        # still one sentence: "etc." before a lower-case word, a title after a number
        ("They sold apples, pears, etc. and kept the rest.", "eng_Latn", 1),
        ("He lives at 10 St. Mary's Road in London.", "eng_Latn", 1),
    ],
)
def test_sentences_end_after_units_and_etc(paragraph: str, lang: str, expected: int) -> None:
    assert len(split_sentences(paragraph, lang)) == expected


def test_numbered_list_items_and_the_sentences_after_them() -> None:
    paragraph = (
        "Ada tiga langkah. (1) Potong cukai. (2) Naikkan perbelanjaan. (3) Reformasi sekolah. "
        "Menteri berkata ia akan berjaya. Pengkritik tidak bersetuju."
    )
    assert split_sentences(paragraph, "zsm_Latn") == [
        "Ada tiga langkah.",
        "(1) Potong cukai.",
        "(2) Naikkan perbelanjaan.",
        "(3) Reformasi sekolah.",
        "Menteri berkata ia akan berjaya.",
        "Pengkritik tidak bersetuju.",
    ]
    inline = "Rancangan itu (1) potong cukai (2) naikkan gaji. Menteri berkata begitu."
    assert len(split_sentences(inline, "zsm_Latn")) == 2


@pytest.mark.parametrize("quote", ['"', "“", "«"])
def test_unbalanced_quote_does_not_merge_sentences(quote: str) -> None:
    paragraph = (
        f"He said {quote}we will win. Then he left. The crowd cheered. Police arrived later."
    )
    assert split_sentences(paragraph, "eng_Latn") == [
        f"He said {quote}we will win.",
        "Then he left.",
        "The crowd cheered.",
        "Police arrived later.",
    ]


def test_quoted_sentences_split_and_the_closing_quote_stays() -> None:
    paragraph = '"We were going to war. Millions died. Now we have peace." He said it.'
    assert split_sentences(paragraph, "eng_Latn") == [
        '"We were going to war.',
        "Millions died.",
        'Now we have peace."',
        "He said it.",
    ]


def test_short_sentences_are_left_alone() -> None:
    paragraph = "One two three. Four five."
    assert segment_paragraph(paragraph, "eng_Latn", _words, 5) == ["One two three.", "Four five."]


def test_long_sentence_is_cut_at_clauses_first() -> None:
    paragraph = "one two three, four five six; seven eight nine."
    segments = segment_paragraph(paragraph, "eng_Latn", _words, 3)
    assert segments == ["one two three,", "four five six;", "seven eight nine."]


def test_long_clause_is_cut_between_words() -> None:
    paragraph = " ".join(f"w{i}" for i in range(10)) + "."
    segments = segment_paragraph(paragraph, "eng_Latn", _words, 4)
    assert segments == ["w0 w1 w2 w3", "w4 w5 w6 w7", "w8 w9."]


def test_long_word_is_cut_into_characters() -> None:
    segments = segment_paragraph("x" * 25, "eng_Latn", len, 10)
    assert segments == ["x" * 10, "x" * 10, "x" * 5]


def test_character_too_long_alone_is_returned_alone() -> None:
    def two_per_character(text: str) -> int:
        return 2 * len(text)

    assert segment_paragraph("abc", "eng_Latn", two_per_character, 1) == ["a", "b", "c"]


def test_numbers_are_not_cut_at_their_comma() -> None:
    segments = segment_paragraph("Harga 3,5 juta ringgit, kata beliau.", "zsm_Latn", _words, 3)
    assert segments[0] == "Harga 3,5 juta"


# Paragraphs built from pieces that exercise every rule: terminators of several scripts, digits
# of several scripts around points, titles, clause marks and runs of whitespace.
_PIECES = [*"abc xyz.,;:?!।؟،\n৩٣5", "Dr. ", "মি. ", "  ", "word ", "longerword"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(paragraph=_TEXT, max_tokens=st.integers(min_value=1, max_value=6))
def test_fallback_never_exceeds_and_never_loses_text(paragraph: str, max_tokens: int) -> None:
    segments = segment_paragraph(paragraph, "eng_Latn", _words, max_tokens)
    _assert_well_formed(paragraph, segments, _words, max_tokens)


@settings(max_examples=100, deadline=None)
@given(paragraph=_TEXT, max_tokens=st.integers(min_value=1, max_value=30))
def test_fallback_with_character_counts(paragraph: str, max_tokens: int) -> None:
    segments = segment_paragraph(paragraph, "ben_Beng", len, max_tokens)
    _assert_well_formed(paragraph, segments, len, max_tokens)


# --- NTREX paragraphs --------------------------------------------------------------------------


@pytest.mark.parametrize(("ntrex_code", "lang"), [("msa", "zsm_Latn"), ("ben", "ben_Beng"),
                                                  ("arb", "arb_Arab")])  # fmt: skip
def test_ntrex_lines_lose_nothing_and_are_mostly_one_sentence(
    ntrex_dir: Path, ntrex_code: str, lang: str
) -> None:
    lines = ntrex_files(ntrex_dir)[ntrex_code].read_text(encoding="utf-8").splitlines()[:500]
    single = 0
    for line in lines:
        sentences = split_sentences(line, lang)
        assert _without_whitespace("".join(sentences)) == _without_whitespace(line)
        single += len(sentences) == 1
    assert single / len(lines) >= 0.95


@pytest.mark.parametrize(("ntrex_code", "lang"), [("msa", "zsm_Latn"), ("ben", "ben_Beng"),
                                                  ("arb", "arb_Arab")])  # fmt: skip
def test_ntrex_lines_fit_a_small_token_budget(ntrex_dir: Path, ntrex_code: str, lang: str) -> None:
    lines = ntrex_files(ntrex_dir)[ntrex_code].read_text(encoding="utf-8").splitlines()[:300]
    for line in lines:
        segments = segment_paragraph(line, lang, _words, 8)
        _assert_well_formed(line, segments, _words, 8)


def test_lone_surrogates_do_not_break_splitting() -> None:
    # Badly decoded pages can carry them; sentencex (and any tokenizer) needs valid UTF-8.
    sentences = split_sentences("Harga naik. \ud800 Ia berlaku semalam.", "zsm_Latn")
    assert sentences == ["Harga naik.", "\ufffd Ia berlaku semalam."]
