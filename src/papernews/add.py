"""Add items from pasted links: the same thing under any address is refused, the rest filled in.

`add_urls` is the library behind `papernews add`. Per URL, in input order (one bad URL never
stops the batch):

1. canonicalise it and look for the same thing in the archive, and among the links added
   earlier in the same call (`identity.DuplicateIndex`: arXiv id, DOI, OpenReview, GitHub or
   Hugging Face id, identity URL; after fetching, also a near-identical title). A duplicate is
   refused and the existing item returned, unless `force`.
2. unless `offline`, fetch its metadata: arXiv ids through the arXiv API (all ids of the call
   in one request list), GitHub repositories and Hugging Face models, datasets and Spaces
   through their APIs, anything else as a web page. A failed fetch makes the URL an error;
   nothing is added for it (retry with `offline=True` to add it from the URL alone).
3. build the item: title from the metadata (arXiv title, the page's `og:title`, the repository
   or Hugging Face name, as the curator writes them), else the URL's last path segment; kind
   from `kind`, else `guess`; org from `org`, else for a paper the first affiliation the
   archive knows as an org, else `guess`'s org, else the paper's first affiliation; week from
   `week`, else the published date of a paper or page (`ceil(day / 7)`), else `today`. A
   repository's or Hugging Face repo's creation date is not when it was news, so those go
   to `today`'s week. Bullets stay empty (summaries come later).
4. store it, unless `dry_run` (`Store.save_item`: a new item goes to the end of the archive,
   and `export` places it at the end of its week's block).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from urllib.parse import unquote, urlsplit

from papernews.errors import InputError, PapernewsError
from papernews.identity import DuplicateIndex, GuessModel, Match, canonical_url, ids_of
from papernews.identity.orgs import OrgTable
from papernews.model import Item, ItemMeta, Kind, Week, day_of, make_item_id, split_orgs, week_of
from papernews.sources import (
    ArxivMeta,
    FetchError,
    HfMeta,
    HttpClient,
    HttpSettings,
    PageMeta,
    RepoMeta,
    SourceMeta,
    fetch_arxiv,
    fetch_github,
    fetch_hf,
    fetch_page,
    to_item_meta,
)
from papernews.sources.dates import utc_now
from papernews.store import Store

Status = Literal["added", "duplicate", "error"]
Progress = Callable[[int, int], None]

# hosts whose arXiv links the curator writes as `https://arxiv.org/abs/<id>` (a Hugging Face
# paper page or an alphaXiv link stays what it is: the curator links those on purpose)
_ARXIV_HOSTS = frozenset({"arxiv.org", "export.arxiv.org", "browse.arxiv.org", "ar5iv.org", "ar5iv.labs.arxiv.org"})
_HF_KINDS: dict[str, Literal["model", "dataset", "space"]] = {
    "hf_model": "model",
    "hf_dataset": "dataset",
    "hf_space": "space",
}
# a company's legal form says nothing about which company: `Microsoft Corporation` is `Microsoft`
_LEGAL_SUFFIX_RE = re.compile(r"[\s,]+(?:corporation|corp\.?|inc\.?|incorporated|ltd\.?|llc|gmbh|co\.,? ltd\.?)$", re.I)


@dataclass
class AddResult:
    """What became of one URL: added (`item` is the new item), duplicate (`item` is the archived
    one, `duplicate_of` its id) or error (`error` says what failed)."""

    url: str
    status: Status
    item: Item | None = None
    duplicate_of: str | None = None
    error: str | None = None
    duplicate_reason: str | None = field(default=None, compare=False)  # arxiv, doi, github, hf, url, title


@dataclass
class _Plan:
    url: str
    canonical: str
    ids: dict[str, str]


def _title_from_url(canonical: str) -> str:
    parts = urlsplit(canonical)
    segs = [unquote(s) for s in parts.path.split("/") if s]
    return segs[-1] if segs else parts.hostname or canonical


def _item_url(plan: _Plan) -> str:
    if "arxiv" in plan.ids and (urlsplit(plan.canonical).hostname or "") in _ARXIV_HOSTS:
        return f"https://arxiv.org/abs/{plan.ids['arxiv']}"
    return plan.canonical


def _as_written(canonical: str, repo_id: str) -> str:
    """`repo_id` (which `ids_of` lower-cases) in the case the URL writes it: `Qwen/Qwen2.5-7B-Instruct`."""
    path = unquote(urlsplit(canonical).path)
    at = path.lower().find(repo_id.lower())
    return path[at : at + len(repo_id)] if at >= 0 else repo_id


def _paper_org(affiliations: list[str], table: OrgTable) -> str | None:
    """The first affiliation that names an org of the archive, in the archive's spelling."""
    for aff in affiliations:
        for name in (aff, _LEGAL_SUFFIX_RE.sub("", aff).strip()):
            known = table.known(name) if name else None
            if known:
                return known
    return None


