"""What the search index holds of each item: its text, its title and its filters.

Given to Pagefind as records rather than crawled from the written pages: the index needs
no page chrome, and it can be built while the pages are still being written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from papernews.model import week_order
from papernews.publish.search_index import SearchRecord
from papernews.publish.view import SiteItem

_MD_LINK_RE = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")


def plain(text: str) -> str:
    """Bullet text without link targets: `[깃허브 링크](https://…)` reads `깃허브 링크`."""
    return _MD_LINK_RE.sub(r"\1", text) if "](" in text else text


def search_record(item: SiteItem) -> SearchRecord:
    filters: dict[str, list[str]] = {}
    if item.kind:
        filters["종류"] = [item.kind.value]
    if item.orgs:
        filters["기관"] = list(dict.fromkeys(item.orgs))
    if item.week:
        filters["연도"] = [f"{item.week.year:04d}"]
        filters["월"] = [f"{item.week.year:04d}-{item.week.month:02d}"]
    content = "\n".join([item.label, ", ".join(item.orgs), *(plain(t) for t in item.bullet_texts())])
    return SearchRecord(url="/" + item.path, title=item.label, content=content, filters=filters)


def search_records(items: Sequence[SiteItem]) -> list[SearchRecord]:
    """Oldest week first (archive order within a week), so new weeks only ever change the
    last shard of the index; items without a week come first."""
    ordered = sorted(items, key=lambda i: week_order(i.week))
    return [search_record(it) for it in ordered]
