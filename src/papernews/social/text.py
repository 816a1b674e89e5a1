"""Digest text as post text: Markdown links become their label, bare URLs stay whole links, and
text is cut only between words.

A post is a sequence of `Piece`s: plain text, or a link (shown as `text`, pointing to `url`).
A link piece is atomic: shortening keeps or drops it, never cuts it. Words are split at
whitespace; inside a run of Chinese or Japanese characters (written without spaces) a cut may
fall between two characters. Hangul is not in that set: Korean puts spaces between words, and a
cut inside an eojeol would split a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import regex

from papernews.links import BARE_URL_RE, link_at
from papernews.social.length import nfc

ELLIPSIS = "…"
# Trailing characters that read badly right before `…` (`X:…`, `A →…`): dropped at a cut.
_DANGLING = ",;:·→←–—-/(&|+"
_CJK_NO_SPACE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_SPACE = re.compile(r"\s+")
# What is left of a bullet that only gives links (`[깃허브 링크](…) 🔗`, `[허깅 페이스](…), [깃허브](…) 링크 🔗`)
_LINK_ONLY_REST = re.compile(r"^[\s,.;:·/&+()\[\]🔗➡️→-]*(?:(?:링크|link|links|Link|Links)[\s,.;:·🔗➡️→-]*)*$")


@dataclass(frozen=True)
class Piece:
    """Text shown in a post; `url` set makes it a link (never cut)."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Token:
    """A word (or a whole link) and the whitespace written before it."""

    text: str
    url: str | None = None
    space_before: str = ""


@dataclass(frozen=True)
class Segment:
    """A run of bullet Markdown: plain text (`url` None), a Markdown link (`text` its label,
    `markdown` True) or a bare URL (`text` and `url` the URL)."""

    text: str
    url: str | None = None
    markdown: bool = False


def markdown_segments(text: str) -> Iterator[Segment]:
    """Bullet Markdown split into plain runs, `[label](url)` links and bare URLs, in order.

    The one scan of links that post text (`markdown_pieces`, `is_link_only`) and the newsletter's
    plain-text part (`newsletter.edition.plain_text`) share, so a link is the same link in a post
    and in an e-mail: a `[` opens a link only when `links.link_at` finds one there, a bare URL is
    what `links.BARE_URL_RE` matches from an `http`."""
    start = i = 0
    while i < len(text):
        found: Segment | None = None
        end = i
        if text[i] == "[":
            link = link_at(text, i)
            if link is not None:
                found, end = Segment(link[0], link[1], markdown=True), link[2]
        elif text.startswith("http", i):
            m = BARE_URL_RE.match(text, i)
            if m is not None:
                found, end = Segment(m.group(0), m.group(0)), m.end()
        if found is None:
            i += 1
            continue
        if start < i:
            yield Segment(text[start:i])
        yield found
        start = i = end
    if start < len(text):
        yield Segment(text[start:])


def markdown_pieces(text: str, *, link_label: LinkLabel) -> list[Piece]:
    """A bullet's Markdown as pieces: `[label](url)` → its label (the post carries the item's own
    link, and each further URL costs 23 on X); a bare URL → a link piece shown by `link_label`."""
    pieces: list[Piece] = []
    for seg in markdown_segments(nfc(text)):
        if seg.url is None or seg.markdown:
            pieces.append(Piece(seg.text))
        else:
            pieces.append(Piece(link_label(seg.url), seg.url))
    return merge(pieces)


class LinkLabel:
    """How a link is written in a post: the URL itself (X, which counts any URL as 23), or a short
    label of host and path (Bluesky, whose link facet carries the full URL)."""

    def __init__(self, *, full: bool, max_graphemes: int = 32) -> None:
        self.full = full
        self.max_graphemes = max_graphemes

    def __call__(self, url: str) -> str:
        if self.full:
            return url
        parts = urlsplit(url)
        host = (parts.hostname or "").removeprefix("www.")
        shown = host + (parts.path if parts.path != "/" else "")
        if parts.query:
            shown += "?" + parts.query
        clusters = regex.findall(r"\X", shown)
        if len(clusters) <= self.max_graphemes:
            return shown
        return "".join(clusters[: self.max_graphemes - 1]) + ELLIPSIS


def is_link_only(text: str) -> bool:
    """True for a bullet that only points somewhere (`[깃허브 링크](…) 🔗`): no key point to post."""
    rest: list[str] = []
    found_link = False
    for seg in markdown_segments(text):
        if seg.url is None:
            rest.append(seg.text)
        else:
            found_link = True
    return found_link and bool(_LINK_ONLY_REST.match("".join(rest)))


def tokenize(pieces: list[Piece]) -> list[Token]:
    """Pieces as words: whitespace separates text, CJK ideographs and kana are one word each, a link is one word."""
    tokens: list[Token] = []
    space = ""
    for piece in pieces:
        if piece.url is not None:
            tokens.append(Token(piece.text, piece.url, space))
            space = ""
            continue
        pos = 0
        for m in _SPACE.finditer(piece.text):
            space = _words(piece.text[pos : m.start()], space, tokens) + m.group(0)
            pos = m.end()
        space = _words(piece.text[pos:], space, tokens)
    if tokens:
        tokens[0] = Token(tokens[0].text, tokens[0].url, "")
    return tokens


def _words(run: str, space: str, tokens: list[Token]) -> str:
    """Append the words of a space-free run; returns the space still owed to the next token."""
    if not run:
        return space
    start = 0
    for n, ch in enumerate(run):
        if n > start and (_CJK_NO_SPACE.match(ch) or _CJK_NO_SPACE.match(run[n - 1])):
            tokens.append(Token(run[start:n], None, space))
            space = ""
            start = n
    tokens.append(Token(run[start:], None, space))
    return ""


def join_tokens(tokens: list[Token]) -> list[Piece]:
    out: list[Piece] = []
    for n, t in enumerate(tokens):
        sep = t.space_before if n else ""
        if sep:
            out.append(Piece(" "))  # a run of spaces or a line break inside a bullet reads as one space
        out.append(Piece(t.text, t.url))
    return merge(out)


def cut(tokens: list[Token], keep: int) -> list[Piece] | None:
    """The first `keep` words and `…`, with punctuation that would dangle before `…` dropped;
    None when nothing is left to show. `keep == len(tokens)` is the whole text, without `…`."""
    if keep >= len(tokens):
        return join_tokens(tokens)
    kept = list(tokens[:keep])
    while kept and kept[-1].url is None:
        stripped = kept[-1].text.rstrip(_DANGLING)
        if stripped:
            kept[-1] = Token(stripped, None, kept[-1].space_before)
            break
        kept.pop()
    if not kept:
        return None
    return merge([*join_tokens(kept), Piece(ELLIPSIS)])


def merge(pieces: list[Piece]) -> list[Piece]:
    """Adjacent plain pieces joined, empty ones dropped: the same text in fewer pieces."""
    out: list[Piece] = []
    for p in pieces:
        if not p.text:
            continue
        if p.url is None and out and out[-1].url is None:
            out[-1] = Piece(out[-1].text + p.text)
        else:
            out.append(p)
    return out


def pieces_text(pieces: list[Piece] | tuple[Piece, ...]) -> str:
    return "".join(p.text for p in pieces)
