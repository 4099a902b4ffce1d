"""The `newsflow` command line.

Options map onto `RunConfig` fields; an option left out falls back to the `NEWSFLOW_<FIELD>`
environment variable, then to the default. Exit codes: 0 every article ok, 1 some articles
failed (each has a row with its reason), 2 the run could not start or crashed.
"""

from __future__ import annotations

import os
import time
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from newsflow import shutdown
from newsflow.options import (
    config_values,
    env_name,
    option_name,
    own_option,
    with_config_options,
)
from newsflow.terminal import console, say, until_the_flow_logs
from newslib.config import RunConfig
from newslib.progress import Heartbeat
from newslib.stop import STOP_CODES

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.split("\n")[0])

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN = 0, 1, 2
COMMAND_STARTED = time.perf_counter()  # imported first thing: the command's own wall time


def prepare_prefect_environment() -> None:
    """Defaults that make a hand-run flow reliable here; anything the user set wins."""
    # Prefect's temporary local server can take longer than its default 20 s to start on a
    # small machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # No usage reports: offline, the temporary server's attempt logs an ERROR on every run.
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def check_engines(config: RunConfig) -> None:
    """Fail fast, before Prefect and before any work, when a model or the device is missing."""
    # No line at once: a missing model is then the only line the user sees.
    with Heartbeat("loading newsflow, checking the models and the device", say, announce=False):
        from newslib.engines.models import ModelUnavailableError
        from newslib.engines.resolve import resolve_engines

        try:
            resolve_engines(config)
        except ModelUnavailableError as error:
            raise fail(str(error)) from None


def build_config(options: dict[str, Any]) -> RunConfig:
    """Config from the options that were given; the rest comes from NEWSFLOW_* or defaults."""
    try:
        return RunConfig(**{k: v for k, v in options.items() if v is not None})
    except ValidationError as error:
        for problem in error.errors():
            field = str(problem["loc"][0]) if problem["loc"] else "configuration"
            where = f"{option_name(field)} ({env_name(field)})"
            console.print(f"[red]error:[/red] {where}: {problem['msg']}", markup=True)
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
    command_seconds = time.perf_counter() - COMMAND_STARTED
    table.add_row(
        "wall time of the command", f"{command_seconds:.1f} s (Prefect start-up included)"
    )
    table.add_row("wall time of the flow", f"{summary['wall_seconds']:.1f} s")
    table.add_row("time inside model calls", f"{summary['model_seconds']:.1f} s")
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


RUN_FIELDS = [name for name in RunConfig.model_fields if name != "inputs"]
INPUTS = own_option(
    "inputs",
    list[Path],
    ...,
    argument=True,
    help="Files, directories or tables.",
    show_default=False,
)


@app.command()
@with_config_options(RUN_FIELDS, own=[INPUTS])
def run(inputs: list[Path], **options: Any) -> None:
    """Translate, summarize and score articles; write Parquet datasets to --output."""
    config = build_config({"inputs": inputs, **config_values(options)})
    missing = [str(p) for p in config.inputs if not p.exists()]
    if missing:
        raise fail(f"input not found: {', '.join(missing)}")
    if config.references is not None and not config.references.exists():
        raise fail(f"references not found: {config.references}")
    if config.references is not None:
        from newslib.inputs.references import ReferenceError, load_references

        try:
            load_references(config.references)  # a broken table stops the run before any work
        except ReferenceError as error:
            raise fail(str(error)) from None
    from newslib.output.verify import DamagedOutputError, check_output

    try:
        check_output(config.output)  # a damaged output stops the run before any work
    except DamagedOutputError as error:
        raise fail(str(error)) from None
    check_engines(config)
    from flows.pipeline import translate_news

    with shutdown.stoppable():  # from here on, child processes: none outlives the command
        try:
            summary = until_the_flow_logs(lambda: translate_news(config))
        except Exception as error:
            if STOP_CODES:  # a stop interrupted Prefect mid-step: report the stop, not a failure
                shutdown.exit_now(STOP_CODES[0])
            raise fail(f"the run failed: {type(error).__name__}: {error}") from None
    print_summary(summary, config.output)
    raise typer.Exit(EXIT_SOME_FAILED if summary["n_failed"] else EXIT_OK)


