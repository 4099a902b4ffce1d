"""The `newsflow` command line.

Options map onto `RunConfig` fields; an option left out falls back to the `NEWSFLOW_<FIELD>`
environment variable, then to the default. Exit codes: 0 every article ok, 1 some articles
failed (each has a row with its reason), 2 the run could not start or crashed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from newsflow.config import RunConfig

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.split("\n")[0])
console = Console(stderr=True)

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN = 0, 1, 2


def prepare_prefect_environment() -> None:
    """Defaults that make a hand-run flow reliable here; anything the user set wins."""
    # Prefect's temporary local server can take longer than its default 20 s to start on a
    # small machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # No usage reports: offline, the temporary server's attempt logs an ERROR on every run.
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def build_config(options: dict[str, Any]) -> RunConfig:
    """Config from the options that were given; the rest comes from NEWSFLOW_* or defaults."""
    try:
        return RunConfig(**{k: v for k, v in options.items() if v is not None})
    except ValidationError as error:
        for problem in error.errors():
            field = ".".join(str(p) for p in problem["loc"])
            console.print(f"[red]error:[/red] {field}: {problem['msg']}")
        raise typer.Exit(EXIT_CANNOT_RUN) from None


def fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {message}", soft_wrap=True)
    return typer.Exit(EXIT_CANNOT_RUN)


def print_summary(summary: dict[str, Any], output: Path) -> None:
    table = Table(title=f"newsflow run {summary['run_id']}", show_header=False)
    table.add_row("articles ok", str(summary["n_ok"]))
    table.add_row("articles failed", str(summary["n_failed"]))
    if summary["n_cached"]:
        table.add_row("reused from earlier runs", str(summary["n_cached"]))
    languages = ", ".join(f"{k} {v}" for k, v in sorted(summary["languages"].items()))
    table.add_row("languages", languages or "-")
    table.add_row("sentences", str(summary["n_segments"]))
    table.add_row(
        "time", f"{summary['wall_seconds']:.1f} s ({summary['model_seconds']:.1f} s in models)"
    )
    for flag, count in summary.get("flags", {}).items():
        table.add_row(f"flagged {flag}", str(count))
    if "n_repaired" in summary:
        table.add_row(
            "repaired (decoded again)",
            f"{summary['n_repaired']} ({summary['repair_rate']:.1%} of translated)",
        )
    for metric, score in summary["corpus_scores"].items():
        table.add_row(f"corpus {metric}", f"{score:.2f}")
    table.add_row("output", str(output))
    console.print(table)
    for source, reason in summary["failures"][:20]:
        console.print(f"[yellow]failed:[/yellow] {source}: {reason}")
    if len(summary["failures"]) > 20:
        console.print(f"... and {len(summary['failures']) - 20} more: see the articles dataset")


@app.command()
def run(
    inputs: Annotated[list[Path], typer.Argument(help="Files, directories or tables.")],
    output: Annotated[Path | None, typer.Option(help="Output directory.")] = None,
    model: Annotated[str | None, typer.Option(help="NLLB model: hub id or path.")] = None,
    summarizer: Annotated[str | None, typer.Option(help="Summarizer: hub id or path.")] = None,
    references: Annotated[Path | None, typer.Option(help="Reference translations.")] = None,
    alignment: Annotated[
        str | None, typer.Option(help="auto, or line: misaligned references are not scored.")
    ] = None,
    source_lang: Annotated[str | None, typer.Option(help="NLLB code; skips detection.")] = None,
    device: Annotated[str | None, typer.Option(help="auto, cpu or cuda.")] = None,
    backend: Annotated[str | None, typer.Option(help="auto, transformers or ctranslate2.")] = None,
    beams: Annotated[int | None, typer.Option(help="Beam size.")] = None,
    token_budget: Annotated[int | None, typer.Option(help="Source tokens per batch.")] = None,
    restrict_vocab: Annotated[
        bool | None, typer.Option(help="Decode over the English vocabulary only (ctranslate2).")
    ] = None,
    summarize: Annotated[bool | None, typer.Option(help="Summarize articles.")] = None,
    text_column: Annotated[str | None, typer.Option(help="Text column of tables.")] = None,
    max_file_bytes: Annotated[int | None, typer.Option(help="Larger files fail.")] = None,
    batch_articles: Annotated[int | None, typer.Option(help="Articles per batch.")] = None,
    task_runner: Annotated[str | None, typer.Option(help="thread or dask.")] = None,
    dask_address: Annotated[str | None, typer.Option(help="tcp://host:port of a cluster.")] = None,
    dask_workers: Annotated[
        int | None, typer.Option(help="Worker processes of a local Dask cluster.")
    ] = None,
) -> None:
    """Translate, summarize and score articles; write Parquet datasets to --output."""
    config = build_config(locals())
    missing = [str(p) for p in config.inputs if not p.exists()]
    if missing:
        raise fail(f"input not found: {', '.join(missing)}")
    if config.references is not None and not config.references.exists():
        raise fail(f"references not found: {config.references}")
    from tasks.models import ModelUnavailableError

    try:
        from flows.pipeline import resolve_engines

        resolve_engines(config)  # fail fast, before Prefect and before any work
    except ModelUnavailableError as error:
        raise fail(str(error)) from None
    from flows.pipeline import translate_news

    try:
        summary = translate_news(config)
    except Exception as error:
        raise fail(f"the run failed: {type(error).__name__}: {error}") from None
    print_summary(summary, config.output)
    raise typer.Exit(EXIT_SOME_FAILED if summary["n_failed"] else EXIT_OK)


# --- evaluation: test sets through the production flow, and runs compared --------------------

eval_app = typer.Typer(
    no_args_is_help=True,
    help="Score the production flow on a line-aligned test set; write report.md and a chart.",
)
app.add_typer(eval_app, name="eval")

ModelOption = Annotated[str | None, typer.Option(help="NLLB model: hub id or path.")]
SummarizerOption = Annotated[str | None, typer.Option(help="Summarizer: hub id or path.")]
DeviceOption = Annotated[str | None, typer.Option(help="auto, cpu or cuda.")]
BackendOption = Annotated[str | None, typer.Option(help="auto, transformers or ctranslate2.")]
BeamsOption = Annotated[int | None, typer.Option(help="Beam size.")]
BudgetOption = Annotated[int | None, typer.Option(help="Source tokens per batch.")]
SummarizeOption = Annotated[bool | None, typer.Option(help="Summarize articles.")]
DocsOption = Annotated[int | None, typer.Option(help="Only the first N documents.")]
LangsOption = Annotated[str, typer.Option(help="Comma-separated language codes of the set.")]


def run_evaluation(build: Any, options: dict[str, Any]) -> None:
    """Build the test set's inputs into --output, run the eval flow, print the table."""
    from eval.testset import TestSetError

    config = build_config(options)
    try:
        test_set = build(config.output)
    except (TestSetError, OSError) as error:
        raise fail(str(error)) from None
    from tasks.models import ModelUnavailableError

    try:
        from flows.pipeline import resolve_engines

        resolve_engines(config)
    except ModelUnavailableError as error:
        raise fail(str(error)) from None
    from flows.evaluate import evaluate

    try:
        result = evaluate(test_set, config)
    except Exception as error:
        raise fail(f"the evaluation failed: {type(error).__name__}: {error}") from None
    print_rows(f"{test_set.name}: score (μ ± 95% CI) per language", result["rows"])
    console.print(f"report: {result['report']}\nchart: {result['chart']}")
    if not result["complete"]:
        console.print("[yellow]some documents were not scored: see 'Not scored' in the report")
    raise typer.Exit(EXIT_OK if result["complete"] else EXIT_SOME_FAILED)


