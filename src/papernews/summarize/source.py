"""The text a summary is drafted from: arXiv's HTML full text, else the abstract, else the page's text.

The network edge of `summarize`: every request goes through the project's `HttpClient` (SSRF
guard, robots.txt for pages, rate limits, and its on-disk cache, so asking again for the same
paper costs no request). Parsing is left to pure functions (`parse_arxiv_html`, trafilatura via
`parse_page`). Offline, only what the archive already holds can be used: the item's stored
abstract or description (`stored_source`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from papernews.errors import InputError
from papernews.identity import ids_of
from papernews.model import Item
from papernews.summarize.arxiv_html import parse_arxiv_html
from papernews.summarize.errors import NoSourceError
from papernews.summarize.sections import Section, paragraphs_of

if TYPE_CHECKING:  # the HTTP stack is imported when a source is fetched
    from papernews.sources import HttpClient

SourceKind = Literal["arxiv-html", "arxiv-abstract", "page", "stored-abstract", "stored-description"]
HTML_TYPES = ("text/html", "application/xhtml+xml")
_CODE_LINK_RE = re.compile(r"https?://(?:github\.com|huggingface\.co|gitlab\.com)/[^\s)\]>\"']+")
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
_LETTER_RE = re.compile(r"[A-Za-z\uac00-\ud7a3]")


@dataclass(frozen=True)
class SourceText:
    """A source as sections, where it was read, and the code/model/data links found in it."""

    kind: SourceKind
    url: str | None
    title: str | None
    sections: tuple[Section, ...]
    links: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The whole text, headings included: what `sha256` is taken of."""
        return "\n\n".join(f"{s.title}\n\n{s.text}" for s in self.sections)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def abstract(self) -> str | None:
        """The abstract (or a page's description), when the source has one."""
        return next((s.text for s in self.sections if s.kind == "abstract"), None)

    @property
    def language(self) -> str:
        """`ko` when most letters are Hangul, else `en`: what an extractive draft is written in."""
        sample = self.text[:5000]
        letters = len(_LETTER_RE.findall(sample))
        return "ko" if letters and len(_HANGUL_RE.findall(sample)) / letters > 0.3 else "en"


def arxiv_id_of(item: Item) -> str | None:
    """The item's arXiv id, from its metadata or its URL (any arXiv address, DOI, HF paper page)."""
    if item.meta.ids.get("arxiv"):
        return item.meta.ids["arxiv"]
    if not item.url:
        return None
    try:
        return ids_of(item.url).get("arxiv")
    except InputError:
        return None


def code_links(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(0).rstrip(".,;") for m in _CODE_LINK_RE.finditer(text)))


def stored_source(item: Item) -> SourceText | None:
    """What the archive already knows: the stored abstract, else the stored description."""
    arxiv = arxiv_id_of(item)
    url = f"https://arxiv.org/abs/{arxiv}" if arxiv else item.url
    if item.meta.abstract:
        section = Section("Abstract", "abstract", paragraphs_of(item.meta.abstract))
        return SourceText("stored-abstract", url, item.title, (section,), code_links(item.meta.abstract))
    if item.meta.description:
        section = Section("Description", "abstract", paragraphs_of(item.meta.description))
        return SourceText("stored-description", item.url, item.title, (section,), code_links(item.meta.description))
    return None


def fetch_source(client: HttpClient, item: Item) -> SourceText:
    """The best source text for `item` (see the module); FetchError or NoSourceError when there is none."""
    arxiv = arxiv_id_of(item)
    if arxiv:
        return _arxiv_source(client, item, arxiv)
    if not item.url:
        raise NoSourceError(f"item {item.id} has no link to read a source from")
    return _page_source(client, item.url)


def _arxiv_source(client: HttpClient, item: Item, arxiv: str) -> SourceText:
    from papernews.sources import FetchError, fetch_arxiv

    html_url = f"{client.settings.arxiv_html.rstrip('/')}/{arxiv}"
    try:
        answer = client.fetch(html_url, robots=True)
    except FetchError:
        answer = None  # refused or unreachable: the abstract may still be had from the API
    if answer is not None and answer.status < 400 and _is_html(answer.content_type):
        paper = parse_arxiv_html(answer.text)
        if any(s.kind != "abstract" for s in paper.sections):  # arXiv has a full text for it
            return SourceText("arxiv-html", answer.url, paper.title or item.title, paper.sections, paper.links)
    stored = stored_source(item)
    if stored is not None and stored.kind == "stored-abstract":
        return stored
    found = fetch_arxiv(client, [arxiv])[arxiv]
    if isinstance(found, FetchError):
        raise found
    if not found.abstract:
        raise NoSourceError(f"arXiv has no abstract for {arxiv}")
    section = Section("Abstract", "abstract", paragraphs_of(found.abstract))
    url = f"https://arxiv.org/abs/{arxiv}"
    return SourceText("arxiv-abstract", url, found.title, (section,), code_links(found.abstract))


def _page_source(client: HttpClient, url: str) -> SourceText:
    from papernews.sources import fetch_page

    page = fetch_page(client, url)
    sections: list[Section] = []
    main = paragraphs_of(page.text or "")
    description = " ".join((page.description or "").split())
    if description and not (main and main[0].startswith(description[:60])):
        sections.append(Section("Description", "abstract", (description,)))
    if main:
        sections.append(Section("Main text", "main", main))
    if not sections:
        raise NoSourceError(f"{page.url}: the page has no text to summarise")
    text = "\n".join(s.text for s in sections)
    return SourceText("page", page.url, page.title, tuple(sections), code_links(text))


def _is_html(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return not kind or kind in HTML_TYPES
