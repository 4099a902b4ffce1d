"""Write the slice of NTREX-128 that the tests carry: the first documents of every language.

    python -m tests.ntrex_slice ../shared/data/ntrex128   # rewrites tests/data/ntrex128

The tests need real news text in many scripts (tiny models' tokenizers, language ID, cleaning,
evaluation), and must pass on a fresh clone with nothing beside it. Whole documents are kept, and
every file keeps the same number of lines, so the slice is line-aligned like the full set.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

SLICE_DIR = Path(__file__).resolve().parent / "data" / "ntrex128"
N_DOCUMENTS = 11  # 166 lines: enough for the tiny models' tokenizers and every test

ATTRIBUTION = """\
# NTREX-128, first {documents} documents ({lines} lines) of every language

A slice of NTREX-128 -- News Test References for MT Evaluation of 128 Languages
(https://github.com/MicrosoftTranslator/NTREX), by Christian Federmann, Tom Kocmi and Ying Xin,
Microsoft, released under the Creative Commons Attribution-ShareAlike 4.0 International license
(CC BY-SA 4.0, full text in LICENSE.md beside this file). Changes: only the first {documents}
documents of each file are kept (`python -m tests.ntrex_slice FULL_NTREX_DIR` writes this folder);
the text is unchanged. This slice is shared under the same license.

Cite: Federmann, Kocmi and Xin. NTREX-128 -- News Test References for MT Evaluation of 128
Languages. Proceedings of the First Workshop on Scaling Up Multilingual Evaluation, 2022.
https://aclanthology.org/2022.sumeval-1.4
"""


def slice_lines(document_ids: list[str], n_documents: int) -> int:
    """How many lines the first `n_documents` documents span."""
    seen: list[str] = []
    for index, document in enumerate(document_ids):
        if document not in seen:
            if len(seen) == n_documents:
                return index
            seen.append(document)
    return len(document_ids)


def write_slice(full: Path, out: Path = SLICE_DIR, n_documents: int = N_DOCUMENTS) -> int:
    """Write the slice of the NTREX-128 folder `full` into `out`; returns its line count."""
    ids = (full / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    n_lines = slice_lines([line.split("\t")[0].strip() for line in ids], n_documents)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for path in [full / "DOCUMENT_IDS.tsv", *sorted(full.glob("newstest2019-*.txt"))]:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        (out / path.name).write_text("".join(lines[:n_lines]), encoding="utf-8")
    for name in ("LANGUAGES.tsv", "LICENSE.md"):
        shutil.copyfile(full / name, out / name)
    readme = ATTRIBUTION.format(documents=n_documents, lines=n_lines)
    (out / "README.md").write_text(readme, encoding="utf-8")
    return n_lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("full", type=Path, help="the full NTREX-128 folder")
    args = parser.parse_args()
    n_lines = write_slice(args.full)
    print(f"wrote {SLICE_DIR} ({n_lines} lines per file)")


if __name__ == "__main__":
    main()
