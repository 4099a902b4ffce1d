"""Every quality check on hand-made examples in the three scripts of the sample articles."""

from __future__ import annotations

import pandas as pd
import pytest

from newslib.checks.flags import (
    LENGTH_MEASURES,
    OUTPUT_CHECKS,
    REPAIRABLE,
    char_count,
    flag_counts,
    has_repetition,
    language_mismatch,
    length_ratio,
    length_ratio_outside,
    longest_repeat,
    output_flags,
    ratio_bounds,
    repair_stats,
)
from newslib.checks.length_bounds import DEFAULT_BOUNDS, LENGTH_RATIO_BOUNDS, SCRIPT_BOUNDS
from newslib.checks.numbers import number_mismatch, numbers_in
from newslib.checks.untranslated import foreign_script_share, untranslated
from newslib.output.schema import FLAGS, articles_schema, segments_schema

MALAY = (
    "Perdana Menteri berkata kerajaan akan memperkenalkan langkah baharu untuk membantu rakyat "
    "menghadapi kenaikan kos sara hidup."
)
MALAY_EN = (
    "The Prime Minister said the government will introduce new measures to help people cope "
    "with the rising cost of living."
)
BENGALI = "প্রধানমন্ত্রী বলেছেন যে সরকার জীবনযাত্রার ব্যয় বৃদ্ধির মোকাবিলায় নতুন পদক্ষেপ নেবে।"
BENGALI_EN = (
    "The Prime Minister said the government will take new steps to tackle the rising cost of "
    "living."
)
ARABIC = "قال رئيس الوزراء إن الحكومة ستتخذ إجراءات جديدة لمواجهة ارتفاع تكاليف المعيشة."
ARABIC_EN = (
    "The prime minister said the government will take new measures to face the rising cost of "
    "living."
)


# --- the flag table --------------------------------------------------------------------------


def test_every_check_is_a_documented_flag_column() -> None:
    assert set(OUTPUT_CHECKS) | {"language_mismatch", "low_confidence"} == set(FLAGS)
    assert set(REPAIRABLE) <= set(OUTPUT_CHECKS) | {"low_confidence"}
    segment_columns = segments_schema().names
    article_columns = articles_schema().names
    for name in FLAGS:
        assert f"flag_{name}" in segment_columns
        assert f"n_flag_{name}" in article_columns


def test_good_translations_raise_no_flag() -> None:
    for source, english, lang in [
        (MALAY, MALAY_EN, "zsm_Latn"),
        (BENGALI, BENGALI_EN, "ben_Beng"),
        (ARABIC, ARABIC_EN, "arb_Arab"),
    ]:
        assert output_flags(source, english, lang, hit_limit=False) == []
        assert output_flags(source, english, lang, hit_limit=True) == ["length_limit"]


# --- repetition ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "lang"), [(MALAY, "zsm_Latn"), (BENGALI, "ben_Beng"), (ARABIC, "arb_Arab")]
)
def test_a_phrase_loop_is_flagged(source: str, lang: str) -> None:
    loop = "The Prime Minister said that the government said that the government said that the"
    assert has_repetition(source, loop)
    assert "repetition" in output_flags(source, loop, lang, hit_limit=True)
    assert has_repetition(source, "the the the the government")
    # Four words or more said twice in a row is already a loop.
    assert has_repetition(source, "the new measures will help the new measures will help people")


def test_ordinary_repeats_are_not_loops() -> None:
    assert not has_repetition(MALAY, "It was a very very long day.")
    assert not has_repetition(MALAY, "Bye bye, he said, and left the room one by one.")
    assert not has_repetition(BENGALI, BENGALI_EN)


def test_a_repetition_the_source_has_is_faithful() -> None:
    chant = "الله أكبر، الله أكبر، الله أكبر"
    assert not has_repetition(chant, "God is great, God is great, God is great")
    assert has_repetition("الله أكبر", "God is great, God is great, God is great")
    bengali = "জয় বাংলা! জয় বাংলা! জয় বাংলা!"
    assert not has_repetition(bengali, "Victory to Bengal! Victory to Bengal! Victory to Bengal!")


def test_longest_repeat_reads_whole_words_of_every_script() -> None:
    assert longest_repeat("of the city of the city of the city") == (3, 3)
    assert longest_repeat("no repeat here") == (0, 1)
    # Bengali vowel signs are not \w to `re`: words must not fall apart into repeated pieces.
    assert longest_repeat(BENGALI) == (0, 1)
    assert longest_repeat("কাকা কাকা কাকা কাকা") == (1, 4)


