"""An inbox candidate as stored: what a source found plus the curator's decision.

Pure data, no imports beyond the standard library and `model`, so the store can build these
without loading the sources or the ranker.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["new", "accepted", "rejected", "snoozed"]
STATUSES: tuple[Status, ...] = ("new", "accepted", "rejected", "snoozed")


@dataclass
class InboxCandidate:
    id: str
    identity: str  # what two finds of the same thing share (identity URL, or a release's own URL)
    url: str
    source: str
    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    published: str | None = None
    week: str = ""
    upvotes: int | None = None
    org: str | None = None
    sources: list[str] = field(default_factory=list)
    first_seen: str = ""
    status: Status = "new"
    decided_at: str | None = None
    snoozed_until: str | None = None
    item_id: str | None = None


def candidate_id(identity: str) -> str:
    """Short and stable: the same thing found again, by any source, gets the same id."""
    return hashlib.sha1(identity.encode("utf-8")).hexdigest()[:10]

