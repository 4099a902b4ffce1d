"""`newsflow compare`: two runs over the same inputs, per language, sacrebleu's paired bootstrap."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from eval.compare import CompareError, compare, load_system, paired_test, write_comparison
from eval.testset import read_lines
from newsflow.cli import app
from tests.sacrebleu_command import run_sacrebleu
from tests.test_eval import fake_evaluation

CELL = re.compile(r"(\d+\.\d) \((\d+\.\d) ± (\d+\.\d)\)")
P_VALUE = re.compile(r"\(p = (\d\.\d{4})\)")


def sacrebleu_paired(ref: Path, a: Path, b: Path) -> dict[str, list[str]]:
    """The table `sacrebleu REF -i A B --paired-bs` prints: per metric, the cells and p-value."""
    table = run_sacrebleu(ref, a, b, extra=("--paired-bs", "-f", "text"))
    lines = [line for line in table.splitlines() if "(" in line and "│" in line]
    cells = [CELL.findall(line) for line in lines if CELL.search(line)]
    p_values = P_VALUE.findall(next(line for line in lines if P_VALUE.search(line)))
    names = ("BLEU", "chrF++", "TER")
    return {
        name: [" ".join(cells[0][k]), " ".join(cells[1][k]), p_values[k]]
        for k, name in enumerate(names)
    }


def test_paired_test_equals_the_sacrebleu_command(ntrex_dir: Path, tmp_path: Path) -> None:
    def lines(code: str) -> list[str]:
        return read_lines(ntrex_dir / f"newstest2019-ref.{code}.txt")[:200]

    refs, hyps_a, hyps_b = lines("eng-US"), lines("eng-GB"), lines("eng-IN")
    for name, text in (("ref", refs), ("a", hyps_a), ("b", hyps_b)):
        (tmp_path / f"{name}.txt").write_text("\n".join(text) + "\n", encoding="utf-8")

    ours = paired_test(hyps_a, hyps_b, refs)

    printed = sacrebleu_paired(tmp_path / "ref.txt", tmp_path / "a.txt", tmp_path / "b.txt")
    for metric, (a, b, p_value) in ours.items():
        assert a.mean is not None and a.ci95 is not None and b.mean is not None
        assert b.ci95 is not None
        assert [
            f"{a.score:.1f} {a.mean:.1f} {a.ci95:.1f}",
            f"{b.score:.1f} {b.mean:.1f} {b.ci95:.1f}",
            f"{p_value:.4f}",
        ] == printed[metric]


def test_compare_pairs_documents_per_language(ntrex_dir: Path, tmp_path: Path) -> None:
    fake_evaluation(ntrex_dir, tmp_path / "a", "eng-GB", beams=4)
    fake_evaluation(ntrex_dir, tmp_path / "b", "eng-IN", beams=1)

    comparison = compare(tmp_path / "a", tmp_path / "b")

    assert [(r.language, r.metric) for r in comparison.rows] == [
        (lang, metric) for lang in ("msa", "ben") for metric in ("BLEU", "chrF++", "TER")
    ]
    assert {(r.n_documents, r.n_segments) for r in comparison.rows} == {(6, 96)}
    assert comparison.differences() == {"beams": (4, 1), "model": ("fake/eng-GB", "fake/eng-IN")}
    bleu = next(r for r in comparison.rows if r.language == "msa" and r.metric == "BLEU")
    assert bleu.delta < 0 and bleu.significant  # Indian English is further from American
    # A's side of the comparison is A's own evaluation: same score and interval
    scores = pd.read_parquet(tmp_path / "a" / "scores")
    own = scores[
        (scores["level"] == "language")
        & (scores["lang"] == "zsm_Latn")
        & (scores["metric"] == "BLEU")
    ].iloc[0]
    assert (bleu.a.score, bleu.a.mean, bleu.a.ci95) == pytest.approx(
        (own["score"], own["bootstrap_mean"], own["ci95"])
    )

    report = write_comparison(comparison, tmp_path / "c")
    assert "| msa | BLEU | 96 |" in report.markdown and "beams 4 → 1" in report.markdown
    assert (tmp_path / "c" / "compare.png").stat().st_size > 10_000
    assert len(pd.read_parquet(tmp_path / "c" / "compare.parquet")) == 6


def test_compare_reports_what_it_cannot_pair(ntrex_dir: Path, tmp_path: Path) -> None:
    fake_evaluation(ntrex_dir, tmp_path / "a", "eng-GB", beams=4, docs=6)
    fake_evaluation(ntrex_dir, tmp_path / "b", "eng-IN", beams=1, docs=4)

    comparison = compare(tmp_path / "a", tmp_path / "b")

    assert {r.n_documents for r in comparison.rows} == {4}
    assert "msa: 2 documents not in both runs" in " ".join(comparison.notes)
    with pytest.raises(CompareError, match="neither an evaluation nor"):
        load_system(tmp_path)
    result = CliRunner().invoke(
        app,
        ["compare", str(tmp_path / "a"), str(tmp_path / "nope"), "--output", str(tmp_path / "c")],
    )
    assert result.exit_code == 2 and "not a directory" in result.output


@pytest.mark.slow
def test_compare_command_on_two_beam_settings(
    tiny_models: tuple[Path, Path], prefect_server: None, ntrex_dir: Path, tmp_path: Path
) -> None:
    from eval.ntrex import build_ntrex
    from flows.evaluate import evaluate
    from newslib.config import RunConfig

    for name, beams in (("greedy", 1), ("beam2", 2)):
        out = tmp_path / name
        test_set = build_ntrex(ntrex_dir, ["msa"], out, docs=2)
        evaluate(
            test_set,
            RunConfig.model_validate(
                {
                    "output": out,
                    "model": str(tiny_models[0]),
                    "beams": beams,
                    "summarizer": str(tiny_models[1]),
                    "summarize": False,
                }
            ),
        )

    result = CliRunner().invoke(
        app,
        [
            "compare",
            str(tmp_path / "greedy"),
            str(tmp_path / "beam2"),
            "--output",
            str(tmp_path / "c"),
        ],
    )

    assert result.exit_code == 0, result.output
    assert "paired bootstrap" in result.output and "msa" in result.output
    assert "chrF++" in result.output and "significant" in result.output
    report = (tmp_path / "c" / "report.md").read_text(encoding="utf-8")
    assert "beams 1 → 2" in report and "| msa | TER | 22 |" in report
    assert (tmp_path / "c" / "compare.png").is_file()
    # the p-values are sacrebleu's own, on the scored text of both evaluations
    table = pd.read_parquet(tmp_path / "c" / "compare.parquet")
    p_values = dict(zip(table["metric"], table["p_value"], strict=True))
    printed = sacrebleu_paired(
        tmp_path / "greedy" / "text" / "msa.ref.txt",
        tmp_path / "greedy" / "text" / "msa.hyp.txt",
        tmp_path / "beam2" / "text" / "msa.hyp.txt",
    )
    for metric, (_, _, p_value) in printed.items():
        assert f"{p_values[metric]:.4f}" == p_value


def test_a_language_without_aligned_documents_gets_a_row_saying_why(
    ntrex_dir: Path, tmp_path: Path
) -> None:
    fake_evaluation(ntrex_dir, tmp_path / "a", "eng-GB", beams=4)
    fake_evaluation(ntrex_dir, tmp_path / "b", "eng-IN", beams=1)
    # Every Bengali translation of B gets one line too many: none is line-aligned any more.
    ben_run = json.loads((tmp_path / "b" / "eval.json").read_text("utf-8"))["runs"]["ben"]
    path = tmp_path / "b" / "articles" / f"{ben_run}.parquet"
    articles = pd.read_parquet(path)
    articles["translation"] = articles["translation"] + "\nan extra line"
    articles.to_parquet(path)

    comparison = compare(tmp_path / "a", tmp_path / "b")

    assert {r.language for r in comparison.rows} == {"msa"}
    assert comparison.uncompared == {"ben": "none of its 6 documents in B is line-aligned"}
    ben = [row for row in comparison.table() if row["language"] == "ben"]
    assert ben == [
        {
            "language": "ben",
            "metric": "all",
            "segments": 0,
            "A": "-",
            "B": "-",
            "B - A": "-",
            "p": "-",
            "significant": "not compared: none of its 6 documents in B is line-aligned",
        }
    ]
    report = write_comparison(comparison, tmp_path / "c")
    assert "| ben | all | 0 |" in report.markdown
