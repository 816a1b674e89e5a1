"""arXiv listings: the week's new papers of some categories, through the arXiv API, page by page.

One query per fetch, ``(cat:cs.CL OR cat:cs.AI …) AND submittedDate:[from TO to]``, newest
first, paged with ``start``/``max_results`` and read back through the answer's opensearch
``totalResults``/``startIndex``. The client's rate limit keeps it to one request every 3 s, as
the API's terms ask (https://info.arxiv.org/help/api/tou.html). A week of cs.CL, cs.AI, cs.LG
and cs.CV is some 4,000-6,000 papers: pages of 500 make about ten requests, half a minute.

Docs: https://info.arxiv.org/help/api/user-manual.html (§3.1.1 search_query, date filter
``submittedDate``; §3.1.1.1 sortBy/sortOrder; §3.3.1 opensearch paging elements).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from papernews.sources.arxiv import ArxivFeed, ArxivMeta, parse_arxiv_feed
from papernews.sources.errors import FetchError
from papernews.sources.http import HttpClient
from papernews.sources.options import positive_int, start_day, str_list
from papernews.sources.registry import Batch, Found, SourceProgress

DEFAULT_CATEGORIES = ["cs.CL", "cs.AI", "cs.LG", "cs.CV"]
PAGE_SIZE = 500  # the API accepts up to 2,000 a request; smaller pages fail less often
MAX_RESULTS = 10_000  # the API serves at most 30,000 results of one query


def listing_query(categories: list[str], first: date, last: date) -> str:
    """The API's ``search_query`` for papers submitted in `categories` from `first` to `last` (inclusive)."""
    cats = " OR ".join(f"cat:{c}" for c in categories)
    span = f"submittedDate:[{first:%Y%m%d}0000 TO {last:%Y%m%d}2359]"
    return f"({cats}) AND {span}" if len(categories) > 1 else f"{cats} AND {span}"


def next_start(feed: ArxivFeed, start: int, limit: int) -> int | None:
    """Where the next page starts, None when this page was the last (or `limit` is reached)."""
    got = len(feed.entries)
    if got == 0:
        return None
    following = (feed.start_index if feed.start_index is not None else start) + got
    total = feed.total_results if feed.total_results is not None else following
    return following if following < min(total, limit) else None


def to_found(meta: ArxivMeta, source: str) -> Found:
    return Found(
        url=f"https://arxiv.org/abs/{meta.id}",
        title=meta.title,
        source=source,
        abstract=meta.abstract,
        authors=list(meta.authors),
        categories=list(meta.categories),
        published=meta.published,
    )


@dataclass
class ArxivListingSource:
    """``kind = "arxiv"``: options `categories` (default cs.CL cs.AI cs.LG cs.CV), `page_size`, `max_results`."""

    name: str
    categories: list[str]
    page_size: int = PAGE_SIZE
    max_results: int = MAX_RESULTS
    kind: str = "arxiv"

    @classmethod
    def from_options(cls, name: str, options: Mapping[str, Any]) -> ArxivListingSource:
        return cls(
            name=name,
            categories=str_list(options, "categories", DEFAULT_CATEGORIES),
            page_size=positive_int(options, "page_size", PAGE_SIZE),
            max_results=positive_int(options, "max_results", MAX_RESULTS),
        )

    def fetch(
        self,
        client: HttpClient,
        *,
        since: date | None,
        cursor: str | None,
        today: date,
        progress: SourceProgress | None = None,
    ) -> Batch:
        first = start_day(since, cursor, today)
        query = listing_query(self.categories, first, today)
        batch = Batch(cursor=cursor)
        start: int | None = 0
        total: int | None = None
        empty_retry = True
        while start is not None:
            feed = self._page(client, query, start)
            batch.requests += 1
            if not feed.entries and empty_retry and total is not None and start < total:
                empty_retry = False  # the API now and then answers a middle page empty: ask once more
                continue
            total = feed.total_results
            batch.found.extend(to_found(m, self.name) for m in feed.entries)
            if progress is not None:
                progress(len(batch.found), min(total, self.max_results) if total is not None else None)
            start = next_start(feed, start, self.max_results)
        if total is not None and total > self.max_results:
            batch.problems.append(f"{total} papers matched; only the newest {self.max_results} were read")
        newest = max((f.published[:10] for f in batch.found if f.published), default=None)
        batch.cursor = newest or cursor or first.isoformat()
        return batch

    def _page(self, client: HttpClient, query: str, start: int) -> ArxivFeed:
        url = client.settings.arxiv_api
        params = {
            "search_query": query,
            "start": str(start),
            "max_results": str(min(self.page_size, self.max_results - start)),
            "sortBy": "submittedDate",
            "sortOrder": "descending",
        }
        answer = client.get(url, params=params)
        try:
            feed = parse_arxiv_feed(answer.content)
        except ValueError as exc:
            raise FetchError(url, answer.status, f"unreadable arXiv answer: {exc}") from exc
        if feed.errors:
            raise FetchError(url, answer.status, "; ".join(feed.errors))
        return feed
