"""The main part of a list page (home, week, month, org, kind), assembled as UTF-8 bytes.

A list page is mostly cards that were rendered once (`cards.card_html`) and are reused on
every page that shows them: at 100,000 items the lists repeat each card five times or more.
Keeping the cards as UTF-8 bytes and joining bytes makes a page mostly a copy: as `str`, a
card holding an emoji is stored at four bytes per character, and every page had to be
encoded again. The few strings of the page itself go through markupsafe's `escape`, the
escaping Jinja autoescaping applies in the other templates, so both kinds of page escape alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import escape

from papernews.publish.cards import ROOT
from papernews.publish.charts import Chart


@dataclass
class Group:
    """A section of a list page: a week on the home page, or all the cards of an org page."""

    title: str
    cards: list[bytes]  # `cards.card_html`, or `cards.row_html` when `compact`
    href: str | None = None  # relative to the site root
    count: int = 0
    compact: bool = False


def pager_numbers(pages: int, current: int, around: int = 3) -> list[int | None]:
    """First, last and `around` pages either side of the current one; None marks a gap."""
    if pages < 1:
        return []
    low, high = max(1, current - around), min(pages, current + around)
    out: list[int | None] = []
    if low > 1:
        out.append(1)
        if low > 2:
            out.append(None)
    out.extend(range(low, high + 1))
    if high < pages:
        if high < pages - 1:
            out.append(None)
        out.append(pages)
    return out


def pager_html(pages: int, current: int, base: str) -> str:
    """Previous, numbered and next links; nothing for a single page. `base`: the list's folder."""
    numbers = pager_numbers(pages, current)
    if len(numbers) <= 1:
        return ""
    prefix = f"{ROOT}{escape(base)}"

    def href(n: int) -> str:
        return prefix if n == 1 else f"{prefix}page/{n}/"

    out = ['<nav class="pager" aria-label="페이지">\n']
    if current > 1:
        out.append(f'<a rel="prev" href="{href(current - 1)}">← 이전</a> ')
    for n in numbers:
        if n is None:
            out.append("… ")
        elif n == current:
            out.append(f'<span aria-current="page">{n}</span> ')
        else:
            out.append(f'<a href="{href(n)}">{n}</a> ')
    if current < pages:
        out.append(f'<a rel="next" href="{href(current + 1)}">다음 →</a>')
    out.append("</nav>")
    return "".join(out)


def list_main(
    heading: str,
    groups: Sequence[Group],
    *,
    intro: str | None = None,
    charts: Sequence[Chart] = (),  # their SVG is clean already (`charts.clean_svg`): inserted as is
    pages: int = 1,
    page: int = 1,
    base: str = "",
) -> bytes:
    """The `<main>` content of a list page; links inside the site start with `cards.ROOT`."""
    out: list[bytes] = []
    head = f"<h1>{escape(heading)}</h1>\n"
    if intro:
        head += f'<p class="intro">{escape(intro)}</p>'
    if charts:
        figures = "".join(f"<figure>{c.svg}<figcaption>{escape(c.caption)}</figcaption></figure>" for c in charts)
        head += f'<section class="charts">{figures}</section>'
    out.append(head.encode("utf-8"))
    for group in groups:
        top = '<section class="week">\n'
        if group.title:
            title = str(escape(group.title))
            if group.href:
                title = f'<a href="{ROOT}{escape(group.href)}">{title}</a>'
            top += f'<h2>{title} <span class="count">{group.count}</span></h2>'
        out.append(top.encode("utf-8"))
        if group.compact:
            # under a week's heading (a month page) the rows need not say their week again
            out.append(b'<ul class="rows in-week">\n' if group.href else b'<ul class="rows">\n')
            out.extend(group.cards)
            out.append(b"</ul>\n")
        else:
            out.extend(group.cards)
        out.append(b"</section>\n")
    out.append(pager_html(pages, page, base).encode("utf-8") + b"\n")
    return b"".join(out)
