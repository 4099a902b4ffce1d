"""A stopped or killed `newsflow run` leaves nothing running: not Prefect's temporary server
(nor its listening socket), not any other child process; a stopped run leaves no partial files.

Each test starts a real run (its own temporary Prefect server, the tiny models) in a process of
its own, waits until model work is under way, then stops it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from benchmarks.overhead import write_articles
from newslib.output.cache import CACHE_DIR, MANIFEST_SUFFIX, STAGING_DIR

pytestmark = pytest.mark.slow

N_ARTICLES = 30


def listening_ports(processes: list[psutil.Process]) -> set[int]:
    ports = set()
    for process in processes:
        try:
            for connection in process.net_connections(kind="tcp"):
                if connection.status == psutil.CONN_LISTEN:
                    ports.add(connection.laddr.port)
        except psutil.Error:
            continue
    return ports


def accepts(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start_run(
    tiny_models: tuple[Path, Path], ntrex_dir: Path, root: Path
) -> subprocess.Popen[bytes]:
    inputs, output = root / "in", root / "out"
    write_articles(ntrex_dir, N_ARTICLES, inputs, root / "refs")
    command = [
        str(Path(sys.executable).with_name("newsflow")), "run", str(inputs),
        "--output", str(output), "--model", str(tiny_models[0]),
        "--summarizer", str(tiny_models[1]), "--beams", "1", "--batch-articles", "2",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # its own server
    env |= {"HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    log = (root / "run.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for_model_work(run: subprocess.Popen[bytes], output: Path, log: Path) -> None:
    """Until a batch is in the result cache: the server is up and the models are working."""
    deadline = time.monotonic() + 600
    while not list((output / CACHE_DIR).glob(f"*/[!.]*{MANIFEST_SUFFIX}")):
        assert run.poll() is None, log.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, "no batch finished in 10 minutes"
        time.sleep(0.1)


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "SIGINT", "SIGKILL"]
)
def test_a_stopped_run_leaves_no_process_and_no_listener(
    tiny_models: tuple[Path, Path], ntrex_dir: Path, tmp_path: Path, signum: int
) -> None:
    run = start_run(tiny_models, ntrex_dir, tmp_path)
    output = tmp_path / "out"
    try:
        wait_for_model_work(run, output, tmp_path / "run.log")
        children = psutil.Process(run.pid).children(recursive=True)
        ports = listening_ports(children)
        assert ports, "the temporary Prefect server should be listening"
        assert all(accepts(port) for port in ports)

        run.send_signal(signum)
        code = run.wait(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
    _, alive = psutil.wait_procs(children, timeout=60)

    assert alive == [], f"left running: {[p.cmdline() for p in alive]}"
    assert not any(accepts(port) for port in ports)
    if signum != signal.SIGKILL:
        log = (tmp_path / "run.log").read_text(errors="replace")
        assert code == 128 + signum, log[-3000:]
        assert "stopping" in log
        assert list((output / STAGING_DIR).iterdir()) == []  # its work in progress removed
        assert not list(output.glob("runs/*.parquet"))  # no run listed: it did not finish
        assert not list(output.glob("articles/*.parquet"))
        manifests = list((output / CACHE_DIR).glob(f"*/*{MANIFEST_SUFFIX}"))
        assert all(json.loads(m.read_text())["article_ids"] for m in manifests)
