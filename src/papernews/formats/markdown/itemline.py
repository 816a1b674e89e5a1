"""Read one digest item (its head line and its bullets) into fields, and write fields back.

Pure functions. The head is everything after `- ` up to the first bullet, so a title
wrapped over two lines is one head. `scan_item` finds where an item ends and splits it
into head and bullets in one pass over its lines; the document parser calls it for
every item, so it (and `parse_head`) is written for speed: one regex match a line,
C-level string searches before any Python loop, and models built without re-validation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from typing import Any, TypeVar

from pydantic import BaseModel

from papernews.links import BARE_URL_RE, link_after, match_bracket
from papernews.model import (
    EMOJI_KIND,
    KIND_EMOJI,
    Bullet,
    Item,
    Kind,
    SourceText,
    Week,
    build_bullet_tree,
    fingerprint,
    split_orgs,
)

HEAD_SEPARATORS = " \xa0\t"
_NEXT_BRACKET_RE = re.compile(r"\s\[")
LIST_LINE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+])(?P<gap>[ \t\xa0]+|$)(?P<text>.*)$")
DETAILS_OPEN_RE = re.compile(r"^[ \t]*<details[^>]*>[ \t]*$", re.I)
DETAILS_CLOSE_RE = re.compile(r"^[ \t]*</details>[ \t]*$", re.I)
SUMMARY_RE = re.compile(r"^[ \t]*<summary>(.*?)</summary>[ \t]*$", re.I)

# First characters of every kind emoji spelling: most heads start with one, and the
# few that do not skip the loop over spellings.
_KIND_FIRST = frozenset(spelling[0] for spelling in EMOJI_KIND)

M = TypeVar("M", bound=BaseModel)


def _can_construct_trusted(cls: type[BaseModel]) -> bool:
    """True when `construct_trusted` builds exactly what `model_construct` would."""
    return (
        not cls.__pydantic_post_init__
        and not cls.__pydantic_root_model__
        and cls.model_config.get("extra") != "allow"
        and all(f.alias is None and f.validation_alias is None for f in cls.model_fields.values())
    )


# the models built this way, with their field names in order (None: use model_construct)
_TRUSTED = {cls: tuple(cls.model_fields) if _can_construct_trusted(cls) else None for cls in (Item, SourceText)}
_setattr = object.__setattr__


def construct_trusted(cls: type[M], values: dict[str, Any]) -> M:
    """`cls.model_construct(**values)` for parser output, when `values` names every field in order.

    The parser's fields are valid by construction (plain strings, lists it built, enum
    members), so they are not validated again. `model_construct` would loop over the
    fields to look for aliases and defaults; with every field given and no alias there
    is nothing to look for, so this sets the same four attributes it sets (fresh
    `__dict__`, every field marked as set, no extra, no private) at a fifth of the cost.
    Models this shortcut would get wrong (aliases, post-init, extra="allow") go through
    `model_construct`; `tests/test_markdown_speed.py` checks both give the same model.
    """
    if _TRUSTED.get(cls) != tuple(values):
        return cls.model_construct(**values)
    m = cls.__new__(cls)
    _setattr(m, "__dict__", values)
    _setattr(m, "__pydantic_fields_set__", set(values))
    _setattr(m, "__pydantic_extra__", None)
    _setattr(m, "__pydantic_private__", None)
    return m



@dataclass
class Head:
    """What the head of an item line says."""

    kinds: list[Kind] = field(default_factory=list)
    orgs_label: str | None = None
    org_groups: list[str] = field(default_factory=list)
    title: str = ""
    url: str | None = None
    bold: bool = False
    marker: str | None = None
    note: str | None = None
    problems: list[str] = field(default_factory=list)


def _is_emoji_start(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat == "So" or (cat == "Sm" and ord(ch) > 0x2000) or 0x1F000 <= ord(ch) <= 0x1FAFF


def _take_emoji(s: str, i: int) -> int:
    """End of the emoji grapheme cluster starting at `i` (modifiers, ZWJ sequences, VS16)."""
    j = i + 1
    while j < len(s):
        c = ord(s[j])
        if c in (0xFE0F, 0xFE0E) or 0x1F3FB <= c <= 0x1F3FF:
            j += 1
        elif c == 0x200D and j + 1 < len(s):
            j += 2
        else:
            break
    return j


def _take_kind_emojis(s: str) -> tuple[list[Kind], int]:
    kinds: list[Kind] = []
    i = 0
    while s[i : i + 1] in _KIND_FIRST:
        for spelling, kind in EMOJI_KIND.items():
            if s.startswith(spelling, i):
                kinds.append(kind)
                i += len(spelling)
                break
        else:
            break
    return kinds, i


_WRAP_RE = re.compile(r"[ \t]*\n[ \t]*")


def _join_wrapped(text: str) -> str:
    return _WRAP_RE.sub(" ", text).strip() if "\n" in text else text.strip()


def _strip_bold(title: str) -> tuple[str, bool]:
    if len(title) > 4 and title.startswith("**") and title.endswith("**") and "**" not in title[2:-2]:
        return title[2:-2], True
    return title, False


# The shape of nine heads in ten, after the kind emojis: at most one `[Org]`, then
# `[Title](url)` with no nested bracket, no backslash and no space in the URL. For these
# the general loop below would find exactly these groups; the regex finds them in one call.
_SIMPLE_HEAD_RE = re.compile(r"[ \xa0\t\n]*(?:\[([^\[\]\\\n]*)\][ \xa0\t\n]*)?\[([^\[\]\\]*)\]\(([^()\\\s]+)\)")


def parse_head(head: str) -> Head:
    """Fields of `📜 [Org] [Title](url) note` in all its variants (see house-style.md)."""
    kinds, i = _take_kind_emojis(head)
    while i < len(head) and head[i] in HEAD_SEPARATORS:
        i += 1
    m = _SIMPLE_HEAD_RE.match(head, i)
    if m is not None:
        org, text, url = m.groups()
        title, bold = _strip_bold(_join_wrapped(text))
        note = _join_wrapped(head[m.end() :]) or None
        if org is None:
            return Head(kinds, None, [], title, url, bold, None, note, [])
        return Head(kinds, org, [org], title, url, bold, None, note, [])
    return _parse_head_general(head, kinds, i)


def _parse_head_general(head: str, kinds: list[Kind], i: int) -> Head:
    """`parse_head` for any head; `i` is where the text after the kind emojis starts."""
    h = Head()
    h.kinds = kinds
    brackets: list[str] = []
    texts: list[str] = []
    emojis: list[str] = []
    link: tuple[str, str] | None = None
    rest_start = len(head)
    while i < len(head):
        c = head[i]
        if c in HEAD_SEPARATORS or c == "\n":
            i += 1
            continue
        if c == "[":
            close = match_bracket(head, i)  # once: a `[Org]` needs it as much as a link
            found = link_after(head, i, close)
            if found:
                link = (found[0], found[1])
                rest_start = found[2]
                break
            if close > 0:
                brackets.append(head[i + 1 : close])
                i = close + 1
                continue
        if _is_emoji_start(c):
            j = _take_emoji(head, i)
            if j >= len(head) or head[j] in HEAD_SEPARATORS or head[j] == "[":
                emojis.append(head[i:j])
                i = j
                continue
        # plain text: up to the next ` [` (or the end)
        m = _NEXT_BRACKET_RE.search(head, i)
        j = m.start() if m else len(head)
        texts.append(head[i:j])
        i = j
    if link is not None:
        title, h.bold = _strip_bold(_join_wrapped(link[0]))
        h.title, h.url = title, link[1]
        h.org_groups = brackets
        # an emoji or a tag written before the title (`🧞`, `<Cookbook>`)
        prefix = [t.strip() for t in emojis + texts]
        h.marker = " ".join(prefix) or None
        rest = head[rest_start:].strip()
        h.note = _join_wrapped(rest) or None
    elif texts:
        text = _join_wrapped(" ".join(texts))
        bare = BARE_URL_RE.fullmatch(text)
        if bare:
            h.url = text
        else:
            h.title, h.bold = _strip_bold(text)
        h.org_groups = brackets
        h.marker = " ".join(emojis) or None
    elif brackets:
        h.title, h.bold = _strip_bold(_join_wrapped(brackets[-1]))
        h.org_groups = brackets[:-1]
        h.marker = " ".join(emojis) or None
    else:
        h.problems.append("item has no title")
    if len(h.org_groups) == 1:
        h.orgs_label = h.org_groups[0]
    return h


@dataclass
class ParsedItem:
    head: Head
    bullets: list[Bullet]
    problems: list[tuple[int, str]]  # (line offset inside the item, message)


@dataclass
class ItemScan:
    """An item's lines split into head and bullets, before any field is read from them."""

    end: int  # index of the first line after the item
    head: str  # the head text: after `- `, wrapped lines joined with `\n`, right-stripped
    bullets: list[tuple[int, str]]  # (level, text), continuation lines joined with a space