# --- length ratio ----------------------------------------------------------------------------


def test_bounds_are_derived_per_language_with_fallbacks() -> None:
    for lang in ("zsm_Latn", "ben_Beng", "arb_Arab"):
        measure, low, high = LENGTH_RATIO_BOUNDS[lang]
        assert measure in LENGTH_MEASURES
        assert 0.3 < low < 1.0 < high < 2.5
        assert ratio_bounds(lang) == (measure, low, high)
    # A language NTREX lacks takes its script's character bounds, then everything's.
    assert ratio_bounds("ace_Latn") == ("chars", *SCRIPT_BOUNDS["Latn"])
    assert ratio_bounds("xyz_Zzzz") == ("chars", *DEFAULT_BOUNDS)
    # Chinese is written densely: its English is much longer than Malay's.
    assert ratio_bounds("zho_Hans")[2] > 2 * ratio_bounds("zsm_Latn")[2]


def test_words_and_characters_measure_together() -> None:
    # Geometric mean of the smoothed character and word ratios.
    chars = (char_count("Yes sir.") + 10) / (char_count("Ya.") + 10)
    words = (2 + 2) / (1 + 2)
    assert length_ratio("Ya.", "Yes sir.", "chars+words") == pytest.approx((chars * words) ** 0.5)


@pytest.mark.parametrize(
    ("source", "english", "lang"),
    [
        (MALAY, MALAY_EN, "zsm_Latn"),
        (BENGALI, BENGALI_EN, "ben_Beng"),
        (ARABIC, ARABIC_EN, "arb_Arab"),
    ],
)
def test_truncated_or_bloated_output_is_outside_the_ratio(
    source: str, english: str, lang: str
) -> None:
    assert not length_ratio_outside(source, english, lang)
    assert length_ratio_outside(source, "The Prime Minister", lang)  # cut short
    assert length_ratio_outside(source, "", lang)
    assert length_ratio_outside(source, english + " " + english, lang)  # said twice


def test_short_segments_are_smoothed() -> None:
    # "Ya." -> "Yes." is four thirds as long, not a blow-up.
    assert length_ratio("Ya.", "Yes.") == pytest.approx(14 / 13)
    assert not length_ratio_outside("Ya.", "Yes.", "zsm_Latn")
    assert not length_ratio_outside("না।", "No.", "ben_Beng")
    assert not length_ratio_outside("لا.", "No.", "arb_Arab")


# --- numbers ---------------------------------------------------------------------------------


def test_numbers_are_read_in_every_digit_script() -> None:
    def values(text: str, lang: str = "eng") -> list[set[float]]:
        return [set(n.values) for n in numbers_in(text, lang)]

    assert values("৩.৫ শতাংশ", "ben") == [{3.5}]
    assert values("٣٫٥٪", "arb") == [{3.5}]
    assert values("۱۲ نفر", "pes") == [{12}]  # Persian (extended) digits
    assert values("١٬٠٠٠ ريال", "arb") == [{1000}]
    assert values("১,০০,০০০ টাকা", "ben") == [{100000}]  # Indian grouping
    assert values("1.234.567 dan 3,5 persen", "ind") == [{1234567}, {3.5}]
    assert values("1,234.5 and 1.234,5") == [{1234.5}, {1234.5}]
    assert values("1.500") == [{1500, 1.5}]  # either convention: both readings
    assert [n.parts for n in numbers_in("10:30")] == [(10, 30)]


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("4.5 juta orang", "zsm", 4_500_000),
        ("4,5 juta orang", "ind", 4_500_000),
        ("4.5 million people", "eng", 4_500_000),
        ("$4.5m deal", "eng", 4_500_000),
        ("a £2bn plan", "eng", 2_000_000_000),
        ("১৫ লাখ মানুষ", "ben", 1_500_000),
        ("২ কোটির বেশি", "ben", 20_000_000),
        ("300 ألف شخص", "arb", 300_000),
        ("3 مليارات دولار", "arb", 3_000_000_000),
        ("2 lakh rupees", "eng", 200_000),
    ],
)
def test_scale_words_multiply_the_number_before_them(text: str, lang: str, value: int) -> None:
    assert value in numbers_in(text, lang)[0].values


