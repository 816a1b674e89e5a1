"""The static site as a pure function: items in, {relative path: bytes} out.

Nothing here reads a clock or the file system, so the same archive gives the same bytes
(the build is deterministic) and the writer can skip every file whose bytes did not change
(the build is incremental). Every string from an item goes through Jinja2's autoescaping;
bullet text through `inline_html`, which makes anchors of http(s) links only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from papernews.model import Item, Kind, Week, walk_bullets
from papernews.publish import feeds, paths
from papernews.publish.feeds import SiteInfo
from papernews.publish.inline import inline_html, safe_url

KIND_LABEL = {"paper": "📜 논문", "dev": "🧑🏻‍💻 개발", "news": "🗞️ 뉴스"}
WEEKS_PER_HOME_PAGE = 4
ITEMS_PER_LIST_PAGE = 50
RELATED = 5
STATIC = ("site.css", "site.js", "favicon.svg")


# The site's identity is the one the feeds use (base URL, title, description, language).
Site = SiteInfo
FEED_ITEMS = 50


@dataclass
class Group:
    title: str
    items: list[Item]
    href: str | None = None


@dataclass
class Pages:
    files: dict[str, bytes] = field(default_factory=dict)

    def add(self, path: str, text: str) -> None:
        self.files[path] = text.encode("utf-8")


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
    env.filters["inline"] = inline_html
    env.filters["safe_url"] = safe_url
    env.filters["week_path"] = paths.week_path
    env.filters["org_path"] = paths.org_path
    env.globals["kind_label"] = KIND_LABEL
    return env


def _chrono_key(week: Week | None) -> tuple[int, int, int]:
    return (week.year, week.month, week.weeks[0]) if week else (0, 0, 0)


def week_title(week: Week) -> str:
    return f"{week.year}년 {week.month}월 {week.display_label}"


def weeks_newest_first(items: Iterable[Item]) -> list[tuple[Week, list[Item]]]:
    """Items grouped by week block, newest block first; items keep their archive order."""
    groups: dict[str, tuple[Week, list[Item]]] = {}
    for it in items:
        if it.week is None:
            continue
        groups.setdefault(it.week.key, (it.week, []))[1].append(it)
    return sorted(groups.values(), key=lambda g: _chrono_key(g[0]), reverse=True)


def description_of(item: Item) -> str:
    texts = [b.text for _, b in walk_bullets(item.bullets)]
    return (" ".join(texts) or item.title)[:200]


def related_items(item: Item, by_org: dict[str, list[Item]], limit: int = RELATED) -> list[Item]:
    """Other items of the same orgs, newest first: the cheapest relation the archive knows."""
    seen = {item.id}
    out: list[Item] = []
    for org in item.orgs:
        for other in by_org.get(paths.org_slug(org), []):
            if other.id not in seen:
                seen.add(other.id)
                out.append(other)
    out.sort(key=lambda i: _chrono_key(i.week), reverse=True)
    return out[:limit]


def _root(path: str) -> str:
    """Relative prefix from a page at `path` (`a/b/`) to the site root, so the site works under
    any base path (GitHub Pages project sites) and from the file system."""
    return "../" * path.count("/") or "./"


def render_site(items: list[Item], site: Site, *, extra_files: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every page of the site, keyed by its path relative to the output folder."""
    env = environment()
    pages = Pages()
    ctx_base: dict[str, Any] = {"site": site}

    def page(path: str, template: str, **ctx: Any) -> None:
        html = env.get_template(template).render(**ctx_base, path=path, root=_root(path), **ctx)
        pages.add(f"{path}index.html", html)

    weeks = weeks_newest_first(items)
    by_org: dict[str, list[Item]] = defaultdict(list)  # keyed by org slug: spellings merge
    by_kind: dict[str, list[Item]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[tuple[Week, list[Item]]]] = defaultdict(list)
    for week, group in weeks:
        by_month[(week.year, week.month)].append((week, group))
        for it in group:
            for org in it.orgs:
                by_org[paths.org_slug(org)].append(it)
            if it.kind:
                by_kind[it.kind.value].append(it)

    # home: the latest weeks, newest first, a few weeks a page
    n_pages = max(1, -(-len(weeks) // WEEKS_PER_HOME_PAGE))
    for n in range(1, n_pages + 1):
        chunk = weeks[(n - 1) * WEEKS_PER_HOME_PAGE : n * WEEKS_PER_HOME_PAGE]
        groups = [Group(week_title(w), g, paths.week_path(w)) for w, g in chunk]
        page(
            paths.home_page_path(n),
            "list.html",
            heading=site.title,
            intro=site.description,
            groups=groups,
            pages=n_pages,
            page=n,
            base="",
            charts=[],
        )

    for week, group in weeks:
        page(
            paths.week_path(week),
            "list.html",
            heading=week_title(week),
            intro=None,
            groups=[Group(f"{len(group)}개 항목", group)],
            pages=1,
            page=1,
            base="",
            charts=[],
        )
    for (year, month), blocks in by_month.items():
        groups = [Group(w.display_label, g, paths.week_path(w)) for w, g in blocks]
        page(
            paths.month_path(year, month),
            "list.html",
            heading=f"{year}년 {month}월",
            intro=None,
            groups=groups,
            pages=1,
            page=1,
            base="",
            charts=[],
        )
    for slug, its in by_org.items():
        spellings = Counter(o for it in its for o in it.orgs if paths.org_slug(o) == slug)
        name = max(spellings, key=lambda o: (spellings[o], o))
        _paged_list(page, f"orgs/{slug}/", name, its)
    for kind in Kind:
        _paged_list(page, paths.kind_path(kind), KIND_LABEL[kind.value], by_kind.get(kind.value, []))
    for it in items:  # every item has its permalink, with or without a week
        page(
            paths.item_path(it.id),
            "item.html",
            item=it,
            description=description_of(it),
            related=related_items(it, by_org),
        )
    page("bookmarks/", "bookmarks.html")
    page("search/", "search.html")
    not_found = env.get_template("404.html").render(**ctx_base, path="404.html", root=site.base_url)
    pages.add("404.html", not_found)
    latest = [it for _, group in weeks for it in group]
    pages.files.update(feed_files(latest, site))
    html_pages = sorted(p for p in pages.files if p.endswith("index.html"))
    pages.add("sitemap.xml", feeds.sitemap_xml([site.base_url + p[: -len("index.html")] for p in html_pages]))
    pages.add("robots.txt", feeds.robots_txt(site))
    for name in STATIC:
        pages.files[f"assets/{name}"] = (resources.files("papernews.publish") / "static" / name).read_bytes()
    pages.files.update(extra_files or {})
    return pages.files


def feed_files(latest: list[Item], site: SiteInfo) -> dict[str, bytes]:
    """Atom, RSS and JSON Feed of the latest items, for all kinds and per kind."""
    out: dict[str, bytes] = {}
    for kind in (None, *Kind):
        chosen = [it for it in latest if kind is None or it.kind == kind][:FEED_ITEMS]
        folder = "" if kind is None else paths.kind_path(kind)
        for name, make in (("feed.xml", feeds.atom_feed), ("rss.xml", feeds.rss_feed), ("feed.json", feeds.json_feed)):
            text = make(chosen, site, kind=kind, feed_url=site.base_url + folder + name)
            out[folder + name] = text.encode("utf-8")
    return out


def _paged_list(page: Any, base: str, heading: str, items: list[Item]) -> None:
    ordered = sorted(items, key=lambda i: _chrono_key(i.week), reverse=True)
    n_pages = max(1, -(-len(ordered) // ITEMS_PER_LIST_PAGE))
    for n in range(1, n_pages + 1):
        chunk = ordered[(n - 1) * ITEMS_PER_LIST_PAGE : n * ITEMS_PER_LIST_PAGE]
        path = base + paths.home_page_path(n)
        page(
            path,
            "list.html",
            heading=heading,
            intro=f"{len(ordered)}개 항목",
            groups=[Group("", chunk)],
            pages=n_pages,
            page=n,
            base=base,
            charts=[],
        )
