"""The input measurements of eval/: segmentation F1, language-ID accuracy, the cleaning fixture.

They run on a tiny NTREX-128 laid out in a temporary directory, so they need nothing from
../shared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.clean_fixture import ntrex_drops
from eval.langid_ntrex import extra_documents, marker_offenders, measure
from eval.segment_ntrex import paragraphs, score_language

ENGLISH = [
    "Storm hits coast",  # a headline: no sentence end
    "The storm reached the coast on Monday.",
    "Mr. Lee said roads were closed.",
    "Schools will stay shut.",
    "Power was cut in 3 towns.",
    "Rain is expected to continue.",
    "Officials urged calm. They said help was coming.",  # two sentences in one line
]
MALAY = [
    "Ribut landa pantai",
    "Ribut itu sampai ke pantai pada hari Isnin kerana angin kencang.",
    "En. Lee berkata jalan raya ditutup.",
    "Sekolah akan terus ditutup.",
    "Bekalan elektrik terputus di 3 bandar.",
    "Hujan dijangka berterusan.",
    "Pegawai menggesa orang ramai bertenang. Mereka berkata bantuan akan tiba.",
]
INDONESIAN = [
    "Badai melanda pantai",
    "Badai itu mencapai pantai pada hari Senin karena angin kencang.",
    "Pak Lee mengatakan jalan ditutup.",
    "Sekolah akan tetap tutup.",
    "Listrik padam di 3 kota.",
    "Hujan diperkirakan berlanjut.",
    "Pejabat meminta warga tenang. Mereka bilang bantuan akan datang.",
]
ARABIC = ["عاصفة تضرب الساحل", *["وصلت العاصفة إلى الساحل يوم الاثنين."] * 6]


@pytest.fixture
def tiny_ntrex(tmp_path: Path) -> Path:
    def write(name: str, lines: list[str]) -> None:
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    write("DOCUMENT_IDS.tsv", ["doc-1"] * len(ENGLISH))
    write("newstest2019-src.eng.txt", ENGLISH)
    write("newstest2019-ref.eng-US.txt", ENGLISH)
    write("newstest2019-ref.msa.txt", MALAY)
    write("newstest2019-ref.ind.txt", INDONESIAN)
    write("newstest2019-ref.arb.txt", ARABIC)
    return tmp_path


def test_segmentation_paragraphs_skip_headlines_and_multi_sentence_lines(
    tiny_ntrex: Path,
) -> None:
    # Lines 1-5 are five one-sentence lines; the headline and the two-sentence line are out.
    assert list(paragraphs(tiny_ntrex, "msa")) == [MALAY[1:6]]
    score = score_language(tiny_ntrex, "msa")
    assert (score.expected, score.predicted, score.true_positives) == (4, 4, 4)
    assert score.f1 == 1.0


def test_no_marker_occurs_in_the_other_variety(tiny_ntrex: Path) -> None:
    assert marker_offenders(tiny_ntrex) == []
    indonesian = tiny_ntrex / "newstest2019-ref.ind.txt"
    indonesian.write_text("Mereka datang kerana hujan dan bola sepak.\n", encoding="utf-8")
    assert marker_offenders(tiny_ntrex) == [
        "Malay phrase in Indonesian: bola sepak (1x)",
        "Malay marker in Indonesian: kerana (1x)",
    ]


def test_hand_written_languages_are_recognised() -> None:
    documents = extra_documents()
    assert set(documents) == {"asm_Beng", "arz_Arab", "ary_Arab"}
    for code, lines in documents.items():
        sentences, paragraph_accuracy = measure(code, lines)
        assert sentences.total >= 8 and paragraph_accuracy.total >= 2
        assert sentences.right == sentences.total, (code, sentences.wrong)
        assert paragraph_accuracy.right == paragraph_accuracy.total, code


def test_cleaning_drops_nothing_of_news(tiny_ntrex: Path) -> None:
    drops = ntrex_drops(tiny_ntrex)
    assert len(drops) == 5 and all(lines == [] for lines in drops.values())
