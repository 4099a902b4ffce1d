"""Cleaning: scraper boilerplate goes (with its reason), real news text stays (NTREX-128)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from newslib.text.clean import RULES, CleanedText, clean_text

# --- the five scraped samples -----------------------------------------------------------------


@dataclass(frozen=True)
class SampleExpectation:
    dropped: dict[int, str]  # raw line number -> reason
    kept: int  # number of kept paragraphs
    first: str  # first kept paragraph (a prefix of it)
    last: str  # last kept paragraph (a prefix of it)
    exact: dict[int, str]  # kept index -> the whole kept paragraph (captions without pipes)


SAMPLES: dict[str, SampleExpectation] = {
    "000_f12dd5e4ffb682dc.txt": SampleExpectation(  # Malay, Sinar Harian style
        dropped={10: "dangling_source", 17: "comment_counter"},
        kept=10,
        first="Moscow dan Pyongyang sedang membincangkan pakej",
        last="Pertemuan Rusia dengan Korea Utara selepas disekat",
        exact={
            1: "Pemimpin Korea Utara Kim Jong-un bertemu Presiden Rusia Vladimir Putin di "
            "Kosmodrom Vostochny di Timur Jauh."
        },
    ),
    "001_eb46123a1c9d1ceb.txt": SampleExpectation(  # Malay: duplicated caption, A/A/A, promo
        dropped={
            3: "duplicate_line",
            4: "font_size_widget",
            5: "font_size_widget",
            6: "font_size_widget",
            24: "related_links",
            30: "app_promo",
        },
        kept=12,
        first="China pula 'lawat' Rusia",
        last='"Beliau mendoakan kemakmuran dan kesejahteraan rakyat Rusia," lapor KCNA. - AFP',
        exact={
            1: "Pertemuan Jong-un (kiri) bersama Putin pada minggu lalu kurang disenangi Barat."
            " - Foto: Agensi",
            2: "BEIJING - Menteri Luar China, Wang Yi 'menyambut baton' dari Korea Utara bagi "
            "memulakan lawatan selama empat hari ke Rusia pada Isnin untuk tujuan rundingan "
            "keselamatan.",
        },
    ),
    "002_e51bf2022168d2be.txt": SampleExpectation(  # Bengali
        dropped={10: "ad_placeholder", 11: "dangling_source", 18: "comment_counter"},
        kept=10,
        first="রাশিয়ার রাষ্ট্রপতি ভ্লাদিমির পুতিনের উত্তর কোরিয়া সফরের",
        last="২০২২ সালে ইউক্রেনের সংঘাতের কারণে",
        exact={
            1: "উত্তর কোরিয়ার নেতা কিম জং-উন দূরপ্রাচ্যের ভোস্টোচনি কসমোড্রোমে রাশিয়ার রাষ্ট্রপতি "
            "ভ্লাদিমির পুতিনের সাথে দেখা করেছেন।"
        },
    ),
    "003_5071a1cf7d2feefb.txt": SampleExpectation(  # Arabic: trailing pipe, source credit
        dropped={18: "source_credit"},
        kept=18,
        first="أعلنت وزارة الخارجية الكورية الشمالية",
        last="وبحسب لافروف، في هذا اللقاء مع نظيره الكوري الشمالي",
        exact={
            0: "أعلنت وزارة الخارجية الكورية الشمالية أن بيونغ يانغ مستعدة للترحيب بحرارة "
            "بالرئيس الروسي فلاديمير بوتين كصديق مقرب.",
            4: "كوريا الشمالية: التعاون بين بيونغ يانغ وموسكو يعزز بناء عالم متعدد الأقطاب",
        },
    ),
    "004_19f5079ce5c62d1f.txt": SampleExpectation(  # Arabic: ad, source, comments
        dropped={13: "ad_placeholder", 14: "dangling_source", 15: "comment_counter"},
        kept=13,
        first="أعلن الكرملين في 11 سبتمبر/أيلول",
        # The byline with its agencies is the last kept paragraph: a credit inside a sentence
        # is text, not a label.
        last="مينه دوك (وفقًا لوكالة تاس، وسبوتنيك، ويونهاب)",
        exact={},
    ),
}


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_all_samples_are_covered(samples_dir: Path) -> None:
    assert sorted(p.name for p in samples_dir.glob("*.txt")) == sorted(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_boilerplate_dropped_with_reason(samples_dir: Path, name: str) -> None:
    raw = _read(samples_dir / name)
    cleaned = clean_text(raw)
    expected = SAMPLES[name]
    assert {d.line_no: d.reason for d in cleaned.dropped} == expected.dropped
    raw_lines = raw.splitlines()
    for d in cleaned.dropped:
        assert d.text == raw_lines[d.line_no]  # the raw line, as it was
        # Boilerplate is gone; of a repeated caption, one copy stays.
        copies = 1 if d.reason == "duplicate_line" else 0
        assert cleaned.lines.count(d.text.strip()) == copies


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_paragraphs_kept_in_order(samples_dir: Path, name: str) -> None:
    cleaned = clean_text(_read(samples_dir / name))
    expected = SAMPLES[name]
    assert len(cleaned.lines) == expected.kept
    assert cleaned.lines[0].startswith(expected.first)
    assert cleaned.lines[-1].startswith(expected.last)
    for index, line in expected.exact.items():
        assert cleaned.lines[index] == line
    assert cleaned.text == "\n".join(cleaned.lines)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_kept_lines_are_the_rest_normalized(samples_dir: Path, name: str) -> None:
    """Nothing is lost silently: every non-blank raw line is either kept (same order) or dropped."""
    raw = _read(samples_dir / name)
    cleaned = clean_text(raw)
    dropped = {d.line_no for d in cleaned.dropped}
    rest = [
        " ".join(line.split()).strip("| ")
        for i, line in enumerate(raw.splitlines())
        if line.strip() and i not in dropped
    ]
    assert cleaned.lines == rest
    for line in cleaned.lines:
        assert line and line == line.strip()
        assert not line.startswith("|") and not line.endswith("|")
        assert unicodedata.is_normalized("NFC", line)


# --- NTREX-128: real news in 128 languages must pass untouched --------------------------------

# Characters that cleaning may legitimately change: controls and invisible format characters
# (ZWJ / ZWNJ are kept, so they are not in this class).
_INVISIBLE_OR_CONTROL = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def test_ntrex_passes_through_unchanged(ntrex_dir: Path) -> None:
    files = sorted(ntrex_dir.glob("newstest2019-*.txt"))
    assert len(files) >= 128  # every reference (and the English source), not a silent no-op
    lines_per_file = len((ntrex_dir / "DOCUMENT_IDS.tsv").read_text("utf-8").splitlines())
    total = 0
    for path in files:
        raw = _read(path)
        cleaned = clean_text(raw)
        assert cleaned.dropped == [], path.name
        originals = [line for line in raw.splitlines() if line.strip()]
        assert len(cleaned.lines) == len(originals), path.name
        total += len(originals)
        for original, kept in zip(originals, cleaned.lines, strict=True):
            expected = " ".join(unicodedata.normalize("NFC", original).split())
            if kept == expected:
                continue
            # Only invisible / control characters may make a difference; letters, digits and
            # punctuation stay (C1 "„" / "”" are mapped back, so compare letters and digits).
            assert _INVISIBLE_OR_CONTROL.search(original), (path.name, original)
            assert [c for c in kept if c.isalnum()] == [
                c for c in unicodedata.normalize("NFC", original) if c.isalnum()
            ], (path.name, original)
    assert total >= 128 * lines_per_file


# --- rules, one line at a time ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Komen (0)", "comment_counter"),
        ("মন্তব্য (0)", "comment_counter"),
        ("تعليق (0)", "comment_counter"),
        ("Comments (3)", "comment_counter"),
        ("মন্তব্য (১২)", "comment_counter"),
        ("  Komen   (12) ", "comment_counter"),
        ("[বিজ্ঞাপন_২]", "ad_placeholder"),
        ("[إعلان 2]", "ad_placeholder"),
        ("[إعلان ٢]", "ad_placeholder"),
        ("[Advertisement]", "ad_placeholder"),
        ("[Iklan]", "ad_placeholder"),
        ("ADVERTISEMENT", "ad_placeholder"),
        ("Muat turun aplikasi Sinar Harian. Klik di sini!", "app_promo"),
        ("Download our free NewsNow app now!", "app_promo"),
        ("Klik di sini!", "app_promo"),
        ("A", "font_size_widget"),
        ("A- A A+", "font_size_widget"),
        ("Sumber", "dangling_source"),
        ("مصدر", "dangling_source"),
        ("উৎস", "dangling_source"),
        ("Source:", "dangling_source"),
        ("مصدر | وكالة للأنباء تسنيم |", "source_credit"),
        ("Sumber: Bernama", "source_credit"),
        ("Artikel Berkaitan:", "related_links"),
        ("Baca juga: Polis tahan tiga suspek", "related_links"),
        ("Read more", "related_links"),
        ("اقرأ أيضا:", "related_links"),
        ("| |", "table_border"),
        ("| Komen (0) |", "comment_counter"),
        # bare ad labels, share buttons, "read more" lines, in the supported languages
        ("IKLAN", "ad_placeholder"),
        ("বিজ্ঞাপন", "ad_placeholder"),
        ("إعلان", "ad_placeholder"),
        ("Advertisement - Scroll to continue with content", "ad_placeholder"),
        ("Kongsi", "share_buttons"),
        ("Share this article", "share_buttons"),
        ("শেয়ার করুন", "share_buttons"),
        ("مشاركة", "share_buttons"),
        ("Share: Facebook | Twitter | WhatsApp", "share_buttons"),
        ("Follow us on Instagram", "share_buttons"),
        ("اقرأ المزيد", "related_links"),
        ("Baca lagi", "related_links"),
        ("আরও খবর", "related_links"),
        ("أخبار ذات صلة", "related_links"),
        ("অ্যাপ ডাউনলোড করুন", "app_promo"),
        ("حمّل التطبيق الآن", "app_promo"),
    ],
)
def test_boilerplate_line_is_dropped(line: str, reason: str) -> None:
    cleaned = clean_text(f"Perenggan pertama.\n{line}\nPerenggan kedua.")
    assert cleaned.lines == ["Perenggan pertama.", "Perenggan kedua."]
    assert [(d.line_no, d.text, d.reason) for d in cleaned.dropped] == [(1, line, reason)]


@pytest.mark.parametrize(
    "line",
    [
        # Boilerplate words inside real sentences: rules are whole-line, never "contains".
        "Pembaca meninggalkan Komen (0) kerana laman itu ditutup, kata polis.",
        "Sumber polis berkata suspek ditahan semalam.",
        "The source said the app was downloaded 3 million times last week.",
        "A spokesman declined to comment.",
        "Download speeds fell sharply after the outage, the regulator said.",
        "مصدر مطلع قال إن المحادثات ستستأنف الأسبوع المقبل.",
        # Punjabi writes the danda as " |": it is punctuation, it stays.
        "ਉਸ ਨੂੰ ਹਸਪਤਾਲ ਲਿਜਾਇਆ ਗਿਆ ਜਿੱਥੇ ਉਸ ਦੀ ਹਾਲਤ “ਸਥਿਰ” ਸੀ |",
        "ਕਰੀਬ 16,700 ਲੋਕਾਂ ਨੂੰ ਪਾਲੂ ਦੇ ਵਿੱਚ 24 ਸੈਂਟਰਾਂ ਵਿੱਚ ਭੇਜਿਆ ਗਿਆ ਸੀ|",
        "Tallies are split 3|2 in the table.",
        # News sentences that start like boilerplate: kept (precision first).
        "Install the app update immediately, the agency said.",
        "Sources: Biden to nominate Garland as attorney general",
        "مصدر: لا صحة لأنباء استقالة الوزير",
        "Muat turun aplikasi itu sebelum Jumaat untuk mendapatkan bantuan, kata kementerian.",
        "حمل التطبيق الجديد لتقديم الطلبات قبل نهاية الشهر، بحسب الوزارة.",
        "Share prices fell 3% in early trading.",
        "Iklan itu ditarik balik selepas bantahan orang ramai.",
    ],
)
def test_real_text_is_kept_as_is(line: str) -> None:
    cleaned = clean_text(line)
    assert cleaned.lines == [line]
    assert cleaned.dropped == []


def test_headlines_listed_under_a_related_header_go_with_it() -> None:
    raw = (
        "Perenggan pertama berita ini.\n"
        "Baca juga:\n"
        "Harga minyak naik lagi minggu ini\n"
        "\n"
        "- Polis tahan tiga suspek samun\n"
        "Pasukan penyelamat tiba di lokasi kejadian sejurus selepas itu.\n"
        "Banjir kilat landa Shah Alam"
    )
    cleaned = clean_text(raw)
    assert [(d.line_no, d.reason) for d in cleaned.dropped] == [
        (1, "related_links"),
        (2, "related_links"),
        (4, "related_links"),
    ]
    # The list ends at the first paragraph: a headline-like line after it is kept.
    assert cleaned.lines == [
        "Perenggan pertama berita ini.",
        "Pasukan penyelamat tiba di lokasi kejadian sejurus selepas itu.",
        "Banjir kilat landa Shah Alam",
    ]


def test_a_paragraph_without_its_full_stop_ends_the_list() -> None:
    cleaned = clean_text("Baca juga:\nHarga minyak akan naik bulan depan, kata menteri")
    assert cleaned.lines == ["Harga minyak akan naik bulan depan, kata menteri"]


def test_a_header_with_its_headline_does_not_open_a_list() -> None:
    cleaned = clean_text("Baca juga: Polis tahan tiga suspek\nHarga minyak naik lagi")
    assert cleaned.lines == ["Harga minyak naik lagi"]


def test_repeated_caption_with_an_agency_credit_is_dropped() -> None:
    caption = "Mangsa dibawa ke hospital berhampiran. - Bernama"
    cleaned = clean_text(f"{caption}\n{caption}")
    assert cleaned.lines == [caption]
    assert [d.reason for d in cleaned.dropped] == ["duplicate_line"]


def test_boilerplate_fixture_is_cleaned_right() -> None:
    from eval.clean_fixture import clean_fixture

    outcomes = clean_fixture()
    assert {o.line.article[0] for o in outcomes} == {"m", "b", "a"}  # the three languages
    wrong = [(o.line.article, o.line.text) for o in outcomes if not o.right]
    assert wrong == []


def test_rule_reasons_are_snake_case() -> None:
    reasons = {reason for reason, _ in RULES}
    assert all(re.fullmatch(r"[a-z]+(?:_[a-z]+)*", reason) for reason in reasons)
    assert {"comment_counter", "ad_placeholder", "app_promo", "font_size_widget"} <= reasons


# --- pipes and duplicates ---------------------------------------------------------------------


def test_caption_pipes_are_stripped() -> None:
    cleaned = clean_text("| Pemimpin Korea Utara bertemu Putin. |\nIa berkata begitu. |\n||x||")
    assert cleaned.lines == ["Pemimpin Korea Utara bertemu Putin.", "Ia berkata begitu.", "x"]
    assert cleaned.dropped == []


def test_repeated_caption_is_dropped_once() -> None:
    caption = "Putin dan Kim di Vostochny. - Foto: AFP"
    cleaned = clean_text(f"{caption}\n\n  Putin dan  Kim di Vostochny. -  Foto: AFP\nTeks.")
    assert cleaned.lines == [caption, "Teks."]
    assert [(d.line_no, d.reason) for d in cleaned.dropped] == [(2, "duplicate_line")]


def test_repeated_pipe_caption_is_dropped() -> None:
    cleaned = clean_text("| Kim bertemu Putin |\nKim bertemu Putin\nTeks.")
    assert cleaned.lines == ["Kim bertemu Putin", "Teks."]
    assert [(d.line_no, d.reason) for d in cleaned.dropped] == [(1, "duplicate_line")]


def test_repeated_sentence_is_kept() -> None:
    # NTREX has such pairs (a translator's slip); they are text and must not be dropped.
    cleaned = clean_text("Me ra kakua ni talairawarawa.\nMe ra kakua ni talairawarawa.")
    assert cleaned.lines == ["Me ra kakua ni talairawarawa."] * 2
    assert cleaned.dropped == []


# --- edge cases -------------------------------------------------------------------------------


def test_empty_string() -> None:
    cleaned = clean_text("")
    assert cleaned == CleanedText(lines=[], dropped=[])
    assert cleaned.text == ""


def test_blank_lines_are_layout_not_dropped() -> None:
    cleaned = clean_text("\n  \n\t\n\u200b\nSatu.\n\n\nDua.\n")
    assert cleaned.lines == ["Satu.", "Dua."]
    assert cleaned.dropped == []


def test_only_boilerplate() -> None:
    cleaned = clean_text("Sumber\n\nA\nA\nA\n[Iklan]\n\nKomen (0)")
    assert cleaned.lines == []
    assert cleaned.text == ""
    assert [(d.line_no, d.reason) for d in cleaned.dropped] == [
        (0, "dangling_source"),
        (2, "font_size_widget"),
        (3, "font_size_widget"),
        (4, "font_size_widget"),
        (5, "ad_placeholder"),
        (7, "comment_counter"),
    ]


def test_windows_line_endings() -> None:
    cleaned = clean_text("Perenggan satu.\r\n\r\nKomen (3)\r\nPerenggan dua.\r\n")
    assert cleaned.lines == ["Perenggan satu.", "Perenggan dua."]
    assert [(d.line_no, d.text, d.reason) for d in cleaned.dropped] == [
        (2, "Komen (3)", "comment_counter")
    ]


def test_nfd_input_becomes_nfc() -> None:
    latin = unicodedata.normalize("NFD", "Café à Hà Nội")
    bengali = unicodedata.normalize("NFD", "কোরিয়া")  # ো and য় decompose
    assert latin != "Café à Hà Nội" and bengali != "কোরিয়া"
    cleaned = clean_text(f"{latin}\n{bengali}")
    assert cleaned.lines == ["Café à Hà Nội", "কোরিয়া"]


def test_whitespace_and_invisible_characters() -> None:
    raw = "  Dua\t\tkata\u00a0 di\u200bsini\ufeff  \nا\u200fلف\x00\n\x84Da\x94 rekao je."
    assert clean_text(raw).lines == ["Dua kata disini", "الف", "„Da” rekao je."]


def test_zwj_and_zwnj_are_kept() -> None:
    persian = "می\u200cخواهم"  # ZWNJ: a different word without it
    bengali = "র\u200d্যাব"  # ZWJ: ya-phala form
    assert clean_text(f"{persian}\n{bengali}").lines == [persian, bengali]
