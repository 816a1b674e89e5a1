"""The static site as a pure function: items in, (relative path, bytes) pairs out, one at a time.

Nothing here reads a clock or the file system, so the same archive gives the same bytes
(the build is deterministic) and the writer can skip every file whose bytes did not change
(the build is incremental). Pages are yielded as they are made, so a 100,000-item site never
sits in memory whole. Every string from an item is escaped (`cards.py`, `lists.py`, Jinja
autoescaping in the few templated pages).

Speed: each item's card is rendered once, as UTF-8 bytes, and reused on every list that shows
it (`lists.py`); the page chrome (`base.html`) is rendered once into a `Shell` whose slots are
filled per page with bytes; links
inside the site are written against the `cards.ROOT` placeholder, replaced per page by the
relative way back to the root (so the site works under any base path and from disk).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from papernews.model import Item, Kind, Week, week_order
from papernews.publish import feeds, paths
from papernews.publish.cards import KIND_LABEL, ROOT, card_html, item_main, related_li, row_html
from papernews.publish.charts import Chart
from papernews.publish.feeds import SiteInfo
from papernews.publish.lists import Group, list_main
from papernews.publish.view import SiteItem, from_items

WEEKS_PER_HOME_PAGE = 4
ITEMS_PER_LIST_PAGE = 100  # org and kind pages: one line per item (`cards.row_html`)
RELATED = 5
FEED_ITEMS = 50
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)
STATIC = ("site.css", "site.js", "favicon.svg")

# The site's identity is the one the feeds use (base URL, title, description, language).
Site = SiteInfo


def environment() -> Environment:
    folder = resources.files("papernews.publish") / "templates"
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["kind_label"] = KIND_LABEL
    return env


_SLOT_RE = re.compile(r"<!--slot:(\w+)-->")


class Shell:
    """`base.html` rendered once with a marker in each slot, then split: filling a page is a join
    of UTF-8 bytes (the cards and lists are bytes already, see `lists.py`)."""

    SLOTS = ("page_title", "description", "og_type", "head", "main_attrs", "main", "path")

    def __init__(self, env: Environment, site: Site) -> None:
        marks = {name: Markup(f"<!--slot:{name}-->") for name in self.SLOTS}
        html = env.get_template("base.html").render(site=site, root=Markup(ROOT), **marks)
        parts = _SLOT_RE.split(html)
        self._static = [p.encode("utf-8") for p in parts[0::2]]
        self._slots = parts[1::2]
        self._site = site

    def page(
        self,
        path: str,
        *,
        title: str,
        main: bytes,
        description: str | None = None,
        og_type: str = "website",
        head: str = "",
        main_attrs: str = "",
    ) -> bytes:
        values = {
            "page_title": escape(title).encode("utf-8"),
            "description": escape(description if description is not None else self._site.description).encode(),
            "og_type": og_type.encode("utf-8"),
            "head": head.encode("utf-8"),
            "main_attrs": main_attrs.encode("utf-8"),
            "main": main,
            "path": escape(path).encode("utf-8"),
        }
        out = [self._static[0]]
        for name, static in zip(self._slots, self._static[1:], strict=True):
            out.append(values[name])
            out.append(static)
        return b"".join(out).replace(_ROOT_BYTES, root_prefix(path).encode("ascii"))


_ROOT_BYTES = ROOT.encode("ascii")


def week_title(week: Week) -> str:
    return f"{week.year}년 {week.month}월 {week.display_label}"


def weeks_newest_first(items: Sequence[SiteItem]) -> list[tuple[Week, list[SiteItem]]]:
    """Items grouped by week block, newest block first; items keep their archive order."""
    groups: dict[str, tuple[Week, list[SiteItem]]] = {}
    for it in items:
        if it.week is not None:
            groups.setdefault(it.week.key, (it.week, []))[1].append(it)
    return sorted(groups.values(), key=lambda g: week_order(g[0]), reverse=True)


def description_of(item: SiteItem) -> str:
    return (" ".join(item.bullet_texts()) or item.title)[:200]


def root_prefix(path: str) -> str:
    """Relative prefix from a page at `path` (`a/b/`) to the site root, so the site works under
    any base path (GitHub Pages project sites) and from the file system. Public: the app's
    served pages (`web.pages_site`) must link the same way."""
    return "../" * path.count("/") or "./"


def org_name(slug: str, its: Sequence[SiteItem]) -> str:
    """The heading of an org page: its most used spelling (ties: the greatest, so it is stable)."""
    spellings = Counter(o for it in its for o in it.orgs if paths.org_slug(o) == slug)
    return max(spellings, key=lambda o: (spellings[o], o))


def page_count(n: int, per_page: int) -> int:
    """How many pages `n` entries fill, `per_page` a page; an empty list still has its one page."""
    return max(1, -(-n // per_page))


@dataclass
class Grouped:
    """The items as the site's lists show them: week blocks (newest first), and per month, org
    slug (spellings merged) and kind, in list order; items without a week come after the dated
    ones on their orgs' and kind's pages. One function, so the build (`iter_site`) and the app's
    served pages (`web.pages_site`) list the same items in the same order."""

    weeks: list[tuple[Week, list[SiteItem]]]
    by_org: defaultdict[str, list[SiteItem]] = field(default_factory=lambda: defaultdict(list))
    by_kind: defaultdict[str, list[SiteItem]] = field(default_factory=lambda: defaultdict(list))
    by_month: defaultdict[tuple[int, int], list[tuple[Week, list[SiteItem]]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @classmethod
    def of(cls, items: Sequence[SiteItem]) -> Grouped:
        grouped = cls(weeks_newest_first(items))
        for week, week_items in grouped.weeks:
            grouped.by_month[(week.year, week.month)].append((week, week_items))
            for it in week_items:
                grouped._file(it)
        for it in items:  # no week: listed on its orgs' and kind's pages too, after the dated ones
            if it.week is None:
                grouped._file(it)
        return grouped

    def _file(self, it: SiteItem) -> None:
        for slug in dict.fromkeys(paths.org_slug(o) for o in it.orgs):
            self.by_org[slug].append(it)
        if it.kind:
            self.by_kind[it.kind.value].append(it)


class Pages:
    """How each page of the site is made, as bytes: the build (`iter_site`, every page in turn)
    and the app (`web.pages_site`, a page when it is asked for) both call these, so a served
    page is the published page byte for byte. Cards and rows are rendered once per item and
    kept (`cards`, `rows`; the build clears them when the lists are done)."""

    def __init__(self, site: Site, env: Environment | None = None) -> None:
        self.site = site
        self.env = env if env is not None else environment()
        self.shell = Shell(self.env, site)
        self.cards: dict[str, bytes] = {}
        self.rows: dict[str, bytes] = {}

    def card(self, it: SiteItem) -> bytes:
        card = self.cards.get(it.id)
        if card is None:
            card = self.cards[it.id] = card_html(it).encode("utf-8")
        return card

    def row(self, it: SiteItem) -> bytes:
        row = self.rows.get(it.id)
        if row is None:
            row = self.rows[it.id] = row_html(it).encode("utf-8")
        return row

    def group(self, title: str, its: list[SiteItem], href: str | None = None) -> Group:
        return Group(title, [self.card(i) for i in its], href, len(its))

    def compact(self, title: str, its: list[SiteItem], href: str | None = None) -> Group:
        return Group(title, [self.row(i) for i in its], href, len(its), compact=True)

    def item_page(self, it: SiteItem, related: list[bytes]) -> bytes:
        """An item's permalink page; `related`: the `<li>`s of `related_items` (the build keeps them)."""
        return self.shell.page(
            it.path,
            title=f"{it.label} · {self.site.title}",
            description=description_of(it),
            og_type="article",
            main=item_main(it, self.card(it), related),
        )

    def list_page(
        self,
        path: str,
        heading: str,
        groups: list[Group],
        *,
        intro: str | None = None,
        pages: int = 1,
        n: int = 1,
        base: str = "",
        charts: Sequence[Chart] = (),
    ) -> bytes:
        main = list_main(heading, groups, intro=intro, charts=charts, pages=pages, page=n, base=base)
        title = self.site.title if heading == self.site.title else f"{heading} · {self.site.title}"
        return self.shell.page(path, title=title, main=main)

    def week_page(self, week: Week, its: list[SiteItem]) -> bytes:
        return self.list_page(paths.week_path(week), week_title(week), [self.group(f"{len(its)}개 항목", its)])

    def month_page(self, year: int, month: int, blocks: list[tuple[Week, list[SiteItem]]]) -> bytes:
        groups = [self.compact(w.display_label, g, paths.week_path(w)) for w, g in blocks]
        return self.list_page(paths.month_path(year, month), f"{year}년 {month}월", groups)

    def paged_page(self, base: str, heading: str, its: list[SiteItem], n: int, n_pages: int) -> bytes:
        """Page `n` of an org's or kind's list (`base`): one row per item, 100 a page."""
        chunk = its[(n - 1) * ITEMS_PER_LIST_PAGE : n * ITEMS_PER_LIST_PAGE]
        return self.list_page(
            base + paths.home_page_path(n),
            heading,
            [self.compact("", chunk)],
            intro=f"{len(its)}개 항목",
            pages=n_pages,
            n=n,
            base=base,
        )

    def home_page(
        self, weeks: list[tuple[Week, list[SiteItem]]], n: int, n_pages: int, charts: Sequence[Chart] = ()
    ) -> bytes:
        """Page `n` of the home page: a few weeks a page, newest first (the charts on the first)."""
        chunk = weeks[(n - 1) * WEEKS_PER_HOME_PAGE : n * WEEKS_PER_HOME_PAGE]
        groups = [self.group(week_title(w), g, paths.week_path(w)) for w, g in chunk]
        return self.list_page(
            paths.home_page_path(n),
            self.site.title,
            groups,
            intro=self.site.description,
            pages=n_pages,
            n=n,
            charts=charts,
        )

    def template_page(self, path: str, template: str, *, root: str | None = None, **ctx: Any) -> bytes:
        """A page of its own template (bookmarks, search, 404); `root`: where its links start
        (default: relative to `path`; the 404 page, served from any depth, links absolutely)."""
        html = self.env.get_template(template).render(
            site=self.site,
            path=path,
            root=root_prefix(path) if root is None else root,
            description=self.site.description,
            og_type="website",
            head="",
            main="",
            **ctx,
        )
        return html.encode("utf-8")


