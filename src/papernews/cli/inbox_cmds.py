"""inbox: the week's candidates from the sources, ranked by taste; accept, reject, snooze.

Thin over `papernews.inbox`; the library modules (sources, ranker, add) load only when a
command runs, so `papernews --help` stays quick.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from papernews.cli.app import app, settings
from papernews.cli.output import err, item_dict, out, print_json
from papernews.cli.params import KINDS
from papernews.cli.params import kind_option as _kind
from papernews.cli.params import week_option as _week

if TYPE_CHECKING:
    from collections.abc import Callable

    from papernews.inbox.decide import Decision
    from papernews.inbox.fetch import SourceReport
    from papernews.inbox.listing import Ranked
    from papernews.inbox.model import InboxCandidate
    from papernews.store import Store

inbox_app = typer.Typer(
    help="The week's candidates from arXiv, Hugging Face, lab feeds and GitHub releases, ranked by your taste.",
    no_args_is_help=False,
    rich_markup_mode="rich",
)
app.add_typer(inbox_app, name="inbox")

_IDS = typer.Argument(..., help="Candidate ids (or unique prefixes), as `papernews inbox` lists them.")
_OUTCOMES_JSON = typer.Option(False, "--json", help="Print the outcome per id as JSON.")


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD", param_hint=option) from None


def candidate_dict(c: InboxCandidate, **extra: Any) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(c)
    data.pop("identity")
    data.update(extra)
    return data


def _row(r: Ranked) -> list[Any]:
    c = r.candidate
    score = f"{r.score:.2f}" if r.score is not None else "-"
    title = Text(c.title)
    title.append(f"\n{c.url}", style="dim")
    if r.reasons:
        title.append("\n" + "; ".join(r.reasons), style="cyan")
    up = str(c.upvotes) if c.upvotes is not None else ""
    return [c.id, score, c.week, ", ".join(c.sources or [c.source]), up, title]


@inbox_app.callback(invoke_without_command=True)
def inbox(
    ctx: typer.Context,
    week: str = typer.Option(None, "--week", "-w", help="Only candidates of this week (YYYY-MM-Wnn)."),
    source: str = typer.Option(None, "--source", "-s", help="Only candidates found by this source."),
    top: int = typer.Option(None, "--top", "-n", min=1, help="Show the N best."),
    as_json: bool = typer.Option(
        False, "--json", help='Print a JSON list: each candidate with its "score" and "reasons", best first.'
    ),
) -> None:
    """List the waiting candidates (new, and snoozed ones whose day has come), best first, each
    with its score and the reasons for it. The ranking learns from the archive (every item is a
    pick) and from your decisions in the inbox."""
    if ctx.invoked_subcommand is not None:
        return
    week_value = _week(week)
    week_key = week_value.key if week_value else None
    from papernews.inbox.listing import list_candidates

    with settings(ctx).store() as store:
        listing = list_candidates(store, week=week_key, source=source, top=top)
    if as_json:
        print_json([candidate_dict(r.candidate, score=r.score, reasons=r.reasons) for r in listing.ranked])
        return
    if not listing.ranked:
        out.print("the inbox is empty: `papernews inbox fetch` brings the week's candidates")
        return
    table = Table(pad_edge=False, show_lines=True)
    for name, style in (("id", "dim"), ("score", ""), ("week", ""), ("source", ""), ("▲", "")):
        table.add_column(name, style=style, no_wrap=True, justify="right" if name in ("score", "▲") else "left")
    table.add_column("title · link · why", min_width=40, overflow="fold")
    for r in listing.ranked:
        table.add_row(*_row(r))
    out.print(table)
    how = "ranked by your taste" if listing.method == "taste" else "newest first"
    err.print(f"{len(listing.ranked)} of {listing.waiting} waiting candidates, {how}", highlight=False)


@inbox_app.command("fetch")
def fetch(
    ctx: typer.Context,
    source: list[str] = typer.Option(None, "--source", "-s", help="Fetch only this source (repeatable)."),
    since: str = typer.Option(
        None, "--since", help="Fetch from this day (YYYY-MM-DD) instead of where each source stopped."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report of each source as JSON."),
) -> None:
    """Bring the new candidates of every source configured in papernews.toml into the inbox.

    Without a configuration: arXiv (cs.CL cs.AI cs.LG cs.CV), Hugging Face daily papers and the
    shipped lab feeds. Each source starts where it stopped last time (a first fetch: a week
    back). Things the archive or the inbox already has (under any address, or a near-identical
    title) are not added again. A source that fails is reported and the others go on.

    Exit code 0 when every source worked, 1 when any failed, 2 for a bad configuration.
    """
    since_day = _date(since, "--since")
    from papernews.config import load_config
    from papernews.inbox.fetch import fetch_sources
    from papernews.sources.http import HttpClient
    from papernews.sources.registry import build_source
    from papernews.sources.settings import HttpSettings

    config = load_config()
    wanted = source or list(config.sources)
    unknown = [n for n in wanted if n not in config.sources]
    if unknown:
        known = ", ".join(config.sources) or "none"
        raise typer.BadParameter(f"no source named {', '.join(unknown)}; configured: {known}", param_hint="--source")
    sources = [build_source(name, config.sources[name]) for name in wanted]
    with (
        settings(ctx).store() as store,
        HttpClient(HttpSettings.from_env()) as client,
        Progress(
            TextColumn("{task.description:>12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=as_json or not err.is_terminal,
        ) as bar,
    ):
        tasks: dict[str, TaskID] = {s.name: bar.add_task(s.name, total=None) for s in sources}

        def step(name: str, done: int, total: int | None) -> None:
            bar.update(tasks[name], completed=done, total=total)

        reports = fetch_sources(store, sources, client, since=since_day, progress=step)
    _print_reports(reports, as_json)
    if any(not r.ok for r in reports):
        raise typer.Exit(1)


def _print_reports(reports: list[SourceReport], as_json: bool) -> None:
    if as_json:
        from dataclasses import asdict

        print_json([asdict(r) | {"seconds": round(r.seconds, 2)} for r in reports])
        return
    for r in reports:
        if r.error is not None:
            out.print(Text.assemble(("failed ", "red"), f"{r.name}: {r.error}"))
            continue
        out.print(
            Text.assemble(
                ("fetched ", "green"),
                f"{r.name}: {r.found} found, {r.added} new, {r.in_inbox} already in the inbox,"
                f" {r.in_archive} already in the archive ({r.requests} requests, {r.seconds:.1f} s)",
            )
        )
        for problem in r.problems:
            out.print(Text.assemble(("  warning ", "yellow"), problem))
    added = sum(r.added for r in reports)
    failed = [r.name for r in reports if not r.ok]
    summary = f"{added} new candidates from {len(reports) - len(failed)} of {len(reports)} sources"
    if failed:
        summary += f"; failed: {', '.join(failed)}"
    err.print(summary + "; `papernews inbox --top 30` lists the best", highlight=False)


def _print_decisions(decisions: list[Decision], as_json: bool) -> None:
    if as_json:
        print_json(
            [
                {
                    "id": d.ref,
                    "outcome": d.outcome,
                    "candidate": candidate_dict(d.candidate) if d.candidate else None,
                    "item": item_dict(d.item) if d.item else None,
                    "error": d.error,
                }
                for d in decisions
            ]
        )
    else:
        colours = {"accepted": "green", "duplicate": "yellow", "rejected": "", "snoozed": "", "error": "red"}
        for d in decisions:
            what = d.candidate.title if d.candidate else ""
            if d.item is not None:
                what += f" → item {d.item.id}"
            if d.outcome == "snoozed" and d.candidate:
                what += f" until {d.candidate.snoozed_until or 'next week'}"
            out.print(Text.assemble((f"{d.outcome} ", colours[d.outcome]), f"{d.ref}: ", d.error or what))
    if any(d.outcome == "error" for d in decisions):
        raise typer.Exit(1)


def _decide(ctx: typer.Context, act: Callable[[Store], list[Decision]], as_json: bool) -> None:
    """Open the archive, take one decision on the ids, print the outcomes (exit 1 on any error):
    accept, reject and snooze differ only in the decision, so they share this."""
    with settings(ctx).store() as store:
        decisions = act(store)
    _print_decisions(decisions, as_json)


@inbox_app.command("accept")
def accept(
    ctx: typer.Context,
    ids: list[str] = _IDS,
    week: str = typer.Option(None, "--week", "-w", help="File the items under this week (YYYY-MM-Wnn)."),
    kind: str = typer.Option(None, "--kind", "-k", help=f"Kind of every item ({KINDS}) instead of the guessed one."),
    org: str = typer.Option(None, "--org", help="Org of every item as written, instead of the guessed one."),
    offline: bool = typer.Option(
        False, "--offline", help="Fetch nothing: the item is filled from what the source said."
    ),
    as_json: bool = typer.Option(False, "--json", help='Print {"id", "outcome", "candidate", "item", "error"} per id.'),
) -> None:
    """Make candidates archive items, exactly as `papernews add` adds their links.

    Metadata is fetched; kind, org and week are guessed (flags win). A candidate the archive
    already has is marked accepted as that item. Exit code 1 when any id failed."""
    week_value, kind_value = _week(week), _kind(kind)
    from papernews.inbox import decide

    _decide(
        ctx,
        lambda store: decide.accept(store, ids, week=week_value, kind=kind_value, org=org, offline=offline),
        as_json,
    )


@inbox_app.command("reject")
def reject(ctx: typer.Context, ids: list[str] = _IDS, as_json: bool = _OUTCOMES_JSON) -> None:
    """Pass over candidates: they leave the list, and the ranker learns you did not want them."""
    from papernews.inbox import decide

    _decide(ctx, lambda store: decide.reject(store, ids), as_json)


@inbox_app.command("snooze")
def snooze(
    ctx: typer.Context,
    ids: list[str] = _IDS,
    until: str = typer.Option(None, "--until", help="Back in the list on this day (YYYY-MM-DD; default in 7 days)."),
    as_json: bool = _OUTCOMES_JSON,
) -> None:
    """Hide candidates until a later day (a paper to judge when its code is out)."""
    until_day = _date(until, "--until")
    from papernews.inbox import decide

    _decide(ctx, lambda store: decide.snooze(store, ids, until=until_day), as_json)
