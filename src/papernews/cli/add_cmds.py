"""add: pasted links become archive items, or are shown as the items they already are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from papernews.cli.app import app, settings
from papernews.cli.output import err, item_dict, out, print_json
from papernews.cli.params import KINDS
from papernews.cli.params import kind_option as _kind
from papernews.cli.params import week_option as _week
from papernews.model import Item

if TYPE_CHECKING:  # the command imports it when it runs: it loads the HTTP and identity stacks (0.5 s)
    from papernews.add import AddResult


def _result_json(r: AddResult) -> dict[str, Any]:
    return {
        "url": r.url,
        "status": r.status,
        "item": item_dict(r.item) if r.item is not None else None,
        "duplicate_of": r.duplicate_of,
        "error": r.error,
    }


def _describe(item: Item) -> Text:
    week = item.week.key if item.week else "-"
    kind = item.kind.value if item.kind else "-"
    return Text(f"{item.id}  {kind}  {item.org_text or '-'}  {week}  {item.title}")


_REASONS = {
    "arxiv": "same arXiv id",
    "doi": "same DOI",
    "openreview": "same OpenReview forum",
    "github": "same GitHub repository",
    "hf": "same Hugging Face repository",
    "url": "same address",
    "title": "near-identical title",
}


@app.command()
def add(
    ctx: typer.Context,
    urls: list[str] = typer.Argument(..., help="One or more links (http or https).", show_default=False),
    week: str = typer.Option(
        None, "--week", "-w", help="File the items under this week (YYYY-MM-Wnn) instead of their published date's."
    ),
    kind: str = typer.Option(None, "--kind", "-k", help=f"Kind of every item ({KINDS}) instead of the guessed one."),
    org: str = typer.Option(
        None, "--org", help="Org of every item as written (`Google DeepMind & Research`) instead of the guessed one."
    ),
    offline: bool = typer.Option(
        False, "--offline", help="Fetch nothing: title from the URL, kind and org guessed from the archive, week today."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be added; write nothing."),
    force: bool = typer.Option(False, "--force", help="Add links the archive already has (duplicates) anyway."),
    as_json: bool = typer.Option(
        False, "--json", help='Print a JSON list: {"url", "status", "item", "duplicate_of", "error"} per URL.'
    ),
) -> None:
    """Add an item to the archive for each URL, filled in from the link's metadata.

    A link the archive already has — under any of its addresses (arXiv `abs`/`pdf`/versions,
    tracking parameters, http, `www.`, a GitHub sub-page), or with a near-identical title — is
    refused and the existing item shown; `--force` adds it anyway.

    Unless `--offline`, the metadata is fetched: arXiv API for papers (title, authors,
    affiliations, abstract, dates, categories, venue), GitHub and Hugging Face APIs for
    repositories, models, datasets and Spaces, the page's own tags for anything else.
    Kind and org are guessed as the curator would write them (`papernews guess`); a paper's
    org comes from its affiliations when the archive knows one. The week is a paper's or
    page's published date's (`ceil(day / 7)`), else this week (a repository's creation date
    is not when it was news). Flags given on the command line win. Summary
    bullets are left empty.

    Network settings: `PAPERNEWS_HTTP_CACHE` (a folder, or `off`), `GITHUB_TOKEN`,
    `PAPERNEWS_ARXIV_API`, `PAPERNEWS_GITHUB_API`, `PAPERNEWS_HF_API`.

    Exit code 0 when every URL was added, 1 when any URL was a duplicate or failed (the
    other URLs are still added), 2 when the archive cannot be used.
    """
    week_value, kind_value = _week(week), _kind(kind)
    with (
        settings(ctx).store() as store,
        Progress(
            TextColumn("adding"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=as_json or len(urls) < 2 or not err.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("add", total=len(urls))
        from papernews.add import add_urls

        results = add_urls(
            store,
            urls,
            week=week_value,
            kind=kind_value,
            org=org,
            offline=offline,
            dry_run=dry_run,
            force=force,
            progress=lambda n, total: bar.update(task, completed=n, total=total),
        )
    if as_json:
        print_json([_result_json(r) for r in results])
    else:
        verb = "would add" if dry_run else "added"
        for r in results:
            if r.status == "added" and r.item is not None:
                out.print(Text.assemble((f"{verb} ", "green"), _describe(r.item)))
            elif r.status == "duplicate":
                why = _REASONS.get(r.duplicate_reason or "", "same item")
                line = Text.assemble(("duplicate ", "yellow"), (r.url, ""), f" ({why}) is already ")
                line.append_text(_describe(r.item) if r.item is not None else Text(r.duplicate_of or "?"))
                out.print(line)
            else:
                out.print(Text.assemble(("error ", "red"), f"{r.url}: {r.error}"))
    bad = [r for r in results if r.status != "added"]
    if bad:
        dups = sum(r.status == "duplicate" for r in bad)
        err.print(
            f"{len(bad)} of {len(results)} URLs not added ({dups} duplicate, {len(bad) - dups} error)"
            + ("; --force adds duplicates anyway" if dups else ""),
            highlight=False,
        )
        raise typer.Exit(1)