@dataclass
class SiteParts:
    """What the build knows beyond the items: feeds' items, charts, search shards, extra files."""

    feed_items: list[Item] = field(default_factory=list)  # newest first
    charts: list[Chart] | Callable[[], list[Chart]] = field(default_factory=list)  # a callable: drawn meanwhile
    search_shards: int = 1
    extra_files: dict[str, bytes] | Callable[[], dict[str, bytes]] = field(default_factory=dict)


def iter_site(items: Sequence[SiteItem], site: Site, parts: SiteParts) -> Iterator[tuple[str, bytes]]:
    """Every file of the site: item pages first, then the lists; the home page (charts) and the
    exports come last, so the processes drawing and exporting them have the most time."""
    pages = Pages(site)
    html_pages: list[str] = []

    def page(path: str, body: bytes) -> tuple[str, bytes]:
        html_pages.append(path)
        return f"{path}index.html", body

    grouped = Grouped.of(items)
    weeks = grouped.weeks
    related_lis: dict[str, bytes] = {}

    def related_of(other: SiteItem) -> bytes:
        li = related_lis.get(other.id)
        if li is None:
            li = related_lis[other.id] = related_li(other)
        return li

    for it in items:  # every item has its permalink, with or without a week
        related = [related_of(r) for r in related_items(it, grouped.by_org)]
        yield page(it.path, pages.item_page(it, related))
    related_lis.clear()

    for week, its in weeks:
        yield page(paths.week_path(week), pages.week_page(week, its))
    for (year, month), blocks in grouped.by_month.items():
        yield page(paths.month_path(year, month), pages.month_page(year, month, blocks))
    for slug, its in grouped.by_org.items():
        yield from _paged_list(page, pages, f"orgs/{slug}/", org_name(slug, its), its)
    for kind in Kind:
        yield from _paged_list(
            page, pages, paths.kind_path(kind), KIND_LABEL[kind.value], grouped.by_kind.get(kind.value, [])
        )
    # home: the latest weeks, newest first, a few weeks a page; the charts on the first
    # (last of the lists: the charts are drawn by another process meanwhile)
    charts = parts.charts() if callable(parts.charts) else parts.charts
    n_pages = page_count(len(weeks), WEEKS_PER_HOME_PAGE)
    for n in range(1, n_pages + 1):
        yield page(paths.home_page_path(n), pages.home_page(weeks, n, n_pages, charts if n == 1 else ()))
    pages.cards.clear()
    pages.rows.clear()

    yield page("bookmarks/", pages.template_page("bookmarks/", "bookmarks.html"))
    yield page("search/", pages.template_page("search/", "search.html", search_shards=parts.search_shards))
    yield "404.html", pages.template_page("404.html", "404.html", root=site.base_url)
    yield from feed_files(parts.feed_items, site).items()
    yield from sitemap_files(site, html_pages)
    yield "robots.txt", feeds.robots_txt(site).encode("utf-8")
    for name in STATIC:
        yield f"assets/{name}", (resources.files("papernews.publish") / "static" / name).read_bytes()
    yield from (parts.extra_files() if callable(parts.extra_files) else parts.extra_files).items()


