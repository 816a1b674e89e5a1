"""Post lengths by each platform's rules, and every item of the seed drafted as a reply that fits
and is cut only between words."""

from __future__ import annotations

import re

import pytest

from papernews.formats.markdown import Document
from papernews.model import Bullet, Item, Kind
from papernews.social.draft import DraftOptions, item_post
from papernews.social.length import BLUESKY_RULES, X_RULES, Rules, bluesky_problems, graphemes, x_length, x_problems
from papernews.social.text import ELLIPSIS, LinkLabel, markdown_pieces, pieces_text


@pytest.mark.parametrize(
    ("text", "weighted"),
    [
        ("hello", 5),
        ("한국어", 6),  # Hangul weighs 2: counting by hand (len) says 3
        ("日本語", 6),
        ("📜", 2),
        ("https://arxiv.org/abs/2409.07429", 23),  # any URL counts 23
        ("see https://example.org/" + "a" * 200, 4 + 23),
        ("café", 4),
    ],
)
def test_x_weighted_length(text: str, weighted: int) -> None:
    assert x_length(text) == weighted


def test_x_length_is_not_len() -> None:
    text = "한국어 요약 " * 30
    assert len(text) <= 280 < x_length(text)
    assert x_problems(text) == [f"{x_length(text)} weighted characters, over X's 280"]


def test_x_refuses_empty_and_invalid() -> None:
    assert x_problems("   ") == ["empty post"]
    assert x_problems("a\ufffeb") and "characters X does not accept" in x_problems("a\ufffeb")[0]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("abc", 3),
        ("한국어", 3),
        ("👩\u200d👩\u200d👧\u200d👦", 1),  # a ZWJ family is one grapheme
        ("e\u0301", 1),  # e + combining acute
        ("🇰🇷🇯🇵", 2),  # two flags
        ("🧑🏻\u200d💻", 1),
    ],
)
def test_bluesky_graphemes(text: str, count: int) -> None:
    assert graphemes(text) == count


def test_bluesky_limits() -> None:
    assert bluesky_problems("가" * 300) == []
    assert bluesky_problems("가" * 301) == ["301 graphemes, over Bluesky's 300"]


# --- every item of the seed ----------------------------------------------------------------------

_CUT_OK = re.compile(r"[\s,;:·→←–—\-/(&|+]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _sources(item: Item, rules: Rules) -> list[str]:
    """Every text a post line may be cut from: the head line and the plain text of each bullet."""
    label = LinkLabel(full=rules.full_urls_in_text)
    head = " ".join(
        p for p in ({Kind.PAPER: "📜", Kind.DEV: "🧑🏻\u200d💻", Kind.NEWS: "🗞️"}.get(item.kind) if item.kind else "",
                    f"[{item.org_text}]" if item.org_text else "", item.title.strip()) if p
    )  # fmt: skip
    out = [head]
    stack: list[Bullet] = list(item.bullets)
    while stack:
        b = stack.pop()
        out.append(pieces_text(markdown_pieces(b.text, link_label=label)))
        stack.extend(b.children)
    return out


def _check_cuts(text: str, sources: list[str], labels: set[str]) -> None:
    """A line ending in `…` (not written so by the curator, not a link's short label) is a prefix
    of one source that stops at a word boundary (before a space or punctuation that a cut drops,
    or between two CJK characters)."""
    for line in text.split("\n"):
        body = line.removeprefix("• ").removeprefix("  ◦ ")
        if not body.endswith(ELLIPSIS) or body in sources or body in labels:
            continue
        kept = body[: -len(ELLIPSIS)]
        matches = [s for s in sources if s.startswith(kept) and len(s) > len(kept)]
        assert matches, f"cut line is no prefix of the item's text: {line!r}"
        ok = any(_CUT_OK.match(s[len(kept)]) or (_CJK.match(s[len(kept)]) and _CJK.match(kept[-1])) for s in matches)
        assert ok, f"cut inside a word: {line!r}"


def _check_links(text: str, item: Item, rules: Rules) -> None:
    """Every URL in an X post is one the item has, whole (never a cut URL)."""
    if not rules.full_urls_in_text:
        return
    known = {item.url or ""} | {m.group(0) for b in [*item.bullets] for m in re.finditer(r"https?://\S+", b.text)}
    for url in re.findall(r"https?://\S+", text):
        assert url in known or any(url in k for k in known), f"URL not in the item: {url}"


@pytest.mark.slow
@pytest.mark.parametrize("rules", [X_RULES, BLUESKY_RULES], ids=["x", "bluesky"])
def test_every_seed_item_fits_as_a_reply(seed_doc: Document, rules: Rules) -> None:
    assert len(seed_doc.items) > 600
    options = DraftOptions()
    trimmed = 0
    for item in seed_doc.items:
        post = item_post(item, rules, options, position=1)
        assert rules.problems(post.text) == [], (item.id, post.text)
        assert post.length == rules.measure(post.text) <= rules.limit
        labels = {p.text for p in post.pieces if p.url is not None}
        _check_cuts(post.text, _sources(item, rules), labels)
        _check_links(post.text, item, rules)
        if item.url and rules.full_urls_in_text:
            assert post.text.endswith(item.url.strip())
        for facet in post.facets():
            assert facet.uri.startswith("http")
            assert post.text.encode("utf-8")[facet.byte_start : facet.byte_end].decode("utf-8")
        trimmed += any("trimmed" in n for n in post.notes)
    assert trimmed > 0  # the seed has long items: the shortening rules were exercised
