"""The boilerplate rules of cleaning (newslib/text/clean.py): whole-line patterns, and the guards
that keep a news sentence which only starts like boilerplate.

Precision first: dropping a real sentence is worse than keeping a share button. So every rule
matches a WHOLE short line, and the rules that could meet a sentence (an app promo, a source
credit, a related-article header with its headline) are overruled when the line reads as news:
it reports what someone said ("..., the agency said"), or a credit's "name" is a sentence
("Sources: Biden to nominate Garland as attorney general").
"""

from __future__ import annotations

import re

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
    "(?:artikel|berita) (?:berkaitan|terkait|lain)",
    "baca (?:juga|lagi|selanjutnya|seterusnya)",
    "selengkapnya",
    "lihat juga",
    "related(?: articles?| stories| news| posts?| content)?",
    "more (?:stories|news|on this story)",
    "read (?:more|also|next)",
    "continue reading",
    "see also",
    "lire aussi",
    "اقرأ (?:أيضا|أيضًا|أيضاً|المزيد)",
    "(?:المزيد|أخبار|مقالات) (?:ذات صلة|متعلقة)",
    "ذات صلة",
    "আর(?:ও|ো) পড়ুন",
    "আরও খবর",
    "বিস্তারিত পড়ুন",
    "সম্পর্কিত (?:খবর|সংবাদ)",
)
# Share buttons: the verb, what is shared, and the networks, in any order scrapers keep them.
_SHARE = _one_of(
    "share",
    "tweet",
    "kongsi",
    "bagikan",
    "শেয়ার(?: করুন)?",
    "শেয়ার(?: করুন)?",
    "مشاركة",
    "شارك",
    "partager",
    "teilen",
    "compartir",
    "поделиться",
)
_SHARE_OBJECT = _one_of(
    "(?:this|the) (?:article|story|post|page)",
    "this",
    "(?:artikel|berita) ini",
    "ini",
    "on",
    "via",
    "খবরটি",
    "المقال",
    "الخبر",
    "(?:هذا|هذه) (?:المقال|الخبر|الصفحة)",
    "على",
)
_FOLLOW = _one_of(
    "follow us(?: on)?",
    "ikuti kami(?: di)?",
    "sertai kami(?: di)?",
    "تابعونا(?: على| عبر)?",
    "تابعنا(?: على| عبر)?",
)
_BENGALI_FOLLOW = _one_of("লাইক দিন", "ফলো করুন", "সাবস্ক্রাইব করুন")
_CONTINUE = _one_of(
    "(?:teruskan|sambung) membaca(?: di bawah)?",
    "scroll to continue(?: with content)?",
    "(?:continue reading|story continues) below",
    "تابع القراءة(?: أدناه| بالأسفل)?",
    "নিচে পড়ুন",
)
_NETWORK = _one_of(
    "facebook",
    "twitter",
    "x",
    "whatsapp",
    "telegram",
    "linkedin",
    "pinterest",
    "reddit",
    "e-?mail",
    "e-?mel",
    "print",
    "copy link",
    "salin pautan",
    "فيسبوك",
    "تويتر",
    "واتساب",
    "ফেসবুক",
    "টুইটার",
    "ইউটিউব",
    "youtube",
    "instagram",
    "tiktok",
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
        # A bare "ADVERTISEMENT" / "IKLAN" / "বিজ্ঞাপন" / "إعلان" line is the same slot, also
        # with its "continue reading below".
        ("ad_placeholder", _AD + r"[.:]?(?: ?[-–—:|] ?" + _CONTINUE + r"[.!]?)?"),
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
        # "অ্যাপ ডাউনলোড করুন", "حمّل التطبيق الآن": the same promo, verb after or Arabic.
        ("app_promo", r"(?:\S+ ){0,3}অ্যাপ(?:টি)? ডাউনলোড করুন[।!]?"),
        ("app_promo", r"(?:حمل|حمّل|نزل|نزّل) (?:\S+ ){0,2}?(?:تطبيق|التطبيق)(?: \S+){0,4}?[.!]?"),
        # The A / A / A font-size buttons (also "A- A A+" on one line).
        ("font_size_widget", r"A[+-]?(?: A[+-]?){0,2}"),
        # "Sumber" / "مصدر" / "উৎস" left alone at the end, its link text gone.
        ("dangling_source", _SOURCE + r" ?:?"),
        # "مصدر | وكالة للأنباء تسنيم |", "Sumber: Bernama": a credit, not a paragraph.
        ("source_credit", _SOURCE + r" ?[|:] ?[^|]{1,60}?(?: ?\|)?"),
        # "Artikel Berkaitan:" / "Baca juga: <headline>": links to other articles.
        ("related_links", _RELATED + r" ?(?:[:：] ?.{0,150})?"),
        # "Kongsi", "Share this article", "শেয়ার করুন", "مشاركة", "Facebook Twitter WhatsApp".
        (
            "share_buttons",
            _SHARE + r"(?: " + _SHARE_OBJECT + r")?[:.!]?(?:[ ,|/·•]+" + _NETWORK + ")*",
        ),
        ("share_buttons", _NETWORK + r"(?:[ ,|/·•]+" + _NETWORK + ")+"),
        # "Ikuti kami di Telegram", "تابعونا على تويتر", "আমাদের ফেসবুক পেজে লাইক দিন".
        ("share_buttons", _FOLLOW + r" " + _NETWORK + r"(?:[ ,|/·•]+" + _NETWORK + r")*[.!]?"),
        ("share_buttons", r"আমাদের " + _NETWORK + r"(?: পেজে| চ্যানেলে)? " + _BENGALI_FOLLOW),
        # Only pipes left: the border of a scraped table.
        ("table_border", r"\|[| ]*"),
    )
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