def related_items(item: SiteItem, by_org: dict[str, list[SiteItem]], limit: int = RELATED) -> list[SiteItem]:
    """Other items of the same orgs, newest first: the cheapest relation the archive knows
    (public: the app's item pages relate items as the build does).

    The org lists are newest first already, so only their first few entries are looked at:
    an org with 10,000 items costs no more than one with ten."""
    seen = {item.id}
    out: list[SiteItem] = []
    for slug in dict.fromkeys(paths.org_slug(o) for o in item.orgs):
        taken = 0
        for other in by_org.get(slug, ()):
            if other.id not in seen:
                seen.add(other.id)
                out.append(other)
                taken += 1
                if taken == limit:
                    break
    out.sort(key=lambda i: week_order(i.week), reverse=True)
    return out[:limit]


def feed_files(latest: Sequence[Item], site: SiteInfo) -> dict[str, bytes]:
    """Atom, RSS and JSON Feed of the latest items, for all kinds and per kind."""
    out: dict[str, bytes] = {}
    for kind in (None, *Kind):
        chosen = [it for it in latest if kind is None or it.kind == kind][:FEED_ITEMS]
        folder = "" if kind is None else paths.kind_path(kind)
        for name, make in (("feed.xml", feeds.atom_feed), ("rss.xml", feeds.rss_feed), ("feed.json", feeds.json_feed)):
            text = make(chosen, site, kind=kind, feed_url=site.base_url + folder + name)
            out[folder + name] = text.encode("utf-8")
    return out


