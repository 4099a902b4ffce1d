"""Flagged segments are decoded again once, in one batched call per language, and say so."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from newslib.batch import (
    CLAUSE_SPLIT,
    SAFER_DECODING,
    assemble_articles,
    split_at_clause,
    translate_segments,
    translate_titles,
)
from newslib.checks.flags import repair_stats
from newslib.engines.transformers_translator import ProgressCallback, Translation
from newslib.inputs.ingest import RawArticle
from newslib.output.schema import FLAGS
from newslib.output.write import to_table
from newslib.text.prepare import prepare_article

LOOP = "The minister said that the minister said that the minister said that the minister"
SOURCES = {
    "loop": "Menteri berkata bahawa kerajaan akan membantu rakyat.",
    "long": (
        "Menteri berkata kerajaan akan membantu rakyat, terutama mereka yang berpendapatan rendah."
    ),
    "good": "Menteri itu tiba di Kuala Lumpur pada hari Isnin.",
    "worse": "Harga minyak naik 5 peratus minggu lalu di seluruh negara.",
}


class ScriptedTranslator:
    """Answers from a script: first outputs, and the outputs of the safer second decoding."""

    name = "scripted"
    model_seconds = 0.0

    def __init__(self, first: dict[str, Translation], repaired: dict[str, Translation]) -> None:
        self.first, self.repaired = first, repaired
        self.calls: list[tuple[list[str], str, bool]] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def translate(
        self,
        texts: Sequence[str],
        src_lang: str,
        progress: ProgressCallback | None = None,
        *,
        repair: bool = False,
    ) -> list[Translation]:
        self.calls.append((list(texts), src_lang, repair))
        script = self.repaired if repair else self.first
        return [script[text] for text in texts]


def _out(text: str, hit_limit: bool = False) -> Translation:
    return Translation(text, src_tokens=12, out_tokens=len(text.split()), max_new_tokens=34,
                       hit_limit=hit_limit)  # fmt: skip


def _segment(key: str, index: int, lang: str = "zsm_Latn") -> dict[str, Any]:
    return {
        "article_id": "a1",
        "line_index": 0,
        "segment_index": index,
        "source_lang": lang,
        "source_text": SOURCES[key],
        "translated": True,
        "flag_language_mismatch": False,
    }


@pytest.fixture
def scripted() -> ScriptedTranslator:
    halves = split_at_clause(SOURCES["long"])
    assert halves is not None
    return ScriptedTranslator(
        first={
            SOURCES["loop"]: _out(LOOP),
            SOURCES["long"]: _out("The minister said the government will help", hit_limit=True),
            SOURCES["good"]: _out("The minister arrived in Kuala Lumpur on Monday."),
            SOURCES["worse"]: _out("Oil prices rose 5 percent last week across the country."),
        },
        repaired={
            SOURCES["loop"]: _out("The minister said the government would help the people."),
            halves[0]: _out("The minister said the government will help the people,"),
            halves[1]: _out("especially those on low incomes."),
        },
    )


def test_flagged_segments_are_repaired_in_one_call_and_the_rows_say_how(
    scripted: ScriptedTranslator,
) -> None:
    segments = [_segment("loop", 0), _segment("long", 1), _segment("good", 2)]
    translate_segments(segments, scripted)

    assert [(lang, repair) for _, lang, repair in scripted.calls] == [
        ("zsm_Latn", False),
        ("zsm_Latn", True),
    ]
    loop, long, good = segments
    assert loop["first_flags"][0] == "repetition"  # (a loop is often too long as well)
    assert loop["repair"] == SAFER_DECODING and loop["repair_kept"]
    assert loop["first_translation"] == LOOP
    assert loop["translation"] == "The minister said the government would help the people."
    assert not any(loop[f"flag_{name}"] for name in FLAGS)

    # Truncated with a clause boundary: the halves are decoded apart and joined.
    assert long["first_flags"][0] == "length_limit"  # (and too short for its source)
    assert long["repair"] == CLAUSE_SPLIT and long["repair_kept"]
    assert long["translation"] == (
        "The minister said the government will help the people, especially those on low incomes."
    )
    assert not long["flag_length_limit"] and long["src_tokens"] == 12

    assert good["repair"] is None and not good["repair_kept"] and good["first_flags"] == []
    assert good["first_translation"] is None
    # Only the flagged segments went to the second call.
    repaired_texts = scripted.calls[1][0]
    assert SOURCES["good"] not in repaired_texts and SOURCES["loop"] in repaired_texts


def test_a_repair_that_raises_more_flags_is_not_kept(scripted: ScriptedTranslator) -> None:
    first = "Oil prices rose 5 percent last week across the country."
    scripted.first[SOURCES["worse"]] = _out(first, hit_limit=True)
    # No clause boundary: decoded whole, and the second output loses the number and loops.
    scripted.repaired[SOURCES["worse"]] = _out("Oil prices rose rose rose rose last week.")
    segments = [_segment("worse", 0)]
    translate_segments(segments, scripted)
    (row,) = segments
    assert row["repair"] == SAFER_DECODING and not row["repair_kept"]
    assert row["translation"] == first and row["first_translation"] is None
    assert row["first_flags"] == ["length_limit"] and row["flag_length_limit"]
    assert not row["flag_numbers"]


def test_headlines_are_checked_and_repaired_and_keep_the_flags_left(
    scripted: ScriptedTranslator,
) -> None:
    number = "Harga minyak naik 5 peratus"  # its repair still drops the number
    scripted.first[number] = _out("Oil prices rise rise rise rise rise rise rise rise")
    scripted.repaired[number] = _out("Oil prices rise sharply")
    articles: list[dict[str, Any]] = [
        {"status": "ok", "source_lang": "zsm_Latn", "title": SOURCES["loop"]},
        {"status": "ok", "source_lang": "zsm_Latn", "title": SOURCES["good"]},
        {"status": "ok", "source_lang": "zsm_Latn", "title": number},
        {"status": "ok", "source_lang": "eng_Latn", "title": "Oil prices rise 5 percent"},
        {"status": "ok", "source_lang": "zsm_Latn", "title": None},
        {"status": "failed", "source_lang": None, "title": SOURCES["loop"]},
    ]
    translate_titles(articles, scripted, "eng_Latn")
    loop, good, numbers, english, untitled, failed = articles
    assert loop["title_translation"] == "The minister said the government would help the people."
    assert loop["title_flags"] == []  # the loop was repaired
    assert good["title_flags"] == [] and good["title_translation"].endswith("on Monday.")
    assert numbers["title_translation"] == "Oil prices rise sharply"
    assert numbers["title_flags"] == ["numbers"]  # what the repair could not mend is said
    assert english["title_translation"] == english["title"] and english["title_flags"] == []
    assert "title_flags" not in untitled and "title_flags" not in failed
    # All titles of a language in one call, then the flagged ones in one repair call.
    assert [(len(texts), repair) for texts, _, repair in scripted.calls] == [(3, False), (2, True)]


def test_each_language_gets_one_repair_call(scripted: ScriptedTranslator) -> None:
    scripted.first |= {"Seorang menteri berkata.": _out(LOOP)}
    scripted.repaired |= {"Seorang menteri berkata.": _out("A minister said.")}
    segments = [_segment("loop", 0), _segment("good", 1, lang="ind_Latn")]
    segments.append(_segment("loop", 2) | {"source_text": "Seorang menteri berkata.",
                                          "source_lang": "ind_Latn"})  # fmt: skip
    translate_segments(segments, scripted)
    repairs = [(lang, texts) for texts, lang, repair in scripted.calls if repair]
    assert repairs == [
        ("ind_Latn", ["Seorang menteri berkata."]),
        ("zsm_Latn", [SOURCES["loop"]]),
    ]


def test_articles_count_flags_and_repairs_and_runs_get_a_rate(
    scripted: ScriptedTranslator,
) -> None:
    segments = [_segment("loop", 0), _segment("long", 1), _segment("good", 2)]
    passthrough = _segment("good", 3) | {"source_lang": "eng_Latn", "translated": False,
                                          "flag_language_mismatch": True}  # fmt: skip
    segments.append(passthrough)
    translate_segments(segments, scripted)
    article = {"article_id": "a1", "status": "ok", "n_lines": 1}
    assemble_articles([article], segments)
    assert article["n_repaired"] == 2
    assert article["n_flag_language_mismatch"] == 1
    assert all(article[f"n_flag_{name}"] == 0 for name in FLAGS if name != "language_mismatch")
    assert passthrough["translation"] == passthrough["source_text"]
    assert passthrough["first_flags"] == ["language_mismatch"] and passthrough["repair"] is None
    assert repair_stats(segments) == {"n_repaired": 2, "repair_rate": pytest.approx(2 / 3)}
    # The rows cast to the documented schema, and every flag filters as a boolean in pandas.
    frame = to_table("segments", segments).to_pandas()
    for name in FLAGS:
        assert frame[f"flag_{name}"].dtype == bool
    assert list(frame[frame.flag_language_mismatch].segment_index) == [3]
    assert list(frame[frame.repair.notna()].segment_index) == [0, 1]
    assert frame["first_flags"].iloc[0][0] == "repetition"


def test_split_at_clause_picks_the_boundary_nearest_the_middle() -> None:
    assert split_at_clause("one two three, four five six, seven eight nine ten eleven") == [
        "one two three, four five six,",
        "seven eight nine ten eleven",
    ]
    assert split_at_clause("প্রধানমন্ত্রী বলেছেন, সরকার নতুন পদক্ষেপ নেবে") == [
        "প্রধানমন্ত্রী বলেছেন,",
        "সরকার নতুন পদক্ষেপ নেবে",
    ]
    assert split_at_clause("قال رئيس الوزراء، إن الحكومة ستتخذ إجراءات") is not None
    assert split_at_clause("No boundary in this sentence at all") is None
    assert split_at_clause("Tiny, and then a much longer clause follows here") is None
    assert split_at_clause("It cost 3,500 ringgit in total last year") is None  # not in numbers


def test_a_mixed_paragraph_is_translated_sentence_by_sentence() -> None:
    text = (
        "Perdana Menteri berkata kerajaan akan memperkenalkan langkah baharu untuk membantu "
        'rakyat. "We will not leave anyone behind in this difficult time," he told reporters '
        "in Kuala Lumpur. Beliau berkata demikian selepas mempengerusikan mesyuarat kabinet.\n"
        "Menurut kenyataan itu, bantuan tunai akan diberikan kepada isi rumah berpendapatan "
        "rendah mulai bulan depan."
    )
    raw = RawArticle(article_id="m1", source="m1.txt", text=text, error=None)
    article, segments = prepare_article(
        raw, source_lang=None, target_lang="eng_Latn",
        count_tokens=lambda t: len(t) // 3 + 1, max_segment_tokens=200,
    )  # fmt: skip
    assert article["source_lang"] == "zsm_Latn"
    langs = [(s["source_lang"], s["translated"], s["flag_language_mismatch"]) for s in segments]
    assert langs == [
        ("zsm_Latn", True, False),
        ("eng_Latn", False, True),  # the English quote passes through as it is
        ("zsm_Latn", True, False),
        ("zsm_Latn", True, False),
    ]
    # A language given by the user is not second-guessed.
    _, given = prepare_article(
        raw, source_lang="zsm_Latn", target_lang="eng_Latn",
        count_tokens=lambda t: len(t) // 3 + 1, max_segment_tokens=200,
    )  # fmt: skip
    assert {s["source_lang"] for s in given} == {"zsm_Latn"}
    assert not any(s["flag_language_mismatch"] for s in given)


def test_an_english_sentence_in_a_bengali_paragraph_is_passed_through() -> None:
    text = (
        "প্রধানমন্ত্রী বলেছেন যে সরকার জীবনযাত্রার ব্যয় বৃদ্ধির মোকাবিলায় নতুন পদক্ষেপ নেবে। "
        "The minister said the new rules would apply from next month. "
        "তিনি মন্ত্রিসভার বৈঠকের পরে এ কথা বলেন।"
    )
    raw = RawArticle(article_id="b1", source="b1.txt", text=text, error=None)
    _, segments = prepare_article(
        raw, source_lang=None, target_lang="eng_Latn",
        count_tokens=lambda t: len(t) // 3 + 1, max_segment_tokens=200,
    )  # fmt: skip
    assert [s["source_lang"] for s in segments] == ["ben_Beng", "eng_Latn", "ben_Beng"]
    assert [s["flag_language_mismatch"] for s in segments] == [False, True, False]


def test_tiny_model_segments_forced_to_the_limit_are_decoded_again(
    tiny_models: tuple[Path, Path],
) -> None:
    from newslib.engines.models import ModelSource, load_seq2seq
    from newslib.engines.transformers_translator import TransformersTranslator

    tokenizer, model = load_seq2seq(ModelSource(str(tiny_models[0]), True, "test"), "cpu")
    translator = TransformersTranslator(
        tokenizer, model, target_lang="eng_Latn", beams=1, token_budget=256
    )
    translator.model_max = 3  # a tiny output budget: every output reaches it
    calls: list[bool] = []
    translate = translator.translate

    def spy(*args: Any, **kwargs: Any) -> list[Translation]:
        calls.append(kwargs.get("repair", False))
        return translate(*args, **kwargs)

    translator.translate = spy  # type: ignore[method-assign]
    segments = [_segment("loop", 0), _segment("long", 1), _segment("good", 2)]
    translate_segments(segments, translator)

    assert calls == [False, True]
    for row in segments:
        assert "length_limit" in row["first_flags"]
        assert row["repair"] in (SAFER_DECODING, CLAUSE_SPLIT)
        assert row["max_new_tokens"] <= 2 * 3  # a clause split has two limits
    assert segments[1]["repair"] == CLAUSE_SPLIT
    assert segments[0]["repair"] == SAFER_DECODING
    frame = pd.DataFrame(segments)
    assert frame["flag_length_limit"].dtype == bool
    assert repair_stats(segments)["repair_rate"] == 1.0


def test_the_end_table_shows_every_flag_and_the_repair_rate(tmp_path: Path) -> None:
    from newsflow.cli import console, print_summary

    summary = {
        "run_id": "r1", "n_ok": 2, "n_failed": 0, "n_cached": 0, "languages": {"zsm_Latn": 2},
        "n_segments": 10, "wall_seconds": 1.0, "model_seconds": 0.5, "corpus_scores": {},
        "failures": [], "flags": dict.fromkeys(FLAGS, 0) | {"numbers": 3},
        "n_repaired": 2, "repair_rate": 0.2,
    }  # fmt: skip
    with console.capture() as captured:
        print_summary(summary, tmp_path)
    table = captured.get()
    for name in FLAGS:
        assert f"flagged {name}" in table
    assert "2 (20.0% of translated)" in table


def test_off_target_output_is_decoded_again() -> None:
    french = "Le ministre est arrivé à Kuala Lumpur lundi pour une visite officielle."
    english = "The minister arrived in Kuala Lumpur on Monday."
    translator = ScriptedTranslator(
        first={SOURCES["good"]: _out(french)}, repaired={SOURCES["good"]: _out(english)}
    )
    segments = [_segment("good", 0)]
    translate_segments(segments, translator)
    (row,) = segments
    assert "off_target" in row["first_flags"]
    assert row["repair"] == SAFER_DECODING and row["repair_kept"]
    assert row["translation"] == english and row["output_lang"] == "eng_Latn"
    assert not row["flag_off_target"] and row["first_translation"] == french


def test_an_output_the_model_doubts_far_more_than_the_others_is_low_confidence() -> None:
    # 30 outputs of one language in one batch: the threshold is taken from their scores.
    sources = [f"Menteri itu tiba di bandar nombor {n} pada hari Isnin." for n in range(30)]
    outputs = [f"The minister arrived in town number {n} on Monday." for n in range(30)]
    first = {
        s: Translation(o, 12, 10, 34, False, log_prob=-0.4 - 0.01 * (n % 7))
        for n, (s, o) in enumerate(zip(sources, outputs, strict=True))
    }
    doubted = sources[5]
    first[doubted] = Translation(outputs[5], 12, 10, 34, False, log_prob=-3.0)
    repaired = {doubted: Translation(outputs[5], 12, 10, 34, False, log_prob=-0.45)}
    translator = ScriptedTranslator(first, repaired)
    segments = [{**_segment("good", n), "source_text": s} for n, s in enumerate(sources)]
    translate_segments(segments, translator)
    flagged = [s for s in segments if "low_confidence" in s["first_flags"]]
    assert [s["source_text"] for s in flagged] == [doubted]
    row = flagged[0]
    assert row["repair"] == SAFER_DECODING and row["repair_kept"]
    assert row["log_prob"] == -0.45 and not row["flag_low_confidence"]
    assert all(s["log_prob"] is not None for s in segments)
    # Read back from Parquet: the score and the detected language are columns.
    frame = to_table("segments", segments).to_pandas()
    assert frame["log_prob"].notna().all() and set(frame["output_lang"]) == {"eng_Latn"}
