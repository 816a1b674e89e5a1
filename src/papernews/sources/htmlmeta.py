"""The metadata a page declares about itself: `<meta>` (og:, twitter:, article:, citation_),
`<link rel=canonical>`, JSON-LD and `<time datetime>`. Pure: HTML text in, `HeadTags` out.

The standard library's tolerant parser is enough here: these are tags, not layout.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "blogposting", "scholarlyarticle", "techarticle", "report", "reportagenewsarticle"}
)


@dataclass
class HeadTags:
    meta: dict[str, list[str]] = field(default_factory=dict)  # lower-cased name/property → contents in order
    title: str | None = None
    canonical: str | None = None
    lang: str | None = None
    times: list[str] = field(default_factory=list)  # <time datetime>, the one marked pubdate first
    json_ld: list[dict[str, Any]] = field(default_factory=list)  # every object with an @type, flattened

    def first(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(name, []):
                if value.strip():
                    return " ".join(value.split())
        return None

    def all(self, name: str) -> list[str]:
        return [" ".join(v.split()) for v in self.meta.get(name, []) if v.strip()]

    def article(self) -> dict[str, Any]:
        """The JSON-LD object that describes the article, else the first one, else {}."""
        for obj in self.json_ld:
            types = obj.get("@type")
            names = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in names):
                return obj
        return self.json_ld[0] if self.json_ld else {}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags = HeadTags()
        self._in_title = False
        self._title: list[str] = []
        self._json: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").strip().lower()
            if key and "content" in a:
                self.tags.meta.setdefault(key, []).append(a["content"])
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.tags.canonical = self.tags.canonical or a["href"].strip()
        elif tag == "html" and a.get("lang"):
            self.tags.lang = a["lang"].strip()
        elif tag == "title" and self.tags.title is None:
            self._in_title = True
        elif tag == "time" and a.get("datetime"):
            marked = "pubdate" in a or a.get("itemprop", "").lower() == "datepublished"
            self.tags.times.insert(0, a["datetime"]) if marked else self.tags.times.append(a["datetime"])
        elif tag == "script" and a.get("type", "").strip().lower() == "application/ld+json":
            self._json = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.tags.title = " ".join("".join(self._title).split()) or None
        elif tag == "script" and self._json is not None:
            self.tags.json_ld.extend(_objects(_loads("".join(self._json))))
            self._json = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif self._json is not None:
            self._json.append(data)


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None  # broken JSON-LD is common; the page still has its meta tags


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for x in data:
            yield from _objects(x)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        if "@graph" in data:
            yield from _objects(data["@graph"])


def read_head(html: str) -> HeadTags:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser.tags


def names(value: Any) -> list[str]:
    """Author-ish JSON-LD (a string, {"name": …}, or a list of them) → names."""
    if isinstance(value, str):
        return [" ".join(value.split())] if value.strip() else []
    if isinstance(value, dict):
        return names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in names(v)]
    return []


def url_of(value: Any) -> str | None:
    """Image-ish JSON-LD (a string, {"url": …}, or a list of them) → the first URL."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return url_of(value.get("url") or value.get("contentUrl"))
    if isinstance(value, list):
        return next((u for u in (url_of(v) for v in value) if u), None)
    return None
