"""Bytes → text the way browsers do it, because Korean news sites still serve EUC-KR.

Order as in the WHATWG encoding sniffing rules: byte-order mark, then the HTTP ``charset``, then
a ``<meta>`` charset in the first 1024 bytes, then UTF-8. The label ``euc-kr`` means Windows-949
(cp949) on the web: pages labelled EUC-KR use its extra syllables (똠, 햏 …) that strict EUC-KR
cannot decode.
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WEB_ALIASES = {
    "euc-kr": "cp949",
    "euckr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601-1989": "cp949",
    "ksc5601": "cp949",
    "windows-949": "cp949",
    "x-windows-949": "cp949",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gbk",
    "x-sjis": "shift_jis",
}
_HEADER_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_PRESCAN_BYTES = 1024


def codec_for(label: str | None) -> str | None:
    """The Python codec for an encoding label, with the web's aliases; None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    name = _WEB_ALIASES.get(label, label)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_encoding(content: bytes, content_type: str | None, *, html: bool) -> str:
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name
    if content_type:
        m = _HEADER_CHARSET_RE.search(content_type)
        codec = codec_for(m.group(1)) if m else None
        if codec:
            return codec
    if html:
        found = _META_CHARSET_RE.search(content[:_PRESCAN_BYTES])
        codec = codec_for(found.group(1).decode("ascii", "replace")) if found else None
        # A UTF-16 label inside bytes we could read as ASCII is a lie (WHATWG says: UTF-8).
        if codec and not codec.startswith("utf-16"):
            return codec
    return "utf-8"


def decode(content: bytes, content_type: str | None) -> str:
    """The text of a body; undecodable bytes become U+FFFD rather than failing the fetch."""
    html = content_type is None or "html" in content_type.lower()
    return content.decode(declared_encoding(content, content_type, html=html), errors="replace")
