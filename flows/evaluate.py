"""Evaluation flows: a test set through the production flow, and two runs compared.

`evaluate` runs the production flow `translate_news` as a subflow, once per source language
(the flow translates every input from one `source_lang`, so each language's run is exactly the
run a user with articles in that language makes; all runs write to the same output directory),
with the test set's English lines as references and strict line alignment. It then reads the
written datasets back, writes `report.md`, `scores.png`, `text/` and `eval.json`, and publishes
the report and its table as Prefect artifacts of the flow run. `compare_runs` does the same for
a paired bootstrap comparison of two evaluations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from eval.report import write_report
from eval.testset import TestSet
from flows.pipeline import translate_news
from newslib.config import RunConfig


def language_config(config: RunConfig, test_set: TestSet, index: int) -> RunConfig:
    """The production configuration of one language's run: its inputs, code and references."""
    language = test_set.languages[index]
    return config.model_copy(
        update={
            "inputs": [language.inputs],
            "source_lang": language.nllb,
            "references": test_set.references,
            "alignment": "line",
        }
    )


@flow(name="newsflow-eval", validate_parameters=False)
def evaluate(test_set: TestSet, config: RunConfig) -> dict[str, Any]:
    """Translate and score every language of `test_set` with the production flow; report."""
    logger = get_run_logger()
    runs: dict[str, str] = {}
    for index, language in enumerate(test_set.languages):
        logger.info(
            f"{test_set.name}: {language.code} ({language.nllb}), "
            f"{language.n_documents} documents, {language.n_segments} segments"
        )
        summary = translate_news(language_config(config, test_set, index))
        runs[language.code] = summary["run_id"]
    report = write_report(Path(config.output), test_set, runs)
    create_markdown_artifact(
        markdown=report.markdown,
        key="newsflow-eval-report",
        description=f"{test_set.name} evaluation report",
    )
    create_table_artifact(
        table=report.rows,
        key="newsflow-eval-scores",
        description=f"{test_set.name}: scores per language, score (μ ± 95% CI)",
    )
    logger.info(f"report: {report.path}, chart: {report.chart}")
    return {
        "runs": runs,
        "rows": report.rows,
        "complete": report.complete,
        "report": str(report.path),
        "chart": str(report.chart),
    }


@flow(name="newsflow-compare", validate_parameters=False)
def compare_runs(run_a: Path, run_b: Path, output: Path) -> dict[str, Any]:
    """Paired bootstrap comparison of two evaluations over the same inputs; report."""
    from eval.compare import compare, write_comparison

    comparison = compare(run_a, run_b)
    report = write_comparison(comparison, output)
    create_markdown_artifact(
        markdown=report.markdown,
        key="newsflow-compare-report",
        description=f"{run_a} vs {run_b}: paired bootstrap resampling",
    )
    create_table_artifact(
        table=report.rows,
        key="newsflow-compare-scores",
        description="per language and metric: A, B, B - A and the paired bootstrap p-value",
    )
    get_run_logger().info(f"report: {report.path}, chart: {report.chart}")
    return {"rows": report.rows, "report": str(report.path), "chart": str(report.chart)}
