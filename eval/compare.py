"""Two runs over the same inputs, compared per language with sacrebleu's paired bootstrap test.

A run is an evaluation directory (written by `newsflow eval`, with `eval.json`: every language's
run) or a plain newsflow output directory scored with `--references` (its latest run). Documents
are paired by article id and file name; only documents line-aligned with the same reference in
both runs are compared. For each language and metric: both scores with their 95% intervals,
the difference, and the p-value of sacrebleu's paired bootstrap resampling (1,000 resamples,
the test `sacrebleu REF -i A B --paired-bs` runs): the difference is significant when p < 0.05.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from eval.charts import plot_scores
from eval.report import METRICS, Report, Score, markdown_table
from newslib.inputs.references import load_references
from newslib.scoring.score import N_BOOTSTRAP, aligned_documents, make_metrics

COMPARE_REPORT = "report.md"
COMPARE_CHART = "compare.png"
COMPARE_TABLE = "compare.parquet"
SIGNIFICANCE = 0.05


class CompareError(ValueError):
    """The two runs cannot be compared; the message says why."""


@dataclass
class Doc:
    hypotheses: list[str]
    references: list[str]


@dataclass
class System:
    """One side of a comparison: documents per language, and how the run was configured."""

    path: Path
    run_ids: list[str]
    config: dict[str, Any]
    languages: dict[str, dict[tuple[str, str], Doc]] = field(default_factory=dict)
    # Referenced documents that were not line-aligned with their reference, per language.
    misaligned: dict[str, int] = field(default_factory=dict)

    def missing(self, lang: str, side: str) -> str:
        """Why this side has no document of `lang` to compare."""
        if lang in self.misaligned:
            return f"none of its {self.misaligned[lang]} documents in {side} is line-aligned"
        return f"not in {side}"


def _runs_of(path: Path) -> dict[str, str | None]:
    """run id -> language label (None: label each article by its own language)."""
    manifest = path / "eval.json"
    if manifest.is_file():
        runs = json.loads(manifest.read_text(encoding="utf-8"))["runs"]
        return {run_id: code for code, run_id in runs.items()}
    if not (path / "runs").is_dir():
        raise CompareError(f"{path} is neither an evaluation nor a newsflow output directory")
    runs = pd.read_parquet(path / "runs")
    if runs.empty:
        raise CompareError(f"{path} has no complete run")
    return {str(runs.sort_values("started_at")["run_id"].iloc[-1]): None}


def load_system(path: Path) -> System:
    """The line-aligned, referenced documents of a run directory, per language."""
    run_ids = _runs_of(path)
    system: System | None = None
    for run_id, label in run_ids.items():
        run = pd.read_parquet(path / "runs" / f"{run_id}.parquet").iloc[0]
        config = json.loads(run["config_json"])
        if system is None:
            system = System(path, list(run_ids), config | {"model_revision": run["model_revision"]})
        if not config.get("references"):
            raise CompareError(f"run {run_id} in {path} was not scored (no --references)")
        references = Path(config["references"])
        if not references.is_absolute() and not references.exists():
            references = path / references
        refs = load_references(references)
        articles = pd.read_parquet(path / "articles" / f"{run_id}.parquet")
        roots = [Path(p) for p in config.get("inputs", [])]
        records = articles.to_dict("records")
        for article, doc in aligned_documents(records, refs, roots, strict=True):
            lang = label or str(article["source_lang"])
            if doc.alignment != "line":
                system.misaligned[lang] = system.misaligned.get(lang, 0) + 1
                continue
            key = (str(article["article_id"]), Path(str(article["source"])).name)
            system.languages.setdefault(lang, {})[key] = Doc(doc.hypotheses, doc.references)
    assert system is not None
    return system


@dataclass(frozen=True)
class CompareRow:
    language: str
    metric: str
    a: Score
    b: Score
    p_value: float
    n_documents: int
    n_segments: int

    @property
    def delta(self) -> float:
        return self.b.score - self.a.score

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE

    def record(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "metric": self.metric,
            "n_documents": self.n_documents,
            "n_segments": self.n_segments,
            "a_score": self.a.score,
            "a_mean": self.a.mean,
            "a_ci95": self.a.ci95,
            "b_score": self.b.score,
            "b_mean": self.b.mean,
            "b_ci95": self.b.ci95,
            "delta": self.delta,
            "p_value": self.p_value,
            "significant": self.significant,
        }


@dataclass
class Comparison:
    a: System
    b: System
    rows: list[CompareRow]
    notes: list[str]
    uncompared: dict[str, str] = field(default_factory=dict)  # language -> why not

    def differences(self) -> dict[str, tuple[Any, Any]]:
        """Settings that differ between the two runs (what the comparison is about)."""
        ignore = {"inputs", "output", "references", "source_lang"}
        keys = sorted((set(self.a.config) | set(self.b.config)) - ignore)
        return {
            k: (self.a.config.get(k), self.b.config.get(k))
            for k in keys
            if self.a.config.get(k) != self.b.config.get(k)
        }

    def table(self) -> list[dict[str, Any]]:
        """The printed table: per language and metric, A and B with intervals, B - A, p."""
        return [
            {
                "language": r.language,
                "metric": r.metric,
                "segments": r.n_segments,
                "A": r.a.text(),
                "B": r.b.text(),
                "B - A": f"{r.delta:+.1f}".replace("-0.0", "0.0").replace("+0.0", "0.0"),
                "p": f"{r.p_value:.4f}",
                "significant": "yes" if r.significant else "no",
            }
            for r in self.rows
        ] + [
            {
                "language": lang,
                "metric": "all",
                "segments": 0,
                "A": "-",
                "B": "-",
                "B - A": "-",
                "p": "-",
                "significant": f"not compared: {why}",
            }
            for lang, why in self.uncompared.items()
        ]


def paired_test(
    hyps_a: list[str], hyps_b: list[str], refs: list[str]
) -> dict[str, tuple[Score, Score, float]]:
    """sacrebleu's paired bootstrap (`--paired-bs`): metric -> (A, B, p-value of B vs A)."""
    from sacrebleu.significance import PairedTest

    metrics = make_metrics()
    test = PairedTest(
        [("A", hyps_a), ("B", hyps_b)], metrics, [refs], test_type="bs", n_samples=N_BOOTSTRAP
    )
    _, results = test()
    out = {}
    # PairedTest names results by the metric's own name (BLEU, chrF2++, TER), in our order
    for ours, theirs in zip(metrics, [k for k in results if k != "System"], strict=True):
        base, system = results[theirs]
        assert not isinstance(base, str) and not isinstance(system, str)
        out[ours] = (
            Score(float(base.score), base.mean, base.ci),
            Score(float(system.score), system.mean, system.ci),
            float(system.p_value if system.p_value is not None else 1.0),
        )
    return out


