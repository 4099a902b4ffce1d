"""What an evaluation shows: per-language scores with intervals, as Markdown, a table and a chart.

Everything is read back from the datasets the production flow wrote (`scores/`, `articles/`,
`segments/`, `runs/`), so the report shows exactly what was stored. The hypothesis and
reference text of every language is written to `text/` in the order it was scored, so the
`sacrebleu` command prints the same scores and intervals from it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from eval.charts import plot_scores
from eval.testset import TestSet
from newslib.inputs.references import load_references
from newslib.scoring.score import N_BOOTSTRAP, UNSCORED, aligned_documents

METRICS = ("BLEU", "chrF++", "TER")
REPORT = "report.md"
CHART = "scores.png"
MANIFEST = "eval.json"


@dataclass(frozen=True)
class Score:
    """A corpus score and sacrebleu's bootstrap interval around it (μ ± ci95)."""

    score: float
    mean: float | None = None
    ci95: float | None = None

    @property
    def low(self) -> float | None:
        return None if self.mean is None or self.ci95 is None else self.mean - self.ci95

    @property
    def high(self) -> float | None:
        return None if self.mean is None or self.ci95 is None else self.mean + self.ci95

    def text(self) -> str:
        """`41.3 (41.2 ± 1.1)`: score (μ ± 95% CI), exactly as sacrebleu prints it (1 decimal)."""
        if self.mean is None or self.ci95 is None:
            return f"{self.score:.1f}"
        return f"{self.score:.1f} ({self.mean:.1f} ± {self.ci95:.1f})"


@dataclass
class LanguageResult:
    """One language of an evaluation: one production run."""

    code: str
    nllb: str
    run_id: str
    documents_total: int
    segments_total: int
    n_documents: int = 0  # scored
    n_segments: int = 0  # scored hypothesis/reference pairs (test-set lines)
    scores: dict[str, Score] = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)
    bootstrap: str | None = None
    misaligned: list[tuple[str, str]] = field(default_factory=list)  # (source, note)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    unreferenced: list[str] = field(default_factory=list)  # ok articles without a reference
    n_sentences: int = 0  # segments the model translated (sentences)
    flags: dict[str, int] = field(default_factory=dict)  # flag column -> sentences flagged
    n_flagged: int = 0  # sentences with any flag
    n_cached: int = 0
    wall_seconds: float = 0.0
    model_seconds: float = 0.0

    def per_thousand(self, seconds: float) -> float | None:
        return 1000 * seconds / self.n_segments if self.n_segments else None

    @property
    def complete(self) -> bool:
        return not (self.misaligned or self.failed or self.unreferenced)


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _run_file(output: Path, dataset: str, run_id: str) -> pd.DataFrame:
    return pd.read_parquet(output / dataset / f"{run_id}.parquet")


def language_result(
    output: Path, code: str, nllb: str, run_id: str, documents_total: int, segments_total: int
) -> LanguageResult:
    """Read one language's run back from the datasets."""
    result = LanguageResult(code, nllb, run_id, documents_total, segments_total)
    scores = _run_file(output, "scores", run_id)
    language = scores[(scores["level"] == "language") & (scores["lang"] == nllb)]
    for row in language.to_dict("records"):
        result.scores[row["metric"]] = Score(
            float(row["score"]), _number(row["bootstrap_mean"]), _number(row["ci95"])
        )
        result.signatures[row["metric"]] = str(row["signature"])
        result.n_documents, result.n_segments = int(row["n_documents"]), int(row["n_segments"])
        result.bootstrap = None if pd.isna(row["bootstrap"]) else str(row["bootstrap"])
    articles = _run_file(output, "articles", run_id)
    sources = dict(zip(articles["article_id"], articles["source"], strict=True))
    bad = scores[(scores["level"] == "article") & (scores["alignment"] == "misaligned")]
    for row in bad.drop_duplicates("article_id").to_dict("records"):
        result.misaligned.append((Path(sources.get(row["article_id"], "?")).name, row["note"]))
    for row in articles[articles["status"] != "ok"].to_dict("records"):
        result.failed.append((Path(row["source"]).name, str(row["reason"])))
    scored = (scores["level"] == "article") & (scores["alignment"] != UNSCORED)
    scored_ids = set(scores.loc[scored, "article_id"])
    ok = articles[articles["status"] == "ok"]
    result.unreferenced = [
        Path(s).name for s in ok.loc[~ok["article_id"].isin(scored_ids), "source"]
    ]
    segments = _run_file(output, "segments", run_id)
    flag_columns = sorted(c for c in segments.columns if c.startswith("flag_"))
    flags = segments[flag_columns].fillna(False).astype(bool) if flag_columns else None
    result.n_sentences = len(segments)
    if flags is not None:
        result.flags = {c.removeprefix("flag_"): int(flags[c].sum()) for c in flag_columns}
        result.n_flagged = int(flags.any(axis=1).sum())
    run = _run_file(output, "runs", run_id).iloc[0]
    result.wall_seconds, result.model_seconds = (
        float(run["wall_seconds"]),
        float(run["model_seconds"]),
    )
    result.n_cached = int(run["n_cached"])
    return result


