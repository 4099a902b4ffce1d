"""Any line-aligned test set laid out as FLORES-200 is, as a newsflow evaluation.

FLORES-200 (NLLB Team, 2022) keeps one file per language and split, `<dir>/<code>.<split>`
(`zsm_Latn.devtest`, `eng_Latn.devtest`), line N of every file translating the same sentence;
its codes are NLLB codes. Sentences come from articles: where `metadata_<split>.tsv` (FLORES's
per-line URL table) is found next to the files or one level up, consecutive lines of the same
URL form a document; otherwise documents are runs of `lines_per_document` lines.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from eval.testset import (
    Document,
    TestSet,
    TestSetError,
    chunk_documents,
    group_documents,
    read_lines,
    write_test_set,
)
from newslib.text.languages import is_nllb_supported

DEFAULT_LINES_PER_DOCUMENT = 10


def split_file(directory: Path, code: str, split: str) -> Path:
    """`<dir>/<code>.<split>`, or `<dir>/<split>/<code>.<split>` (the dataset's root given)."""
    for candidate in (directory / f"{code}.{split}", directory / split / f"{code}.{split}"):
        if candidate.is_file():
            return candidate
    raise TestSetError(f"no {code}.{split} in {directory} (nor in {directory / split})")


def metadata_documents(directory: Path, split: str, n_lines: int) -> list[Document] | None:
    """Documents from FLORES's `metadata_<split>.tsv` (one URL per line), when it is there."""
    for candidate in (
        directory / f"metadata_{split}.tsv",
        directory.parent / f"metadata_{split}.tsv",
    ):
        if candidate.is_file():
            with candidate.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle, delimiter="\t"))
            urls = [row.get("URL") or row.get("url") or "" for row in rows]
            if len(urls) == n_lines and all(urls):
                return group_documents(urls)
    return None


def build_flores(
    directory: Path,
    langs: Sequence[str],
    output: Path,
    *,
    split: str = "devtest",
    english: str = "eng_Latn",
    docs: int | None = None,
    lines_per_document: int = DEFAULT_LINES_PER_DOCUMENT,
    name: str | None = None,
) -> TestSet:
    """Write the first `docs` documents (all when None) of each language as articles."""
    if not directory.is_dir():
        raise TestSetError(f"{directory} is not a directory")
    if not langs:
        raise TestSetError("no languages chosen")
    for code in langs:
        if not is_nllb_supported(code):
            raise TestSetError(
                f"{code!r} is not an NLLB-200 language code (zsm_Latn, ben_Beng, ...)"
            )
    english_file = split_file(directory, english, split)
    english_lines = read_lines(english_file)
    documents = metadata_documents(english_file.parent, split, len(english_lines))
    if documents is None:
        if lines_per_document < 1:
            raise TestSetError("--doc-lines must be at least 1")
        documents = chunk_documents(len(english_lines), lines_per_document)
    available = len(documents)
    if docs is not None:
        if docs < 1:
            raise TestSetError("--docs must be at least 1")
        documents = documents[:docs]
    lines = {code: (code, read_lines(split_file(directory, code, split))) for code in langs}
    name = name or f"{directory.resolve().name} ({split})"
    source = str(directory.resolve())
    return write_test_set(output, name, source, documents, english_lines, lines, available)
