"""Off-target and partly untranslated outputs: the language of every output, and of its halves."""

from __future__ import annotations

import pytest

from newslib.checks.flags import check_output, low_confidence_threshold
from newslib.checks.language import halves, output_language

MALAY = (
    "Perdana Menteri berkata kerajaan akan memperkenalkan langkah baharu untuk membantu rakyat "
    "menghadapi kenaikan kos sara hidup."
)
MALAY_EN = (
    "The Prime Minister said the government will introduce new measures to help people cope "
    "with the rising cost of living."
)
FRENCH = (
    "Le Premier ministre a déclaré que le gouvernement allait introduire de nouvelles mesures "
    "pour aider la population à faire face à la hausse du coût de la vie."
)
INDONESIAN = (
    "Perdana Menteri mengatakan pemerintah akan memperkenalkan langkah-langkah baru untuk "
    "membantu masyarakat menghadapi kenaikan biaya hidup."
)


def test_english_output_is_english_and_raises_nothing() -> None:
    checked = check_output(MALAY, MALAY_EN, "zsm_Latn", hit_limit=False)
    assert checked.flags == [] and checked.output_lang == "eng_Latn"


@pytest.mark.parametrize(("output", "code"), [(FRENCH, "fra_Latn"), (INDONESIAN, "ind_Latn")])
def test_output_in_another_language_is_off_target(output: str, code: str) -> None:
    checked = check_output(MALAY, output, "zsm_Latn", hit_limit=False)
    assert "off_target" in checked.flags
    assert checked.output_lang == code


def test_output_copied_from_the_source_is_off_target_and_untranslated() -> None:
    checked = check_output(MALAY, MALAY, "zsm_Latn", hit_limit=False)
    assert {"off_target", "untranslated"} <= set(checked.flags)


def test_english_then_the_source_is_partly_untranslated() -> None:
    english_words, malay_words = MALAY_EN.split(), MALAY.split()
    mixed = " ".join(english_words[:8] + malay_words[8:])
    language = output_language(mixed, "zsm_Latn")
    assert language.partly_source
    assert "untranslated" in check_output(MALAY, mixed, "zsm_Latn", hit_limit=False).flags


def test_halves_split_long_outputs_only() -> None:
    assert halves("one two three") == []
    assert halves("one two three four five six seven") == ["one two three", "four five six seven"]


def test_low_confidence_threshold_comes_from_the_scores_themselves() -> None:
    assert low_confidence_threshold([-0.5] * 5) is None  # too few to judge
    scores = [-0.5 - 0.01 * (i % 10) for i in range(100)]
    threshold = low_confidence_threshold([*scores, None, float("nan")])
    assert threshold is not None and -1.0 < threshold < min(scores)
    # The scale is the run's own: a model whose outputs all score lower gets a lower threshold.
    lower = low_confidence_threshold([s - 2 for s in scores])
    assert lower is not None and lower == pytest.approx(threshold - 2)


def test_english_function_words_spare_the_detector_only_for_english() -> None:
    from newslib.checks.language import reads_as_english

    assert reads_as_english(MALAY_EN)
    assert not reads_as_english(FRENCH)
    assert not reads_as_english(INDONESIAN)
    assert not reads_as_english("Das war ein Mann, der will nach Hause.")  # German "was", "will"
    assert not reads_as_english("Yes.")  # too few words to say
