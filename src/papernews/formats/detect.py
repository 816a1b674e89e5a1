"""Which format a file is: from its extension, else from its content; and the `--format` override.

The extension wins because it is what the user chose to call the file; content decides
only for names that say nothing (`-` for stdin, `digest.txt`, no suffix). The content
test is cheap for a README: it starts with neither `{` nor `[`, so no JSON parse is tried.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Literal

from papernews.errors import PapernewsError

Format = Literal["markdown", "json", "jsonl"]
FORMATS: tuple[Format, ...] = ("markdown", "json", "jsonl")

EXTENSIONS: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
# other names accepted by `check_format`, so that `--format md` or `--format ndjson` just work
ALIASES: dict[str, Format] = {"md": "markdown", "ndjson": "jsonl", "items.json": "json"}


class UnknownFormatError(PapernewsError, ValueError):
    """A format name that is not one of FORMATS.

    A PapernewsError so the CLI prints it like any other; a ValueError so that option
    parsers which turn ValueError into a usage error (typer, argparse) can use it too.
    """


def check_format(name: str) -> Format:
    """The format a `--format` value names (case and surrounding spaces ignored, `md`/`ndjson` too).

    Raises UnknownFormatError listing the valid names.
    """
    key = name.strip().lower()
    for fmt in FORMATS:
        if key == fmt:
            return fmt
    if key in ALIASES:
        return ALIASES[key]
    raise UnknownFormatError(f"unknown format {name!r}; valid formats: {', '.join(FORMATS)}")


def choose_format(override: str | None, path: str | None, text: str) -> Format:
    """The `--format` override when given (validated), else what `detect_format` finds."""
    return check_format(override) if override is not None else detect_format(path, text)


def format_from_extension(path: str | None) -> Format | None:
    """The format the file name's extension says, or None (no path, `-`, unknown extension)."""
    if not path:
        return None
    return EXTENSIONS.get(PurePath(path).suffix.lower())


def detect_format(path: str | None, text: str) -> Format:
    """`markdown`, `json` or `jsonl`: by extension (`.md/.markdown`, `.json`, `.jsonl/.ndjson`), else by content.

    By content: text starting with `{` or `[` that parses as a whole is JSON, except a
    single-line object without an `items` key, which is one JSONL record; text whose
    every non-blank line is a JSON object is JSONL. Text starting with `{` that is
    neither is broken JSON (JSONL when its first line is an object), so that its reader
    reports the bad line. Anything else is Markdown (whose parser then says what is
    wrong with it, with a line number).
    """
    by_name = format_from_extension(path)
    if by_name is not None:
        return by_name
    return format_from_content(text)


def format_from_content(text: str) -> Format:
    """What `detect_format` decides when the name says nothing."""
    body = text.removeprefix("\ufeff").strip()
    if body[:1] not in ("{", "["):
        return "markdown"
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        pass
    else:
        if isinstance(data, dict) and "items" not in data and "\n" not in body:
            return "jsonl"
        return "json"
    if _is_jsonl(body):
        return "jsonl"
    if body[0] == "{":
        # Broken JSON rather than a README (which hardly starts with `{`): send it to the
        # reader that will name the bad line, not to the Markdown parser's "no week blocks".
        return "jsonl" if _is_jsonl(body.split("\n", 1)[0]) else "json"
    return "markdown"  # `[` also starts a README's link or badge line


def _is_jsonl(body: str) -> bool:
    """Every non-blank line (split at `\\n` only, as the JSONL reader does) is a JSON object."""
    seen = False
    for line in body.split("\n"):
        line = line.strip()
        if not line:
            continue
        if line[:1] != "{":
            return False
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            return False
        if not isinstance(obj, dict):
            return False
        seen = True
    return seen
