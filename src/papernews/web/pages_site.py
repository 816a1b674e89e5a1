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
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from markupsafe import escape

from papernews.archive import export_bytes
from papernews.model import Kind, Week
from papernews.publish import paths
from papernews.publish.build import _feed_items  # the build's own choice of feed items
from papernews.publish.cards import KIND_LABEL, ROOT, card_html, item_main, related_li, row_html
from papernews.publish.lists import Group, list_main
from papernews.publish.site import (
    ITEMS_PER_LIST_PAGE,
    STATIC,
    WEEKS_PER_HOME_PAGE,
    Shell,
    Site,
    _related,  # the build's relation of items: same orgs, newest first
    _root,
    description_of,
    environment,
    feed_files,
    week_title,
    weeks_newest_first,
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
        self.env = environment()
        self.shell = Shell(self.env, site)
        self.by_id = {it.id: it for it in self.items}
        self.weeks = weeks_newest_first(self.items)
        self.by_org: dict[str, list[SiteItem]] = defaultdict(list)
        self._by_kind: dict[str, list[SiteItem]] = defaultdict(list)
        self._by_month: dict[tuple[int, int], list[tuple[Week, list[SiteItem]]]] = defaultdict(list)
        self._group_like_the_build()
        self._cards: dict[str, bytes] = {}
        self._rows: dict[str, bytes] = {}
        self._pages = _Lru(PAGE_CACHE_SIZE)
        self._files: dict[str, bytes] = {}
        self._files_lock = threading.Lock()
        self._feeds_made = False
        self._routes = self._route_table()

    # --- the build's grouping (`iter_site`), kept in its order ---------------------------------

    def _group_like_the_build(self) -> None:
        for week, week_items in self.weeks:
            self._by_month[(week.year, week.month)].append((week, week_items))
            for it in week_items:
                self._file_under_org_and_kind(it)
        for it in self.items:  # no week: after the dated ones, as the build lists them
            if it.week is None:
                self._file_under_org_and_kind(it)

    def _file_under_org_and_kind(self, it: SiteItem) -> None:
        for slug in dict.fromkeys(paths.org_slug(o) for o in it.orgs):
            self.by_org[slug].append(it)
        if it.kind:
            self._by_kind[it.kind.value].append(it)

    def _route_table(self) -> dict[str, Callable[[], bytes]]:
        """Path (relative, as the build writes it, without `index.html`) → how to make the page."""
        routes: dict[str, Callable[[], bytes]] = {}
        for it in self.items:
            routes[it.path] = functools.partial(self._item_page, it)
        for week, its in self.weeks:
            routes[paths.week_path(week)] = functools.partial(self._week_page, week, its)
        for (year, month), blocks in self._by_month.items():
            routes[paths.month_path(year, month)] = functools.partial(self._month_page, year, month, blocks)
        for slug, its in self.by_org.items():
            name = _org_name(slug, its)
            self._add_paged(routes, f"orgs/{slug}/", name, its)
        for kind in Kind:
            self._add_paged(routes, paths.kind_path(kind), KIND_LABEL[kind.value], self._by_kind.get(kind.value, []))
        n_pages = max(1, -(-len(self.weeks) // WEEKS_PER_HOME_PAGE))
        for n in range(1, n_pages + 1):
            routes[paths.home_page_path(n)] = functools.partial(self._home_page, n, n_pages)
        routes["bookmarks/"] = functools.partial(self._template_page, "bookmarks/", "bookmarks.html")
        return routes

    def _add_paged(self, routes: dict[str, Callable[[], bytes]], base: str, heading: str, its: list[SiteItem]) -> None:
        n_pages = max(1, -(-len(its) // ITEMS_PER_LIST_PAGE))
        for n in range(1, n_pages + 1):
            routes[base + paths.home_page_path(n)] = functools.partial(self._paged_page, base, heading, its, n, n_pages)

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

    def card(self, it: SiteItem) -> bytes:
        card = self._cards.get(it.id)
        if card is None:
            card = self._cards[it.id] = card_html(it).encode("utf-8")
        return card

    def _row(self, it: SiteItem) -> bytes:
        row = self._rows.get(it.id)
        if row is None:
            row = self._rows[it.id] = row_html(it).encode("utf-8")
        return row

    def _group(self, title: str, its: list[SiteItem], href: str | None = None) -> Group:
        return Group(title, [self.card(i) for i in its], href, len(its))

    def _compact(self, title: str, its: list[SiteItem], href: str | None = None) -> Group:
        return Group(title, [self._row(i) for i in its], href, len(its), compact=True)

    def _list_page(
        self,
        path: str,
        heading: str,
        groups: list[Group],
        *,
        intro: str | None = None,
        pages: int = 1,
        n: int = 1,
        base: str = "",
    ) -> bytes:
        main = list_main(heading, groups, intro=intro, pages=pages, page=n, base=base)
        title = self.site.title if heading == self.site.title else f"{heading} · {self.site.title}"
        return self.shell.page(path, title=title, main=main)

    def _item_page(self, it: SiteItem) -> bytes:
        related = [related_li(r) for r in _related(it, self.by_org)]
        return self.shell.page(
            it.path,
            title=f"{it.label} · {self.site.title}",
            description=description_of(it),
            og_type="article",
            main=item_main(it, self.card(it), related),
        )

    def _week_page(self, week: Week, its: list[SiteItem]) -> bytes:
        return self._list_page(paths.week_path(week), week_title(week), [self._group(f"{len(its)}개 항목", its)])

    def _month_page(self, year: int, month: int, blocks: list[tuple[Week, list[SiteItem]]]) -> bytes:
        groups = [self._compact(w.display_label, g, paths.week_path(w)) for w, g in blocks]
        return self._list_page(paths.month_path(year, month), f"{year}년 {month}월", groups)

    def _paged_page(self, base: str, heading: str, its: list[SiteItem], n: int, n_pages: int) -> bytes:
        chunk = its[(n - 1) * ITEMS_PER_LIST_PAGE : n * ITEMS_PER_LIST_PAGE]
        return self._list_page(
            base + paths.home_page_path(n),
            heading,
            [self._compact("", chunk)],
            intro=f"{len(its)}개 항목",
            pages=n_pages,
            n=n,
            base=base,
        )

    def _home_page(self, n: int, n_pages: int) -> bytes:
        """The home page without the charts: drawing them (matplotlib) is the build's job."""
        chunk = self.weeks[(n - 1) * WEEKS_PER_HOME_PAGE : n * WEEKS_PER_HOME_PAGE]
        groups = [self._group(week_title(w), g, paths.week_path(w)) for w, g in chunk]
        return self._list_page(
            paths.home_page_path(n), self.site.title, groups, intro=self.site.description, pages=n_pages, n=n
        )

    def _template_page(self, path: str, template: str) -> bytes:
        html = self.env.get_template(template).render(
            site=self.site,
            path=path,
            root=_root(path),
            description=self.site.description,
            og_type="website",
            head="",
            main="",
        )
        return html.encode("utf-8")

    def not_found(self, root: str) -> bytes:
        """The site's 404 page; `root`: where this server serves the site (its links are absolute)."""
        html = self.env.get_template("404.html").render(
            site=self.site,
            path="404.html",
            root=root,
            description=self.site.description,
            og_type="website",
            head="",
            main="",
        )
        return html.encode("utf-8")

    def search_page(self, query: str, kind: str | None, found: list[str] | None, total: int) -> bytes:
        """Search served from the archive's full-text index: the static site's search page needs
        Pagefind's files, which only the build writes. `found`: ids best first, None before a query."""
        cards = None if found is None else [self.card(self.by_id[i]) for i in found if i in self.by_id]
        main = search_main(query, kind, cards, total)
        title = f"“{query}” 검색 · {self.site.title}" if query else f"검색 · {self.site.title}"
        return self.shell.page("search/", title=title, main=main, head=SEARCH_HEAD)

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
                self._files.update(feed_files(_feed_items(store, self.items), self.site))
                self._feeds_made = True
            return self._files.get(name)


def asset(name: str) -> bytes | None:
    """The site's CSS, JS and icon, from the publish package (what the build copies to `assets/`)."""
    return _asset_bytes(name) if name in STATIC else None


@functools.cache
def _asset_bytes(name: str) -> bytes:
    return (resources.files("papernews.publish") / "static" / name).read_bytes()


def _org_name(slug: str, its: list[SiteItem]) -> str:
    """The heading of an org page: its most used spelling (as the build names it)."""
    spellings = Counter(o for it in its for o in it.orgs if paths.org_slug(o) == slug)
    return max(spellings, key=lambda o: (spellings[o], o))


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
