"""The site's full-text search index, written by Pagefind's service from records we hand it.

Running the Pagefind CLI over the written HTML costs ~0.6 ms and ~30 KB of memory per page
in one single-threaded process: at 100,000 items over a minute and 3 GB. Here the index is
split into shards of consecutive items (oldest first), each a separate Pagefind bundle
(`pagefind/`, `pagefind-1/`, …) that the search page merges in the browser (`mergeIndex`).
Shards are indexed by up to `processes` Pagefind services at once, and a shard whose records
did not change is not indexed again: a new week touches only the last shard, an edited item
re-indexes one shard.

We speak the service protocol ourselves instead of using `pagefind.index.PagefindIndex`,
whose response loop sleeps 100 ms per response (85 s for 850 records). Every message is
`base64(json({"message_id": n, "payload": {...}}))` followed by `,`, on the child's stdin
for requests and its stdout for answers. The service handles requests one at a time, in
order, so a whole shard of records is written without waiting (a reader thread collects
the answers) and we only wait for the files.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from papernews.errors import PapernewsError

# Pagefind's memory and time grow faster than the records of one index: measured on the seed
# cycled to 50,000 records, a 10,000-record shard peaks at ~400 MB in its process, a 5,000 one
# at ~220 MB and indexes faster overall (a single 50,000-record index: 80 s). More shards cost
# the browser more requests: the first search of a 50,000-record site fetched 0.9 MB with 5
# shards, 1.35 MB with 10. Two processes × 220 MB keeps a 2-core build well under 1 GB.
SHARD_SIZE = 5_000
# Part of every shard hash: bump it when what we send Pagefind changes (config, record fields),
# so that every shard is rebuilt once.
FORMAT = "papernews-search-1"
# Seconds Pagefind may go without answering while a request is open before we give up on it.
# Building the files of a 5,000-record shard takes a few seconds: this only catches a hung service.
STALL_TIMEOUT = 300.0

_SHARD_DIR = re.compile(r"pagefind-([1-9][0-9]*)")
_WORK_DIR = re.compile(r"\.pagefind-(0|[1-9][0-9]*)\.(tmp|old)")


class SearchIndexError(PapernewsError):
    """Pagefind failed, hung or could not be started; the previous index is left as it was."""


@dataclass(frozen=True)
class SearchRecord:
    """One searchable page: what the item page would have shown Pagefind, as plain text."""

    url: str  # site-root-relative, e.g. "/items/<id>/"
    title: str
    content: str  # title + orgs + bullet texts
    filters: dict[str, list[str]] = field(default_factory=dict)  # 종류, 기관, 연도, 월


# An empty index has no language, and Pagefind's browser code then refuses to start; a single
# record whose only word is `_` keeps the search page working and is found by nothing else.
_PLACEHOLDER = SearchRecord(url="/search/", title="검색", content="_", filters={})


@dataclass
class IndexReport:
    shards: int
    rebuilt: list[int]
    removed: list[str]
    records: int
    seconds: float


def shard_records(records: Sequence[SearchRecord], size: int = SHARD_SIZE) -> list[list[SearchRecord]]:
    """Consecutive chunks of `size`: with records oldest first, a new week only changes the last shard."""
    if size < 1:
        raise ValueError(f"shard size must be at least 1, got {size}")
    return [list(records[i : i + size]) for i in range(0, len(records), size)]


def shard_dir(i: int) -> str:
    """Shard 0 keeps the folder the single-index site used, so old links to `pagefind/` still work."""
    return "pagefind" if i == 0 else f"pagefind-{i}"


def shard_hash(records: Sequence[SearchRecord], *, language: str = "ko") -> str:
    """Changes whenever Pagefind would write a different shard: records, language, Pagefind itself."""
    h = hashlib.sha1(usedforsecurity=False)
    h.update(f"{FORMAT}\0{_pagefind_version()}\0{language}\0".encode())
    for r in records:
        row = [r.url, r.title, r.content, sorted((k, list(v)) for k, v in r.filters.items())]
        h.update(json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def write_search_index(
    out: Path,
    records: Sequence[SearchRecord],
    previous: Sequence[str] | None,
    *,
    processes: int = 2,
    shard_size: int = SHARD_SIZE,
    language: str = "ko",
    timeout: float = STALL_TIMEOUT,
) -> tuple[list[str], IndexReport]:
    """Bring the shard folders in `out` up to date with `records`; returns the shard hashes.

    The caller keeps the hashes (in its build manifest) and passes them back as `previous`:
    a shard is rebuilt when its hash differs or its folder lacks `pagefind-entry.json`.
    Rebuilt shards are written into `out/.pagefind-<i>.tmp` and only swapped into place once
    every shard succeeded, so a failure or a crash leaves the previous index whole (a crash
    in the middle of the swap leaves a shard folder missing, which the next run rebuilds).
    Nothing in `out` is touched but the shard folders and our own `.pagefind-<i>.tmp|old`.

    Safe to call from a background thread: children are plain subprocesses watched by
    threads, with no signal handlers and no event loop.
    """
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    shards = shard_records(records, shard_size) or [[]]  # an empty index still lets the page load
    hashes = [shard_hash(s, language=language) for s in shards]
    prev = list(previous or [])
    todo = [
        i
        for i, h in enumerate(hashes)
        if i >= len(prev) or prev[i] != h or not (out / shard_dir(i) / "pagefind-entry.json").is_file()
    ]
    _remove_work_dirs(out)
    if todo:
        try:
            _index_shards(out, shards, todo, processes=processes, language=language, timeout=timeout)
        except BaseException:
            _remove_work_dirs(out)
            raise
        for i in todo:
            _swap_in(out / _work_name(i, "tmp"), out / shard_dir(i), out / _work_name(i, "old"))
    removed = _remove_surplus(out, len(shards))
    report = IndexReport(
        shards=len(shards), rebuilt=todo, removed=removed, records=len(records), seconds=time.perf_counter() - t0
    )
    return hashes, report


# --- the shard folders --------------------------------------------------------------------


def _work_name(i: int, kind: str) -> str:
    return f".pagefind-{i}.{kind}"


def _rmtree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _remove_work_dirs(out: Path) -> None:
    """Leftovers of a failed or killed run; they are ours by name, so they are safe to delete."""
    for p in out.iterdir():
        if _WORK_DIR.fullmatch(p.name):
            _rmtree(p)


def _swap_in(new: Path, target: Path, old: Path) -> None:
    """Renames, not copies: the live folder is missing only between two renames."""
    if target.exists() or target.is_symlink():
        target.rename(old)
    new.rename(target)
    _rmtree(old)


def _remove_surplus(out: Path, count: int) -> list[str]:
    """Shards past the new count would otherwise still be merged by nobody but served forever."""
    removed = []
    for p in sorted(out.iterdir()):
        m = _SHARD_DIR.fullmatch(p.name)
        if m and int(m[1]) >= count and p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
            removed.append(p.name)
    return removed


# --- running Pagefind ---------------------------------------------------------------------


def _executable() -> Path:
    # imported here: the package is only needed once a search index is written
    from pagefind.service import get_executable

    exe = get_executable()
    if exe is None:
        raise SearchIndexError("the Pagefind binary is missing: install `pagefind[extended]`")
    return exe


@functools.cache
def _version_of(exe: str) -> str:
    try:
        proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return proc.stdout.strip() if proc.returncode == 0 else "unknown"


def _pagefind_version() -> str:
    """The binary's own answer: `PAGEFIND_BINARY_PATH` may point at another build than the package."""
    try:
        return _version_of(str(_executable()))
    except SearchIndexError:
        return "missing"


