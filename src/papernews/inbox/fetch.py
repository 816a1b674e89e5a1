"""`papernews inbox fetch`: run the configured sources into the inbox, one after another.

Incremental: each source starts where its last successful fetch stopped (its cursor in
`source_cursors`), unless `since` says otherwise. A source that fails is reported and the
others run all the same; its cursor is kept, so the next fetch asks for the same days again.
New finds are written per source, in one transaction each.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from papernews.errors import InputError, PapernewsError
from papernews.inbox.dedupe import Deduper
from papernews.inbox.model import InboxCandidate, candidate_id
from papernews.model import day_of, week_of
from papernews.sources.dates import utc_now
from papernews.sources.http import HttpClient
from papernews.sources.registry import Batch, Found, Source, SourceProgress
from papernews.store import Store
from papernews.store import inbox as table

# progress(source name, done, total or None)
FetchProgress = Callable[[str, int, int | None], None]


@dataclass
class SourceReport:
    """What one source did in one fetch."""

    name: str
    kind: str
    found: int = 0
    added: int = 0
    in_archive: int = 0
    in_inbox: int = 0
    requests: int = 0
    problems: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def fetch_sources(
    store: Store,
    sources: Sequence[Source],
    client: HttpClient,
    *,
    since: date | None = None,
    today: date | None = None,
    progress: FetchProgress | None = None,
) -> list[SourceReport]:
    """Fetch every source into the inbox; one report per source, in order."""
    today = today or date.today()
    reports: list[SourceReport] = []
    for source in sources:
        report = SourceReport(source.name, source.kind)
        started = time.monotonic()
        cursor = table.get_cursor(store, source.name)
        try:
            batch = source.fetch(
                client,
                since=since,
                cursor=cursor.cursor if cursor else None,
                today=today,
                progress=_per_source(progress, source.name),
            )
        except PapernewsError as e:  # FetchError and the rest of the tree: this source only
            report.error = str(e)
            table.save_cursor(store, source.name, None, found=0, added=0, error=report.error)
        else:
            _store_batch(store, batch, report, today)
            table.save_cursor(store, source.name, batch.cursor, found=report.found, added=report.added, error=None)
        report.seconds = time.monotonic() - started
        reports.append(report)
    return reports


def _per_source(progress: FetchProgress | None, name: str) -> SourceProgress | None:
    if progress is None:
        return None
    report = progress

    def step(done: int, total: int | None) -> None:
        report(name, done, total)

    return step


def _store_batch(store: Store, batch: Batch, report: SourceReport, today: date) -> None:
    report.found, report.requests, report.problems = len(batch.found), batch.requests, list(batch.problems)
    deduper = Deduper(store, table.all_candidates(store))
    seen_at = utc_now()
    new: list[InboxCandidate] = []
    again: list[tuple[str, str, int | None]] = []
    for found in batch.found:
        try:
            known = deduper.check(found)
        except InputError as e:
            report.problems.append(f"{found.url}: {e.message}")
            continue
        if known.verdict == "archive":
            report.in_archive += 1
        elif known.verdict == "inbox" and known.match is not None:
            report.in_inbox += 1
            again.append((known.match, found.source, found.upvotes))
        else:
            candidate = to_candidate(found, known.canonical, known.identity, seen_at, today)
            deduper.remember(candidate)
            new.append(candidate)
    table.merge_found(store, again)
    report.added = table.insert_candidates(store, new)


def to_candidate(found: Found, canonical: str, identity: str, seen_at: str, today: date) -> InboxCandidate:
    day = day_of(found.published) or today
    return InboxCandidate(
        id=candidate_id(identity),
        identity=identity,
        url=canonical,
        source=found.source,
        sources=[found.source],
        title=found.title,
        abstract=found.abstract,
        authors=list(found.authors),
        categories=list(found.categories),
        published=found.published,
        week=week_of(day).key,
        upvotes=found.upvotes,
        org=found.org,
        first_seen=seen_at,
    )
