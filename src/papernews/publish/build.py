"""`papernews build`: the archive → a folder with the site, README.md and items.json.

README.md and items.json are the exact bytes `papernews export` gives, so a site folder
committed to git is also the digest's source of truth.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from papernews.archive import export_text
from papernews.publish.site import Site, render_site
from papernews.publish.writer import WriteReport, write_site
from papernews.store import Store


@dataclass
class BuildReport:
    out: Path
    items: int
    files: int
    write: WriteReport
    seconds: float
    home_bytes: int


def build(store: Store, out: Path, site: Site) -> BuildReport:
    t0 = time.perf_counter()
    items = store.all_items()
    extra = {
        "README.md": export_text(store, "markdown").encode("utf-8"),
        "items.json": export_text(store, "json").encode("utf-8"),
    }
    files = render_site(items, site, extra_files=extra)
    report = write_site(files, out)
    return BuildReport(
        out=out,
        items=len(items),
        files=len(files),
        write=report,
        seconds=time.perf_counter() - t0,
        home_bytes=len(files["index.html"]),
    )
