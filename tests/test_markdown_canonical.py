"""The canonical form says every item: `parse` of what `render_item` writes gives back its fields.

An edited item is written by `render_item`; the next parse must read the same fields from it,
whatever the editor put in them (brackets, backslashes, a symbol first, a note with no link).
The generator below is free except where the format itself cannot say something; each such
constraint is written next to the draw that makes it.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from papernews.formats.markdown import parse, render_item
from papernews.formats.markdown.itemline import parse_head
from papernews.model import Bullet, Item, Kind, build_bullet_tree, split_orgs

HEAD = "📜: Paper link\n🧑🏻💻: Developer blog & Github link\n🗞️: News\n\n---\n# 2025\n## 🌸 April\n"
OPEN = "<details>\n  <summary>1st week</summary>\n\n"
CLOSE = "</details>\n"
KINDS = [Kind.PAPER, Kind.DEV, Kind.NEWS]


def fields(item: Item) -> tuple[object, ...]:
    return (
        item.kind,
        item.extra_kinds,
        item.orgs,
        item.org_text,
        item.title,
        item.url,
        item.flat_bullets(),
        item.marker,
        item.bold,
        item.note,
    )


def read_back(item: Item) -> Item:
    doc = parse(HEAD + OPEN + render_item(item) + CLOSE)
    assert len(doc.items) == 1, render_item(item)
    return doc.items[0]


# Pieces of text: words, Korean, emoji (kind emojis too), symbols, and everything the head
# syntax uses: brackets, parentheses, backslashes, bold stars, tags, org separators.
PIECES = [
    "a",
    "Title",
    "LLM",
    "모델",
    "한국어",
    "→",
    "←",
    "✨",
    "🧞",
    "🦁",
    "📜",
    "🧑🏻💻",
    "🗞️",
    "🗞",
    "👩🏻‍💻",
    "[",
    "]",
    "(",
    ")",
    "\\",
    "*",
    "**",
    "<",
    ">",
    "<Cookbook>",
    "](",
    "[x]",
    "[x](y)",
    "(X link)",
    "!",
    "#",
    "-",
    "_",
    "`",
    ":",
    ", ",
    " & ",
    " · ",
    "https://x.example/a",
    "\u200d",
    "\ufe0f",
    "1",
]
# Whitespace the head may hold inside a field (a line break may not: see `text` below).
INNER_SPACE = [" ", " ", "  ", "\t", "\xa0"]
_pieces = st.sampled_from(PIECES)
_space = st.sampled_from(INNER_SPACE)
_free = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Zl", "Zp", "Cc")), max_size=3)


@st.composite
def text(draw: st.DrawFn, *, min_size: int = 0, single_spaces: bool = False) -> str:
    """A field's text. The format is a line format whose parts are separated by whitespace, so:
    no line break in a field (a `\\n` in a title reads as a wrapped title: one space), and no
    whitespace at either end (the space around a part is not part of it)."""
    parts = draw(st.lists(st.one_of(_pieces, _free, _space), min_size=min_size, max_size=8))
    s = "".join(parts)
    s = s.replace("\n", " ").replace("\r", " ").strip()
    if single_spaces:
        s = " ".join(s.split())
    assume(len(s) >= min_size)
    return s


URLS = [
    "https://arxiv.org/abs/2409.12345",
    "https://en.wikipedia.org/wiki/A_(b)",
    "https://x.example/a?b=[1]",
    "http://y.example/",
    "https://github.com/a/b#readme",
    "https://x.example/a_(b)_c(d)",
    "https://x.example/한국어",
    "https://x.example/a.",
    "mailto:a@b.example",
]


@st.composite
def items(draw: st.DrawFn) -> Item:
    kind = draw(st.sampled_from([None, *KINDS]))
    # A second kind emoji only qualifies a first one: a line whose only kind emojis are
    # extra kinds says that its first one is the kind (render_item writes none without a kind).
    extra = draw(st.lists(st.sampled_from(KINDS), max_size=2)) if kind else []
    orgs = draw(st.lists(text(min_size=1), max_size=3))
    # Orgs are read by splitting the label at `, `, ` & ` and ` · `: an org holding one of
    # those (or space at an end) cannot be said.
    assume(split_orgs(", ".join(orgs)) == orgs)
    label = None
    if orgs and draw(st.booleans()):
        label = draw(st.sampled_from([", ", " & ", " · "])).join(orgs)
    link = draw(st.one_of(st.none(), st.sampled_from(URLS)))
    title = draw(text())
    # A marker's parts are separated by whitespace like the rest of the head (`🧞  x` and
    # `🧞 x` say the same), so its words are single-spaced.
    marker = draw(st.one_of(st.none(), text(min_size=1, single_spaces=True)))
    if marker is not None and kind is None and not orgs:
        # The first kind emoji of a line is the item's kind: with no kind and no org before
        # it, a marker cannot start with one.
        assume(not any(marker.startswith(e) for e in ("📜", "🧑", "👩", "🗞")))
    # `**` around the title says bold: there is no bold empty title (a link with no text is
    # the bare URL, and `****` is four stars).
    bold = bool(title) and draw(st.booleans())
    note = draw(st.one_of(st.none(), text(min_size=1)))
    flat: list[tuple[int, str]] = []
    for _ in range(draw(st.integers(0, 3))):
        # bullets are list lines: text with no line break and no space at either end
        flat.append(
            (1, draw(st.one_of(text(min_size=1), st.sampled_from(["[깃허브 링크](https://github.com/a/b) 🔗"]))))
        )
        flat.extend((2, draw(text(min_size=1))) for _ in range(draw(st.integers(0, 2))))
    return Item(
        id="x",
        kind=kind,
        extra_kinds=extra,
        orgs=orgs,
        org_label=label,
        title=title,
        url=link,
        marker=marker,
        bold=bold,
        note=note,
        bullets=build_bullet_tree(flat),
    )


@settings(max_examples=400, deadline=None)
@given(items())
def test_any_item_reads_back_from_its_canonical_form(item: Item) -> None:
    assert fields(read_back(item)) == fields(item), render_item(item)


@pytest.mark.parametrize(
    ("item", "line"),
    [
        # ordinary titles stay as they are, balanced brackets included
        (
            Item(id="x", kind=Kind.DEV, title="[Launch] Title", url="https://x.example/1"),
            "- 🧑🏻💻 [[Launch] Title](https://x.example/1)",
        ),
        (Item(id="x", kind=Kind.PAPER, orgs=["A", "B"], title="[Launch] Title"), "- 📜 [A, B] [[Launch] Title]"),
        # unbalanced brackets are escaped, and only then
        (
            Item(id="x", kind=Kind.PAPER, title="a ] b [c", url="https://x.example/1"),
            "- 📜 [a \\] b \\[c](https://x.example/1)",
        ),
        (Item(id="x", orgs=["Org]"], title="T", url="https://x.example/1"), "- [Org\\]] [T](https://x.example/1)"),
        (
            Item(id="x", orgs=["O"], marker="[beta", title="T", url="https://x.example/1"),
            "- [O] \\[beta [T](https://x.example/1)",
        ),
        # bold stars that would say something else
        (Item(id="x", title="**T**", url="https://x.example/1"), "- [\\*\\*T\\*\\*](https://x.example/1)"),
        (Item(id="x", title="a**b", bold=True, url="https://x.example/1"), "- [**a\\*\\*b**](https://x.example/1)"),
        # a note after a title with no link: `\` ends the title
        (Item(id="x", kind=Kind.PAPER, title="T", note="(ACL 2024)"), "- 📜 [T] \\ (ACL 2024)"),
        # a symbol first: the title is in brackets, so it is no marker
        (Item(id="x", title="→ 🧞 T"), "- [→ 🧞 T]"),
        # extra kinds only after a kind
        (Item(id="x", extra_kinds=[Kind.PAPER], title="T"), "- [T]"),
        (Item(id="x", kind=Kind.DEV, extra_kinds=[Kind.PAPER], title="T"), "- 🧑🏻💻📜 [T]"),
        # a URL with no title: bare when it reads back as one, else a link with no text
        (
            Item(id="x", marker="<Tag>", title="", url="https://x.example/1", note="(X)"),
            "- <Tag> https://x.example/1 (X)",
        ),
        (Item(id="x", marker="🧞 x", title="", url="https://x.example/1"), "- 🧞 x [](https://x.example/1)"),
    ],
)
def test_examples(item: Item, line: str) -> None:
    assert render_item(item) == line + "\n"
    again = read_back(item)
    if item.kind is None:
        item = item.model_copy(update={"extra_kinds": []})
    assert fields(again) == fields(item)


def test_escapes_are_read_in_titles_orgs_and_markers_only() -> None:
    head = parse_head("📜 [A\\[1\\]] \\<x\\> [T \\[1\\]](https://x.example/1) \\(note\\)")
    assert (head.org_groups, head.marker, head.title, head.note) == (["A[1]"], "<x>", "T [1]", "\\(note\\)")
    # a backslash before anything but ASCII punctuation is a backslash
    assert parse_head("[C:\\Users\\a\\b](https://x.example/1)").title == "C:\\Users\\a\\b"


def test_a_kind_emoji_in_the_bullets_or_title_is_no_kind() -> None:
    item = Item(id="x", title="📜 T", bullets=[Bullet(text="📜 b")])
    assert fields(read_back(item)) == fields(item)