def _index_shards(
    out: Path, shards: list[list[SearchRecord]], todo: list[int], *, processes: int, language: str, timeout: float
) -> None:
    """One thread per service process; each takes the next shard off a shared list until none is left."""
    exe = _executable()
    queue = list(reversed(todo))
    lock = threading.Lock()
    services: list[_Service] = []
    errors: list[BaseException] = []
    failed = threading.Event()

    def stop_all() -> None:
        with lock:
            failed.set()
            for svc in services:  # their work is wasted now: stop them at once
                svc.kill()

    def worker() -> None:
        try:
            with _Service(exe, timeout) as svc:
                with lock:
                    services.append(svc)
                    if failed.is_set():
                        svc.kill()
                while not failed.is_set():
                    with lock:
                        if not queue:
                            break
                        i = queue.pop()
                    _index_one(svc, shards[i], out / _work_name(i, "tmp"), language)
                svc.sync()  # the last DeleteIndex: an error there still means a broken service
        except BaseException as e:
            with lock:
                errors.append(e)
            stop_all()

    n = max(1, min(processes, len(todo)))
    if n == 1:  # the common incremental case: no extra thread
        worker()
    else:
        threads = [threading.Thread(target=worker, name=f"pagefind-{k}", daemon=True) for k in range(n)]
        for t in threads:
            t.start()
        try:
            for t in threads:
                t.join()
        except BaseException:  # e.g. KeyboardInterrupt in the caller: no child may outlive us
            stop_all()
            for t in threads:
                t.join()
            raise
    if errors:
        # the first error is the cause; later ones are the services we killed because of it
        raise errors[0]