# --- guards: a news sentence that starts like boilerplate --------------------------------------

# Reporting words: a line that says who said or announced something is news, not page furniture
# ("Install the app update immediately, the agency said."). Scripts whose vowel signs are not
# word characters to `re` (Bengali) are matched without word boundaries.
_REPORTING = re.compile(
    r"\b(?:said|says|told|according to|reported|announced|warned|urged|berkata|katanya|kata|"
    r"menurut|memberitahu|mengatakan|lapor|melaporkan|قال|قالت|وقال|وقالت|أعلن|أعلنت|أكد|أكدت|"
    r"وفق|بحسب|وفقا|حسب)\b|বলেন|বলেছেন|জানান|জানিয়েছেন|জানিয়েছে|বলেছে",
    re.IGNORECASE,
)
# Words of a sentence, never of a name: negations and verbs' particles (Arabic, Bengali).
_SENTENCE_WORDS = frozenset(["لا", "لم", "لن", "ليس", "قد", "سوف", "না", "নয়", "নেই"])
# Lower-case words a name may hold: "Kementerian Kesihatan dan Agensi", "The New York Times".
_NAME_CONNECTORS = frozenset(
    ["of", "the", "and", "&", "dan", "de", "du", "la", "al", "for", "on", "bin", "binti"]
)
_MAX_NAME_WORDS = 5
# Rules a sentence could match; the others (counters, ad slots, widgets) are never sentences.
_GUARDED = frozenset({"app_promo", "source_credit", "related_links"})
_CREDIT_SEPARATOR = re.compile(r"[|:]")


def reads_as_news(line: str, reason: str) -> bool:
    """Whether `line`, matched by the rule `reason`, is really a news sentence to keep."""
    if reason not in _GUARDED:
        return False
    if _REPORTING.search(line):
        return True
    return reason == "source_credit" and not _credit_is_a_name(line)


def _credit_is_a_name(line: str) -> bool:
    """ "Sumber: Bernama", "مصدر | وكالة للأنباء تسنيم |" name a source; "Sources: Biden to
    nominate Garland as attorney general" is a headline that starts with "Sources:"."""
    parts = _CREDIT_SEPARATOR.split(line, maxsplit=1)
    words = parts[-1].replace("|", " ").split()
    if len(words) > _MAX_NAME_WORDS or any(word in _SENTENCE_WORDS for word in words):
        return False
    cased = [word for word in words if any(char.isupper() or char.islower() for char in word)]
    return all(
        word[0].isupper() or not word[0].isalpha() or word.lower() in _NAME_CONNECTORS
        for word in cased
    )


# --- headline lists under a related-articles header ---------------------------------------------

# A headline: short, no sentence-final punctuation (a headline has none), maybe a bullet.
_SENTENCE_END = re.compile(r"[.!?।؟…:][\"'”’»)]*$")
_MAX_HEADLINE_WORDS = 20
# The list under a header ends after this many headlines, or at the first line that is not one.
MAX_LISTED_HEADLINES = 8
_HEADER_ONLY = re.compile(_RELATED + r" ?[:：]?", re.IGNORECASE)


def opens_headline_list(line: str) -> bool:
    """A related-articles header alone on its line ("Baca juga:"): headlines may follow."""
    return _HEADER_ONLY.fullmatch(line) is not None


def looks_like_headline(line: str) -> bool:
    """Short, without a sentence end, and not reporting speech (a paragraph that lost its full
    stop, "... katanya", is kept: precision first)."""
    short = len(line.split()) <= _MAX_HEADLINE_WORDS
    return short and not _SENTENCE_END.search(line) and not _REPORTING.search(line)
