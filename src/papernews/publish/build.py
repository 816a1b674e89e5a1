"""`papernews build`: the archive → a folder with the site, README.md and items.json.

README.md and items.json are the exact bytes `papernews export` gives, so a site folder
committed to git is also the digest's source of truth.

The work runs on every core the machine has: the charts are drawn by a child process
(importing matplotlib alone costs a second), the search index is built by Pagefind child
processes fed from a thread, while this process renders and writes the pages. What an
earlier build left in place is reused: unchanged pages are not rewritten, unchanged search
shards not re-indexed, README.md and items.json not re-exported when no item changed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from papernews.errors import PapernewsError
from papernews.model import Item, week_order
from papernews.publish.charts import Chart
from papernews.publish.exports import EXPORTS, export_files
from papernews.publish.site import FEED_ITEMS, Site, SiteParts, iter_site
from papernews.publish.view import SiteItem, load_site_items
from papernews.publish.writer import SiteWriter, WriteReport
from papernews.store import Store

if TYPE_CHECKING:
    from papernews.publish.search_index import IndexReport


@dataclass
class BuildReport:
    out: Path
    items: int
    files: int
    write: WriteReport
    seconds: float
    home_bytes: int
    search: IndexReport | None = None
    exported: bool = True  # False: no item changed, README.md and items.json were kept
    timings: dict[str, float] = field(default_factory=dict)


class ChartsJob:
    """`python -m papernews.publish.charts` in a child process, started first, read when needed."""

    def __init__(self, items: list[SiteItem], cached: dict[str, object] | None = None) -> None:
        """`cached`: what `cache()` gave after the last build; reused when the counts are the same."""
        from papernews.publish import charts
        from papernews.publish.charts import chart_data

        self._data = json.dumps(chart_data(items), sort_keys=True).encode("utf-8")
        self.key = hashlib.sha1(self._data + charts.__file__.encode() + _file_stamp(charts.__file__)).hexdigest()
        self._result: list[Chart] | None = None
        if cached and cached.get("key") == self.key and isinstance(cached.get("charts"), list):
            self._result = [Chart(c["key"], c["caption"], c["svg"]) for c in cached["charts"]]  # type: ignore[attr-defined]
            return
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "papernews.publish.charts"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # the data goes now, so the charts are drawn while the pages render (a few KB: the
        # write does not block; communicate() then only collects the answer)
        self._feeder = threading.Thread(target=self._feed, daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        stdin, self._proc.stdin = self._proc.stdin, None  # communicate() then only reads
        assert stdin is not None
        try:
            stdin.write(self._data)
        except (BrokenPipeError, OSError):
            pass  # the child died: result() reports its stderr
        finally:
            stdin.close()

    def cache(self) -> dict[str, object]:
        charts = [{"key": c.key, "caption": c.caption, "svg": c.svg} for c in self.result()]
        return {"key": self.key, "charts": charts}

    def result(self) -> list[Chart]:
        if self._result is None:
            self._feeder.join()
            out, err = self._proc.communicate()
            if self._proc.returncode != 0:
                raise PapernewsError(f"drawing the charts failed: {err.decode('utf-8', 'replace').strip()[-500:]}")
            self._result = [Chart(c["key"], c["caption"], c["svg"]) for c in json.loads(out)]
        return self._result


def _file_stamp(path: str) -> bytes:
    """The charts module's bytes: a new version of the drawing code redraws the charts."""
    return hashlib.sha1(Path(path).read_bytes()).digest()


class SearchJob:
    """The Pagefind index, built in a thread (its work is in child processes) while pages render."""

    def __init__(self, out: Path, items: list[SiteItem], previous: list[str] | None) -> None:
        from papernews.publish import search_index
        from papernews.publish.records import search_records

        self._size = search_index.SHARD_SIZE  # read now, so a test can make shards small
        self._records = search_records(items)
        self.shards = max(1, len(search_index.shard_records(self._records, self._size)))
        self.hashes: list[str] = []
        self.report: IndexReport | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(out, previous), name="search-index", daemon=True)
        self._thread.start()

    def _run(self, out: Path, previous: list[str] | None) -> None:
        from papernews.publish.search_index import write_search_index

        try:
            self.hashes, self.report = write_search_index(out, self._records, previous, shard_size=self._size)
        except BaseException as e:  # re-raised in the main thread by `wait`
            self._error = e

    def wait(self) -> IndexReport | None:
        self._thread.join()
        if self._error is not None:
            raise PapernewsError(f"building the search index failed: {self._error}") from self._error
        return self.report


# Below this many items the exports run in this process: a child's interpreter start-up would
# cost more than it saves; above, the child keeps the export's memory (0.5 GB at 100,000 items)
# out of this process and its time on the other core.
EXPORT_CHILD_FROM = 20_000


