"""How results look in a terminal, and as JSON for scripts."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from papernews.model import Item

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def item_dict(item: Item, **extra: Any) -> dict[str, Any]:
    """An item for `--json` output: every field but the verbatim source text."""
    data = item.model_dump(mode="json", exclude={"source"})
    data["source_line"] = item.source.line if item.source else None
    data.update(extra)
    return data


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def items_table(items: list[Item], scores: list[float] | None = None) -> Table:
    table = Table(show_lines=False, pad_edge=False, expand=False)
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("week", no_wrap=True, max_width=16)
    table.add_column("kind", no_wrap=True)
    table.add_column("org", max_width=18, overflow="ellipsis", no_wrap=True)
    table.add_column("title", min_width=30, overflow="fold")
    if scores is not None:
        table.add_column("score", justify="right")
    for n, it in enumerate(items):
        row = [
            it.id,
            it.week.key if it.week else "",
            it.kind.value if it.kind else "",
            Text(it.org_text),
            Text(it.title or (it.url or "")),
        ]
        if scores is not None:
            row.append(f"{scores[n]:.2f}")
        table.add_row(*row)
    return table
