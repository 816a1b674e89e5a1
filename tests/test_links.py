"""The link scanner: Markdown links with nested brackets and parentheses, and bare URLs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papernews.links import Link, find_links, link_after, link_at, match_bracket


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[깃허브 링크](https://github.com/karpathy/minbpe) 🔗", [("깃허브 링크", "https://github.com/karpathy/minbpe")]),
        (
            "[[Product launch] Title](https://en.wikipedia.org/wiki/A_(b))",
            [("[Product launch] Title", "https://en.wikipedia.org/wiki/A_(b)")],
        ),
        ("see https://arxiv.org/abs/2402.07827.", [("https://arxiv.org/abs/2402.07827", "https://arxiv.org/abs/2402.07827")]),
        ("no link here, [just brackets] and (parentheses)", []),
        ("[a link with spaces](not a url)", []),
        ("[empty]()", []),
        (
            "[paper](https://arxiv.org/abs/1) and https://github.com/x/y",
            [("paper", "https://arxiv.org/abs/1"), ("https://github.com/x/y", "https://github.com/x/y")],
        ),
        (
            "https://a.example/first then [second](https://b.example/2)",
            [("https://a.example/first", "https://a.example/first"), ("second", "https://b.example/2")],
        ),
        (r"[escaped \] bracket](https://x.example/e)", [(r"escaped \] bracket", "https://x.example/e")]),
        ("[**bold**](https://x.example/b)", [("**bold**", "https://x.example/b")]),
    ],
)
def test_find_links(text: str, expected: list[tuple[str, str]]) -> None:
    assert find_links(text) == [Link(text=t, url=u) for t, u in expected]


def test_a_bare_url_inside_a_link_is_not_found_twice() -> None:
    assert find_links("[https://x.example/a](https://x.example/a)") == [
        Link(text="https://x.example/a", url="https://x.example/a")
    ]


def test_link_at_and_link_after_agree() -> None:
    s = "📜 [Org] [Title (v2)](https://x.example/a_(b)) note"
    org = s.index("[")
    assert link_at(s, org) is None  # `[Org]` is followed by a space, not `(`
    assert match_bracket(s, org) == s.index("]")
    title = s.index("[", org + 1)
    found = link_at(s, title)
    assert found == ("Title (v2)", "https://x.example/a_(b)", s.index(" note"))
    assert link_after(s, title, match_bracket(s, title)) == found
    assert link_after(s, title, -1) is None


@pytest.mark.parametrize(
    ("s", "start", "expected"),
    [
        ("[a]", 0, 2),
        ("[a[b]c]", 0, 6),
        ("[a", 0, -1),
        ("[a\\]b]", 0, 5),
        ("x[a]", 1, 3),
        ("[a[b]", 0, -1),
    ],
)
def test_match_bracket(s: str, start: int, expected: int) -> None:
    assert match_bracket(s, start) == expected


def test_match_bracket_parentheses() -> None:
    assert match_bracket("(a(b)c)d", 0, "(", ")") == 6
    assert match_bracket("(a", 0, "(", ")") == -1


def _match_bracket_reference(s: str, start: int, open_: str = "[", close: str = "]") -> int:
    """The scanner as first written (depth counting, no fast path): what match_bracket must equal."""
    depth = 0
    skip_until = -1
    for m in re.finditer("[" + re.escape(open_ + close) + r"\\]", s[start:]):
        i = m.start() + start
        if i < skip_until:
            continue
        c = s[i]
        if c == "\\":
            skip_until = i + 2
        elif c == open_:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return i
    return -1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]()\\ab ", max_size=20), st.integers(min_value=0, max_value=20))
def test_match_bracket_fast_path_equals_the_depth_count(s: str, start: int) -> None:
    start = min(start, len(s))
    assert match_bracket(s, start) == _match_bracket_reference(s, start)
    assert match_bracket(s, start, "(", ")") == _match_bracket_reference(s, start, "(", ")")
