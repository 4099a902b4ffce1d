"""References are found by the input's path, never by bare file name, and every problem with
them is known before any model work: per article, or as an error that names the files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from newsflow.cli import EXIT_CANNOT_RUN, app
from newslib.config import RunConfig
from newslib.inputs.references import ReferenceError, load_references, match_reference

ENGLISH = {
    "a": "The council approved the new budget on Monday.\nSchools will reopen next week.\n",
    "b": "Heavy rain flooded the coastal road overnight.\nNo one was hurt, police said.\n",
}


def same_name_layout(root: Path) -> tuple[Path, Path]:
    """inputs/a/x.txt and inputs/b/x.txt, each with its own reference refs/a|b/x.txt."""
    for folder, text in ENGLISH.items():
        for side in ("inputs", "refs"):
            (root / side / folder).mkdir(parents=True)
            (root / side / folder / "x.txt").write_text(text, encoding="utf-8")
    return root / "inputs", root / "refs"


def test_same_file_names_in_two_folders_get_their_own_references(tmp_path: Path) -> None:
    inputs, refs = same_name_layout(tmp_path)
    references = load_references(refs)
    for folder, text in ENGLISH.items():
        source = str(inputs / folder / "x.txt")
        assert match_reference(references, "id", source, [inputs]).text == text
        # Each folder given as its own input: matched under the folder's name.
        assert match_reference(references, "id", source, [inputs / folder]).text == text


def test_no_reference_by_bare_file_name(tmp_path: Path) -> None:
    inputs, refs = same_name_layout(tmp_path)
    (refs / "x.txt").write_text("a third text\n", encoding="utf-8")
    match = match_reference(
        load_references(refs), "id", str(inputs / "a" / "y" / "x.txt"), [inputs]
    )
    assert match.text is None and match.problem is not None
    assert str(refs / "a" / "y" / "x.txt") in match.problem


def test_two_different_references_for_one_input_is_an_error_naming_both(tmp_path: Path) -> None:
    inputs, refs = same_name_layout(tmp_path)
    (refs / "x.txt").write_text("another reference\n", encoding="utf-8")
    with pytest.raises(ReferenceError) as error:
        match_reference(load_references(refs), "id", str(inputs / "a" / "x.txt"), [inputs / "a"])
    assert str(refs / "x.txt") in str(error.value) and str(refs / "a" / "x.txt") in str(error.value)


def test_a_reference_that_is_not_utf8_is_reported_for_its_article(tmp_path: Path) -> None:
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "x.txt").write_bytes("caf\xe9".encode("latin-1"))
    match = match_reference(load_references(tmp_path / "refs"), "id", "in/x.txt", [Path("in")])
    assert match.text is None
    assert "x.txt" in (match.problem or "") and "not valid UTF-8" in (match.problem or "")


def test_a_table_with_two_different_references_for_one_id_names_the_rows(tmp_path: Path) -> None:
    table = tmp_path / "refs.csv"
    pd.DataFrame({"article_id": ["a", "a"], "reference": ["One.", "Two."]}).to_csv(table)
    with pytest.raises(ReferenceError, match="rows 1 and 2"):
        load_references(table)


def test_a_malformed_reference_table_stops_the_command_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.txt").write_text("Hello.", encoding="utf-8")
    table = tmp_path / "refs.jsonl"
    table.write_text('{"article_id": "a", "reference": "One."}\n{"article_id": \n', "utf-8")
    result = CliRunner().invoke(
        app,
        ["run", str(tmp_path / "in"), "--references", str(table), "--output", str(tmp_path / "o")],
    )
    assert result.exit_code == EXIT_CANNOT_RUN
    assert str(table) in " ".join(result.output.split())
    assert not (tmp_path / "o").exists()


def test_the_flow_scores_each_article_against_its_own_reference(
    tiny_models: tuple[Path, Path], prefect_server: None, tmp_path: Path
) -> None:
    from flows.pipeline import translate_news

    inputs, refs = same_name_layout(tmp_path)
    (inputs / "c").mkdir()
    (inputs / "c" / "x.txt").write_text("Markets closed higher today.\n", encoding="utf-8")
    (refs / "c").mkdir()
    (refs / "c" / "x.txt").write_bytes("caf\xe9".encode("latin-1"))  # not UTF-8
    config = RunConfig(
        inputs=[inputs],
        output=tmp_path / "out",
        model=str(tiny_models[0]),
        summarizer=str(tiny_models[1]),
        source_lang="eng_Latn",  # passed through: the translation is the text itself
        summarize=False,
        references=refs,
        alignment="line",
    )

    translate_news(config)

    scores = pd.read_parquet(tmp_path / "out" / "scores")
    articles = pd.read_parquet(tmp_path / "out" / "articles")
    by_folder = dict(
        zip(
            articles["article_id"],
            articles["source"].map(lambda s: Path(s).parent.name),
            strict=True,
        )
    )
    bleu = scores[(scores.level == "article") & (scores.metric == "BLEU")]
    bleu = bleu.assign(folder=bleu.article_id.map(by_folder)).set_index("folder")
    assert bleu.loc["a", "score"] == pytest.approx(100.0)
    assert bleu.loc["b", "score"] == pytest.approx(100.0)
    assert bleu.loc["a", "alignment"] == "line"
    assert pd.isna(bleu.loc["c", "score"]) and bleu.loc["c", "alignment"] == "unscored"
    assert "not valid UTF-8" in bleu.loc["c", "note"]
