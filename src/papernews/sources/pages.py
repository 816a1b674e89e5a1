"""Web pages (lab blogs, news): what the page says about itself, and its main text.

Tags first (the publisher chose them), then trafilatura's guesses for what is still missing;
trafilatura also gives the main text. robots.txt is respected: these are pages, not APIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import trafilatura
from trafilatura.settings import Document

from papernews.model import ItemMeta
from papernews.sources.dates import iso_date, utc_now
from papernews.sources.errors import FetchError
from papernews.sources.htmlmeta import HeadTags, names, read_head, url_of
from papernews.sources.http import HttpClient

MAX_TEXT = 20_000
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class PageMeta:
    url: str  # where the page was found, after redirects
    canonical_url: str | None = None
    title: str | None = None
    description: str | None = None
    site_name: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    image: str | None = None
    language: str | None = None
    text: str | None = None  # main text, at most MAX_TEXT characters


def _absolute(base: str, link: str | None) -> str | None:
    if not link:
        return None
    absolute = urljoin(base, link.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _authors(tags: HeadTags, article: dict[str, object]) -> list[str]:
    from_ld = names(article.get("author"))
    if from_ld:
        return list(dict.fromkeys(from_ld))
    # article:author is often a profile URL rather than a name
    named = [a for a in tags.all("article:author") if not a.startswith(("http://", "https://"))]
    for candidates in (named, tags.all("author"), tags.all("citation_author"), tags.all("dc.creator")):
        if candidates:
            return list(dict.fromkeys(candidates))
    return []


def _extract(html: str, url: str) -> Document | None:
    """trafilatura's reading of the page: its main text, and its metadata guesses as fallbacks."""
    found = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    return found if isinstance(found, Document) else None


def _clip(text: str | None) -> str | None:
    return text[:MAX_TEXT].rstrip() or None if text else None


def parse_page(html: str, url: str) -> PageMeta:
    """Pure: the page's HTML (already decoded) and the URL it came from → `PageMeta`."""
    tags = read_head(html)
    article = tags.article()
    publisher = article.get("publisher")
    guessed = _extract(html, url)

    published = next(
        (
            d
            for d in (
                iso_date(tags.first("article:published_time", "og:article:published_time")),
                iso_date(article.get("datePublished")),
                iso_date(tags.first("citation_publication_date", "citation_date", "datepublished", "date")),
                *(iso_date(t) for t in tags.times),
                iso_date(guessed.date if guessed else None),
            )
            if d
        ),
        None,
    )
    authors = _authors(tags, article)
    if not authors and guessed and guessed.author:
        authors = [a.strip() for a in guessed.author.split(";") if a.strip()]
    return PageMeta(
        url=url,
        canonical_url=_absolute(url, tags.canonical) or _absolute(url, tags.first("og:url")),
        title=tags.first("og:title", "twitter:title")
        or _str(article.get("headline"))
        or tags.first("citation_title")
        or tags.title
        or (guessed.title if guessed else None),
        description=tags.first("og:description", "twitter:description", "description")
        or _str(article.get("description")),
        site_name=tags.first("og:site_name", "application-name")
        or (names(publisher)[0] if names(publisher) else None)
        or (guessed.sitename if guessed else None),
        published=published,
        modified=iso_date(tags.first("article:modified_time", "og:updated_time"))
        or iso_date(article.get("dateModified")),
        authors=authors,
        image=_absolute(url, tags.first("og:image", "og:image:url", "twitter:image", "twitter:image:src"))
        or _absolute(url, url_of(article.get("image"))),
        language=tags.lang or tags.first("og:locale"),
        text=_clip(guessed.text if guessed else None),
    )


def _str(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def fetch_page(client: HttpClient, url: str) -> PageMeta:
    """FetchError for a page that robots.txt keeps from us, that fails, or that is not HTML."""
    answer = client.get(url, robots=True)
    kind = answer.content_type.split(";")[0].strip().lower()
    if kind and kind not in HTML_TYPES:
        raise FetchError(answer.url, answer.status, f"not an HTML page ({kind})")
    return parse_page(answer.text, answer.url)


def to_item_meta(meta: PageMeta, *, fetched_at: str | None = None) -> ItemMeta:
    return ItemMeta(
        authors=list(meta.authors),
        description=meta.description,
        published=meta.published,
        updated=meta.modified,
        site_name=meta.site_name,
        image=meta.image,
        fetched_at=fetched_at or utc_now(),
    )