def scan_item(lines: list[str], start: int) -> ItemScan:
    """Read the item whose `- ` line is `lines[start]`: where it ends, its head and its bullets.

    The item goes on over indented lines (bullets and their continuation lines), lines
    that are neither a list line nor structure (a wrapped title or bullet), and blank
    lines followed by an indented line (a loose list). It ends at a blank line followed by
    anything else, at a `- ` line without indent, a `#` header or a `<details>` tag.

    One pass and one regex match a line: finding the end and splitting the lines used to
    be two passes with three regexes a line, the largest cost of parsing after pydantic.
    """
    n = len(lines)
    first = LIST_LINE_RE.match(lines[start].rstrip("\r\n"))
    assert first is not None, "an item starts with a list line"
    head_parts = [first.group("text")]
    flat: list[tuple[int, list[str]]] = []  # (level, text parts)
    indents: list[int] = []  # the indent of each open level
    j = start + 1
    while j < n:
        bare = lines[j].rstrip("\r\n")
        if not bare.strip():
            k = j + 1
            while k < n and not lines[k].strip():
                k += 1
            # a blank line inside a loose list: the item goes on if an indented line follows
            if k < n and lines[k][:1] in (" ", "\t") and not SUMMARY_RE.match(lines[k].rstrip()):
                j = k
                continue
            break
        m = LIST_LINE_RE.match(bare)
        if m is not None:
            indent = m.group("indent")
            if not indent:
                break  # the next item (or a stray list line)
            text = m.group("text").strip()
            if text:
                width = len(indent.expandtabs(4))
                while indents and indents[-1] >= width:
                    indents.pop()
                indents.append(width)
                flat.append((len(indents), [text]))
                j += 1
                continue
        elif bare[0] == "#" or ("<" in bare and (DETAILS_CLOSE_RE.match(bare) or DETAILS_OPEN_RE.match(bare))):
            break
        # a continuation line: of the last bullet, or of the head before any bullet
        if flat:
            flat[-1][1].append(bare.strip())
        else:
            head_parts.append(bare)
        j += 1
    return ItemScan(
        end=j,
        head="\n".join(head_parts).rstrip(),
        bullets=[(level, parts[0] if len(parts) == 1 else " ".join(parts)) for level, parts in flat],
    )


