"""Progress lines a person can follow: counts, rate and time left, at least every few seconds.

`ProgressLog` is told how far a stage has got (`progress(done, total)`), and logs a line when
told, at most every `every` seconds, and, while the stage is running, from a heartbeat thread
whenever `every` seconds pass without a line: a single long model call still shows the stage is
alive. `Heartbeat` does the same for work that has no count (loading models). Lines go to the
`log` function they are given (a Prefect run logger in the flow), so they reach the terminal,
the Prefect UI and worker logs alike.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType

PROGRESS_EVERY_SECONDS = 5.0

# (stage, done, total): a live display in this process, such as the progress bars the command
# line draws on an interactive terminal. Log lines are written whether or not one is set.
Display = Callable[[str, int, int], None]
_display: Display | None = None


def show_progress_on(display: Display | None) -> None:
    """Send every stage's counts in this process to `display` too (None: stop)."""
    global _display
    _display = display


def format_duration(seconds: float) -> str:
    """'42 s', '3 min 5 s', '2 h 4 min': short, and precise enough for a time left."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


class Heartbeat:
    """'what', then 'what: working for T' every `every` seconds while the `with` block runs,
    then 'what: done in T'."""

    def __init__(
        self,
        what: str,
        log: Callable[[str], None],
        every: float = PROGRESS_EVERY_SECONDS,
        until: threading.Event | None = None,
        announce: bool = True,
    ) -> None:
        self.what, self.log, self.every = what, log, every
        self.announces = announce  # a first line at once (off: the first after `every`)
        self.started = self.last_line = time.perf_counter()
        self.until = until  # set by someone else when the work has its own lines from then on
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def elapsed(self) -> str:
        return format_duration(time.perf_counter() - self.started)

    def line(self) -> str:
        return f"{self.what}: working for {self.elapsed()}"

    def final_line(self) -> str | None:
        return f"{self.what}: done in {self.elapsed()}"

    def begun(self) -> bool:
        return True

    def emit(self) -> None:
        self.last_line = time.perf_counter()
        self.log(self.line())

    def _beat(self) -> None:
        while not self._stop.wait(self.every / 5):
            if self.until is not None and self.until.is_set():
                return
            with self._lock:
                if self.begun() and time.perf_counter() - self.last_line >= self.every:
                    self.emit()

    def announce(self) -> None:
        if self.announces:
            self.log(self.what)

    def __enter__(self) -> Heartbeat:
        self.announce()
        self._thread = threading.Thread(target=self._beat, name="progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        final = self.final_line()
        if kind is None and final is not None and not (self.until and self.until.is_set()):
            self.log(final)


class ProgressLog(Heartbeat):
    """'what: done/total (share), rate/s, about T left' lines, at least every `every` seconds.

    A context manager around the stage, and the stage's `(done, total)` progress callback.
    """

    def __init__(
        self,
        what: str,
        log: Callable[[str], None],
        total: int = 0,
        every: float = PROGRESS_EVERY_SECONDS,
    ) -> None:
        super().__init__(what, log, every, announce=False)  # its first count says it began
        self.total = total
        self.done = 0

    def __call__(self, done: int, total: int | None = None) -> None:
        with self._lock:
            if total and not self.total:  # the stage begins now: rate and time from here
                self.started = self.last_line = time.perf_counter()
            self.done = done
            if total is not None:
                self.total = total
            if _display is not None and self.total:
                _display(self.what, self.done, self.total)
            if time.perf_counter() - self.last_line >= self.every:
                self.emit()

    def begun(self) -> bool:
        # Lines only while the stage runs: none before it knows its size, none once it is done
        # (other stages of the same `with` block may still be running).
        return self.total > 0 and self.done < self.total

    def line(self) -> str:
        seconds = time.perf_counter() - self.started
        rate = self.done / seconds if seconds > 0 else 0.0
        text = f"{self.what}: {self.done}/{self.total}"
        if self.total:
            text += f" ({self.done / self.total:.0%})"
        if 0 < self.done < self.total:
            text += f", {rate:.1f}/s, about {format_duration((self.total - self.done) / rate)} left"
        elif self.done == 0:
            text += f", working for {self.elapsed()}"
        return text

    def final_line(self) -> str | None:
        if not self.total:
            return None
        return f"{self.what}: {self.done}/{self.total} in {self.elapsed()}"

    def __enter__(self) -> ProgressLog:
        super().__enter__()
        return self
