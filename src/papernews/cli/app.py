"""The Typer application, its global options, and the one place errors become exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from papernews import __version__
from papernews.cli.output import err
from papernews.errors import InputError, PapernewsError
from papernews.store import Store, default_db_path


class _Group(TyperGroup):
    """Prints a PapernewsError once, as `error: file:line: message`, and exits 2."""

    def invoke(self, ctx: Any) -> Any:  # click.Context, which typer vendors privately
        try:
            return super().invoke(ctx)
        except PapernewsError as e:
            kind = "input error" if isinstance(e, InputError) else "error"
            # the message is data (a title may hold `[KAIST]`, a hint `[social.x]`): escaped, not markup
            err.print(f"[bold red]{kind}:[/] {escape(str(e))}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Group,
    name="papernews",
    help="The workbench of a weekly curated digest: import the README, search it, export it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Settings:
    def __init__(self, db: Path) -> None:
        self.db = db

    def store(self) -> Store:
        return Store(self.db)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"papernews {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    db: Path = typer.Option(
        None,
        "--db",
        envvar="PAPERNEWS_DB",
        help="SQLite archive file (default ./papernews.db; env PAPERNEWS_DB).",
        show_default=False,
    ),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    ctx.obj = Settings(db or default_db_path())


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_object(Settings)
    assert obj is not None
    return obj


def main() -> None:
    app()