def print_rows(title: str, rows: list[dict[str, Any]]) -> None:
    """A results table on stdout, never squeezed into narrow cells (lines may be long)."""
    table = Table(title=title)
    for column in rows[0] if rows else []:
        table.add_column(column, no_wrap=True)
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    out = Console()
    out.width = max(out.width, 180)
    out.print(table)


def split_langs(langs: str) -> list[str]:
    return [code.strip() for code in langs.split(",") if code.strip()]


@eval_app.command("ntrex")
def eval_ntrex(
    ntrex_dir: Annotated[Path, typer.Option(help="NTREX-128 directory (DOCUMENT_IDS.tsv).")],
    langs: LangsOption,
    output: Annotated[Path, typer.Option(help="Output directory.")],
    docs: DocsOption = None,
    model: ModelOption = None,
    summarizer: SummarizerOption = None,
    device: DeviceOption = None,
    backend: BackendOption = None,
    beams: BeamsOption = None,
    token_budget: BudgetOption = None,
    summarize: SummarizeOption = None,
) -> None:
    """NTREX-128: its 123 news documents in each language (NTREX codes: msa,ben,arb or all)."""
    options = {k: v for k, v in locals().items() if k not in ("ntrex_dir", "langs", "docs")}
    from eval.ntrex import build_ntrex

    run_evaluation(lambda out: build_ntrex(ntrex_dir, split_langs(langs), out, docs), options)


