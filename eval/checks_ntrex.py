"""The quality checks measured on NTREX-128's human translations: their bounds and false alarms.

The length-ratio bounds of `newslib/checks/length_bounds.py` are derived from data, never typed by
hand; and the checks are run on the human translations (each paired with its English original
as the "output") to measure how often they flag a good translation:

    python -m eval.checks_ntrex --derive ../shared/data/ntrex128  # rewrites the bounds module
    python -m eval.checks_ntrex --rates ../shared/data/ntrex128   # flag rates of the references
"""

from __future__ import annotations

import argparse
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import newslib.checks.length_bounds
from newslib.checks.flags import (
    LENGTH_MEASURES,
    OUTPUT_CHECKS,
    RATIO_PERCENTILES,
    RATIO_SMOOTHING,
    RATIO_WIDENING,
    length_ratio,
    output_flags,
)
from newslib.text.languages import ENGLISH, NTREX_TO_NLLB, ntrex_files

BOUNDS_MODULE = Path(newslib.checks.length_bounds.__file__)
# NTREX's English, line-aligned with every other language (the US reference: the original
# with its few British spellings and typos corrected).
ENGLISH_FILE = "newstest2019-ref.eng-US.txt"


def _ntrex_pairs(ntrex_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """NLLB code -> (sentence, English original) pairs from NTREX-128.

    Where several NTREX files map to one NLLB code, the files of that very language are used
    (Hassaniya, sent as Modern Standard Arabic, does not shape Arabic's bounds).
    """
    english = _read_lines(ntrex_dir / ENGLISH_FILE)
    files: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    for code, path in ntrex_files(ntrex_dir).items():
        nllb = NTREX_TO_NLLB.get(code)
        if nllb is not None and nllb != ENGLISH:
            files[nllb].append((code, path))
    pairs: dict[str, list[tuple[str, str]]] = {}
    for nllb, candidates in sorted(files.items()):
        own = [p for c, p in candidates if c.split("-")[0].removeprefix("2.") == nllb[:3]]
        chosen = own or [p for _, p in candidates]
        pairs[nllb] = [
            (source, target)
            for path in chosen
            for source, target in zip(_read_lines(path), english, strict=False)
            if source.strip() and target.strip()
        ]
    return pairs


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _bounds(ratios: Sequence[float]) -> tuple[float, float]:
    low, high = (_percentile(ratios, q) for q in RATIO_PERCENTILES)
    return (
        math.floor(low / RATIO_WIDENING * 100) / 100,
        math.ceil(high * RATIO_WIDENING * 100) / 100,
    )


def half_truncated(text: str) -> str:
    """The first half of `text`'s words, ending as the whole did ("." stays "."): truncation
    an end-of-sentence check cannot see."""
    words = text.split()
    head = " ".join(words[: max(1, len(words) // 2)])
    end = text.rstrip()[-1:]
    return head + end if end and not end.isalnum() and not head.endswith(end) else head


def best_measure(pairs: Sequence[tuple[str, str]]) -> tuple[str, float, float]:
    """(measure, low, high) of the length measure that catches most half-truncated outputs.

    Each measure's bounds are its percentiles over the human translations, so every measure
    lets through the same share of them; the one whose lower bound catches more
    `half_truncated` English wins (the first of LENGTH_MEASURES on ties).
    """
    best: tuple[int, str, float, float] | None = None
    for measure in LENGTH_MEASURES:
        low, high = _bounds([length_ratio(s, e, measure) for s, e in pairs])
        caught = sum(length_ratio(s, half_truncated(e), measure) < low for s, e in pairs)
        if best is None or caught > best[0]:
            best = (caught, measure, low, high)
    assert best is not None
    return best[1], best[2], best[3]


def derive_bounds(ntrex_dir: Path) -> dict[str, Any]:
    """Length measure and ratio bounds per NLLB language, and character bounds per script and
    over all languages, from NTREX-128."""
    per_lang: dict[str, tuple[str, float, float, int]] = {}
    by_script: dict[str, list[float]] = defaultdict(list)
    for lang, pairs in _ntrex_pairs(ntrex_dir).items():
        per_lang[lang] = (*best_measure(pairs), len(pairs))
        by_script[lang.partition("_")[2]].extend(length_ratio(s, e) for s, e in pairs)
    every = [r for ratios in by_script.values() for r in ratios]
    return {
        "languages": per_lang,
        "scripts": {s: _bounds(r) for s, r in sorted(by_script.items()) if len(r) >= 1000},
        "default": _bounds(every),
    }


def bounds_module_source(derived: Mapping[str, Any]) -> str:
    languages = "\n".join(
        f'    "{lang}": ("{measure}", {low:.2f}, {high:.2f}),  # {n} sentences'
        for lang, (measure, low, high, n) in sorted(derived["languages"].items())
    )
    scripts = "\n".join(
        f'    "{script}": ({low:.2f}, {high:.2f}),'
        for script, (low, high) in derived["scripts"].items()
    )
    low, high = derived["default"]
    return f'''"""Length-ratio bounds for English translations. Generated: do not edit.

Regenerate with `python -m eval.checks_ntrex --derive ../shared/data/ntrex128`. The ratio is
`newslib.checks.flags.length_ratio`: (English characters + {RATIO_SMOOTHING}) / (source \
characters + {RATIO_SMOOTHING}),
whitespace not counted ("chars"), or its geometric mean with the same ratio of words
("chars+words"), over NTREX-128's 1,997 human translations of each language paired with the
English reference; each language uses the measure that best separates half-truncated English
from them. The bounds are the {RATIO_PERCENTILES[0]}th and {RATIO_PERCENTILES[1]}th percentiles \
of the ratio, widened {RATIO_WIDENING}x each way.
"""

# NLLB code -> (length measure, lowest, highest ratio of a normal translation).
LENGTH_RATIO_BOUNDS: dict[str, tuple[str, float, float]] = {{
{languages}
}}

# Languages NTREX lacks, by characters: all NTREX languages of the same script pooled (scripts
# with at least 1,000 sentences), else every language pooled.
SCRIPT_BOUNDS: dict[str, tuple[float, float]] = {{
{scripts}
}}
DEFAULT_BOUNDS: tuple[float, float] = ({low:.2f}, {high:.2f})
'''


def ntrex_flag_rates(ntrex_dir: Path, langs: Sequence[str]) -> dict[str, dict[str, float]]:
    """Share of NTREX sentences each check flags with the human English as the "translation".

    A sanity check of false positives: human translations should pass nearly every check.
    """
    pairs = _ntrex_pairs(ntrex_dir)
    rates: dict[str, dict[str, float]] = {}
    for lang in langs:
        counts = dict.fromkeys(OUTPUT_CHECKS, 0)
        for source, english in pairs[lang]:
            for name in output_flags(source, english, lang, hit_limit=False):
                counts[name] += 1
        rates[lang] = {name: count / len(pairs[lang]) for name, count in counts.items()}
        rates[lang]["sentences"] = len(pairs[lang])
    return rates


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.checks_ntrex", description=__doc__)
    parser.add_argument(
        "--derive",
        type=Path,
        metavar="NTREX_DIR",
        help="derive the length-ratio bounds and rewrite newslib/checks/length_bounds.py",
    )
    parser.add_argument(
        "--rates",
        type=Path,
        metavar="NTREX_DIR",
        help="print each check's flag rate on NTREX references",
    )
    parser.add_argument(
        "--langs",
        default="zsm_Latn,ben_Beng,arb_Arab",
        help="NLLB codes for --rates (comma-separated)",
    )
    args = parser.parse_args(argv)
    if args.derive:
        BOUNDS_MODULE.write_text(bounds_module_source(derive_bounds(args.derive)), encoding="utf-8")
        print(f"wrote {BOUNDS_MODULE}")
    if args.rates:
        for lang, rates in ntrex_flag_rates(args.rates, args.langs.split(",")).items():
            shown = ", ".join(f"{k} {v:.2%}" for k, v in rates.items() if k != "sentences")
            print(f"{lang} ({rates['sentences']:.0f} sentences): {shown}")
    if not (args.derive or args.rates):
        parser.print_help()


if __name__ == "__main__":
    main()
