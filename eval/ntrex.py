"""NTREX-128 as a newsflow evaluation: its 123 news documents, in each chosen language.

NTREX-128 (Federmann et al., 2022) is the WMT19 English news test set (1,997 segments in 123
documents) translated by professionals into 128 languages. Line N of every
`newstest2019-ref.<code>.txt` translates line N of `newstest2019-src.eng.txt`, and
`DOCUMENT_IDS.tsv` says which document each line belongs to. Translating a language back into
English and scoring against the English original is the usual way to use it for X->English.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from eval.testset import TestSet, TestSetError, group_documents, read_lines, write_test_set
from newslib.text.languages import NTREX_NOT_IN_NLLB, NTREX_TO_NLLB, ntrex_files

NTREX_ENGLISH = "newstest2019-src.eng.txt"
NTREX_DOCUMENT_IDS = "DOCUMENT_IDS.tsv"


def ntrex_languages(ntrex_dir: Path, langs: Sequence[str]) -> dict[str, tuple[str, Path]]:
    """NTREX code -> (NLLB code, file) for the chosen codes; 'all' takes every language NLLB has.

    Raises TestSetError naming what is wrong: an unknown code, a language NLLB-200 lacks, a
    file missing from `ntrex_dir`.
    """
    files = ntrex_files(ntrex_dir)
    if list(langs) == ["all"]:
        langs = [code for code in files if NTREX_TO_NLLB.get(code)]
    chosen: dict[str, tuple[str, Path]] = {}
    for code in langs:
        if code not in NTREX_TO_NLLB:
            raise TestSetError(
                f"unknown NTREX language {code!r}; the codes are the file suffixes of "
                f"newstest2019-ref.<code>.txt (msa, ben, arb, aze-Latn, ...) or 'all'"
            )
        nllb = NTREX_TO_NLLB[code]
        if nllb is None:
            raise TestSetError(f"NTREX language {code!r}: {NTREX_NOT_IN_NLLB[code]}")
        if code not in files:
            raise TestSetError(f"no file for NTREX language {code!r} in {ntrex_dir}")
        chosen[code] = (nllb, files[code])
    return chosen


def build_ntrex(
    ntrex_dir: Path, langs: Sequence[str], output: Path, docs: int | None = None
) -> TestSet:
    """Write the first `docs` documents (all 123 when None) of each language as articles."""
    english_file = ntrex_dir / NTREX_ENGLISH
    ids_file = ntrex_dir / NTREX_DOCUMENT_IDS
    for needed in (english_file, ids_file):
        if not needed.is_file():
            raise TestSetError(f"{needed} not found: is {ntrex_dir} an NTREX-128 directory?")
    english = read_lines(english_file)
    doc_ids = [line.split("\t")[0].strip() for line in read_lines(ids_file)]
    if len(doc_ids) != len(english):
        raise TestSetError(
            f"{ids_file.name} has {len(doc_ids)} lines, {english_file.name} {len(english)}"
        )
    documents = all_documents = group_documents(doc_ids)
    if docs is not None:
        if docs < 1:
            raise TestSetError("--docs must be at least 1")
        documents = documents[:docs]
    chosen = ntrex_languages(ntrex_dir, langs)
    if not chosen:
        raise TestSetError("no languages chosen")
    lines = {code: (nllb, read_lines(path)) for code, (nllb, path) in chosen.items()}
    source = str(ntrex_dir.resolve())
    return write_test_set(
        output, "NTREX-128", source, documents, english, lines, len(all_documents)
    )
