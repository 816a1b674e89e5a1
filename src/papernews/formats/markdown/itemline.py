"""Read one digest item (its head line and its bullets) into fields, and write fields back.

Pure functions. The head is everything after `- ` up to the first bullet, so a title
wrapped over two lines is one head. `scan_item` finds where an item ends and splits it
into head and bullets in one pass over its lines; the document parser calls it for
every item, so it (and `parse_head`) is written for speed: string methods before any
regex, a regex for the common head before the general loop, and models built without
validating again what the parser built (see `build_item`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from papernews.links import BARE_URL_RE, link_after, match_bracket
from papernews.model import (
    EMOJI_KIND,
    KIND_EMOJI,
    Bullet,
    Item,
    ItemMeta,
    Kind,
    SourceText,
    Week,
    build_bullet_tree,
    fingerprint,
    plain_model,
    split_orgs,
)

HEAD_SEPARATORS = " \xa0\t"
LIST_GAP = " \t\xa0"  # what may follow a list marker (`- `)
_NEXT_BRACKET_RE = re.compile(r"\s\[")
LIST_LINE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+])(?P<gap>[ \t\xa0]+|$)(?P<text>.*)$")
DETAILS_OPEN_RE = re.compile(r"^[ \t]*<details[^>]*>[ \t]*$", re.I)
DETAILS_CLOSE_RE = re.compile(r"^[ \t]*</details>[ \t]*$", re.I)
SUMMARY_RE = re.compile(r"^[ \t]*<summary>(.*?)</summary>[ \t]*$", re.I)


def item_head_text(bare: str) -> str | None:
    """The text after `- ` when `bare` (a line without its ending) starts an item, else None.

    Says what `LIST_LINE_RE` says for a list line without indent and with text, with
    string methods: the document parser asks it of every line of a week block.
    """
    if bare[:1] in ("-", "*", "+") and (len(bare) == 1 or bare[1] in LIST_GAP):
        text = bare[1:].lstrip(LIST_GAP)
        if text and not text.isspace():
            return text
    return None


# ---------------------------------------------------------------------------
# The head: `📜 [Org] [Title](url) note`


@dataclass(slots=True)
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


# First characters of every kind emoji spelling: a head that starts with none of them
# skips the loop over spellings.
_KIND_FIRST = frozenset(spelling[0] for spelling in EMOJI_KIND)


def _take_kind_emojis(s: str) -> tuple[list[Kind], int]:
    """The kind emojis at the start of `s` (longest spelling first) and where they end."""
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


# Backslash escapes, as in CommonMark: a `\` before ASCII punctuation stands for that
# character (`\[` for `[`, `\\` for `\`); before anything else it is a backslash. They are
# read in what sits in brackets (titles, orgs) and in markers: what `render_item` escapes
# when a bracket would break the structure. The seed has no backslash in a head.
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _unescape(s: str) -> str:
    return _ESCAPE_RE.sub(r"\1", s) if "\\" in s else s


def _unescape_all(groups: list[str]) -> list[str]:
    return [_unescape(g) for g in groups] if any("\\" in g for g in groups) else groups


# The shape of nine heads in ten: at most one kind emoji, at most one `[Org]`, then
# `[Title](url)` with no nested bracket, no backslash and no space in the URL. For these,
# `_parse_head_general` finds exactly these groups (a property test checks it); the regex
# finds them in one call. The kind is an atomic group, so a shorter spelling (`🗞` for
# `🗞️`) is never tried after the longest one, as in `_take_kind_emojis`. The classes
# exclude one character each, which `re` matches three times faster than a set; what
# they let through (a `[` or `\` inside, a space in the URL) sends the head to the
# general loop, checked with `in` in `parse_head`.
_SIMPLE_HEAD_RE = re.compile(
    "(?>(" + "|".join(re.escape(s) for s in EMOJI_KIND) + "))?"
    r"[ \xa0\t\n]*+(?:\[([^\]\n]*+)\][ \xa0\t\n]*+)?\[([^\]]*+)\]\(([^)]++)\)"
)
_SPACE_RE = re.compile(r"\s")


def parse_head(head: str) -> Head:
    """Fields of `📜 [Org] [Title](url) note` in all its variants (see house-style.md)."""
    m = _SIMPLE_HEAD_RE.match(head)
    if m is not None:
        emoji, org, text, url = m.groups()
        if (
            "[" not in text
            and "\\" not in text
            and (org is None or ("[" not in org and "\\" not in org))
            and "(" not in url
            and "\\" not in url
            and _SPACE_RE.search(url) is None
        ):
            title, bold = _strip_bold(_join_wrapped(text))
            note = _join_wrapped(head[m.end() :]) or None
            return Head(
                [] if emoji is None else [EMOJI_KIND[emoji]],
                org,
                [] if org is None else [org],
                title,
                url,
                bold,
                None,
                note,
                [],
            )
    return _parse_head_general(head)


def _parse_head_general(head: str) -> Head:
    """`parse_head` for any head, one token at a time."""
    h = Head()
    h.kinds, i = _take_kind_emojis(head)
    while i < len(head) and head[i] in HEAD_SEPARATORS:
        i += 1
    brackets: list[str] = []
    texts: list[str] = []
    emojis: list[str] = []
    link: tuple[str, str] | None = None
    rest_start = len(head)
    text_then_bracket = False  # the last token is a `[…]` written after some plain text
    after_bracket = False  # the last token is a `[…]`
    note_start = -1  # where the note starts after a `[Title] \ ` (a title with no link)
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
                text_then_bracket = bool(texts)
                after_bracket = True
                i = close + 1
                continue
        elif c == "\\" and after_bracket and (i + 1 == len(head) or head[i + 1] in _NOTE_GAP):
            # `[Title] \ note`: what render_item writes for a note after a title with no
            # link (else the note would read as the title, the title as an org)
            note_start = i + 1
            break
        after_bracket = False
        if _is_emoji_start(c):
            j = _take_emoji(head, i)
            if j >= len(head) or head[j] in HEAD_SEPARATORS or head[j] == "[":
                emojis.append(head[i:j])
                text_then_bracket = False
                i = j
                continue
        # plain text: up to the next ` [` (or the end)
        m = _NEXT_BRACKET_RE.search(head, i)
        j = m.start() if m else len(head)
        texts.append(head[i:j])
        text_then_bracket = False
        i = j
    if link is None and (text_then_bracket or note_start >= 0):
        # `[Org] <Tag> [Title]`: a tag before a title with no link (what render_item writes
        # for an item with a marker and no URL), not the title `<Tag>` with two orgs
        title, h.bold = _strip_bold(_join_wrapped(brackets[-1]))
        h.title = _unescape(title)
        h.org_groups = _unescape_all(brackets[:-1])
        h.marker = _unescape(" ".join(t.strip() for t in emojis + texts)) or None
        if note_start >= 0:
            h.note = _join_wrapped(head[note_start:]) or None
    elif link is not None:
        title, h.bold = _strip_bold(_join_wrapped(link[0]))
        h.title, h.url = _unescape(title), link[1]
        h.org_groups = _unescape_all(brackets)
        # an emoji or a tag written before the title (`🧞`, `<Cookbook>`)
        prefix = [t.strip() for t in emojis + texts]
        h.marker = _unescape(" ".join(prefix)) or None
        rest = head[rest_start:].strip()
        h.note = _join_wrapped(rest) or None
    elif texts:
        # a plain-text title is read as written: render_item puts every title in brackets
        text = _join_wrapped(" ".join(texts))
        h.org_groups = _unescape_all(brackets)
        h.marker = " ".join(emojis) or None
        bare = _bare_url_parts(text)
        if bare is None:
            h.title, h.bold = _strip_bold(text)
        else:  # a bare URL instead of a link, maybe with a tag before it and a note after it
            tag, h.url, h.note = bare
            if tag:
                h.marker = " ".join([*emojis, tag])
    elif brackets:
        title, h.bold = _strip_bold(_join_wrapped(brackets[-1]))
        h.title = _unescape(title)
        h.org_groups = _unescape_all(brackets[:-1])
        h.marker = " ".join(emojis) or None
    else:
        h.problems.append("item has no title")
    if len(h.org_groups) == 1:
        h.orgs_label = h.org_groups[0]
    return h


_TAG_RE = re.compile(r"<[^<>\s]+>")
_NOTE_GAP = frozenset(HEAD_SEPARATORS + "\n")


def _bare_url_parts(text: str) -> tuple[str | None, str, str | None] | None:
    """`https://…`, `<Tag> https://…` or either followed by a note: (tag, url, note), else None.

    What render_item writes for an item with a URL and no title; a URL inside a sentence
    (`see https://… for details`) is a title, not a bare URL.
    """
    first, _, rest = text.partition(" ")
    tag = None
    if _TAG_RE.fullmatch(first) and rest:
        tag = first
        first, _, rest = rest.partition(" ")
    if not BARE_URL_RE.fullmatch(first):
        return None
    return tag, first, rest.strip() or None


# ---------------------------------------------------------------------------
# The lines of an item


@dataclass(slots=True)
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
    anything else, at a list line without indent, a `#` header or a `<details>` tag.
    A bullet's level counts the deeper indents open above it (4 or 2 spaces, a tab is 4).

    One pass, string methods first: finding the end and splitting the lines used to be two
    passes with three regexes a line, the largest cost of parsing after pydantic. A list
    line is what `LIST_LINE_RE` matches: `[ \\t]*` then `-`, `*` or `+`, then `[ \\t\\xa0]+`
    or the end of the line; `not s.strip()` is spelled `not s or s.isspace()` (no copy).
    """
    n = len(lines)
    first = lines[start].rstrip("\r\n").lstrip(" \t")
    head_parts = [first[1:].lstrip(LIST_GAP)]
    flat: list[tuple[int, str]] = []
    indents: list[int] = []  # the indent width of each open level
    j = start + 1
    while j < n:
        bare = lines[j].rstrip("\r\n")
        if not bare or bare.isspace():
            k = j + 1
            while k < n and (not lines[k] or lines[k].isspace()):
                k += 1
            # a blank line inside a loose list: the item goes on if an indented line follows
            if k < n and lines[k][:1] in (" ", "\t") and not SUMMARY_RE.match(lines[k].rstrip()):
                j = k
                continue
            break
        body = bare.lstrip(" \t")
        c = body[0]
        if c in ("-", "*", "+") and (len(body) == 1 or body[1] in LIST_GAP):
            if len(body) == len(bare):
                break  # a list line without indent: the next item (or a stray list line)
            text = body[1:].strip()
            if text:
                indent = bare[: len(bare) - len(body)]
                width = len(indent.expandtabs(4)) if "\t" in indent else len(indent)
                while indents and indents[-1] >= width:
                    indents.pop()
                indents.append(width)
                flat.append((len(indents), text))
                j += 1
                continue
        elif (c == "#" and len(body) == len(bare)) or (
            c == "<" and (DETAILS_CLOSE_RE.match(bare) or DETAILS_OPEN_RE.match(bare))
        ):
            break
        # a continuation line: of the last bullet, or of the head before any bullet
        if flat:
            level, text = flat[-1]
            flat[-1] = (level, text + " " + bare.strip())
        else:
            head_parts.append(bare)
        j += 1
    return ItemScan(j, "\n".join(head_parts).rstrip() if len(head_parts) > 1 else head_parts[0].rstrip(), flat)


