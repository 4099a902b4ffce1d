"""How a stop request reaches Prefect: its SIGTERM exception, and the retry condition of model
work."""

from __future__ import annotations

from typing import Any

from prefect.exceptions import TerminationSignal

from newslib.stop import request_stop, stop_requested


def stop_on_signal(error: BaseException) -> None:
    """Ask model work to stop when `error` is how Prefect reports SIGTERM in a flow run.

    During a flow run Prefect replaces the SIGTERM handler with its own, which raises
    `TerminationSignal` in the main thread (and calls the previous handler only once the flow
    has ended, which waits for the batch under way)."""
    if isinstance(error, TerminationSignal):
        request_stop(128 + error.signal)


def should_retry(*_: Any) -> bool:
    """Prefect's retry condition for model work: never retry a batch of a stopped run."""
    return not stop_requested()
