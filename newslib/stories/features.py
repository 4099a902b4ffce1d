"""What is compared between articles: word shingles for copies, weighted key terms for stories.

Near-duplicates are judged on the exact wording (MinHash of word 3-shingles of the English
translation: a copy with another footer shares most shingles, a paraphrase almost none). Stories
are judged on what the article is about: its key terms (title, summary and the start of the
translation; stop words out, plurals folded), weighted by how rare they are among the stories
(not the articles), so that two reports of one event share their rare words even when worded
differently. Among them, names (words the index mostly meets capitalised inside a sentence:
people, places) say who and where; the other terms say what happened, and two events with the
same people differ there.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Set
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128  # MinHash permutations: the Jaccard estimate's standard error is about 0.04
SHINGLE_WORDS = 3
SEED = 1  # fixed, so signatures are the same on every run and machine
LEAD_WORDS = 400  # the start of a translation says what it is about; the rest adds noise
TOP_TERMS = 60  # key terms kept per article

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_WORD_OR_BREAK = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[.!?:\n]")  # a break begins a sentence

# Words that say nothing about which event an article reports.
STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself said says say told
    according mr mrs ms one two new year years last first time day week may might must since
    per via s t people reported report reports news monday tuesday wednesday thursday friday
    saturday sunday
"""
STOP_WORDS = frozenset(STOP_WORDS_TEXT.split())


def words(text: str) -> list[str]:
    """Lower-case words of `text` (letters and digits; apostrophes kept inside a word)."""
    return _WORD.findall(text.lower())


def fold(word: str) -> str:
    """A crude English stem: plural and possessive endings off, so 'talks' meets 'talk'."""
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def key_terms(text: str) -> Counter[str]:
    """Counts of the folded content words of `text` (stop words and one-letter words out)."""
    return Counter(
        fold(w) for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())
    )


def word_cases(text: str) -> Counter[tuple[str, bool]]:
    """(folded key-term word, written capitalised?) for each word of `text` that does not begin
    a sentence or a line (where any word is capitalised)."""
    cases: Counter[tuple[str, bool]] = Counter()
    starts = True
    for token in _WORD_OR_BREAK.findall(text):
        if token in ".!?:\n":
            starts = True
            continue
        word = token.lower()
        if not starts and word not in STOP_WORDS:
            cases[fold(word), token[0].isupper()] += 1
        starts = False
    return cases


def without(vector: Vector, names: Set[str]) -> Vector:
    """`vector` without the terms of `names`, scaled to unit length again: what happened."""
    return normalized({t: w for t, w in vector.items() if t not in names})


def only(vector: Vector, names: Set[str]) -> Vector:
    """The terms of `names` in `vector`, scaled to unit length: who and where."""
    return normalized({t: w for t, w in vector.items() if t in names})


def signature(text: str) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32 values) of the word 3-shingles of `text`."""
    tokens = words(text)
    shingles = {
        " ".join(tokens[i : i + SHINGLE_WORDS]).encode()
        for i in range(max(1, len(tokens) - SHINGLE_WORDS + 1))
    }
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch(list(shingles))
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity of two texts' shingle sets, estimated from their signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass(frozen=True)
class ArticleText:
    """The English text of one article that the story features are taken from."""

    title: str | None
    summary: str | None
    translation: str

    def cases(self) -> Counter[tuple[str, bool]]:
        """How the article writes its words (the title left out: headlines capitalise all)."""
        return word_cases("\n".join(p for p in (self.summary, self.translation) if p))

    def about(self) -> Counter[str]:
        """Term counts of what the article is about; the title counts double (names the event)."""
        lead = " ".join(words(self.translation)[:LEAD_WORDS])
        terms = key_terms(lead)
        if self.summary:
            terms.update(key_terms(self.summary))
        if self.title:
            for term, count in key_terms(self.title).items():
                terms[term] += 2 * count
        return terms


Vector = dict[str, float]


def weigh(terms: Counter[str], idf: dict[str, float], keep: int = TOP_TERMS) -> Vector:
    """The `keep` heaviest terms by tf-idf (log-scaled counts), scaled to unit length."""
    weights = {t: (1.0 + math.log(n)) * idf[t] for t, n in terms.items()}
    top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:keep]
    return normalized(dict(top))


def heaviest(vector: Vector, count: int) -> list[str]:
    """The `count` terms of `vector` with the largest weights."""
    return sorted(vector, key=lambda t: -vector[t])[:count]


def summed(a: Vector, b: Vector, keep: int) -> Vector:
    """`a` + `b`, only the `keep` heaviest terms kept (ties by term, so it is reproducible)."""
    total = dict(a)
    for term, weight in b.items():
        total[term] = total.get(term, 0.0) + weight
    return dict(sorted(total.items(), key=lambda item: (-item[1], item[0]))[:keep])


def normalized(vector: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit-length vectors (0 when either is empty)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def idf_weight(n_documents: int, document_frequency: int) -> float:
    """Smoothed inverse document frequency: rare terms weigh more, none weighs zero."""
    return 1.0 + math.log((1 + n_documents) / (1 + document_frequency))