def _index_one(svc: _Service, records: Sequence[SearchRecord], dest: Path, language: str) -> None:
    index_id = svc.call({"type": "NewIndex", "config": {"force_language": language}})["index_id"]
    for r in records or [_PLACEHOLDER]:
        svc.send(
            {
                "type": "AddRecord",
                "index_id": index_id,
                "url": r.url,
                "content": r.content,
                "language": language,
                "meta": {"title": r.title},
                "filters": r.filters,
                "sort": None,
            }
        )
    files = svc.call({"type": "GetFiles", "index_id": index_id})["files"]
    # frees the index's memory in the child while we write its files
    svc.send({"type": "DeleteIndex", "index_id": index_id})
    svc.flush()
    _write_bundle(files, dest)
    if not (dest / "pagefind-entry.json").is_file():
        raise SearchIndexError(f"Pagefind wrote no pagefind-entry.json into {dest}")


def _write_bundle(files: list[dict[str, str]], dest: Path) -> None:
    """One file after another: Pagefind's own WriteFiles opens them all at once on dozens of
    threads, which on a 2-core machine costs more system time than the indexing itself."""
    _rmtree(dest)
    dest.mkdir()
    made = {dest}
    for f in files:
        rel = Path(f["path"])
        if rel.is_absolute() or ".." in rel.parts:
            raise SearchIndexError(f"Pagefind returned a file outside its bundle: {f['path']!r}")
        target = dest / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(base64.b64decode(f["content"]))