class ExportJob:
    """README.md and items.json from `python -m papernews.publish.exports` in a child process
    for a big archive; in this process for a small one or one that lives in memory only."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._inline: dict[str, bytes] | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if str(store.path) == ":memory:" or store.count() < EXPORT_CHILD_FROM:
            return  # done by result(), when the pages are written
        self._tmp = tempfile.TemporaryDirectory(prefix="papernews-export-")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "papernews.publish.exports", str(store.path), self._tmp.name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def result(self) -> dict[str, bytes]:
        if self._inline is not None:
            return self._inline
        if self._tmp is None:
            self._inline = export_files(self._store)
            return self._inline
        try:
            _, err = self._proc.communicate()
            if self._proc.returncode != 0:
                raise PapernewsError(
                    f"exporting README.md and items.json failed: {err.decode('utf-8', 'replace')[-500:]}"
                )
            self._inline = {name: (Path(self._tmp.name) / name).read_bytes() for name in EXPORTS}
        finally:
            self._tmp.cleanup()
        return self._inline


def archive_fingerprint(store: Store) -> str:
    """Changes whenever an item is added, edited, moved or removed, or the layout changes: when
    it has not, the exported README.md and items.json from the last build are still exact.

    The store's revision catches two writes within one second (`updated_at`'s resolution); the
    rows tell this archive from another one at the same revision."""
    h = hashlib.sha1(f"revision {store.revision()}\x1e".encode())
    for row in store.conn.execute("SELECT id, position, updated_at FROM items ORDER BY rowid"):
        h.update(f"{row[0]}\x1f{row[1]}\x1f{row[2]}\x1e".encode())
    return h.hexdigest()


def feed_items(store: Store, items: list[SiteItem]) -> list[Item]:
    """The newest items the feeds need (the latest overall and per kind), as full items.

    Public: the app serves the feeds from the archive and must choose the same items."""
    ordered = sorted((it for it in items if it.week), key=lambda i: week_order(i.week), reverse=True)
    wanted: dict[str, None] = {}
    per_kind: dict[str, int] = {}
    for it in ordered:
        k = it.kind.value if it.kind else ""
        if len(wanted) < FEED_ITEMS or per_kind.get(k, 0) < FEED_ITEMS:
            wanted[it.id] = None
            per_kind[k] = per_kind.get(k, 0) + 1
    chosen = {it.id: it for it in (store.get(i) for i in wanted)}
    return [chosen[i] for i in wanted]


def build(
    store: Store,
    out: Path,
    site: Site,
    *,
    search: bool = True,
    charts: bool = True,
    since: tuple[int, int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Write the site into `out`; `search=False` skips the Pagefind index, `charts=False` the
    charts (quicker previews); `since` (year, month) publishes only the items from then on
    (README.md and items.json stay whole: they are the archive). `progress` is called with
    the number of files done so far."""
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    items = load_site_items(store, since=since)
    timings["load"] = time.perf_counter() - t0
    writer = SiteWriter(out)
    charts_job = ChartsJob(items, writer.state.get("charts")) if charts and items else None
    search_job = SearchJob(out, items, writer.state.get("search")) if search else None

    fingerprint = archive_fingerprint(store)
    reuse_exports = writer.state.get("archive") == fingerprint and all((out / n).is_file() for n in EXPORTS)
    export_job = None if reuse_exports else ExportJob(store)
    parts = SiteParts(
        feed_items=feed_items(store, items),
        charts=charts_job.result if charts_job else [],
        search_shards=search_job.shards if search_job else 1,
        extra_files=export_job.result if export_job else {},
    )
    home_bytes = 0
    t1 = time.perf_counter()
    for n, (rel, data) in enumerate(iter_site(items, site, parts), 1):
        writer.write(rel, data)
        if rel == "index.html":
            home_bytes = len(data)
        if progress and n % 500 == 0:
            progress(n)
    if reuse_exports:
        for name in EXPORTS:
            writer.keep(name)
    timings["pages"] = time.perf_counter() - t1
    index_report = None
    if search_job is not None:
        t2 = time.perf_counter()
        index_report = search_job.wait()
        timings["search_wait"] = time.perf_counter() - t2
        writer.state["search"] = search_job.hashes
    writer.state["archive"] = fingerprint
    if charts_job is not None:
        writer.state["charts"] = charts_job.cache()
    report = writer.finish()
    return BuildReport(
        out=out,
        items=len(items),
        files=report.files,
        write=report,
        seconds=time.perf_counter() - t0,
        home_bytes=home_bytes,
        search=index_report,
        exported=not reuse_exports,
        timings=timings,
    )
