"""The target vocabulary English needs, for restricting NLLB's output layer to it.

NLLB's output layer scores 256k pieces for 200 languages at every decoding step: more than half
of a step's work for the 600M model. English needs a fraction of them. A piece is kept when
every character of it occurs in English text: ASCII, plus the characters an English corpus uses
beyond ASCII (typographic quotes, currency signs, accented names). Every English text over those
characters is therefore spelled with exactly the pieces the full vocabulary would use; only
pieces English cannot contain (other scripts, other languages' diacritics) are removed.

CTranslate2 applies the restriction through a vocabulary map (`vmap.txt`) stored with the
converted model; the rule's version is part of the converted model's cache key.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

VOCAB_RULE_VERSION = 2

# Non-ASCII characters of the English side of NTREX-128 (newstest2019 source and its three
# English references), most frequent first, plus the dashes, ellipsis and degree sign of
# English typography.
ENGLISH_EXTRA_CHARS = "’‘£”“á€é½í–—…°"

METASPACE = "▁"  # SentencePiece's word-boundary mark
VMAP_SEPARATORS = (
    " \t\n\r"  # what CTranslate2's vmap reader splits on (a piece with one is left out)
)


def english_characters(corpus: Iterable[str] = ()) -> set[str]:
    chars = set(string.printable) | set(ENGLISH_EXTRA_CHARS)
    for line in corpus:
        chars.update(line)
    return chars - {"\n", "\r", "\t", "\x0b", "\x0c"}


def english_token_ids(tokenizer: Any, target_lang: str, corpus: Iterable[str] = ()) -> list[int]:
    """Ids of the pieces an English translation can use, with the special tokens it needs.

    `corpus` (English lines) adds its characters to the allowed ones, and its own pieces.
    """
    lines = list(corpus)
    chars = english_characters(lines)
    special = set(tokenizer.all_special_tokens)  # language codes, <mask>, ...
    needed = (
        tokenizer.bos_token_id,
        tokenizer.pad_token_id,
        tokenizer.eos_token_id,
        tokenizer.unk_token_id,
        tokenizer.convert_tokens_to_ids(target_lang),
    )
    ids = {int(i) for i in needed if i is not None}
    for piece, index in tokenizer.get_vocab().items():
        if piece not in special and all(c in chars for c in piece.replace(METASPACE, "")):
            ids.add(int(index))
    for line in lines:
        ids.update(int(i) for i in tokenizer(line, add_special_tokens=False)["input_ids"])
    return sorted(ids)


def write_vmap(path: Path, tokenizer: Any, ids: Iterable[int]) -> int:
    """A CTranslate2 vocabulary map whose only rule makes `ids` the candidates of every step.

    Returns how many pieces it holds.
    """
    pieces = [
        piece
        for piece in tokenizer.convert_ids_to_tokens(sorted(set(ids)))
        if piece and not any(c in VMAP_SEPARATORS for c in piece)
    ]
    # An empty source key marks tokens that are always candidates.
    path.write_text("\t" + " ".join(pieces) + "\n", encoding="utf-8")
    return len(pieces)


def read_vmap(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return text.split("\t", 1)[1].split() if "\t" in text else []
