"""Tiny, offline stand-ins for NLLB-200 and distilbart-cnn, of the real architectures.

``python -m tests.models DIR`` writes ``DIR/nllb`` and ``DIR/summarizer``, each loadable the way
users load the real models (``AutoTokenizer`` / ``AutoModelForSeq2SeqLM.from_pretrained``). The
hub is unreachable here, so the tokenizers are trained on the NTREX-128 slice that the repository
carries (tests/data/ntrex128) and the weights are random but seeded: the same recipe always gives
the same files, with or without the full NTREX beside the project.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import torch
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import (
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    BartConfig,
    BartForConditionalGeneration,
    BartTokenizer,
    GenerationConfig,
    M2M100Config,
    M2M100ForConditionalGeneration,
    NllbTokenizer,
    PreTrainedModel,
)
from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES
from transformers.utils import logging as hf_logging

from tests.ntrex_slice import SLICE_DIR as NTREX_SLICE_DIR

REPO_ROOT = Path(__file__).resolve().parents[1]

# Bump when the recipe changes, so that cached builds (same DIR) are rebuilt, not reused.
RECIPE_VERSION = 2
STAMP_FILE = "tiny_model.json"
REQUIRED_FILES = (
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    STAMP_FILE,
)

# Special-token ids shared by NLLB-200 and BART checkpoints.
BOS_ID, PAD_ID, EOS_ID, UNK_ID = 0, 1, 2, 3
SPECIAL_TOKENS = ["<s>", "<pad>", "</s>", "<unk>"]

# NTREX files (newstest2019-ref.<name>.txt) and how many lines of each train the NLLB vocabulary
# (the summarizer's trains on the same English lines). Lines 120+ stay unseen, for checks. No
# CJK: thousands of rare characters would crowd the alphabet, and trimming it with
# ``limit_alphabet`` makes training non-deterministic.
NLLB_TRAIN_LINES = 120
NLLB_FOCUS_LINES = dict.fromkeys(["eng-US", "msa", "ind", "ben", "arb"], NLLB_TRAIN_LINES)
NLLB_OTHER_LANGS = ["hin", "rus", "fra", "deu", "spa", "por", "tur", "vie", "swa", "ukr", "fas"]
NLLB_OTHER_LANGS += ["urd", "tam"]
NLLB_OTHER_LINES = 100
NLLB_BPE_VOCAB = 7800  # + 202 language codes + <mask> = 8003 tokens
SUMMARIZER_BPE_VOCAB = 3000
SUMMARIZER_MAX_LENGTH = 256  # small, so tests exercise chunking (distilbart-cnn: 1024)

# Random weights: std 0.1 (not the usual 0.02) so that the source sentence and position visibly
# change the output instead of every input decoding to the same string.
INIT_STD = 0.1
# Seeds 0-7 were tried: most decode every sentence into one repeated token; 7 gives varied
# outputs (22 of 24 held-out sentences differ in their first 10 tokens, no immediate repeats).
NLLB_SEED = 7
# The EOS length model (see _shape_nllb_logits). `--measure` on 150 held-out msa/ben/arb NTREX
# sentences: all end by EOS, in 8-122 tokens, 0.65-1.3 output tokens per source token.
NLLB_EOS_SHARE = 1.0  # EOS logit at the target length, as a share of the typical top logit
NLLB_EOS_SLOPE = 0.3  # EOS logit gained per output token
NLLB_LENGTH_RATIO = 1.0  # target output tokens per source token
SUMMARIZER_SEED = 0
# Added to EOS's logit (typical top logit ~3.2): 12 NTREX paragraphs summarize to 9-33 tokens.
SUMMARIZER_EOS_BOOST = 2.5


def ntrex_dir() -> Path:
    """The NTREX-128 slice in the repository (see tests/ntrex_slice.py)."""
    return NTREX_SLICE_DIR


def ntrex_lines(ntrex: Path, name: str, start: int, stop: int | None) -> list[str]:
    text = (ntrex / f"newstest2019-ref.{name}.txt").read_text(encoding="utf-8")
    return text.splitlines()[start:stop]


def train_bpe(
    lines: Iterable[str],
    vocab_size: int,
    pre_tokenizer: pre_tokenizers.PreTokenizer,
    initial_alphabet: Sequence[str] = (),
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Train a BPE vocabulary whose first ids are <s> <pad> </s> <unk>, as in NLLB and BART."""
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizer
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=list(initial_alphabet),
        show_progress=False,
    )
    tokenizer.train_from_iterator(lines, trainer)
    # The merges are only exposed through the JSON form; transformers 5 wants them as tuples.
    model = json.loads(tokenizer.to_str())["model"]
    return model["vocab"], [tuple(pair) for pair in model["merges"]]


