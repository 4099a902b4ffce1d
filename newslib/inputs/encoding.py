"""From bytes to text: UTF-8 first, then the declared charset, then charset-normalizer's guess.

A scraper's folder holds files in legacy encodings (Latin-1, Windows-1256 Arabic, ...): they
are decoded rather than failed, and the encoding used is kept per article. Binary data (images,
archives, anything with NUL bytes) still fails, with what it is.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Magic numbers of common binary formats found in scraped folders, to name them in the reason.
BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (or .docx/.xlsx)",
    b"\x1f\x8b": "gzip archive",
    b"PAR1": "Parquet file",
}
_UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16", codecs.BOM_UTF16_BE: "utf-16"}

# Python's codec names of the Windows code pages, as the web (WHATWG) and analysts name them.
_WEB_NAMES = {f"cp{n}": f"windows-{n}" for n in range(1250, 1259)}
_WEB_NAMES |= {"latin_1": "iso-8859-1", "utf_8": "utf-8", "utf_16": "utf-16", "ascii": "ascii"}


@dataclass(frozen=True)
class Decoded:
    text: str | None  # None: not text, see `reason`
    encoding: str | None  # the encoding used, as the web names it (utf-8, windows-1256, ...)
    reason: str | None = None


def binary_kind(data: bytes) -> str | None:
    """What binary format `data` is (by its magic number, or NUL bytes), or None for text."""
    for magic, kind in BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:4096]:
        return "binary data (contains NUL bytes)"
    return None


def web_name(codec: str) -> str:
    """`codec` under its usual web name: cp1256 -> windows-1256, latin_1 -> iso-8859-1."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return codec.lower()
    return _WEB_NAMES.get(name.replace("-", "_"), name.replace("_", "-"))


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


# Legacy encodings in order of how common they are on the web (W3Techs, 2020s): where a
# short text reads equally well in several (`café` is as clean in cp1250 as in cp1252), the
# commoner one is taken.
WEB_PREFERENCE = (
    *("cp1252", "latin_1", "cp1251", "cp1256", "cp1250", "iso8859_2", "gb2312", "gb18030"),
    *("shift_jis", "cp932", "euc_kr", "cp949", "cp1254", "cp874", "big5", "euc_jp"),
    *("cp1255", "cp1253", "cp1257", "koi8_r", "iso8859_15", "iso8859_9", "windows_1258"),
)
_RANK = {codec: rank for rank, codec in enumerate(WEB_PREFERENCE)}
# Matches whose mess ratio is within this of the best read equally well.
_TIE = 0.01


def _guessed(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return Decoded(None, None, "not text in any known encoding (charset-normalizer found none)")
    least = min(match.chaos for match in matches)
    tied = [
        codec
        for match in matches
        if match.chaos <= least + _TIE
        for codec in match.could_be_from_charset
    ]
    codec = min(tied, key=lambda name: _RANK.get(name, len(_RANK)))
    text = _strict(data, codec) if codec in _RANK else None
    if text is None:  # none of the common ones: charset-normalizer's own best
        codec, text = matches[0].encoding, str(matches[0])
    return Decoded(text, web_name(codec))


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """The text of `data`: UTF-8 (with or without BOM) when it is valid UTF-8, else the
    `declared` charset (an HTML page's or an HTTP header's) when it decodes the bytes, else
    charset-normalizer's guess. Valid UTF-8 is never re-interpreted: UTF-8 is so strict that
    legacy text almost never passes it by chance."""
    for bom, codec in _UTF16_BOMS.items():
        if data.startswith(bom):
            text = _strict(data, codec)
            return Decoded(text, "utf-16") if text else Decoded(None, None, "invalid UTF-16")
    kind = binary_kind(data)
    if kind is not None:
        return Decoded(None, None, f"binary file: {kind}, not text")
    text = _strict(data, "utf-8-sig")
    if text is not None:
        return Decoded(text, "utf-8")
    if declared:
        text = _strict(data, declared)
        if text is not None:
            return Decoded(text, web_name(declared))
    return _guessed(data)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def declared_charset(html: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag of its first 4 KB, or None."""
    match = _META_CHARSET.search(html[:4096])
    return match.group(1).decode("ascii") if match else None


def header_charset(content_type: str | None) -> str | None:
    """The charset of an HTTP Content-Type header (`text/html; charset=utf-8`), or None."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None
