"""The public site as the app serves it: each page made on demand by the static build's own parts.

Why not run the build and serve its folder: the curator's server must show what is in the
archive now, and a full build costs seconds. Why not templates of our own: the served pages
must be the published pages, byte for byte, at the same URLs. So every page here is assembled
from what `papernews.publish.site.iter_site` uses (`Shell`, `cards`, `lists`, `paths`), in
the same way; `tests/test_web_pages.py` compares served pages with `render_site`'s.

Speed (the load target is p95 ≤ 50 ms with 50 readers on 2 cores): one `PublicSite` per
archive revision holds the items grouped as the build groups them and the routes of every
page; a page is rendered on its first request and then served from an LRU of bytes, so a
warm request costs the revision check and a dictionary lookup. A write to the archive bumps
its revision (`Store.revision`) and the next request builds a fresh `PublicSite`.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from markupsafe import escape

from papernews.archive import export_bytes
from papernews.model import Kind
from papernews.publish import paths
from papernews.publish.build import feed_items  # the build's own choice of feed items
from papernews.publish.cards import KIND_LABEL, ROOT, related_li
from papernews.publish.site import (
    ITEMS_PER_LIST_PAGE,
    STATIC,
    WEEKS_PER_HOME_PAGE,
    Grouped,
    Pages,
    Site,
    feed_files,
    org_name,
    page_count,
    related_items,  # the build's relation of items: same orgs, newest first
)
from papernews.publish.view import SiteItem, load_site_items
from papernews.store import Store

PAGE_CACHE_SIZE = 4096  # rendered pages kept per revision (a page is 5-30 kB)
SEARCH_LIMIT = 50
SEARCH_HEAD = '<link rel="stylesheet" href="/static/search.css">'  # the app's own file: the form below
ASSET_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
FEED_TYPES = {
    "feed.xml": "application/atom+xml; charset=utf-8",
    "rss.xml": "application/rss+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}


class _Lru:
    """A small thread-safe LRU of rendered pages: bounded, so a 100,000-item site never sits in memory."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, value: bytes) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)


class PublicSite:
    """Every page of the site for one revision of the archive, rendered when first asked for."""

    def __init__(self, items: Sequence[SiteItem], site: Site, revision: int) -> None:
        self.site = site
        self.revision = revision
        self.items = list(items)
        self.pages = Pages(site)  # the build's page makers; cards and rows kept for this revision
        self.by_id = {it.id: it for it in self.items}
        self.grouped = Grouped.of(self.items)  # the build's grouping, in its order
        self._pages = _Lru(PAGE_CACHE_SIZE)
        self._files: dict[str, bytes] = {}
        self._files_lock = threading.Lock()
        self._feeds_made = False
        self._routes = self._route_table()

    def _route_table(self) -> dict[str, Callable[[], bytes]]:
        """Path (relative, as the build writes it, without `index.html`) → how to make the page."""
        pages, grouped = self.pages, self.grouped
        routes: dict[str, Callable[[], bytes]] = {}
        for it in self.items:
            routes[it.path] = functools.partial(self._item_page, it)
        for week, its in grouped.weeks:
            routes[paths.week_path(week)] = functools.partial(pages.week_page, week, its)
        for (year, month), blocks in grouped.by_month.items():
            routes[paths.month_path(year, month)] = functools.partial(pages.month_page, year, month, blocks)
        for slug, its in grouped.by_org.items():
            self._add_paged(routes, f"orgs/{slug}/", org_name(slug, its), its)
        for kind in Kind:
            self._add_paged(routes, paths.kind_path(kind), KIND_LABEL[kind.value], grouped.by_kind.get(kind.value, []))
        n_pages = page_count(len(grouped.weeks), WEEKS_PER_HOME_PAGE)
        for n in range(1, n_pages + 1):
            # the home page without the charts: drawing them (matplotlib) is the build's job
            routes[paths.home_page_path(n)] = functools.partial(pages.home_page, grouped.weeks, n, n_pages)
        routes["bookmarks/"] = functools.partial(pages.template_page, "bookmarks/", "bookmarks.html")
        return routes

    def _add_paged(self, routes: dict[str, Callable[[], bytes]], base: str, heading: str, its: list[SiteItem]) -> None:
        n_pages = page_count(len(its), ITEMS_PER_LIST_PAGE)
        for n in range(1, n_pages + 1):
            routes[base + paths.home_page_path(n)] = functools.partial(
                self.pages.paged_page, base, heading, its, n, n_pages
            )

    # --- pages ----------------------------------------------------------------------------------

    def page(self, path: str) -> bytes | None:
        """The page at `path` (`items/abc/`, `2024/09/w3/`, `` for home), or None when there is none."""
        cached = self._pages.get(path)
        if cached is not None:
            return cached
        make = self._routes.get(path)
        if make is None:
            return None
        body = make()
        self._pages.put(path, body)
        return body

    def cached(self, key: str) -> bytes | None:
        """A page made by the caller (a search) and kept with the others, for this revision."""
        return self._pages.get(key)

    def keep(self, key: str, body: bytes) -> None:
        self._pages.put(key, body)

    def _item_page(self, it: SiteItem) -> bytes:
        return self.pages.item_page(it, [related_li(r) for r in related_items(it, self.grouped.by_org)])

    def not_found(self, root: str) -> bytes:
        """The site's 404 page; `root`: where this server serves the site (its links are absolute)."""
        return self.pages.template_page("404.html", "404.html", root=root)

    def search_page(self, query: str, kind: str | None, found: list[str] | None, total: int) -> bytes:
        """Search served from the archive's full-text index: the static site's search page needs
        Pagefind's files, which only the build writes. `found`: ids best first, None before a query."""
        cards = None if found is None else [self.pages.card(self.by_id[i]) for i in found if i in self.by_id]
        main = search_main(query, kind, cards, total)
        title = f"“{query}” 검색 · {self.site.title}" if query else f"검색 · {self.site.title}"
        return self.pages.shell.page("search/", title=title, main=main, head=SEARCH_HEAD)

    # --- files beside the pages -----------------------------------------------------------------

    def made(self, name: str) -> bytes | None:
        """A feed or items.json when it was made already for this revision."""
        return self._files.get(name)

    def file(self, name: str, store: Store) -> bytes | None:
        """Feeds (`feed.xml`, `kinds/paper/rss.xml`, …) and `items.json`, made once per revision."""
        with self._files_lock:
            if name in self._files:
                return self._files[name]
            if name == "items.json":
                self._files[name] = export_bytes(store, ["json"])["json"]
            elif name.rsplit("/", 1)[-1] in FEED_TYPES and not self._feeds_made:
                self._files.update(feed_files(feed_items(store, self.items), self.site))
                self._feeds_made = True
            return self._files.get(name)


