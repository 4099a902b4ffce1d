"""Words that tell close varieties apart where a statistical detector cannot.

Pure data and counting; `newslib.text.detect` decides with them.

- Malaysian Malay vs Indonesian: lingua often confuses single sentences, and may give one side
  all the probability (0.99) on a sentence with clear markers of the other.
- Egyptian and Moroccan Arabic vs Modern Standard Arabic: lingua knows only "Arabic".

A marker must be a word the other variety does not use in news: every word here occurs 0 times
in NTREX-128's text of the other variety (`python -m eval.langid_ntrex --markers` checks that),
and words the other variety uses in another sense (Indonesian "kerajaan" = kingdom, "cukai" =
excise, "kereta" = train, "percuma" = in vain, "bilik suara" = voting booth) are left out even
where NTREX happens not to have them. Names are a hazard too ("Wang", "Jun", "Hadi"): a word that
is also a common name is not a marker.
"""

from __future__ import annotations

import re


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# --- Malaysian Malay vs Indonesian -----------------------------------------------------------

MALAY_WORDS = _word_set(
    """kerana bahawa sahaja mahu baharu iaitu selepas syarikat antarabangsa kakitangan
    dijangka dianggarkan peratus filem televisyen peguam kempen parlimen sebarang disember
    ogos julai isnin khamis jumaat bilion jurulatih menerusi jepun sepanyol itali eropah
    sukan pelbagai bahagian sebahagian nombor setiausaha jawatankuasa siasatan sentiasa
    memandangkan tempatan rawatan kenderaan kemalangan tentera ubat wabak maklumat saintis
    projek bajet parti pembangkang akhbar isteri minit pengganas letupan
    universiti komuniti aktiviti majoriti minoriti kualiti kuantiti identiti realiti
    prioriti autoriti integriti kapasiti fakulti demokratik automatik dramatik jurucakap"""
)
INDONESIAN_WORDS = _word_set(
    """karena bahwa mau uang bisa mobil kantor persen miliar yaitu desember agustus maret juli
    juni senin kamis jumat televisi kampanye pemilu parlemen besok kemarin jepang prancis
    spanyol italia eropa triliun serikat bagian sebagian nomor sekretaris komite majelis pria
    provinsi khawatir dikarenakan terkait meksiko manajer diperkirakan kendaraan kecelakaan
    tentara dokter obat wabah informasi peneliti ilmuwan proyek partai oposisi istri menit
    teroris jelang universitas komunitas aktivitas mayoritas minoritas kualitas kuantitas
    identitas realitas prioritas otoritas integritas kapasitas fakultas demokratis otomatis
    dramatis separatis bandara toko nggak enggak banget"""
)
# Set phrases of two words.
MALAY_PHRASES = re.compile(
    r"\b(?:tahun|minggu|bulan) lepas\b|\boleh itu\b|\bbola sepak\b|\bpihak berkuasa\b"
    r"|\blapangan terbang\b"
)
INDONESIAN_PHRASES = re.compile(
    r"\bkarena itu\b|\bsepak bola\b|\brumah sakit\b|\bpihak berwenang\b|\bjuru bicara\b"
)

# --- Arabic dialects -------------------------------------------------------------------------

# Function words and adverbs of the spoken dialects that Modern Standard Arabic does not have.
# Left out although typical: "دي" and "دا" (names: "دي ميستورا"), "يعني", "إيه", "بقى", "حاجة"
# (all in NTREX's Standard Arabic), "خالص" (MSA "pure"), "هادي" (a name), "شي", "كنت", "راه".
EGYPTIAN_WORDS = _word_set(
    """ده دى دلوقتي دلوقت عايز عايزة عايزين عاوز عاوزة عاوزين ازاي إزاي مش بتاع بتاعة بتوع
    كده كدا ليه فين امبارح إمبارح علشان عشان أوي اوي برضه برضو ماحدش محدش معلش هيكون
    اهو كويس كويسة بس"""
)
MOROCCAN_WORDS = _word_set(
    """ديال ديالي ديالو ديالها ديالهم ديالنا ديالك دابا بزاف كيفاش علاش واش غادي غادية
    هادشي بغيت بغينا بغات كاينة كاينين مزيان مزيانة ديما شحال والو عافاك كيقول كيدير
    كيقولو ماشي بلي داكشي دغيا خاصو"""
)

_WORD = re.compile(r"\w+")


def malay_indonesian_markers(text: str) -> tuple[int, int]:
    """(Malay-only, Indonesian-only) marker counts in `text`."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    malay = sum(word in MALAY_WORDS for word in words) + len(MALAY_PHRASES.findall(lowered))
    indonesian = sum(word in INDONESIAN_WORDS for word in words)
    return malay, indonesian + len(INDONESIAN_PHRASES.findall(lowered))


# An Arabic prefix (wa-, fa-, bi-, li-, ka-) glued to a marker: "وده", "فدابا".
_ARABIC_PREFIXES = "وفبلك"


def arabic_dialect_markers(text: str) -> dict[str, int]:
    """Marker counts per NLLB dialect code: {"arz_Arab": n, "ary_Arab": m}."""
    counts = {"arz_Arab": 0, "ary_Arab": 0}
    for word in _WORD.findall(text):
        for code, markers in (("arz_Arab", EGYPTIAN_WORDS), ("ary_Arab", MOROCCAN_WORDS)):
            bare = word[1:] if word[0] in _ARABIC_PREFIXES and len(word) > 3 else word
            if word in markers or bare in markers:
                counts[code] += 1
    return counts


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
