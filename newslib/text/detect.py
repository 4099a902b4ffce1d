"""Language identification of articles and paragraphs, as NLLB-200 codes.

lingua (75 languages) does the statistics. Around it:
- scripts lingua does not know (Khmer, Ethiopic, ...) are recognised by their characters;
- Arabic- and Cyrillic-script languages lingua lacks (Pashto, Sorani, Tajik, ...) by letters
  only they use;
- Malay vs Indonesian, which lingua often confuses on single sentences, by words and spellings
  only one of them uses (newslib/text/detect_markers.py);
- Assamese, which lingua lacks and calls Bengali, by its letters ৰ and ৱ (languages.py);
- Egyptian and Moroccan Arabic, which lingua calls Arabic, by their dialect words;
- Chinese variety (simplified, traditional, Cantonese) by characters (see languages.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from newslib.text.detect_markers import arabic_dialect_markers, malay_indonesian_markers, word_count
from newslib.text.languages import (
    DISTINCTIVE_LETTERS,
    KAZAKH_LETTERS,
    LINGUA_NOT_IN_NLLB,
    NOT_KAZAKH_FALLBACKS,
    SCRIPT_LANGUAGES,
    are_close_languages,
    lingua_to_nllb,
)

# Below this many letters lingua's n-gram evidence is mostly noise.
MIN_LETTERS = 12
# lingua's probabilities are relative over 75 languages; on a sentence in a language it knows the
# winner is rarely below this, while text in a language it lacks often is.
MIN_CONFIDENCE = 0.4
# lingua's cost grows with text length and a few thousand characters settle any language.
MAX_SAMPLE_CHARS = 3000
# A paragraph makes an article "mixed" only when it is long and confidently another language:
# single sentences of close languages (Malay/Indonesian, Bosnian/Croatian) are often confused.
MIXED_MIN_CONFIDENCE = 0.9
MIXED_MIN_LETTERS = 40
# A script-only language needs this share of the letters to be in its script.
SCRIPT_MIN_SHARE = 0.5
# Distinctive letters: at least this many, and this share of all letters, so a quoted name
# does not turn Persian into Pashto.
DISTINCTIVE_MIN_COUNT = 2
DISTINCTIVE_MIN_SHARE = 0.01
# Each Malay-only (or Indonesian-only) marker multiplies the odds by this much; lingua's own
# Malay:Indonesian odds count for at most MALAY_INDONESIAN_MAX_ODDS (see _reweigh_...).
MARKER_ODDS = 20.0
MAX_MARKER_SURPLUS = 10
MALAY_INDONESIAN_MAX_ODDS = 10.0
# A dialect needs this many of its own words, and one per this many words of the text, so
# a short quote in dialect does not turn a Standard Arabic article into Egyptian.
DIALECT_MIN_MARKERS = 2
DIALECT_MIN_SHARE = 1 / 20
# Languages kept in LanguageGuess.candidates (and the articles' lang_candidates column).
CANDIDATES = 3
# Languages of the quick first pass that the full models then decide between.
SHORTLIST = 5


@dataclass(frozen=True)
class LanguageGuess:
    code: str | None  # NLLB code, e.g. "zsm_Latn"; None when undetermined or unsupported
    iso639_3: str | None  # what the detector said, e.g. "msa"
    confidence: float  # 0..1
    reason: str | None  # why code is None
    # The detector's best languages with their probabilities, best first, so close calls show.
    candidates: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class ArticleLanguage:
    guess: LanguageGuess  # for the whole article
    paragraph_codes: list[str | None]  # per input line; None for lines too short to judge
    mixed: bool  # some confidently-detected paragraph disagrees with the article


@functools.cache
def quick_detector() -> LanguageDetector:
    """Every lingua language, with its trigram models only: about 2 s and 70 MB to load, where
    the full models of every language take about 10 s of CPU and 0.9 GB (per process)."""
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


@functools.lru_cache(maxsize=512)
def detector_for(languages: frozenset[Language]) -> LanguageDetector:
    """The full models of a shortlist of languages; lingua loads each language's models once
    per process and shares them between detectors."""
    return LanguageDetectorBuilder.from_languages(*languages).build()


@functools.cache
def load_latin_script_models() -> None:
    """Load the quick pass's models now (once per process), as the first text would: lingua
    holds Python's GIL meanwhile, so callers announce it (no other thread can log)."""
    quick_detector().compute_language_confidence_values("warm up the language models")


def lingua_confidences(sample: str) -> dict[Language, float]:
    """lingua's probability per language, in two passes: the quick models of every language
    pick a shortlist, and the full models of the shortlist decide between them. The shortlist
    keeps the quick pass's share of the probability, so a text the quick pass finds ambiguous
    stays as uncertain as before; only the full models of languages a run meets are loaded."""
    quick = {
        v.language: v.value for v in quick_detector().compute_language_confidence_values(sample)
    }
    ranked = sorted(quick, key=quick.__getitem__, reverse=True)[:SHORTLIST]
    shortlist = [language for language in ranked if quick[language] > 0.0]
    if len(shortlist) < 2:
        return quick
    share = sum(quick[language] for language in shortlist)
    full = detector_for(frozenset(shortlist)).compute_language_confidence_values(sample)
    return {v.language: v.value * share for v in full}


