"""Model work on a batch of prepared articles: translate their sentences, check, repair, summarize.

Sentences of all articles in the batch are translated together (grouped by source language,
length-sorted and token-budgeted inside the translator) and put back in their places; each
article's translation keeps its paragraph structure: line N translates line N.

Every translated sentence goes through the checks of `newslib.checks.flags`. A sentence flagged
`length_limit`, `repetition` or `length_ratio` is decoded once more, all of them in one batched
call per language with the translator's safer settings (repetition penalty, no repeated
4-grams); a truncated sentence with a clause boundary is also split there, each half translated
on its own. The second output replaces the first unless it raises more flags. The row keeps
the flags of its first output (`first_flags`), the repair tried (`repair`), whether it was kept
(`repair_kept`) and then the first output (`first_translation`); `flag_*` are the final flags.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newslib.checks.flags import OUTPUT_CHECKS, REPAIRABLE, check_output, low_confidence_threshold
from newslib.engines.summarizer import Summarizer
from newslib.engines.transformers_translator import ProgressCallback, Translation, Translator
from newslib.output.schema import FLAGS

Row = dict[str, Any]

SAFER_DECODING = "safer_decoding"
CLAUSE_SPLIT = "clause_split"
# A clause split must leave at least this share of the sentence's characters on each side.
MIN_CLAUSE_SHARE = 0.25
# After clause punctuation of the common scripts, not inside numbers (3,5 or 10:30), or at a dash.
_CLAUSE_END = re.compile(r"[,;:،؛、，；：](?!\d)|\s[–—]\s")


def translate_segments(
    segments: list[Row],
    translator: Translator,
    progress: ProgressCallback | None = None,
    repair_progress: ProgressCallback | None = None,
) -> None:
    """Fill translation, check and repair columns of every segment row, in place.

    `progress` hears (sentences translated, total); `repair_progress` the same of the repairs."""
    by_lang: dict[str, list[Row]] = defaultdict(list)
    for segment in segments:
        segment.setdefault("flag_language_mismatch", False)
        segment |= {"repair": None, "repair_kept": False, "first_translation": None}
        if segment["translated"]:
            by_lang[segment["source_lang"]].append(segment)
        else:  # already in the target language: passed through as it is
            segment |= {
                "translation": segment["source_text"],
                "out_tokens": 0,
                "src_tokens": 0,
                "max_new_tokens": 0,
                "log_prob": None,
                "output_lang": None,
                "flag_low_confidence": False,
            }
            segment |= {f"flag_{name}": False for name in OUTPUT_CHECKS}
            segment["first_flags"] = flags_of(segment)
    texts = {lang: [s["source_text"] for s in group] for lang, group in by_lang.items()}
    # Per language, the log-probability below which an output is low_confidence: taken from
    # this batch's own outputs (the run's, in a run of one batch), and kept for the repairs.
    thresholds: dict[str, float | None] = {}
    for lang, results in translate_by_language(texts, translator, progress).items():
        thresholds[lang] = low_confidence_threshold(r.log_prob for r in results)
        for segment, result in zip(by_lang[lang], results, strict=True):
            apply_translation(segment, result, thresholds[lang])
            segment["first_flags"] = flags_of(segment)
    flagged = [s for s in segments if needs_repair(s)]
    repair_segments(flagged, translator, thresholds, repair_progress)


def translate_by_language(
    texts: dict[str, list[str]],
    translator: Translator,
    progress: ProgressCallback | None = None,
    *,
    repair: bool = False,
) -> dict[str, list[Translation]]:
    """One translator call per source language; `progress` hears the count over all of them."""
    total = sum(len(group) for group in texts.values())
    results: dict[str, list[Translation]] = {}
    for lang in sorted(texts):
        offset = sum(len(r) for r in results.values())

        def report(done: int, _: int, offset: int = offset) -> None:
            if progress is not None:
                progress(offset + done, total)

        report(0, total)  # the stage's size is known before its first batch ends
        results[lang] = translator.translate(texts[lang], lang, report, repair=repair)
    return results


def flags_of(segment: Row) -> list[str]:
    """The flags a segment row carries now, in FLAGS order."""
    return [name for name in FLAGS if segment.get(f"flag_{name}")]


def needs_repair(segment: Row) -> bool:
    return bool(segment["translated"]) and any(segment.get(f"flag_{n}") for n in REPAIRABLE)


def apply_translation(
    segment: Row, result: Translation, low_confidence_below: float | None = None
) -> None:
    """Put one output in the row and run the output checks on it.

    `low_confidence_below`: the log-probability threshold of the segment's language (None: no
    threshold, so never low_confidence).
    """
    segment |= {
        "translation": result.text,
        "src_tokens": result.src_tokens,
        "out_tokens": result.out_tokens,
        "max_new_tokens": result.max_new_tokens,
        "log_prob": result.log_prob,
    }
    checked = check_output(
        segment["source_text"], result.text, segment["source_lang"], result.hit_limit
    )
    segment |= {f"flag_{name}": name in checked.flags for name in OUTPUT_CHECKS}
    segment["output_lang"] = checked.output_lang
    segment["flag_low_confidence"] = (
        low_confidence_below is not None
        and result.log_prob is not None
        and result.log_prob < low_confidence_below
    )


def split_at_clause(text: str) -> list[str] | None:
    """`text` cut in two at the clause boundary nearest its middle, or None where there is none.

    Each side keeps at least MIN_CLAUSE_SHARE of the characters: a split that leaves a two-word
    stub helps neither half.
    """
    middle = len(text) / 2
    cuts = [
        m.end()
        for m in _CLAUSE_END.finditer(text)
        if min(m.end(), len(text) - m.end()) >= MIN_CLAUSE_SHARE * len(text)
    ]
    if not cuts:
        return None
    cut = min(cuts, key=lambda position: abs(position - middle))
    halves = [text[:cut].strip(), text[cut:].strip()]
    return halves if all(halves) else None


# What a repaired output replaces, and puts back when the first output was better.
_OUTPUT_COLUMNS = (
    "translation",
    "src_tokens",
    "out_tokens",
    "max_new_tokens",
    "log_prob",
    "output_lang",
)
_REPLACED_FLAGS = (*OUTPUT_CHECKS, "low_confidence")


@dataclass
class _Plan:
    segment: Row
    strategy: str
    pieces: list[str]


def _plan(segment: Row) -> _Plan:
    # A truncated sentence is cut at a clause: each half gets its own, sufficient, output
    # limit. Loops and odd lengths are decoded again whole, with the safer settings.
    halves = split_at_clause(segment["source_text"]) if segment["flag_length_limit"] else None
    if halves is not None:
        return _Plan(segment, CLAUSE_SPLIT, halves)
    return _Plan(segment, SAFER_DECODING, [segment["source_text"]])


def _joined(results: list[Translation]) -> Translation:
    if len(results) == 1:
        return results[0]
    scored = [r for r in results if r.log_prob is not None]
    tokens = sum(r.out_tokens + 1 for r in scored)  # per token, end token included
    log_prob = (
        sum(r.log_prob * (r.out_tokens + 1) for r in scored if r.log_prob is not None) / tokens
        if scored and len(scored) == len(results)
        else None
    )
    return Translation(
        text=" ".join(r.text for r in results if r.text),
        src_tokens=sum(r.src_tokens for r in results),
        out_tokens=sum(r.out_tokens for r in results),
        max_new_tokens=sum(r.max_new_tokens for r in results),
        hit_limit=any(r.hit_limit for r in results),
        log_prob=log_prob,
    )


def repair_segments(
    flagged: list[Row],
    translator: Translator,
    thresholds: dict[str, float | None] | None = None,
    progress: ProgressCallback | None = None,
) -> None:
    """Decode `flagged` segments again (one batched call per language), keep the better output.

    The second output replaces the first unless it raises more flags than the first did;
    `thresholds` (per language) judge its log-probability as the first output's was judged.
    """
    by_lang: dict[str, list[_Plan]] = defaultdict(list)
    for segment in flagged:
        by_lang[segment["source_lang"]].append(_plan(segment))
    texts = {
        lang: [piece for plan in plans for piece in plan.pieces] for lang, plans in by_lang.items()
    }
    for lang, translations in translate_by_language(
        texts, translator, progress, repair=True
    ).items():
        results = iter(translations)
        for plan in by_lang[lang]:
            repaired = _joined([next(results) for _ in plan.pieces])
            if plan.strategy == CLAUSE_SPLIT:  # the sentence's own tokens, not the halves'
                repaired = Translation(
                    repaired.text,
                    plan.segment["src_tokens"],
                    repaired.out_tokens,
                    repaired.max_new_tokens,
                    repaired.hit_limit,
                    repaired.log_prob,
                )
            _keep_better(plan, repaired, (thresholds or {}).get(lang))


def _keep_better(plan: _Plan, repaired: Translation, threshold: float | None) -> None:
    segment = plan.segment
    first = {key: segment.get(key) for key in _OUTPUT_COLUMNS}
    first_flags = {name: segment[f"flag_{name}"] for name in _REPLACED_FLAGS}
    apply_translation(segment, repaired, threshold)
    kept = len(flags_of(segment)) <= len(segment["first_flags"])
    if kept:
        segment["first_translation"] = first["translation"]
    else:  # the first output was better: put it back
        segment |= first
        segment |= {f"flag_{name}": value for name, value in first_flags.items()}
    segment |= {"repair": plan.strategy, "repair_kept": kept}


def assemble_articles(articles: list[Row], segments: list[Row]) -> None:
    """Join each ok article's translated sentences back into its paragraphs, in place."""
    by_article: dict[str, list[Row]] = defaultdict(list)
    for segment in segments:
        by_article[segment["article_id"]].append(segment)
    for article in articles:
        if article["status"] != "ok":
            continue
        lines: list[list[str]] = [[] for _ in range(article["n_lines"])]
        own = sorted(
            by_article[article["article_id"]], key=lambda s: (s["line_index"], s["segment_index"])
        )
        for segment in own:
            lines[segment["line_index"]].append(segment["translation"])
        article["translation"] = "\n".join(" ".join(parts) for parts in lines)
        for flag in FLAGS:
            article[f"n_flag_{flag}"] = sum(bool(s.get(f"flag_{flag}")) for s in own)
        article["n_repaired"] = sum(s.get("repair") is not None for s in own)


