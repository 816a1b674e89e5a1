"""Moving a digest between files and the archive: the library calls behind import, export and fmt."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from papernews.errors import InputError
from papernews.files import read_text
from papernews.formats import itemsjson
from papernews.formats.assemble import place
from papernews.formats.detect import FORMATS, Format, detect_format
from papernews.formats.markdown import Document, Raw, parse, render, render_item
from papernews.formats.markdown.document import render_node
from papernews.model import Item, Week
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
    return export_bytes(store, (fmt,), last_updated=last_updated)[fmt].decode("utf-8")


@dataclass(frozen=True, slots=True)
class _Rendered:
    """An item of the README, already written out: its text, and what placing it needs."""

    id: str
    week: Week | None
    text: bytes


def export_bytes(store: Store, formats: Iterable[Format], *, last_updated: str | None = None) -> dict[Format, bytes]:
    """The archive in each of `formats` (UTF-8), from one pass over its items.

    Reading an item back (pydantic validates its row) is the largest single cost of an
    export, so every format is made from the same read: each item is rendered into each
    format at once and only its bytes are kept (with its id and week, which placing it in
    the README needs), not the model: at 100,000 items a few hundred MB rather than a GB.
    items.json's `last_updated` is by default the archive's own last write, not "now":
    the same archive gives the same bytes.
    """
    wanted = set(formats)
    unknown = wanted - set(FORMATS)
    if unknown:  # library callers may pass any string
        raise InputError(f"unknown format {sorted(unknown)[0]!r}; choose one of {', '.join(FORMATS)}")
    readme: list[_Rendered] = []
    blocks: list[bytes] = []
    lines: list[bytes] = []
    tally = itemsjson.Tally()
    for item in store.iter_items():
        if "markdown" in wanted:
            readme.append(_Rendered(item.id, item.week, render_node(item).encode("utf-8")))
        if "json" in wanted:
            tally.add(item)
            blocks.append(itemsjson.item_block(item).encode("utf-8"))
        if "jsonl" in wanted:
            lines.append(itemsjson.item_line(item).encode("utf-8"))
    out: dict[Format, bytes] = {}
    if "markdown" in wanted:
        nodes = place(store.layout(), readme)
        out["markdown"] = b"".join(n.text.encode("utf-8") if isinstance(n, Raw) else n.text for n in nodes)
    if "json" in wanted:
        stamp = last_updated or _js_iso(store.last_modified())
        head, tail = itemsjson.document_frame(tally, last_updated=stamp)
        out["json"] = b"".join((head.encode("utf-8"), b",\n".join(blocks), tail.encode("utf-8")))
    if "jsonl" in wanted:
        out["jsonl"] = b"".join(lines)
    return out


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
    "export_bytes",
    "export_text",
    "first_difference",
    "format_document",
    "import_loaded",
    "load_file",
]
