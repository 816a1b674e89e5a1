"""`papernews inbox`: the waiting candidates, ranked by the curator's taste, each with its reasons.

The ranking is `papernews.rank.taste.TasteModel` (trained on the archive and on the inbox's
decisions), imported only here and only when a list is asked for: scikit-learn takes a while to
load. Without it (not installed), or with an empty archive (no picks to learn from), the list is
newest first and says so.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from papernews.inbox.model import InboxCandidate
from papernews.store import Store
from papernews.store import inbox as table

if TYPE_CHECKING:
    from papernews.rank.taste import Candidate, TasteModel

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
    if store.count() == 0:  # no picks to learn a taste from
        return None
    try:
        model = _model_for(store)
    except ImportError:  # scikit-learn is not installed
        return None
    by_id = {c.id: c for c in candidates}
    scored = model.score([to_rank_candidate(c) for c in candidates], today=today)
    return [Ranked(by_id[s.candidate_id], s.score, list(s.reasons)) for s in scored if s.candidate_id in by_id]


_MODELS: dict[str, tuple[int, TasteModel]] = {}
_MODELS_LOCK = threading.Lock()


def _model_for(store: Store) -> TasteModel:
    """The taste model of this archive as it is now, fitted once per archive revision.

    A fit reads every item and candidate and takes seconds; the workbench lists the inbox on
    every page view, from several threads. Every write that changes the archive or the inbox
    (a new item, a fetched candidate, a decision) bumps `Store.revision()`, so a model fitted at
    the same revision is the model a fresh fit would give. One archive's model is kept.
    """
    from papernews.rank.taste import TasteModel

    key, revision = str(store.path.resolve()), store.revision()
    with _MODELS_LOCK:
        hit = _MODELS.get(key)
    if hit is not None and hit[0] == revision:
        return hit[1]
    model = TasteModel.from_store(store)
    with _MODELS_LOCK:
        _MODELS.clear()
        _MODELS[key] = (revision, model)
    return model
