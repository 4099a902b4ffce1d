"""The newsflow flow: articles in, Parquet out. Orchestration only: each stage is a task in
`tasks/` (ingest, prepare, translate, summarize, score, write) over the library in `newslib/`.

A run claims a staging folder in the output, looks every input up in the result cache, has the
rest prepared and translated batch by batch on the configured task runner (`flows/model_work.py`),
collects the rows in input order, scores them against references when given, and writes the
datasets (`runs/` last, so a run listed there is complete).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.exceptions import FailedRun
from prefect.states import Failed

from flows.model_work import run_model_work, thread_runner
from newslib.config import RunConfig
from newslib.engines.models import ModelUnavailableError
from newslib.engines.resolve import resolve_engines
from newslib.output.cache import (
    CACHE_DIR,
    RunClaim,
    claim_staging,
    clean_abandoned_runs,
    discard_unfinished,
    result_key,
)
from newslib.output.runs import RunStart, new_run_id
from newslib.output.verify import check_output
from newslib.output.write import StagedDataset
from tasks.ingest import plan_inputs
from tasks.score import score_articles
from tasks.stopping import stop_on_signal
from tasks.stories import link_stories
from tasks.write import collect_results, write_results


class NoTracebackForAReturnedFailure(logging.Filter):
    """Prefect's process engine logs a traceback for every failed flow run, also for one that
    returned its Failed state on purpose (a missing model), whose message already says it all.
    Only that case raises FailedRun there; every other failure keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], FailedRun))


logging.getLogger("prefect.flow_runs").addFilter(NoTracebackForAReturnedFailure())


def start_run(config: RunConfig) -> tuple[RunStart, RunClaim]:
    """Resolve the models, check the output, claim a staging folder: all before any work."""
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    spec = resolve_engines(config)
    output = Path(config.output)
    for dead in clean_abandoned_runs(output):
        get_run_logger().warning(f"removed what run {dead} left behind (its process died)")
    check_output(output)  # never add to a damaged output
    claim = claim_staging(output, run_id)
    key = result_key(config, spec)
    get_run_logger().info(
        f"run {run_id}: {spec.backend} on {spec.device}, {config.task_runner} runner, "
        f"writing to {output}"
    )
    cache_dir = str(output / CACHE_DIR / key)
    return RunStart(run_id, started, spec, key, str(claim.staging), cache_dir), claim


@flow(name="newsflow", task_runner=thread_runner(), validate_parameters=True)
def translate_news(config: RunConfig) -> dict[str, Any]:
    """Translate, summarize and score the articles of `config.inputs` into `config.output`."""
    try:
        run, claim = start_run(config)
    except ModelUnavailableError as error:
        # A returned state is the run's final state: a deployment's run fails with this one
        # message, not a traceback (a direct call raises it as an exception).
        get_run_logger().error(str(error))
        return Failed(message=str(error))  # type: ignore[return-value]
    try:
        plan = plan_inputs(config, run.staging, run.cache_dir)
        results = run_model_work(plan, config, run)
        assembled = collect_results(plan, results, str(config.output), run.run_id)
        staged: dict[str, StagedDataset | None] = {}
        if config.stories:
            staged["articles"], staged["stories"] = link_stories(
                str(config.output), run.run_id, assembled.articles
            )
        if config.references:
            references, inputs = str(config.references), config.inputs
            articles = staged.get("articles") or assembled.articles
            staged["scores"] = score_articles(articles, references, inputs, config.alignment)
        return write_results(config, run, assembled, staged, results)
    except BaseException as error:
        stop_on_signal(error)  # SIGTERM: model work in other threads stops too
        discard_unfinished(Path(config.output), run.run_id)  # no file without its runs/ row
        raise
    finally:
        claim.release()
