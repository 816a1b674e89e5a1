"""Put a stored archive back together as a README: the imported layout, plus items added since.

Pure: takes the layout (verbatim text and item ids, in document order) and the items, and
returns a `Document` that `render` writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from papernews.formats.markdown.document import D, Document, Raw, canonical_nodes
from papernews.model import Item

LayoutRow = tuple[str | None, str | None]  # (raw text, item id): exactly one is set


def assemble(layout: list[LayoutRow], items: list[Item]) -> Document:
    """The README of an archive.

    With no layout (an archive built from items.json) the whole document is canonical.
    Items that the layout does not place go at the end of the block of their week, after
    the last item of that week; when no block of their week exists, new canonical blocks
    are appended at the end of the document, so nothing in the archive is left out.
    """
    return Document(nodes=place(layout, items))


def place(layout: list[LayoutRow], items: Sequence[D]) -> list[Raw | D]:
    """The nodes of `assemble`, for Items or for anything else with an id and a week: an
    export places items it has already rendered (see `archive.export_bytes`)."""
    if not layout:
        return canonical_nodes(items)
    by_id = {it.id: it for it in items}
    nodes: list[Raw | D] = []
    placed: set[str] = set()
    for raw, item_id in layout:
        if raw is not None:
            nodes.append(Raw(raw, 0))
        elif item_id in by_id:
            nodes.append(by_id[item_id])
            placed.add(item_id)
    leftovers = [it for it in items if it.id not in placed]
    tail: list[D] = []
    for item in leftovers:
        at = _last_index_of_week(nodes, item)
        if at is None:
            tail.append(item)
        else:
            nodes.insert(at + 1, item)
    if tail:
        extra = canonical_nodes(tail)[1:]  # without a second legend
        if nodes and isinstance(nodes[-1], Raw) and not nodes[-1].text.endswith("\n\n"):
            nodes.append(Raw("\n", 0))
        nodes.extend(extra)
    return nodes


def _last_index_of_week(nodes: Sequence[Raw | D], item: D) -> int | None:
    if item.week is None:
        return None
    found = None
    for i, node in enumerate(nodes):
        if not isinstance(node, Raw) and node.week is not None and node.week.covers(item.week):
            found = i
    return found
