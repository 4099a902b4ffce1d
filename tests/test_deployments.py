"""The operator's path, for real, on loopback: server, work pool, `prefect deploy --all` from
prefect.yaml, a process worker, `prefect deployment run`, and the Parquet it wrote.

Every step is the command the README gives, run as a subprocess against a `prefect server`
(SQLite) of its own on a free port. Nothing of Prefect is mocked.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import pandas as pd
import pytest
import yaml

from benchmarks.overhead import write_articles

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
POOL = "newsflow"  # the work pool prefect.yaml names
N_ARTICLES = 4
FINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, then SIGKILL whatever is left of it (a flow run, say)."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextmanager
def background(command: list[str], env: dict[str, str], log: Path) -> Iterator[Path]:
    """A long-running command in its own process group, always stopped at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            yield log
        finally:
            stop(process)


def prefect(env: dict[str, str], *args: str) -> str:
    """One `prefect` command, run from the repository root as an operator would."""
    done = subprocess.run(
        [str(BIN / "prefect"), *args], env=env, cwd=REPO_ROOT, capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def wait_for(what: str, check: Any, timeout: float, log: Path | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(1)
    tail = log.read_text(errors="replace")[-4000:] if log else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


def healthy(api: str) -> bool:
    try:
        return httpx.get(f"{api}/health", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def test_deploy_from_prefect_yaml_and_run_the_manual_deployment_on_a_worker(
    tiny_models: tuple[Path, Path], ntrex_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSFLOW_"))} | {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "DO_NOT_TRACK": "1",
        "HF_HUB_OFFLINE": "1",
        "OMP_NUM_THREADS": "1",
    }
    inputs, output = tmp_path / "in", tmp_path / "out"
    write_articles(ntrex_dir, N_ARTICLES, inputs, tmp_path / "refs")
    spec = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text())
    declared = {d["name"]: d for d in spec["deployments"]}
    (tmp_path / "server").mkdir()
    (tmp_path / "worker").mkdir()

    server = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    with background(server, env, tmp_path / "server" / "server.log") as server_log:
        wait_for("the server", lambda: healthy(api), 180, server_log)
        prefect(env, "work-pool", "create", POOL, "--type", "process")
        deployed = prefect(env, "--no-prompt", "deploy", "--all")
        assert "newsflow/nightly" in deployed and "newsflow/manual" in deployed

        with httpx.Client(base_url=api, timeout=30) as client:
            nightly = client.get("/deployments/name/newsflow/nightly").json()
            manual = client.get("/deployments/name/newsflow/manual").json()
            # nightly: its cron schedule with its timezone, and folders as default parameters
            (schedule,) = nightly["schedules"]
            (wanted,) = declared["nightly"]["schedules"]
            assert schedule["active"] and wanted["timezone"]
            assert schedule["schedule"]["cron"] == wanted["cron"]
            assert schedule["schedule"]["timezone"] == wanted["timezone"]
            assert nightly["parameters"] == declared["nightly"]["parameters"]
            assert set(nightly["parameters"]["config"]) >= {"inputs", "output"}
            assert nightly["work_pool_name"] == manual["work_pool_name"] == POOL
            # manual: no schedule; parameters come with each run, checked against the flow's
            # typed parameter before any run exists
            assert manual["schedules"] == [] and manual["parameters"] == {}
            assert manual["enforce_parameter_schema"]
            refused = client.post(
                f"/deployments/{manual['id']}/create_flow_run",
                json={"parameters": {"config": {"inputs": [str(inputs)], "beams": 0}}},
            )
            assert refused.status_code in (409, 422), refused.text
            assert "beams" in refused.text

        worker = [str(BIN / "prefect"), "worker", "start", "--pool", POOL]
        with background(worker, env, tmp_path / "worker" / "worker.log") as worker_log:
            config = {
                "inputs": [str(inputs)],
                "output": str(output),
                "model": str(tiny_models[0]),
                "summarizer": str(tiny_models[1]),
                "beams": 1,
                "batch_articles": 2,
            }
            created = prefect(
                env, "deployment", "run", "newsflow/manual", "--params",
                json.dumps({"config": config}),
            )  # fmt: skip
            match = re.search(r"UUID: ([0-9a-f-]{36})", created)
            assert match, created
            flow_run_id = match.group(1)

            def final_state() -> str | None:
                state = httpx.get(f"{api}/flow_runs/{flow_run_id}", timeout=30).json()["state"]
                return state["type"] if state and state["type"] in FINAL_STATES else None

            state = wait_for("the flow run", final_state, 600, worker_log)
            assert state == "COMPLETED", worker_log.read_text(errors="replace")[-6000:]

            # A model that is not there: the run fails with one message, not a traceback.
            missing = tmp_path / "no-such-model"
            created = prefect(
                env, "deployment", "run", "newsflow/manual", "--params",
                json.dumps({"config": config | {"model": str(missing)}}),
            )  # fmt: skip
            match = re.search(r"UUID: ([0-9a-f-]{36})", created)
            assert match, created
            flow_run_id = match.group(1)
            assert wait_for("the failing flow run", final_state, 600, worker_log) == "FAILED"
            failed = httpx.get(f"{api}/flow_runs/{flow_run_id}", timeout=30).json()["state"]
            assert failed["message"] == (
                f"The translation model directory '{missing}' does not exist. Fix: check the "
                "path given with --model (or NEWSFLOW_MODEL), or give a Hugging Face hub id "
                "(owner/name)."
            )
            log = worker_log.read_text(errors="replace")
            assert "Traceback" not in log[log.rindex("Beginning flow run") :], log[-3000:]

    articles = pd.read_parquet(output / "articles")
    assert len(articles) == N_ARTICLES and (articles["status"] == "ok").all()
    assert articles["translation"].str.len().gt(0).all()
    (run,) = pd.read_parquet(output / "runs").itertuples()
    assert run.n_articles == N_ARTICLES and json.loads(run.config_json)["batch_articles"] == 2
    assert len(pd.read_parquet(output / "segments")) == articles["n_segments"].sum()
