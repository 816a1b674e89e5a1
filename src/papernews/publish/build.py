"""`papernews build`: the archive → a folder with the site, README.md and items.json.

README.md and items.json are the exact bytes `papernews export` gives, so a site folder
committed to git is also the digest's source of truth.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from papernews.archive import export_text
from papernews.errors import PapernewsError
from papernews.publish.site import Site, render_site
from papernews.publish.writer import WriteReport, write_site
from papernews.store import Store


def index_for_search(out: Path) -> None:
    """Run Pagefind (the `pagefind[extended]` package, which segments Korean) over the item
    pages; it writes the chunked index and the search UI into `out/pagefind/`."""
    proc = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(out), "--output-subdir", "pagefind", "--quiet"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise PapernewsError(f"pagefind failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()[-500:]}")


@dataclass
class BuildReport:
    out: Path
    items: int
    files: int
    write: WriteReport
    seconds: float
    home_bytes: int


def build(store: Store, out: Path, site: Site, *, search: bool = True) -> BuildReport:
    """Write the site into `out`; `search=False` skips the Pagefind index (a quicker preview).

    Our files are byte-for-byte deterministic; Pagefind's own files in `out/pagefind/` are not
    (it names some of them by hashes that change between runs), so they are rebuilt only when a
    page changed."""
    t0 = time.perf_counter()
    items = store.all_items()
    extra = {
        "README.md": export_text(store, "markdown").encode("utf-8"),
        "items.json": export_text(store, "json").encode("utf-8"),
    }
    files = render_site(items, site, extra_files=extra)
    report = write_site(files, out)
    if search and (report.written or report.removed or not (out / "pagefind" / "pagefind.js").exists()):
        index_for_search(out)
    return BuildReport(
        out=out,
        items=len(items),
        files=len(files),
        write=report,
        seconds=time.perf_counter() - t0,
        home_bytes=len(files["index.html"]),
    )