def compare(path_a: Path, path_b: Path) -> Comparison:
    """Pair the two runs' documents per language and run the paired test on each language."""
    a, b = load_system(path_a), load_system(path_b)
    rows: list[CompareRow] = []
    notes: list[str] = []
    uncompared: dict[str, str] = {}
    # A's order, then B's others; languages with no line-aligned document too, never dropped.
    languages = [*a.languages, *b.languages, *a.misaligned, *b.misaligned]
    for lang in dict.fromkeys(languages):
        docs_a, docs_b = a.languages.get(lang, {}), b.languages.get(lang, {})
        if not docs_a or not docs_b:
            why = [a.missing(lang, "A")] if not docs_a else []
            why += [b.missing(lang, "B")] if not docs_b else []
            uncompared[lang] = "; ".join(why)
            continue
        shared = [k for k in docs_a if k in docs_b and docs_a[k].references == docs_b[k].references]
        left_out = len(set(docs_a) | set(docs_b)) - len(shared)
        if left_out:
            notes.append(
                f"{lang}: {left_out} documents not in both runs with the same "
                "reference (or not line-aligned in one), left out"
            )
        if not shared:
            uncompared[lang] = "no document is in both runs with the same reference"
            continue
        hyps_a = [h for k in shared for h in docs_a[k].hypotheses]
        hyps_b = [h for k in shared for h in docs_b[k].hypotheses]
        refs = [r for k in shared for r in docs_a[k].references]
        for metric, (score_a, score_b, p_value) in paired_test(hyps_a, hyps_b, refs).items():
            rows.append(CompareRow(lang, metric, score_a, score_b, p_value, len(shared), len(refs)))
    if not rows:
        reasons = "; ".join(f"{lang}: {why}" for lang, why in uncompared.items())
        raise CompareError(
            f"{path_a} and {path_b} have no scored documents in common ({reasons or 'none'})"
        )
    notes += [f"{lang}: not compared: {why}" for lang, why in uncompared.items()]
    return Comparison(a, b, rows, notes, uncompared)


def render_markdown(comparison: Comparison) -> str:
    a, b = comparison.a, comparison.b
    differences = comparison.differences()
    parts = [
        "# newsflow comparison",
        "",
        f"- A: `{a.path}` (runs {', '.join(a.run_ids)})",
        f"- B: `{b.path}` (runs {', '.join(b.run_ids)})",
        "- B differs from A in: "
        + (", ".join(f"{k} {va!r} → {vb!r}" for k, (va, vb) in differences.items()) or "nothing"),
        "",
        markdown_table(comparison.table()),
        "",
        f"![A and B per language]({COMPARE_CHART})",
        "",
        "How to read it: **A** and **B** are corpus scores with sacrebleu's 95% bootstrap "
        "interval (± around the bootstrap mean); **B - A** is the difference (for TER, "
        "negative is better); **p** is the p-value of sacrebleu's paired bootstrap resampling "
        f"({N_BOOTSTRAP} resamples, `sacrebleu REF -i A B --paired-bs`), and the difference is "
        f"**significant** when p < {SIGNIFICANCE}. Only documents present in both runs, "
        "line-aligned with the same reference, are compared.",
    ]
    if comparison.notes:
        parts += ["", "## Notes", "", *(f"- {note}" for note in comparison.notes)]
    return "\n".join(parts) + "\n"


def write_comparison(comparison: Comparison, output: Path) -> Report:
    """report.md, compare.png and compare.parquet in `output`."""
    output.mkdir(parents=True, exist_ok=True)
    series: list[tuple[str, dict[str, dict[str, Score]]]] = [("A", {}), ("B", {})]
    marks = {}
    for row in comparison.rows:
        series[0][1].setdefault(row.language, {})[row.metric] = row.a
        series[1][1].setdefault(row.language, {})[row.metric] = row.b
        if row.significant:
            marks[(row.language, row.metric)] = "*"
    title = f"A: {comparison.a.path.name}  vs  B: {comparison.b.path.name}  (* p < {SIGNIFICANCE})"
    plot_scores(series, METRICS, output / COMPARE_CHART, title, marks)
    pd.DataFrame([r.record() for r in comparison.rows]).to_parquet(output / COMPARE_TABLE)
    markdown = render_markdown(comparison)
    (output / COMPARE_REPORT).write_text(markdown, encoding="utf-8")
    return Report(markdown, comparison.table(), output / COMPARE_REPORT, output / COMPARE_CHART)