@eval_app.command("flores")
def eval_flores(
    dir: Annotated[Path, typer.Option(help="Directory of <code>.<split> files.")],
    langs: LangsOption,
    output: Annotated[Path, typer.Option(help="Output directory.")],
    split: Annotated[str, typer.Option(help="File suffix: devtest, dev, ...")] = "devtest",
    english: Annotated[str, typer.Option(help="Code of the English file.")] = "eng_Latn",
    doc_lines: Annotated[
        int, typer.Option(help="Lines per document when there is no metadata_<split>.tsv.")
    ] = 10,
    docs: DocsOption = None,
    name: Annotated[str | None, typer.Option(help="Test set name in the report.")] = None,
    model: ModelOption = None,
    summarizer: SummarizerOption = None,
    device: DeviceOption = None,
    backend: BackendOption = None,
    beams: BeamsOption = None,
    token_budget: BudgetOption = None,
    summarize: SummarizeOption = None,
) -> None:
    """A FLORES-200-style test set: <dir>/<code>.<split> per language (NLLB codes)."""
    own = ("own", "dir", "langs", "split", "english", "doc_lines", "docs", "name")
    options = {k: v for k, v in locals().items() if k not in own}
    from eval.flores import build_flores

    run_evaluation(
        lambda out: build_flores(
            dir,
            split_langs(langs),
            out,
            split=split,
            english=english,
            docs=docs,
            lines_per_document=doc_lines,
            name=name,
        ),
        options,
    )


@app.command("compare")
def compare_command(
    run_a: Annotated[Path, typer.Argument(help="Evaluation (or scored output) directory A.")],
    run_b: Annotated[Path, typer.Argument(help="Evaluation (or scored output) directory B.")],
    output: Annotated[Path, typer.Option(help="Where report.md and compare.png go.")],
) -> None:
    """Compare two runs over the same inputs: per language, paired bootstrap significance."""
    from eval.compare import CompareError, load_system

    for path in (run_a, run_b):
        if not path.is_dir():
            raise fail(f"not a directory: {path}")
        try:
            load_system(path)  # readable and scored: check before Prefect starts
        except (CompareError, OSError, KeyError) as error:
            raise fail(f"{path}: {error}") from None
    from flows.evaluate import compare_runs

    try:
        result = compare_runs(run_a, run_b, output)
    except Exception as error:
        raise fail(f"the comparison failed: {type(error).__name__}: {error}") from None
    print_rows(f"A: {run_a}  vs  B: {run_b}  (paired bootstrap)", result["rows"])
    console.print(f"report: {result['report']}")
    raise typer.Exit(EXIT_OK)


@app.command("check")
def check_command(
    source: Annotated[
        Path, typer.Option(help="Source text, one segment a line (or a table: see --translation).")
    ],
    source_lang: Annotated[str, typer.Option(help="NLLB code of the source, e.g. zsm_Latn.")],
    translation: Annotated[
        Path | None,
        typer.Option(
            help="English translation, line-aligned with --source. Without it, --source is a "
            "table (.jsonl, .csv, .parquet) with 'source' and 'translation' columns."
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option(help="Where segments.parquet and summary.parquet go.")
    ] = Path("check"),
) -> None:
    """Audit any translation with the quality checks, without a model: flags per line."""
    from tasks.audit import AuditInputError, audit_rows, read_pairs, summarize, write_audit

    try:
        rows = audit_rows(read_pairs(source, translation), source_lang)
    except (AuditInputError, OSError, UnicodeDecodeError) as error:
        raise fail(str(error)) from None
    segments_path, summary_path = write_audit(rows, output)
    print_rows(
        f"newsflow check: {len(rows)} lines, {source_lang} -> English", summarize(rows).table()
    )
    console.print(f"flags per line: {segments_path}\nsummary: {summary_path}")
    raise typer.Exit(EXIT_OK)


@app.callback()
def main() -> None:
    """newsflow: translate news in any language into English, summarize and score it."""
    prepare_prefect_environment()  # before any command imports prefect, which reads it once
