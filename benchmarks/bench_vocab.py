"""What the English target-vocabulary restriction does to output: `python -m
benchmarks.bench_vocab`.

Translates NTREX segments with the CTranslate2 backend twice, over the full vocabulary and over
the English one, and counts how many outputs change. With greedy decoding the restriction can
only change a segment whose full-vocabulary output used a piece outside the English vocabulary:
the scores of the pieces that remain are the same, so is their maximum. With beam search the
log-probabilities are normalized over fewer pieces, so hypotheses can rank differently.

    python -m benchmarks.bench_vocab MODEL_DIR [--ntrex DIR] [--lines 100] [--beams 1 4]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.bench_model import NTREX_LANGS, ntrex_file
from newslib.output.revision import local_model_revision


@dataclass
class VocabEffect:
    lang: str
    beams: int
    segments: int
    identical: int  # same output with the English vocabulary as with the full one
    outside: int  # full-vocabulary outputs that used a piece outside the English vocabulary
    restricted_outside: int  # restricted outputs with a piece outside the vocabulary (must be 0)
    covering_identical: int  # same output over English + every piece the full outputs used
    vocabulary: int  # pieces in the English vocabulary
    full_vocabulary: int


class CaptureHypotheses:
    """Wraps a ctranslate2.Translator and keeps the pieces of every hypothesis it returns."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self.hypotheses: dict[tuple[str, ...], list[str]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> Any:
        results = self._model.translate_batch(source, **kwargs)
        for tokens, result in zip(source, results, strict=True):
            # The translator asks for asynchronous results: wait for each one here.
            done = result.result() if kwargs.get("asynchronous") else result
            self.hypotheses[tuple(tokens)] = list(done.hypotheses[0])
        return results


def with_vmap(model_dir: Path, tokenizer: Any, ids: set[int], work: Path) -> Path:
    """A view of the converted model (files linked, not copied) with another vocabulary map."""
    from newslib.engines.ct2_translator import VMAP_FILE
    from newslib.engines.vocab import write_vmap

    view = Path(tempfile.mkdtemp(prefix="vmap-", dir=work))
    for file in model_dir.iterdir():
        if file.name != VMAP_FILE:
            (view / file.name).symlink_to(file.resolve())
    write_vmap(view / VMAP_FILE, tokenizer, ids)
    return view


def translate_capturing(
    base: Any, model: Any, texts: list[str], lang: str, beams: int, restrict: bool
) -> dict[tuple[str, ...], list[str]]:
    """The output pieces of each segment of `texts` (keyed by its source pieces), translated by
    `model` with the tokenizer and length settings of `base`, the loaded CTranslate2 translator.
    """
    from newslib.engines.ct2_translator import CTranslate2Translator

    capture = CaptureHypotheses(model)
    translator = CTranslate2Translator(
        base.tokenizer,
        capture,
        target_lang="eng_Latn",
        beams=beams,
        token_budget=4096,
        model_max=base.model_max,
        restrict_vocab=restrict,
        min_length=base.min_length,
    )
    translator.translate(texts, lang)
    return capture.hypotheses


def language_effect(
    base: Any,
    converted: Path,
    english: set[int],
    lang: str,
    texts: list[str],
    beams: int,
    work: Path,
) -> VocabEffect:
    """One language's outputs over the full, the English, and the covering vocabulary, counted."""
    from newslib.engines.ct2_translator import load_ct2_model

    tokenizer = base.tokenizer
    full = translate_capturing(base, base.model, texts, lang, beams, restrict=False)
    restricted = translate_capturing(base, base.model, texts, lang, beams, restrict=True)
    # The covering vocabulary needs a model of its own: its map is written into a view of the
    # converted model, and restricting to it is what `restrict_vocab` then does.
    used = {piece for pieces in full.values() for piece in pieces}
    covering = english | set(tokenizer.convert_tokens_to_ids(sorted(used)))
    view = with_vmap(converted, tokenizer, covering, work)
    covered_model = load_ct2_model(view, "cpu")
    covered = translate_capturing(base, covered_model, texts, lang, beams, restrict=True)
    # The English vocabulary as pieces, the way the outputs spell them.
    allowed = set(tokenizer.convert_ids_to_tokens(sorted(english)))
    return VocabEffect(
        lang,
        beams,
        len(texts),
        identical=sum(full[k] == restricted[k] for k in full),
        outside=sum(not set(full[k]) <= allowed for k in full),
        restricted_outside=sum(not set(r) <= allowed for r in restricted.values()),
        covering_identical=sum(full[k] == covered[k] for k in full),
        vocabulary=len(english),
        full_vocabulary=len(tokenizer),
    )


def measure(model_dir: Path, lines: dict[str, list[str]], beams: int) -> list[VocabEffect]:
    """Outputs over the full, the English, and a covering vocabulary (English plus every piece
    the full outputs used), per language. Over the covering one, greedy outputs must not change:
    what the restriction changes is then only what English could not say."""
    from newslib.engines.ct2_translator import (
        QUANTIZATION,
        convert,
        load_ct2_translator,
    )
    from newslib.engines.models import ModelSource
    from newslib.engines.vocab import english_token_ids

    source = ModelSource(str(model_dir), True, local_model_revision(model_dir))
    base = load_ct2_translator(
        source, "cpu", target_lang="eng_Latn", beams=beams, token_budget=4096
    )
    # The converted model's directory, for the views that carry another vocabulary map.
    converted = convert(source, QUANTIZATION["cpu"], "eng_Latn")
    english = set(english_token_ids(base.tokenizer, "eng_Latn"))
    with tempfile.TemporaryDirectory(prefix="newsflow-vocab-") as work:
        return [
            language_effect(base, converted, english, lang, texts, beams, Path(work))
            for lang, texts in lines.items()
        ]


def ntrex_lines(ntrex_dir: Path, n_lines: int) -> dict[str, list[str]]:
    lines = {}
    for suffix, lang in NTREX_LANGS.items():
        text = ntrex_file(ntrex_dir, suffix).read_text(encoding="utf-8")
        lines[lang] = [line for line in text.splitlines() if line.strip()][:n_lines]
    return lines


def markdown(effects: list[VocabEffect]) -> str:
    rows = [
        "| language | beams | segments | full output used non-English pieces "
        "| unchanged (English vocabulary) | unchanged (English + pieces the full output used) "
        "| restricted output outside the vocabulary |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for e in effects:
        rows.append(
            f"| {e.lang} | {e.beams} | {e.segments} | {e.outside} | {e.identical} "
            f"| {e.covering_identical} | {e.restricted_outside} |"
        )
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    from benchmarks.bench import default_ntrex_dir

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_vocab", description=__doc__)
    parser.add_argument("model_dir", type=Path, help="NLLB model directory (e.g. a tiny model)")
    parser.add_argument("--ntrex", type=Path, default=None)
    parser.add_argument("--lines", type=int, default=100, help="NTREX lines per language")
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--json", type=Path, help="also write the counts here")
    args = parser.parse_args(argv)
    if "NEWSFLOW_CACHE_DIR" not in os.environ:  # keep test-model conversions out of ~/.cache
        os.environ["NEWSFLOW_CACHE_DIR"] = tempfile.mkdtemp(prefix="newsflow-vocab-")
    lines = ntrex_lines(args.ntrex or default_ntrex_dir(), args.lines)
    effects = [e for beams in args.beams for e in measure(args.model_dir, lines, beams)]
    print(f"English vocabulary: {effects[0].vocabulary} of {effects[0].full_vocabulary} pieces")
    print(markdown(effects))
    if args.json:
        args.json.write_text(json.dumps([asdict(e) for e in effects], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