def detect_language(text: str) -> LanguageGuess:
    """Language of `text` (first MAX_SAMPLE_CHARS characters); never raises on odd input."""
    sample = _sample(text)
    letters = _letter_count(sample)
    if letters == 0:
        reason = "empty text" if not sample.strip() else "no letters (digits/punctuation only)"
        return _undetermined(reason)
    if letters < MIN_LETTERS:
        return _undetermined(f"too short ({letters} letters, need {MIN_LETTERS})")
    return _guess_by_script(sample, letters) or _guess_with_lingua(sample, letters)


def detect_article_language(lines: list[str]) -> ArticleLanguage:
    """Language of an article given as paragraphs, plus each paragraph's own language.

    The article's language comes from the joined text, not from a vote over paragraphs: lingua
    adds up n-gram log-likelihoods over the whole text, so weak evidence from every paragraph
    pools (Malay vs Indonesian is decided by the article where single sentences are not), and a
    short foreign quote cannot outvote the body. A vote would throw those margins away.
    """
    paragraph_guesses = [detect_language(line) for line in lines]
    article_guess = detect_language("\n".join(lines))
    mixed = any(
        _confidently_differs(guess, line, article_guess)
        for guess, line in zip(paragraph_guesses, lines, strict=True)
    )
    return ArticleLanguage(
        guess=article_guess,
        paragraph_codes=[guess.code for guess in paragraph_guesses],
        mixed=mixed,
    )


def _confidently_differs(guess: LanguageGuess, line: str, article: LanguageGuess) -> bool:
    return (
        guess.code is not None
        and not are_close_languages(guess.code, article.code)
        and guess.confidence >= MIXED_MIN_CONFIDENCE
        and _letter_count(_sample(line)) >= MIXED_MIN_LETTERS
    )


def _undetermined(
    reason: str,
    iso639_3: str | None = None,
    confidence: float = 0.0,
    candidates: tuple[tuple[str, float], ...] = (),
) -> LanguageGuess:
    return LanguageGuess(None, iso639_3, confidence, reason, candidates)


# --- text measures ---------------------------------------------------------------------------

# Han, kana and Hangul: one character carries about as much as three alphabetic letters.
_WIDE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_WIDE_CHAR_EXTRA_WEIGHT = 2


# Lone surrogates (from badly decoded pages) cannot be handed to lingua, which takes UTF-8.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _sample(text: str) -> str:
    if len(text) > MAX_SAMPLE_CHARS:
        cut = text[:MAX_SAMPLE_CHARS]
        last_space = cut.rfind(" ")  # do not feed lingua half a word
        text = cut[:last_space] if last_space > MAX_SAMPLE_CHARS // 2 else cut
    return _LONE_SURROGATE.sub("\ufffd", text)


def _letter_count(text: str) -> int:
    letters = sum(1 for char in text if char.isalpha())
    return letters + _WIDE_CHAR_EXTRA_WEIGHT * len(_WIDE_CHAR.findall(text))


# --- scripts lingua does not know ------------------------------------------------------------

_SCRIPT_PATTERNS = {
    script: re.compile(f"[{char_class}]")
    for script, (char_class, *_rest) in SCRIPT_LANGUAGES.items()
}


def _guess_by_script(sample: str, letters: int) -> LanguageGuess | None:
    for script, pattern in _SCRIPT_PATTERNS.items():
        share = min(1.0, len(pattern.findall(sample)) / letters)
        if share < SCRIPT_MIN_SHARE:
            continue
        _char_class, iso639_3, name, code = SCRIPT_LANGUAGES[script]
        if code is None:
            reason = f"language {name} ({iso639_3}) is not supported by NLLB-200"
            return _undetermined(reason, iso639_3, share)
        return LanguageGuess(code, iso639_3, share, None, ((code, round(share, 4)),))
    return None


# --- lingua ----------------------------------------------------------------------------------


def _guess_with_lingua(sample: str, letters: int) -> LanguageGuess:
    scores = _lingua_scores(sample)
    if not scores:
        return _undetermined("no language recognised")
    iso_name, confidence = max(scores.items(), key=lambda item: item[1])
    iso639_3 = iso_name.lower()
    candidates = _top_candidates(scores, sample)
    if confidence < MIN_CONFIDENCE:
        reason = f"low confidence ({iso639_3} at {confidence:.2f} < {MIN_CONFIDENCE})"
        return _undetermined(reason, iso639_3, confidence, candidates)
    code = lingua_to_nllb(iso_name, sample)
    if code is None:
        name = LINGUA_NOT_IN_NLLB.get(iso_name, iso_name)
        reason = f"language {name} ({iso639_3}) is not supported by NLLB-200"
        return _undetermined(reason, iso639_3, confidence, candidates)
    refined = _refine_by_letters(code, sample, letters)
    if refined != code:
        iso639_3 = refined.partition("_")[0]
        # The winner is shown as what it was refined to: ben -> asm, arb -> arz, ...
        candidates = ((refined, candidates[0][1]), *candidates[1:])
    return LanguageGuess(refined, iso639_3, confidence, None, candidates)


