"""README.md and items.json of an archive, written by a child process of the build.

`python -m papernews.publish.exports DB FOLDER` writes both files into FOLDER. The build
runs it beside its own page rendering: exporting 100,000 items reads and validates every
item once for both files (about 12 s of CPU and 0.5 GB), work that then runs on another
core and whose memory is returned to the system as soon as the child exits.
"""

from __future__ import annotations

import sys
from pathlib import Path

from papernews.archive import export_bytes
from papernews.formats.detect import Format
from papernews.store import Store

EXPORTS: dict[str, Format] = {"README.md": "markdown", "items.json": "json"}


def export_files(store: Store) -> dict[str, bytes]:
    """Both files, from one read of the archive (`export_bytes`)."""
    data = export_bytes(store, EXPORTS.values())
    return {name: data[fmt] for name, fmt in EXPORTS.items()}


def main(argv: list[str] | None = None) -> None:
    db, folder = (argv if argv is not None else sys.argv[1:])[:2]
    store = Store(db)
    try:
        for name, data in export_files(store).items():
            (Path(folder) / name).write_bytes(data)
    finally:
        store.close()


if __name__ == "__main__":
    main()
