"""Hypothesis strategies for digest READMEs in every variant of docs/house-style.md.

`digests()` draws a whole document together with what the parser must find in it: the line of
every item, the fields each item says, and the lines that are not understood (which must come
back as warnings). The layout is built line by line, so those line numbers are exact.

The helpers below are plain functions taking `draw`, and every strategy is built once (`_ints`,
`_pick`): building strategy objects inside each draw made generation ten times slower.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from hypothesis import strategies as st

from papernews.model import Kind

T = TypeVar("T")

ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]
MONTH_EMOJIS = ["⛄", "☃", "🌱", "🌸", "🏕️", "🌞", "☔️", "🔥", "🙇🏻", "🍁", "🍂", "🎄"]
LABELS = (
    ("1st week", (1,)), ("2nd week", (2,)), ("3rd week", (3,)), ("4th week", (4,)), ("5th week", (5,)),
    ("1st ~ 3rd week", (1, 2, 3)), ("2nd ~ 3rd week", (2, 3)), ("4th ~ 5th week", (4, 5)),
    ("1~2주차", (1, 2)), ("3주차", (3,)),
)
# Every spelling of a kind emoji, and what the parser reads from it.
KIND_SPELLINGS = (
    ("📜", (Kind.PAPER,)),
    ("🧑🏻💻", (Kind.DEV,)),
    ("🧑🏻\u200d💻", (Kind.DEV,)),
    ("🗞️", (Kind.NEWS,)),
    ("🗞", (Kind.NEWS,)),
    ("", ()),
    ("🧑🏻💻📜", (Kind.DEV, Kind.PAPER)),
    ("🗞️📜", (Kind.NEWS, Kind.PAPER)),
)
ORGS = ("OpenAI", "Google DeepMind", "Meta", "KAIST", "네이버", "HKUST", "Amazon", "PKU", "Microsoft", "Upstage")
ORG_SEPARATORS = (", ", " & ", " · ")
# Lines the parser does not understand, in or out of a week block: each must give one warning.
UNKNOWN_PREFIXES = ("Note:", "참고:", "> 인용", "1.", "<br>", "**Note**", "| a | b |", "Text", "### 소제목", "＊")
SHAPES = (
    "link", "link", "link", "bold", "bracketed", "wrapped", "marker", "note",
    "no-link", "bracket-title", "bare-url", "group",
)
VOCABULARY = (
    "LLM", "reasoning", "추론", "능력", "향상", "LoRA", "fine-tuning", "모델", "공개",
    "KV", "cache", "벤치마크", "데이터셋", "성능", "달성", "Transformer", "agent", "에이전트",
    "multimodal", "멀티모달", "RAG", "retrieval", "검색", "instruction", "학습", "방법",
    "제안", "Scaling", "Laws", "for", "Efficient", "Inference", "효율적인", "추론",
    "Open-Source", "오픈소스", "Model", "3.5", "GPT-4o", "Claude", "Llama-3",
    "(8B)", "70B", "1M", "tokens", "→", "기존", "대비", "2배", "빠름.", "있음", "가능",
    "보임", "sparse", "MoE:", "Survey?", "Q&A", "100%", "v2/v3", "Apple’s",
    "on-device", "한국어", "평가", "Preference", "Optimization", "DPO", "RLHF",
    "reward", "보상", "모델", "distillation", "증류",
)

_STRATEGIES: dict[tuple[Any, ...], st.SearchStrategy[Any]] = {}


def _ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    key = ("ints", lo, hi)
    if key not in _STRATEGIES:
        _STRATEGIES[key] = st.integers(lo, hi)
    return _STRATEGIES[key]


def _pick(options: tuple[T, ...]) -> st.SearchStrategy[T]:
    key = ("pick", options)
    if key not in _STRATEGIES:
        _STRATEGIES[key] = st.sampled_from(options)
    return _STRATEGIES[key]


def one_in(draw: st.DrawFn, n: int) -> bool:
    return draw(_ints(0, n - 1)) == 0


_WORD_LISTS = {n: st.lists(st.sampled_from(VOCABULARY), min_size=n, max_size=n + 10) for n in (1, 2)}
_HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
_NEW_WORD = st.text(st.one_of(_HANGUL, st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789")), min_size=1, max_size=6)
_SLUG = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-"), min_size=1, max_size=12)
_ORG_LISTS = st.lists(st.sampled_from(ORGS), min_size=1, max_size=4, unique=True)


def words(draw: st.DrawFn, min_words: int = 1, max_words: int = 8) -> str:
    """Korean and English words with punctuation, single spaces, no brackets: like a title or a bullet."""
    chosen = draw(_WORD_LISTS[min_words])[:max_words]
    if one_in(draw, 4):  # and now and then a word never seen
        chosen.append(draw(_NEW_WORD))
    return " ".join(chosen)


def url(draw: st.DrawFn) -> str:
    kind, n, slug = draw(_ints(0, 3)), draw(_ints(1, 99999)), draw(_SLUG)
    if kind == 0:
        return f"https://arxiv.org/abs/2501.{n:05d}"
    if kind == 1:
        return f"https://github.com/{slug}/{slug}-{n}"
    if kind == 2:
        return f"https://openai.com/index/{slug}/"
    return f"https://huggingface.co/blog/{slug}?v={n}"


@dataclass
class Expected:
    """What the parser must read from one generated item."""

    line: int
    kinds: list[Kind]
    orgs: list[str]
    title: str
    url: str | None
    marker: str | None
    bold: bool
    note: str | None
    n_bullets: int
    group: bool = False
    week: tuple[int, int, list[int]] | None = None  # (year, month, weeks) of its block


@dataclass
class GeneratedDigest:
    text: str
    items: list[Expected] = field(default_factory=list)
    unknown_lines: list[int] = field(default_factory=list)


class _Lines:
    """The document being built, one line at a time; `next` is the 1-based number of the next line."""

    def __init__(self, draw: st.DrawFn, trailing_spaces: bool) -> None:
        self.lines: list[str] = []
        self.draw = draw
        self.trailing_spaces = trailing_spaces

    @property
    def next(self) -> int:
        return len(self.lines) + 1

    def add(self, line: str, *, may_trail: bool = True) -> None:
        if may_trail and self.trailing_spaces and one_in(self.draw, 4):
            line += self.draw(_pick((" ", "  ", "\t")))
        self.lines.append(line)

    def blanks(self, max_n: int = 2) -> None:
        for _ in range(self.draw(_ints(0, max_n))):
            self.lines.append(self.draw(_pick(("", "", "  "))))


def _bullets(draw: st.DrawFn, out: _Lines, unit: str, *, group: bool = False) -> int:
    """Level-1 bullets with level-2 children, indented by `unit` a level; returns how many in all."""
    count = 0
    for _ in range(draw(_ints(1 if group else 0, 3))):
        if group:
            text = f"[{draw(_pick(ORGS))}] [{words(draw, 2)}]({url(draw)})"
        elif one_in(draw, 6):
            text = f"[깃허브 링크]({url(draw)}) 🔗"
        else:
            text = words(draw, 1, 12)
        out.add(unit + "- " + text)
        count += 1
        if not group and one_in(draw, 7):
            out.add(unit + words(draw, 1, 4))  # a continuation line, as in the seed's numbered steps
        for _ in range(draw(_ints(0, 2))):
            if one_in(draw, 9):
                out.lines.append("")  # a loose list: the item goes on after a blank line
            out.add(unit * 2 + "- " + words(draw, 1, 10))
            count += 1
    return count


def _item(draw: st.DrawFn, out: _Lines) -> Expected:
    """An item in one of the variants; returns what it says."""
    line = out.next
    emoji, kinds = draw(_pick(KIND_SPELLINGS))
    unit = draw(_pick(("    ", "  ")))
    orgs = draw(_ORG_LISTS) if draw(st.booleans()) else []
    org_part = f"[{draw(_pick(ORG_SEPARATORS)).join(orgs)}] " if orgs else ""
    shape = draw(_pick(SHAPES))
    title = words(draw, 2)
    if not title[0].isalnum():
        title = "New " + title  # a symbol first (`→`) would read as a marker emoji, as `🧞` does
    link: str | None = url(draw)
    marker = note = None
    bold = group = False
    gap = draw(_pick((" ", " ", " ", ""))) if emoji else ""  # no space after the emoji, sometimes
    if shape in ("link", "bold", "bracketed", "marker", "note"):
        shown = title
        if shape == "bold":
            shown, bold = f"**{title}**", True
        elif shape == "bracketed":
            title = shown = f"[{draw(_pick(('Product launch', '신규 기능', 'Update')))}] {title}"
        elif shape == "marker":
            marker = draw(_pick(("🧞", "<Cookbook>", "<Tutorial>")))
            org_part += marker + " "
        elif shape == "note":
            note = draw(_pick(("(X link)", "(영상)", "(PDF)")))
        out.add(f"- {emoji}{gap}{org_part}[{shown}]({link})" + (f" {note}" if note else ""))
    elif shape == "wrapped":
        cuts = tuple(i for i in range(1, len(title) - 1) if title[i] == " " and title[i + 1].isalnum())
        if not cuts:
            out.add(f"- {emoji}{gap}{org_part}[{title}]({link})")
        else:
            k = draw(_pick(cuts))
            out.add(f"- {emoji}{gap}{org_part}[{title[:k]}", may_trail=False)
            out.add(f"{title[k + 1:]}]({link})")
    elif shape == "no-link":
        link = None
        out.add(f"- {emoji}{' ' if emoji else ''}{org_part}{title}")
    elif shape == "bracket-title":
        link = None
        out.add(f"- {emoji}{gap}{org_part}[{title}]")
    elif shape == "bare-url":
        title = ""
        out.add(f"- {emoji}{' ' if emoji else ''}{org_part}{link}")
    else:  # a group item: its bullets are themselves entries
        link, group, orgs = None, True, []
        out.add(f"- {emoji}{gap}[{title}]")
    n_bullets = _bullets(draw, out, unit, group=group)
    return Expected(line, list(kinds), orgs, title, link, marker, bold, note, n_bullets, group)


def _unknown(draw: st.DrawFn, out: _Lines, *, indented: bool = False) -> int:
    """A line the parser does not understand; returns its line number."""
    line = out.next
    out.add(("   " if indented else "") + draw(_pick(UNKNOWN_PREFIXES)) + " " + words(draw, 1, 5))
    return line


@st.composite
def digests(draw: st.DrawFn) -> GeneratedDigest:
    """A digest README in random variants, with what parsing it must give."""
    crlf = one_in(draw, 5)
    out = _Lines(draw, trailing_spaces=draw(st.booleans()))
    gen = GeneratedDigest(text="")
    if one_in(draw, 6):
        gen.unknown_lines.append(_unknown(draw, out))
    if draw(st.booleans()):
        out.lines.extend(["📜: Paper link", "🧑🏻💻: Developer blog & Github link", "🗞️: News", "", "---"])
    year = draw(_ints(2000, 2099))
    out.add(f"# {year}")
    for _ in range(draw(_ints(1, 2))):  # months, in any order
        month = draw(_ints(1, 12))
        if one_in(draw, 5):
            gen.unknown_lines.append(_unknown(draw, out, indented=draw(st.booleans())))
        name = f"{month}월" if draw(st.booleans()) else ENGLISH_MONTHS[month - 1]
        out.add(f"## {MONTH_EMOJIS[month - 1]} {name}")
        for _ in range(draw(_ints(1, 3))):  # week blocks, in any order
            label, weeks = draw(_pick(LABELS))
            out.add("<details>")
            out.add(f"  <summary>{label}</summary>")
            out.lines.append(draw(_pick(("", "  "))))
            for _ in range(draw(_ints(0, 5))):
                if one_in(draw, 7):
                    out.lines.append("")  # ends the item before: the next line is not one of its lines
                    gen.unknown_lines.append(_unknown(draw, out))
                    continue
                if one_in(draw, 5):
                    out.lines.append("")
                gen.items.append(_item(draw, out))
                gen.items[-1].week = (year, month, list(weeks))
            out.add("</details>")
            out.blanks()
            if one_in(draw, 7):
                gen.unknown_lines.append(_unknown(draw, out))
                out.blanks(1)
    eol = "\r\n" if crlf else "\n"
    text = eol.join(out.lines)
    if not one_in(draw, 5):
        text += eol  # else: a file without a final newline
    gen.text = text
    return gen
