"""A large digest for benchmarks, generated from the seed's own items at run time.

The seed stays in ../shared; this only reads it. Items are cycled with a counter in the
title and URL, spread over weeks of consecutive months (as a real digest of many years
would be), so the text has the seed's real mix of Korean and English.
"""

from __future__ import annotations

from papernews.formats.markdown import parse
from papernews.formats.markdown.document import LEGEND, month_header
from papernews.formats.markdown.itemline import render_item
from papernews.model import Item

ITEMS_PER_WEEK = 20


def generate(seed_text: str, n_items: int, start_year: int = 1990) -> str:
    """A digest README of `n_items` items (Markdown text), newest last like the seed."""
    templates = parse(seed_text).items
    parts = [LEGEND]
    year, month, week = start_year, 1, 1
    made = 0
    parts.append(f"# {year}\n{month_header(month)}")
    while made < n_items:
        parts.append(f"<details>\n  <summary>{_ordinal(week)} week</summary>\n\n")
        for _ in range(min(ITEMS_PER_WEEK, n_items - made)):
            t = templates[made % len(templates)]
            parts.append(render_item(_variant(t, made)))
            made += 1
        parts.append("</details>\n\n")
        week += 1
        if week > 4:
            week = 1
            month += 1
            if month > 12:
                month = 1
                year += 1
                parts.append(f"# {year}\n")
            parts.append(month_header(month))
    return "".join(parts)


def _variant(t: Item, n: int) -> Item:
    url = f"{t.url}#v{n}" if t.url else None
    return t.model_copy(update={"title": f"{t.title} {n}" if t.title else t.title, "url": url, "source": None})


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")