@dataclass
class ParsedItem:
    head: Head
    bullets: list[Bullet]
    problems: list[tuple[int, str]]  # (line offset inside the item, message)


def parse_item_lines(lines: list[str]) -> ParsedItem:
    """Parse an item's lines (first one starts with `- `). Line endings may be present.

    Reads the first item of `lines`: lines after its end (see `scan_item`) are not part of it.
    """
    scan = scan_item(lines, 0)
    head = parse_head(scan.head)
    return ParsedItem(head=head, bullets=build_bullet_tree(scan.bullets), problems=[(0, p) for p in head.problems])


def _orgs(groups: list[str]) -> list[str]:
    """`split_orgs` of each `[Org]` group; a single org with no separator skips the regex."""
    if len(groups) == 1:
        g = groups[0]
        if ", " not in g and " & " not in g and " · " not in g:  # what model.ORG_SPLIT_RE splits at
            g = g.strip()
            return [g] if g else []
    return [o for g in groups for o in split_orgs(g)]


# Building models from parser output. The parser's fields are valid by construction (plain
# strings, lists it built, enum members), so they are not validated again; and rather than
# `model_construct`, which loops over the fields looking for aliases and defaults (~10 µs an
# item), build_item sets the four attributes `model_construct` sets: a fresh `__dict__` with
# every field, every field marked as set, no extra, no private. That is only the same thing
# while the models have no alias, no post-init and no extra="allow", and build_item writes
# every field in the model's order: checked once here, else build_item uses model_construct.
# `tests/test_markdown_speed.py` checks that both ways give the same models.
_ITEM_FIELDS = (
    "id",
    "kind",
    "extra_kinds",
    "orgs",
    "org_label",
    "title",
    "url",
    "bullets",
    "week",
    "tags",
    "marker",
    "bold",
    "note",
    "source",
    "extra",
    "meta",
)
_SOURCE_FIELDS = ("line", "text", "fingerprint")


