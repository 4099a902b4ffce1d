"""The web sample data: news pages made from data/samples, and a small WARC of them.

`python -m eval.web_pages` rewrites data/web/ (the pages, their WARC) and
eval/data/extraction_labels.json (per page: the article's lines and the boilerplate lines,
which `python -m eval.extraction` measures extraction against). The articles are the real
scraped texts of data/samples, cleaned; everything around them (menus, share buttons, comment
counters, related headlines, ad slots, scripts, footers, the headline, byline and date) is made
up here, as three news sites in two layouts (a modern one with <article> and Open Graph tags,
an older CMS's with <br>-separated text and JSON-LD) serve it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from io import BytesIO
from pathlib import Path

from newslib.text.clean import clean_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
WEB = ROOT / "data" / "web"
LABELS = ROOT / "eval" / "data" / "extraction_labels.json"


@dataclass(frozen=True)
class Site:
    name: str
    host: str
    lang: str
    nav: list[str]
    share: list[str]
    comments: str
    ad_label: str
    read_also: str
    related_header: str
    related: list[str]
    footer: list[str]
    cookie: str
    newsletter: str
    layout: str = "modern"  # "modern": <article>, Open Graph; "legacy": <br> text, JSON-LD


@dataclass(frozen=True)
class Page:
    sample: str  # file name in data/samples
    site: Site
    slug: str
    headline: str
    author: str
    published: str  # ISO 8601 with offset
    charset: str = "utf-8"


WARTA = Site(
    name="Warta Contoh",
    host="warta.example",
    lang="ms",
    nav=["Utama", "Nasional", "Dunia", "Bisnes", "Sukan", "Hiburan", "Video"],
    share=["Kongsi", "Facebook", "Twitter", "WhatsApp", "Telegram"],
    comments="Komen (0)",
    ad_label="IKLAN",
    read_also="Baca juga: Harga minyak naik selepas mesyuarat OPEC di Vienna",
    related_header="Berita Berkaitan",
    related=[
        "Banjir kilat landa tiga daerah di Kelantan",
        "Pasukan bola sepak negara mara ke suku akhir",
        "Kadar faedah kekal pada 3 peratus, kata bank pusat",
    ],
    footer=["Hubungi Kami", "Dasar Privasi", "© 2024 Warta Contoh. Hak cipta terpelihara."],
    cookie="Laman ini menggunakan kuki untuk pengalaman yang lebih baik. Setuju",
    newsletter="Langgan surat berita kami setiap pagi",
)
KHOBOR = Site(
    name="Khobor Sample",
    host="khobor.example",
    lang="bn",
    nav=["প্রচ্ছদ", "জাতীয়", "আন্তর্জাতিক", "খেলা", "বিনোদন", "মতামত"],
    share=["শেয়ার করুন", "Facebook", "Twitter", "WhatsApp"],
    comments="মন্তব্য (0)",
    ad_label="বিজ্ঞাপন",
    read_also="আরও পড়ুন: ঢাকায় বৃষ্টিতে জলাবদ্ধতা, দুর্ভোগে নগরবাসী",
    related_header="সম্পর্কিত খবর",
    related=[
        "চট্টগ্রাম বন্দরে নতুন টার্মিনাল চালু",
        "বিশ্বকাপ বাছাইয়ে জয় পেল বাংলাদেশ",
        "চালের দাম কমেছে খুচরা বাজারে",
    ],
    footer=["যোগাযোগ", "গোপনীয়তা নীতি", "© ২০২৪ খবর স্যাম্পল, সর্বস্বত্ব সংরক্ষিত"],
    cookie="এই সাইট কুকি ব্যবহার করে। সম্মত",
    newsletter="প্রতিদিনের খবর ইমেইলে পেতে সাবস্ক্রাইব করুন",
)
AKHBAR = Site(
    name="Akhbar Example",
    host="akhbar.example",
    lang="ar",
    nav=["الرئيسية", "سياسة", "اقتصاد", "رياضة", "ثقافة", "منوعات"],
    share=["مشاركة", "Facebook", "Twitter", "WhatsApp"],
    comments="تعليق (0)",
    ad_label="إعلان",
    read_also="اقرأ المزيد: ارتفاع أسعار الذهب في الأسواق العالمية",
    related_header="أخبار ذات صلة",
    related=[
        "افتتاح معرض الكتاب الدولي بمشاركة واسعة",
        "المنتخب الوطني يتأهل إلى نهائي البطولة",
        "البنك المركزي يبقي أسعار الفائدة دون تغيير",
    ],
    footer=["اتصل بنا", "سياسة الخصوصية", "© 2024 أخبار مثال. جميع الحقوق محفوظة"],
    cookie="يستخدم هذا الموقع ملفات تعريف الارتباط. موافق",
    newsletter="اشترك في نشرتنا الإخبارية اليومية",
    layout="legacy",
)

PAGES = [
    Page(
        "000_f12dd5e4ffb682dc.txt",
        WARTA,
        "dunia/2024/02/moscow-pyongyang-pakej-perjanjian",
        "Moscow, Pyongyang bincang pakej perjanjian 'sangat bagus'",
        "Aina Rahman",
        "2024-02-08T09:30:00+08:00",
    ),
    Page(
        "001_eb46123a1c9d1ceb.txt",
        WARTA,
        "dunia/2023/09/china-pula-lawat-rusia",
        "China pula 'lawat' Rusia",
        "Hafiz Osman",
        "2023-09-18T07:15:00+08:00",
    ),
    Page(
        "002_e51bf2022168d2be.txt",
        KHOBOR,
        "international/2024/02/putin-north-korea-visit",
        "পুতিনের উত্তর কোরিয়া সফর",
        "রাকিব হাসান",
        "2024-02-09T18:00:00+06:00",
    ),
    Page(
        "003_5071a1cf7d2feefb.txt",
        AKHBAR,
        "politics/2024/01/pyongyang-welcomes-putin",
        "بيونغ يانغ مستعدة للترحيب ببوتين",
        "سارة خليل",
        "2024-01-20T12:45:00+03:00",
        charset="windows-1256",
    ),
    Page(
        "004_19f5079ce5c62d1f.txt",
        AKHBAR,
        "politics/2023/09/kim-visits-russia",
        "كيم جونج أون يزور روسيا قريبا",
        "عمر فاروق",
        "2023-09-11T16:20:00+03:00",
    ),
]

SCRIPTS = [
    "window.dataLayer = window.dataLayer || []; dataLayer.push({'section': 'news'});",
    "googletag.cmd.push(function() { googletag.display('ad-slot-1'); });",
]


def body_of(page: Page) -> list[str]:
    """The article's paragraphs: the sample's text, cleaned, without a first line that is the
    headline itself."""
    lines = clean_text((SAMPLES / page.sample).read_text(encoding="utf-8")).lines
    return lines[1:] if lines and lines[0] == page.headline else lines


def byline(page: Page) -> str:
    """The legacy layout's one line of author, date and comment counter."""
    return f"{page.author} - {page.published[:10]} - {page.site.comments}"


