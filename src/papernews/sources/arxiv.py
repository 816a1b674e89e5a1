"""arXiv: the API's Atom answer → `ArxivMeta`, asked in batches of `id_list` (arXiv's API terms:
one request every 3 s, which the client's rate limit enforces for the API's host).

Docs: https://info.arxiv.org/help/api/user-manual.html (namespaces and fields, §5.2; errors, §3.4).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

from papernews.model import ItemMeta
from papernews.sources.dates import iso_date, utc_now
from papernews.sources.errors import FetchError
from papernews.sources.http import HttpClient

BATCH_SIZE = 100
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
ERROR_ID_PREFIX = "http://arxiv.org/api/errors"

_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7})"
_ID_RE = re.compile(rf"^({_ID})(?:v(\d+))?$")
_ABS_RE = re.compile(rf"/abs/({_ID})(?:v(\d+))?$")
_ERROR_ID_RE = re.compile(rf"\b({_ID}(?:v\d+)?)\s*$")


@dataclass(frozen=True)
class ArxivMeta:
    id: str  # without version: 2409.12345, hep-th/9711200
    version: int | None
    title: str
    authors: list[str]
    affiliations: list[str]  # each once, in order of first appearance
    abstract: str
    published: str | None
    updated: str | None
    primary_category: str | None
    categories: list[str]  # primary first
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    abs_url: str | None = None
    pdf_url: str | None = None
    author_affiliations: dict[str, list[str]] = field(default_factory=dict)

    @property
    def venue(self) -> str | None:
        return self.journal_ref or self.comment


@dataclass(frozen=True)
class ArxivFeed:
    entries: list[ArxivMeta]
    errors: list[str]  # the `summary` of each error entry, e.g. "incorrect id format for 1234.12345"
    total_results: int | None
    start_index: int | None = None  # opensearch paging: where this page starts, how long pages are
    items_per_page: int | None = None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def split_version(arxiv_id: str) -> tuple[str, int | None]:
    """('2409.12345', 2) for '2409.12345v2'; FetchError-free: unknown shapes come back whole."""
    m = _ID_RE.match(arxiv_id.strip())
    if not m:
        return arxiv_id.strip(), None
    return m.group(1), int(m.group(2)) if m.group(2) else None


def _text(node: ET.Element | None) -> str | None:
    if node is None or node.text is None:
        return None
    collapsed = " ".join(node.text.split())
    return collapsed or None


def _entry(node: ET.Element) -> ArxivMeta | None:
    entry_id = node.findtext(f"{ATOM}id", "").strip()
    m = _ABS_RE.search(entry_id)
    if not m:
        return None
    authors: list[str] = []
    by_author: dict[str, list[str]] = {}
    for author in node.findall(f"{ATOM}author"):
        name = _text(author.find(f"{ATOM}name"))
        if not name:
            continue
        authors.append(name)
        affs = [a for a in (_text(x) for x in author.findall(f"{ARXIV}affiliation")) if a]
        if affs:
            by_author[name] = affs
    primary = node.find(f"{ARXIV}primary_category")
    primary_term = primary.get("term") if primary is not None else None
    categories = [c.get("term", "") for c in node.findall(f"{ATOM}category") if c.get("term")]
    if primary_term:
        categories = [primary_term, *(c for c in categories if c != primary_term)]
    links = {(link.get("title") or link.get("rel") or ""): link.get("href") for link in node.findall(f"{ATOM}link")}
    return ArxivMeta(
        id=m.group(1),
        version=int(m.group(2)) if m.group(2) else None,
        title=_text(node.find(f"{ATOM}title")) or "",
        authors=authors,
        affiliations=list(dict.fromkeys(a for affs in by_author.values() for a in affs)),
        abstract=_text(node.find(f"{ATOM}summary")) or "",
        published=iso_date(node.findtext(f"{ATOM}published")),
        updated=iso_date(node.findtext(f"{ATOM}updated")),
        primary_category=primary_term,
        categories=list(dict.fromkeys(categories)),
        comment=_text(node.find(f"{ARXIV}comment")),
        journal_ref=_text(node.find(f"{ARXIV}journal_ref")),
        doi=_text(node.find(f"{ARXIV}doi")),
        abs_url=links.get("alternate"),
        pdf_url=links.get("pdf"),
        author_affiliations=by_author,
    )


def parse_arxiv_feed(xml: bytes | str) -> ArxivFeed:
    """The entries and error entries of an arXiv API answer; ValueError if it is not Atom."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from exc
    if root.tag != f"{ATOM}feed":
        raise ValueError(f"not an Atom feed: <{root.tag}>")
    entries: list[ArxivMeta] = []
    errors: list[str] = []
    for node in root.findall(f"{ATOM}entry"):
        if node.findtext(f"{ATOM}id", "").startswith(ERROR_ID_PREFIX):
            errors.append(_text(node.find(f"{ATOM}summary")) or "arXiv API error")
            continue
        meta = _entry(node)
        if meta is not None:
            entries.append(meta)
    return ArxivFeed(
        entries,
        errors,
        _int(root.findtext(f"{OPENSEARCH}totalResults")),
        _int(root.findtext(f"{OPENSEARCH}startIndex")),
        _int(root.findtext(f"{OPENSEARCH}itemsPerPage")),
    )


