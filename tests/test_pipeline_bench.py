"""The end-to-end benchmark's pieces on the tiny models (the full-size run is
`python -m benchmarks.bench --pipeline`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.pipeline import choose_documents, markdown, parse_args, row_of, write_articles
from benchmarks.pipeline_outputs import ReferenceLines
from benchmarks.pipeline_worker import (
    MODEL_STAGES,
    NAIVE,
    NEWSFLOW,
    NEWSFLOW_TRANSFORMERS,
    Job,
    Measured,
    articles_of,
    run_naive,
    run_newsflow,
)


def test_documents_are_the_first_short_ones_in_turn_per_language(ntrex_dir: Path) -> None:
    chosen = choose_documents(ntrex_dir, 3, 16)
    assert [lang for _, lang in chosen] == ["zsm_Latn", "ben_Beng", "arb_Arab"]
    assert len({doc for doc, _ in chosen}) == 3
    ids = (ntrex_dir / "DOCUMENT_IDS.tsv").read_text().splitlines()
    for doc, _ in chosen:
        assert 0 < sum(line.split("\t")[0] == doc for line in ids) <= 16
    assert len(choose_documents(ntrex_dir, 3, 0)) == 3


def test_rows_carry_rate_ratio_and_shares() -> None:
    stages = {"prepare": 1.0, "translate": 6.0, "repair": 1.0, "summarize": 2.0, "score": 0.5}
    stages["stories"] = 0.0
    naive = row_of(NAIVE, Measured(60.0, 60.0, 3, 3, 14, stage_seconds={"translate": 45.0}), None)
    measured = Measured(
        12.0, 9.0, 3, 3, 14, repair_rate=0.5, stage_seconds=stages, peak_bytes=2**30
    )
    ours = row_of(NEWSFLOW, measured, 3.0)
    assert naive["articles_per_minute"] == pytest.approx(3.0)
    assert ours["articles_per_minute"] == pytest.approx(15.0)
    assert ours["speed_vs_naive"] == pytest.approx(5.0)
    assert ours["speed_vs_naive_without_repair"] == pytest.approx(60 * 3 / 11.0 / 3.0)
    assert naive["speed_vs_naive_without_repair"] is None
    assert ours["summarize_share"] == pytest.approx(2.0 / 9.0)
    assert ours["stage_share"]["translate"] == pytest.approx(0.5)
    assert ours["stage_share"]["write"] == 0.0
    table = markdown([naive, ours])
    assert (
        "| newsflow | 3 | 14 | 15.00 | 5.00x | 8% | 50% | 8% | 17% | 0% | 4% | 0% | 22% "
        "| 50% | 5.45x | 1.00 GiB |" in (table)
    )


def test_quick_is_the_default_configurations() -> None:
    args = parse_args(["--quick"])
    assert args.quick and args.configs == [NAIVE, NEWSFLOW] and args.beams == 4
    assert args.outputs == "references" and parse_args(["--outputs", "model"]).outputs == "model"


def test_a_segment_gets_the_english_of_its_line_or_of_its_share_of_it(tmp_path: Path) -> None:
    for folder, lines in (
        ("inputs", ["Satu  dua tiga.", "", "Empat lima enam tujuh. Lapan sembilan sepuluh."]),
        ("references", ["One two three.", "", "Four five six seven. Eight nine ten."]),
    ):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "000_doc__zsm_Latn.txt").write_text("\n".join(lines), "utf-8")
    references = ReferenceLines.read(tmp_path / "inputs", tmp_path / "references")
    assert references.english_of("Satu dua tiga.") == "One two three."  # spaces collapsed
    assert references.english_of("Lapan sembilan sepuluh.") == "Eight nine ten."
    assert references.english_of("Empat lima enam tujuh.") == "Four five six seven."
    assert references.english_of("Tiada di sini.") is None
    assert references.share == pytest.approx(3 / 4)


@pytest.mark.slow
def test_each_configuration_runs_the_articles_with_forced_lengths(
    tiny_models: tuple[Path, Path], ntrex_dir: Path, prefect_server: None, tmp_path: Path
) -> None:
    import pandas as pd

    chosen = choose_documents(ntrex_dir, 3, 16)
    write_articles(ntrex_dir, chosen, tmp_path)
    sentences = sum(len(s) for _, s in articles_of(tmp_path / "inputs"))
    for configuration in (NAIVE, NEWSFLOW, NEWSFLOW_TRANSFORMERS):
        job = Job(
            configuration,
            str(tiny_models[0]),
            str(tiny_models[1]),
            str(tmp_path / "inputs"),
            str(tmp_path / "references"),
            str(tmp_path / configuration),
            str(tmp_path / "warmup"),
            7,
            2,
        )
        measured = run_naive(job) if configuration == NAIVE else run_newsflow(job)
        assert (measured.articles, measured.ok) == (3, 3), configuration
        assert measured.sentences >= sentences  # newsflow may split a long sentence
        assert measured.stage_seconds["translate"] > 0 and measured.stage_seconds["summarize"] > 0
        if configuration != NAIVE:
            assert measured.stage_seconds["score"] > 0 and measured.stage_seconds["write"] > 0
            assert measured.model_seconds > 0
            segments = pd.read_parquet(tmp_path / configuration / "out" / "segments")
            # every first output exactly 7 tokens, ended by the model: none cut off
            first = segments[segments["repair"].isna()]
            assert (first["out_tokens"] == 7).all() and not first["flag_length_limit"].any()
            # the outputs' words are the NTREX English of their sentences
            assert measured.reference_share == 1.0
            english = {
                line
                for path in (tmp_path / "references").glob("*.txt")
                for line in path.read_text("utf-8").splitlines()
            }
            whole = segments[segments["translation"].isin(english)]
            assert len(whole) >= 0.8 * len(segments)
        assert sum(measured.stage_seconds.get(s, 0.0) for s in MODEL_STAGES) <= measured.seconds
