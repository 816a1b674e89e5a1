"""guess, orgs: what the archive knows about links and organisations, without the network."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from papernews.cli.app import app, settings
from papernews.cli.output import err, out, print_json
from papernews.errors import InputError


@app.command()
def guess(
    ctx: typer.Context,
    urls: list[str] = typer.Argument(..., help="One or more links (http or https).", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list, one object per URL in input order."),
) -> None:
    """Guess kind and org of links the way the curator would, from the URL and the archive alone (no network).

    Learns from the archive (`--db`) which kind and org went with each host, GitHub,
    Hugging Face or X owner, `*.github.io` page and lab domain, with shipped rules for hosts
    it has never seen. Prints the canonical URL (tracking removed) and the ids found in it
    (arXiv, DOI, OpenReview, GitHub repo, Hugging Face model, dataset or space). The org of
    an arXiv paper needs its metadata, so it is null here.

    A URL that is not http(s) gets an `error` and makes the exit code 1; the others are
    still printed.
    """
    with settings(ctx).store() as store:
        from papernews.identity.guess import GuessModel  # rapidfuzz, w3lib: only when asked

        model = GuessModel.from_items(store.all_items())
    rows: list[dict[str, Any]] = []
    for url in urls:
        try:
            rows.append(model.guess(url).to_json())
        except InputError as e:
            rows.append({"url": url, "canonical_url": None, "kind": None, "org": None, "ids": {}, "error": e.message})
    if as_json:
        print_json(rows)
    else:
        table = Table(pad_edge=False)
        for name in ("url", "kind", "org", "ids"):
            table.add_column(name, overflow="fold")
        for row in rows:
            ids = ", ".join(f"{k} {v}" for k, v in row["ids"].items())
            if "error" in row:
                table.add_row(Text(row["url"]), "", "", Text(f"error: {row['error']}", style="red"))
            else:
                table.add_row(Text(row["canonical_url"]), row["kind"] or "?", Text(row["org"] or "?"), Text(ids))
        out.print(table)
    bad = sum("error" in row for row in rows)
    if bad:
        err.print(f"{bad} of {len(rows)} URLs could not be read", highlight=False)
        raise typer.Exit(1)


@app.command()
def orgs(
    ctx: typer.Context,
    suspects: bool = typer.Option(
        False, "--suspects", help="Also list pairs of orgs that may be one (typos, `X` / `X University`)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: orgs with counts and spellings (and suspects)."),
) -> None:
    """Organisations of the archive with their counts, each under the curator's most used spelling.

    Spellings that differ only in case, spacing or punctuation (`NVIDIA`/`Nvidia`) are merged,
    and so are those the shipped alias table names (typos like `Stnaford`, `Mistral`/`Mistral AI`).
    `--suspects` lists near-identical names that are *not* merged, for a person to decide:
    `Google Research` and `Google` are both written by the curator on purpose.
    """
    with settings(ctx).store() as store:
        from papernews.identity.orgs import OrgTable

        table = OrgTable.from_items(store.all_items())
    found = table.orgs()
    pairs = table.suspects() if suspects else []
    if as_json:
        data: dict[str, Any] = {
            "orgs": [{"name": o.name, "count": o.count, "spellings": o.spellings} for o in found],
        }
        if suspects:
            data["suspects"] = [{"a": a, "b": b, "score": score} for a, b, score in pairs]
        print_json(data)
        return
    listing = Table(title=f"{len(found)} orgs", title_justify="left", pad_edge=False)
    listing.add_column("org")
    listing.add_column("items", justify="right")
    listing.add_column("other spellings", overflow="fold")
    for o in found:
        others = ", ".join(f"{s} ({n})" for s, n in o.spellings.items() if s != o.name)
        listing.add_row(Text(o.name), str(o.count), Text(others))
    out.print(listing)
    if suspects:
        maybe = Table(title="suspected aliases (not merged)", title_justify="left", pad_edge=False)
        maybe.add_column("org")
        maybe.add_column("org")
        maybe.add_column("similarity", justify="right")
        for a, b, score in pairs:
            maybe.add_row(Text(a), Text(b), f"{score:.0f}")
        out.print(maybe)
