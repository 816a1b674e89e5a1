"""search, list, show, stats, schema: reading the archive."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from papernews.cli.app import app, settings
from papernews.cli.output import item_dict, items_table, out, print_json
from papernews.cli.params import KINDS, kind_option
from papernews.cli.params import month_option as _month
from papernews.cli.params import week_option as _week
from papernews.formats.markdown import render_item
from papernews.model import item_json_schema
from papernews.store.search import RANK_WINDOW


def _kind(value: str | None) -> str | None:
    kind = kind_option(value)
    return kind.value if kind else None


@app.command()
def search(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="Words to find, Korean or English (`추론`, `LoRA`, `Google DeepMind`)."),
    kind: str = typer.Option(None, "--kind", "-k", help=f"Only this kind: {KINDS}."),
    org: str = typer.Option(None, "--org", help="Only items of this org (exact name, any case)."),
    since: str = typer.Option(None, "--since", help="From this month on (YYYY-MM)."),
    until: str = typer.Option(None, "--until", help="Up to this month (YYYY-MM)."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="At most this many results."),
    rank_all: bool = typer.Option(
        False, "--all", help=f"Rank every match, not only the newest {RANK_WINDOW:,} of a very common word."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the results as a JSON list with scores."),
) -> None:
    """Full-text search over titles, orgs and bullets, best match first (BM25).

    Every word must match. Korean words are found inside longer words (`추론` finds
    `추론하는`); English words match whole words (`LoRA` does not find `exploration`).
    A query matching more than 1,000 items is ranked among its newest 1,000 matches
    (fast on any archive); --all ranks them all.
    """
    with settings(ctx).store() as store:
        hits = store.search(
            query,
            kind=_kind(kind),
            org=org,
            since=_month(since),
            until=_month(until),
            limit=limit,
            window=None if rank_all else RANK_WINDOW,
        )
    if as_json:
        print_json([item_dict(h.item, score=h.score) for h in hits])
        return
    if not hits:
        out.print(f"no items match {query!r}")
        raise typer.Exit(0)
    out.print(items_table([h.item for h in hits], [h.score for h in hits]))
    note = f"; ranked among the newest {RANK_WINDOW:,} (--all ranks every match)" if hits.windowed else ""
    out.print(f"{len(hits)} of {hits.total:,} matching items{note}")


@app.command("list")
def list_(
    ctx: typer.Context,
    week: str = typer.Option(None, "--week", "-w", help="Only this week (YYYY-MM-Wnn, e.g. 2024-09-W03)."),
    kind: str = typer.Option(None, "--kind", "-k", help=f"Only this kind: {KINDS}."),
    org: str = typer.Option(None, "--org", help="Only items of this org (exact name, any case)."),
    since: str = typer.Option(None, "--since", help="From this month on (YYYY-MM)."),
    until: str = typer.Option(None, "--until", help="Up to this month (YYYY-MM)."),
    limit: int = typer.Option(None, "--limit", "-n", min=1, help="At most this many items."),
    as_json: bool = typer.Option(False, "--json", help="Print the items as a JSON list."),
) -> None:
    """List items in digest order, filtered by week, kind, org or months."""
    with settings(ctx).store() as store:
        items = store.items(
            kind=_kind(kind), org=org, week=_week(week), since=_month(since), until=_month(until), limit=limit
        )
    if as_json:
        print_json([item_dict(i) for i in items])
        return
    if not items:
        out.print("no items")
        return
    out.print(items_table(items))
    out.print(f"{len(items)} items")


@app.command()
def show(
    ctx: typer.Context,
    item_id: str = typer.Argument(..., metavar="ID", help="An item id, or a unique prefix of 4+ characters."),
    as_json: bool = typer.Option(False, "--json", help="Print the item as JSON."),
) -> None:
    """Show one item: its fields, and its Markdown as it will be exported."""
    with settings(ctx).store() as store:
        item = store.get(item_id)
    if as_json:
        print_json(item_dict(item))
        return
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for label, value in (
        ("id", item.id),
        ("kind", item.kind.value if item.kind else "(none)"),
        ("orgs", ", ".join(item.orgs) or "(none)"),
        ("title", item.title),
        ("url", item.url or "(none)"),
        ("week", f"{item.week.key} ({item.week.display_label})" if item.week else "(none)"),
        ("tags", ", ".join(item.tags) or "(none)"),
        ("source", f"line {item.source.line}" if item.source else "(none)"),
    ):
        table.add_row(label, value)
    out.print(table)
    out.print()
    markdown = item.source.text if item.unchanged() and item.source else render_item(item)
    out.print(markdown, markup=False, end="")


@app.command()
def stats(
    ctx: typer.Context,
    top: int = typer.Option(10, "--top", min=1, help="How many top orgs to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Counts of the archive: items by kind and by month, top orgs, weeks, bullets."""
    with settings(ctx).store() as store:
        s = store.stats(top=top)
    if as_json:
        print_json(
            {
                "total": s.total,
                "by_kind": s.by_kind,
                "by_month": s.by_month,
                "top_orgs": [{"org": o, "count": c} for o, c in s.top_orgs],
                "weeks": s.weeks,
                "bullets": s.bullets,
            }
        )
        return
    out.print(f"[bold]{s.total}[/] items, {s.weeks} weeks, {s.bullets} bullets")
    kinds = Table(title="by kind", title_justify="left")
    kinds.add_column("kind")
    kinds.add_column("items", justify="right")
    for k, n in s.by_kind.items():
        kinds.add_row(k, str(n))
    months = Table(title="by month", title_justify="left")
    months.add_column("month")
    months.add_column("items", justify="right")
    for m, n in s.by_month.items():
        months.add_row(m, str(n))
    orgs = Table(title=f"top {top} orgs", title_justify="left")
    orgs.add_column("org")
    orgs.add_column("items", justify="right")
    for o, n in s.top_orgs:
        orgs.add_row(o, str(n))
    out.print(kinds, months, orgs)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an item (the model behind every format)."""
    out.print(json.dumps(item_json_schema(), ensure_ascii=False, indent=2), markup=False)