def translate_titles(articles: list[Row], translator: Translator, target_lang: str) -> None:
    """Fill `title_translation` and `title_flags` of every ok article with a headline, in place.

    A headline is translated on its own, not as part of the body (line N of `translation`
    stays line N of `clean_text`), from its article's language, and is checked and repaired as
    a sentence is (`translate_segments`, the titles of a batch together): `title_flags` are the
    flags its translation still has. A headline already in the target language is kept as it is.
    """
    headlines: list[tuple[Row, Row]] = []  # (article, its headline as a sentence row)
    for article in articles:
        title = article.get("title")
        if article["status"] != "ok" or not title:
            continue
        row = {"source_text": title, "source_lang": article["source_lang"]}
        headlines.append((article, row | {"translated": row["source_lang"] != target_lang}))
    translate_segments([row for _, row in headlines], translator)
    for article, row in headlines:
        article |= {"title_translation": row["translation"], "title_flags": flags_of(row)}


def summarize_articles(
    articles: list[Row],
    summarizer: Summarizer,
    log: Callable[[str], None] | None = None,
    progress: ProgressCallback | None = None,
) -> None:
    """Add a summary to every ok article, in place."""
    todo = [a for a in articles if a["status"] == "ok" and a.get("translation")]
    summaries = summarizer.summarize([a["translation"] for a in todo], progress)
    for article, summary in zip(todo, summaries, strict=True):
        article["summary"] = summary.text
        article["summary_chunks"] = summary.chunks
        article["summary_chunks_total"] = summary.total_chunks
    if log is not None and todo:
        longest = max(s.chunks for s in summaries)
        log(f"summarized {len(todo)} articles (most chunks for one article: {longest})")
