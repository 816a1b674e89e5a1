"""The HTML of one item: its card (in every list) and its permalink page's main part.

Written as Python rather than Jinja macros on purpose: a card is rendered once per item and
reused on every page that lists it, and at 100,000 items a macro call (~160 µs) alone would
take most of the build's time budget; these functions take ~15 µs. Every string from the
item goes through `html.escape` (text and attributes, quotes included) or `inline_str` (bullets); hrefs only
through `safe_url`. Links inside the site start with `ROOT`, a placeholder each page
replaces with its own relative way to the site root: an HTML comment, which no escaped
item text can contain (its `<` is always `&lt;`).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape  # str in, str out: markupsafe's escape builds a Markup object per call, 2x slower here

from papernews.publish import paths
from papernews.publish.inline import inline_str, safe_url
from papernews.publish.view import BulletTree, SiteItem

ROOT = "<!--root-->"
KIND_LABEL = {"paper": "📜 논문", "dev": "🧑🏻‍💻 개발", "news": "🗞️ 뉴스"}


def week_text(item: SiteItem) -> str:
    w = item.week
    return f"{w.year}년 {w.month}월 {w.display_label}" if w else ""


def bullets_html(bullets: BulletTree, cls: str = ' class="bullets"') -> str:
    if not bullets:
        return ""
    lis = "".join(f"<li>{inline_str(text)}{bullets_html(children, '')}</li>" for text, children in bullets)
    return f"<ul{cls}>{lis}</ul>"


def _meta_line(item: SiteItem) -> str:
    parts: list[str] = []
    if item.kind:
        k = item.kind.value
        parts.append(f'<a class="badge kind" href="{ROOT}kinds/{k}/">{KIND_LABEL[k]}</a>')
    for org in item.orgs:
        parts.append(f'<a class="badge org" href="{ROOT}{escape(paths.org_path(org))}">{escape(org)}</a>')
    if item.week:
        parts.append(f'<a class="week" href="{ROOT}{paths.week_path(item.week)}">{escape(week_text(item))}</a>')
    return "".join(parts)


def card_html(item: SiteItem) -> str:
    kind = item.kind.value if item.kind else "none"
    out = safe_url(item.url)
    link_out = f'<a class="out" href="{escape(out)}" rel="noopener nofollow">원문 ↗</a>' if out else ""
    item_id, path = escape(item.id), escape(item.path)
    return (
        f'<article class="card kind-{kind}" data-id="{item_id}">\n'
        f'  <div class="meta">{_meta_line(item)}</div>\n'
        f'  <h3><a href="{ROOT}{path}">{escape(item.label)}</a></h3>\n'
        f"  {bullets_html(item.bullets)}\n"
        f'  <div class="actions" data-pagefind-ignore>{link_out}'
        f'<button type="button" class="bookmark" data-id="{item_id}" data-path="{path}"'
        f' data-title="{escape(item.title)}" aria-pressed="false">☆ 북마크</button></div>\n'
        "</article>\n"
    )


def row_html(item: SiteItem) -> str:
    """One line of a long list (an org's, a kind's, a month's items): kind, title, orgs, week.

    Those pages list hundreds or thousands of items, where whole cards (every bullet) were a
    wall of text to scroll and most of the site's bytes; the card is one click away."""
    kind = item.kind.value if item.kind else "none"
    emoji, _, name = KIND_LABEL.get(kind, "· ").partition(" ")
    orgs = f' <span class="dim">{escape(", ".join(item.orgs))}</span>' if item.orgs else ""
    when = f' <span class="dim when">{escape(week_text(item))}</span>' if item.week else ""
    return (
        f'<li class="kind-{kind}"><span class="k" title="{name}">{emoji}</span> '
        f'<a href="{ROOT}{escape(item.path)}">{escape(item.label)}</a>{orgs}{when}</li>\n'
    )


# what the permalink page shows of `ItemMeta`, in this order, with Korean labels
_META_FIELDS = (
    ("authors", "저자"),
    ("affiliations", "소속"),
    ("published", "발표"),
    ("updated", "수정"),
    ("venue", "학회·비고"),
    ("categories", "분야"),
    ("site_name", "사이트"),
    ("language", "언어"),
    ("stars", "GitHub stars"),
    ("topics", "토픽"),
)


def _meta_value(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def meta_html(item: SiteItem) -> str:
    """Authors, abstract and the rest of what is known about the item (issue 4 fetches it)."""
    rows = [
        f"<dt>{label}</dt><dd>{escape(_meta_value(item.meta[key]))}</dd>"
        for key, label in _META_FIELDS
        if item.meta.get(key) not in (None, "", [])
    ]
    out = f'<dl class="item-meta">{"".join(rows)}</dl>' if rows else ""
    abstract = item.meta.get("abstract") or item.meta.get("description")
    if abstract:
        heading = "초록" if item.meta.get("abstract") else "설명"
        out += f'<section class="abstract"><h2>{heading}</h2><p>{escape(abstract)}</p></section>'
    return out


_RELATED_OPEN = '<section class="related" data-pagefind-ignore><h2>관련 항목</h2><ul>'.encode()
_RELATED_CLOSE = b"</ul></section>\n"


def related_li(item: SiteItem) -> bytes:
    """One line of another page's "관련 항목" list: rendered once per item, like its card."""
    orgs = f' <span class="dim">{escape(", ".join(item.orgs))}</span>' if item.orgs else ""
    return f'<li><a href="{ROOT}{escape(item.path)}">{escape(item.label)}</a>{orgs}</li>'.encode()


def item_main(item: SiteItem, card: bytes, related: Iterable[bytes]) -> bytes:
    """The `<main>` of an item's permalink page; `related`: `related_li` of the related items."""
    crumbs = f'<a href="{ROOT}">홈</a>'
    if item.week:
        crumbs += f' › <a href="{ROOT}{paths.week_path(item.week)}">{escape(week_text(item))}</a>'
    lis = b"".join(related)
    related_html = _RELATED_OPEN + lis + _RELATED_CLOSE if lis else b""
    head = f'<p class="crumbs" data-pagefind-ignore>{crumbs}</p>\n'.encode()
    return head + card + meta_html(item).encode() + related_html
