"""Ingest: every input becomes a row; bad inputs carry a reason instead of crashing the run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from newslib.inputs.ingest import RawArticle, content_id, ingest

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def _ingest(*paths: Path, max_bytes: int = 1_000_000) -> list[RawArticle]:
    return list(ingest(list(paths), text_column="text", id_column=None, max_bytes=max_bytes))


def test_directory_with_bad_files_gives_one_row_each(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Berita baik hari ini.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "also-good.txt").write_text("Satu lagi.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "photo.jpg").write_bytes(PNG)
    (tmp_path / ".hidden.txt").write_text("editor swap file", encoding="utf-8")

    by_name = {Path(a.source).name: a for a in _ingest(tmp_path)}

    assert sorted(by_name) == ["also-good.txt", "empty.txt", "good.txt", "latin1.txt", "photo.jpg"]
    assert by_name["good.txt"].text == "Berita baik hari ini.\n"
    assert by_name["good.txt"].error is None
    assert by_name["empty.txt"].error == "empty file"
    # A legacy encoding is decoded, not failed (Latin-1 is read as its superset windows-1252).
    assert by_name["latin1.txt"].text == "caf\xe9 au lait"
    assert by_name["latin1.txt"].encoding == "windows-1252"
    assert by_name["good.txt"].encoding == "utf-8"
    assert "PNG image" in (by_name["photo.jpg"].error or "")
    assert by_name["empty.txt"].text is None and by_name["photo.jpg"].text is None


def test_ids_come_from_content(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Same text.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same text.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Other text.", encoding="utf-8")
    a, b, c = _ingest(tmp_path)
    assert a.article_id == b.article_id == content_id(b"Same text.")
    assert c.article_id != a.article_id
    assert len(a.article_id) == 16


def test_oversized_file_fails_with_the_limit(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("x" * 2000, encoding="utf-8")
    (article,) = _ingest(tmp_path / "big.txt", max_bytes=1000)
    assert article.text is None
    assert "over the limit of 1,000" in (article.error or "")


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes("\ufeffBerita.".encode())
    (article,) = _ingest(tmp_path / "bom.txt")
    assert article.text == "Berita."


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_tables_give_one_article_per_row(tmp_path: Path, suffix: str) -> None:
    frame = pd.DataFrame({"text": ["Satu.", "", "Dua."], "url": ["u1", "u2", "u3"]})
    path = tmp_path / f"articles{suffix}"
    if suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    elif suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path)
    articles = _ingest(path)
    assert [a.source for a in articles] == [f"{path}#0", f"{path}#1", f"{path}#2"]
    assert [a.text for a in articles] == ["Satu.", None, "Dua."]
    assert articles[1].error == "empty text"


def test_table_problems_are_rows(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps({"body": "no text column"}) + "\n{not json\n", encoding="utf-8")
    first, second = _ingest(path)
    assert "no column 'text'" in (first.error or "") and "--text-column" in (first.error or "")
    assert "line 2 is not valid JSON" in (second.error or "")


def test_missing_input_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope"):
        _ingest(tmp_path / "nope")


def test_a_fifo_gets_a_failed_row_instead_of_a_hang(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.txt")  # no writer: opening it for reading would wait forever
    (tmp_path / "good.txt").write_text("Berita baik.", encoding="utf-8")
    by_name = {Path(a.source).name: a for a in _ingest(tmp_path)}
    assert by_name["good.txt"].text == "Berita baik."
    assert "named pipe (FIFO), not a regular file" in (by_name["pipe.txt"].error or "")
    (direct,) = _ingest(tmp_path / "pipe.txt")
    assert direct.text is None and "FIFO" in (direct.error or "")


def test_reads_are_bounded_whatever_the_file(tmp_path: Path) -> None:
    from newslib.inputs.ingest import UnreadableFile, read_bounded

    (tmp_path / "big.txt").write_bytes(b"a" * 5000)
    with pytest.raises(UnreadableFile, match="over the limit of 1,000"):
        read_bounded(tmp_path / "big.txt", 1000)
    with pytest.raises(UnreadableFile, match="character device"):
        read_bounded(Path("/dev/zero"), 1000)  # endless: never read


def test_links_leaving_the_input_directory_are_not_followed_unless_asked(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Not an article of this run.", encoding="utf-8")
    inputs = tmp_path / "in"
    (inputs / "sub").mkdir(parents=True)
    (inputs / "sub" / "own.txt").write_text("Berita.", encoding="utf-8")
    (inputs / "link.txt").symlink_to(secret)
    (inputs / "inside.txt").symlink_to(inputs / "sub" / "own.txt")
    (inputs / "linked-dir").symlink_to(secret.parent)

    by_name = {Path(a.source).name: a for a in _ingest(inputs)}
    assert by_name["inside.txt"].text == "Berita."
    assert by_name["link.txt"].text is None
    assert "outside the input directory" in (by_name["link.txt"].error or "")
    assert "--follow-symlinks" in (by_name["linked-dir"].error or "")
    assert all(a.text != secret.read_text() for a in by_name.values())

    followed = ingest(
        [inputs], text_column="text", id_column=None, max_bytes=1000, follow_symlinks=True
    )
    texts = [a.text for a in followed]
    assert texts.count("Not an article of this run.") == 2  # the file link and the linked folder


def test_table_values_that_are_not_text_say_what_they_are(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    rows = [{"text": 42}, {"text": ["a", "b"]}, {"text": {"x": 1}}, {"text": None}, {"text": 1.5}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    reasons = [a.error for a in _ingest(path)]
    assert reasons[0] == "text is not a string but int: 42"
    assert reasons[1] == "text is not a string but list: ['a', 'b']"
    assert reasons[2] == "text is not a string but dict: {'x': 1}"
    assert reasons[3] == "empty text"
    assert reasons[4] == "text is not a string but float: 1.5"