class _Service:
    """A `pagefind --service` child: requests are pipelined, a reader thread collects answers.

    The child is never blocked on a full stdout pipe (the reader drains it) and keeps reading
    its stdin on a thread of its own, so writing requests cannot deadlock; a watchdog kills a
    child that stops answering, which also unblocks a write stuck on a full stdin pipe.
    """

    def __init__(self, exe: Path, timeout: float) -> None:
        self._timeout = timeout
        # a file, not a pipe: nobody has to drain it; closed in __exit__
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._proc = subprocess.Popen(
                [str(exe), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                cwd=tempfile.gettempdir(),
            )
        except OSError as e:
            self._stderr.close()
            raise SearchIndexError(f"cannot start Pagefind ({exe}): {e}") from e
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._stdin = self._proc.stdin
        self._stdout = self._proc.stdout
        self._cond = threading.Condition()
        self._next_id = 0
        self._pending: dict[int, str] = {}  # message id → request type, until answered
        self._wanted: dict[int, dict[str, Any] | None] = {}  # the answers a caller waits for
        self._error: str | None = None
        self._eof = False
        self._killed_for: str | None = None
        self._progress = time.monotonic()
        self._closed = threading.Event()
        self._reader = threading.Thread(target=self._read, name="pagefind-reader", daemon=True)
        self._watchdog = threading.Thread(target=self._watch, name="pagefind-watchdog", daemon=True)
        self._reader.start()
        self._watchdog.start()

    # requests

    def send(self, payload: dict[str, Any], *, want: bool = False) -> int:
        """Queue a request without waiting for its answer (errors surface at the next `call`)."""
        with self._cond:
            self._raise_if_failed()
            self._next_id += 1
            mid = self._next_id
            if not self._pending:
                self._progress = time.monotonic()
            self._pending[mid] = str(payload.get("type"))
            if want:
                self._wanted[mid] = None
        data = base64.b64encode(json.dumps({"message_id": mid, "payload": payload}).encode("utf-8")) + b","
        try:
            self._stdin.write(data)
        except (BrokenPipeError, ValueError, OSError):
            with self._cond:  # the child is gone: its exit (or our kill) says why
                self._cond.wait_for(lambda: self._eof, timeout=5)
                self._raise_if_failed()
            raise SearchIndexError(f"Pagefind stopped reading requests{self._stderr_tail()}") from None
        return mid

    def flush(self) -> None:
        # a dead child is reported by the next wait, from its exit code and stderr
        with contextlib.suppress(OSError, ValueError):
            self._stdin.flush()

    def sync(self) -> None:
        """Wait until every request sent so far is answered."""
        self.flush()
        with self._cond:
            self._cond.wait_for(lambda: not self._pending or self._failed())
            self._raise_if_failed()

    def call(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send and wait for this answer and every earlier one (so earlier errors are not lost)."""
        mid = self.send(payload, want=True)
        self.flush()
        with self._cond:
            self._cond.wait_for(lambda: not self._pending or self._failed())
            self._raise_if_failed()
            answer = self._wanted.pop(mid)
        assert answer is not None
        return answer

    # lifecycle

    def kill(self) -> None:
        with self._cond:
            self._killed_for = self._killed_for or "stopped because another Pagefind process failed"
        with contextlib.suppress(OSError):
            self._proc.kill()

    def __enter__(self) -> _Service:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                # only now: the service exits the moment its stdin closes, even mid-request
                with contextlib.suppress(OSError, ValueError):
                    self._stdin.close()
                try:
                    self._proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
            else:
                self._proc.kill()
            self._proc.wait()
        finally:
            self._closed.set()
            with contextlib.suppress(OSError, ValueError):
                self._stdin.close()
            self._reader.join(timeout=5)
            self._stdout.close()
            self._stderr.close()

    # internals (called with self._cond held unless said otherwise)

    def _failed(self) -> bool:
        return self._error is not None or self._eof or self._killed_for is not None

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise SearchIndexError(f"Pagefind: {self._error}")
        if self._killed_for is not None:
            raise SearchIndexError(f"Pagefind {self._killed_for}")
        if self._eof:
            code = self._proc.poll()
            if code is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    code = self._proc.wait(timeout=5)
            raise SearchIndexError(f"Pagefind exited unexpectedly (exit code {code}){self._stderr_tail()}")

    def _stderr_tail(self) -> str:
        try:
            self._stderr.seek(0, os.SEEK_END)
            size = self._stderr.tell()
            self._stderr.seek(max(0, size - 2000))
            text = self._stderr.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f": {text}" if text else ""

    def _read(self) -> None:
        """Reader thread: splits stdout on commas (base64 never contains one) and files the answers."""
        buf = bytearray()
        scanned = 0  # no comma in buf[:scanned]: a GetFiles answer is megabytes in 64 KB reads
        fd = self._stdout.fileno()
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._eof = True
                    self._cond.notify_all()
                return
            buf += chunk
            end = buf.rfind(b",", scanned)
            if end < 0:
                scanned = len(buf)
                continue
            messages = bytes(buf[:end]).split(b",")
            del buf[: end + 1]
            scanned = 0
            with self._cond:
                for m in messages:
                    self._answer(m)
                self._progress = time.monotonic()
                self._cond.notify_all()

    def _answer(self, raw: bytes) -> None:
        try:
            msg = json.loads(base64.b64decode(raw))
            payload = msg["payload"]
        except (ValueError, KeyError, TypeError):
            self._error = self._error or f"unreadable answer {raw[:200]!r}"
            return
        mid = msg.get("message_id")
        if mid is None and isinstance(payload.get("original_message"), str):
            with contextlib.suppress(ValueError, AttributeError):
                mid = json.loads(payload["original_message"]).get("message_id")
        kind = self._pending.pop(mid, None) if isinstance(mid, int) else None
        if payload.get("type") == "Error":
            what = f"{kind} failed" if kind else "error"
            self._error = self._error or f"{what}: {payload.get('message') or payload}"
        elif mid in self._wanted:
            self._wanted[mid] = payload

    def _watch(self) -> None:
        """Watchdog thread: kills a child that holds an open request without answering for too long."""
        while not self._closed.wait(1.0):
            with self._cond:
                stalled = bool(self._pending) and time.monotonic() - self._progress > self._timeout
                if stalled and not self._failed():
                    self._killed_for = f"did not answer for {self._timeout:.0f} s and was stopped"
                    self._cond.notify_all()
                else:
                    continue
            with contextlib.suppress(OSError):
                self._proc.kill()
