"""Page bytes to text: HTTP declaration, BOM, <meta> charset, sniffing, superset codecs."""

from __future__ import annotations

import codecs
import logging
import re

import charset_normalizer

LOGGER = logging.getLogger(__name__)

# decode with the superset: pages declaring GBK/GB2312 use GB18030 characters, ISO-8859-1 pages
# are in practice windows-1252, Big5 pages in Hong Kong use HKSCS
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "big5": "big5hkscs",
}
_LABEL_ALIASES = {
    "x-gbk": "gbk",
    "gb_2312-80": "gb2312",
    "csgb2312": "gb2312",
    "x-gb2312": "gb2312",
    "x-euc-cn": "gb2312",
    "unicode": "utf-8",
    "utf8mb4": "utf-8",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.I)
_ASCII = bytes(range(128))


def codec_name(label: str | None) -> str | None:
    """Python codec for an encoding label, widened to the superset we decode with."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes: HTTP declaration > BOM > <meta> > sniffed > UTF-8 with replacement."""
    utf8 = _strict_utf8(data)
    bom = next((name for mark, name in _BOMS if data.startswith(mark)), None)
    for candidate in (codec_name(declared), bom, codec_name(_declared_in_page(data))):
        text = _checked_decode(data, candidate, utf8)
        if text is not None:
            return text.lstrip("\ufeff"), str(candidate)
    if utf8 is not None:
        return utf8.lstrip("\ufeff"), "utf-8"
    sniffed = _sniff(data)
    text = _checked_decode(data, sniffed, utf8)
    if text is not None:
        return text, str(sniffed)
    return data.decode("utf-8", errors="replace"), "utf-8"


def _strict_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _declared_in_page(data: bytes) -> str | None:
    head = data[:16384]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii") if found else None


def _checked_decode(data: bytes, codec: str | None, utf8: str | None) -> str | None:
    """Decode with ``codec`` if the bytes agree with it, else None (try the next source)."""
    if codec is None:
        return None
    if codec == "utf-8" and utf8 is not None:
        return utf8
    if not codec.startswith("utf") and utf8 is not None and not data.isascii():
        return None  # valid multi-byte UTF-8 is never an accident: the declaration is wrong
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return None
    non_ascii = len(data.translate(None, _ASCII))
    # a few stray bytes (a cut page, one bad character) are tolerated, a wrong codec is not
    if text.count("\ufffd") > 2 + non_ascii // 500:
        LOGGER.debug("declared encoding %s does not fit the bytes", codec)
        return None
    return text


def _sniff(data: bytes) -> str | None:
    best = charset_normalizer.from_bytes(data[:300_000]).best()
    return codec_name(best.encoding) if best is not None else None
