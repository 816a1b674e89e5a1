"""Moving a digest between files and the archive: the library calls behind import, export and fmt."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from papernews.errors import InputError
from papernews.files import read_text
from papernews.formats import itemsjson
from papernews.formats.detect import FORMATS, Format, detect_format
from papernews.formats.markdown import Document, parse, render, render_item
from papernews.model import Item
from papernews.store import ImportReport, Store
from papernews.store.db import Progress


@dataclass
class Loaded:
    """A file read into items, with its Markdown document when it was one."""

    format: Format
    items: list[Item]
    document: Document | None


def load_file(path: str | Path, fmt: Format | None = None) -> Loaded:
    """Read and parse a file completely, before anything is written anywhere."""
    text = read_text(path)
    fmt = fmt or detect_format(str(path), text)
    if fmt == "markdown":
        doc = parse(text, path=str(path))
        return Loaded(fmt, doc.items, doc)
    if fmt == "json":
        return Loaded(fmt, itemsjson.items_from_json(text, path=str(path)), None)
    if fmt == "jsonl":
        return Loaded(fmt, itemsjson.items_from_jsonl(text, path=str(path)), None)
    # library callers may pass any string
    raise InputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", path=str(path))


def import_loaded(
    store: Store, loaded: Loaded, *, prune: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Bring a parsed file into the archive in one transaction."""
    if loaded.document is not None:
        report = store.import_document(loaded.document, prune=prune, progress=progress)
    else:
        report = store.import_items(loaded.items, prune=prune, progress=progress)
    return report


def export_text(store: Store, fmt: Format, *, last_updated: str | None = None) -> str:
    """The archive as a README (layout kept), items.json, or JSONL."""
    if fmt == "markdown":
        return render(store.document())
    if fmt == "json":
        # By default the archive's own last write, not "now": the same archive, the same bytes.
        stamp = last_updated or _js_iso(store.last_modified())
        return itemsjson.items_json_text(store.iter_items(), count=store.count(), last_updated=stamp)
    return itemsjson.items_to_jsonl(store.iter_items())


def _js_iso(stamp: str | None) -> str | None:
    """`2024-10-01T12:00:00Z` → `2024-10-01T12:00:00.000Z`, the reference file's spelling."""
    if stamp and stamp.endswith("Z") and "." not in stamp:
        return stamp[:-1] + ".000Z"
    return stamp


def format_document(text: str, *, path: str | None = None, canonical: bool = False) -> str:
    """What `papernews fmt` writes: the round trip of `text`, or with `canonical` every item in house style."""
    doc = parse(text, path=path)
    if not canonical:
        return render(doc)
    return "".join(render_item(n) if isinstance(n, Item) else n.text for n in doc.nodes)


def first_difference(expected: str, actual: str) -> tuple[int, str, str] | None:
    """(line number, expected line, actual line) of the first differing line, or None when equal."""
    if expected == actual:
        return None
    a = expected.splitlines(keepends=True)
    b = actual.splitlines(keepends=True)
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "<end of file>"
        y = b[i] if i < len(b) else "<end of file>"
        if x != y:
            return i + 1, x, y
    return len(a), "", ""


__all__ = [
    "FORMATS",
    "Format",
    "Loaded",
    "export_text",
    "first_difference",
    "format_document",
    "import_loaded",
    "load_file",
]
