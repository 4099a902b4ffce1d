"""The benchmark's inputs: NTREX documents, a tokenizer trained on NTREX, the full-size model.

The Hugging Face hub is unreachable here, so the benchmark builds the NLLB-200-distilled-600M
architecture from its configuration with random weights. The cost of a forward pass does not
depend on the weights, and every configuration is forced to generate the same number of tokens,
so the timings are those of the real model. The tokenizer is trained on NTREX text so that
source segments have realistic token counts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# NTREX-128 file suffix -> NLLB code, for the benchmark's three source languages.
NTREX_LANGS = {"msa": "zsm_Latn", "ben": "ben_Beng", "arb": "arb_Arab"}
NTREX_ENGLISH = "newstest2019-src.eng.txt"

# facebook/nllb-200-distilled-600M's config.json, less what only training uses.
NLLB_600M: dict[str, Any] = {
    "vocab_size": 256206,
    "d_model": 1024,
    "encoder_layers": 12,
    "decoder_layers": 12,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 4096,
    "decoder_ffn_dim": 4096,
    "max_position_embeddings": 1024,
    "scale_embedding": True,
    "activation_function": "relu",
    "pad_token_id": 1,
    "bos_token_id": 0,
    "eos_token_id": 2,
    "decoder_start_token_id": 2,
    "tie_word_embeddings": True,
}

TOKENIZER_VOCAB = 24000  # pieces learned from NTREX (the real model has 256k for 200 languages)
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]  # ids 0..3, as in NLLB


@dataclass(frozen=True)
class Segment:
    lang: str  # NLLB code
    doc_id: str
    text: str


def ntrex_file(ntrex_dir: Path, suffix: str) -> Path:
    return ntrex_dir / f"newstest2019-ref.{suffix}.txt"


def load_documents(ntrex_dir: Path, n_documents: int) -> dict[str, list[Segment]]:
    """The first `n_documents` NTREX documents, the same ones in each language, by NLLB code."""
    doc_ids = (ntrex_dir / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    doc_ids = [line.split("\t")[0] for line in doc_ids]
    chosen: list[str] = []
    for doc_id in doc_ids:
        if doc_id not in chosen:
            chosen.append(doc_id)
    keep = set(chosen[:n_documents])
    documents: dict[str, list[Segment]] = {}
    for suffix, lang in NTREX_LANGS.items():
        lines = ntrex_file(ntrex_dir, suffix).read_text(encoding="utf-8").splitlines()
        if len(lines) != len(doc_ids):
            raise ValueError(f"{suffix}: {len(lines)} lines for {len(doc_ids)} document ids")
        documents[lang] = [
            Segment(lang, doc_id, line.strip())
            for doc_id, line in zip(doc_ids, lines, strict=True)
            if doc_id in keep and line.strip()
        ]
    return documents


def english_lines(ntrex_dir: Path) -> list[str]:
    """NTREX's English side: the corpus the English target vocabulary is derived from."""
    text = (ntrex_dir / NTREX_ENGLISH).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def train_tokenizer(ntrex_dir: Path, vocab_size: int = TOKENIZER_VOCAB) -> Any:
    """An NllbTokenizer whose BPE pieces are learned from NTREX (English + the three sources)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import NllbTokenizer

    files = [str(ntrex_dir / NTREX_ENGLISH)]
    files += [str(ntrex_file(ntrex_dir, suffix)) for suffix in NTREX_LANGS]
    bpe = Tokenizer(models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIALS, show_progress=False, min_frequency=2
    )
    bpe.train(files, trainer)
    state = json.loads(bpe.to_str())["model"]
    vocab: dict[str, int] = state["vocab"]
    merges: Any = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in state["merges"]]
    # transformers 5 takes the merges as pairs (its annotation says strings).
    return NllbTokenizer(vocab=vocab, merges=merges, src_lang="zsm_Latn", tgt_lang="eng_Latn")


def cache_root() -> Path:
    base = os.environ.get("NEWSFLOW_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newsflow"
    )
    return Path(base) / "bench"


def model_key(ntrex_dir: Path, config: dict[str, Any], vocab_size: int) -> str:
    digest = hashlib.sha256(json.dumps([config, vocab_size], sort_keys=True).encode())
    digest.update((ntrex_dir / NTREX_ENGLISH).read_bytes()[:65536])
    return digest.hexdigest()[:12]


def random_model(model_config: Any, seed: int = 0) -> Any:
    """The model with random weights, made fast: built on the meta device, then filled.

    transformers' own initialization takes half a minute for 615M parameters on 2 cores; a
    normal fill of the same scale takes a few seconds. (Buffers such as the sinusoidal
    positions are not saved; loading recomputes them.)
    """
    import torch
    from transformers import M2M100ForConditionalGeneration

    with torch.device("meta"):
        model = M2M100ForConditionalGeneration(model_config)
    model = model.to_empty(device="cpu")
    model.tie_weights()  # to_empty unties the shared embedding and the output layer
    generator = torch.Generator().manual_seed(seed)
    std = float(getattr(model_config, "init_std", 0.02))
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if "layer_norm" in name:
                parameter.fill_(1.0 if name.endswith("weight") else 0.0)
            elif name.endswith("bias"):
                parameter.zero_()
            else:
                parameter.normal_(0.0, std, generator=generator)
    return model.eval()


def build_model_dir(
    ntrex_dir: Path,
    *,
    config: dict[str, Any] | None = None,
    vocab_size: int = TOKENIZER_VOCAB,
    root: Path | None = None,
    log: Callable[[str], None] = print,
) -> Path:
    """A `save_pretrained` directory of the model and tokenizer, built once and cached.

    Written to a temporary directory and renamed, so an interrupted build leaves nothing.
    """
    from transformers import M2M100Config

    config = dict(NLLB_600M if config is None else config)
    root = root or cache_root()
    target = root / f"nllb-{model_key(ntrex_dir, config, vocab_size)}"
    if (target / "config.json").is_file():
        return target
    root.mkdir(parents=True, exist_ok=True)
    tokenizer = train_tokenizer(ntrex_dir, vocab_size)
    log(f"building the model from its configuration ({config['d_model']}-d, random weights)")
    model_config = M2M100Config(**config)
    model = random_model(model_config)
    # Language codes the tokenizer added must exist in the model's vocabulary.
    if len(tokenizer) > model_config.vocab_size:
        raise ValueError(f"tokenizer has {len(tokenizer)} tokens, model {config['vocab_size']}")
    return save_once(model, tokenizer, root, target)


def save_once(model: Any, tokenizer: Any, root: Path, target: Path) -> Path:
    """Save a built model under `root` and rename it to `target`: complete or absent, and the
    first of two processes building it at once wins."""
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        try:
            tmp.rename(target)
        except OSError:  # another process finished first: keep theirs
            if not (target / "config.json").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
