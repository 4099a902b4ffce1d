"""What the command shows while it works: its own progress lines, the stages' progress bars on
an interactive terminal, and a line every few seconds while Prefect starts."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from newslib.progress import Heartbeat, show_progress_on

T = TypeVar("T")

console = Console(stderr=True)  # everything but result tables goes to stderr


def say(text: str) -> None:
    """A progress line of the command itself, in the form of Prefect's log lines."""
    now = datetime.now().strftime("%H:%M:%S.%f")[:-3]
    line = f"{now} | INFO    | newsflow - {text}"
    console.print(line, markup=False, highlight=False, soft_wrap=True)  # one line, never wrapped


class _FirstRecord(logging.Handler):
    def __init__(self, seen: threading.Event) -> None:
        super().__init__()
        self.seen = seen

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.set()


@contextmanager
def progress_bars(terminal: Console) -> Iterator[None]:
    """Progress bars of the stages on an interactive terminal, with the log lines scrolling
    above them; elsewhere (a file, a pipe, a worker) the log lines alone."""
    if not terminal.is_terminal:
        yield
        return
    bars = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=terminal,
        redirect_stderr=True,
        redirect_stdout=True,
    )
    stages: dict[str, TaskID] = {}

    def show(what: str, done: int, total: int) -> None:
        if what not in stages:
            stages[what] = bars.add_task(what, total=total)
        bars.update(stages[what], completed=done, total=total)

    with bars:
        show_progress_on(show)
        try:
            yield
        finally:
            show_progress_on(None)


def until_the_flow_logs(start_flow: Callable[[], T]) -> T:
    """Run a flow, saying that Prefect is starting until the flow logs its first line: its
    temporary server can take 20 s to start, and the flow's own progress follows."""
    seen = threading.Event()
    handler = _FirstRecord(seen)
    flow_logger = logging.getLogger("prefect.flow_runs")
    flow_logger.addHandler(handler)
    server = "the temporary local server" if not os.environ.get("PREFECT_API_URL") else "the API"
    try:
        with (
            progress_bars(console),
            Heartbeat(f"starting the flow on Prefect ({server})", say, until=seen),
        ):
            return start_flow()
    finally:
        flow_logger.removeHandler(handler)
