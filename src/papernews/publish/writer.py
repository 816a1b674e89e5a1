"""Writing a built site to a folder: only what changed, atomically, and nothing stale left behind.

A manifest (`.papernews-site.json`) lists the files the last build wrote, so a page that no
longer exists (an item deleted, an org renamed) is removed, while files the user put in the
folder themselves are never touched. It also carries state the build keeps between runs
(the search index's shard hashes).

A file that already exists is replaced atomically (temporary file, rename): a web server
serving the folder never sends half a page. A new file is written in place: nobody can be
reading it yet, and skipping the temporary file halves the cost of a first build of
100,000 pages. Nothing is fsynced: the site is rebuilt from the archive at will.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from papernews.errors import PapernewsError
from papernews.files import write_atomic_bytes

MANIFEST = ".papernews-site.json"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    total_bytes: int = 0
    files: int = 0


class SiteWriter:
    """Brings `out` to exactly the files given to `write` (plus whatever the user keeps there)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        self._root = out.resolve()
        self._out_str = str(out)
        self._dirs: set[str] = set()
        self.report = WriteReport()
        self._files: set[str] = set()
        try:
            manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            manifest = {}
        if isinstance(manifest, list):  # the first manifests were a bare list of files
            manifest = {"files": manifest}
        self.previous: set[str] = set(manifest.get("files", []))
        self.state: dict[str, Any] = dict(manifest.get("state", {}))

    @staticmethod
    def _check(rel: str) -> None:
        if rel.startswith("/") or ".." in rel.split("/") or "\\" in rel or "\x00" in rel:
            raise PapernewsError(f"refusing to write outside the output folder: {rel!r}")

    def _target(self, rel: str) -> Path:
        self._check(rel)
        return self.out / rel

    def write(self, rel: str, data: bytes) -> bool:
        """Write one file unless it already holds `data`; True when it was written."""
        if rel in self._files:
            raise PapernewsError(f"two files of the site share the path {rel!r}")
        self._check(rel)
        self._files.add(rel)
        self.report.files += 1
        self.report.total_bytes += len(data)
        # plain strings, not Path objects, on this path: it runs once per page (pathlib's
        # parsing alone cost 2 s of a 100,000-item build)
        target = os.path.join(self._out_str, rel)
        if rel in self.previous:  # there already: compare first
            try:
                with open(target, "rb") as f:
                    same = f.read() == data
            except FileNotFoundError:
                same = False
            if same:
                self.report.unchanged += 1
                return False
            if os.path.isdir(os.path.dirname(target)):
                write_atomic_bytes(Path(target), data, durable=False)
                self.report.written.append(rel)
                return True
        if not self._write_new(rel, target, data):
            self.report.unchanged += 1
            return False
        self.report.written.append(rel)
        return True

    def _write_new(self, rel: str, target: str, data: bytes) -> bool:
        parent = rel.rpartition("/")[0]
        if parent and parent not in self._dirs:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            self._dirs.add(parent)
        try:
            with open(target, "xb") as f:
                f.write(data)
        except FileExistsError:  # there without a manifest entry (a lost manifest, a user's file)
            with open(target, "rb") as f:
                if f.read() == data:
                    return False
            write_atomic_bytes(Path(target), data, durable=False)
        return True

    def keep(self, rel: str) -> None:
        """Count a file of the last build as part of this one without rewriting it."""
        target = self._target(rel)
        self._files.add(rel)
        self.report.files += 1
        self.report.unchanged += 1
        self.report.total_bytes += target.stat().st_size

    def stale(self, prefix: str = "") -> list[str]:
        return sorted(p for p in self.previous - self._files if p.startswith(prefix))

    def remove_stale(self, prefix: str = "") -> list[str]:
        """Remove the files of the last build that this one did not write (under `prefix`)."""
        removed = []
        for rel in self.stale(prefix):
            target = self.out / rel
            if target.is_file():
                target.unlink()
                removed.append(rel)
                _prune_empty_dirs(target.parent, self.out)
            self.previous.discard(rel)
        self.report.removed.extend(removed)
        return removed

    def finish(self) -> WriteReport:
        """Remove what is stale and write the manifest (last: a crash before it redoes the build)."""
        self.remove_stale()
        manifest = {"files": sorted(self._files), "state": self.state}
        text = json.dumps(manifest, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
        write_atomic_bytes(self.out / MANIFEST, text.encode("utf-8"), durable=False)
        return self.report


def _prune_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        os.rmdir(folder)
        folder = folder.parent