def sitemap_files(site: SiteInfo, pages: list[str]) -> Iterator[tuple[str, bytes]]:
    """`sitemap.xml`; past 50,000 URLs, an index of `sitemap-N.xml` files (the protocol's limit)."""
    urls = [site.base_url + p for p in sorted(pages)]
    if len(urls) <= SITEMAP_LIMIT:
        yield "sitemap.xml", feeds.sitemap_xml(urls).encode("utf-8")
        return
    names = []
    for n, start in enumerate(range(0, len(urls), SITEMAP_LIMIT), 1):
        names.append(f"sitemap-{n}.xml")
        yield names[-1], feeds.sitemap_xml(urls[start : start + SITEMAP_LIMIT]).encode("utf-8")
    yield "sitemap.xml", feeds.sitemap_index_xml([site.base_url + n for n in names]).encode("utf-8")


def _paged_list(
    page: Callable[[str, bytes], tuple[str, bytes]], pages: Pages, base: str, heading: str, items: list[SiteItem]
) -> Iterator[tuple[str, bytes]]:
    n_pages = page_count(len(items), ITEMS_PER_LIST_PAGE)
    for n in range(1, n_pages + 1):
        yield page(base + paths.home_page_path(n), pages.paged_page(base, heading, items, n, n_pages))


def render_site(
    items: Sequence[Item], site: Site, *, extra_files: dict[str, bytes] | None = None, charts: Sequence[Chart] = ()
) -> dict[str, bytes]:
    """The whole site in memory, for tests and small archives: `iter_site` over pydantic items."""
    newest = sorted(items, key=lambda i: week_order(i.week), reverse=True)
    parts = SiteParts(feed_items=newest, charts=list(charts), extra_files=dict(extra_files or {}))
    return dict(iter_site(from_items(items), site, parts))
