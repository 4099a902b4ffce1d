"""Auditing any translation with the quality checks, without a model: `newsflow check`.

A human, third-party or earlier machine translation, line-aligned with its source (two text
files, or one table with `source` and `translation` columns), goes through the same output
checks as newsflow's own translations (`newslib.checks.flags.check_output`). Each line becomes a
row of flags; the summary counts each flag. Nothing here needs the translation model, so
`length_limit` (decoding stopped at its limit) and `low_confidence` (the model's own
log-probability) are not part of an audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from newslib.checks.flags import OUTPUT_CHECKS, check_output
from newslib.output.schema import FLAGS
from newslib.text.languages import is_nllb_supported

# The checks an audit runs: every output check that needs no model.
AUDIT_CHECKS = tuple(name for name in OUTPUT_CHECKS if name != "length_limit")
TABLE_SUFFIXES = (".jsonl", ".csv", ".parquet")


class AuditInputError(ValueError):
    """The files cannot be audited as given; the message says what to do."""


def audit_schema() -> pa.Schema:
    flags = [
        pa.field(f"flag_{n}", pa.bool_(), metadata={"description": FLAGS[n]}) for n in AUDIT_CHECKS
    ]
    columns = [
        ("line", pa.int32(), "line number in the input, from 1"),
        ("source_lang", pa.string(), "NLLB code of the source, as given"),
        ("source_text", pa.string(), "the source line"),
        ("translation", pa.string(), "its translation, as given"),
        ("output_lang", pa.string(), "NLLB code the translation was detected in (null: unsure)"),
    ]
    fields = [pa.field(n, t, metadata={"description": d}) for n, t, d in columns]
    return pa.schema([*fields, *flags, pa.field("flags", pa.list_(pa.string()))])


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines  # a final newline ends a line


def read_pairs(source: Path, translation: Path | None) -> list[tuple[str, str]]:
    """(source line, translation line) pairs from two line-aligned files, or from one table."""
    for path in (source, translation):
        if path is not None and not path.is_file():
            raise AuditInputError(f"not found: {path}")
    if translation is None:
        if source.suffix not in TABLE_SUFFIXES:
            raise AuditInputError(
                f"{source}: give --translation, or a table ({', '.join(TABLE_SUFFIXES)}) "
                "with 'source' and 'translation' columns"
            )
        return _table_pairs(source)
    sources, translations = _lines(source), _lines(translation)
    if len(sources) != len(translations):
        raise AuditInputError(
            f"{source} has {len(sources)} lines and {translation} has {len(translations)}: "
            "the files must be line-aligned (line N of one translates line N of the other)"
        )
    return list(zip(sources, translations, strict=True))


def _table_pairs(path: Path) -> list[tuple[str, str]]:
    import pandas as pd

    readers = {".jsonl": lambda p: pd.read_json(p, lines=True), ".csv": pd.read_csv}
    frame = readers.get(path.suffix, pd.read_parquet)(path)
    missing = [c for c in ("source", "translation") if c not in frame.columns]
    if missing:
        raise AuditInputError(f"{path}: no column {', '.join(missing)} (has {list(frame.columns)})")
    return [
        ("" if pd.isna(s) else str(s), "" if pd.isna(t) else str(t))
        for s, t in zip(frame["source"], frame["translation"], strict=True)
    ]


def audit_rows(pairs: list[tuple[str, str]], source_lang: str) -> list[dict[str, Any]]:
    """One row of flags per pair; an empty line on both sides raises nothing."""
    if not is_nllb_supported(source_lang):
        raise AuditInputError(
            f"unknown language code {source_lang!r}: give an NLLB code (zsm_Latn)"
        )
    rows = []
    for number, (source, translation) in enumerate(pairs, start=1):
        blank = not source.strip() and not translation.strip()
        checked = None if blank else check_output(source, translation, source_lang, False)
        fired = checked.flags if checked else []
        rows.append(
            {
                "line": number,
                "source_lang": source_lang,
                "source_text": source,
                "translation": translation,
                "output_lang": checked.output_lang if checked else None,
                **{f"flag_{name}": name in fired for name in AUDIT_CHECKS},
                "flags": fired,
            }
        )
    return rows


@dataclass(frozen=True)
class AuditSummary:
    lines: int
    flagged: int  # lines with any flag
    counts: dict[str, int]  # lines per flag

    def table(self) -> list[dict[str, Any]]:
        """The summary as rows: flag, lines flagged, share of all lines."""
        share = (lambda n: f"{n / self.lines:.2%}") if self.lines else (lambda n: "-")
        rows = [{"flag": name, "lines": n, "share": share(n)} for name, n in self.counts.items()]
        return [*rows, {"flag": "any", "lines": self.flagged, "share": share(self.flagged)}]


def summarize(rows: list[dict[str, Any]]) -> AuditSummary:
    counts = {name: sum(bool(r[f"flag_{name}"]) for r in rows) for name in AUDIT_CHECKS}
    return AuditSummary(len(rows), sum(bool(r["flags"]) for r in rows), counts)


def write_audit(rows: list[dict[str, Any]], output: Path) -> tuple[Path, Path]:
    """`segments.parquet` (one row per line) and `summary.parquet` (one row per flag)."""
    import pyarrow.parquet as pq

    output.mkdir(parents=True, exist_ok=True)
    schema = audit_schema()
    table = pa.Table.from_pydict({f.name: [r[f.name] for r in rows] for f in schema}, schema)
    summary = pa.Table.from_pylist(summarize(rows).table())
    segments_path, summary_path = output / "segments.parquet", output / "summary.parquet"
    pq.write_table(table, segments_path)
    pq.write_table(summary, summary_path)
    return segments_path, summary_path