def train_nllb_tokenizer(ntrex: Path | None = None) -> NllbTokenizer:
    """An NllbTokenizer on a SentencePiece-like (Metaspace) BPE vocabulary trained on NTREX."""
    ntrex = ntrex or ntrex_dir()
    plan = NLLB_FOCUS_LINES | dict.fromkeys(NLLB_OTHER_LANGS, NLLB_OTHER_LINES)
    lines = [line for name, n in plan.items() for line in ntrex_lines(ntrex, name, 0, n)]
    metaspace = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    vocab, merges = train_bpe(lines, NLLB_BPE_VOCAB, metaspace)
    # Real NLLB puts the 202 language codes after the SentencePiece pieces and <mask> last;
    # listing them in the vocabulary pins those ids (NllbTokenizer would append <mask> first).
    for token in [*FAIRSEQ_LANGUAGE_CODES, "<mask>"]:
        vocab[token] = len(vocab)
    return NllbTokenizer(
        vocab=vocab,
        merges=merges,  # type: ignore[arg-type]  # hinted list[str]; tokenizers wants pairs
        src_lang="eng_Latn",
        model_max_length=1024,
    )


def _sinusoid_channels(d_model: int) -> tuple[int, int, float]:
    """Residual channels of M2M100's sinusoidal positions: (clock, zero, clock frequency).

    Channel i < d/2 holds sin(p * f_i), f_i = 10000 ** (-i / (d/2 - 1)). The clock (d = 64:
    channel 18, period ~1300 positions) rises near-linearly over the first ~200 positions;
    the last sine channel stays ~0 throughout.
    """
    half = d_model // 2
    clock = half * 9 // 16
    return clock, half - 1, math.exp(-clock * math.log(10000) / (half - 1))


def _reserve_channels(model: M2M100ForConditionalGeneration, channels: list[int]) -> None:
    """Keep only positions in these residual channels: no token embedding, no layer writes."""
    model.model.shared.weight[:, channels] = 0.0  # the encoder's and decoder's too
    layers = [*model.model.encoder.layers, *model.model.decoder.layers]
    for layer in layers:
        writers = [layer.self_attn.out_proj, layer.fc2]
        if hasattr(layer, "encoder_attn"):
            writers.append(layer.encoder_attn.out_proj)
        for linear in writers:
            linear.weight[channels] = 0.0
            linear.bias[channels] = 0.0


def _add_source_length_head(
    model: M2M100ForConditionalGeneration, clock: int, zero: int, weight: float
) -> None:
    """Cross-attention head 0 of the first decoder layer: attend uniformly to the source and
    subtract its mean clock reading (~ source length) from the decoder's clock channel."""
    attn = model.model.decoder.layers[0].encoder_attn
    head = slice(0, attn.head_dim)
    attn.q_proj.weight[head] = 0.0  # all scores equal: a plain mean over source tokens
    attn.q_proj.bias[head] = 0.0
    attn.v_proj.weight[head] = 0.0
    attn.v_proj.bias[head] = 0.0
    # clock - zero: the encoder's final norm subtracts one mean from both, so it cancels.
    attn.v_proj.weight[0, clock] = 1.0
    attn.v_proj.weight[0, zero] = -1.0
    attn.out_proj.weight[:, head] = 0.0
    attn.out_proj.weight[clock, 0] = -weight


def _add_eos_readout(
    model: M2M100ForConditionalGeneration, clock: int, zero: int, gain: float, boost: float
) -> None:
    """EOS's logit = gain * (decoder clock - source length) + boost + its random part."""
    embed = model.model.shared.weight  # tied with lm_head, as in real NLLB
    norm = model.model.decoder.layer_norm
    anchor = 0.25
    # Equal entries in both channels: EOS as an input token moves clock - zero by nothing.
    embed[EOS_ID, [clock, zero]] = anchor
    norm.weight[clock], norm.weight[zero] = gain / anchor, -gain / anchor
    norm.bias[clock], norm.bias[zero] = boost / anchor, 0.0


def _typical_max_logit(config: M2M100Config) -> float:
    # A logit h.w with |h| ~ sqrt(d) (layer norm) and w ~ N(0, std^2) has spread std*sqrt(d);
    # the largest of V of them sits near std * sqrt(d) * sqrt(2 ln V).
    return float(config.init_std * math.sqrt(config.d_model * 2 * math.log(config.vocab_size)))


def _final_norm_input_stds(model: M2M100ForConditionalGeneration) -> tuple[float, float]:
    """Typical std of the encoder's and decoder's final-norm inputs, on random tokens: the
    norms divide the length signal by these, so the signal's weights multiply them back."""
    stds: list[float] = []

    def record(_module: torch.nn.Module, args: tuple[torch.Tensor, ...], _out: object) -> None:
        stds.append(float(args[0].std(dim=-1).mean()))

    norms = [model.model.encoder.layer_norm, model.model.decoder.layer_norm]
    handles = [norm.register_forward_hook(record) for norm in norms]
    ids = torch.randint(4, model.config.vocab_size, (8, 40))
    model(input_ids=ids, decoder_input_ids=ids[:, :20])
    for handle in handles:
        handle.remove()
    # Rounded so that float noise (thread count, CPU kind) cannot change the weights' bytes.
    encoder_std, decoder_std = (round(std, 2) for std in stds)  # the encoder runs first
    return encoder_std, decoder_std


