"""Writing a built site to a folder: only what changed, atomically, and nothing stale left behind.

A manifest (`.papernews-site.json`) lists the files the last build wrote, so a page that no
longer exists (an item deleted, an org renamed) is removed, while files the user put in the
folder themselves are never touched.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from papernews.errors import PapernewsError
from papernews.files import write_atomic_bytes

MANIFEST = ".papernews-site.json"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    total_bytes: int = 0


def write_site(files: dict[str, bytes], out: Path) -> WriteReport:
    """Bring `out` to exactly `files` (plus whatever the user keeps there)."""
    out.mkdir(parents=True, exist_ok=True)
    report = WriteReport()
    root = out.resolve()
    for rel, data in sorted(files.items()):
        target = (out / rel).resolve()
        if root not in target.parents:
            raise PapernewsError(f"refusing to write outside the output folder: {rel!r}")
        report.total_bytes += len(data)
        try:
            if target.read_bytes() == data:
                report.unchanged += 1
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(target, data, durable=False)
        report.written.append(rel)
    manifest = out / MANIFEST
    try:
        previous = set(json.loads(manifest.read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError):
        previous = set()
    for rel in sorted(previous - set(files)):
        target = out / rel
        if target.is_file():
            target.unlink()
            report.removed.append(rel)
            _prune_empty_dirs(target.parent, out)
    listing = json.dumps(sorted(files), ensure_ascii=False, indent=0) + "\n"
    write_atomic_bytes(manifest, listing.encode("utf-8"), durable=False)
    return report


def _prune_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        os.rmdir(folder)
        folder = folder.parent
