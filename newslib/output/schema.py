"""Column names, types and meanings of the Parquet datasets newsflow writes.

This is the one definition: the writer casts to it, the README documents it (a test checks that
the README's tables match), and analysts can read it with `describe(name)`.
"""

from __future__ import annotations

import pyarrow as pa

# Checks run on every translated segment: `flag_<name>` in segments, `n_flag_<name>` in articles.
# The checks themselves are in tasks/checks*.py; README "Quality flags" says how each decides.
FLAGS: dict[str, str] = {
    "length_limit": "output reached its length limit (truncated)",
    "repetition": "output loops on a repeated n-gram the source does not repeat",
    "length_ratio": "output length far outside the usual ratio for the language pair",
    "numbers": "a number of the source is missing from the output, or the output adds one",
    "untranslated": "output (or half of it) still in the source's script or language",
    "off_target": "output (or half of it) confidently in a language other than English",
    "low_confidence": "the model's log-probability of the output is far below the run's usual",
    "language_mismatch": "the sentence's own language differs from the article's",
}

_LANG_CANDIDATE = pa.struct([("lang", pa.string()), ("confidence", pa.float64())])
_DROPPED_LINE = pa.struct([("line_no", pa.int32()), ("text", pa.string()), ("reason", pa.string())])


def _schema(columns: list[tuple[str, pa.DataType, str]]) -> pa.Schema:
    return pa.schema(
        [pa.field(name, dtype, metadata={"description": doc}) for name, dtype, doc in columns]
    )


def metadata_columns() -> list[tuple[str, pa.DataType, str]]:
    """What the input says about an article (issue #13): null where it does not say."""
    return [
        ("title", pa.string(), "the headline (HTML, WARC, or a table's --title-column)"),
        (
            "title_translation",
            pa.string(),
            "the headline in English, translated on its own (null: no headline or not ok)",
        ),
        (
            "title_flags",
            pa.list_(pa.string()),
            "the checks the headline's translation fails after its repair (names as in "
            "flag_*; empty: none; null: no headline or not ok)",
        ),
        (
            "published_at",
            pa.timestamp("us", tz="UTC"),
            "publication time, in UTC (a date alone: midnight UTC); null when unknown",
        ),
        ("url", pa.string(), "the page's URL (WARC: the record's; HTML: the canonical one)"),
        ("site", pa.string(), "the site or publication name"),
        ("author", pa.string(), "the author(s), as the page or table gives them"),
        ("input_format", pa.string(), "text, html, warc or table"),
        (
            "encoding",
            pa.string(),
            "the encoding the bytes were decoded from: utf-8, windows-1256, ... (null for "
            "table rows, and inputs that could not be read)",
        ),
    ]


def articles_schema() -> pa.Schema:
    flag_counts = [
        (f"n_flag_{name}", pa.int32(), f"segments flagged: {doc}") for name, doc in FLAGS.items()
    ]
    return _schema(
        [
            ("run_id", pa.string(), "the run that wrote this row"),
            (
                "article_id",
                pa.string(),
                "sha256 of what is translated (16 hex digits): a text file's bytes, a page's "
                "headline and main text, a table row's text and headline",
            ),
            (
                "source",
                pa.string(),
                "input file path; path#row for a table row, path#offset for a WARC record",
            ),
            *metadata_columns(),
            ("status", pa.string(), "ok or failed"),
            ("reason", pa.string(), "why the article failed (null when ok)"),
            ("source_lang", pa.string(), "NLLB code of the article's language, e.g. zsm_Latn"),
            ("lang_confidence", pa.float64(), "detector confidence (1.0 when given by the user)"),
            (
                "lang_candidates",
                pa.list_(_LANG_CANDIDATE),
                "the detector's best 3 languages with their confidences, best first (close "
                "calls: zsm_Latn 0.55, ind_Latn 0.45); empty when given by the user",
            ),
            ("lang_mixed", pa.bool_(), "some paragraph is confidently in another language"),
            ("n_lines", pa.int32(), "paragraphs (lines) of the cleaned text"),
            ("dropped_lines", pa.list_(_DROPPED_LINE), "lines removed by cleaning, with why"),
            ("clean_text", pa.string(), "the cleaned source text, one paragraph per line"),
            ("translation", pa.string(), "English text; line N translates line N of clean_text"),
            ("summary", pa.string(), "summary of the translation (null when not summarized)"),
            ("summary_chunks", pa.int32(), "chunks summarized first (1 = the text fitted)"),
            (
                "summary_chunks_total",
                pa.int32(),
                "chunks the text had; more than summary_chunks: the summary is of chunks chosen "
                "evenly (--summary-max-chunks)",
            ),
            ("n_segments", pa.int32(), "sentences translated"),
            *flag_counts,
            ("n_repaired", pa.int32(), "segments decoded a second time (see segments.repair)"),
            ("cached", pa.bool_(), "results reused from an earlier run with the same settings"),
            *story_link_columns(),
        ]
    )