def _shape_nllb_logits(model: M2M100ForConditionalGeneration) -> None:
    """Random weights decode garbage of arbitrary length; give EOS a length model instead:
    its logit rises as the output grows past the source's length, as a trained model's does."""
    d_model = model.config.d_model
    clock, zero, freq = _sinusoid_channels(d_model)
    norm = model.model.decoder.layer_norm
    with torch.no_grad():
        # With tied embeddings the residual carries the current token's own embedding, which
        # makes greedy decoding copy it; random signs on the final norm break that.
        norm.weight.copy_(torch.randint(0, 2, (d_model,)) * 2.0 - 1.0)
        _reserve_channels(model, [clock, zero])
        encoder_std, decoder_std = _final_norm_input_stds(model.eval())
        # The source's mean clock reading is ~ f (n + 3) / 2 / encoder_std for n tokens.
        _add_source_length_head(model, clock, zero, 2 * NLLB_LENGTH_RATIO * encoder_std)
        gain = NLLB_EOS_SLOPE * decoder_std / freq
        boost = NLLB_EOS_SHARE * _typical_max_logit(model.config)
        _add_eos_readout(model, clock, zero, gain, boost)


def build_nllb(tokenizer: NllbTokenizer, seed: int = NLLB_SEED) -> M2M100ForConditionalGeneration:
    """NLLB-200's architecture and special ids (see NOTES.md for the 600M shape), but tiny."""
    config = M2M100Config(
        vocab_size=len(tokenizer),
        d_model=64,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=128,
        decoder_ffn_dim=128,
        max_position_embeddings=1024,
        scale_embedding=True,
        pad_token_id=PAD_ID,
        bos_token_id=BOS_ID,
        eos_token_id=EOS_ID,
        decoder_start_token_id=EOS_ID,
        encoder_layerdrop=0.0,  # as in the real config (the class default is 0.05)
        decoder_layerdrop=0.0,
        init_std=INIT_STD,
    )
    with torch.random.fork_rng():  # seed locally: leave the caller's RNG state alone
        torch.manual_seed(seed)
        model = M2M100ForConditionalGeneration(config)
        _shape_nllb_logits(model)
    # As the hub's generation_config.json, plus: never end right after the forced language code.
    model.generation_config = GenerationConfig(
        bos_token_id=BOS_ID,
        pad_token_id=PAD_ID,
        eos_token_id=EOS_ID,
        decoder_start_token_id=EOS_ID,
        max_length=200,
        begin_suppress_tokens=[EOS_ID],
    )
    return model.eval()


def train_summarizer_tokenizer(ntrex: Path | None = None) -> BartTokenizer:
    """A byte-level BPE BartTokenizer (RobertaTokenizer in transformers 5) on English NTREX."""
    lines = ntrex_lines(ntrex or ntrex_dir(), "eng-US", 0, NLLB_TRAIN_LINES)
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False)
    vocab, merges = train_bpe(
        lines, SUMMARIZER_BPE_VOCAB, byte_level, pre_tokenizers.ByteLevel.alphabet()
    )
    vocab["<mask>"] = len(vocab)  # last, as in BART
    return BartTokenizer(
        vocab=vocab,
        merges=merges,  # type: ignore[arg-type]  # hinted list[str]; tokenizers wants pairs
        model_max_length=SUMMARIZER_MAX_LENGTH,
    )


def build_summarizer(
    tokenizer: BartTokenizer, seed: int = SUMMARIZER_SEED
) -> BartForConditionalGeneration:
    """distilbart-cnn's architecture and generation settings, scaled down."""
    config = BartConfig(
        vocab_size=len(tokenizer),
        d_model=64,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=128,
        decoder_ffn_dim=128,
        max_position_embeddings=SUMMARIZER_MAX_LENGTH,
        pad_token_id=PAD_ID,
        bos_token_id=BOS_ID,
        eos_token_id=EOS_ID,
        decoder_start_token_id=EOS_ID,
        init_std=INIT_STD,
    )
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = BartForConditionalGeneration(config)
    with torch.no_grad():  # BART has a logits bias: a small push lets summaries end early
        model.final_logits_bias[0, EOS_ID] = SUMMARIZER_EOS_BOOST
    model.generation_config = GenerationConfig(
        bos_token_id=BOS_ID,
        pad_token_id=PAD_ID,
        eos_token_id=EOS_ID,
        decoder_start_token_id=EOS_ID,
        forced_bos_token_id=BOS_ID,
        forced_eos_token_id=EOS_ID,
        min_length=5,
        max_length=40,
        no_repeat_ngram_size=3,
        num_beams=2,
        length_penalty=2.0,
        early_stopping=True,
        begin_suppress_tokens=[EOS_ID],
    )
    return model.eval()


