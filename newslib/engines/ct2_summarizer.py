"""Summarizing through CTranslate2: the BART checkpoint converted once, cached, int8 on CPU.

The same map-reduce as the transformers summarizer (`Summarizer.summarize`: same tokenizer, same
chunks, same levels); only the generation of one summary per chunk runs on CTranslate2, with
the checkpoint's own generation config translated to CTranslate2's options (beams, length
penalty, minimum and maximum length, n-gram blocking, repetition penalty, the forced first
token). All chunks of a level, across every article of the batch, go to CTranslate2 in one
call that batches them itself, length-sorted, under the token budget.

The converted model lives beside the translator's in ``~/.cache/newsflow/ct2/<key>``, keyed
by the source model, its revision and the quantization, written atomically.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from newslib.engines.ct2_translator import (
    COMPUTE_TYPE,
    INFO_FILE,
    cache_dir,
    conversion_key,
    convert_once,
    load_ct2_model,
    source_directory,
)
from newslib.engines.models import ModelSource, load_tokenizer, quiet_transformers
from newslib.engines.summarizer import DEFAULT_MAX_CHUNKS, Summarizer
from newslib.engines.transformers_translator import ProgressCallback
from newslib.stop import check_stop

# float16 weights on GPU run as int8_float16 there: BART's summaries keep their quality in
# int8 (as NLLB's translations do) and the GPU holds half the memory.
QUANTIZATION = {"cpu": "int8", "cuda": "int8_float16"}
SUMMARIZER_TAG = "summarizer-v1"  # in the cache key: a summarizer is never mistaken for NLLB
POLL_SECONDS = 0.01
# Config attributes CTranslate2 4.8's BART converter reads that transformers 5 no longer
# defines on BartConfig (the hub's config.json of the distilbart checkpoints carries them).
BART_DEFAULTS = {"normalize_before": False, "add_final_layer_norm": False}


def generation_options(checkpoint: str, bos_token: str | None) -> dict[str, Any]:
    """The checkpoint's generation config as `translate_batch` options.

    transformers counts `max_length` / `min_length` with the decoder's start token;
    CTranslate2's decoding lengths count generated tokens (a forced first token included):
    one less."""
    from transformers import GenerationConfig

    try:
        generation = GenerationConfig.from_pretrained(checkpoint)
    except OSError:  # no generation_config.json: transformers' defaults
        generation = GenerationConfig()
    max_length = (
        int(generation.max_new_tokens)
        if generation.max_new_tokens is not None
        else int(generation.max_length) - 1
    )
    min_length = (
        int(generation.min_new_tokens)
        if generation.min_new_tokens is not None
        else max(0, int(generation.min_length or 0) - 1)
    )
    forced_first = generation.forced_bos_token_id is not None and bos_token is not None
    return {
        "beam_size": int(generation.num_beams or 1),
        "length_penalty": float(generation.length_penalty or 1.0),
        "repetition_penalty": float(generation.repetition_penalty or 1.0),
        "no_repeat_ngram_size": int(generation.no_repeat_ngram_size or 0),
        "max_decoding_length": max_length,
        "min_decoding_length": min_length,
        "prefix": [bos_token] if forced_first else [],
    }


def write_summarizer(source: ModelSource, quantization: str, out: Path) -> None:
    """Convert the BART checkpoint of `source` into `out`, with its generation options."""
    from ctranslate2.converters import TransformersConverter
    from transformers import AutoConfig

    class BartConverter(TransformersConverter):
        def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
            model = super().load_model(model_class, model_name_or_path, **kwargs)
            for name, value in BART_DEFAULTS.items():
                if not hasattr(model.config, name):
                    setattr(model.config, name, value)
            return model

    quiet_transformers()
    checkpoint = source_directory(source)
    BartConverter(checkpoint, load_as_float16=quantization != "int8").convert(
        str(out), quantization=quantization
    )
    tokenizer = load_tokenizer(source)
    hf_config = AutoConfig.from_pretrained(checkpoint)
    info = {
        "source": source.name,
        "revision": source.revision,
        "quantization": quantization,
        "max_position_embeddings": int(hf_config.max_position_embeddings),
        "generation": generation_options(checkpoint, tokenizer.bos_token),
    }
    (out / INFO_FILE).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")


def convert_summarizer(source: ModelSource, quantization: str, root: Path | None = None) -> Path:
    """The converted summarizer directory, converting on first use."""
    target = (root or cache_dir()) / conversion_key(source, quantization, SUMMARIZER_TAG)
    return convert_once(target, lambda out: write_summarizer(source, quantization, out))


class CTranslate2Summarizer(Summarizer):
    """BART through a converted CTranslate2 model; the map-reduce is `Summarizer`'s."""

    def __init__(
        self,
        tokenizer: Any,
        model: Any,
        *,
        options: dict[str, Any],
        positions: int,
        token_budget: int,
        max_chunks: int = DEFAULT_MAX_CHUNKS,
    ) -> None:
        super().__init__(
            tokenizer, model, token_budget=token_budget, max_chunks=max_chunks, positions=positions
        )
        self.options = dict(options)

    def generate(self, texts: list[str], progress: ProgressCallback | None = None) -> list[str]:
        """All `texts` in one asynchronous call: CTranslate2 sorts them by length and batches
        them under the token budget (divided by the beam size: each beam is a row)."""
        if not texts:
            return []
        options = dict(self.options)
        prefix = options.pop("prefix")
        rows = [self.tokenizer.convert_ids_to_tokens(self.tokenizer(t)["input_ids"]) for t in texts]
        if progress is not None:
            progress(0, len(texts))
        check_stop()
        started = time.perf_counter()
        pending = self.model.translate_batch(
            rows,
            target_prefix=[prefix] * len(rows) if prefix else None,
            max_batch_size=max(1, self.token_budget // options["beam_size"]),
            batch_type="tokens",
            max_input_length=self.input_limit + 2,
            asynchronous=True,
            **options,
        )
        results = wait_with_progress(pending, progress)
        self.model_seconds += time.perf_counter() - started
        return [self.decode(result.hypotheses[0]) for result in results]

    def decode(self, tokens: list[str]) -> str:
        ids = self.tokenizer.convert_tokens_to_ids(tokens)
        return str(self.tokenizer.decode(ids, skip_special_tokens=True)).strip()


def wait_with_progress(pending: list[Any], progress: ProgressCallback | None) -> list[Any]:
    """The results of an asynchronous call, polled (a synchronous one holds the GIL, freezing
    the process's other threads and its stop handler); `progress` hears each newly done row."""
    reported = 0
    while True:
        check_stop()
        done = sum(1 for result in pending if result.done())
        if progress is not None and done != reported:
            progress(done, len(pending))
            reported = done
        if done == len(pending):
            return [result.result() for result in pending]
        time.sleep(POLL_SECONDS)


def load_ct2_summarizer(
    source: ModelSource, device: str, *, token_budget: int, max_chunks: int = DEFAULT_MAX_CHUNKS
) -> CTranslate2Summarizer:
    """Convert (once) and load the summarization model of `source` for `device`."""
    model_dir = convert_summarizer(source, QUANTIZATION[device])
    info = json.loads((model_dir / INFO_FILE).read_text(encoding="utf-8"))
    compute = "int8_float16" if device == "cuda" else COMPUTE_TYPE[device]
    return CTranslate2Summarizer(
        load_tokenizer(source),
        load_ct2_model(model_dir, device, compute),
        options=info["generation"],
        positions=int(info["max_position_embeddings"]),
        token_budget=token_budget,
        max_chunks=max_chunks,
    )
