"""The pipeline benchmark's summarizer: distilbart-cnn-12-6's architecture, random weights.

Built from its configuration (the hub is unreachable here) with a byte-level BPE tokenizer
trained on NTREX's English side and padded with unused pieces to the real vocabulary size (the
output layer's cost is the real one). Its generation config is the checkpoint's (beam 4, length
penalty 2.0, no repeated trigrams) with the summary length forced to `SUMMARY_TOKENS`, so every
configuration, and both newsflow backends, do the same work per summary. Cached like the
translator in `bench_model`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench_model import NTREX_ENGLISH, SPECIALS, cache_root, save_once

SUMMARY_TOKENS = 80  # typical of a news summary (distilbart-cnn's own run from 56 to 142)

# sshleifer/distilbart-cnn-12-6's config.json, less what only training uses.
DISTILBART_CNN_12_6: dict[str, Any] = {
    "vocab_size": 50264,
    "d_model": 1024,
    "encoder_layers": 12,
    "decoder_layers": 6,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 4096,
    "decoder_ffn_dim": 4096,
    "max_position_embeddings": 1024,
    "activation_function": "gelu",
    "scale_embedding": False,
    "normalize_before": False,
    "add_final_layer_norm": False,
    "normalize_embedding": True,
    "pad_token_id": 1,
    "bos_token_id": 0,
    "eos_token_id": 2,
    "decoder_start_token_id": 2,
    "forced_bos_token_id": 0,
    "forced_eos_token_id": 2,
    "tie_word_embeddings": True,
}


def train_tokenizer(ntrex_dir: Path, vocab_size: int) -> Any:
    """A BartTokenizer whose pieces are learned from NTREX English, padded to `vocab_size`."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import BartTokenizer

    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size - 1,
        special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train([str(ntrex_dir / NTREX_ENGLISH)], trainer)
    state = json.loads(bpe.to_str())["model"]
    vocab: dict[str, int] = state["vocab"]
    merges: Any = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in state["merges"]]
    while len(vocab) < vocab_size - 1:  # pieces no merge reaches: only the output layer's size
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<mask>"] = len(vocab)  # last, as in BART
    return BartTokenizer(vocab=vocab, merges=merges, model_max_length=1024)


def generation_config(summary_tokens: int) -> Any:
    from transformers import GenerationConfig

    length = summary_tokens + 2  # transformers counts the decoder's start token and <s>
    return GenerationConfig(
        bos_token_id=0,
        pad_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        num_beams=4,
        length_penalty=2.0,
        no_repeat_ngram_size=3,
        early_stopping=True,
        min_length=length,
        max_length=length,
    )


def random_bart(config: dict[str, Any], seed: int = 0) -> Any:
    """The model with random weights, built on the meta device and filled (fast)."""
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    with torch.device("meta"):
        model = BartForConditionalGeneration(BartConfig(**config))
    model = model.to_empty(device="cpu")
    model.tie_weights()
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "layer_norm" in name or "layernorm" in name:
                parameter.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name.endswith("bias"):
                parameter.zero_()
            else:
                parameter.normal_(0.0, 0.02, generator=generator)
        model.final_logits_bias.zero_()
    return model.eval()


def build_summarizer_dir(
    ntrex_dir: Path,
    *,
    summary_tokens: int = SUMMARY_TOKENS,
    config: dict[str, Any] | None = None,
    root: Path | None = None,
    log: Callable[[str], None] = print,
) -> Path:
    """A `save_pretrained` directory of the summarizer and its tokenizer, built once, cached."""
    config = dict(DISTILBART_CNN_12_6 if config is None else config)
    root = root or cache_root()
    digest = hashlib.sha256(json.dumps([config, summary_tokens], sort_keys=True).encode())
    digest.update((ntrex_dir / NTREX_ENGLISH).read_bytes()[:65536])
    target = root / f"distilbart-{digest.hexdigest()[:12]}"
    if (target / "config.json").is_file():
        return target
    root.mkdir(parents=True, exist_ok=True)
    log(f"building the summarizer from its configuration ({config['d_model']}-d, random weights)")
    tokenizer = train_tokenizer(ntrex_dir, int(config["vocab_size"]))
    model = random_bart(config)
    model.generation_config = generation_config(summary_tokens)
    return save_once(model, tokenizer, root, target)