_FAST_BUILD = plain_model(Item, _ITEM_FIELDS) and plain_model(SourceText, _SOURCE_FIELDS)
_ITEM_FIELDS_SET = frozenset(_ITEM_FIELDS) - {"meta"}  # defaulted, as model_construct leaves it
_SOURCE_FIELDS_SET = frozenset(_SOURCE_FIELDS)
_new = object.__new__
_setattr = object.__setattr__


def build_item(
    head: Head,
    bullets: list[tuple[int, str]],
    *,
    item_id: str,
    week: Week | None = None,
    line: int = 0,
    source_text: str | None = None,
) -> Item:
    """The Item a parsed head and its (level, text) bullets say; with `source_text`, its source too.

    Built without validation, see `_FAST_BUILD` above.
    """
    kinds = head.kinds
    values: dict[str, Any] = {  # every field, in the model's order (_ITEM_FIELDS)
        "id": item_id,
        "kind": kinds[0] if kinds else None,
        "extra_kinds": kinds[1:],
        "orgs": _orgs(head.org_groups) if head.org_groups else [],
        "org_label": head.orgs_label,
        "title": head.title,
        "url": head.url,
        "bullets": build_bullet_tree(bullets) if bullets else [],
        "week": week,
        "tags": [],
        "marker": head.marker,
        "bold": head.bold,
        "note": head.note,
        "source": None,
        "extra": {},
        "meta": ItemMeta(),
    }
    if not _FAST_BUILD:  # pragma: no cover - the model changed: build it the slow, sure way
        item = Item.model_construct(**values)
        if source_text is not None:
            item.source = SourceText.model_construct(line=line, text=source_text, fingerprint=fingerprint(item))
        return item
    item = _new(Item)
    _setattr(item, "__dict__", values)
    _setattr(item, "__pydantic_fields_set__", set(_ITEM_FIELDS_SET))
    _setattr(item, "__pydantic_extra__", None)
    _setattr(item, "__pydantic_private__", None)
    if source_text is not None:
        source = _new(SourceText)
        _setattr(source, "__dict__", {"line": line, "text": source_text, "fingerprint": fingerprint(item)})
        _setattr(source, "__pydantic_fields_set__", set(_SOURCE_FIELDS_SET))
        _setattr(source, "__pydantic_extra__", None)
        _setattr(source, "__pydantic_private__", None)
        # in place rather than `item.source = …`: `source` is already in the fields set,
        # and pydantic's __setattr__ would only cost time
        values["source"] = source
    return item


