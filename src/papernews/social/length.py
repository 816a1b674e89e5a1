"""How long a post is, by each platform's own rules.

X: the weighted length of `twitter-text-parser` (the port of X's official `twitter-text`
configuration v3): code points up to U+10FF and a few punctuation ranges weigh 1, everything
else (Hangul, CJK, most emoji) weighs 2, an emoji sequence it recognises weighs 2 as a whole,
and any URL it recognises weighs 23 whatever its length (X rewrites it to a t.co link). The
limit is 280. Counting by hand (`len(text)`) under-counts every Korean post by half.

Bluesky: 300 graphemes (extended grapheme clusters, UAX #29), and at most 3,000 UTF-8 bytes.
Graphemes come from the `regex` module's `\\X`: it follows the current Unicode version with
every release (monthly), is already in the dependency tree (dateparser, through trafilatura),
and needs no second library; `grapheme` on PyPI stopped at Unicode 13 in 2020.
"""

from __future__ import annotations

import functools
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import regex

with warnings.catch_warnings():
    # twitter-text-parser 3.0 reads its emoji table through pkg_resources, which setuptools
    # deprecates (and removed in 81: pyproject.toml keeps setuptools below it)
    warnings.filterwarnings("ignore", message=".*pkg_resources.*")
    from twitter_text import parse_tweet

X_LIMIT = 280
X_URL_WEIGHT = 23
BLUESKY_LIMIT = 300
BLUESKY_MAX_BYTES = 3000

_GRAPHEME = regex.compile(r"\X")


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> tuple[int, bool]:
    # cached: a draft asks whether a text fits, then how long it is; parsing takes milliseconds
    parsed = parse_tweet(text)
    return int(parsed.weightedLength), bool(parsed.valid)


def x_length(text: str) -> int:
    """The weighted length X counts for `text` (after its NFC normalisation)."""
    return _parse(text)[0]


def x_estimate(text: str) -> int:
    """A cheap approximation of `x_length` (no URL or emoji-sequence detection), only to guide the
    search for the longest text that fits; every decision is made by `x_length` itself."""
    return sum(1 if _light(ord(ch)) else 2 for ch in text)


def _light(code: int) -> bool:
    return code <= 4351 or 8192 <= code <= 8205 or 8208 <= code <= 8223 or 8242 <= code <= 8247


def x_problems(text: str) -> list[str]:
    """Why X would refuse `text` (empty list: it is a valid post)."""
    length, valid = _parse(text)
    problems: list[str] = []
    if not text.strip():
        problems.append("empty post")
    if length > X_LIMIT:
        problems.append(f"{length} weighted characters, over X's {X_LIMIT}")
    elif not valid and text.strip():
        problems.append("characters X does not accept (e.g. U+FFFE, U+FEFF, U+202A-U+202E)")
    return problems


def graphemes(text: str) -> int:
    """User-perceived characters: what Bluesky counts (`👩‍👩‍👧‍👦` and `é` as e + accent are one each)."""
    return len(_GRAPHEME.findall(text))


def bluesky_problems(text: str) -> list[str]:
    """Why Bluesky would refuse the text of a post (empty list: it fits)."""
    problems: list[str] = []
    if not text.strip():
        problems.append("empty post")
    n = graphemes(text)
    if n > BLUESKY_LIMIT:
        problems.append(f"{n} graphemes, over Bluesky's {BLUESKY_LIMIT}")
    size = len(text.encode("utf-8"))
    if size > BLUESKY_MAX_BYTES:
        problems.append(f"{size} bytes, over Bluesky's {BLUESKY_MAX_BYTES}")
    return problems


# What X refuses in a post (twitter-text's invalid characters): a BOM, non-characters and
# bidirectional embedding controls, all invisible; a digest line that carries one loses it.
_INVALID = regex.compile("[\ufffe\ufeff\uffff\u202a-\u202e]")


def nfc(text: str) -> str:
    """The text as both platforms store it (NFC), without the invisible characters X refuses:
    drafts are normalised so that what is counted is what is sent."""
    return _INVALID.sub("", unicodedata.normalize("NFC", text))


@dataclass(frozen=True)
class Rules:
    """A platform's length rules: how it measures, its limit, what it refuses, and how a link is
    written in the text (`link_in_text`: X shows the URL itself and counts it as 23; Bluesky
    shows a short label and carries the URL in a link facet)."""

    target: str
    limit: int
    unit: str
    measure: Callable[[str], int]
    problems: Callable[[str], list[str]]
    full_urls_in_text: bool
    estimate: Callable[[str], int]  # cheap, close to `measure`: guides searches, decides nothing
    link_weight: int | None = None  # what a link counts, whatever its text (X: 23)

    def fits(self, text: str) -> bool:
        return not self.problems(text)


X_RULES = Rules("x", X_LIMIT, "weighted characters", x_length, x_problems, full_urls_in_text=True, estimate=x_estimate,
    link_weight=X_URL_WEIGHT)  # fmt: skip
BLUESKY_RULES = Rules(
    "bluesky", BLUESKY_LIMIT, "graphemes", graphemes, bluesky_problems, full_urls_in_text=False, estimate=graphemes
)
RULES: dict[str, Rules] = {r.target: r for r in (X_RULES, BLUESKY_RULES)}