def _build_nllb_into(target: Path) -> None:
    tokenizer = train_nllb_tokenizer()
    _save(build_nllb(tokenizer), tokenizer, target)


def _build_summarizer_into(target: Path) -> None:
    tokenizer = train_summarizer_tokenizer()
    _save(build_summarizer(tokenizer), tokenizer, target)


def _save(model: PreTrainedModel, tokenizer: NllbTokenizer | BartTokenizer, target: Path) -> None:
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    # Written last: a directory with the stamp is complete.
    stamp = {"recipe_version": RECIPE_VERSION, "built_by": "tests/models.py"}
    (target / STAMP_FILE).write_text(json.dumps(stamp) + "\n", encoding="utf-8")


def is_complete(model_dir: Path) -> bool:
    if not all((model_dir / name).is_file() for name in REQUIRED_FILES):
        return False
    try:
        stamp = json.loads((model_dir / STAMP_FILE).read_text(encoding="utf-8"))
    except ValueError:
        return False
    return isinstance(stamp, dict) and stamp.get("recipe_version") == RECIPE_VERSION


def _ensure(target: Path, build: Callable[[Path], None]) -> Path:
    """Build into a scratch folder and move it into place, so readers never see half a model."""
    if is_complete(target):
        return target
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        build(scratch)
        scratch.chmod(0o755)  # mkdtemp makes it owner-only
        if target.exists() and not is_complete(target):
            shutil.rmtree(target)  # a stale recipe or an interrupted build
        try:
            scratch.rename(target)
        except OSError:  # another process finished first
            if not is_complete(target):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def build_tiny_models(out_dir: Path) -> tuple[Path, Path]:
    """Build (or reuse) ``out_dir/nllb`` and ``out_dir/summarizer``; returns both paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    nllb = _ensure(out_dir / "nllb", _build_nllb_into)
    summarizer = _ensure(out_dir / "summarizer", _build_summarizer_into)
    return nllb, summarizer


def measure_nllb_lengths(
    nllb_dir: Path, per_lang: int = 50, num_beams: int = 1
) -> list[tuple[int, int | None]]:
    """(source tokens, output tokens) for held-out msa/ben/arb NTREX sentences, one at a time,
    with max_new_tokens = 2 * source tokens + 10 as the product uses; None: hit the limit."""
    tokenizer = AutoTokenizer.from_pretrained(nllb_dir)
    model = AutoModelForSeq2SeqLM.from_pretrained(nllb_dir)
    eng = tokenizer.convert_tokens_to_ids("eng_Latn")
    pairs: list[tuple[int, int | None]] = []
    for name, code in (("msa", "zsm_Latn"), ("ben", "ben_Beng"), ("arb", "arb_Arab")):
        tokenizer.src_lang = code
        for sentence in ntrex_lines(ntrex_dir(), name, NLLB_TRAIN_LINES, None)[:per_lang]:
            inputs = tokenizer(sentence, return_tensors="pt")
            source = inputs.input_ids.shape[1]
            limit = 2 * source + 10
            out = model.generate(
                **inputs, forced_bos_token_id=eng, max_new_tokens=limit, num_beams=num_beams
            )
            new = out[0, 2:].tolist()  # after decoder start and the forced language code
            pairs.append((source, new.index(EOS_ID) if EOS_ID in new else None))
    return pairs


def _report(pairs: list[tuple[int, int | None]], num_beams: int) -> str:
    ended = sorted(n for _, n in pairs if n is not None)
    ratios = sorted(n / source for source, n in pairs if n is not None)
    hit = len(pairs) - len(ended)
    text = f"beams={num_beams}: {hit}/{len(pairs)} hit the limit"
    if ended:
        text += f"; output tokens {ended[0]}-{ended[-1]} (median {ended[len(ended) // 2]})"
        text += f"; output/source {ratios[0]:.2f}-{ratios[-1]:.2f}"
    return text


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument(
        "--measure", action="store_true", help="report NLLB output lengths (slow, minutes)"
    )
    args = parser.parse_args(argv)
    hf_logging.disable_progress_bar()
    start = time.perf_counter()
    nllb, summarizer = build_tiny_models(args.out_dir)
    print(f"{nllb}\n{summarizer}\nbuilt in {time.perf_counter() - start:.1f} s")
    if args.measure:
        for beams in (1, 4):
            print(_report(measure_nllb_lengths(nllb, num_beams=beams), beams), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
