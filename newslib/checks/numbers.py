"""The `numbers` check: every number of the source is in the output, and the output adds none.

Numbers are compared by value. They are read in any script's digits (Latin, Bengali `৩.৫`,
Arabic-Indic `٣٫٥`, Persian `۱۲`), with the decimal and thousands separators of any convention
("1,000.5", "1.000,5", "1 000", "١٬٠٠٠", Indian "১,০০,০০০"), and multiplied by a scale word
after them ("4.5 juta" = "4.5 million" = "4,500,000", "১৫ লাখ" = "1.5 million", "$2bn"). A
number written as a word on the other side counts (English words on the output side; Malay,
Indonesian, Bengali and Arabic words on the source side; see `newslib/text/number_words.py`).
`newslib.checks.flags.output_flags` runs it with the other checks.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace

from newslib.text.number_words import (
    ATTACHED_ONLY,
    SCALE_WORDS,
    UNIT_SYSTEMS,
    scale_of,
    word_values,
)

# A number as written: digits of any script (`\d` is every Unicode decimal digit), possibly
# with separators between digit groups: "1,000", "3.5", "৩.৫", "٣٫٥" (Arabic decimal sign),
# "١٬٠٠٠" (Arabic thousands sign), "10:30", "1 000" with a no-break space; then the word
# after it (a scale word: "juta", "million", "লাখ"), possibly written onto it ("4.5m", "2bn").
_WORD_CHARS = r"[^\s\d.,;:!?()\[\]\"'“”‘’«»%$€£/\-]+"
_NUMBER = re.compile(
    r"(?<![\d.,])(\d+(?:[.,:\u066b\u066c\u00a0\u202f]\d+)*)"
    rf"(?:(?<=\d)({_WORD_CHARS})|\s+({_WORD_CHARS}))?"
)
# The most characters between two numbers of a range ("5 à 10", "2 to 3"), the word after the
# first included.
MAX_RANGE_GAP = 3
# "17 h 30", "19h00": a clock time written with an h, read as 17:30.
_CLOCK_HOURS = re.compile(r"\b(\d{1,2}) ?h ?(\d{2})\b")
_YEAR_RANGE = re.compile(r"(?:1[5-9]|20)\d\d[-–]\d\d")
_DECIMAL_SIGNS = ".,\u066b"
_SPACES = "\u00a0\u202f"
_GROUP_SIGNS = ",.\u066c\u00a0\u202f"


# After a number: "p.m." (3 p.m. is 15 h); "s" of a decade ("the 1930s" is "années 30",
# "ثلاثينيات", "1930-an"); the "st"/"th" of a century ("21st century").
_PM = re.compile(r"\s?p\.?\s?m\b", re.IGNORECASE)
_DECADE = re.compile(r"(?:'?s|-an)\b|(?:st|nd|rd|th)?[\s-]+century", re.IGNORECASE)


@dataclass(frozen=True)
class Number:
    text: str  # the digits as written: "4.5" of "4.5 juta"
    values: frozenset[float]  # what it may mean: "1.500" is 1500 or 1.5 (the convention decides)
    parts: tuple[int, ...]  # the groups of a time or a score ("10:30", "7.55"), else ()
    # A decade or a century ("1930s", "19th century"): its century may be left unsaid on the
    # other side ("années 30"), or said in words or Roman numerals ("XIXe siècle"); so a decade
    # also matches its last two digits, and neither is ever "added".
    decade: bool = False
    unit: str | None = None  # metric or imperial: the system of the unit after it, if any
    scale: float | None = None  # the scale word after it: 1e6 for "juta"


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _readings(digits: str) -> set[float]:
    """The values a digit string with separators can mean, in any convention.

    Two different separators: the last one is the decimal sign ("1,234.5", "1.234,5"). One
    separator used several times groups digits ("1,000,000", "১,০০,০০০"). One separator once:
    before exactly three digits it may group or be a decimal sign ("1.500"), else a decimal.
    """
    signs = [c for c in digits if not c.isdigit()]
    if not signs:
        return {float(digits)}
    groups = re.split(r"\D", digits)
    if len(set(signs)) > 1:
        last = max(digits.rfind(s) for s in set(signs))
        whole = re.sub(r"\D", "", digits[:last])
        return {float(f"{whole}.{digits[last + 1 :]}")} if signs[-1] in _DECIMAL_SIGNS else set()
    sign = signs[0]
    grouped = float("".join(groups))
    if sign in _SPACES:  # "116 123" may be a phone number as well as 116,123
        return {grouped} | {float(g) for g in groups}
    if len(signs) > 1:
        return {grouped}
    readings = set()
    if sign in _GROUP_SIGNS and len(groups[1]) == 3:
        readings.add(grouped)
    if sign in _DECIMAL_SIGNS:
        readings.add(float(f"{groups[0]}.{groups[1]}"))
    return readings or {float(g) for g in groups}


def _time_parts(digits: str) -> tuple[int, ...]:
    # "10:30", and "7.55" / "10.30" (a time or a score) also match their groups one by one.
    if ":" in digits or re.fullmatch(r"\d{1,2}[.,]\d{2}", digits):
        return tuple(int(part) for part in re.split(r"\D", digits))
    return ()


def numbers_in(text: str, lang: str = "eng") -> list[Number]:
    """The numbers written with digits in `text`, in any script, with their scale words.

    In a range ("5 à 10 cm", "2 to 3 million") the first number takes the unit and the scale
    of the second.
    """
    text = _CLOCK_HOURS.sub(r"\1:\2", unicodedata.normalize("NFC", text))
    matches = list(_NUMBER.finditer(text))
    found = [_read_number(match, text, lang) for match in matches]
    for i in range(len(found) - 2, -1, -1):
        first, second = found[i], found[i + 1]
        gap = text[matches[i].end() : matches[i + 1].start()]
        if _YEAR_RANGE.fullmatch(matches[i].group(1) + gap + matches[i + 1].group(1)):
            century = float(matches[i].group(1)[:2]) * 100  # "1950-53" ends in 1953
            found[i + 1] = replace(
                second, values=second.values | {century + v for v in second.values}
            )
        if (
            first.unit
            or first.scale
            or len(gap) > MAX_RANGE_GAP
            or not (second.unit or second.scale)
        ):
            continue
        scaled = {v * second.scale for v in first.values} if second.scale else set()
        found[i] = replace(
            first, values=first.values | scaled, unit=second.unit, scale=second.scale
        )
    return found


def _read_number(match: re.Match[str], text: str, lang: str) -> Number:
    digits = _ascii_digits(match.group(1))
    attached, spaced = match.group(2), match.group(3)
    scale = None
    if attached:
        scale = SCALE_WORDS.get(attached.lower()) or scale_of(attached, lang)
    elif spaced:
        scale = scale_of(spaced, lang)
    values = _readings(digits) if ":" not in digits else set()
    rest = text[match.end(1) :]
    if _PM.match(rest):
        values |= {v + 12 for v in values if v < 12}
    decade = bool(_DECADE.match(rest))
    if decade and len(digits) == 4:
        values |= {float(digits[2:])}
    if scale is not None:
        # "4.5m" may be metres: a lone letter keeps the plain reading too.
        plain = values if attached and attached.lower() in ATTACHED_ONLY else set()
        values = {v * scale for v in values} | plain
    unit = UNIT_SYSTEMS.get((attached or spaced or "").lower())
    parts = _time_parts(digits)
    if parts and _PM.match(rest) and parts[0] < 12:  # "5.30pm" is 17:30
        parts = (parts[0] + 12, *parts[1:])
    return Number(match.group(1), frozenset(values), parts, decade, unit, scale)


@dataclass(frozen=True)
class NumberDiff:
    missing: list[str]  # source numbers not in the output
    added: list[str]  # output numbers not in the source

    def __bool__(self) -> bool:
        return bool(self.missing or self.added)


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _covered(number: Number, values: set[float], parts: set[int]) -> bool:
    """Whether `number` is on the other side, whose numbers have `values` and `parts`.

    A time matches separate numbers group by group ("7.55am" and "৭ টা ৫৫"), and a lone
    number matches a group of a time on the other side; never the groups of a decimal
    ("3.5" is not "5.3", "4.5" is not "45").
    """
    if any(_same(v, w) for v in number.values for w in values):
        return True
    if number.parts:  # a time's ":00" needs no counterpart ("৪টার দিকে" is 04:00)
        needed = [p for i, p in enumerate(number.parts) if i == 0 or p != 0]
        return all(any(_same(p, w) for w in values) or p in parts for p in needed)
    return any(v == int(v) and int(v) in parts for v in number.values)


def _converted(number: Number, other_units: set[str]) -> bool:
    """A measure the other side gives in the other unit system ("250 kg", "550 pounds")."""
    return number.unit is not None and bool(other_units - {number.unit})


def _side(numbers: list[Number], words: set[float]) -> tuple[set[float], set[int]]:
    values = {v for n in numbers for v in n.values} | words
    return values, {p for n in numbers for p in n.parts}


def number_mismatch(source: str, output: str, src_lang: str) -> NumberDiff:
    """Numbers of the source missing from the output, and numbers the output adds, by value.

    "৩.৫" is "3.5", "1,000" is "1.000" is "১,০০০", "300 ألف" is "300,000", "4.5 juta" is
    "4.5 million"; "10:30" also matches "10.30" and "১০টা ৩০" group by group; a number written
    as a word on the other side counts ("9 orang" -> "nine people").
    """
    lang = src_lang.partition("_")[0]
    source_numbers, output_numbers = numbers_in(source, lang), numbers_in(output)
    if not source_numbers and not output_numbers:
        return NumberDiff([], [])
    output_words = word_values(output, "eng") if source_numbers else set()
    source_words = word_values(source, lang) if output_numbers else set()
    output_values, output_parts = _side(output_numbers, output_words)
    source_values, source_parts = _side(source_numbers, source_words)
    source_units = {n.unit for n in source_numbers if n.unit}
    output_units = {n.unit for n in output_numbers if n.unit}
    missing = [
        n.text
        for n in source_numbers
        if not _converted(n, output_units) and not _covered(n, output_values, output_parts)
    ]
    added = [
        n.text
        for n in output_numbers
        if not n.decade
        and not _converted(n, source_units)
        and not _covered(n, source_values, source_parts)
    ]
    return NumberDiff(missing, added)
