"""The curator's decisions: accept (the candidate becomes an item, through `papernews.add`),
reject, snooze. Each is stored with its time; the ranker learns from them (an accepted
candidate is an archive item, a pick; a rejected one is passed over).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from papernews.errors import PapernewsError
from papernews.inbox.model import InboxCandidate
from papernews.model import Item, Kind, Week, day_of, week_of
from papernews.sources.http import HttpClient
from papernews.store import Store
from papernews.store import inbox as table

SNOOZE_DAYS = 7  # back in the list next digest week

Outcome = Literal["accepted", "duplicate", "error", "rejected", "snoozed"]


@dataclass
class Decision:
    ref: str
    outcome: Outcome
    candidate: InboxCandidate | None = None
    item: Item | None = None
    error: str | None = None


def _resolve_all(store: Store, refs: Sequence[str]) -> list[tuple[str, InboxCandidate | None, str | None]]:
    out: list[tuple[str, InboxCandidate | None, str | None]] = []
    for ref in refs:
        try:
            out.append((ref, table.resolve(store, ref), None))
        except PapernewsError as e:
            out.append((ref, None, str(e)))
    return out


def reject(store: Store, refs: Sequence[str]) -> list[Decision]:
    return _mark(store, refs, "rejected", None)


def snooze(
    store: Store, refs: Sequence[str], *, until: date | None = None, today: date | None = None
) -> list[Decision]:
    until = until or (today or date.today()) + timedelta(days=SNOOZE_DAYS)
    return _mark(store, refs, "snoozed", until.isoformat())


def _mark(
    store: Store, refs: Sequence[str], status: Literal["rejected", "snoozed"], until: str | None
) -> list[Decision]:
    decisions: list[Decision] = []
    for ref, cand, error in _resolve_all(store, refs):
        if cand is None:
            decisions.append(Decision(ref, "error", error=error))
            continue
        table.decide(store, cand.id, status, snoozed_until=until)
        cand.status, cand.snoozed_until = status, until
        decisions.append(Decision(ref, status, cand))
    return decisions


def accept(
    store: Store,
    refs: Sequence[str],
    *,
    week: Week | None = None,
    kind: Kind | None = None,
    org: str | None = None,
    offline: bool = False,
    client: HttpClient | None = None,
    today: date | None = None,
) -> list[Decision]:
    """Add each candidate as `papernews add` would (same identity rules, metadata, guesses).

    Online, all links go to `add_urls` in one call (arXiv ids in one request). Offline, `add`
    knows only the URL, so the item is filled from what the source said (title, abstract,
    authors, date, week of the published date). An archive duplicate marks the candidate
    accepted as that item; an error leaves it waiting.
    """
    from papernews.add import add_urls

    resolved = _resolve_all(store, refs)
    todo = [(ref, c) for ref, c, _ in resolved if c is not None]
    if offline:
        results = []
        for _, c in todo:
            own_week = week or _week_of(c)
            results.extend(add_urls(store, [c.url], week=own_week, kind=kind, org=org, offline=True, today=today))
    else:
        results = add_urls(store, [c.url for _, c in todo], week=week, kind=kind, org=org, client=client, today=today)
    by_ref = {ref: (c, r) for (ref, c), r in zip(todo, results, strict=True)}
    decisions: list[Decision] = []
    for ref, cand, error in resolved:
        if cand is None:
            decisions.append(Decision(ref, "error", error=error))
            continue
        _, result = by_ref[ref]
        if result.status == "error" or result.item is None:
            decisions.append(Decision(ref, "error", cand, error=result.error or "not added"))
            continue
        item = result.item
        if result.status == "added" and offline:
            item = _fill(item, cand)
            store.save_item(item)
        table.decide(store, cand.id, "accepted", item_id=item.id)
        cand.status, cand.item_id = "accepted", item.id
        decisions.append(Decision(ref, "accepted" if result.status == "added" else "duplicate", cand, item))
    return decisions


def _week_of(c: InboxCandidate) -> Week | None:
    day = day_of(c.published)
    return week_of(day) if day else None


def _fill(item: Item, c: InboxCandidate) -> Item:
    meta = item.meta.model_copy(
        update={
            "abstract": item.meta.abstract or c.abstract or None,
            "authors": item.meta.authors or list(c.authors),
            "categories": item.meta.categories or list(c.categories),
            "published": item.meta.published or c.published,
        }
    )
    return item.model_copy(update={"title": c.title or item.title, "meta": meta})
