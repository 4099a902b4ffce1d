"""Stopping a run on request: model work ends within one decoding step or one batch.

The command line sets `STOP` when it receives SIGTERM or SIGINT. Model work checks it between
batches (`check_stop`) and, with transformers, at every generated token (`stopping_criteria`),
so a stopped run does not keep the process busy translating for the rest of its batch.
"""

from __future__ import annotations

import threading
from typing import Any

STOP = threading.Event()
STOP_CODES: list[int] = []  # the exit code a stopped command should end with (128 + signal)


class RunStopped(Exception):
    """The run was asked to stop (SIGTERM or SIGINT); its work in progress is dropped."""


def request_stop(code: int) -> None:
    STOP_CODES.append(code)
    STOP.set()


def stop_requested() -> bool:
    return STOP.is_set()


def check_stop() -> None:
    if STOP.is_set():
        raise RunStopped("the run was stopped (SIGTERM or SIGINT) before this batch")


def stopping_criteria() -> Any:
    """transformers stopping criteria that end `generate` at the next token once stopped."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class StopOnRequest(StoppingCriteria):
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            return torch.full(
                (input_ids.shape[0],), STOP.is_set(), dtype=torch.bool, device=input_ids.device
            )

    return StoppingCriteriaList([StopOnRequest()])
