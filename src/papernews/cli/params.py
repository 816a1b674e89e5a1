"""Reading the option values several commands share (kind, month, week), with one wording of
their errors: `typer.BadParameter`, which the CLI prints with the option's name (exit 2)."""

from __future__ import annotations

import re

import typer

from papernews.model import Kind, Week

KINDS = ", ".join(k.value for k in Kind)


def kind_option(value: str | None) -> Kind | None:
    if value is None:
        return None
    try:
        return Kind(value.strip().lower())
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a kind; choose one of {KINDS}") from None


def month_option(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise typer.BadParameter(f"{value!r} is not a month; write YYYY-MM, e.g. 2024-09")
    return int(m.group(1)), int(m.group(2))


def week_option(value: str | None) -> Week | None:
    if value is None:
        return None
    try:
        return Week.parse_key(value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
