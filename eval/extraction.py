"""How well the main text of a news page is found: `python -m eval.extraction`.

On the pages of data/web (see eval/web_pages.py), labelled in eval/data/extraction_labels.json:
the share of the article's lines kept, and of the boilerplate lines (menus, share buttons,
counters, related headlines, ad slots, scripts, footers) removed, after extraction
(trafilatura, as `newsflow run` reads a page) and after extraction and cleaning (what is
translated). A line counts as kept when a line of the output is it; a boilerplate line as
removed when no output line is it or, for a line of 20 characters or more, contains it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from newslib.inputs.html import page_article
from newslib.text.clean import clean_text

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "eval" / "data" / "extraction_labels.json"
PAGES = ROOT / "data" / "web"


@dataclass
class Tally:
    article_kept: int = 0
    article_total: int = 0
    boilerplate_removed: int = 0
    boilerplate_total: int = 0

    def add(self, lines: list[str], article: list[str], boilerplate: list[str]) -> None:
        present = {" ".join(line.split()) for line in lines}
        self.article_total += len(article)
        self.article_kept += sum(" ".join(line.split()) in present for line in article)
        self.boilerplate_total += len(boilerplate)
        self.boilerplate_removed += sum(not _shown(line, present) for line in boilerplate)

    def line(self, label: str) -> str:
        kept = self.article_kept / self.article_total
        removed = self.boilerplate_removed / self.boilerplate_total
        return (
            f"{label}: article lines kept {self.article_kept}/{self.article_total} "
            f"({kept:.1%}), boilerplate lines removed "
            f"{self.boilerplate_removed}/{self.boilerplate_total} ({removed:.1%})"
        )


def _shown(line: str, present: set[str]) -> bool:
    line = " ".join(line.split())
    return line in present or (len(line) >= 20 and any(line in p for p in present))


def measure(labels_path: Path = LABELS, pages: Path = PAGES) -> tuple[Tally, Tally]:
    """(after extraction, after extraction and cleaning) over every labelled page."""
    extracted, cleaned = Tally(), Tally()
    for label in json.loads(labels_path.read_text(encoding="utf-8")):
        path = pages / label["page"]
        raw = page_article(path.read_bytes(), str(path), "html")
        text = raw.text or ""
        extracted.add(text.splitlines(), label["article"], label["boilerplate"])
        cleaned.add(clean_text(text).lines, label["article"], label["boilerplate"])
    return extracted, cleaned


def main() -> int:
    extracted, cleaned = measure()
    print(extracted.line("extraction"))
    print(cleaned.line("extraction + cleaning"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
