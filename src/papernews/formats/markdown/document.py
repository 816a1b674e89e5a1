"""A digest README as a sequence of verbatim text and items, and the parse/render pair.

`render(parse(text)) == text` for any document in the format: structure lines (legend,
year and month headers, `<details>` blocks, blank lines, anything not understood) are
kept as `Raw` nodes; items keep their source text and re-render only when edited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from papernews.errors import InputError
from papernews.formats.markdown.itemline import (
    DETAILS_CLOSE_RE,
    DETAILS_OPEN_RE,
    LIST_LINE_RE,
    SUMMARY_RE,
    build_item,
    item_head_text,
    parse_head,
    render_item,
    scan_item,
)
from papernews.model import EMOJI_KIND, Item, Week, make_item_id

MONTHS_EN = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ]
    )
    for m in names
}
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December"]
# The seed's month emojis, and seasonal ones for the months it does not cover.
MONTH_EMOJI = ["⛄", "☃", "🌱", "🌸", "🏕️", "🌞", "☔️", "🔥", "🙇🏻", "🍁", "🍂", "🎄"]

YEAR_RE = re.compile(r"^#[ \t]+(\d{4})[ \t]*$")
MONTH_RE = re.compile(r"^##[ \t]+(.*?)[ \t]*$")
# Lines outside week blocks that need no warning: the legend (`📜: Paper link`), a rule
# (`---`) and an HTML comment; anything else there is kept verbatim with a warning.
LEGEND_RE = re.compile("^(?:" + "|".join(re.escape(e) for e in EMOJI_KIND) + r")[ \t]*:.*$")
RULE_RE = re.compile(r"^[ \t]{0,3}(?:-[ \t]*){3,}$|^[ \t]{0,3}(?:\*[ \t]*){3,}$|^[ \t]{0,3}(?:_[ \t]*){3,}$")
COMMENT_RE = re.compile(r"^[ \t]*<!--.*-->[ \t]*$")
WEEK_NUM_RE = re.compile(r"(\d)\s*(?:st|nd|rd|th|주(?:차)?)?", re.I)


@dataclass
class Raw:
    """Text kept verbatim (structure, blank lines, what the parser does not understand)."""

    text: str
    line: int


@dataclass
class ParseWarning:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Document:
    nodes: list[Raw | Item] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [n for n in self.nodes if isinstance(n, Item)]


def month_from_header(text: str) -> int | None:
    """`☃ February`, `🎄 12월`, `## 2024-03`: the month a header names, if any."""
    m = re.search(r"(\d{1,2})\s*월", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return int(m.group(1))
    for word in re.findall(r"[A-Za-z]+", text):
        if word.lower() in MONTHS_EN:
            return MONTHS_EN[word.lower()]
    m = re.search(r"\b\d{4}-(\d{2})\b", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return int(m.group(1))
    return None


def weeks_from_label(label: str) -> list[int]:
    """`1st ~ 3rd week` → [1, 2, 3]; `4th week` → [4]; `1~2주차` → [1, 2]."""
    nums = [int(n) for n in WEEK_NUM_RE.findall(label) if 1 <= int(n) <= 6]
    if not nums:
        return []
    if len(nums) == 2 and re.search(r"~|-|–|to", label):
        return list(range(min(nums), max(nums) + 1))
    return sorted(set(nums))


# Markdown ends a line at `\n`, `\r\n` or `\r` only. `str.splitlines` also splits at
# \v, \f, \x1c-\x1e, \x85, U+2028 and U+2029, which can occur inside a title pasted
# from the web and would cut an item in two.
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> list[str]:
    """The lines of `text` with their endings (`\n`, `\r\n` or `\r`)."""
    if any(c in text for c in _OTHER_BREAKS):  # eight `in` are five times faster than one regex search
        return _LINE_RE.findall(text)
    return text.splitlines(keepends=True)  # the same lines then, and three times faster than findall


def parse(text: str, *, path: str | None = None) -> Document:
    """Parse a digest README. Raises InputError (with the line) on a malformed structure.

    A line the parser does not understand (text between or inside week blocks, a header
    naming no month, a list line outside any block) is kept verbatim in a `Raw` node and
    reported as a `ParseWarning` with its line; the legend, `---` rules, HTML comments
    and blank lines need no warning.
    """
    # The cyclic garbage collector is left alone: pausing it saves ~3 ms on the seed, but
    # the switch is process-wide and parse also runs inside the threaded web server.
    return _parse(text, path)


def _parse(text: str, path: str | None) -> Document:
    lines = _lines(text)
    n = len(lines)
    doc = Document()
    nodes = doc.nodes
    year: int | None = None
    month: int | None = None
    block: Week | None = None
    block_line = 0
    block_key = ""
    awaiting_summary = False
    seen_ids: dict[str, int] = {}
    raw_buf: list[str] = []
    raw_start = 1

    def keep(ln: str, lineno: int) -> None:
        nonlocal raw_start
        if not raw_buf:
            raw_start = lineno
        raw_buf.append(ln)

    i = 0
    blocks = 0
    while i < n:
        ln = lines[i]
        lineno = i + 1
        bare = ln.rstrip("\r\n")
        if block is not None:
            # Inside a week block: an item line, told apart with string methods (most lines
            # of a block belong to items, and scan_item reads those after the first).
            if item_head_text(bare) is not None:
                scan = scan_item(lines, i)
                if raw_buf:
                    nodes.append(Raw("".join(raw_buf), raw_start))
                    raw_buf = []
                head = parse_head(scan.head)
                url, title = head.url, head.title
                key = f"{block_key}\x1f{url}\x1f{title}"  # ids count repeats of an item in a week
                seen = seen_ids.get(key, 0)
                seen_ids[key] = seen + 1
                nodes.append(
                    build_item(
                        head,
                        scan.bullets,
                        item_id=make_item_id(block_key, url, title, seen),
                        week=block,
                        line=lineno,
                        source_text="".join(lines[i : scan.end]),
                    )
                )
                for msg in head.problems:
                    doc.warnings.append(ParseWarning(lineno, msg))
                i = scan.end
                continue
            if "<" in bare:
                if DETAILS_CLOSE_RE.match(bare):
                    block = None
                    keep(ln, lineno)
                    i += 1
                    continue
                if DETAILS_OPEN_RE.match(bare):
                    raise InputError(
                        f"week block opened at line {block_line} is not closed before a new <details>",
                        path=path, line=lineno,
                    )
            if bare[:1] == "#" and (YEAR_RE.match(bare) or MONTH_RE.match(bare)):
                raise InputError(f"header inside the week block opened at line {block_line}", path=path, line=lineno)
            if bare.strip():
                doc.warnings.append(
                    ParseWarning(
                        lineno, f"line inside a week block is not an item, kept verbatim: {bare.strip()[:60]!r}"
                    )
                )
            keep(ln, lineno)
            i += 1
            continue
        if awaiting_summary:
            if m := SUMMARY_RE.match(bare):
                weeks = weeks_from_label(m.group(1))
                if not weeks:
                    raise InputError(f"week label names no week: {m.group(1)!r}", path=path, line=lineno)
                assert year is not None and month is not None
                block = Week(year=year, month=month, weeks=weeks, label=m.group(1))
                block_key = block.key  # once per block, not once per item
                awaiting_summary = False
                blocks += 1
            elif bare.strip():
                raise InputError(
                    f"<details> at line {block_line} is not followed by <summary>week label</summary>",
                    path=path, line=lineno,
                )
            keep(ln, lineno)
            i += 1
            continue
        # outside any week block
        if i == 0 and bare.startswith("\ufeff"):
            bare = bare[1:]  # a byte order mark (some Windows editors write one): kept, not read
        if DETAILS_OPEN_RE.match(bare):
            if year is None or month is None:
                raise InputError(
                    "a week block (<details>) before any '# YEAR' and '## Month' header", path=path, line=lineno
                )
            awaiting_summary, block_line = True, lineno
        elif DETAILS_CLOSE_RE.match(bare):
            raise InputError("</details> without a matching <details>", path=path, line=lineno)
        elif m := YEAR_RE.match(bare):
            year, month = int(m.group(1)), None
        elif m := MONTH_RE.match(bare):
            found = month_from_header(m.group(1))
            if found is None:
                doc.warnings.append(ParseWarning(lineno, f"header names no month, kept verbatim: {bare!r}"))
            else:
                month = found
        elif RULE_RE.match(bare) or LEGEND_RE.match(bare) or COMMENT_RE.match(bare):
            pass
        elif LIST_LINE_RE.match(bare) and not bare[:1].isspace():
            doc.warnings.append(ParseWarning(lineno, "list line outside a week block, kept verbatim"))
        elif bare.strip():
            doc.warnings.append(
                ParseWarning(lineno, f"line outside a week block not understood, kept verbatim: {bare.strip()[:60]!r}")
            )
        keep(ln, lineno)
        i += 1
    if awaiting_summary or block is not None:
        raise InputError("week block is never closed (missing </details>)", path=path, line=block_line)
    if raw_buf:
        nodes.append(Raw("".join(raw_buf), raw_start))
    if blocks == 0:
        raise InputError(
            "no week blocks found: not a digest README (expected '<details>' with '<summary>1st week</summary>')",
            path=path, line=1,
        )
    return doc


def render(doc: Document) -> str:
    """Write the document back: verbatim text as is, unchanged items as read, edited items canonically."""
    return "".join(render_node(n) for n in doc.nodes)


def render_node(node: Raw | Item) -> str:
    """A node's text: verbatim, the item's source when unchanged, else its canonical form.

    An edited item keeps the line endings of the text it was read from (`\r\n` in a CRLF
    file), so editing one item does not leave a file with mixed line endings.
    """
    if isinstance(node, Raw):
        return node.text
    if node.unchanged():
        assert node.source is not None
        return node.source.text
    text = render_item(node)
    if node.source is not None and node.source.text.endswith("\r\n"):
        text = text.replace("\n", "\r\n")
    return text


LEGEND = "📜: Paper link\n🧑🏻💻: Developer blog & Github link\n🗞️: News\n\n---\n"


def month_header(month: int) -> str:
    return f"## {MONTH_EMOJI[month - 1]} {MONTH_NAMES[month - 1]}\n"


def week_block_open(week: Week) -> str:
    return f"<details>\n  <summary>{week.display_label}</summary>\n\n"


def canonical_document(items: Iterable[Item]) -> Document:
    """A whole README for items that have no layout yet (e.g. imported from items.json).

    Months and weeks oldest first as in the seed; items keep their given order inside a week.
    Items without a week go to a final section, kept rather than dropped.
    """
    return Document(nodes=canonical_nodes(items))


class Dated(Protocol):
    """What placing an item in a README needs of it: an Item, or an item already rendered."""

    @property
    def id(self) -> str: ...

    @property
    def week(self) -> Week | None: ...


D = TypeVar("D", bound=Dated)


def canonical_nodes(items: Iterable[D]) -> list[Raw | D]:
    """The nodes of `canonical_document`, for Items or anything else that has an id and a week
    (an export places items it has already rendered, to hold no models)."""
    order: dict[tuple[int, int, tuple[int, ...], str], list[D]] = {}
    undated: list[D] = []
    for it in items:
        if it.week is None:
            undated.append(it)
            continue
        w = it.week
        order.setdefault((w.year, w.month, tuple(w.weeks), w.display_label), []).append(it)
    nodes: list[Raw | D] = [Raw(LEGEND, 1)]
    year = month = None
    for (y, mo, _weeks, label), group in sorted(order.items(), key=lambda kv: kv[0][:3]):
        parts = []
        if y != year:
            parts.append(f"# {y}\n")
            year, month = y, None
        if mo != month:
            if month is not None:
                parts.insert(0, "\n")
            parts.append(month_header(mo))
            month = mo
        else:
            parts.append("\n")
        parts.append(f"<details>\n  <summary>{label}</summary>\n\n")
        nodes.append(Raw("".join(parts), 0))
        nodes.extend(group)
        nodes.append(Raw("</details>\n", 0))
    if undated:
        nodes.append(Raw("\n<!-- items without a week -->\n", 0))
        nodes.extend(undated)
    return nodes