def _lingua_scores(sample: str) -> dict[str, float]:
    """lingua's probability per IsoCode639_3 name; empty when it recognises nothing."""
    values = lingua_confidences(sample)
    scores = {language.iso_code_639_3.name: value for language, value in values.items()}
    if not scores or max(scores.values()) == 0.0:
        return {}
    if max(scores, key=scores.__getitem__) in ("MSA", "IND"):
        return _reweigh_malay_indonesian(scores, sample)
    return scores


def _top_candidates(scores: Mapping[str, float], sample: str) -> tuple[tuple[str, float], ...]:
    """The best CANDIDATES languages with their probabilities, best first (NLLB codes where
    NLLB has the language, else lingua's ISO 639-3 code)."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:CANDIDATES]
    rounded = [(iso_name, round(value, 4)) for iso_name, value in ranked]
    return tuple(
        (lingua_to_nllb(iso_name, sample) or iso_name.lower(), value)
        for iso_name, value in rounded
        if value > 0.0  # a language lingua ruled out is no candidate
    )


def _refine_by_letters(code: str, sample: str, letters: int) -> str:
    """Languages lingua lacks (or misjudges) told apart from its answer by their letters."""
    distinctive = _distinctive_letters_code(sample, letters, script=code.partition("_")[2])
    if distinctive is not None:
        return distinctive
    if code == "kaz_Cyrl":
        return _not_kazakh_code(sample) or code
    if code == "arb_Arab":
        return _arabic_dialect_code(sample) or code
    return code


def _distinctive_letters_code(sample: str, letters: int, script: str) -> str | None:
    """A language lingua lacks whose own letters `sample` uses (lingua calls it a neighbour)."""
    needed = max(DISTINCTIVE_MIN_COUNT, DISTINCTIVE_MIN_SHARE * letters)
    for code, own_letters in DISTINCTIVE_LETTERS.items():
        same_script = code.endswith(script)
        if same_script and sum(sample.count(letter) for letter in own_letters) >= needed:
            return code
    return None


def _not_kazakh_code(sample: str) -> str | None:
    """Works around lingua calling Ukrainian with "щ" Kazakh (see languages.KAZAKH_LETTERS)."""
    if any(letter in sample for letter in KAZAKH_LETTERS):
        return None
    for code, own_letters in NOT_KAZAKH_FALLBACKS.items():
        if any(letter in sample for letter in own_letters):
            return code
    return None


# --- Arabic dialects -------------------------------------------------------------------------


def _arabic_dialect_code(sample: str) -> str | None:
    """arz_Arab or ary_Arab when the text shows enough of that dialect's own words."""
    counts = arabic_dialect_markers(sample)
    code, markers = max(counts.items(), key=lambda item: item[1])
    needed = max(DIALECT_MIN_MARKERS, DIALECT_MIN_SHARE * word_count(sample))
    others = sum(counts.values()) - markers
    return code if markers >= needed and markers > others else None


# --- Malay vs Indonesian ---------------------------------------------------------------------


def _reweigh_malay_indonesian(scores: Mapping[str, float], sample: str) -> dict[str, float]:
    """Shift lingua's Malay/Indonesian split by the markers, keeping their total probability.

    lingua's own split counts for at most MALAY_INDONESIAN_MAX_ODDS either way (on one sentence
    it can give all the mass to the wrong side), and each marker is evidence worth MARKER_ODDS
    to its side, so one marker more on one side outweighs a near-certain lingua; with no
    markers, or as many on both sides, lingua's split stands.
    """
    malay_markers, indonesian_markers = malay_indonesian_markers(sample)
    malay, indonesian = scores.get("MSA", 0.0), scores.get("IND", 0.0)
    pair_total = malay + indonesian
    evidence = malay_markers - indonesian_markers
    if evidence == 0:
        return dict(scores)
    tiny = 1e-6  # lingua may give one side exactly 0
    cap = MALAY_INDONESIAN_MAX_ODDS
    lingua_odds = max(1.0 / cap, min(cap, (malay + tiny) / (indonesian + tiny)))
    # Clamped so a long article's many markers cannot overflow the float.
    evidence = max(-MAX_MARKER_SURPLUS, min(MAX_MARKER_SURPLUS, evidence))
    odds = lingua_odds * MARKER_ODDS**evidence
    malay_share = odds / (1.0 + odds)
    return {**scores, "MSA": pair_total * malay_share, "IND": pair_total * (1.0 - malay_share)}
