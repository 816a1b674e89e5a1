"""`papernews inbox`: the waiting candidates, ranked by the curator's taste, each with its reasons.

The ranking is `papernews.rank.taste.TasteModel` (trained on the archive and on the inbox's
decisions), imported only here and only when a list is asked for: scikit-learn takes a while to
load. Without it (not installed), or with an empty archive (no picks to learn from), the list is
newest first and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from papernews.inbox.model import InboxCandidate
from papernews.store import Store
from papernews.store import inbox as table

if TYPE_CHECKING:
    from papernews.rank.taste import Candidate

Method = Literal["taste", "newest"]


@dataclass
class Ranked:
    candidate: InboxCandidate
    score: float | None
    reasons: list[str] = field(default_factory=list)


@dataclass
class Listing:
    ranked: list[Ranked]
    method: Method
    waiting: int  # before `top` cut the list


def to_rank_candidate(c: InboxCandidate) -> Candidate:
    from papernews.rank.taste import Candidate

    return Candidate(
        id=c.id,
        title=c.title,
        abstract=c.abstract,
        authors=list(c.authors),
        categories=list(c.categories),
        published=c.published,
        source=c.source,
        upvotes=c.upvotes,
        org=c.org,
    )


def _newest(candidates: list[InboxCandidate], why: str) -> list[Ranked]:
    ordered = sorted(candidates, key=lambda c: (c.published or c.first_seen, c.id), reverse=True)
    return [Ranked(c, None, [why]) for c in ordered]


def list_candidates(
    store: Store,
    *,
    week: str | None = None,
    source: str | None = None,
    top: int | None = None,
    today: date | None = None,
    rank: bool = True,
) -> Listing:
    """Waiting candidates (new, and snoozed ones whose day has come), best first."""
    today = today or date.today()
    candidates = table.waiting(store, today=today.isoformat(), week=week, source=source)
    ranked: list[Ranked] | None = None
    if rank and candidates:
        ranked = _by_taste(store, candidates, today)
    method: Method = "taste" if ranked is not None else "newest"
    if ranked is None:
        why = "newest first: the archive is empty" if store.count() == 0 else "newest first: no taste model"
        ranked = _newest(candidates, why)
    return Listing(ranked[:top] if top else ranked, method, len(candidates))


def _by_taste(store: Store, candidates: list[InboxCandidate], today: date) -> list[Ranked] | None:
    """Ranked by the taste model; `today` is the day ages count from (the age prior)."""
    try:
        from papernews.rank.taste import TasteModel
    except ImportError:  # the ranking package (or scikit-learn) is not installed
        return None
    if store.count() == 0:  # no picks to learn a taste from
        return None
    model = TasteModel.from_store(store)
    by_id = {c.id: c for c in candidates}
    scored = model.score([to_rank_candidate(c) for c in candidates], today=today)
    return [Ranked(by_id[s.candidate_id], s.score, list(s.reasons)) for s in scored if s.candidate_id in by_id]
