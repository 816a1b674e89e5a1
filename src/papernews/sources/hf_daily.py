"""Hugging Face daily papers: the papers the community put forward each day, with their upvotes.

``GET https://huggingface.co/api/daily_papers?date=YYYY-MM-DD`` (public, no token) answers a
JSON list; each element holds a ``paper`` object (``id`` = the arXiv id, ``title``,
``summary``, ``authors`` [{``name``}], ``publishedAt``, ``upvotes``) next to the day's own
``title``, ``publishedAt`` and ``numComments``. One request per day of the window; the
candidate's URL is the arXiv abstract page, so it merges with the arXiv listing's record and
the curator's own arXiv links. Upvotes are a signal the ranker can read.

Docs: https://huggingface.co/docs/hub/api (the endpoint is listed with the Hub's public API;
its fields are not formally documented, so the parser takes each one only when it has the
expected type).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from papernews.sources.dates import iso_date
from papernews.sources.http import HttpClient
from papernews.sources.options import positive_int, start_day
from papernews.sources.registry import Batch, Found, SourceProgress, fetch_each

_ARXIV_ID_RE = re.compile(r"^\d{4}\.\d{4,5}$")
MAX_DAYS = 31  # a first run with an old --since should not make hundreds of requests


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def parse_daily_papers(data: Any, source: str) -> list[Found]:
    """Pure: the API's JSON list → `Found` per paper with an arXiv id; ValueError if it is not a list."""
    if not isinstance(data, list):
        raise ValueError("not a daily papers list")
    found: list[Found] = []
    for element in data:
        entry = _dict(element)
        paper = _dict(entry.get("paper"))
        arxiv_id = _str(paper.get("id"))
        if not _ARXIV_ID_RE.match(arxiv_id):
            continue
        upvotes = paper.get("upvotes")
        authors = [_str(_dict(a).get("name")) for a in paper.get("authors") or []]
        found.append(
            Found(
                url=f"https://arxiv.org/abs/{arxiv_id}",
                title=_str(paper.get("title")) or _str(entry.get("title")),
                source=source,
                abstract=_str(paper.get("summary")) or _str(entry.get("summary")),
                authors=[a for a in authors if a],
                published=iso_date(paper.get("publishedAt")) or iso_date(entry.get("publishedAt")),
                upvotes=upvotes if isinstance(upvotes, int) and not isinstance(upvotes, bool) else None,
            )
        )
    return found


@dataclass
class HfDailySource:
    """``kind = "hf-daily"``: options `max_days` (31)."""

    name: str
    max_days: int = MAX_DAYS
    kind: str = "hf-daily"

    @classmethod
    def from_options(cls, name: str, options: Mapping[str, Any]) -> HfDailySource:
        return cls(name=name, max_days=positive_int(options, "max_days", MAX_DAYS))

    def fetch(
        self,
        client: HttpClient,
        *,
        since: date | None,
        cursor: str | None,
        today: date,
        progress: SourceProgress | None = None,
    ) -> Batch:
        first = max(start_day(since, cursor, today), today - timedelta(days=self.max_days - 1))
        days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
        url = f"{client.settings.hf_api.rstrip('/')}/daily_papers"
        # one day's answer is the same API as the others': a bad one fails the source (no `label`)
        return fetch_each(
            days,
            get=lambda day: client.get(url, params={"date": day.isoformat()}),
            parse=lambda day, answer: parse_daily_papers(answer.json(), self.name),
            today=today,
            progress=progress,
        )
