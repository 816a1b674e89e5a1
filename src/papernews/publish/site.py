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
        return b"".join(out).replace(_ROOT_BYTES, _root(path).encode("ascii"))


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


def _root(path: str) -> str:
    """Relative prefix from a page at `path` (`a/b/`) to the site root, so the site works under
    any base path (GitHub Pages project sites) and from the file system."""
    return "../" * path.count("/") or "./"


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
    env = environment()
    shell = Shell(env, site)
    html_pages: list[str] = []

    def page(path: str, **kw: Any) -> tuple[str, bytes]:
        html_pages.append(path)
        return f"{path}index.html", shell.page(path, **kw)

    weeks = weeks_newest_first(items)
    by_org: dict[str, list[SiteItem]] = defaultdict(list)  # keyed by org slug: spellings merge
    by_kind: dict[str, list[SiteItem]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[tuple[Week, list[SiteItem]]]] = defaultdict(list)
    for week, week_items in weeks:
        by_month[(week.year, week.month)].append((week, week_items))
        for it in week_items:
            for slug in dict.fromkeys(paths.org_slug(o) for o in it.orgs):
                by_org[slug].append(it)
            if it.kind:
                by_kind[it.kind.value].append(it)
    # no week: listed on its orgs' and kind's pages too, after the dated ones
    for it in items:
        if it.week is None:
            for slug in dict.fromkeys(paths.org_slug(o) for o in it.orgs):
                by_org[slug].append(it)
            if it.kind:
                by_kind[it.kind.value].append(it)

    cards: dict[str, bytes] = {}
    related_lis: dict[str, bytes] = {}

    def related_of(other: SiteItem) -> bytes:
        li = related_lis.get(other.id)
        if li is None:
            li = related_lis[other.id] = related_li(other)
        return li

    for it in items:  # every item has its permalink, with or without a week
        card = cards[it.id] = card_html(it).encode("utf-8")
        yield page(
            it.path,
            title=f"{it.label} · {site.title}",
            description=description_of(it),
            og_type="article",
            main=item_main(it, card, [related_of(r) for r in _related(it, by_org)]),
        )
    related_lis.clear()

    def list_page(
        path: str,
        heading: str,
        groups: list[Group],
        *,
        intro: str | None = None,
        pages: int = 1,
        n: int = 1,
        base: str = "",
        charts: Sequence[Chart] = (),
    ) -> tuple[str, bytes]:
        main = list_main(heading, groups, intro=intro, charts=charts, pages=pages, page=n, base=base)
        title = site.title if heading == site.title else f"{heading} · {site.title}"
        return page(path, title=title, main=main)

    def group(title: str, its: list[SiteItem], href: str | None = None) -> Group:
        return Group(title, [cards[i.id] for i in its], href, len(its))

    rows: dict[str, bytes] = {}

    def row(it: SiteItem) -> bytes:
        line = rows.get(it.id)
        if line is None:
            line = rows[it.id] = row_html(it).encode("utf-8")
        return line

    def compact(title: str, its: list[SiteItem], href: str | None = None) -> Group:
        return Group(title, [row(i) for i in its], href, len(its), compact=True)

    for week, its in weeks:
        yield list_page(paths.week_path(week), week_title(week), [group(f"{len(its)}개 항목", its)])
    for (year, month), blocks in by_month.items():
        groups = [compact(w.display_label, g, paths.week_path(w)) for w, g in blocks]
        yield list_page(paths.month_path(year, month), f"{year}년 {month}월", groups)
    for slug, its in by_org.items():
        spellings = Counter(o for it in its for o in it.orgs if paths.org_slug(o) == slug)
        name = max(spellings, key=lambda o: (spellings[o], o))
        yield from _paged_list(list_page, compact, f"orgs/{slug}/", name, its)
    for kind in Kind:
        yield from _paged_list(
            list_page, compact, paths.kind_path(kind), KIND_LABEL[kind.value], by_kind.get(kind.value, [])
        )
    # home: the latest weeks, newest first, a few weeks a page; the charts on the first
    # (last of the lists: the charts are drawn by another process meanwhile)
    charts = parts.charts() if callable(parts.charts) else parts.charts
    n_pages = max(1, -(-len(weeks) // WEEKS_PER_HOME_PAGE))
    for n in range(1, n_pages + 1):
        chunk = weeks[(n - 1) * WEEKS_PER_HOME_PAGE : n * WEEKS_PER_HOME_PAGE]
        groups = [group(week_title(w), g, paths.week_path(w)) for w, g in chunk]
        yield list_page(
            paths.home_page_path(n),
            site.title,
            groups,
            intro=site.description,
            pages=n_pages,
            n=n,
            charts=charts if n == 1 else (),
        )
    cards.clear()
    rows.clear()

    def template_page(path: str, template: str, **ctx: Any) -> tuple[str, bytes]:
        html = env.get_template(template).render(
            site=site,
            path=path,
            root=_root(path),
            description=site.description,
            og_type="website",
            head="",
            main="",
            **ctx,
        )
        html_pages.append(path)
        return f"{path}index.html", html.encode("utf-8")

    yield template_page("bookmarks/", "bookmarks.html")
    yield template_page("search/", "search.html", search_shards=parts.search_shards)
    not_found = env.get_template("404.html").render(
        site=site,
        path="404.html",
        root=site.base_url,
        description=site.description,
        og_type="website",
        head="",
        main="",
    )
    yield "404.html", not_found.encode("utf-8")
    yield from feed_files(parts.feed_items, site).items()
    yield from sitemap_files(site, html_pages)
    yield "robots.txt", feeds.robots_txt(site).encode("utf-8")
    for name in STATIC:
        yield f"assets/{name}", (resources.files("papernews.publish") / "static" / name).read_bytes()
    yield from (parts.extra_files() if callable(parts.extra_files) else parts.extra_files).items()


def _related(item: SiteItem, by_org: dict[str, list[SiteItem]], limit: int = RELATED) -> list[SiteItem]:
    """Other items of the same orgs, newest first: the cheapest relation the archive knows.

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
    list_page: Any, group: Any, base: str, heading: str, items: list[SiteItem]
) -> Iterator[tuple[str, bytes]]:
    n_pages = max(1, -(-len(items) // ITEMS_PER_LIST_PAGE))
    for n in range(1, n_pages + 1):
        chunk = items[(n - 1) * ITEMS_PER_LIST_PAGE : n * ITEMS_PER_LIST_PAGE]
        yield list_page(
            base + paths.home_page_path(n),
            heading,
            [group("", chunk)],
            intro=f"{len(items)}개 항목",
            pages=n_pages,
            n=n,
            base=base,
        )


def render_site(
    items: Sequence[Item], site: Site, *, extra_files: dict[str, bytes] | None = None, charts: Sequence[Chart] = ()
) -> dict[str, bytes]:
    """The whole site in memory, for tests and small archives: `iter_site` over pydantic items."""
    newest = sorted(items, key=lambda i: week_order(i.week), reverse=True)
    parts = SiteParts(feed_items=newest, charts=list(charts), extra_files=dict(extra_files or {}))
    return dict(iter_site(from_items(items), site, parts))
