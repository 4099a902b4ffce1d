"""Numbers written as words, and the scale words that multiply a number, in several languages.

Used by the `numbers` check (`newslib/checks/numbers.py`): a source number may come out as an
English word ("9 orang" -> "nine people"), a source word may come out as digits ("সাতটার আগে"
-> "before 7"), and a scale word turns "4.5 juta" into 4,500,000, the value of "4.5 million".
Only the languages seen most here have a word list on the source side; English covers every
output. Scale words are shared by every language: a number followed by "juta", "million",
"লাখ" or "مليون" means the same thing wherever it appears.
"""

from __future__ import annotations

import re
import unicodedata


def _word_table(spec: str) -> dict[str, float]:
    """'value:word word, value:word' -> {word: value}, words NFC-normalized."""
    table: dict[str, float] = {}
    for entry in spec.split(","):
        value, _, words = entry.strip().partition(":")
        for word in words.split():
            table[unicodedata.normalize("NFC", word)] = float(value)
    return table


# A number followed by one of these is multiplied by it: "4.5 juta", "১৫ লাখ", "300 ألف",
# "$2bn". Plurals only where a digit can come before them ("3 آلاف", "2 millions").
# ("hundred" only multiplies a word, see WORD_SCALES: "40 بالمائة" is 40 percent; and no "mil",
# which is the Malay and Indonesian mile.)
SCALE_WORDS: dict[str, float] = _word_table(
    "1000:thousand k ribu rb হাজার ألف آلاف الف الاف mille tausend, "
    "100000:lakh lakhs lac লাখ লক্ষ, "
    "1000000:million millions m mn mln juta মিলিয়ন مليون ملايين millionen, "
    "10000000:crore crores কোটি, "
    "1000000000:billion billions bn b bilion miliar milyar বিলিয়ন مليار مليارات بليون "
    "milliard milliards milliarden, "
    "1000000000000:trillion trillions tn trilion ট্রিলিয়ন تريليون"
)
SCALE_WORDS |= _word_table("100:শত শতাধিক শো")  # "৫ শতাধিক" is 500-odd
WORD_SCALES = SCALE_WORDS | _word_table("100:hundred ratus مئة مائة")
# Single letters are scale words only written onto the digits ("$4.5m", "5k"), never alone.
ATTACHED_ONLY = frozenset({"k", "m", "b"})

# Cardinals and ordinals, tens, and the scale words; "belas"/"puluh" and "عشر" build teens and
# tens with the word before them (see `word_values`).
NUMBER_WORDS: dict[str, dict[str, float]] = {
    "eng": _word_table(
        "0:zero zeroth, 0.5:half, 1:one first once single, 2:two second twice pair couple, "
        "3:three third, 4:four fourth, 5:five fifth, 6:six sixth, 7:seven seventh, "
        "8:eight eighth, 9:nine ninth, 10:ten tenth decade, 11:eleven eleventh, "
        "12:twelve twelfth dozen, 13:thirteen thirteenth, 14:fourteen fourteenth, "
        "15:fifteen fifteenth, 16:sixteen sixteenth, 17:seventeen seventeenth, "
        "18:eighteen eighteenth, 19:nineteen nineteenth, 20:twenty twentieth, "
        "30:thirty thirtieth, 40:forty fortieth, 50:fifty fiftieth, 60:sixty sixtieth, "
        "70:seventy seventieth, 80:eighty eightieth, 90:ninety ninetieth, 100:century hundred, "
        "1000:thousand, 1000000:million, 1000000000:billion"
    ),
    "zsm": _word_table(
        "0.5:setengah separuh, 1:satu se pertama, 2:dua kedua, 3:tiga ketiga, 4:empat keempat, "
        "5:lima kelima, 6:enam keenam, 7:tujuh ketujuh, 8:lapan delapan kelapan kedelapan, "
        "9:sembilan kesembilan, 10:sepuluh kesepuluh dekad, 11:sebelas, 100:seratus abad, "
        "1000:seribu, 1000000:sejuta"
    ),
    "ben": _word_table(
        "1:এক একটি একটা প্রথম, 2:দুই দুটি দুটো দু দ্বিতীয়, 3:তিন তিনটি তৃতীয়, "
        "4:চার চারটি চতুর্থ, 5:পাঁচ পাঁচটি পঞ্চম, 6:ছয় ছয়টি ছ ছটা ষষ্ঠ, 7:সাত সাতটি সপ্তম, "
        "8:আট আটটি অষ্টম, 9:নয় নয়টি নবম, 10:দশ দশটি দশম দশক, 11:এগারো, 12:বারো, 13:তেরো, "
        "14:চৌদ্দ, 15:পনেরো, 16:ষোল ষোলো, 17:সতেরো, 18:আঠারো, 19:উনিশ, 20:বিশ কুড়ি, "
        "30:ত্রিশ তিরিশ, 40:চল্লিশ, 50:পঞ্চাশ, 60:ষাট, 70:সত্তর, 80:আশি, 90:নব্বই, "
        "100:একশ একশো একশত শতাধিক শতাব্দী"
    ),
    "arb": _word_table(
        "0.5:نصف, 1:واحد واحدة أول أولى اول اولى, 2:اثنان اثنين اثنتان اثنتين ثاني ثانية ثان, "
        "3:ثلاث ثلاثة ثالث ثالثة, 4:أربع أربعة رابع رابعة اربع اربعة, 5:خمس خمسة خامس خامسة, "
        "6:ست ستة سادس سادسة, 7:سبع سبعة سابع سابعة, 8:ثمان ثماني ثمانية ثامن ثامنة, "
        "9:تسع تسعة تاسع تاسعة, 10:عشر عشرة عاشر عاشرة عقد, 20:عشرين عشرون, 30:ثلاثين ثلاثون, "
        "40:أربعين أربعون اربعين اربعون, 50:خمسين خمسون, 60:ستين ستون, 70:سبعين سبعون, "
        "80:ثمانين ثمانون, 90:تسعين تسعون, 100:قرن"
    ),
    "fra": _word_table(
        "0.5:demi demie, 1:un une premier première, 2:deux deuxième second seconde, "
        "3:trois troisième, 4:quatre quatrième, 5:cinq cinquième, 6:six sixième, "
        "7:sept septième, 8:huit huitième, 9:neuf neuvième, 10:dix dixième décennie, "
        "11:onze onzième, 12:douze douzième douzaine, 13:treize, 14:quatorze, 15:quinze, "
        "16:seize, 20:vingt vingtième, 30:trente, 40:quarante, 50:cinquante, 60:soixante, "
        "100:cent siècle, 1000:mille millier"
    ),
}
NUMBER_WORDS["ind"] = NUMBER_WORDS["zsm"]
# Words that make a teen or a tens number out of the unit word before them.
_TEEN_WORDS = {"belas", "عشر", "عشرة"}
_TENS_WORDS = {"puluh"}
# Arabic clitics written onto the word: و (and), ب (with), ل (for), ف, ك, and the article ال.
_ARABIC_PREFIX = re.compile(r"^(?:[وفبلك]?ال|[وفبلك])(?=\w\w)")
# Bengali classifiers and case endings after a number word: সাতটার, ছটায়, লাখের, কোটির, ১৪ জন.
_BENGALI_ENDINGS = "টির টার টায় টিতে টি টা টে জন য় েরও ের ে ই ও র"
_BENGALI_SUFFIXES = tuple(unicodedata.normalize("NFC", end) for end in _BENGALI_ENDINGS.split())


