"""Read one digest item (its head line and its bullets) into fields, and write fields back.

Pure functions. The head is everything after `- ` up to the first bullet, so a title
wrapped over two lines is one head.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from papernews.links import BARE_URL_RE, link_at, match_bracket
from papernews.model import EMOJI_KIND, KIND_EMOJI, Bullet, Item, Kind, build_bullet_tree, split_orgs

HEAD_SEPARATORS = " \xa0\t"
_NEXT_BRACKET_RE = re.compile(r"\s\[")
LIST_LINE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+])(?P<gap>[ \t\xa0]+|$)(?P<text>.*)$")


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
    while True:
        for spelling, kind in EMOJI_KIND.items():
            if s.startswith(spelling, i):
                kinds.append(kind)
                i += len(spelling)
                break
        else:
            return kinds, i


def _join_wrapped(text: str) -> str:
    return re.sub(r"[ \t]*\n[ \t]*", " ", text).strip()


def _strip_bold(title: str) -> tuple[str, bool]:
    if len(title) > 4 and title.startswith("**") and title.endswith("**") and "**" not in title[2:-2]:
        return title[2:-2], True
    return title, False


def parse_head(head: str) -> Head:
    """Fields of `📜 [Org] [Title](url) note` in all its variants (see house-style.md)."""
    h = Head()
    h.kinds, i = _take_kind_emojis(head)
    while i < len(head) and head[i] in HEAD_SEPARATORS:
        i += 1
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
            found = link_at(head, i)
            if found:
                link = (found[0], found[1])
                rest_start = found[2]
                break
            close = match_bracket(head, i)
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


def parse_item_lines(lines: list[str]) -> ParsedItem:
    """Parse an item's lines (first one starts with `- `). Line endings may be present."""
    stripped = [ln.rstrip("\r\n") for ln in lines]
    first = LIST_LINE_RE.match(stripped[0])
    assert first is not None, "an item starts with a list line"
    head_parts = [first.group("text")]
    flat: list[tuple[int, list[str]]] = []  # (indent, text parts)
    problems: list[tuple[int, str]] = []
    for off, ln in enumerate(stripped[1:], start=1):
        if not ln.strip():
            continue
        m = LIST_LINE_RE.match(ln)
        if m and m.group("indent") and m.group("text").strip():
            flat.append((len(m.group("indent").expandtabs(4)), [m.group("text").strip()]))
        elif flat:
            flat[-1][1].append(ln.strip())
        else:
            head_parts.append(ln)
    head = parse_head("\n".join(head_parts).rstrip())
    for p in head.problems:
        problems.append((0, p))
    leveled: list[tuple[int, str]] = []
    stack: list[int] = []
    for indent, parts in flat:
        while stack and stack[-1] >= indent:
            stack.pop()
        stack.append(indent)
        leveled.append((len(stack), " ".join(parts)))
    return ParsedItem(head=head, bullets=build_bullet_tree(leveled), problems=problems)


def item_from_lines(lines: list[str], *, item_id: str) -> tuple[Item, list[tuple[int, str]]]:
    parsed = parse_item_lines(lines)
    h = parsed.head
    orgs = [o for g in h.org_groups for o in split_orgs(g)]
    # model_construct: these fields come straight from the parser and are valid by
    # construction; validating them again costs a third of the parse time.
    item = Item.model_construct(
        id=item_id,
        kind=h.kinds[0] if h.kinds else None,
        extra_kinds=h.kinds[1:],
        orgs=orgs,
        org_label=h.orgs_label,
        title=h.title,
        url=h.url,
        bullets=parsed.bullets,
        marker=h.marker,
        bold=h.bold,
        note=h.note,
        week=None,
        tags=[],
        source=None,
        extra={},
    )
    return item, parsed.problems


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
