"""The parser's shortcuts give what the plain ways give (speed itself is measured in bench/, not here).

Each shortcut taken for speed (see `build_item`, `build_bullet_tree`, `parse_head` and
`scan_item`) is compared here with the straightforward version it replaces.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papernews import model
from papernews.formats.markdown import itemline
from papernews.formats.markdown.itemline import _parse_head_general, build_item, parse_head, scan_item
from papernews.model import Bullet, Item, Kind, SourceText, Week, build_bullet_tree, fingerprint, walk_bullets

# ---------------------------------------------------------------------------
# Models built without validation


def _same_model(a: object, b: object) -> None:
    assert type(a) is type(b)
    assert a == b
    assert list(a.__dict__) == list(b.__dict__)  # same field order, so the same dumps and reprs
    assert a.model_fields_set == b.model_fields_set  # type: ignore[attr-defined]
    assert a.__pydantic_extra__ == b.__pydantic_extra__  # type: ignore[attr-defined]
    assert a.__pydantic_private__ == b.__pydantic_private__  # type: ignore[attr-defined]
    assert a.model_dump() == b.model_dump()  # type: ignore[attr-defined]


def test_the_shortcut_is_taken() -> None:
    """If the model changes (a field, an alias), build_item falls back to model_construct: correct, but slow."""
    assert itemline._FAST_BUILD
    assert model._new_bullet is not None


def test_fields_set_is_per_instance() -> None:
    head = parse_head("📜 [A] [T](https://x.example/1)")
    a = build_item(head, [(1, "x")], item_id="a", source_text="- x\n")
    b = build_item(head, [(1, "x")], item_id="b", source_text="- x\n")
    assert a.model_fields_set is not b.model_fields_set
    assert a.bullets[0].model_fields_set is not b.bullets[0].model_fields_set
    a.title = "edited"  # pydantic adds the name to the fields set: it must stay a set of its own
    assert b.title == "T" and a.model_fields_set == b.model_fields_set


def test_build_item_equals_model_construct() -> None:
    head = parse_head("📜 [A & B] [T](https://x.example/1)")
    week = Week(year=2025, month=3, weeks=[1])
    item = build_item(head, [(1, "x"), (2, "y")], item_id="abc", week=week, line=7, source_text="- 📜 …\n")
    reference = Item.model_construct(
        id="abc", kind=Kind.PAPER, extra_kinds=[], orgs=["A", "B"], org_label="A & B", title="T",
        url="https://x.example/1",
        bullets=[Bullet.model_construct(text="x", children=[Bullet.model_construct(text="y", children=[])])],
        week=week, tags=[], marker=None, bold=False, note=None, source=None, extra={},
    )
    reference.source = SourceText.model_construct(line=7, text="- 📜 …\n", fingerprint=fingerprint(reference))
    _same_model(item, reference)
    _same_model(item.source, reference.source)
    _same_model(item.bullets[0], reference.bullets[0])


def _reference_tree(flat: list[tuple[int, str]]) -> list[Bullet]:
    roots: list[Bullet] = []
    stack: list[tuple[int, Bullet]] = []
    for level, text in flat:
        bullet = Bullet.model_construct(text=text, children=[])
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(bullet)
        stack.append((level, bullet))
    return roots


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 5), st.sampled_from(["a", "b", "가"])), max_size=12))
def test_build_bullet_tree_equals_the_plain_stack(flat: list[tuple[int, str]]) -> None:
    got, want = build_bullet_tree(flat), _reference_tree(flat)
    assert got == want
    for (la, a), (lb, b) in zip(walk_bullets(got), walk_bullets(want), strict=True):
        assert la == lb
        _same_model(a, b)


# ---------------------------------------------------------------------------
# The head regex and the general loop

_HEAD_TOKENS = [
    "📜", "🧑🏻💻", "🧑🏻\u200d💻", "🗞️", "🗞", "🧞", "<Cookbook>", "[", "]", "(", ")", "\\", " ", " ", "\n", "\t",
    "\xa0", "a", "가", "Org", "Title", "**", ", ", " & ", " · ", "https://x.example/a_(b)", "http://y.example/c",
    "[Org] ", "[Title](https://x.example/t)", "(X link)", "→",
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_HEAD_TOKENS), max_size=14).map("".join))
def test_parse_head_regex_agrees_with_the_general_loop(head: str) -> None:
    assert parse_head(head) == _parse_head_general(head)


@pytest.mark.parametrize(
    "head",
    [
        "📜 [Org] [Title](https://x.example/1)",
        "🗞️[Title](https://x.example/1) (X link)",
        "🧑🏻\u200d💻 [A, B] [**Bold**](https://x.example/1)",
        "[Title\nwrapped](https://x.example/1)",
        "📜 [A] [[Launch] T](https://x.example/1)",
        "📜 [A] [T](https://x.example/a_(b))",
        "📜 [A] [T](https://x.example/a b)",
        "📜 [A\\]] [T](https://x.example/1)",
        "🧑🏻💻📜 [A] [T](https://x.example/1)",
        "📜 [A] 🧞 [T](https://x.example/1)",
    ],
)
def test_parse_head_examples_agree(head: str) -> None:
    assert parse_head(head) == _parse_head_general(head)


# ---------------------------------------------------------------------------
# One pass over an item's lines, against the two passes it replaces

_LIST_LINE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+])(?P<gap>[ \t\xa0]+|$)(?P<text>.*)$")
_DETAILS_OPEN_RE = re.compile(r"^[ \t]*<details[^>]*>[ \t]*$", re.I)
_DETAILS_CLOSE_RE = re.compile(r"^[ \t]*</details>[ \t]*$", re.I)
_SUMMARY_RE = re.compile(r"^[ \t]*<summary>(.*?)</summary>[ \t]*$", re.I)


def _reference_item_end(lines: list[str], start: int) -> int:
    j = start
    while j < len(lines):
        bare = lines[j].rstrip("\r\n")
        if not bare.strip():
            k = j
            while k < len(lines) and not lines[k].strip():
                k += 1
            if k < len(lines) and lines[k][:1] in (" ", "\t") and not _SUMMARY_RE.match(lines[k].rstrip()):
                j = k
                continue
            return j
        if _DETAILS_CLOSE_RE.match(bare) or _DETAILS_OPEN_RE.match(bare) or bare.startswith("#"):
            return j
        m = _LIST_LINE_RE.match(bare)
        if m and not m.group("indent"):
            return j
        j += 1
    return j


def _reference_item_lines(lines: list[str]) -> tuple[str, list[tuple[int, str]]]:
    stripped = [ln.rstrip("\r\n") for ln in lines]
    first = _LIST_LINE_RE.match(stripped[0])
    assert first is not None
    head_parts = [first.group("text")]
    flat: list[tuple[int, list[str]]] = []
    for ln in stripped[1:]:
        if not ln.strip():
            continue
        m = _LIST_LINE_RE.match(ln)
        if m and m.group("indent") and m.group("text").strip():
            flat.append((len(m.group("indent").expandtabs(4)), [m.group("text").strip()]))
        elif flat:
            flat[-1][1].append(ln.strip())
        else:
            head_parts.append(ln)
    leveled: list[tuple[int, str]] = []
    stack: list[int] = []
    for indent, parts in flat:
        while stack and stack[-1] >= indent:
            stack.pop()
        stack.append(indent)
        leveled.append((len(stack), " ".join(parts)))
    return "\n".join(head_parts).rstrip(), leveled


_LINES = [
    "- next item", "* star item", "+ plus item", "-", "-\xa0nbsp item", "    - bullet", "        - deep", "  - two",
    "\t- tab", "  \t- mixed", "    -", "    - ", "    * star", "continuation", "    indented continuation",
    "", "  ", "\t", "\xa0", "</details>", "  </details>", "<details>", "  <summary>2nd week</summary>", "# 2024",
    "## ☃ March", "#hashtag", "<br>", "   -x", "- ", "    -\ttabbed",
]


@settings(max_examples=1000, deadline=None)
@given(
    st.sampled_from(["- 📜 [A] [T](u)", "- head", "* head", "-\thead"]),
    st.lists(st.sampled_from(_LINES), max_size=10),
    st.sampled_from(["\n", "\r\n", ""]),
)
def test_scan_item_equals_the_two_passes(first: str, rest: list[str], eol: str) -> None:
    lines = [ln + "\n" for ln in [first, *rest]]
    lines = [ln.replace("\n", eol) if eol else ln for ln in lines]
    if not eol:
        lines[-1] = lines[-1].rstrip("\n")
    scan = scan_item(lines, 0)
    end = _reference_item_end(lines, 1)
    assert scan.end == end
    assert (scan.head, scan.bullets) == _reference_item_lines(lines[:end])
