"""Cleaning: strip what news scrapers leave behind, keep the paragraphs, say what went and why.

Scraped article text comes one paragraph per line, mixed with page furniture: comment counters,
ad slots, "download our app" promos, the A / A / A font-size widget, captions scraped twice,
dangling "Source" labels, related-article headers, pipes left over from caption tables.

Every rule is a whole-line match on a short line, never "the line contains X": real news text
must pass through untouched apart from normalization. The guard for that is NTREX-128 (1,997
news sentences in 128 languages), where no line may be dropped.

Per line, in order:
  1. normalize (`normalize_line`): control / zero-width characters out, NFC, whitespace collapsed;
  2. blank after that: layout, skipped and not recorded;
  3. table pipes around the content are stripped (`| caption |`, `sentence. |`);
  4. the first rule of `RULES` that matches the line (with or without its pipes) drops it;
  5. a caption identical to the kept line just before it is dropped as `duplicate_line`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


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


# --- the rules -------------------------------------------------------------------------------


def _one_of(*words: str) -> str:
    """Regex alternation of the given (regex) words, as a non-capturing group."""
    return "(?:" + "|".join(words) + ")"


_COMMENT = _one_of(
    "comments?",
    "komen",
    "komentar",
    "ulasan",
    "মন্তব্য",
    "تعليق",
    "تعليقات",
    "التعليقات",
    "commentaires?",
    "kommentare?",
    "comentarios?",
    "comentários?",
    "commenti",
    "yorum(?:lar)?",
    "bình luận",
    "комментари[йия]",
)
_AD = _one_of(
    "advertisement",
    "advert",
    "ads?",
    "iklan",
    "বিজ্ঞাপন",
    "إعلان",
    "اعلان",
    "publicidad",
    "publicité",
    "anzeige",
    "werbung",
    "реклама",
    "quảng cáo",
)
_SOURCE = _one_of("sumber", "sources?", "مصدر", "المصدر", "উৎস", "সূত্র", "fuente", "quelle")
_CLICK_HERE = _one_of("klik di ?sini", "click here", "tap here", "اضغط هنا", "انقر هنا")
_APP = _one_of("aplikasi", "apps?", "application")
_RELATED = _one_of(
    "(?:artikel|berita) berkaitan",
    "baca juga",
    "related(?: articles?| stories| news| posts?)?",
    "read (?:more|also)",
    "see also",
    "lire aussi",
    "اقرأ (?:أيضا|أيضًا|أيضاً)",
    "আর(?:ও|ো) পড়ুন",
)

# (reason, pattern). A pattern must match the WHOLE normalized line (fullmatch); the first one
# that does decides the reason. A reason may have several rows.
RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        # "Komen (0)", "মন্তব্য (0)", "تعليق (0)", "Comments: 3", "12 comments": a widget, not text.
        ("comment_counter", _COMMENT + r" ?(?:\(\d+\)|:? ?\d+)"),
        ("comment_counter", r"\d+ " + _COMMENT),
        # "[বিজ্ঞাপন_২]", "[إعلان 2]", "[Iklan]": ad slot markers, digits in any script (\d).
        ("ad_placeholder", r"[\[(] ?" + _AD + r"(?:[ _-]?\d+)? ?[\])]"),
        # A bare "ADVERTISEMENT" line is the same slot without brackets.
        ("ad_placeholder", "advertisement"),
        # "Muat turun aplikasi Sinar Harian. Klik di sini!", "Download our free X app now!"
        (
            "app_promo",
            _one_of("muat turun", "download", "unduh", "get", "install")
            + r" (?:\S+ ){0,4}?"
            + _APP
            + r"\b[^.!?]{0,40}[.!]?(?: ?"
            + _CLICK_HERE
            + r"[.!]*)?",
        ),
        ("app_promo", _CLICK_HERE + r"[.!]*"),
        # The A / A / A font-size buttons (also "A- A A+" on one line).
        ("font_size_widget", r"A[+-]?(?: A[+-]?){0,2}"),
        # "Sumber" / "مصدر" / "উৎস" left alone at the end, its link text gone.
        ("dangling_source", _SOURCE + r" ?:?"),
        # "مصدر | وكالة للأنباء تسنيم |", "Sumber: Bernama": a credit, not a paragraph.
        ("source_credit", _SOURCE + r" ?[|:] ?[^|]{1,60}?(?: ?\|)?"),
        # "Artikel Berkaitan:" / "Baca juga: <headline>": links to other articles.
        ("related_links", _RELATED + r" ?(?:[:：] ?.{0,150})?"),
        # Only pipes left: the border of a scraped table.
        ("table_border", r"\|[| ]*"),
    )
)

# Pipes from scraped caption tables. A trailing pipe goes only right after a full stop
# ("... مقرب. |"). Punjabi (and other Indic text) often types the danda "।" as "|", after a
# word, a quote or a bracket, and there it is the sentence's own punctuation.
_TRAILING_PIPE = re.compile(r"(?<=[.!?…؟۔。])(?: ?\|)+$")

# A photo credit marks a caption; scrapers often emit a caption twice (alt text + figcaption).
_PHOTO_CREDIT = re.compile(
    r"(?:^|[\s(\[-])"
    + _one_of("foto", "photo", "gambar", "pic", "image", "ছবি", "الصورة", "صورة")
    + r" ?[:：]",
    re.IGNORECASE,
)


# No rule can match a longer line (the longest is a related-links header with its headline);
# checking the length first keeps cleaning fast on long paragraphs.
_MAX_RULE_LINE = 200


# All of RULES as one alternation, tried in table order: one regex call per line instead of
# one per rule. Group `r<i>` is row i (the rule patterns themselves capture nothing).
_ANY_RULE = re.compile(
    "|".join(f"(?P<r{i}>{pattern.pattern})" for i, (_, pattern) in enumerate(RULES)),
    re.IGNORECASE,
)


def match_rule(line: str) -> str | None:
    """The reason of the first rule in RULES that matches the whole normalized line, if any."""
    if len(line) > _MAX_RULE_LINE:
        return None
    match = _ANY_RULE.fullmatch(line)
    if match is None or match.lastgroup is None:
        return None
    return RULES[int(match.lastgroup[1:])][0]


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
    for line_no, raw_line in enumerate(raw.splitlines()):
        line = normalize_line(raw_line)
        if not line:
            continue  # blank lines are layout, not content
        content, wrapped = strip_table_pipes(line)
        # Rules see the line as scraped ("مصدر | ... |") and without its pipes ("| Komen (0) |").
        reason = match_rule(line) or (match_rule(content) if content != line else None)
        previous = lines[-1] if lines else None
        if reason is None and _is_repeated_caption(content, wrapped or previous_wrapped, previous):
            reason = "duplicate_line"
        if reason is None:
            lines.append(content)
            previous_wrapped = wrapped
        else:
            dropped.append(DroppedLine(line_no, raw_line, reason))
    return CleanedText(lines, dropped)
