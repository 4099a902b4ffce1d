"""How well the quality flags work, measured on NTREX-128: false alarms and detections.

Human translations stand in for a good output: each NTREX sentence of a language, with the
English reference as its "translation", should raise no flag (false-positive rate per flag).
Then the English is broken the ways NLLB breaks it, and each break should raise its flag
(detection rate per corruption):

- `other_language`: the output is the same sentence in another language (NTREX's own);
- `half_source`: the first half of the English, then the second half of the source;
- `number_dropped`, `number_x10`, `decimal_shift`, `number_plus_one`: one number of the
  English dropped, multiplied by ten, its decimal point moved, or one added;
- `half_truncated`: the first half of the English words, ending as the whole did;
- `repeated_phrase`: a phrase of 2 to 5 words said three times in a row.

A corruption is applied only to sentences whose human pair raises no flag, and only where it
can be (a number to change, enough words); its rate counts the flags meant for it.

    python -m eval.checks_corruptions ../shared/data/ntrex128 [--langs zsm_Latn,...]
"""

from __future__ import annotations

import argparse
import hashlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from eval.checks_ntrex import ENGLISH_FILE, half_truncated
from newslib.checks.flags import output_flags
from newslib.text.languages import ntrex_files

# Source languages measured (NLLB code -> NTREX file code), and the languages whose NTREX
# sentence stands in for an off-target output (taken in turn, never the source itself).
LANGUAGES = {
    "zsm_Latn": "msa",
    "ind_Latn": "ind",
    "ben_Beng": "ben",
    "arb_Arab": "arb",
    "fra_Latn": "fra",
}
OTHER_LANGUAGES: tuple[str, ...] = (
    *("fra", "deu", "spa", "ind", "msa", "por", "ita", "nld", "tur", "vie", "ben"),
    *("arb", "rus", "hin", "swh", "tgl"),
)

# The flags that should catch each corruption.
EXPECTED = {
    "other_language": ("off_target", "untranslated"),
    "half_source": ("untranslated", "off_target"),
    "number_dropped": ("numbers",),
    "number_x10": ("numbers",),
    "decimal_shift": ("numbers",),
    "number_plus_one": ("numbers",),
    "half_truncated": ("length_ratio",),
    "repeated_phrase": ("repetition",),
}
_LATIN_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*(?![\d])")


def _pick(key: str, n: int) -> int:
    """A stable choice among n (the same on every run and machine)."""
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % n


def _with_number(english: str, key: str, change: Callable[[str], str | None]) -> str | None:
    numbers = list(_LATIN_NUMBER.finditer(english))
    if not numbers:
        return None
    match = numbers[_pick(key, len(numbers))]
    new = change(match.group())
    if new is None:
        return None
    return (english[: match.start()] + new + english[match.end() :]).replace("  ", " ")


def times_ten(number: str) -> str:
    if "." in number:
        whole, _, fraction = number.partition(".")
        shifted = whole + fraction[:1] + ("." + fraction[1:] if fraction[1:] else "")
        return shifted.lstrip("0") or "0"
    if "," in number:  # 1,200 -> 12,000
        return f"{int(number.replace(',', '')) * 10:,}"
    return number + "0"


def decimal_shift(number: str) -> str | None:
    if "." in number:  # 4.5 -> 45
        return number.replace(".", "", 1).lstrip("0") or "0"
    digits = number.replace(",", "")
    return f"{digits[:-1]}.{digits[-1]}" if len(digits) > 1 else None  # 45 -> 4.5


def plus_one(number: str) -> str:
    digits = number.replace(",", "")
    if "." in digits:
        whole, _, fraction = digits.partition(".")
        return f"{int(whole) + 1}.{fraction}"
    return str(int(digits) + 1)


def repeated_phrase(english: str, key: str) -> str | None:
    words = english.split()
    size = 2 + _pick(key + "size", 4)
    if len(words) < size + 2:
        return None
    start = _pick(key, len(words) - size + 1)
    phrase = words[start : start + size]
    return " ".join(words[: start + size] + phrase + phrase + words[start + size :])


