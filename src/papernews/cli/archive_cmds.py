"""import, export, fmt: moving the digest between files and the archive."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from papernews import archive
from papernews.cli.app import app, settings
from papernews.cli.output import err, out, print_json
from papernews.files import read_text, write_atomic
from papernews.formats.detect import Format, UnknownFormatError, check_format

FORMAT_HELP = "markdown, json or jsonl (default: from the file's extension, else its content)."


def _format(value: str | None) -> Format | None:
    if value is None:
        return None
    try:
        return check_format(value)
    except UnknownFormatError as e:
        raise typer.BadParameter(str(e)) from None


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A digest README (.md), items.json, or JSONL file."),
    fmt: str = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    prune: bool = typer.Option(False, "--prune", help="Delete archive items that the file no longer has."),
    as_json: bool = typer.Option(False, "--json", help="Print the import report as JSON."),
) -> None:
    """Read FILE into the archive, all or nothing.

    Items already in the archive are matched (by id, else URL and week, else title and
    week) and updated in place; re-importing the same file changes nothing. A README's
    layout is kept, so `export --format markdown` gives back the same bytes.
    """
    loaded = archive.load_file(file, _format(fmt))  # parse all before the archive is even opened
    with (
        settings(ctx).store() as store,
        Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=as_json or not err.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("import", total=None)
        report = archive.import_loaded(
            store, loaded, prune=prune, progress=lambda n, total: bar.update(task, completed=n, total=total)
        )
        total = store.count()
    if as_json:
        print_json(
            {
                "file": str(file),
                "format": loaded.format,
                "items_in_file": len(loaded.items),
                "added": report.added,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "not_in_file": report.not_in_input,
                "removed": report.removed,
                "layout_changed": report.layout_changed,
                "warnings": report.warnings,
                "archive_items": total,
            }
        )
        return
    for w in report.warnings:
        err.print(f"[yellow]warning:[/] {file}:{w}")
    out.print(
        f"{file}: {len(loaded.items)} items ({loaded.format}); added {report.added}, updated {report.updated},"
        f" unchanged {report.unchanged}"
        + (f", removed {report.removed}" if report.removed else "")
        + f". Archive: {total} items in {settings(ctx).db}"
    )
    if report.not_in_input:
        err.print(
            f"[yellow]note:[/] {report.not_in_input} archive items are not in this file (kept; --prune removes them)"
        )


@app.command()
def export(
    ctx: typer.Context,
    fmt: str = typer.Option("markdown", "--format", "-f", help="markdown, json or jsonl."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout."),
    last_updated: str = typer.Option(
        None, "--last-updated", help="items.json's last_updated (default: when the archive last changed)."
    ),
) -> None:
    """Write the archive as a digest README, items.json or JSONL.

    A README imported into an empty archive comes back byte for byte; edited items are
    written in the canonical house style, new ones at the end of their week's block.
    """
    chosen = _format(fmt)
    assert chosen is not None
    with settings(ctx).store() as store:
        text = archive.export_text(store, chosen, last_updated=last_updated)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
        err.print(f"wrote {output}")


@app.command()
def fmt(
    file: Path = typer.Argument(..., help="A digest README."),
    check: bool = typer.Option(False, "--check", help="Write nothing; print the first difference and exit 1 if any."),
    canonical: bool = typer.Option(False, "--canonical", help="Rewrite every item in the canonical house style."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here ('-' for stdout) instead of FILE."),
) -> None:
    """Render FILE back through the parser.

    Without --canonical the rendering equals the file byte for byte, so `--check` proves
    the file is lossless for papernews. With --canonical every item is rewritten in house
    style (4-space bullets, `- 📜 [Org] [Title](url)`), the rest of the file kept as is.
    """
    text = read_text(file)
    rendered = archive.format_document(text, path=str(file), canonical=canonical)
    if check:
        diff = archive.first_difference(text, rendered)
        if diff is None:
            out.print(f"{file}: ok")
            return
        line, want, got = diff
        out.print(f"{file}:{line}: differs\n  file:     {want!r}\n  rendered: {got!r}")
        raise typer.Exit(1)
    if output is not None and str(output) == "-":
        sys.stdout.write(rendered)
    elif rendered != text or output is not None:
        write_atomic(output or file, rendered)
        err.print(f"wrote {output or file}")
    else:
        err.print(f"{file}: unchanged")
