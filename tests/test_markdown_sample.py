"""The shipped sample digest (what `make demo` imports): lossless, clean, and every house-style variant in it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from papernews.formats.markdown import Document, Raw, parse, render
from papernews.model import Item, Kind, Week
from papernews.samples import SAMPLE_DIGEST


@pytest.fixture(scope="module")
def text() -> str:
    return SAMPLE_DIGEST.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc(text: str) -> Document:
    return parse(text, path=str(SAMPLE_DIGEST))


def src(item: Item) -> str:
    assert item.source is not None
    return item.source.text


def raw_text(doc: Document) -> str:
    return "".join(n.text for n in doc.nodes if isinstance(n, Raw))


def test_round_trips_byte_for_byte(text: str, doc: Document) -> None:
    assert render(doc) == text
    assert render(doc).encode("utf-8") == SAMPLE_DIGEST.read_bytes()


def test_parses_without_warnings(doc: Document) -> None:
    assert doc.warnings == []


def test_size(doc: Document) -> None:
    assert 25 <= len(doc.items) <= 35
    blocks = {it.week.key for it in doc.items if it.week}
    assert len(blocks) == 3
    assert len({it.id for it in doc.items}) == len(doc.items)


@pytest.mark.parametrize(
    "eol_variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="CRLF line endings"),
        pytest.param(lambda t: t.rstrip("\n"), id="no final newline"),
    ],
)
def test_whole_file_variants_round_trip(text: str, doc: Document, eol_variant: Callable[[str], str]) -> None:
    variant = eol_variant(text)
    again = parse(variant)
    assert render(again) == variant and again.warnings == []
    assert [(it.id, it.title, it.flat_bullets()) for it in again.items] == [
        (it.id, it.title, it.flat_bullets()) for it in doc.items
    ]


def _weeks(doc: Document) -> list[Week]:
    return [it.week for it in doc.items if it.week is not None]


GITHUB_BULLET = re.compile(r"\[깃허브 링크\]\(https://github\.com/[^)]+\) 🔗")


def _months(doc: Document) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for it in doc.items:
        assert it.week is not None
        key = (it.week.year, it.week.month)
        if not out or out[-1] != key:
            out.append(key)
    return out


# One check per variant of docs/house-style.md: (variant, what must hold of the parsed sample)
VARIANTS: list[tuple[str, Callable[[Document], bool]]] = [
    ("Korean month header", lambda d: bool(re.search(r"^## \S+ \d{1,2}월$", raw_text(d), re.M))),
    ("English month header", lambda d: bool(re.search(r"^## \S+ [A-Z][a-z]+$", raw_text(d), re.M))),
    ("months newest first", lambda d: _months(d) == sorted(_months(d), reverse=True) and len(_months(d)) >= 2),
    (
        "weeks newest first",
        lambda d: any(
            a.week and b.week and a.week.month == b.week.month and a.week.first > b.week.first
            for a, b in zip(d.items, d.items[1:], strict=False)
        ),
    ),
    ("multi-week label", lambda d: any(len(w.weeks) > 1 and "~" in str(w.label) for w in _weeks(d))),
    ("dev emoji with zero-width joiner", lambda d: any(src(it).startswith("- 🧑🏻\u200d💻 ") for it in d.items)),
    ("dev emoji without zero-width joiner", lambda d: any(src(it).startswith("- 🧑🏻💻 ") for it in d.items)),
    ("news emoji 🗞️", lambda d: any(src(it).startswith("- 🗞️ ") and it.kind is Kind.NEWS for it in d.items)),
    ("news emoji 🗞", lambda d: any(src(it).startswith("- 🗞 ") and it.kind is Kind.NEWS for it in d.items)),
    ("bold title", lambda d: any(it.bold and "**" in src(it) and "**" not in it.title for it in d.items)),
    ("bracketed title", lambda d: any(it.url and re.match(r"\[[^\]]+\] ", it.title) for it in d.items)),
    ("wrapped title", lambda d: any(src(it).split("\n")[1][:1] not in (" ", "") and " " in it.title for it in d.items)),
    ("no org", lambda d: any(it.orgs == [] and it.url and it.title for it in d.items)),
    ("orgs with ', '", lambda d: any(len(it.orgs) >= 2 and it.org_text == ", ".join(it.orgs) for it in d.items)),
    ("orgs with ' & '", lambda d: any(len(it.orgs) == 2 and it.org_text == " & ".join(it.orgs) for it in d.items)),
    ("orgs with ' · '", lambda d: any(len(it.orgs) == 2 and it.org_text == " · ".join(it.orgs) for it in d.items)),
    ("no emoji", lambda d: any(it.kind is None and src(it).startswith("- [") for it in d.items)),
    ("two emojis", lambda d: any(it.kind and it.extra_kinds for it in d.items)),
    ("no space after the emoji", lambda d: any(it.kind and re.match(r"- \S+\[", src(it)) for it in d.items)),
    ("emoji inside the line", lambda d: any(it.marker == "🧞" for it in d.items)),
    ("tag before the title", lambda d: any(it.marker == "<Cookbook>" for it in d.items)),
    ("no link", lambda d: any(it.url is None and not it.is_group and it.title for it in d.items)),
    ("bare URL", lambda d: any(it.url and it.title == "" and it.url in src(it).split("\n")[0] for it in d.items)),
    ("note after the link", lambda d: any(it.note == "(X link)" for it in d.items)),
    ("group item", lambda d: any(it.is_group and all(b.links for b in it.bullets) for it in d.items)),
    (
        "bullets carrying a GitHub link",
        lambda d: any(GITHUB_BULLET.fullmatch(b.text) for it in d.items for b in it.bullets),
    ),
    ("2-space indent", lambda d: any(src(it).split("\n")[1].startswith("  - ") for it in d.items)),
    ("level-2 bullets", lambda d: any(lvl == 2 for it in d.items for lvl, _ in it.flat_bullets())),
    ("continuation lines", lambda d: any(re.search(r"\n    [^- ]", src(it)) for it in d.items)),
    ("trailing spaces", lambda d: any(re.search(r"[ \t]\n", src(it)) for it in d.items)),
]


@pytest.mark.parametrize("check", [v[1] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_covers_variant(doc: Document, check: Callable[[Document], bool]) -> None:
    assert check(doc)


@pytest.mark.parametrize("word", ["추론", "LoRA"])
def test_demo_searches_find_items(doc: Document, word: str) -> None:
    hits = [it for it in doc.items if word in it.title or any(word in t for _, t in it.flat_bullets())]
    assert len(hits) >= 2


def test_follows_the_writing_rules(doc: Document) -> None:
    for it in doc.items:
        flat = it.flat_bullets()
        assert 1 <= sum(1 for lvl, _ in flat if lvl == 1) <= 5, src(it)
        for _, bullet in flat:
            assert not re.search(r"(합니다|습니다|됩니다|입니다)\.?$", bullet), bullet
            assert not re.search(r"다\.$", bullet), bullet
        if it.url and "arxiv.org" in it.url:
            assert re.fullmatch(r"https://arxiv\.org/abs/\d{4}\.\d{4,5}", it.url), it.url
