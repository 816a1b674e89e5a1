"""Links inside Markdown text: `[text](url)` with nested brackets and parentheses, and bare URLs.

A regex cannot balance `[[Launch] Title](https://en.wikipedia.org/wiki/A_(b))`, so the
scanner below counts depth. It is hand-written because Markdown parsers (markdown-it,
mistune) normalise the text they parse and would lose the exact spelling we must keep.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

BARE_URL_RE = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    url: str


_BRACKET_CHARS = {("[", "]"): re.compile(r"[\[\]\\]"), ("(", ")"): re.compile(r"[()\\]")}
_SPACE_RE = re.compile(r"\s")


def match_bracket(s: str, start: int, open_: str = "[", close: str = "]") -> int:
    """Index of the bracket closing the one at `start`, or -1; a backslash escapes the next character."""
    # Fast path, three C-level searches: when no opening bracket and no backslash comes
    # before the first closing one, that one is the match. This is almost every bracket
    # of a digest (`[Org]`, `[Title](url)`), and the loop below costs ten times as much.
    if s.startswith(open_, start):
        end = s.find(close, start + 1)
        if end < 0:
            return -1
        if s.find(open_, start + 1, end) < 0 and s.find("\\", start, end) < 0:
            return end
    depth = 0
    skip_until = -1
    for m in _BRACKET_CHARS[(open_, close)].finditer(s, start):
        i = m.start()
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


def link_at(s: str, start: int) -> tuple[str, str, int] | None:
    """If a Markdown link starts at `start`, return (text, url, end index after it)."""
    if start >= len(s) or s[start] != "[":
        return None
    return link_after(s, start, match_bracket(s, start))


def link_after(s: str, start: int, close: int) -> tuple[str, str, int] | None:
    """`link_at` when the `]` closing the `[` at `start` is already known (`close`, or -1).

    The head parser needs the closing bracket either way (a `[Org]` is not a link), so it
    matches it once and asks here whether a `(url)` follows.
    """
    if close < 0 or close + 1 >= len(s) or s[close + 1] != "(":
        return None
    end = match_bracket(s, close + 1, "(", ")")
    if end < 0:
        return None
    url = s[close + 2 : end].strip()
    if not url or _SPACE_RE.search(url):
        return None
    return s[start + 1 : close], url, end + 1


def find_links(text: str) -> list[Link]:
    """Every link in `text`, in order: Markdown links first-class, bare URLs outside them too."""
    links: list[Link] = []
    i = 0
    spans: list[tuple[int, int]] = []
    while i < len(text):
        j = text.find("[", i)
        if j < 0:
            break
        found = link_at(text, j)
        if found:
            label, url, end = found
            links.append(Link(text=label, url=url))
            spans.append((j, end))
            i = end
        else:
            i = j + 1
    for m in BARE_URL_RE.finditer(text):
        if not any(a <= m.start() < b for a, b in spans):
            links.append(Link(text=m.group(0), url=m.group(0)))
    if len(spans) and len(links) > len(spans):
        links.sort(key=lambda ln: text.find(ln.url))
    return links
