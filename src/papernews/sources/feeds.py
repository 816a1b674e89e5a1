"""RSS and Atom feeds of labs and outlets, read with feedparser (every dialect, broken ones too).

A ``kind = "feeds"`` source reads a list of feeds: its own `feeds` option (a list of tables
``{name, url, org}``), else the shipped `default_feeds.toml`. A feed that cannot be fetched or
parsed is reported in the batch's problems and the others are read all the same: one lab
moving its blog must not hide the week's other posts.

Feeds are meant for programs to read, so robots.txt is not asked (as feed readers do); every
request still goes through the client's SSRF guard, rate limits and cache.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html import unescape
from importlib.resources import files
from typing import Any

from papernews.sources.http import HttpClient
from papernews.sources.options import start_day
from papernews.sources.registry import Batch, Found, SourceProgress, fetch_each

_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([,.;:!?])")
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"


@dataclass(frozen=True)
class FeedSpec:
    name: str
    url: str
    org: str | None = None


def _spec(raw: Any) -> FeedSpec:
    if isinstance(raw, str):
        return FeedSpec(name=raw, url=raw)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("url"), str):
        raise ValueError("each feed must be a URL or a table with a `url`")
    org = raw.get("org")
    return FeedSpec(name=str(raw.get("name") or raw["url"]), url=raw["url"], org=org if isinstance(org, str) else None)


def default_feeds() -> list[FeedSpec]:
    """The shipped list (see the file's header for how each URL was chosen)."""
    text = files("papernews.sources").joinpath("default_feeds.toml").read_text(encoding="utf-8")
    return [_spec(raw) for raw in tomllib.loads(text).get("feeds", [])]


def _published(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            # feedparser normalises every dialect's date to a UTC struct_time
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def parse_feed(content: bytes, spec: FeedSpec, source: str, *, content_type: str | None = None) -> list[Found]:
    """Pure: a feed's bytes → `Found` per entry with a link; ValueError when it is no feed at all.

    feedparser flags any irregularity (`bozo`); a feed it could still read entries from is
    accepted, as a reader would, and only one with no version and no entries is refused.
    """
    import feedparser

    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(content, response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        raise ValueError(f"not an RSS or Atom feed{f' ({why})' if why else ''}")
    found: list[Found] = []
    for entry in parsed.entries:
        link = _text(entry.get("link"))
        title = _plain(entry, "title")
        if not link.startswith(("http://", "https://")) or not title:
            continue
        authors = [_text(a.get("name")) for a in entry.get("authors") or [] if isinstance(a, Mapping)]
        tags = [_text(t.get("term")) for t in entry.get("tags") or [] if isinstance(t, Mapping)]
        found.append(
            Found(
                url=link,
                title=title,
                source=source,
                abstract=_plain(entry, "summary"),
                authors=[a for a in authors if a],
                categories=[t for t in tags if t],
                published=_published(entry),
                org=spec.org,
            )
        )
    return found


def _plain(entry: Any, key: str) -> str:
    """A text field as plain text: feeds may carry HTML (feedparser has sanitised it; `type` says so)."""
    raw = _text(entry.get(key))
    detail = entry.get(f"{key}_detail")
    html = isinstance(detail, Mapping) and "html" in str(detail.get("type", ""))
    if not html and "<" not in raw:
        return raw
    text = " ".join(unescape(_TAG_RE.sub(" ", raw)).split())
    return _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)


@dataclass
class FeedsSource:
    """``kind = "feeds"``: option `feeds` (list of URLs or `{name, url, org}` tables; default: the shipped list)."""

    name: str
    feeds: list[FeedSpec] = field(default_factory=default_feeds)
    kind: str = "feeds"

    @classmethod
    def from_options(cls, name: str, options: Mapping[str, Any]) -> FeedsSource:
        raw = options.get("feeds")
        if raw is None:
            return cls(name=name)
        if not isinstance(raw, list):
            raise ValueError("feeds must be a list")
        return cls(name=name, feeds=[_spec(r) for r in raw])

    def fetch(
        self,
        client: HttpClient,
        *,
        since: date | None,
        cursor: str | None,
        today: date,
        progress: SourceProgress | None = None,
    ) -> Batch:
        return fetch_each(
            self.feeds,
            get=lambda spec: client.get(spec.url, headers={"Accept": FEED_ACCEPT}),
            parse=lambda spec, answer: parse_feed(answer.content, spec, self.name, content_type=answer.content_type),
            today=today,
            progress=progress,
            since=start_day(since, cursor, today).isoformat(),
            label=lambda spec: spec.name,
            source=self.name,
            noun="feed",
        )
