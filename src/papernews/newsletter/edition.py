"""A week's items → an `Edition`: what the email says, grouped by kind, with every link absolute.
Pure: the templates (`render.py`) only lay it out.

Each item links to its permalink on the site (the reader's way into the archive, related items,
search), and to its source as a second link. Bullet text keeps its Markdown links: as escaped
HTML anchors (http(s) only, `publish.inline`) and, in the plain-text part, as `label <url>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from papernews.model import Item, Kind, Week, walk_bullets
from papernews.publish.feeds import SiteInfo, item_permalink
from papernews.publish.inline import inline_html, safe_url
from papernews.publish.paths import week_path
from papernews.social.draft import KIND_MARK, week_heading
from papernews.social.text import markdown_segments

SECTION_TITLES: dict[Kind | None, str] = {
    Kind.PAPER: "Papers",
    Kind.DEV: "Developer blogs & GitHub",
    Kind.NEWS: "News",
    None: "More",
}
PREHEADER_CHARS = 110  # what inboxes show after the subject; longer is cut by them anyway


@dataclass(frozen=True)
class BulletLine:
    level: int
    html: Markup
    text: str


@dataclass(frozen=True)
class Entry:
    id: str
    mark: str
    title: str
    orgs: str
    permalink: str
    source: str | None
    bullets: tuple[BulletLine, ...]


@dataclass(frozen=True)
class Section:
    kind: str
    mark: str
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Edition:
    key: str  # the week key: what the store records sends under
    title: str  # the digest's name
    heading: str  # `September 2024, 3rd week`
    subject: str
    preheader: str
    counts: str  # `24 picks: 14 papers, 9 dev, 1 news`
    week_url: str
    site_url: str
    sections: tuple[Section, ...]
    unsubscribe: str | None = None

    @property
    def count(self) -> int:
        return sum(len(s.entries) for s in self.sections)


def plain_text(markdown: str) -> str:
    """Bullet Markdown for the plain-text part: `[label](url)` → `label <url>` (just `label` when
    the URL is not http(s)); links are found by the scan post text uses (`social.text`)."""
    return "".join(
        (f"{seg.text} <{seg.url}>" if safe_url(seg.url) else seg.text) if seg.markdown and seg.url else seg.text
        for seg in markdown_segments(markdown)
    )


def entry(item: Item, site: SiteInfo) -> Entry:
    return Entry(
        id=item.id,
        mark=KIND_MARK.get(item.kind, "") if item.kind else "",
        title=item.title.strip(),
        orgs=item.org_text,
        permalink=item_permalink(site, item),
        source=safe_url(item.url),
        bullets=tuple(
            BulletLine(lvl, inline_html(b.text), plain_text(b.text)) for lvl, b in walk_bullets(item.bullets)
        ),
    )


def _counts(items: Sequence[Item]) -> str:
    names = {Kind.PAPER: ("paper", "papers"), Kind.DEV: ("dev", "dev"), Kind.NEWS: ("news", "news")}
    parts = []
    for kind, (one, many) in names.items():
        n = sum(1 for it in items if it.kind == kind)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    total = len(items)
    return f"{total} {'pick' if total == 1 else 'picks'}: " + ", ".join(parts) if parts else f"{total} picks"


def _preheader(items: Sequence[Item]) -> str:
    text = " · ".join(it.title.strip() for it in items[:4])
    if len(text) <= PREHEADER_CHARS:
        return text
    cut = text[: PREHEADER_CHARS - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > PREHEADER_CHARS // 2 else cut).rstrip(" ·,:") + "…"


def build_edition(
    items: Sequence[Item], week: Week, site: SiteInfo, *, title: str | None = None, unsubscribe: str | None = None
) -> Edition:
    """The edition of `week` (items in digest order, grouped by kind: papers, dev, news, the rest)."""
    name = title or site.title
    heading = week_heading(week)
    groups: dict[Kind | None, list[Entry]] = {k: [] for k in SECTION_TITLES}
    for it in items:
        groups[it.kind if it.kind in SECTION_TITLES else None].append(entry(it, site))
    sections = tuple(
        Section(
            kind=k.value if k else "other",
            mark=KIND_MARK[k] if k else "",
            title=SECTION_TITLES[k],
            entries=tuple(entries),
        )
        for k, entries in groups.items()
        if entries
    )
    return Edition(
        key=week.key,
        title=name,
        heading=heading,
        subject=f"{name} · {heading} ({len(items)} {'pick' if len(items) == 1 else 'picks'})",
        preheader=_preheader(items),
        counts=_counts(items),
        week_url=site.base_url + quote(week_path(week)),
        site_url=site.base_url,
        sections=sections,
        unsubscribe=unsubscribe,
    )