def boilerplate_of(page: Page) -> list[str]:
    """Every line of text a page shows or carries around its article."""
    site = page.site
    # The modern layout shows the comment counter on its own; the legacy one in the byline.
    counter = site.comments if site.layout == "modern" else byline(page)
    return [
        *site.nav,
        *site.share,
        counter,
        site.ad_label,
        site.read_also,
        site.related_header,
        *site.related,
        *site.footer,
        site.cookie,
        site.newsletter,
        *SCRIPTS,
    ]


def _list(items: list[str], css: str) -> str:
    links = "".join(f'<li><a href="/{css}/{n}">{escape(t)}</a></li>' for n, t in enumerate(items))
    return f'<ul class="{css}">{links}</ul>'


def _head(page: Page, url: str) -> str:
    site = page.site
    return f"""<head>
<meta charset="{page.charset}">
<title>{escape(page.headline)} | {escape(site.name)}</title>
<link rel="canonical" href="{url}">
<meta property="og:site_name" content="{escape(site.name)}">
<meta property="og:title" content="{escape(page.headline)}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{page.published}">
<meta name="author" content="{escape(page.author)}">
<script>{SCRIPTS[0]}</script>
</head>"""


def _paragraphs(page: Page, body: list[str]) -> str:
    """The article's paragraphs, with an ad slot and a "read also" link inside the text, as
    sites put them."""
    site = page.site
    middle = max(1, len(body) // 2)
    parts = [f"<p>{escape(line)}</p>" for line in body]
    parts.insert(
        middle,
        f'<div class="ad-slot" id="ad-slot-1"><span>{escape(site.ad_label)}</span>'
        f"<script>{SCRIPTS[1]}</script></div>",
    )
    parts.insert(1, f'<p class="read-also"><a href="/more">{escape(site.read_also)}</a></p>')
    return "\n".join(parts)


def render(page: Page, body: list[str]) -> str:
    """The page as the site serves it."""
    if page.site.layout == "legacy":
        return render_legacy(page, body)
    site = page.site
    url = f"https://{site.host}/{page.slug}"
    direction = ' dir="rtl"' if site.lang == "ar" else ""
    share = "".join(f'<button class="share">{escape(s)}</button>' for s in site.share)
    return f"""<!DOCTYPE html>
<html lang="{site.lang}"{direction}>
{_head(page, url)}
<body>
<div class="cookie-banner">{escape(site.cookie)}</div>
<header><a class="logo" href="/">{escape(site.name)}</a>
<nav>{_list(site.nav, "menu")}</nav></header>
<main>
<article>
<h1>{escape(page.headline)}</h1>
<div class="byline"><span class="author">{escape(page.author)}</span>
<time datetime="{page.published}">{page.published[:10]}</time></div>
<div class="share-bar">{share}</div>
<div class="article-body">
{_paragraphs(page, body)}
</div>
<div class="comments"><a href="#comments">{escape(site.comments)}</a></div>
</article>
<aside class="related"><h2>{escape(site.related_header)}</h2>
{_list(site.related, "related")}</aside>
<form class="newsletter"><label>{escape(site.newsletter)}</label><input type="email"></form>
</main>
<footer>{_list(site.footer, "footer")}</footer>
</body>
</html>
"""


def _json_ld(page: Page) -> str:
    return json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": page.headline,
            "datePublished": page.published,
            "author": {"@type": "Person", "name": page.author},
            "publisher": {"@type": "Organization", "name": page.site.name},
        },
        ensure_ascii=False,
    )


