"""The arXiv candidate pools (`../shared/data/arxiv-pools/`): days of listed papers, the picks, the weeks.

Read as they are, once: a pool day is the unit the benchmark vectorises and caches, so a paper is
encoded once however many weekly windows it falls in.
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from papernews.model import week_of
from papernews.rank.taste import Candidate


@dataclass(frozen=True)
class Pick:
    """One of the curator's arXiv picks: the paper and the week it was posted in."""

    arxiv_id: str
    week: str
    title: str
    org: str | None


@functools.cache
def week_key(day: date) -> str:
    """The digest's week of a day (`model.week_of`), as its key. Cached: the benchmark asks it for
    every paper of every window, of a few hundred distinct days."""
    return week_of(day).key


def pool_days(pools: Path) -> list[date]:
    """The listing days that have a pool file, in order."""
    return sorted(date.fromisoformat(p.name.removesuffix(".jsonl.gz")) for p in pools.glob("*.jsonl.gz"))


def read_day(pools: Path, day: date) -> list[Candidate]:
    """The papers first listed on `day`, as candidates (no org, no upvotes: the pools have neither)."""
    out: list[Candidate] = []
    with gzip.open(pools / f"{day.isoformat()}.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out.append(
                Candidate(
                    id=d["arxiv_id"],
                    title=d.get("title") or "",
                    abstract=d.get("abstract") or "",
                    authors=list(d.get("authors") or []),
                    categories=list(d.get("categories") or []),
                    published=d.get("date") or day.isoformat(),
                    source="arxiv",
                    upvotes=None,
                    org=None,
                )
            )
    return out


def read_picks(path: Path) -> list[Pick]:
    """`positives.jsonl`: the curator's arXiv picks with their week."""
    picks: list[Pick] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            picks.append(Pick(d["arxiv_id"], d["week"], d.get("title") or "", d.get("org") or None))
    return picks


def read_abstracts(pools: Path, wanted: set[str]) -> dict[str, str]:
    """The first non-empty abstract listed for each arXiv id wanted (the seed keeps none: the
    summary benchmark and tests draft from these, read at run time, never copied)."""
    found: dict[str, str] = {}
    for path in sorted(pools.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                if row["arxiv_id"] in wanted and row.get("abstract") and row["arxiv_id"] not in found:
                    found[row["arxiv_id"]] = row["abstract"]
    return found
