"""From the run's settings to an `EngineSpec`: the models found, the device and backend chosen."""

from __future__ import annotations

from newslib.config import RunConfig
from newslib.engines.models import resolve_device, resolve_model
from newslib.engines.spec import EngineSpec, resolve_backend, restrict_vocab_for


def resolve_engines(config: RunConfig) -> EngineSpec:
    """Check the models can be had and the device exists, before any work starts."""
    device = resolve_device(config.device)
    backend = resolve_backend(config.backend, device)
    return EngineSpec(
        translator=resolve_model(config.model, "translation"),
        summarizer=resolve_model(config.summarizer, "summarization") if config.summarize else None,
        device=device,
        backend=backend,
        target_lang=config.target_lang,
        beams=config.beams,
        token_budget=config.token_budget,
        restrict_vocab=restrict_vocab_for(backend, config.restrict_vocab),
        summary_max_chunks=config.summary_max_chunks,
    )
