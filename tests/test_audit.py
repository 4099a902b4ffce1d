"""`newsflow check`: any translation audited with the quality checks, no model involved."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from newsflow.cli import EXIT_CANNOT_RUN, EXIT_OK, app
from newslib.checks.audit import AUDIT_CHECKS, AuditInputError, audit_rows, read_pairs

SOURCE = [
    "Perdana Menteri berkata kerajaan akan membantu rakyat menghadapi kenaikan kos sara hidup.",
    "Seramai 12 orang cedera dalam kemalangan itu pada pukul 10 pagi.",
    "Harga minyak naik 4.5 peratus minggu lalu.",
    "Menteri itu tiba di Kuala Lumpur pada hari Isnin untuk lawatan rasmi selama tiga hari.",
    "",
]
TRANSLATION = [
    "The Prime Minister said the government will help people cope with the rising cost of living.",
    "Twelve people were injured in the accident at 10 a.m.",
    "Oil prices rose 45 percent last week.",  # a decimal lost
    "Le ministre est arrivé à Kuala Lumpur lundi pour une visite officielle de trois jours.",
    "",
]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_check_writes_flags_per_line_and_a_summary(tmp_path: Path) -> None:
    source = _write(tmp_path / "src.ms", SOURCE)
    translation = _write(tmp_path / "hyp.en", TRANSLATION)
    out = tmp_path / "audit"
    result = CliRunner().invoke(
        app,
        ["check", "--source", str(source), "--translation", str(translation),
         "--source-lang", "zsm_Latn", "--output", str(out)],
    )  # fmt: skip
    assert result.exit_code == EXIT_OK, result.output
    segments = pd.read_parquet(out / "segments.parquet")
    assert list(segments["line"]) == [1, 2, 3, 4, 5]
    assert [list(f) for f in segments["flags"]] == [[], [], ["numbers"], ["off_target"], []]
    assert segments.loc[3, "output_lang"] == "fra_Latn"
    assert segments.loc[0, "output_lang"] == "eng_Latn"
    summary = pd.read_parquet(out / "summary.parquet").set_index("flag")
    assert summary.loc["numbers", "lines"] == 1 and summary.loc["off_target", "lines"] == 1
    assert summary.loc["any", "lines"] == 2
    assert set(summary.index) == {*AUDIT_CHECKS, "any"}
    assert "off_target" in result.output


def test_check_reads_a_table_with_both_columns(tmp_path: Path) -> None:
    table = tmp_path / "pairs.csv"
    pd.DataFrame({"source": SOURCE[:3], "translation": TRANSLATION[:3]}).to_csv(table, index=False)
    rows = audit_rows(read_pairs(table, None), "zsm_Latn")
    assert [r["flags"] for r in rows] == [[], [], ["numbers"]]


def test_misaligned_files_and_unknown_codes_stop_with_the_reason(tmp_path: Path) -> None:
    source = _write(tmp_path / "src", SOURCE)
    short = _write(tmp_path / "hyp", TRANSLATION[:2])
    with pytest.raises(AuditInputError, match="line-aligned"):
        read_pairs(source, short)
    with pytest.raises(AuditInputError, match="NLLB code"):
        audit_rows([("a", "b")], "malay")
    result = CliRunner().invoke(
        app, ["check", "--source", str(source), "--translation", str(short),
              "--source-lang", "zsm_Latn", "--output", str(tmp_path / "o")],
    )  # fmt: skip
    assert result.exit_code == EXIT_CANNOT_RUN
    assert "line-aligned" in result.output
    assert not (tmp_path / "o").exists()