def story_link_columns() -> list[tuple[str, pa.DataType, str]]:
    """Columns of `articles` filled by story linking (README "Stories"); null when failed."""
    return [
        ("story_id", pa.string(), "the story the article reports (see stories/)"),
        (
            "duplicate_of",
            pa.string(),
            "article_id of the earliest article this one copies (null: not a near-duplicate)",
        ),
        (
            "duplicate_similarity",
            pa.float64(),
            "estimated Jaccard similarity of the two translations' word 3-shingles",
        ),
    ]


def stories_schema() -> pa.Schema:
    when = pa.timestamp("us", tz="UTC")
    return _schema(
        [
            ("run_id", pa.string(), "the run that wrote this row (the story as it then stood)"),
            ("story_id", pa.string(), "st- and the article_id of the article that began it"),
            ("n_articles", pa.int32(), "articles in the story, in every run so far"),
            ("n_new", pa.int32(), "of them, articles new to it in this run (folded ones too)"),
            ("languages", pa.list_(pa.string()), "source languages of its articles (NLLB codes)"),
            ("sites", pa.list_(pa.string()), "sites of its articles, where known"),
            ("first_published", when, "earliest publication time of its articles, where known"),
            ("last_published", when, "latest publication time of its articles, where known"),
            ("title", pa.string(), "title of the most central article (else its first line)"),
            ("summary", pa.string(), "summary of the most central article"),
            ("representative_id", pa.string(), "article_id of the most central article"),
            ("article_ids", pa.list_(pa.string()), "its articles, in the order they were met"),
            (
                "folded_story_ids",
                pa.list_(pa.string()),
                "stories earlier runs published that were folded into this one (their "
                "articles in those runs' files carry these ids)",
            ),
        ]
    )


def segments_schema() -> pa.Schema:
    flags = [(f"flag_{name}", pa.bool_(), doc) for name, doc in FLAGS.items()]
    return _schema(
        [
            ("run_id", pa.string(), "the run that wrote this row"),
            ("article_id", pa.string(), "the article this sentence belongs to"),
            ("line_index", pa.int32(), "paragraph (line) number in clean_text, from 0"),
            ("segment_index", pa.int32(), "sentence number within the paragraph, from 0"),
            ("source_lang", pa.string(), "NLLB code the sentence was translated from"),
            ("source_text", pa.string(), "the sentence"),
            ("translation", pa.string(), "its English translation"),
            ("translated", pa.bool_(), "false when passed through (already English)"),
            ("src_tokens", pa.int32(), "source tokens, special tokens included"),
            ("out_tokens", pa.int32(), "output tokens generated"),
            ("max_new_tokens", pa.int32(), "the output length limit used"),
            (
                "log_prob",
                pa.float64(),
                "the model's log-probability of the output per token (null: not translated)",
            ),
            ("output_lang", pa.string(), "NLLB code the output was detected in (null: unsure)"),
            *flags,
            ("first_flags", pa.list_(pa.string()), "flags of the first output, before any repair"),
            ("repair", pa.string(), "repair tried: safer_decoding, clause_split, or null"),
            ("repair_kept", pa.bool_(), "the repaired output replaced the first"),
            ("first_translation", pa.string(), "the first output, when a repair replaced it"),
        ]
    )


