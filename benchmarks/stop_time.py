"""How long `newsflow run` takes to end after SIGTERM while a model is translating.

    python -m benchmarks.stop_time MODEL_DIR --backend ctranslate2

Writes NTREX articles as inputs, starts `newsflow run` on them (no summaries), waits until the
models are loaded and a few seconds of model work have passed, sends SIGTERM, and prints the
seconds from the signal to the command's exit, its exit code, and whether any process it started
is still alive.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.overhead import write_articles

MODELS_LOADED = "Task run 'load-models"


def measure(model: Path, backend: str, beams: int, ntrex: Path, work_seconds: float) -> None:
    root = Path(tempfile.mkdtemp(prefix="newsflow-stop-"))
    write_articles(ntrex, 12, root / "in", root / "refs")
    command = [
        str(Path(sys.executable).with_name("newsflow")), "run", str(root / "in"),
        "--output", str(root / "out"), "--model", str(model), "--no-summarize",
        "--backend", backend, "--beams", str(beams), "--source-lang", "zsm_Latn",
    ]  # fmt: skip
    log_path = root / "run.log"
    with log_path.open("wb") as log:
        run = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        while MODELS_LOADED not in log_path.read_text(errors="replace"):
            if run.poll() is not None:
                raise SystemExit(log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        time.sleep(work_seconds)  # model work under way on the first batch
        children = psutil.Process(run.pid).children(recursive=True)
        sent = time.perf_counter()
        run.send_signal(signal.SIGTERM)
        code = run.wait()
        seconds = time.perf_counter() - sent
    _, alive = psutil.wait_procs(children, timeout=30)
    print(
        f"backend {backend}, beams {beams}: exit code {code} {seconds:.1f} s after SIGTERM; "
        f"processes left: {len(alive)}; log: {log_path}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--backend", default="ctranslate2")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--work-seconds", type=float, default=5.0)
    default_ntrex = Path(os.environ.get("NEWSFLOW_SHARED_DIR", "../shared")) / "data/ntrex128"
    parser.add_argument("--ntrex", type=Path, default=default_ntrex)
    options = parser.parse_args()
    measure(options.model, options.backend, options.beams, options.ntrex, options.work_seconds)


if __name__ == "__main__":
    main()