def write_scored_text(
    output: Path, result: LanguageResult, references: Path, inputs: Path
) -> tuple[Path, Path]:
    """`text/<code>.hyp.txt` and `.ref.txt`: the scored lines, in the order they were scored."""
    refs = load_references(references)
    articles = _run_file(output, "articles", result.run_id).to_dict("records")
    hyps, ref_lines = [], []
    for _, doc in aligned_documents(articles, refs, [inputs], strict=True):
        if doc.alignment == "line":
            hyps.extend(doc.hypotheses)
            ref_lines.extend(doc.references)
    folder = output / "text"
    folder.mkdir(parents=True, exist_ok=True)
    hyp_file, ref_file = folder / f"{result.code}.hyp.txt", folder / f"{result.code}.ref.txt"
    hyp_file.write_text("".join(f"{line}\n" for line in hyps), encoding="utf-8")
    ref_file.write_text("".join(f"{line}\n" for line in ref_lines), encoding="utf-8")
    return hyp_file, ref_file


# --- tables ----------------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def table_rows(results: Sequence[LanguageResult]) -> list[dict[str, Any]]:
    """One row per language: the report's table, and the Prefect table artifact."""
    rows = []
    for r in results:
        row: dict[str, Any] = {
            "language": r.code,
            "nllb": r.nllb,
            "documents": f"{r.n_documents}/{r.documents_total}",
            "segments": f"{r.n_segments}/{r.segments_total}",
        }
        for metric in METRICS:
            row[metric] = r.scores[metric].text() if metric in r.scores else "-"
        row["flagged"] = f"{r.n_flagged}/{r.n_sentences}"
        row["truncated"] = r.flags.get("length_limit", "-")
        row["s/1k seg"] = _seconds(r.per_thousand(r.wall_seconds))
        row["model s/1k seg"] = _seconds(r.per_thousand(r.model_seconds))
        rows.append(row)
    return rows


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "(nothing)"
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(str(row[c]) for c in header) + " |" for row in rows)
    return "\n".join(lines)


def _summary_lines(
    test_set: TestSet, results: Sequence[LanguageResult], run_info: dict[str, Any]
) -> list[str]:
    """The title and what was evaluated: test set, model and decoding, the runs."""
    first = results[0] if results else None
    # Every language scores the same documents, so the first one says how many were chosen.
    docs_total = first.documents_total if first else 0
    chosen = (
        f"all {docs_total} documents"
        if docs_total == test_set.documents_available
        else f"the first {docs_total} of {test_set.documents_available} documents"
    )
    return [
        f"# newsflow evaluation: {test_set.name}",
        "",
        f"- test set: {test_set.name} from `{test_set.source}`, {chosen} in each language; "
        "the English originals, line-aligned, are the references",
        f"- model: `{run_info.get('model')}` (revision `{run_info.get('model_revision')}`), "
        f"beams {run_info.get('beams')}, {run_info.get('backend')} on {run_info.get('device')}",
        "- runs (one per language, all in this directory): "
        + ", ".join(f"{r.code} `{r.run_id}`" for r in results),
    ]


def _reading_guide(results: Sequence[LanguageResult]) -> list[str]:
    """The "How to read it" list: what the table's columns mean, and what the timings leave out."""
    first = results[0] if results else None
    # The bootstrap setting as the runs stored it; the default one when they stored none.
    bootstrap = first.bootstrap if first and first.bootstrap else f"bs:{N_BOOTSTRAP}"
    lines = [
        "How to read it:",
        "",
        "- **BLEU**, **chrF++** (higher is better) and **TER** (lower is better) are corpus "
        "scores per language, computed by sacrebleu over every scored segment (test-set line).",
        "- Each score reads `score (μ ± ci)` exactly as `sacrebleu --confidence` prints it: μ "
        f"is the mean of sacrebleu's bootstrap resamples ({bootstrap}) and "
        "μ ± ci the 95% confidence interval (`bootstrap_mean`, `ci95` in `scores/`). Two "
        "systems whose intervals overlap may still differ significantly: `newsflow compare` "
        "runs the paired test.",
        "- **documents**, **segments**: scored / in the test set. A document is left out only "
        "when it failed or its translation's line count differs from its reference (listed "
        "below, never silently scored).",
        "- **flagged**: sentences with any quality flag / sentences translated (a test-set "
        "line can hold several sentences); **truncated**: sentences whose output hit its length "
        "limit (`flag_length_limit`); every flag is broken down below.",
        "- **s/1k seg**: wall time of the language's run per 1,000 segments (the first run also "
        "loads the models); **model s/1k seg**: time inside model calls only.",
    ]
    if any(r.n_cached for r in results):
        lines.append(
            "- Some articles were reused from earlier runs with the same settings (cached), so "
            "their time is not in the timings: "
            + ", ".join(f"{r.code} {r.n_cached}" for r in results if r.n_cached)
        )
    return lines