def word_candidates(word: str, lang: str) -> list[str]:
    """`word` and its forms without the clitics and endings of `lang` (language prefix)."""
    candidates = [word]
    if lang == "arb":
        # Short vowels and tanween off (واحدًا -> واحدا), then the accusative alif (-> واحد).
        bare = "".join(c for c in word if unicodedata.category(c) != "Mn")
        stripped = _ARABIC_PREFIX.sub("", bare)
        for form in (bare, stripped, stripped.removeprefix("ال")):
            candidates += [form, form.removesuffix("ا")]
    elif lang == "ben":
        candidates += [word.removesuffix(end) for end in _BENGALI_SUFFIXES if word.endswith(end)]
    elif lang in ("zsm", "ind"):
        candidates.append(word.removeprefix("ke-").removeprefix("ke"))
    return candidates


def scale_of(word: str, lang: str) -> float | None:
    """The multiplier a scale word stands for ("juta" -> 1e6), or None."""
    for candidate in word_candidates(word.lower(), lang):
        if candidate in SCALE_WORDS and candidate not in ATTACHED_ONLY:
            return SCALE_WORDS[candidate]
    return None


def word_values(text: str, lang: str) -> set[float]:
    """Values of the numbers written as words in `text` (a generous reading: it only excuses).

    "dua puluh lima" gives 20 and 25, "two million" 2 and 2,000,000, "السابعة عشرة" 7 and 17.
    """
    table = NUMBER_WORDS.get(lang)
    if table is None:
        return set()
    values: set[float] = set()
    previous: float | None = None
    for token in re.split(r"[\s\-–—]+", unicodedata.normalize("NFC", text.lower())):
        word = token.strip("".join(c for c in token if not c.isalnum()))
        forms = word_candidates(word, lang)
        base = next((c for c in forms if c in table or c in WORD_SCALES), word)
        value = table.get(base)
        scale = WORD_SCALES.get(base) if base not in ATTACHED_ONLY else None
        if previous is not None and base in _TEEN_WORDS:
            values.add(previous + 10)  # tiga belas, السابعة عشرة
        if previous is not None and base in _TENS_WORDS:
            value = previous * 10  # dua puluh
        if previous is not None and scale is not None:
            value = previous * scale  # two million, tiga ratus
        if value is not None:
            values.add(value)
            if previous is not None and _tens_and_unit(previous, value):
                values.add(previous + value)  # twenty-one, ستة وثلاثين
        previous = value
    return values


def _tens_and_unit(a: float, b: float) -> bool:
    return any(20 <= x < 100 and x % 10 == 0 and 0 < y < 10 for x, y in ((a, b), (b, a)))


# Units after a number, by system: a translator may convert "250 kg" into "550 pounds", so a
# number with a unit of one system is not compared when the other side measures in the other.
UNIT_SYSTEMS: dict[str, str] = {
    unicodedata.normalize("NFC", word): system
    for system, words in (
        (
            "metric",
            "km kilometer kilometers kilometre kilometres kilomètres kilómetros kilometer "
            "kmh kph kg kilogram kilograms kilogramme kilos cm mm centimeters centimetres "
            "centimètres meter meters metre metres mètres °c celsius tonnes liters litres "
            "كم كيلومتر كيلومترات كيلوغرام كغ كجم سم متر مترا أمتار লিটার কিমি কিলোমিটার "
            "কেজি সেন্টিমিটার মিটার ডিগ্রি",
        ),
        (
            "imperial",
            "mile miles mph inch inches foot feet ft pound pounds lb lbs °f fahrenheit yard "
            "yards gallon gallons acre acres ounce ounces batu kaki inci paun ميل أميال قدم "
            "أقدام رطل بوصة بوصات মাইল ফুট ইঞ্চি পাউন্ড",
        ),
    )
    for word in words.split()
}