class _Adder:
    def __init__(
        self,
        store: Store,
        *,
        week: Week | None,
        kind: Kind | None,
        org: str | None,
        offline: bool,
        force: bool,
        client: HttpClient | None,
        today: date,
    ) -> None:
        self.week, self.kind, self.org = week, kind, org
        self.offline, self.force, self.today = offline, force, today
        self.client = client
        items = store.all_items()
        self.by_id: dict[str, Item] = {it.id: it for it in items}
        self.index = DuplicateIndex(items)
        self.model = GuessModel.from_items(items)
        self.arxiv: dict[str, ArxivMeta | FetchError] = {}

    # --- duplicates ------------------------------------------------------------------

    def duplicate(self, url: str, title: str | None, result_url: str) -> AddResult | None:
        if self.force:
            return None
        matches = self.index.find(url, title)
        if not matches:
            return None
        best: Match = matches[0]
        return AddResult(
            url=result_url,
            status="duplicate",
            item=self.by_id.get(best.item_id),
            duplicate_of=best.item_id,
            duplicate_reason=best.reason,
        )

    # --- fetching --------------------------------------------------------------------

    def fetch_arxiv_batch(self, plans: list[_Plan]) -> None:
        assert self.client is not None
        wanted = [p.ids["arxiv"] for p in plans if "arxiv" in p.ids and not self.duplicate(p.url, None, p.url)]
        if wanted:
            self.arxiv = fetch_arxiv(self.client, wanted)

    def fetch(self, plan: _Plan) -> SourceMeta:
        """The metadata of `plan`'s URL; FetchError when it cannot be had."""
        assert self.client is not None
        if "arxiv" in plan.ids:
            found = self.arxiv.get(plan.ids["arxiv"])
            if found is None:  # not asked in the batch (cannot happen, but cheap to cover)
                found = fetch_arxiv(self.client, [plan.ids["arxiv"]])[plan.ids["arxiv"]]
            if isinstance(found, FetchError):
                raise found
            return found
        if "github" in plan.ids:
            return fetch_github(self.client, _as_written(plan.canonical, plan.ids["github"]))
        for scheme, hf_kind in _HF_KINDS.items():
            if scheme in plan.ids:
                return fetch_hf(self.client, hf_kind, _as_written(plan.canonical, plan.ids[scheme]))
        return fetch_page(self.client, plan.url.strip())

    # --- building --------------------------------------------------------------------

    def build(self, plan: _Plan, source: SourceMeta | None) -> Item:
        guessed = self.model.guess(plan.url)
        meta = ItemMeta()
        title: str | None = None
        day: date | None = None
        if source is not None:
            meta = to_item_meta(source, fetched_at=utc_now())
            meta.ids = {**plan.ids, **meta.ids}
            if isinstance(source, ArxivMeta | PageMeta):
                title = source.title
                day = day_of(source.published)
            elif isinstance(source, RepoMeta):
                title = source.full_name.split("/")[-1]
            elif isinstance(source, HfMeta):
                title = source.id.split("/")[-1]
        elif plan.ids:
            meta = ItemMeta(ids=dict(plan.ids))
        title = (title or "").strip() or _title_from_url(plan.canonical)

        kind = self.kind or guessed.kind
        if kind is None:  # an empty archive and a host no rule knows
            kind = Kind.PAPER if "arxiv" in plan.ids else Kind.DEV

        orgs: list[str] = []
        org_label: str | None = None
        if self.org is not None:
            orgs, org_label = split_orgs(self.org), self.org.strip() or None
        else:
            name = _paper_org(meta.affiliations, self.model.names) if kind == Kind.PAPER else None
            name = name or guessed.org or (meta.affiliations[0] if kind == Kind.PAPER and meta.affiliations else None)
            if name:
                orgs = [name]

        week = self.week or week_of(day or self.today)
        url = _item_url(plan)
        occurrence = 0
        item_id = make_item_id(week.key, url, title, occurrence)
        while item_id in self.by_id:
            occurrence += 1
            item_id = make_item_id(week.key, url, title, occurrence)
        return Item(id=item_id, kind=kind, orgs=orgs, org_label=org_label, title=title, url=url, week=week, meta=meta)