def corruptions(source: str, english: str, other: str | None, key: str) -> dict[str, str | None]:
    """Every corruption of `english` (None where one cannot be made of this sentence)."""
    words, source_words = english.split(), source.split()
    return {
        "other_language": other,
        "half_source": " ".join(words[: len(words) // 2] + source_words[len(source_words) // 2 :])
        if len(words) >= 6 and len(source_words) >= 6
        else None,
        "number_dropped": _with_number(english, key, lambda n: ""),
        "number_x10": _with_number(english, key, times_ten),
        "decimal_shift": _with_number(english, key, decimal_shift),
        "number_plus_one": _with_number(english, key, plus_one),
        "half_truncated": half_truncated(english) if len(words) >= 4 else None,
        "repeated_phrase": repeated_phrase(english, key),
    }


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def measure(ntrex_dir: Path, lang: str, limit: int | None = None) -> dict[str, object]:
    """False-positive rate of each flag and detection rate of each corruption for `lang`."""
    files = ntrex_files(ntrex_dir)
    english = _lines(ntrex_dir / ENGLISH_FILE)
    source = _lines(files[LANGUAGES[lang]])
    others = [c for c in OTHER_LANGUAGES if c != LANGUAGES[lang] and c in files]
    other_lines = {c: _lines(files[c]) for c in others}
    pairs = [(i, s, e) for i, (s, e) in enumerate(zip(source, english, strict=False)) if s and e][
        :limit
    ]
    false_flags: dict[str, int] = {}
    caught = dict.fromkeys(EXPECTED, 0)
    tried = dict.fromkeys(EXPECTED, 0)
    for i, src, eng in pairs:
        flags = output_flags(src, eng, lang, hit_limit=False)
        for name in flags:
            false_flags[name] = false_flags.get(name, 0) + 1
        if flags:
            continue
        other_code = others[i % len(others)]
        broken = corruptions(src, eng, other_lines[other_code][i] or None, f"{lang}:{i}")
        for kind, output in broken.items():
            if output is None or output == eng:
                continue
            tried[kind] += 1
            fired = output_flags(src, output, lang, hit_limit=False)
            caught[kind] += any(name in fired for name in EXPECTED[kind])
    return {
        "sentences": len(pairs),
        "false_positive": {k: v / len(pairs) for k, v in sorted(false_flags.items())},
        "any_flag": sum(false_flags.values()) / len(pairs),
        "detected": {k: (caught[k] / tried[k] if tried[k] else None) for k in EXPECTED},
        "tried": tried,
    }


def markdown(results: dict[str, dict[str, object]], flags: Sequence[str]) -> str:
    """Two tables: false-positive rates per flag, detection rates per corruption."""
    head = "| source | sentences | " + " | ".join(flags) + " |"
    rows = [head, "|---|---:|" + "---:|" * len(flags)]
    for lang, r in results.items():
        fp = r["false_positive"]
        assert isinstance(fp, dict)
        rows.append(
            f"| {lang} | {r['sentences']} | "
            + " | ".join(f"{fp.get(f, 0.0):.2%}" for f in flags)
            + " |"
        )
    rows += ["", "| source | " + " | ".join(EXPECTED) + " |"]
    rows.append("|---|" + "---:|" * len(EXPECTED))
    for lang, r in results.items():
        detected, tried = r["detected"], r["tried"]
        assert isinstance(detected, dict) and isinstance(tried, dict)
        cells = [
            "-" if detected[k] is None else f"{detected[k]:.1%} ({tried[k]})" for k in EXPECTED
        ]
        rows.append(f"| {lang} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.checks_corruptions", description=__doc__)
    parser.add_argument("ntrex_dir", type=Path, help="NTREX-128 directory")
    parser.add_argument("--langs", default=",".join(LANGUAGES), help="NLLB codes, comma-separated")
    parser.add_argument("--limit", type=int, default=None, help="first N sentences only")
    args = parser.parse_args(argv)
    from newslib.output.schema import FLAGS

    flags = [f for f in FLAGS if f not in ("language_mismatch", "low_confidence", "length_limit")]
    results = {lang: measure(args.ntrex_dir, lang, args.limit) for lang in args.langs.split(",")}
    print(markdown(results, flags))


if __name__ == "__main__":
    main()