def scores_schema() -> pa.Schema:
    return _schema(
        [
            ("run_id", pa.string(), "the run that wrote this row"),
            ("level", pa.string(), "article, language or corpus"),
            ("article_id", pa.string(), "the article (level article), else null"),
            ("lang", pa.string(), "NLLB source language (levels article, language), else null"),
            ("metric", pa.string(), "BLEU, chrF++ or TER"),
            ("score", pa.float64(), "the score as sacrebleu computes it (null: not scored)"),
            ("signature", pa.string(), "sacrebleu's signature: how to reproduce the score"),
            (
                "alignment",
                pa.string(),
                "line (line-aligned), document, mixed, misaligned or unscored (no usable "
                "reference): the last two not scored, see note",
            ),
            ("n_documents", pa.int32(), "articles scored together"),
            ("n_segments", pa.int32(), "hypothesis/reference pairs scored"),
            (
                "bootstrap_mean",
                pa.float64(),
                "mean of sacrebleu's bootstrap resamples, μ (levels language, corpus)",
            ),
            (
                "ci95",
                pa.float64(),
                "95% confidence interval half-width: μ ± ci95, as sacrebleu --confidence prints",
            ),
            ("bootstrap", pa.string(), "resamples and seed of the interval: bs:1000|seed:12345"),
            (
                "note",
                pa.string(),
                "why a document was not scored (misaligned, unscored), else null",
            ),
        ]
    )


def runs_schema() -> pa.Schema:
    return _schema(
        [
            ("run_id", pa.string(), "unique id of the run"),
            ("started_at", pa.timestamp("us", tz="UTC"), "when the run started"),
            ("finished_at", pa.timestamp("us", tz="UTC"), "when the run finished"),
            ("wall_seconds", pa.float64(), "total time of the run"),
            ("model_seconds", pa.float64(), "time spent inside model calls"),
            ("config_json", pa.string(), "the full run configuration, as JSON"),
            ("fingerprint", pa.string(), "hash of the settings that change outputs"),
            ("model", pa.string(), "translation model id or path"),
            ("model_revision", pa.string(), "hub commit or hash of the local model"),
            ("summarizer", pa.string(), "summarizer id or path"),
            ("summarizer_revision", pa.string(), "hub commit or hash of the local model"),
            ("backend", pa.string(), "translation backend used"),
            ("device", pa.string(), "cpu or cuda"),
            ("packages_json", pa.string(), "versions of the packages that shape the output"),
            ("n_articles", pa.int32(), "inputs seen"),
            ("n_ok", pa.int32(), "articles translated"),
            ("n_failed", pa.int32(), "articles failed (see articles.reason)"),
            ("n_cached", pa.int32(), "articles reused from earlier runs"),
            ("n_segments", pa.int32(), "sentences translated"),
            ("n_repaired", pa.int32(), "segments decoded a second time"),
            ("repair_rate", pa.float64(), "n_repaired / segments translated (0 when none)"),
            (
                "files_json",
                pa.string(),
                "size, sha256 and rows of the run's articles, segments and scores files "
                "(newsflow verify checks them)",
            ),
        ]
    )


SCHEMAS = {
    "articles": articles_schema,
    "segments": segments_schema,
    "scores": scores_schema,
    "runs": runs_schema,
    "stories": stories_schema,
}


def describe(name: str) -> list[tuple[str, str, str]]:
    """(column, type, meaning) for every column of a dataset."""
    return [
        (f.name, str(f.type), (f.metadata or {}).get(b"description", b"").decode())
        for f in SCHEMAS[name]()
    ]


def markdown() -> str:
    """The README's schema section: `python -m newslib.output.schema` prints it."""
    parts = []
    for name in SCHEMAS:
        parts.append(f"#### `{name}/`\n\n| column | type | meaning |\n|---|---|---|")
        parts.extend(f"| `{col}` | `{typ}` | {doc} |" for col, typ, doc in describe(name))
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    print(markdown())