def parse_item_lines(lines: list[str]) -> ParsedItem:
    """Parse an item's lines (first one starts with `- `). Line endings may be present.

    Reads the first item of `lines`: lines after its end (see `scan_item`) are not part of it.
    """
    scan = scan_item(lines, 0)
    head = parse_head(scan.head)
    return ParsedItem(head=head, bullets=build_bullet_tree(scan.bullets), problems=[(0, p) for p in head.problems])


def build_item(
    head: Head,
    bullets: list[tuple[int, str]],
    *,
    item_id: str,
    week: Week | None = None,
    line: int = 0,
    source_text: str | None = None,
) -> Item:
    """The Item a parsed head and its (level, text) bullets say; with `source_text`, its source too."""
    groups = head.org_groups
    kinds = head.kinds
    item = construct_trusted(
        Item,
        {  # every field, in the model's order: see construct_trusted
            "id": item_id,
            "kind": kinds[0] if kinds else None,
            "extra_kinds": kinds[1:],
            "orgs": split_orgs(groups[0]) if len(groups) == 1 else [o for g in groups for o in split_orgs(g)],
            "org_label": head.orgs_label,
            "title": head.title,
            "url": head.url,
            "bullets": build_bullet_tree(bullets),
            "week": week,
            "tags": [],
            "marker": head.marker,
            "bold": head.bold,
            "note": head.note,
            "source": None,
            "extra": {},
        },
    )
    if source_text is not None:
        # set in place rather than by `item.source = …`: `source` is already in the fields
        # set, and pydantic's __setattr__ would only cost time
        item.__dict__["source"] = construct_trusted(
            SourceText, {"line": line, "text": source_text, "fingerprint": fingerprint(item)}
        )
    return item


def item_from_lines(lines: list[str], *, item_id: str) -> tuple[Item, list[tuple[int, str]]]:
    """An Item read from one item's lines (see `parse_item_lines`); its week and source are unset."""
    scan = scan_item(lines, 0)
    head = parse_head(scan.head)
    return build_item(head, scan.bullets, item_id=item_id), [(0, p) for p in head.problems]


def render_item(item: Item) -> str:
    """The canonical Markdown of an item: house-style spacing, 4 spaces a level, `\\n` endings."""
    head = ["-"]
    emojis = "".join(KIND_EMOJI[k] for k in ([item.kind] if item.kind else []) + item.extra_kinds)
    if emojis:
        head.append(emojis)
    if item.orgs:
        head.append(f"[{item.org_text}]")
    if item.marker:
        head.append(item.marker)
    title = f"**{item.title}**" if item.bold else item.title
    if item.url and title:
        head.append(f"[{title}]({item.url})")
    elif item.url:
        head.append(item.url)
    else:
        head.append(f"[{title}]")
    if item.note:
        head.append(item.note)
    out = [" ".join(head) + "\n"]
    _render_bullets(item.bullets, 1, out)
    return "".join(out)


def _render_bullets(bullets: list[Bullet], level: int, out: list[str]) -> None:
    for b in bullets:
        out.append("    " * level + "- " + b.text + "\n")
        _render_bullets(b.children, level + 1, out)
