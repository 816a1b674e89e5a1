"""Feeds, sitemap and robots.txt built from the real seed: structure, stable ids, determinism, safety."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import pytest

from papernews.formats.markdown import parse
from papernews.model import Bullet, Item, Kind, Week
from papernews.publish.feeds import (
    JSON_FEED_VERSION,
    SiteInfo,
    atom_feed,
    item_date,
    item_permalink,
    json_feed,
    robots_txt,
    rss_feed,
    sitemap_xml,
)

A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = SiteInfo(base_url="https://example.github.io/digest/", author="NLP Paper News 편집부")
ATOM_URL = SITE.base_url + "atom.xml"
RSS_URL = SITE.base_url + "rss.xml"
JSON_URL = SITE.base_url + "feed.json"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
N = 50


def _chrono(item: Item) -> tuple[int, int, int]:
    return (item.week.year, item.week.month, item.week.first) if item.week else (0, 0, 0)


@pytest.fixture(scope="module")
def all_items(seed_text: str) -> list[Item]:
    return parse(seed_text).items


@pytest.fixture(scope="module")
def latest(all_items: list[Item]) -> list[Item]:
    """The latest 50 items, newest first (the seed lists weeks oldest first)."""
    return sorted(reversed(all_items), key=_chrono, reverse=True)[:N]


def _absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _rfc3339(text: str | None) -> datetime:
    assert text is not None and RFC3339.match(text), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---------------------------------------------------------------------------------------------
# dates and permalinks


@pytest.mark.parametrize(
    ("week", "expected"),
    [
        (Week(year=2024, month=9, weeks=[1]), datetime(2024, 9, 1, tzinfo=UTC)),
        (Week(year=2024, month=9, weeks=[3]), datetime(2024, 9, 15, tzinfo=UTC)),
        (Week(year=2024, month=2, weeks=[1, 2, 3]), datetime(2024, 2, 1, tzinfo=UTC)),
        (Week(year=2024, month=2, weeks=[5]), datetime(2024, 2, 29, tzinfo=UTC)),
        (Week(year=2023, month=2, weeks=[5]), datetime(2023, 2, 28, tzinfo=UTC)),  # clamped
        (Week(year=2024, month=12, weeks=[6]), datetime(2024, 12, 31, tzinfo=UTC)),  # clamped
        (None, datetime(1970, 1, 1, tzinfo=UTC)),
    ],
)
def test_item_date(week: Week | None, expected: datetime) -> None:
    assert item_date(Item(id="x", title="t", week=week)) == expected


def test_permalink_and_site_info() -> None:
    assert item_permalink(SITE, Item(id="5b62c6f310f9", title="t")) == (
        "https://example.github.io/digest/items/5b62c6f310f9/"
    )
    for bad in ("https://example.org/digest", "javascript:alert(1)/", "/digest/", "example.org/"):
        with pytest.raises(ValueError):
            SiteInfo(base_url=bad)
    with pytest.raises(ValueError):
        atom_feed([], SITE, feed_url="javascript:alert(1)")


# ---------------------------------------------------------------------------------------------
# Atom


def test_atom_feed_of_the_seed(latest: list[Item]) -> None:
    text = atom_feed(latest, SITE, feed_url=ATOM_URL)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{A}feed"
    assert root.findtext(f"{A}title") == "NLP Paper News"
    assert root.findtext(f"{A}author/{A}name") == SITE.author
    assert root.find(f"{A}link[@rel='self']").get("href") == ATOM_URL  # type: ignore[union-attr]
    assert _absolute(root.findtext(f"{A}id"))

    entries = root.findall(f"{A}entry")
    assert len(entries) == N
    ids = [e.findtext(f"{A}id") for e in entries]
    assert ids == [f"urn:papernews:item:{it.id}" for it in latest]
    assert len(set(ids)) == N

    dates = []
    for entry, it in zip(entries, latest, strict=True):
        title = entry.findtext(f"{A}title")
        assert title is not None and it.title in title
        if it.orgs:
            assert title.startswith(f"[{it.org_text}] ")
        alternate = entry.find(f"{A}link[@rel='alternate']")
        assert alternate is not None and alternate.get("href") == item_permalink(SITE, it)
        for link in entry.findall(f"{A}link"):
            assert _absolute(link.get("href"))
        related = entry.find(f"{A}link[@rel='related']")
        assert (related.get("href") if related is not None else None) == it.url
        published = _rfc3339(entry.findtext(f"{A}published"))
        assert published == _rfc3339(entry.findtext(f"{A}updated")) == item_date(it)
        dates.append(published)
        terms = [c.get("term") for c in entry.findall(f"{A}category")]
        assert terms[: 1 if it.kind else 0] == ([it.kind.value] if it.kind else [])
        assert set(it.orgs) <= set(terms)
        content = entry.find(f"{A}content")
        assert content is not None and content.get("type") == "html" and content.text
        if it.bullets:
            assert content.text.startswith("<ul><li>")
            assert content.text.count("<li>") == len(it.flat_bullets())
    # feed-level updated is the newest entry's date, not the time of the build
    assert _rfc3339(root.findtext(f"{A}updated")) == max(dates)


def test_atom_updated_can_be_given(latest: list[Item]) -> None:
    when = datetime(2024, 10, 1, 9, 30, tzinfo=UTC)
    root = ET.fromstring(atom_feed(latest, SITE, feed_url=ATOM_URL, updated=when))
    assert root.findtext(f"{A}updated") == "2024-10-01T09:30:00Z"
    with pytest.raises(ValueError):
        atom_feed(latest, SITE, feed_url=ATOM_URL, updated=datetime(2024, 10, 1))


def test_atom_without_author_still_names_one(latest: list[Item]) -> None:
    site = SiteInfo(base_url=SITE.base_url)
    root = ET.fromstring(atom_feed(latest[:3], site, feed_url=ATOM_URL))
    assert root.findtext(f"{A}author/{A}name") == site.title


def test_empty_feeds_are_valid() -> None:
    root = ET.fromstring(atom_feed([], SITE, feed_url=ATOM_URL))
    assert root.findtext(f"{A}updated") == "1970-01-01T00:00:00Z"
    assert root.findall(f"{A}entry") == []
    assert ET.fromstring(rss_feed([], SITE, feed_url=RSS_URL)).findall("channel/item") == []
    assert json.loads(json_feed([], SITE, feed_url=JSON_URL))["items"] == []


# ---------------------------------------------------------------------------------------------
# RSS


def test_rss_feed_of_the_seed(latest: list[Item]) -> None:
    text = rss_feed(latest, SITE, feed_url=RSS_URL)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert _absolute(channel.findtext("link"))
    assert channel.findtext("language") == "ko"
    assert channel.find(f"{A}link[@rel='self']").get("href") == RSS_URL  # type: ignore[union-attr]

    items = channel.findall("item")
    assert len(items) == N
    guids = [i.find("guid") for i in items]
    assert all(g is not None and g.get("isPermaLink") == "false" for g in guids)
    assert [g.text for g in guids if g is not None] == [f"urn:papernews:item:{it.id}" for it in latest]
    dates = []
    for node, it in zip(items, latest, strict=True):
        assert node.findtext("link") == item_permalink(SITE, it)
        pub = node.findtext("pubDate")
        assert pub is not None and re.match(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$", pub)
        assert parsedate_to_datetime(pub) == item_date(it)
        dates.append(parsedate_to_datetime(pub))
        assert [c.text for c in node.findall("category")][:1] == ([it.kind.value] if it.kind else [])
        description = node.findtext("description")
        assert description
        if it.url:
            assert f'href="{it.url}"'.replace("&", "&amp;") in description
    last = channel.findtext("lastBuildDate")
    assert last is not None and parsedate_to_datetime(last) == max(dates)


# ---------------------------------------------------------------------------------------------
# JSON Feed


def test_json_feed_of_the_seed(latest: list[Item]) -> None:
    text = json_feed(latest, SITE, feed_url=JSON_URL)
    doc = json.loads(text)
    assert doc["version"] == JSON_FEED_VERSION == "https://jsonfeed.org/version/1.1"
    assert doc["title"] == SITE.title
    assert doc["feed_url"] == JSON_URL and _absolute(doc["home_page_url"])
    assert doc["authors"] == [{"name": SITE.author}]
    assert doc["language"] == "ko"
    entries = doc["items"]
    assert len(entries) == N
    assert [e["id"] for e in entries] == [f"urn:papernews:item:{it.id}" for it in latest]
    assert len({e["id"] for e in entries}) == N
    for entry, it in zip(entries, latest, strict=True):
        assert entry["url"] == item_permalink(SITE, it)
        assert entry.get("external_url") == it.url
        assert it.title in entry["title"]
        assert entry["content_html"]
        assert _rfc3339(entry["date_published"]) == item_date(it)
        if it.kind:
            assert entry["tags"][0] == it.kind.value
    # the bytes carry no raw markup (safe even if pasted into an HTML page)
    assert "<" not in text and ">" not in text


# ---------------------------------------------------------------------------------------------
# every format


FEEDS = {"atom": (atom_feed, ATOM_URL), "rss": (rss_feed, RSS_URL), "json": (json_feed, JSON_URL)}


def _entries(fmt: str, text: str) -> list[dict[str, Any]]:
    """(id, kind terms, every link) of each entry, whatever the format."""
    if fmt == "json":
        return [
            {"id": e["id"], "tags": e.get("tags", []), "links": [e["url"], *filter(None, [e.get("external_url")])]}
            for e in json.loads(text)["items"]
        ]
    root = ET.fromstring(text)
    if fmt == "atom":
        return [
            {
                "id": e.findtext(f"{A}id"),
                "tags": [c.get("term") for c in e.findall(f"{A}category")],
                "links": [ln.get("href") for ln in e.findall(f"{A}link")],
            }
            for e in root.findall(f"{A}entry")
        ]
    return [
        {"id": i.findtext("guid"), "tags": [c.text for c in i.findall("category")], "links": [i.findtext("link")]}
        for i in root.findall("channel/item")
    ]


@pytest.mark.parametrize("fmt", FEEDS)
def test_same_items_same_bytes(fmt: str, latest: list[Item], all_items: list[Item], seed_text: str) -> None:
    make, url = FEEDS[fmt]
    first = make(latest, SITE, feed_url=url)
    assert make(latest, SITE, feed_url=url) == first
    # items parsed again from the same text give the same feed too
    again = sorted(reversed(parse(seed_text).items), key=_chrono, reverse=True)[:N]
    assert make(again, SITE, feed_url=url) == first


@pytest.mark.parametrize("fmt", FEEDS)
def test_entry_ids_do_not_depend_on_the_site(fmt: str, latest: list[Item]) -> None:
    make, _ = FEEDS[fmt]
    moved = SiteInfo(base_url="https://digest.example.org/")
    here = [e["id"] for e in _entries(fmt, make(latest, SITE, feed_url=FEEDS[fmt][1]))]
    there = [e["id"] for e in _entries(fmt, make(latest, moved, feed_url=moved.base_url + "feed"))]
    assert here == there


@pytest.mark.parametrize("fmt", FEEDS)
@pytest.mark.parametrize("kind", list(Kind))
def test_kind_feeds_hold_only_that_kind(fmt: str, kind: Kind, all_items: list[Item]) -> None:
    make, url = FEEDS[fmt]
    newest = sorted(reversed(all_items), key=_chrono, reverse=True)
    of_kind = [it for it in newest if it.kind == kind][:N]
    assert of_kind, f"the seed has no {kind} item"
    # given the latest items of every kind, the feed keeps that kind's only
    text = make(newest[:200], SITE, kind=kind, feed_url=url)
    entries = _entries(fmt, text)
    expected = [it for it in newest[:200] if it.kind == kind]
    assert [e["id"] for e in entries] == [f"urn:papernews:item:{it.id}" for it in expected]
    assert all(e["tags"][0] == kind.value for e in entries)
    # the kind changes the feed's title and id
    label = {"paper": "papers", "dev": "developer blogs", "news": "news"}[kind.value]
    if fmt == "json":
        doc = json.loads(text)
        assert doc["title"] == f"{SITE.title} — {label}"
        assert doc["home_page_url"] == f"{SITE.base_url}kinds/{kind.value}/"
    elif fmt == "atom":
        root = ET.fromstring(text)
        assert root.findtext(f"{A}title") == f"{SITE.title} — {label}"
        assert root.findtext(f"{A}id") == f"{SITE.base_url}kinds/{kind.value}/"
        assert root.findtext(f"{A}id") != ET.fromstring(make(newest[:200], SITE, feed_url=url)).findtext(f"{A}id")
    else:
        assert ET.fromstring(text).findtext("channel/title") == f"{SITE.title} — {label}"


# ---------------------------------------------------------------------------------------------
# hostile input


HOSTILE = Item(
    id="hostile-1",
    kind=Kind.NEWS,
    orgs=['Evil "Corp" <b>'],
    title='"<script>alert(1)</script>&',
    url="javascript:alert(1)",
    bullets=[
        Bullet(
            text="[x](javascript:alert(1)) and <img src=x onerror=alert(2)> & [ok](https://ok.example/a?b=1&c=2)",
            children=[Bullet(text="<script>alert(3)</script> \x00\x1b\ufffe control characters")],
        )
    ],
    week=Week(year=2024, month=9, weeks=[3]),
)


def _no_javascript_link(value: str | None) -> bool:
    return not (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:"))


@pytest.mark.parametrize("fmt", FEEDS)
def test_hostile_item_is_escaped(fmt: str, latest: list[Item]) -> None:
    make, url = FEEDS[fmt]
    text = make([HOSTILE, *latest[:3]], SITE, feed_url=url)
    assert "<script" not in text.lower()
    assert "<img" not in text.lower()
    assert "\x00" not in text and "\x1b" not in text
    entries = _entries(fmt, text)  # well-formed: parses back
    assert len(entries) == 4 and entries[0]["id"] == "urn:papernews:item:hostile-1"
    for e in entries:
        assert all(_absolute(link) and _no_javascript_link(link) for link in e["links"])

    if fmt == "json":
        entry = json.loads(text)["items"][0]
        title, html = entry["title"], entry["content_html"]
        assert "external_url" not in entry
    elif fmt == "atom":
        node = ET.fromstring(text).find(f"{A}entry")
        assert node is not None
        title, html = node.findtext(f"{A}title") or "", node.findtext(f"{A}content") or ""
        assert node.find(f"{A}link[@rel='related']") is None
    else:
        node = ET.fromstring(text).find("channel/item")
        assert node is not None
        title, html = node.findtext("title") or "", node.findtext("description") or ""
    # the title is text: it comes back exactly as written, orgs in brackets
    assert title == '[Evil "Corp" <b>] "<script>alert(1)</script>&'
    # the HTML content has no markup of its own making: only the anchors and lists we write
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html
    hrefs = re.findall(r"""href\s*=\s*["']?([^"'\s>]+)""", html, re.I)
    assert hrefs == ["https://ok.example/a?b=1&amp;c=2"]
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
    assert "[x](javascript:alert(1))" in html  # kept as visible text, not as a link


def test_hostile_sitemap_urls_are_dropped() -> None:
    text = sitemap_xml(["javascript:alert(1)", "https://example.org/<a>&b", "/relative/"])
    locs = [loc.text for loc in ET.fromstring(text).iter(f"{SM}loc")]
    assert locs == ["https://example.org/<a>&b"]
    assert "<a>" not in text


# ---------------------------------------------------------------------------------------------
# sitemap and robots.txt


def test_sitemap_of_the_seed(latest: list[Item]) -> None:
    urls = [SITE.base_url, *(item_permalink(SITE, it) for it in latest), SITE.base_url]
    lastmod = {item_permalink(SITE, it): item_date(it) for it in latest}
    text = sitemap_xml(urls, lastmod=lastmod)
    assert text == sitemap_xml(urls, lastmod=lastmod)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SM}urlset"
    nodes = root.findall(f"{SM}url")
    assert len(nodes) == N + 1  # the duplicate home page is listed once
    locs = [n.findtext(f"{SM}loc") for n in nodes]
    assert locs == urls[:-1] and all(_absolute(u) for u in locs)
    assert nodes[0].find(f"{SM}lastmod") is None
    for node, it in zip(nodes[1:], latest, strict=True):
        assert node.findtext(f"{SM}lastmod") == item_date(it).date().isoformat()


def test_robots_txt() -> None:
    text = robots_txt(SITE)
    lines = text.splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: https://example.github.io/digest/sitemap.xml" in lines
    assert text.endswith("\n")
