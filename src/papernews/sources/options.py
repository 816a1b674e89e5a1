"""Reading a source's options from its `[sources.<name>]` table, with errors that name the option.

TOML gives typed values, but a hand-edited file can still say `categories = "cs.CL"` where a
list is meant; these helpers accept the obvious spellings and raise ValueError for the rest
(`build_source` turns it into an InputError naming the source).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

DEFAULT_DAYS = 7  # a first fetch without --since looks back one digest week


def str_list(options: Mapping[str, Any], key: str, default: list[str]) -> list[str]:
    """A list of strings; a single string is split on whitespace and commas."""
    value = options.get(key, default)
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise ValueError(f"{key} must be a list of strings")


def positive_int(options: Mapping[str, Any], key: str, default: int) -> int:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{key} must be a positive integer")
    return value


def start_day(since: date | None, cursor: str | None, today: date, days: int = DEFAULT_DAYS) -> date:
    """The first day to fetch: `--since`, else the day the last fetch stopped at (fetched again,
    as a day may have been listed only in part), else `days` before today."""
    if since is not None:
        return since
    if cursor:
        try:
            return date.fromisoformat(cursor[:10])
        except ValueError:
            pass  # a cursor from another version of the source: start afresh
    return today - timedelta(days=days)
