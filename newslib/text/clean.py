"""Cleaning: strip what news scrapers leave behind, keep the paragraphs, say what went and why.

Scraped article text comes one paragraph per line, mixed with page furniture: comment counters,
ad slots and labels, "download our app" promos, share and follow buttons, the A / A / A
font-size widget, captions scraped twice, dangling "Source" labels, "read more" lines,
related-article headers and their headline lists, pipes left over from caption tables.

Every rule is a whole-line match on a short line, never "the line contains X": real news text
must pass through untouched apart from normalization. The guard for that is NTREX-128 (1,997
news sentences in 128 languages), where no line may be dropped.

Per line, in order:
  1. normalize (`normalize_line`): control / zero-width characters out, NFC, whitespace collapsed;
  2. blank after that: layout, skipped and not recorded;
  3. table pipes around the content are stripped (`| caption |`, `sentence. |`);
  4. the first rule of `RULES` (newslib/text/clean_rules.py) that matches the line (with or without
     its pipes) drops it, unless the line reads as news (`reads_as_news`);
  5. a caption identical to the kept line just before it is dropped as `duplicate_line`;
  6. after a related-articles header alone on its line ("Baca juga:"), the headlines listed
     under it go too (`related_links`), up to the first line that is not a headline.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from newslib.text.clean_rules import (
    MAX_LISTED_HEADLINES,
    RULES,
    looks_like_headline,
    match_rule,
    opens_headline_list,
    reads_as_news,
)

__all__ = ["RULES", "CleanedText", "DroppedLine", "clean_text", "match_rule", "normalize_line"]


@dataclass(frozen=True)
class DroppedLine:
    line_no: int  # 0-based index of the line in raw.splitlines()
    text: str  # the raw line as it was
    reason: str  # short snake_case reason, one of the reasons in RULES or "duplicate_line"


@dataclass(frozen=True)
class CleanedText:
    lines: list[str]  # kept paragraphs in order: NFC, whitespace-stripped, never empty
    dropped: list[DroppedLine]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


# --- normalization ---------------------------------------------------------------------------

# C1 controls that are really Windows-1252 punctuation decoded as Latin-1 (NTREX Bosnian has
# „ and ” that way). Mapping them back keeps the quotes; other C1 controls are just removed.
_CP1252_PUNCTUATION = {
    0x82: "‚",
    0x84: "„",
    0x8B: "‹",
    0x91: "‘",
    0x92: "’",
    0x93: "“",
    0x94: "”",
    0x96: "–",
    0x97: "—",
    0x9B: "›",
}

# Invisible characters that carry no text: C0/C1 controls (tab and the line breaks are
# whitespace, handled apart), zero-width space, word joiner, BOM, soft hyphen, bidi marks,
# embeddings and isolates, invisible math operators.
# ZWNJ (U+200C) and ZWJ (U+200D) are NOT here: they change how Bengali, Persian, Sinhala,
# Malayalam... words are spelled.
_INVISIBLE = [
    *range(0x00, 0x09),
    *range(0x0E, 0x20),
    *range(0x7F, 0xA0),
    0x00AD,
    0x061C,
    0x200B,
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2065),
    *range(0x2066, 0x206A),
    0xFEFF,
]
# One str.translate pass does both; it is slow on long non-ASCII lines, so a regex search says
# first whether it is needed at all (rarely: 1% of NTREX lines).
_TRANSLATE: dict[int, str | None] = {**dict.fromkeys(_INVISIBLE), **_CP1252_PUNCTUATION}
_NEEDS_TRANSLATE = re.compile("[" + "".join(re.escape(chr(c)) for c in _TRANSLATE) + "]")


def normalize_line(line: str) -> str:
    """The line as it will be kept: no invisible characters, NFC, single spaces, stripped."""
    if _NEEDS_TRANSLATE.search(line):
        line = line.translate(_TRANSLATE)
    # NFC after removing invisibles: a mark separated from its base by one can now compose.
    line = unicodedata.normalize("NFC", line)
    return " ".join(line.split())  # any Unicode whitespace run (NBSP included) -> one space


# Pipes from scraped caption tables. A trailing pipe goes only right after a full stop
# ("... مقرب. |"). Punjabi (and other Indic text) often types the danda "।" as "|", after a
# word, a quote or a bracket, and there it is the sentence's own punctuation.
_TRAILING_PIPE = re.compile(r"(?<=[.!?…؟۔。])(?: ?\|)+$")

# A photo credit marks a caption; scrapers often emit a caption twice (alt text + figcaption).
_PHOTO_CREDIT = re.compile(
    r"(?:^|[\s(\[-])"
    + "(?:foto|photo|gambar|pic|image|ছবি|الصورة|صورة)"
    + r" ?[:：]"
    # or an agency's credit at its end, or a stock-photo label
    + r"|[-–—/|(] ?(?:AFP|Reuters|AP|Bernama|EPA|Getty Images|Anadolu|Xinhua)\)?$"
    + r"|gambar hiasan|foto fail|file photo|সংগৃহীত|صورة أرشيفية",
    re.IGNORECASE,
)


def strip_table_pipes(line: str) -> tuple[str, bool]:
    """The line without caption-table pipes, and whether it was wrapped in them (a caption)."""
    if line.startswith("|"):
        return line.strip("| "), True
    if line.endswith("|"):
        return _TRAILING_PIPE.sub("", line), False
    return line, False


def _same_text(a: str, b: str) -> bool:
    """Equal ignoring whitespace (both are normalized: their only whitespace is single spaces)."""
    if a == b:
        return True
    if len(a) - a.count(" ") != len(b) - b.count(" "):
        return False  # cheap reject: this runs on every line
    return a.replace(" ", "") == b.replace(" ", "")


def _is_repeated_caption(content: str, wrapped: bool, previous: str | None) -> bool:
    """A caption identical to the kept line before it: scraped twice (alt text + figcaption).

    `wrapped`: either copy was wrapped in table pipes. Only captions: an adjacent repeated
    sentence also occurs in NTREX (a translator's slip), which must pass untouched, and fixing
    the text itself is not cleaning's job.
    """
    if previous is None or not _same_text(content, previous):
        return False
    return wrapped or _PHOTO_CREDIT.search(content) is not None


def clean_text(raw: str) -> CleanedText:
    """Clean one article: kept paragraphs in order, and every dropped non-blank line with why."""
    lines: list[str] = []
    dropped: list[DroppedLine] = []
    previous_wrapped = False  # whether the last kept line was wrapped in pipes
    headlines_to_go = 0  # after a bare "Baca juga:" header: how many listed headlines may follow
    for line_no, raw_line in enumerate(raw.splitlines()):
        line = normalize_line(raw_line)
        if not line:
            continue  # blank lines are layout, not content
        content, wrapped = strip_table_pipes(line)
        reason = _rule_reason(line, content)
        previous = lines[-1] if lines else None
        if reason is None and _is_repeated_caption(content, wrapped or previous_wrapped, previous):
            reason = "duplicate_line"
        if reason is None and headlines_to_go and looks_like_headline(content):
            reason = "related_links"  # one of the headlines listed under the header
            headlines_to_go -= 1
        elif reason != "related_links":
            headlines_to_go = 0
        if opens_headline_list(content):
            headlines_to_go = MAX_LISTED_HEADLINES
        if reason is None:
            lines.append(content)
            previous_wrapped = wrapped
        else:
            dropped.append(DroppedLine(line_no, raw_line, reason))
    return CleanedText(lines, dropped)


def _rule_reason(line: str, content: str) -> str | None:
    """The rule that drops the line, unless the line reads as a news sentence."""
    # Rules see the line as scraped ("مصدر | ... |") and without its pipes ("| Komen (0) |").
    reason = match_rule(line) or (match_rule(content) if content != line else None)
    if reason is not None and reads_as_news(content, reason):
        return None
    return reason