def item_from_lines(lines: list[str], *, item_id: str) -> tuple[Item, list[tuple[int, str]]]:
    """An Item read from one item's lines (see `parse_item_lines`); its week and source are unset."""
    scan = scan_item(lines, 0)
    head = parse_head(scan.head)
    return build_item(head, scan.bullets, item_id=item_id), [(0, p) for p in head.problems]


# ---------------------------------------------------------------------------
# Writing an item


def render_item(item: Item) -> str:
    """The canonical Markdown of an item: house-style spacing, 4 spaces a level, `\\n` endings.

    Whatever the fields hold, the line reads back to them (`tests/test_markdown_canonical.py`),
    except what the format cannot say (see docs/format.md, "Known limits"):

    - extra kinds are written after the kind only: with no kind, none (the first kind emoji of
      a line is its kind);
    - the title is always in brackets, so a title starting with `→` or an emoji is no marker;
      a note after a title with no link follows a `\\ ` (`[Title] \\ (ACL 2024)`);
    - a title or org whose brackets would not pair up, and a marker with a `[`, are written
      with backslash escapes (`\\[`, `\\]`, `\\\\`), as are `**` that would say bold when the
      item is not (or end the bold early); ordinary text, balanced brackets included, as is;
    - a URL with no title is written bare when it reads back as one, else as `[](url)`.
    """
    head = ["-"]
    if item.kind is not None:
        head.append("".join(KIND_EMOJI[k] for k in [item.kind, *item.extra_kinds]))
    if item.orgs:
        head.append(f"[{_escape(item.org_text)}]")
    marker = item.marker
    if marker:
        head.append(_RE_MARKER_ESCAPE.sub(r"\\\g<0>", marker) if "[" in marker or "\\" in marker else marker)
    title = item.title
    if title or not item.url:
        title = _escape(title, stars="**" in title if item.bold else _strip_bold(title)[1])
        if item.bold:
            title = f"**{title}**"
    note = item.note
    if item.url and title:
        head.append(f"[{title}]({item.url})")
    elif item.url:
        if (
            BARE_URL_RE.fullmatch(item.url)
            and (not marker or (_TAG_RE.fullmatch(marker) and "[" not in marker and "\\" not in marker))
            and (not note or "[" not in note)
        ):
            head.append(item.url)
        else:
            head.append(f"[]({item.url})")
    else:
        head.append(f"[{title}]")
        if note:
            note = "\\ " + note
    if note:
        head.append(note)
    out = [" ".join(head) + "\n"]
    _render_bullets(item.bullets, 1, out)
    return "".join(out)


_RE_MARKER_ESCAPE = re.compile(r"[\\\[\]]")
_BRACKET_RE = re.compile(r"[\[\]]")


def _balanced(text: str) -> bool:
    depth = 0
    for m in _BRACKET_RE.finditer(text):
        depth += 1 if m.group() == "[" else -1
        if depth < 0:
            return False
    return depth == 0


def _escape(text: str, *, stars: bool = False) -> str:
    """`text` to put inside `[…]`, read back the same by the parser (`_unescape` after `match_bracket`).

    Escapes only what needs it: backslashes when one would escape something (or the `]`
    after it), brackets when they do not pair up, stars when asked.
    """
    chars = ""
    if "\\" in text and (text.endswith("\\") or _unescape(text) != text):
        chars += "\\\\"
    if ("[" in text or "]" in text) and not _balanced(text):
        chars += "\\[\\]"
    if stars:
        chars += "*"
    return re.sub(f"[{chars}]", r"\\\g<0>", text) if chars else text


def _render_bullets(bullets: list[Bullet], level: int, out: list[str]) -> None:
    for b in bullets:
        out.append("    " * level + "- " + b.text + "\n")
        _render_bullets(b.children, level + 1, out)