def render_legacy(page: Page, body: list[str]) -> str:
    """An older CMS's page: no <article>, paragraphs split by <br>, metadata only in JSON-LD,
    menus and widgets as bare links, no canonical URL."""
    site = page.site
    middle = max(1, len(body) // 2)
    first = "<br><br>\n".join(escape(line) for line in body[:middle])
    second = "<br><br>\n".join(escape(line) for line in body[middle:])
    menu = " ".join(f'<a href="/s/{n}">{escape(t)}</a>' for n, t in enumerate(site.nav))
    share = " | ".join(f'<a class="sh" href="#">{escape(s)}</a>' for s in site.share)
    related = "<br>".join(f'<a href="/r/{n}">{escape(t)}</a>' for n, t in enumerate(site.related))
    return f"""<!DOCTYPE html>
<html lang="{site.lang}" dir="rtl">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={page.charset}">
<title>{escape(page.headline)} - {escape(site.name)}</title>
<script type="application/ld+json">{_json_ld(page)}</script>
<script>{SCRIPTS[0]}</script>
</head>
<body>
<div id="top"><div class="cookie">{escape(site.cookie)}</div><div id="menu">{menu}</div></div>
<div id="wrap"><div id="right"><div class="post">
<div class="post-title">{escape(page.headline)}</div>
<div class="post-info">{escape(byline(page))}</div>
<div class="shares">{share}</div>
<div class="post-text">
{first}<br><br>
<div class="adv"><small>{escape(site.ad_label)}</small><script>{SCRIPTS[1]}</script></div>
<a class="more" href="/more">{escape(site.read_also)}</a><br><br>
{second}
</div></div></div>
<div id="left"><div class="widget"><b>{escape(site.related_header)}</b><br>{related}</div>
<div class="widget">{escape(site.newsletter)} <input type="text"></div></div></div>
<div id="foot">{" - ".join(escape(t) for t in site.footer)}</div>
</body></html>
"""


@dataclass(frozen=True)
class Fetch:
    """One fetched URL as a WARC response record."""

    url: str
    body: bytes
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"


def write_warc(path: Path, fetches: list[Fetch]) -> None:
    """`fetches` as a gzipped WARC, with a request record before each response (as crawlers
    write them); record ids and dates are fixed, so the file is the same on every build."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for number, fetch in enumerate(fetches):
            fixed = {"WARC-Date": "2024-02-10T00:00:00Z"}
            request = writer.create_warc_record(
                fetch.url,
                "request",
                payload=BytesIO(f"GET {fetch.url} HTTP/1.1\r\n\r\n".encode()),
                warc_headers_dict=fixed | {"WARC-Record-ID": f"<urn:uuid:req-{number:08d}>"},
            )
            headers = StatusAndHeaders(
                fetch.status, [("Content-Type", fetch.content_type)], protocol="HTTP/1.1"
            )
            response = writer.create_warc_record(
                fetch.url,
                "response",
                payload=BytesIO(fetch.body),
                http_headers=headers,
                warc_headers_dict=fixed | {"WARC-Record-ID": f"<urn:uuid:res-{number:08d}>"},
            )
            writer.write_record(request)
            writer.write_record(response)


def page_url(page: Page) -> str:
    return f"https://{page.site.host}/{page.slug}"


def build() -> None:
    """Rewrite data/web/ (pages and WARC) and the extraction labels."""
    WEB.mkdir(parents=True, exist_ok=True)
    labels = []
    fetches = []
    for page in PAGES:
        body = body_of(page)
        html = render(page, body).encode(page.charset)
        name = f"{Path(page.sample).stem}.html"
        (WEB / name).write_bytes(html)
        charset = page.charset
        fetches.append(Fetch(page_url(page), html, content_type=f"text/html; charset={charset}"))
        labels.append({"page": name, "article": body, "boilerplate": boilerplate_of(page)})
    fetches += [
        Fetch(
            "https://warta.example/robots.txt", b"User-agent: *\nAllow: /\n", "200 OK", "text/plain"
        ),
        Fetch(
            "https://warta.example/gone", b"<html><body>Not found</body></html>", "404 Not Found"
        ),
        Fetch("https://akhbar.example/old", b"", "301 Moved Permanently"),
        Fetch(
            "https://khobor.example/logo.png",
            b"\x89PNG\r\n\x1a\n" + bytes(64),
            "200 OK",
            "image/png",
        ),
    ]
    write_warc(WEB / "samples.warc.gz", fetches)
    LABELS.write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build()
