"""lint: the house style checked on digest files or on the archive (see `papernews.lint`)."""

from __future__ import annotations

from pathlib import Path

import typer

from papernews.cli.app import app, settings
from papernews.cli.output import err, print_json
from papernews.errors import InputError, NotFoundError
from papernews.files import read_text
from papernews.lint.findings import RULES, Finding, select

_RULE_LINES = "\n".join(f"  {name:<15} {description}" for name, description in RULES.items())
# Paragraphs on one line each: rich help wraps them itself and keeps the line breaks given.
_HELP = (
    "Check digest files (or the archive) against the house style.\n\n"
    "Prints one finding a line, `file:line: severity rule: message` (an archived item is named "
    "`archive.db#id`), and exits 1 when any finding is an error, else 0. With no FILE and no --db, "
    "lints the archive. Korean sentence endings are judged on morphemes (Kiwi), so `…를 공개합니다` "
    "(polite: an error) and `…공개` (note style) are told apart.\n\n"
    f"Rules:\n\n{_RULE_LINES}"
)


def _read(path: Path) -> str:
    """A digest file's text; an archive given as FILE gets a hint rather than a decoding error."""
    if path.is_file():
        with path.open("rb") as f:
            if f.read(16) == b"SQLite format 3\x00":
                raise InputError(
                    f"is an archive, not a digest file: lint it with `papernews --db {path} lint`", path=str(path)
                )
    return read_text(path)


def _rules(names: list[str] | None) -> frozenset[str] | None:
    if not names:
        return None
    try:
        return select(n.strip() for n in names)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--rule") from None


@app.command(help=_HELP)
def lint(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(None, help="Digest README files (Markdown).", show_default=False),
    db: bool = typer.Option(
        False, "--db", help="Lint the archive (the global --db PATH, PAPERNEWS_DB or ./papernews.db), with the files."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list of findings instead of lines."),
    rule: list[str] = typer.Option(None, "--rule", "-r", help="Run only this rule (repeatable).", show_default=False),
) -> None:
    """Read the files, run the library's lint, print, exit 1 on errors (the help is `_HELP`)."""
    rules = _rules(rule)
    texts = [(str(path), _read(path)) for path in files or []]  # every file read before any is linted
    from papernews.lint import lint_store, lint_text  # Kiwi and the identity tables: only when linting

    findings: list[Finding] = []
    for name, text in texts:
        findings.extend(lint_text(text, name, rules=rules))
    if db or not texts:
        path = settings(ctx).db
        if not path.exists():
            raise NotFoundError(f"no archive at {path}: give a FILE, or --db PATH of an archive")
        with settings(ctx).store() as store:
            findings.extend(lint_store(store, rules=rules))
    errors = sum(f.severity == "error" for f in findings)
    if as_json:
        print_json([f.to_json() for f in findings])
    else:
        for f in findings:
            typer.echo(f.format())  # as is: no markup, emoji codes or wrapping
        warnings = len(findings) - errors
        err.print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", highlight=False)
    if errors:
        raise typer.Exit(1)
