"""Which items a thread or an edition is about: a week of the archive, or items named by id."""

from __future__ import annotations

from collections.abc import Sequence

from papernews.errors import NotFoundError
from papernews.model import Item, Week
from papernews.store import Store


def parse_week(value: str) -> Week:
    """`YYYY-MM-Wnn` (or a block `YYYY-MM-Wnn~Wmm`); ValueError saying what is expected."""
    try:
        week = Week.parse_key(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a week; write YYYY-MM-Wnn, e.g. 2024-09-W03") from None
    if week.weeks[-1] > 5:
        raise ValueError(f"{value!r}: a month has weeks 1-5 (week n holds days 7n-6 to 7n)")
    return week


def week_items(store: Store, week: Week) -> list[Item]:
    """The items of the week's block(s), in the digest's order; NotFoundError when there are none."""
    items = store.items(week=week)
    if not items:
        raise NotFoundError(f"no items in week {week.key} (the archive has {store.count()} items)")
    return items


def named_items(store: Store, refs: Sequence[str]) -> list[Item]:
    """Items by id or unique id prefix, in the order given, each once."""
    out: list[Item] = []
    seen: set[str] = set()
    for ref in refs:
        item = store.get(ref.strip())
        if item.id not in seen:
            seen.add(item.id)
            out.append(item)
    return out
