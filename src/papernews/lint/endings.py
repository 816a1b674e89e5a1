"""Sentence endings of summary bullets, judged on morphemes (Kiwi), not on raw suffixes.

The house style writes notes (개조식): `… 공개`, `… 제안`, `… 있음`, `… 보임`. A polite
ending (`…를 공개합니다`) is an error, a plain one (`…할 수 있다.`) a warning. A suffix test
cannot tell them apart: `…다` ends `바다` and `…보다`, `…요` ends `중요` and `필요`, and an
ending can hide before a link, a `🔗`, a parenthesis or a quote. So each bullet goes through
Kiwi (kiwipiepy), and what is judged is the ending morpheme (EF, or an EC that closes the
sentence) of every sentence: `ㅂ니다/습니다` (and `…요`, `…죠`) polite, `다/ㄴ다/는다` plain;
noun endings (`공개/NNG`), nominalised ones (`있/VA+음/EF`, `보이/VV+ㅁ/ETN`) are the house style.

Cost. Loading Kiwi is about a second, and its first analysis another half second, so the
model is built once, lazily, without the dictionaries that only help proper nouns and typos
(the default, multi-word and typo dictionaries: with them loading takes four times as long
and no ending of the seed is judged differently). A bullet goes to Kiwi only when a sentence
in it may end with a syllable a polite or plain ending ends with (`다 요 까 죠 오` before a
non-Hangul character or the end): the others (`… 제안`, `… 공개 🔗`) cannot carry one.
On the seed that is 60 of 1,196 bullets, analysed in a few hundredths of a second.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, cast

from papernews.links import BARE_URL_RE, link_at

Register = Literal["polite", "plain"]


class Token(Protocol):
    """What lint reads of a kiwipiepy token."""

    @property
    def form(self) -> str: ...

    @property
    def tag(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def len(self) -> int: ...


class Analyzer(Protocol):
    def tokenize(self, text: str, *, compatible_jamo: bool) -> Sequence[Token]: ...


@functools.cache
def analyzer() -> Analyzer:
    """The Kiwi model, built on first use (kiwipiepy is imported here, not at start-up)."""
    from kiwipiepy import Kiwi  # type: ignore[import-untyped]  # no py.typed: typed here by `Analyzer`

    kiwi = Kiwi(num_workers=1, load_default_dict=False, load_typo_dict=False, load_multi_dict=False)
    return cast(Analyzer, kiwi)


@dataclass(frozen=True)
class Ending:
    """A sentence of a bullet that ends politely or plainly."""

    register: Register
    word: str  # the word carrying the ending, as written (`공개합니다`)
    morphemes: str  # its analysis (`공개/NNG+하/XSV+ㅂ니다/EF`)
    suggestion: str | None  # the note-style word when it follows from the morphemes (`공개`), else None


# A sentence may end politely or plainly only on one of these syllables, not followed by Hangul.
_CANDIDATE_RE = re.compile(r"[다요까죠오](?![가-힣])")
_MARKUP_RE = re.compile(r"\*\*|__|`")
# Tags of what may follow a sentence's ending inside it: punctuation, symbols, Latin letters,
# numbers, URLs, emoji (Kiwi's S* and W_* tags): `… 있다 (약 2.5배)` still ends at `있다`.
_TRAILING_PREFIXES = ("S", "W_")
# Closing quotes: an ending followed by one and then more words is a quotation.
_QUOTE_FORMS = frozenset("\"'”’」』")


def plain_text(text: str) -> str:
    """The bullet as a reader reads it: a link as its text in brackets, bare URLs and emphasis marks removed.

    The brackets stay so that a sentence is still seen to end before a trailing link
    (`… 공개합니다 [링크]`), as it is before a parenthesis.
    """
    if "[" in text:
        parts: list[str] = []
        i = 0
        while (j := text.find("[", i)) >= 0:
            found = link_at(text, j)
            if found is None:
                parts.append(text[i : j + 1])
                i = j + 1
                continue
            label, _url, end = found
            parts.append(f"{text[i:j]}[{label}]")
            i = end
        parts.append(text[i:])
        text = "".join(parts)
    if "://" in text:
        text = BARE_URL_RE.sub(" ", text)
    return _MARKUP_RE.sub("", text)


def register_of(form: str) -> Register | None:
    """`ㅂ니다`, `습니까`, `어요`, `죠` → polite; `다`, `ㄴ다`, `는다` → plain; anything else → None."""
    if form.endswith(("니다", "니까", "요", "죠", "시오", "ㅂ시다", "읍시다")):
        return "polite"
    if form.endswith("다"):
        return "plain"
    return None


def sentence_endings(text: str) -> list[Ending]:
    """The polite and plain endings of the sentences of a bullet, in order; [] for note style."""
    clean = plain_text(text)
    if not _CANDIDATE_RE.search(clean):
        return []
    tokens = analyzer().tokenize(clean, compatible_jamo=True)
    out: list[Ending] = []
    for i, tok in enumerate(tokens):
        if tok.tag not in ("EF", "EC"):
            continue
        register = register_of(tok.form)
        if register is None or not _closes_sentence(tokens, i) or _quoted(tokens, i):
            continue
        out.append(_ending(clean, tokens, i, register))
    return out


def _closes_sentence(tokens: Sequence[Token], i: int) -> bool:
    """True when nothing but punctuation, symbols, Latin text, URLs or a bracketed aside follows
    up to the sentence's end (a full stop, `?`, `!`, a colon, or the end of the bullet).

    Kiwi tags a final ending EF; before a link, a parenthesis or at the very end without a full
    stop it may tag it EC (`좋다` alone is `좋/VA+다/EC`), which this then accepts. An EC followed
    by more words of the sentence (`가능하다고 주장`) is a connective ending and is not judged.
    """
    if tokens[i].tag == "EF":
        return True
    depth = 0
    for tok in tokens[i + 1 :]:
        if tok.tag == "SSO":
            depth += 1
        elif tok.tag == "SSC":
            depth = max(depth - 1, 0)
        elif depth:
            continue
        elif tok.tag == "SF" or tok.form == ":":
            return True
        elif not tok.tag.startswith(_TRAILING_PREFIXES):
            return False
    return True


def _quoted(tokens: Sequence[Token], i: int) -> bool:
    """True for a quotation inside the sentence (`"…합니다"라는 문구`, `'AI가 바꾼다' 보고서 발표`):
    a closing quote, then more words. A quote that closes the bullet (`“좋습니다.”`) is the
    writer's own sentence and is judged."""
    j = i + 1
    while j < len(tokens) and tokens[j].tag in ("SF", "SP"):
        j += 1
    if j >= len(tokens) or tokens[j].form not in _QUOTE_FORMS:
        return False
    return j + 1 < len(tokens) and not tokens[j + 1].tag.startswith(_TRAILING_PREFIXES)


