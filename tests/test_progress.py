"""Progress a person can follow: counts, rate, time left, and a line at least every few seconds."""

from __future__ import annotations

import io
import logging
import threading
import time
from pathlib import Path

import pytest

from newslib.progress import Heartbeat, ProgressLog, format_duration

EVERY = 0.05  # seconds between lines in these tests (5 s in a run)


def test_lines_carry_counts_share_rate_and_time_left() -> None:
    lines: list[str] = []
    with ProgressLog("sentences translated", lines.append, every=EVERY) as progress:
        progress(0, 10)
        progress(4)  # the total is kept from the first call
        time.sleep(EVERY * 4)
    middle = [line for line in lines if line.startswith("sentences translated: 4/10 (40%), ")]
    assert middle and "/s, about " in middle[0] and middle[0].endswith(" s left"), lines
    assert lines[-1].startswith("sentences translated: 4/10 in ")


def test_a_long_silent_step_still_logs_at_least_every_period() -> None:
    lines: list[str] = []
    with ProgressLog("summary chunks written", lines.append, every=EVERY) as progress:
        progress(0, 3)
        time.sleep(EVERY * 6)  # one model call that takes long: no progress(...) meanwhile
    beats = [line for line in lines if "working for" in line]
    assert len(beats) >= 2, lines
    assert all(line.startswith("summary chunks written: 0/3 (0%), working for") for line in beats)


def test_nothing_is_logged_for_a_stage_that_never_began() -> None:
    lines: list[str] = []
    with ProgressLog("flagged sentences repaired", lines.append, every=EVERY):
        time.sleep(EVERY * 3)  # no repairs in this batch
    assert lines == []


def test_heartbeat_of_work_without_counts() -> None:
    lines: list[str] = []
    with Heartbeat("loading the models", lines.append, every=EVERY):
        time.sleep(EVERY * 3)
    assert lines[0] == "loading the models"
    assert lines[1].startswith("loading the models: working for ")
    assert lines[-1].startswith("loading the models: done in ")


def test_heartbeat_stops_when_the_work_speaks_for_itself() -> None:
    lines: list[str] = []
    flow_began = threading.Event()
    with Heartbeat("starting the flow", lines.append, every=EVERY, until=flow_began):
        time.sleep(EVERY * 2)
        flow_began.set()
        seen = len(lines)
        time.sleep(EVERY * 3)
    assert lines[1].startswith("starting the flow: working for ")
    assert len(lines) == seen  # nothing after, not even "done"


def test_no_final_line_when_the_stage_fails() -> None:
    lines: list[str] = []
    with pytest.raises(RuntimeError), ProgressLog("x", lines.append, total=5, every=60):
        raise RuntimeError("boom")
    assert lines == []


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.4, "0 s"), (42, "42 s"), (185, "3 min 5 s"), (7440, "2 h 4 min")]
)
def test_durations_read_short(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_long_texts_raise_no_transformers_warning(
    tiny_models: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    # Summaries chunk long texts on purpose; "Token indices sequence length is longer than the
    # specified maximum" would only alarm the user.
    from newslib.engines.models import ModelSource, load_tokenizer

    tokenizer = load_tokenizer(ModelSource(str(tiny_models[1]), True, "test"))
    with caplog.at_level(logging.WARNING):
        ids = tokenizer("word " * 5000)["input_ids"]
    assert len(ids) > tokenizer.model_max_length
    assert not [r for r in caplog.records if "sequence length" in r.getMessage()]


def test_progress_bars_on_a_terminal_and_log_lines_alone_elsewhere() -> None:
    from rich.console import Console

    from newsflow.terminal import progress_bars

    lines: list[str] = []
    for is_terminal in (True, False):
        screen = io.StringIO()
        console = Console(file=screen, force_terminal=is_terminal, width=100)
        with progress_bars(console), ProgressLog("sentences translated", lines.append) as progress:
            progress(3, 10)
        drawn = screen.getvalue()
        assert ("sentences translated" in drawn and "3/10" in drawn) == is_terminal, drawn
    assert lines == ["sentences translated: 3/10 in 0 s"] * 2  # the log lines either way
