"""Reference translations: loading them, and finding the one reference of each article.

A directory of references mirrors the inputs: the reference of `INPUT_ROOT/a/x.txt` is
`REFERENCES/a/x.txt` (its path relative to the input directory it was found in; for a file given
by hand, its name). `REFERENCES/<root name>/a/x.txt` also matches, so one references directory
can serve several input directories given together. A table of references (.jsonl, .csv,
.parquet) is keyed by `article_id` or by `source`. Never by bare file name: two inputs called
`x.txt` in different folders get different references.

Every problem is found before any model work: a table that cannot be parsed, or a reference that
matches one input in two ways with different texts, stops the run naming the files
(`ReferenceError`); a reference file that cannot be read (not UTF-8, not a regular file, ...)
or an input without a reference is reported for that article.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newslib.inputs.files import UnreadableFile, read_bounded
from newslib.inputs.ingest import decode_article_bytes
from newslib.inputs.tables import TABLE_SUFFIXES

# A reference file larger than this is reported, not read (a reference is one article's text).
MAX_REFERENCE_BYTES = 50_000_000


class ReferenceError(ValueError):
    """The references cannot be used at all; the message names the file and what to do."""


@dataclass(frozen=True)
class References:
    """Reference texts by key, and the keys whose reference could not be read, with why."""

    location: Path
    by: str  # "path" (a directory), "article_id" or "source" (a table)
    texts: dict[str, str]
    problems: dict[str, str] = field(default_factory=dict)

    def describe(self, key: str) -> str:
        return str(self.location / key) if self.by == "path" else f"{self.location} [{key}]"


@dataclass(frozen=True)
class Match:
    """An article's reference (`text`), or why it has none (`problem`)."""

    text: str | None
    problem: str | None
    key: str | None = None


def load_references(path: Path, text_column: str = "reference") -> References:
    """References from a directory of files or a table; ReferenceError when unusable."""
    path = Path(path)
    if path.is_dir():
        return _directory_references(path)
    if path.suffix.lower() not in TABLE_SUFFIXES or not path.is_file():
        raise ReferenceError(
            f"references must be a directory of text files or a .jsonl/.csv/.parquet table; "
            f"{path} is neither"
        )
    return _table_references(path, text_column)


def _directory_references(root: Path) -> References:
    texts: dict[str, str] = {}
    problems: dict[str, str] = {}
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(f for f in files if not f.startswith(".")):
            file = Path(directory) / name
            key = file.relative_to(root).as_posix()
            try:
                text, reason = decode_article_bytes(read_bounded(file, MAX_REFERENCE_BYTES))
            except UnreadableFile as error:
                text, reason = None, str(error)
            if text is None:
                problems[key] = f"reference {file} cannot be used: {reason}"
            else:
                texts[key] = text
    return References(root, "path", texts, problems)


def _table_references(path: Path, text_column: str) -> References:
    import pandas as pd

    try:
        read_bounded(path, MAX_REFERENCE_BYTES * 20)  # a regular file, not a pipe
        suffix = path.suffix.lower()
        frame = (
            pd.read_json(path, lines=True, dtype=False)
            if suffix == ".jsonl"
            else pd.read_csv(path, dtype=str)
            if suffix == ".csv"
            else pd.read_parquet(path)
        )
    except (UnreadableFile, ValueError, OSError, ImportError) as error:
        raise ReferenceError(
            f"reference table {path} cannot be read ({type(error).__name__}: {error}); "
            "fix or replace the file"
        ) from None
    key = next((c for c in ("article_id", "source") if c in frame.columns), None)
    if key is None or text_column not in frame.columns:
        raise ReferenceError(
            f"reference table {path} needs a '{text_column}' column and an 'article_id' or "
            f"'source' column; it has {list(frame.columns)}"
        )
    texts: dict[str, str] = {}
    problems: dict[str, str] = {}
    first_row: dict[str, tuple[int, object]] = {}
    for number, (name, value) in enumerate(zip(frame[key], frame[text_column], strict=True)):
        name = str(name)
        if name in first_row and repr(first_row[name][1]) != repr(value):
            raise ReferenceError(
                f"reference table {path} has two different references for {key} {name!r} "
                f"(rows {first_row[name][0] + 1} and {number + 1}); keep one"
            )
        first_row.setdefault(name, (number, value))
        if isinstance(value, str) and value.strip():
            texts[name] = value
        else:
            problems[name] = f"reference in {path} row {number + 1} is not text: {value!r}"
    return References(path, key, texts, problems)


def input_keys(source: str, roots: Sequence[Path]) -> list[str]:
    """The keys that an input file's reference may have in a references directory.

    Its path relative to the input root it came from, then the same under the root's name.
    Purely lexical, so it works on the `source` column of a written dataset too.
    """
    path = Path(source)
    base = path.parent
    for root in sorted((Path(r) for r in roots), key=lambda r: len(r.parts), reverse=True):
        if path != root and path.is_relative_to(root):
            base = root
            break
    relative = path.relative_to(base).as_posix()
    name = base.resolve().name if str(base) in ("", ".") else base.name
    return [relative, f"{name}/{relative}"] if name else [relative]


def match_reference(
    references: References, article_id: str, source: str, roots: Sequence[Path]
) -> Match:
    """The reference of one article; ReferenceError when two different ones match it."""
    if references.by == "article_id":
        keys = [article_id]
    elif references.by == "source":
        keys = [source]
    elif "#" in source:
        why = "a table row has no reference file: give a reference table keyed by article_id"
        return Match(None, why)
    else:
        keys = input_keys(source, roots)
    found = [k for k in keys if k in references.texts or k in references.problems]
    if not found:
        return Match(None, f"no reference: looked for {references.describe(keys[0])}")
    texts = {references.texts.get(k, references.problems.get(k)) for k in found}
    if len(texts) > 1:
        shown = " and ".join(references.describe(k) for k in found)
        raise ReferenceError(
            f"the input {source} matches two different references, {shown}; remove one"
        )
    key = found[0]
    if key in references.problems:
        return Match(None, references.problems[key], key)
    return Match(references.texts[key], None, key)


def unused_references(references: References, used: Iterable[str | None]) -> list[str]:
    """References that no article matched, described (a layout mistake shows up here)."""
    seen = set(used)
    keys = sorted((set(references.texts) | set(references.problems)) - seen)
    return [references.describe(k) for k in keys]