def _ending(clean: str, tokens: Sequence[Token], i: int, register: Register) -> Ending:
    """The word the ending closes, its morphemes and the note-style word that would replace it."""
    end = tokens[i].start + tokens[i].len
    start = clean.rfind(" ", 0, tokens[i].start) + 1
    first = i
    while first > 0 and tokens[first - 1].start >= start:
        first -= 1
    while first < i and tokens[first].tag.startswith("S"):  # an opening quote or bracket is no part of it
        first += 1
    start = max(start, tokens[first].start)
    word_tokens = tokens[first : i + 1]
    morphemes = "+".join(f"{t.form}/{t.tag}" for t in word_tokens)
    return Ending(register, clean[start:end], morphemes, _suggestion(clean, start, word_tokens))


_NOUN_TAGS = frozenset({"NNG", "NNP", "NNB", "XR", "SL", "SN", "SH", "XSN", "ETN"})
_STEM_TAGS = frozenset({"VV", "VA", "VX", "EP"})  # regular stems (irregular ones are tagged `VA-I`, …)
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_FINAL_NONE, _FINAL_RIEUL, _FINAL_RIEUL_MIEUM, _FINAL_MIEUM = 0, 8, 10, 16


def _suggestion(clean: str, start: int, word: Sequence[Token]) -> str | None:
    """The word in note style: `공개합니다` → `공개`, `향상됩니다` → `향상됨`, `있다` → `있음`, `한다` → `함`.

    A noun with `하`, `되` or `이` keeps the noun; a regular verb or adjective stem (past tense
    included) is nominalised with `ㅁ/음` (`보였습니다` → `보였음`, `만든다` → `만듦`). Irregular
    stems (`어렵습니다`) would need conjugating and get no suggestion.
    """
    *body, ending = word
    if not body:
        return None
    for k in range(1, len(body)):
        if body[k].tag in ("XSV", "XSA", "VCP") and body[k - 1].tag in _NOUN_TAGS:
            head = clean[start : body[k - 1].start + body[k - 1].len]
            return head + "됨" if body[k].form == "되" else head
    last = body[-1]
    if last.tag not in _STEM_TAGS:
        return None
    if ending.start >= last.start + last.len:  # `있|다`, `낮았|다`: the stem is written whole
        return _add_mieum(clean[start : ending.start])
    if last.tag == "EP":  # `보였|습니다` is cut after the tense, whatever Kiwi's offsets say
        return _add_mieum(clean[start : ending.start]) if ending.start > start else None
    return _add_mieum(clean[start : last.start] + last.form)  # `한다`: the ending fused into the stem's syllable


def _add_mieum(text: str) -> str | None:
    """`하` → `함`, `만들` → `만듦`, `있` → `있음`: the nominalising `ㅁ/음` on a stem."""
    if not text:
        return None
    code = ord(text[-1])
    if not _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return None
    final = (code - _HANGUL_FIRST) % 28
    if final == _FINAL_NONE:
        return text[:-1] + chr(code + _FINAL_MIEUM)
    if final == _FINAL_RIEUL:
        return text[:-1] + chr(code - _FINAL_RIEUL + _FINAL_RIEUL_MIEUM)
    return text + "음"
