"""Feeds (Atom, RSS 2.0, JSON Feed 1.1), sitemap.xml and robots.txt as pure functions: items in, text out.

Why these choices:

- **Standard library only** (`xml.etree.ElementTree`, `json`, `email.utils`). `feedgen` stamps
  the generation time into every feed and pulls in lxml; a feed here must be a function of
  its items alone, so that the site build stays deterministic (same archive → same bytes)
  and the incremental writer can skip unchanged files. ElementTree escapes every text and
  attribute value it serialises; `_clean` also drops the characters XML 1.0 cannot carry at
  all (control characters, lone surrogates), which ElementTree would write as is.
- **No clock.** The digest knows weeks, not days: an item's date is the first day of its
  first week (`item_date`), and a feed's `updated` is its newest entry's date unless the
  caller says otherwise.
- **Entry ids are `urn:papernews:item:<item id>`**, not the permalink: the item id is assigned
  once and stored, so the entry id survives a change of `base_url` (moving the site to
  another host must not make every reader show the last 50 items again as new). The
  permalink is the entry's link; the original paper/blog URL is its `related` link
  (Atom), `external_url` (JSON Feed), or a link in the description (RSS has no such field).
- **Only absolute http(s) URLs become links** (`inline.safe_url`): an item whose URL is
  `javascript:…` keeps its entry, without the link. Bullet text goes through `inline_html`,
  the same escaping the site pages use, then is escaped once more as the feed's HTML content.
- **JSON Feed escapes `<`, `>` and `&` as `\\u003c`, `\\u003e`, `\\u0026`**: the decoded
  values are unchanged, but the bytes never contain raw markup, so a JSON feed pasted into
  an HTML page (or sniffed as HTML by a careless server) cannot start a `<script>`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from markupsafe import escape

from papernews.model import Bullet, Item, Kind
from papernews.publish import paths
from papernews.publish.inline import inline_html, safe_url

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ENTRY_ID_PREFIX = "urn:papernews:item:"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GENERATOR = "papernews"

# What a feed title says after the site title when it is filtered to one kind.
KIND_FEED_LABEL: dict[Kind, str] = {Kind.PAPER: "papers", Kind.DEV: "developer blogs", Kind.NEWS: "news"}

# Characters XML 1.0 cannot represent (even escaped), plus lone surrogates, which no UTF-8
# writer accepts. ElementTree does not check: left in, they make the whole feed unreadable.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class SiteInfo:
    """What a feed says about the site. `base_url` is absolute http(s) and ends with `/`,
    so that every link in a feed is absolute (feed readers resolve nothing)."""

    base_url: str
    title: str = "NLP Paper News"
    description: str = "매주 고른 AI 논문, 개발 블로그, 뉴스"
    language: str = "ko"
    author: str | None = None

    def __post_init__(self) -> None:
        if not self.base_url.endswith("/") or safe_url(self.base_url) != self.base_url:
            raise ValueError(f"base_url must be an absolute http(s) URL ending with '/': {self.base_url!r}")


# ---------------------------------------------------------------------------------------------
# per item


def item_permalink(site: SiteInfo, item: Item) -> str:
    """`{base_url}items/{id}/`: the item's page on the site (the same path `paths.item_path` writes).

    The id is percent-encoded; the ids papernews assigns (12 hex digits) are unchanged by it.
    """
    return site.base_url + quote(paths.item_path(item.id))


def item_entry_id(item: Item) -> str:
    """`urn:papernews:item:<id>`: stable across edits of the item and moves of the site."""
    return ENTRY_ID_PREFIX + quote(item.id, safe="")


def item_date(item: Item) -> datetime:
    """The first day of the item's first week, 00:00 UTC: the digest records weeks, not days.

    Week n of a month starts on day (n-1)*7+1 (week = ceil(day / 7)); a week number past the
    month's end (week 5 of February 2023, or week 6) is clamped to the month's last day.
    An item without a week has no date at all and gets 1970-01-01T00:00:00Z: it sorts last,
    and the fixed value keeps the feed deterministic (a "now" would change every build).
    """
    week = item.week
    if week is None:
        return EPOCH
    day = (week.first - 1) * 7 + 1
    return datetime(week.year, week.month, min(day, _days_in_month(week.year, week.month)), tzinfo=UTC)


def item_title(item: Item) -> str:
    """`[Org A, Org B] Title`, as the digest writes it; just the title without orgs."""
    org = item.org_text
    return f"[{org}] {item.title}" if org else item.title


def item_categories(item: Item) -> list[str]:
    """The kind(s) then the orgs, each once, in order."""
    out: list[str] = []
    for c in [*(k.value for k in ([item.kind] if item.kind else []) + item.extra_kinds), *item.orgs]:
        if c and c not in out:
            out.append(c)
    return out


def item_content_html(item: Item) -> str:
    """The summary bullets as nested `<ul><li>`, then a link to the original.

    Bullet text is escaped and only its http(s) links become anchors (`inline_html`). An item
    without bullets and without a usable URL still gets its title as content: JSON Feed
    requires some content, and an empty entry looks broken in a reader.
    """
    parts: list[str] = []
    if item.bullets:
        parts.append(_bullets_html(item.bullets))
    url = safe_url(item.url)
    if url:
        parts.append(f'<p><a href="{escape(url)}" rel="noopener nofollow">원문 링크</a></p>')
    if not parts:
        parts.append(f"<p>{escape(item.title)}</p>")
    return "".join(parts)


def _bullets_html(bullets: list[Bullet]) -> str:
    lis = "".join(f"<li>{inline_html(b.text)}{_bullets_html(b.children) if b.children else ''}</li>" for b in bullets)
    return f"<ul>{lis}</ul>"


# ---------------------------------------------------------------------------------------------
# feeds


@dataclass(frozen=True)
class _Feed:
    """What the three formats share, computed once."""

    id: str
    title: str
    home: str
    updated: datetime
    entries: list[Item]


def _feed(items: Iterable[Item], site: SiteInfo, kind: Kind | None, feed_url: str, updated: datetime | None) -> _Feed:
    if safe_url(feed_url) != feed_url:
        raise ValueError(f"feed_url must be an absolute http(s) URL: {feed_url!r}")
    entries = [it for it in items if kind is None or it.kind == kind]
    home = site.base_url if kind is None else site.base_url + paths.kind_path(kind)
    title = site.title if kind is None else f"{site.title} — {KIND_FEED_LABEL[kind]}"
    if updated is None:
        updated = max((item_date(it) for it in entries), default=EPOCH)
    elif updated.tzinfo is None:
        raise ValueError("updated must be timezone-aware")
    return _Feed(id=home, title=title, home=home, updated=updated.astimezone(UTC), entries=entries)


def atom_feed(
    items: Sequence[Item],
    site: SiteInfo,
    *,
    kind: Kind | None = None,
    feed_url: str,
    updated: datetime | None = None,
) -> str:
    """An Atom 1.0 feed (RFC 4287) of `items`, in the order given (the caller passes the latest N,
    newest first).

    `kind` keeps only the items of that (primary) kind, as the site's kind pages do, and names the
    feed after it: title `… — papers`, id and alternate link the kind's page. Otherwise the feed
    id is `base_url`. `updated` defaults to the newest entry's date, so the same items give the
    same bytes. RFC 4287 requires an author: `site.author`, else the site title.
    """
    f = _feed(items, site, kind, feed_url, updated)
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": _clean(site.language)})
    _sub(root, "id", f.id)
    _sub(root, "title", f.title)
    _sub(root, "subtitle", site.description)
    _sub(root, "updated", rfc3339(f.updated))
    _sub(root, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(root, "link", rel="alternate", type="text/html", href=f.home)
    author = ET.SubElement(root, "author")
    _sub(author, "name", site.author or site.title)
    _sub(root, "generator", GENERATOR)
    for it in f.entries:
        entry = ET.SubElement(root, "entry")
        _sub(entry, "id", item_entry_id(it))
        _sub(entry, "title", item_title(it), type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=item_permalink(site, it))
        url = safe_url(it.url)
        if url:
            _sub(entry, "link", rel="related", href=url)
        date = rfc3339(item_date(it))
        _sub(entry, "published", date)
        _sub(entry, "updated", date)
        for c in item_categories(it):
            _sub(entry, "category", term=c)
        _sub(entry, "content", item_content_html(it), type="html")
    return _xml(root)


def rss_feed(
    items: Sequence[Item],
    site: SiteInfo,
    *,
    kind: Kind | None = None,
    feed_url: str,
    updated: datetime | None = None,
) -> str:
    """An RSS 2.0 feed of `items` (same rules as `atom_feed`).

    `guid` is the stable entry id with `isPermaLink="false"`; `link` the permalink; dates are
    RFC 822 (`Mon, 02 Sep 2024 00:00:00 GMT`). `atom:link rel="self"` is there because the
    RSS Advisory Board (and the W3C validator) recommend it. RSS has no field for the original
    URL: it is the `원문 링크` at the end of the description.
    """
    f = _feed(items, site, kind, feed_url, updated)
    root = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS})
    channel = ET.SubElement(root, "channel")
    _sub(channel, "title", f.title)
    _sub(channel, "link", f.home)
    _sub(channel, "description", site.description)
    _sub(channel, "language", site.language)
    _sub(channel, "lastBuildDate", rfc822(f.updated))
    _sub(channel, "generator", GENERATOR)
    _sub(channel, "atom:link", href=feed_url, rel="self", type="application/rss+xml")
    for it in f.entries:
        entry = ET.SubElement(channel, "item")
        _sub(entry, "title", item_title(it))
        _sub(entry, "link", item_permalink(site, it))
        _sub(entry, "guid", item_entry_id(it), isPermaLink="false")
        _sub(entry, "pubDate", rfc822(item_date(it)))
        for c in item_categories(it):
            _sub(entry, "category", c)
        _sub(entry, "description", item_content_html(it))
    return _xml(root)


def json_feed(
    items: Sequence[Item],
    site: SiteInfo,
    *,
    kind: Kind | None = None,
    feed_url: str,
    updated: datetime | None = None,
) -> str:
    """A JSON Feed 1.1 of `items` (same rules as `atom_feed`).

    JSON Feed has no feed-level date, so `updated` only exists for a signature shared with the
    other two (it is validated all the same). Categories are `tags`; the original URL is
    `external_url`. Keys keep a fixed order and the text is indented: same items, same bytes.
    """
    f = _feed(items, site, kind, feed_url, updated)
    doc: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": f.title,
        "home_page_url": f.home,
        "feed_url": feed_url,
        "description": site.description,
        "language": site.language,
    }
    if site.author:
        doc["authors"] = [{"name": site.author}]
    entries: list[dict[str, Any]] = []
    for it in f.entries:
        entry: dict[str, Any] = {
            "id": item_entry_id(it),
            "url": item_permalink(site, it),
        }
        url = safe_url(it.url)
        if url:
            entry["external_url"] = url
        entry["title"] = item_title(it)
        entry["content_html"] = item_content_html(it)
        entry["date_published"] = rfc3339(item_date(it))
        tags = item_categories(it)
        if tags:
            entry["tags"] = tags
        entries.append(entry)
    doc["items"] = entries
    text = json.dumps(_clean_json(doc), ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


# ---------------------------------------------------------------------------------------------
# crawl files


def sitemap_xml(urls: list[str], *, lastmod: dict[str, datetime] | None = None) -> str:
    """A sitemaps.org `urlset` of `urls`, in the order given, each once.

    Only absolute http(s) URLs are listed (a sitemap may hold nothing else). `lastmod`, when
    given for a URL, is written as its date (`YYYY-MM-DD`, W3C datetime): a weekly digest has
    no finer time, and a date is what search engines use.
    """
    lastmod = lastmod or {}
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    seen: set[str] = set()
    for u in urls:
        url = safe_url(u)
        if url is None or url in seen:
            continue
        seen.add(url)
        node = ET.SubElement(root, "url")
        _sub(node, "loc", url)
        when = lastmod.get(u)
        if when is not None:
            _sub(node, "lastmod", (when.astimezone(UTC) if when.tzinfo else when).date().isoformat())
    return _xml(root)


def sitemap_index_xml(sitemaps: list[str]) -> str:
    """A sitemaps.org `sitemapindex`: what `sitemap.xml` becomes past 50,000 URLs."""
    root = ET.Element("sitemapindex", {"xmlns": SITEMAP_NS})
    for u in sitemaps:
        _sub(ET.SubElement(root, "sitemap"), "loc", u)
    return _xml(root)


def robots_txt(site: SiteInfo) -> str:
    """Allow every crawler everywhere and point them at `{base_url}sitemap.xml`."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.base_url}sitemap.xml\n"


# ---------------------------------------------------------------------------------------------
# helpers


def rfc3339(when: datetime) -> str:
    """`2024-09-15T00:00:00Z` (Atom, JSON Feed)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc822(when: datetime) -> str:
    """`Sun, 15 Sep 2024 00:00:00 GMT` (RSS), independent of the locale."""
    return format_datetime(when.astimezone(UTC), usegmt=True)


def _days_in_month(year: int, month: int) -> int:
    nxt = datetime(year + month // 12, month % 12 + 1, 1)
    return (nxt - datetime(year, month, 1)).days


def _clean(text: str) -> str:
    return _NOT_XML_CHAR.sub("", text)


def _clean_json(value: Any) -> Any:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_json(v) for k, v in value.items()}
    return value


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element; its text and attribute values are cleaned here and escaped by ElementTree."""
    el = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _clean(text)
    return el


def _xml(root: ET.Element) -> str:
    """UTF-8 XML with a declaration, two-space indent and a final newline.

    Namespaces are written as plain `xmlns` attributes (and `atom:` in tag names) rather than
    with `ET.register_namespace`, which would change a process-wide table other code shares.
    """
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
