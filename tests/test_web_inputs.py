"""Web inputs: HTML pages, WARC files, legacy encodings, table metadata (issue #13)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from eval.extraction import measure
from eval.web_pages import PAGES, Fetch, body_of, boilerplate_of, page_url, write_warc
from newslib.inputs.encoding import decode_bytes
from newslib.inputs.ingest import RawArticle, ingest
from newslib.inputs.tables import TableColumns
from tests.conftest import REPO_ROOT

WEB = REPO_ROOT / "data" / "web"
SAMPLES = REPO_ROOT / "data" / "samples"


def _ingest(
    *paths: Path, skipped: Counter[str] | None = None, columns: TableColumns | None = None
) -> list[RawArticle]:
    columns = columns or TableColumns()
    found = ingest(
        list(paths),
        text_column=columns.text,
        id_column=None,
        max_bytes=1_000_000,
        columns=columns,
        skipped=skipped,
    )
    return list(found)


def test_an_html_page_gives_its_main_text_and_metadata() -> None:
    page = PAGES[0]
    (article,) = _ingest(WEB / f"{Path(page.sample).stem}.html")
    assert article.error is None and article.text is not None
    assert article.input_format == "html" and article.encoding == "utf-8"
    assert article.title == page.headline
    assert article.url == page_url(page)
    assert article.site == page.site.name and article.author == page.author
    assert article.published_at == datetime(2024, 2, 8, 1, 30, tzinfo=UTC)  # 09:30 +08:00
    lines = article.text.splitlines()
    assert all(line in lines for line in body_of(page))
    for boilerplate in ("googletag", "dataLayer", "Kongsi", "Berita Berkaitan", "Dasar Privasi"):
        assert boilerplate not in article.text


def test_a_page_without_main_text_fails_with_that_reason(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text(
        "<html><body><nav><a href='/'>Home</a></nav><script>var x=1;</script></body></html>"
    )
    (article,) = _ingest(path)
    assert article.text is None
    assert "no main text" in (article.error or "")


def test_a_warc_gives_one_article_per_html_page_and_counts_the_rest() -> None:
    skipped: Counter[str] = Counter()
    articles = _ingest(WEB / "samples.warc.gz", skipped=skipped)
    assert [a.url for a in articles] == [page_url(p) for p in PAGES]
    assert all(a.error is None and a.input_format == "warc" for a in articles)
    assert [a.title for a in articles] == [p.headline for p in PAGES]
    assert all(a.source.startswith(f"{WEB / 'samples.warc.gz'}#") for a in articles)
    assert len({a.source for a in articles}) == len(PAGES)
    assert skipped == {
        "request record": 9,
        "not HTML (text/plain)": 1,
        "not HTML (image/png)": 1,
        "HTTP status 404": 1,
        "HTTP status 301": 1,
    }
    # The page served as windows-1256 is decoded from its declared charset.
    assert [a.encoding for a in articles].count("windows-1256") == 1
    # The same page from a file and from the archive is one article (one id).
    (from_file,) = _ingest(WEB / "003_5071a1cf7d2feefb.html")
    assert from_file.article_id == articles[3].article_id


def test_a_truncated_warc_keeps_its_pages_and_fails_where_it_breaks(tmp_path: Path) -> None:
    data = (WEB / "samples.warc.gz").read_bytes()
    fourth = int(_ingest(WEB / "samples.warc.gz")[3].source.rsplit("#", 1)[1])
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: fourth + 100])  # inside the fourth page's record
    articles = _ingest(path)
    assert len(articles) == 4 and all(a.error is None for a in articles[:3])
    assert f"after byte {fourth:,}" in (articles[-1].error or "")
    assert articles[-1].text is None and "web archive unreadable" in (articles[-1].error or "")


def test_a_windows_1256_text_is_decoded_and_its_encoding_kept(tmp_path: Path) -> None:
    text = (SAMPLES / "004_19f5079ce5c62d1f.txt").read_text(encoding="utf-8")
    (tmp_path / "arabic.txt").write_bytes(text.encode("cp1256"))
    (tmp_path / "cyrillic.txt").write_bytes("Новости дня: выборы в городе".encode("cp1251"))
    arabic, cyrillic = _ingest(tmp_path)
    assert arabic.text == text and arabic.encoding == "windows-1256"
    assert cyrillic.text == "Новости дня: выборы в городе" and cyrillic.encoding == "windows-1251"


def test_binary_data_still_fails_with_what_it_is(tmp_path: Path) -> None:
    (tmp_path / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    (tmp_path / "page.html").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    page, photo = _ingest(tmp_path)
    assert "JPEG image" in (photo.error or "") and photo.text is None
    assert "PDF document" in (page.error or "") and page.text is None


@given(st.text(min_size=1))
def test_valid_utf8_is_never_reinterpreted(text: str) -> None:
    decoded = decode_bytes(text.encode("utf-8"))
    if "\x00" not in text and not text.startswith("\ufeff"):
        assert decoded.text == text and decoded.encoding == "utf-8"


def test_table_rows_map_their_columns_and_may_carry_html(tmp_path: Path) -> None:
    page = PAGES[2]
    html = (WEB / f"{Path(page.sample).stem}.html").read_text(encoding="utf-8")
    rows = [
        {
            "body": "Berita.",
            "headline": "Tajuk",
            "link": "https://a.example/1",
            "when": "2024-03-01",
        },
        {"body": None, "page": html, "link": "https://b.example/2", "when": None},
    ]
    path = tmp_path / "scrape.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    mapping = TableColumns(
        text="body", html="page", title="headline", url="link", published_at="when"
    )
    plain, scraped = _ingest(path, columns=mapping)
    assert (plain.text, plain.title, plain.url) == ("Berita.", "Tajuk", "https://a.example/1")
    assert plain.published_at == datetime(2024, 3, 1, tzinfo=UTC)
    assert plain.input_format == "table"
    assert scraped.error is None and scraped.title == page.headline
    assert scraped.url == "https://b.example/2"  # the row's own column wins over the page's
    assert scraped.published_at == datetime(2024, 2, 9, 12, 0, tzinfo=UTC)
    assert "শেয়ার করুন" not in (scraped.text or "")


def test_the_id_is_the_headline_and_text_not_where_it_was_found(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "text": ["Same text.", "Same text.", "Same text."],
            "title": ["One", "One", "Other"],
            "url": ["https://a.example/x", "https://b.example/y", "https://a.example/x"],
        }
    )
    frame.to_parquet(tmp_path / "rows.parquet")
    first, second, third = _ingest(tmp_path / "rows.parquet")
    assert first.article_id == second.article_id  # another URL: the same article
    assert third.article_id != first.article_id  # another headline: translated again


def test_extraction_keeps_the_articles_and_drops_the_boilerplate() -> None:
    extracted, cleaned = measure()
    assert extracted.article_kept / extracted.article_total >= 0.95
    # What extraction leaves ("read also" links in the text, ad labels) cleaning removes.
    assert extracted.boilerplate_removed / extracted.boilerplate_total >= 0.9
    assert cleaned.article_kept == cleaned.article_total
    assert cleaned.boilerplate_removed == cleaned.boilerplate_total
    assert cleaned.boilerplate_total == sum(len(boilerplate_of(p)) for p in PAGES)


def test_the_headline_and_byline_are_not_part_of_the_text() -> None:
    """The older layout's headline and byline (author, date, counter) come out of the text:
    they are metadata, and the headline is translated on its own."""
    page = PAGES[3]
    (article,) = _ingest(WEB / f"{Path(page.sample).stem}.html")
    lines = (article.text or "").splitlines()
    assert lines == [*body_of(page)[:9], "إعلان", page.site.read_also, *body_of(page)[9:]]
    assert article.title == page.headline and article.author == page.author
    assert article.url is None  # this site's pages name no canonical URL


def test_the_sample_warc_is_what_the_builder_writes(tmp_path: Path) -> None:
    """data/web/samples.warc.gz is reproducible: its records are the pages beside it."""
    with gzip.open(WEB / "samples.warc.gz") as stream:
        content = stream.read()
    for page in PAGES:
        html = (WEB / f"{Path(page.sample).stem}.html").read_bytes()
        assert html in content
    write_warc(tmp_path / "one.warc.gz", [Fetch("https://x.example/", b"<p>x</p>")])
    assert (tmp_path / "one.warc.gz").stat().st_size > 0
