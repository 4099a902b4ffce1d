"""Ending a command cleanly: SIGTERM and SIGINT stop the run, and no child process outlives it.

A run starts child processes: Prefect's temporary server (a uvicorn process listening on
127.0.0.1), and with `--task-runner dask` a local cluster. On SIGTERM or SIGINT the command
asks model work to stop (`newslib.stop`), unwinds like any error (the run's partial files are
removed, see `flows.pipeline`), ends every child process (politely, then with SIGKILL after a
few seconds) and exits without waiting for a model call still running in another thread. On a
normal exit, every child still alive is ended the same way, after Prefect's own cleanup.
SIGKILL itself cannot be caught; a watchdog process (`python -m newsflow.shutdown PID`) ends
what a killed command leaves behind.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import psutil

from newslib.stop import STOP, STOP_CODES, request_stop

GRACE_SECONDS = 5.0
# After SIGTERM/SIGINT, the command exits within this many seconds whatever is still running.
STOP_DEADLINE_SECONDS = 5.0
WATCH_INTERVAL_SECONDS = 1.0


class Stopped(SystemExit):
    """Raised in the main thread on SIGTERM or SIGINT; its code is 128 + the signal number."""


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if STOP.is_set():  # a second signal while stopping: leave at once
        exit_now(128 + signum)
    request_stop(128 + signum)
    print(f"newsflow: {signal.Signals(signum).name} received: stopping", file=sys.stderr)
    raise Stopped(128 + signum)


def _exit_after_stop() -> None:
    """Once a stop is requested (by our handler, or by the flow on Prefect's SIGTERM), give the
    run STOP_DEADLINE_SECONDS to remove its partial files, then leave whatever still runs:
    Prefect's task runner waits for the model call under way otherwise."""
    STOP.wait()
    print("newsflow: stopping: the run's partial files are being removed", file=sys.stderr)
    time.sleep(STOP_DEADLINE_SECONDS)
    exit_now(STOP_CODES[0] if STOP_CODES else 143)


def exit_now(code: int) -> None:
    """End every child process, then this process, without waiting for model work in other
    threads: a CTranslate2 batch cannot be interrupted, and may take many seconds."""
    sys.stdout.flush()
    sys.stderr.flush()
    end_children()
    os._exit(code)


@contextmanager
def stoppable() -> Iterator[None]:
    """Run a command's flow so that SIGTERM/SIGINT stop it and leave nothing running.

    The flow unwinds first (its partial files are removed, Prefect records the run as
    crashed), then the command exits at once."""
    install()
    try:
        yield
    except Stopped as stop:
        exit_now(int(stop.code or 1))


def end_children(grace: float = GRACE_SECONDS) -> None:
    """Terminate every descendant of this process; kill those still alive after `grace`."""
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    end_processes(children, grace)


def end_processes(processes: list[psutil.Process], grace: float = GRACE_SECONDS) -> None:
    """Terminate `processes`; kill those still alive after `grace` seconds."""
    for process in processes:
        try:
            process.terminate()
        except psutil.Error:
            continue
    _, alive = psutil.wait_procs(processes, timeout=grace)
    for process in alive:
        try:
            process.kill()
        except psutil.Error:
            continue


_installed: list[bool] = []


def install() -> None:
    """Stop on SIGTERM/SIGINT; end every child process on exit; watch for SIGKILL (once)."""
    if _installed:
        return
    _installed.append(True)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    threading.Thread(target=_exit_after_stop, name="newsflow-stop-deadline", daemon=True).start()
    atexit.register(end_children)  # registered first, so it runs after Prefect's own cleanup
    start_watchdog()


def start_watchdog() -> None:
    """A small process that ends this one's descendants if this one dies without doing so."""
    watchdog = subprocess.Popen(
        [sys.executable, "-m", "newsflow.shutdown", str(os.getpid())],
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # not a child to end, and out of reach of the terminal's ^C
    )
    atexit.register(_stop_watchdog, watchdog)


def _stop_watchdog(watchdog: subprocess.Popen[bytes]) -> None:
    watchdog.terminate()
    watchdog.wait()


def watch(pid: int) -> None:
    """Remember `pid`'s descendants while it lives; when it is gone, end those left."""
    try:
        parent = psutil.Process(pid)
    except psutil.Error:
        return
    seen: dict[int, psutil.Process] = {}
    while parent.is_running():
        try:
            for child in parent.children(recursive=True):
                if child.pid != os.getpid():  # not this watchdog itself
                    seen.setdefault(child.pid, child)
        except psutil.Error:
            break
        time.sleep(WATCH_INTERVAL_SECONDS)
    end_processes([p for p in seen.values() if p.is_running()])  # same pid and start time only


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch(int(sys.argv[1]))