def test_numbers_are_compared_by_value_not_by_digits() -> None:
    # Scale errors: x10, a decimal shifted, a zero more; and "10" is not "one".
    assert number_mismatch("Harga naik 4.5 peratus", "Prices rose 45 percent", "zsm_Latn")
    assert number_mismatch("300 orang hadir", "3000 people attended", "zsm_Latn")
    assert number_mismatch("4.5 juta penduduk", "4.5 billion residents", "zsm_Latn")
    assert number_mismatch("১৫ লাখ মানুষ", "15 million people", "ben_Beng")
    assert number_mismatch("يعيش 45 شخصا", "4.5 people live", "arb_Arab")
    diff = number_mismatch(
        "menjangkiti 10 hingga 15 orang", "infect to 15 close contacts, one of them", "zsm_Latn"
    )
    assert diff.missing == ["10"]
    # +1 anywhere, years included.
    assert number_mismatch("pada tahun 2019", "in 2020", "zsm_Latn")
    assert number_mismatch("৪.৫ শতাংশ", "5.5 percent", "ben_Beng")
    # The same values however written pass.
    assert not number_mismatch("4.5 juta penduduk", "4,500,000 residents", "zsm_Latn")
    assert not number_mismatch("২ কোটি টাকা", "20 million taka", "ben_Beng")
    assert not number_mismatch("Rp 1.500 per liter", "1,500 rupiah a litre", "ind_Latn")


def test_number_words_decades_and_years_count_as_values() -> None:
    assert not number_mismatch("Seramai 12 orang", "A dozen people", "zsm_Latn")
    assert not number_mismatch("Seramai 2 orang", "Two people", "zsm_Latn")
    assert not number_mismatch("2 juta orang", "two million people", "zsm_Latn")
    assert not number_mismatch("pada tahun 1990-an", "in the 1990s", "zsm_Latn")
    assert not number_mismatch("abad ke-21", "the 21st century", "zsm_Latn")
    assert number_mismatch("Seramai 10 orang", "Two people", "zsm_Latn")


@pytest.mark.parametrize(
    ("source", "english", "lang"),
    [
        (
            "Harga naik 3.5 peratus kepada RM1,000 pada 2024.",
            "Prices rose 3.5% to RM1000 in 2024.",
            "zsm_Latn",
        ),
        (
            "দাম ৩.৫ শতাংশ বেড়ে ১,০০০ টাকা হয়েছে।",
            "The price rose 3.5 percent to 1,000 taka.",
            "ben_Beng",
        ),
        (
            "ارتفع السعر بنسبة ٣٫٥٪ إلى ١٬٠٠٠ ريال",
            "The price rose 3.5% to 1,000 riyals.",
            "arb_Arab",
        ),
        (
            "ارتفع السعر بنسبة 3.5% إلى 1000 ريال",
            "The price rose 3.5% to 1,000 riyals.",
            "arb_Arab",
        ),
        ("أكثر من 300 ألف شخص", "more than 300,000 people", "arb_Arab"),
        ("১৫ লাখ মানুষ", "1.5 million people", "ben_Beng"),
        ("Harga naik 3,5 peratus", "Prices rose 3.5 percent", "zsm_Latn"),
        ("আজ সকাল ৭ টা ৫৫ মিনিটে", "at 7.55am today", "ben_Beng"),
        ("في الساعة 10:30 صباحا", "at 10.30 in the morning", "arb_Arab"),
    ],
)
def test_the_same_numbers_however_written_pass(source: str, english: str, lang: str) -> None:
    assert not number_mismatch(source, english, lang)


def test_changed_missing_and_added_numbers_are_flagged() -> None:
    diff = number_mismatch("দাম ৩.৫ শতাংশ বেড়েছে", "The price rose 2.5 percent", "ben_Beng")
    assert diff.missing == ["৩.৫"] and diff.added == ["2.5"]
    diff = number_mismatch("ارتفع بنسبة ٣٫٥٪", "rose by 5.3%", "arb_Arab")
    assert diff.missing == ["٣٫٥"] and diff.added == ["5.3"]
    diff = number_mismatch("Seramai 12 orang cedera.", "Several people were injured.", "zsm_Latn")
    assert diff.missing == ["12"] and not diff.added
    diff = number_mismatch(MALAY, "The Prime Minister said on 12 May ...", "zsm_Latn")
    assert diff.added == ["12"] and not diff.missing
    assert "numbers" in output_flags("১৯৯৬ সালে", "In 1969", "ben_Beng", hit_limit=False)