def asset(name: str) -> bytes | None:
    """The site's CSS, JS and icon, from the publish package (what the build copies to `assets/`)."""
    return _asset_bytes(name) if name in STATIC else None


@functools.cache
def _asset_bytes(name: str) -> bytes:
    return (resources.files("papernews.publish") / "static" / name).read_bytes()


def search_main(query: str, kind: str | None, cards: list[bytes] | None, total: int) -> bytes:
    """The `<main>` of the served search page: the form, the count and the matching cards."""
    options = "".join(
        f'<option value="{k.value}"{" selected" if kind == k.value else ""}>{escape(KIND_LABEL[k.value])}</option>'
        for k in Kind
    )
    head = (
        "<h1>검색</h1>\n"
        f'<form class="find search-form" action="{ROOT}search/" method="get" role="search">'
        f'<input type="search" name="q" value="{escape(query)}" aria-label="검색어"'
        ' placeholder="검색 (예: 추론, LoRA)">'
        f'<select name="kind" aria-label="분류"><option value="">전체</option>{options}</select>'
        '<button type="submit">검색</button></form>\n'
    )
    if cards is None:
        return (head + '<p class="intro">제목, 기관, 요약에서 찾습니다.</p>\n').encode("utf-8")
    shown = f" (상위 {len(cards)}건)" if total > len(cards) else ""
    summary = f'<p class="intro" role="status">“{escape(query)}” 검색 결과 {total}건{shown}</p>\n'
    return (head + summary + '<section class="week">\n').encode("utf-8") + b"".join(cards) + b"</section>\n"


class PublicSiteCache:
    """The `PublicSite` of the archive's current revision, rebuilt after a write.

    Asking SQLite for the revision means opening the archive (about a millisecond) on every
    request, most of a cached page's cost. So `fresh` first looks at the archive's files: when
    neither the database nor its write-ahead log changed since the site was built, and their
    last change is older than `SETTLE` (file times are coarser than writes: a write in the same
    tick as the last look would leave the time unchanged), nothing was written and the site is
    current. Otherwise `load` asks the store, which is always right.
    """

    SETTLE = 2.0  # seconds: generous against file systems with coarse timestamps

    def __init__(self, db: Path, base_url: str) -> None:
        self.db = db
        self.base_url = base_url
        self._lock = threading.Lock()
        self._current: PublicSite | None = None
        self._stamp: tuple[tuple[int, int, int], ...] | None = None

    def _files_stamp(self) -> tuple[tuple[int, int, int], ...] | None:
        """(inode, size, mtime) of the database and its WAL; None while they changed too recently."""
        stamp = []
        newest = 0
        for path in (self.db, self.db.with_name(self.db.name + "-wal")):
            try:
                st = os.stat(path)
            except FileNotFoundError:
                stamp.append((0, 0, 0))
                continue
            stamp.append((st.st_ino, st.st_size, st.st_mtime_ns))
            newest = max(newest, st.st_mtime_ns)
        if time.time_ns() - newest < self.SETTLE * 1e9:
            return None
        return tuple(stamp)

    def fresh(self) -> PublicSite | None:
        """The current site when the archive's files show that nothing was written since it was
        built; None when the store must be asked (`load`)."""
        current, stamp = self._current, self._stamp
        if current is None or stamp is None:
            return None
        return current if self._files_stamp() == stamp else None

    def load(self, store: Store | None = None) -> PublicSite:
        """The site of the archive's revision now, built again when it changed (blocking: call it
        from a worker thread). Opens the archive unless a `store` of the request is given."""
        stamp = self._files_stamp()  # before the read: a write after it shows as a changed stamp
        if store is None:
            with Store(self.db) as own:
                return self._load(own, stamp)
        return self._load(store, stamp)

    def _load(self, store: Store, stamp: tuple[tuple[int, int, int], ...] | None) -> PublicSite:
        revision = store.revision()
        with self._lock:  # one reader rebuilds; the others wait for it rather than all rebuild
            current = self._current
            # revisions only grow: a reader that read an older one than the site's (a write came
            # between two readers) keeps the newer site
            if current is None or revision > current.revision:
                current = PublicSite(load_site_items(store), Site(base_url=self.base_url), revision)
                self._current = current
            if revision == current.revision:
                self._stamp = stamp
            return current