def fetch_arxiv(client: HttpClient, ids: Sequence[str]) -> dict[str, ArxivMeta | FetchError]:
    """Every id asked (as asked, versioned or not) → its metadata or the FetchError for it alone.

    An answer for ``2409.12345v2`` serves the ask for ``2409.12345``. arXiv refuses a whole
    query for one malformed id, so that id is failed and the rest are asked again.
    """
    results: dict[str, ArxivMeta | FetchError] = {}
    wanted: list[str] = []
    for raw in dict.fromkeys(ids):
        if _ID_RE.match(raw.strip()):
            wanted.append(raw)
        else:
            results[raw] = FetchError(raw, None, "not an arXiv id")
    for start in range(0, len(wanted), BATCH_SIZE):
        results.update(_fetch_batch(client, wanted[start : start + BATCH_SIZE]))
    return {raw: results[raw] for raw in dict.fromkeys(ids)}


def _fetch_batch(client: HttpClient, batch: list[str]) -> dict[str, ArxivMeta | FetchError]:
    out: dict[str, ArxivMeta | FetchError] = {}
    pending = list(batch)
    while pending:
        url = client.settings.arxiv_api
        params = {"id_list": ",".join(i.strip() for i in pending), "start": "0", "max_results": str(len(pending))}
        try:
            answer = client.fetch(url, params=params)
        except FetchError as exc:
            return out | dict.fromkeys(pending, exc)
        try:
            feed = parse_arxiv_feed(answer.content)
        except ValueError as exc:
            error = FetchError(url, answer.status, f"unreadable arXiv answer: {exc}")
            return out | dict.fromkeys(pending, error)
        if feed.errors:
            blamed = _blamed(feed.errors, pending)
            if not blamed:  # an error we cannot pin on one id fails the batch
                error = FetchError(url, answer.status, "; ".join(feed.errors))
                return out | dict.fromkeys(pending, error)
            for raw, message in blamed.items():
                out[raw] = FetchError(raw, answer.status, message)
            pending = [raw for raw in pending if raw not in blamed]
            continue
        if answer.status >= 400:
            error = FetchError(url, answer.status, "arXiv API error")
            return out | dict.fromkeys(pending, error)
        out |= _match(feed.entries, pending, answer.url)
        pending = []
    return out


def _blamed(errors: list[str], pending: list[str]) -> dict[str, str]:
    """Which asked ids the error messages name (arXiv: "incorrect id format for 1234.12345")."""
    asked = {raw.strip(): raw for raw in pending}
    blamed: dict[str, str] = {}
    for message in errors:
        m = _ERROR_ID_RE.search(message)
        if m and m.group(1) in asked:
            blamed[asked[m.group(1)]] = message
    return blamed


def _match(entries: list[ArxivMeta], pending: list[str], url: str) -> dict[str, ArxivMeta | FetchError]:
    by_id = {(e.id, e.version): e for e in entries}
    latest = {e.id: e for e in entries}
    out: dict[str, ArxivMeta | FetchError] = {}
    for raw in pending:
        base, version = split_version(raw)
        found = by_id.get((base, version)) if version is not None else latest.get(base)
        out[raw] = found if found is not None else FetchError(raw, None, "not in arXiv's answer")
    return out


def to_item_meta(meta: ArxivMeta, *, fetched_at: str | None = None) -> ItemMeta:
    ids = {"arxiv": meta.id}
    if meta.doi:
        ids["doi"] = meta.doi.lower()
    return ItemMeta(
        authors=list(meta.authors),
        affiliations=list(meta.affiliations),
        abstract=meta.abstract or None,
        published=meta.published,
        updated=meta.updated,
        venue=meta.venue,
        categories=list(meta.categories),
        site_name="arXiv",
        ids=ids,
        fetched_at=fetched_at or utc_now(),
    )
