"""A line-aligned test set laid out as newsflow inputs: one article per document, per language.

`newsflow eval` turns a test set (NTREX-128, FLORES-200, ...) into what the production flow
reads: `DIR/inputs/<code>/<NNN>_<doc>.txt` holds document NNN in language <code>, one segment
per line, and `DIR/references/<NNN>_<doc>.txt` its English lines. The flow finds each input's
reference by its path relative to the language's folder (see `newslib.inputs.references`), and
scores line by line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel


class TestSetError(ValueError):
    """The test set or the chosen languages cannot be used; the message says why."""

    __test__ = False


class EvalLanguage(BaseModel):
    """One source language of a test set, written out as input documents."""

    code: str  # the test set's own code: "msa" (NTREX), "zsm_Latn" (FLORES)
    nllb: str  # the NLLB code the model is told
    inputs: Path  # directory of this language's documents
    n_documents: int
    n_segments: int


class TestSet(BaseModel):
    """What `evaluate` needs: the languages' inputs and the shared English references."""

    __test__ = False  # not a pytest test class, despite the name

    name: str  # "NTREX-128", "FLORES-200 devtest"
    source: str  # where the data came from (a directory)
    documents_available: int  # documents in the whole test set (--docs takes the first N)
    references: Path
    languages: list[EvalLanguage]


@dataclass(frozen=True)
class Document:
    """A document of the test set: its id and its line range (the same in every language)."""

    doc_id: str
    start: int
    stop: int


def group_documents(doc_ids: Sequence[str]) -> list[Document]:
    """Consecutive lines with the same id form a document, in order of first appearance."""
    documents: list[Document] = []
    for number, doc_id in enumerate(doc_ids):
        if documents and documents[-1].doc_id == doc_id:
            last = documents[-1]
            documents[-1] = Document(doc_id, last.start, number + 1)
        else:
            documents.append(Document(doc_id, number, number + 1))
    return documents


def chunk_documents(n_lines: int, lines_per_document: int) -> list[Document]:
    """Documents of `lines_per_document` consecutive lines, for a test set without document ids."""
    return [
        Document(f"lines-{start + 1:05d}", start, min(start + lines_per_document, n_lines))
        for start in range(0, n_lines, lines_per_document)
    ]


def file_name(number: int, doc_id: str) -> str:
    """`007_bbc.381790.txt`: numbered so directory order is document order; a safe file name."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", doc_id).strip("._") or "doc"
    return f"{number:03d}_{safe}.txt"


def read_lines(path: Path) -> list[str]:
    """A test-set file, one segment per line (a trailing newline does not add a segment)."""
    return path.read_text(encoding="utf-8").splitlines()


def write_test_set(
    output: Path,
    name: str,
    source: str,
    documents: Sequence[Document],
    english: Sequence[str],
    languages: Mapping[str, tuple[str, Sequence[str]]],
    documents_available: int | None = None,
) -> TestSet:
    """Write every language's documents and the English references; `languages` maps the test
    set's code to (NLLB code, lines). Every file must have as many lines as the English one."""
    for code, (_, lines) in languages.items():
        if len(lines) != len(english):
            raise TestSetError(
                f"{name}: {code} has {len(lines)} lines, the English reference {len(english)}"
            )
    references = output / "references"
    references.mkdir(parents=True, exist_ok=True)
    for stale in references.glob("*.txt"):  # an earlier eval with more documents
        stale.unlink()
    for number, doc in enumerate(documents):
        text = "\n".join(english[doc.start : doc.stop]) + "\n"
        (references / file_name(number, doc.doc_id)).write_text(text, encoding="utf-8")
    written = []
    for code, (nllb, lines) in languages.items():
        folder = output / "inputs" / code
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.txt"):  # an earlier eval with more documents
            stale.unlink()
        for number, doc in enumerate(documents):
            text = "\n".join(lines[doc.start : doc.stop]) + "\n"
            (folder / file_name(number, doc.doc_id)).write_text(text, encoding="utf-8")
        n_segments = sum(doc.stop - doc.start for doc in documents)
        written.append(
            EvalLanguage(
                code=code,
                nllb=nllb,
                inputs=folder,
                n_documents=len(documents),
                n_segments=n_segments,
            )
        )
    return TestSet(
        name=name,
        source=source,
        documents_available=documents_available or len(documents),
        references=references,
        languages=written,
    )