@app.command("verify")
def verify_command(
    output: Annotated[Path, typer.Argument(help="Output directory of earlier runs.")],
) -> None:
    """Check every dataset file and cache entry of OUTPUT; exit 2 naming any damaged one."""
    from newslib.output.verify import verify_output

    if not output.is_dir():
        raise fail(f"not a directory: {output}")
    damages = verify_output(output)
    for damage in damages:
        console.print(f"[red]damaged:[/red] {damage}", soft_wrap=True)
    if damages:
        raise typer.Exit(EXIT_CANNOT_RUN)
    files = sum(
        1
        for name in ("articles", "segments", "scores", "runs")
        for _ in (output / name).glob("[!._]*.parquet")
    )
    console.print(f"{output}: {files} dataset files verified, none damaged")
    raise typer.Exit(EXIT_OK)


@app.command("stories")
def stories_command(
    output: Annotated[Path, typer.Argument(help="Output directory of earlier runs.")],
    top: Annotated[int, typer.Option(help="How many stories to show.", min=1)] = 10,
) -> None:
    """Print the largest stories of OUTPUT's latest run: size, languages, sites, dates, title."""
    from newsflow.stories_command import print_largest_stories
    from newslib.stories.report import NoStoriesError

    if not output.is_dir():
        raise fail(f"not a directory: {output}")
    try:
        print_largest_stories(output, top)
    except NoStoriesError as error:
        raise fail(str(error)) from None
    raise typer.Exit(EXIT_OK)


# --- evaluation: test sets through the production flow, and runs compared --------------------

eval_app = typer.Typer(
    no_args_is_help=True,
    help="Score the production flow on a line-aligned test set; write report.md and a chart.",
)
app.add_typer(eval_app, name="eval")

# The model and decoding options of `run` that an evaluation takes too.
EVAL_FIELDS = ["model", "summarizer", "device", "backend", "beams", "token_budget", "summarize"]
DOCS = own_option("docs", int | None, None, help="Only the first N documents.")
LANGS = own_option("langs", str, ..., help="Comma-separated language codes of the set.")
EVAL_OUTPUT = own_option("output", Path, ..., help="Output directory.")


def run_evaluation(build: Any, options: dict[str, Any]) -> None:
    """Build the test set's inputs into --output, run the eval flow, print the table."""
    from eval.testset import TestSetError

    config = build_config(options)
    try:
        test_set = build(config.output)
    except (TestSetError, OSError) as error:
        raise fail(str(error)) from None
    check_engines(config)
    from flows.evaluate import evaluate

    with shutdown.stoppable():
        try:
            result = until_the_flow_logs(lambda: evaluate(test_set, config))
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
@with_config_options(
    EVAL_FIELDS,
    own=[
        own_option("ntrex_dir", Path, ..., help="NTREX-128 directory (DOCUMENT_IDS.tsv)."),
        LANGS,
        EVAL_OUTPUT,
        DOCS,
    ],
)
def eval_ntrex(ntrex_dir: Path, langs: str, output: Path, docs: int | None, **options: Any) -> None:
    """NTREX-128: its 123 news documents in each language (NTREX codes: msa,ben,arb or all)."""
    from eval.ntrex import build_ntrex

    run_evaluation(
        lambda out: build_ntrex(ntrex_dir, split_langs(langs), out, docs),
        {"output": output, **config_values(options)},
    )


@eval_app.command("flores")
@with_config_options(
    EVAL_FIELDS,
    own=[
        own_option("dir", Path, ..., help="Directory of <code>.<split> files."),
        LANGS,
        EVAL_OUTPUT,
        own_option("split", str, "devtest", help="File suffix: devtest, dev, ..."),
        own_option("english", str, "eng_Latn", help="Code of the English file."),
        own_option("doc_lines", int, 10, help="Lines per document without metadata_<split>.tsv."),
        DOCS,
        own_option("name", str | None, None, help="Test set name in the report."),
    ],
)
def eval_flores(
    dir: Path,
    langs: str,
    output: Path,
    split: str,
    english: str,
    doc_lines: int,
    docs: int | None,
    name: str | None,
    **options: Any,
) -> None:
    """A FLORES-200-style test set: <dir>/<code>.<split> per language (NLLB codes)."""
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
        {"output": output, **config_values(options)},
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

    with shutdown.stoppable():
        try:
            result = until_the_flow_logs(lambda: compare_runs(run_a, run_b, output))
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
    from newslib.checks.audit import AuditInputError, audit_rows, read_pairs, summarize, write_audit

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


def show_version(asked: bool) -> None:
    if asked:
        print(f"newsflow {metadata.version('newsflow')}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=show_version),
    ] = False,
) -> None:
    """newsflow: translate news in any language into English, summarize and score it."""
    prepare_prefect_environment()  # before any command imports prefect, which reads it once