def test_latin_names_and_numbers_inside_arabic_text() -> None:
    source = "قال John Smith من شركة BMW إن 25 شخصا أصيبوا في Paris عام 2019"
    good = "John Smith of BMW said 25 people were injured in Paris in 2019"
    assert output_flags(source, good, "arb_Arab", hit_limit=False) == []
    changed = "John Smith of BMW said 52 people were injured in Paris in 2019"
    assert number_mismatch(source, changed, "arb_Arab").added == ["52"]


def test_numbers_written_as_words_on_either_side_are_the_same_numbers() -> None:
    assert not number_mismatch("Seramai 9 orang terbunuh", "Nine people were killed", "zsm_Latn")
    assert not number_mismatch("dua puluh lima orang", "25 people", "zsm_Latn")
    assert not number_mismatch("tiga belas orang", "13 people", "zsm_Latn")
    assert not number_mismatch("সকাল সাতটার আগে", "before 7 a.m.", "ben_Beng")
    assert not number_mismatch("১৪ জন আহত", "Fourteen people were injured", "ben_Beng")
    assert not number_mismatch("الدورة السابعة عشرة", "the 17th session", "arb_Arab")
    assert not number_mismatch("للمرة الرابعة والثلاثين", "for the 34th time", "arb_Arab")
    assert not number_mismatch(
        "قال 58٪ من الناخبين", "Fifty-eight percent of voters said", "arb_Arab"
    )


# --- untranslated ----------------------------------------------------------------------------


def test_output_left_in_the_source_script_is_untranslated() -> None:
    assert untranslated(BENGALI, BENGALI, "ben_Beng")
    assert untranslated(ARABIC, ARABIC, "arb_Arab")
    half = "The Prime Minister said " + BENGALI
    assert untranslated(BENGALI, half, "ben_Beng")
    # A name or a word left in its script is not an untranslated sentence.
    assert foreign_script_share("The mosque of الأزهر was full on Friday evening.") < 0.25
    assert not untranslated(ARABIC, "The mosque of الأزهر was full on Friday evening.", "arb_Arab")


def test_output_left_in_the_source_language_is_untranslated() -> None:
    assert untranslated(MALAY, MALAY, "zsm_Latn")
    indonesian = (
        "Perdana Menteri mengatakan pemerintah akan memperkenalkan langkah baru untuk membantu "
        "rakyat menghadapi kenaikan biaya hidup."
    )
    assert untranslated(MALAY, indonesian, "zsm_Latn")  # off-target: Indonesian, not English
    assert not untranslated(MALAY, MALAY_EN, "zsm_Latn")
    # Names shared with the source do not make an English sentence Malay.
    names = "Datuk Seri Anwar Ibrahim met Joko Widodo in Putrajaya on Monday."
    assert not untranslated(
        "Datuk Seri Anwar Ibrahim bertemu Joko Widodo di Putrajaya pada Isnin.", names, "zsm_Latn"
    )
    assert not untranslated("Hello there, my friend.", "Hello there, my friend.", "eng_Latn")


# --- language mismatch -----------------------------------------------------------------------


def test_language_mismatch_ignores_close_varieties_and_unknowns() -> None:
    assert language_mismatch("eng_Latn", "zsm_Latn")
    assert language_mismatch("ben_Beng", "arb_Arab")
    assert not language_mismatch("zsm_Latn", "zsm_Latn")
    assert not language_mismatch("ind_Latn", "zsm_Latn")  # Malay and Indonesian
    assert not language_mismatch("arz_Arab", "arb_Arab")  # Egyptian and Standard Arabic
    assert not language_mismatch(None, "zsm_Latn")


# --- counting --------------------------------------------------------------------------------


def test_flag_counts_and_repair_stats_from_a_dataframe_or_rows() -> None:
    rows = [
        {
            "translated": True,
            "flag_numbers": True,
            "flag_repetition": True,
            "repair": "safer_decoding",
        },
        {"translated": True, "flag_numbers": True, "repair": None},
        {"translated": False, "repair": None},
        {"translated": True, "flag_numbers": None, "repair": None},
    ]
    counts = flag_counts(rows)
    assert list(counts) == list(FLAGS)
    assert counts["numbers"] == 2 and counts["repetition"] == 1 and counts["length_limit"] == 0
    frame = pd.DataFrame(rows)
    assert flag_counts(frame) == counts
    assert repair_stats(rows) == {"n_repaired": 1, "repair_rate": pytest.approx(1 / 3)}
    assert repair_stats([]) == {"n_repaired": 0, "repair_rate": 0.0}
