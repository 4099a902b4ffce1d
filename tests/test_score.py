"""Scores equal what the sacrebleu command prints for the same files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newslib.inputs.references import ReferenceError, load_references, match_reference
from newslib.scoring.score import align, score_documents
from tests.sacrebleu_command import run_sacrebleu


def sacrebleu_cli(hyp: Path, ref: Path) -> dict[str, float]:
    """Scores as printed by the `sacrebleu` command (JSON output, default 1 decimal)."""
    output = run_sacrebleu(ref, hyp)
    return {entry["name"]: float(entry["score"]) for entry in json.loads(output)}


def _ntrex_pairs(ntrex_dir: Path, n: int) -> tuple[list[str], list[str]]:
    english = (ntrex_dir / "newstest2019-ref.eng-US.txt").read_text(encoding="utf-8").splitlines()
    # A stand-in system output: the British English reference, scored against the American one.
    british = (ntrex_dir / "newstest2019-ref.eng-GB.txt").read_text(encoding="utf-8").splitlines()
    return british[:n], english[:n]


def test_corpus_scores_equal_the_sacrebleu_command(ntrex_dir: Path, tmp_path: Path) -> None:
    hyps, refs = _ntrex_pairs(ntrex_dir, 300)
    (tmp_path / "hyp.txt").write_text("\n".join(hyps) + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("\n".join(refs) + "\n", encoding="utf-8")
    docs = [
        align("a", "eng_Latn", hyps[:150], "\n".join(refs[:150])),
        align("b", "eng_Latn", hyps[150:], "\n".join(refs[150:])),
    ]

    rows = score_documents(docs)

    corpus = {r.metric: r for r in rows if r.level == "corpus"}
    printed = sacrebleu_cli(tmp_path / "hyp.txt", tmp_path / "ref.txt")
    ours = {name: corpus[name].score for name in ("BLEU", "chrF++", "TER")}
    assert None not in ours.values()
    assert {k: round(v or 0.0, 1) for k, v in ours.items()} == {
        "BLEU": printed["BLEU"],
        "chrF++": printed["chrF2++"],
        "TER": printed["TER"],
    }
    assert corpus["BLEU"].signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    assert "nw:2" in corpus["chrF++"].signature
    assert corpus["BLEU"].n_segments == len(hyps) and corpus["BLEU"].alignment == "line"


def test_levels_and_alignment() -> None:
    line_doc = align("a", "zsm_Latn", ["The cat sat.", "It rained."], "The cat sat.\nIt rained.")
    doc_doc = align("b", "ben_Beng", ["One two three."], "One two\nthree.")
    assert line_doc.alignment == "line" and doc_doc.alignment == "document"
    rows = score_documents([line_doc, doc_doc])
    levels = {(r.level, r.article_id, r.lang) for r in rows}
    assert ("article", "a", "zsm_Latn") in levels and ("article", "b", "ben_Beng") in levels
    assert ("language", None, "zsm_Latn") in levels and ("corpus", None, None) in levels
    perfect = next(r for r in rows if r.article_id == "a" and r.metric == "BLEU")
    assert perfect.score == pytest.approx(100.0)
    corpus_bleu = next(r for r in rows if r.level == "corpus" and r.metric == "BLEU")
    assert corpus_bleu.alignment == "mixed" and corpus_bleu.n_documents == 2


def test_references_from_directory_and_table(tmp_path: Path) -> None:
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "001.txt").write_text("Reference one.", encoding="utf-8")
    by_dir = load_references(tmp_path / "refs")
    assert match_reference(by_dir, "id1", "/data/in/001.txt", [Path("/data/in")]).text == (
        "Reference one."
    )
    assert match_reference(by_dir, "id1", "/data/in/table.jsonl#0", [Path("/data/in")]).text is None

    table = tmp_path / "refs.jsonl"
    table.write_text('{"article_id": "id2", "reference": "Two."}\n', encoding="utf-8")
    assert match_reference(load_references(table), "id2", "x.txt", []).text == "Two."

    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match="needs a 'reference' column"):
        load_references(bad)