def add_urls(
    store: Store,
    urls: Sequence[str],
    *,
    week: Week | None = None,
    kind: Kind | None = None,
    org: str | None = None,
    offline: bool = False,
    dry_run: bool = False,
    force: bool = False,
    client: HttpClient | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> list[AddResult]:
    """Add an item per URL (see the module docstring); one result per URL, in input order.

    `client` is the HTTP client to fetch with (one from `HttpSettings.from_env()` is opened and
    closed here when not given and something must be fetched); `today` decides the week of an
    item without a published date; `progress(done, total)` is called after each URL.
    """
    adder = _Adder(
        store,
        week=week,
        kind=kind,
        org=org,
        offline=offline,
        force=force,
        client=client,
        today=today or date.today(),
    )
    results: list[AddResult | None] = [None] * len(urls)
    plans: dict[int, _Plan] = {}
    for n, url in enumerate(urls):
        try:
            canonical = canonical_url(url)
            plans[n] = _Plan(url, canonical, ids_of(canonical))
        except InputError as e:
            results[n] = AddResult(url=url, status="error", error=f"not a link papernews can add: {e.message}")

    own_client = None
    if not offline and plans and client is None:
        own_client = adder.client = HttpClient(HttpSettings.from_env())
    try:
        if not offline and plans:
            adder.fetch_arxiv_batch(list(plans.values()))
        for n in range(len(urls)):
            if n in plans:
                results[n] = _one(adder, plans[n], dry_run, store)
            if progress is not None:
                progress(n + 1, len(urls))
    finally:
        if own_client is not None:
            own_client.close()
    return [r for r in results if r is not None]


def _one(adder: _Adder, plan: _Plan, dry_run: bool, store: Store) -> AddResult:
    found = adder.duplicate(plan.url, None, plan.url)
    if found is not None:
        return found
    source: SourceMeta | None = None
    if not adder.offline:
        try:
            source = adder.fetch(plan)
        except FetchError as e:
            reason = f"could not fetch metadata: {e} (--offline adds it from the URL alone)"
            return AddResult(url=plan.url, status="error", error=reason)
    try:
        item = adder.build(plan, source)
    except (InputError, ValueError) as e:
        return AddResult(url=plan.url, status="error", error=f"could not build the item: {e}")
    if source is not None:  # a title is known only now: the same paper or post under another link
        found = adder.duplicate(item.url or plan.url, item.title, plan.url)
        if found is not None:
            return found
    if not dry_run:
        try:
            store.save_item(item)
        except PapernewsError as e:
            return AddResult(url=plan.url, status="error", error=f"could not store the item: {e}")
    adder.by_id[item.id] = item
    adder.index.add(item)
    adder.model.learn(item)
    return AddResult(url=plan.url, status="added", item=item)