def _signature_lines(results: Sequence[LanguageResult]) -> list[str]:
    """The sacrebleu signature of each metric (one set: every language is scored alike)."""
    lines = ["## sacrebleu signatures", ""]
    if results:
        first = results[0]
        lines.extend(f"- {metric}: `{first.signatures.get(metric, '-')}`" for metric in METRICS)
    return lines


def _flag_lines(results: Sequence[LanguageResult]) -> list[str]:
    """A table of how many sentences each quality flag marked, per language."""
    flag_names = sorted({name for r in results for name in r.flags})
    if not flag_names:
        return ["## Sentences flagged", "", "No flag columns in the segments dataset."]
    flag_rows = [
        {"language": r.code, "sentences": r.n_sentences, "any flag": r.n_flagged}
        | {name: r.flags.get(name, 0) for name in flag_names}  # 0: the language had none
        for r in results
    ]
    return ["## Sentences flagged", "", markdown_table(flag_rows)]


def _not_scored_lines(results: Sequence[LanguageResult]) -> list[str]:
    """Every document left out of the scores, with why: misaligned, failed, or no reference."""
    missing = [
        f"- {r.code} `{name}`: {why}"
        for r in results
        for name, why in [
            *r.misaligned,
            *r.failed,
            *((n, "no reference found") for n in r.unreferenced),
        ]
    ]
    return ["## Not scored", "", "\n".join(missing) if missing else "Every document was scored."]


def _reproduce_lines(results: Sequence[LanguageResult]) -> list[str]:
    """The sacrebleu command per language that prints the same scores from `text/`."""
    return [
        "## Reproduce the scores",
        "",
        "The scored lines of each language are in `text/<language>.hyp.txt` and "
        "`text/<language>.ref.txt`, in scoring order; the sacrebleu command prints the same "
        "scores and intervals:",
        "",
        "```bash",
        *(
            f"sacrebleu text/{r.code}.ref.txt -i text/{r.code}.hyp.txt -m bleu chrf ter "
            "--chrf-word-order 2 --confidence"
            for r in results
        ),
        "```",
    ]


def render_markdown(
    test_set: TestSet, results: Sequence[LanguageResult], run_info: dict[str, Any], chart: str
) -> str:
    """The whole report.md: its sections in order, a blank line between them."""
    parts = [
        *_summary_lines(test_set, results, run_info),
        "",
        markdown_table(table_rows(results)),
        "",
        f"![scores per language]({chart})",
        "",
        *_reading_guide(results),
        "",
        *_signature_lines(results),
        "",
        *_flag_lines(results),
        "",
        *_not_scored_lines(results),
        "",
        *_reproduce_lines(results),
        "",  # the file ends with a newline
    ]
    return "\n".join(parts)


def run_info(output: Path, run_id: str) -> dict[str, Any]:
    """Model, revision, decoding and device of a run, from its runs/ row."""
    run = _run_file(output, "runs", run_id).iloc[0]
    config = json.loads(run["config_json"])
    return {
        "model": run["model"],
        "model_revision": run["model_revision"],
        "backend": run["backend"],
        "device": run["device"],
        "beams": config.get("beams"),
        "config": config,
    }


@dataclass(frozen=True)
class Report:
    """What an evaluation or a comparison wrote."""

    markdown: str
    rows: list[dict[str, Any]]
    path: Path
    chart: Path
    complete: bool = True


def write_report(output: Path, test_set: TestSet, runs: Mapping[str, str]) -> Report:
    """report.md, scores.png, text/ and eval.json of an evaluation whose runs are written.

    `runs`: the test set's language code -> the run id of that language's production run.
    """
    results = [
        language_result(
            output, lang.code, lang.nllb, runs[lang.code], lang.n_documents, lang.n_segments
        )
        for lang in test_set.languages
    ]
    for result, language in zip(results, test_set.languages, strict=True):
        write_scored_text(output, result, test_set.references, language.inputs)
    info = run_info(output, results[0].run_id)
    title = f"{test_set.name}: {info['model']} (beams {info['beams']})"
    by_language = {f"{r.code}\n{r.nllb}": r.scores for r in results}
    plot_scores([("", by_language)], METRICS, output / CHART, title)
    markdown = render_markdown(test_set, results, info, CHART)
    (output / REPORT).write_text(markdown, encoding="utf-8")
    manifest = {"kind": "eval", "test_set": test_set.model_dump(mode="json"), "runs": dict(runs)}
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    complete = all(r.complete for r in results)
    return Report(markdown, table_rows(results), output / REPORT, output / CHART, complete)
