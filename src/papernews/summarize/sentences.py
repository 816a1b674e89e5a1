"""Sentences of a paragraph, so that text is cut and picked whole, never in the middle of one.

A rule-based splitter is enough for the two languages the sources are in: English abstracts and
pages (a stop, `?` or `!`, a space, then a capital, a digit or an opening bracket) and Korean
pages (a stop after a syllable, then anything). Abbreviations that end in a stop (`e.g.`,
`et al.`, `Fig.`) and decimals (`2.5`) do not end a sentence.
"""

from __future__ import annotations

import re

# a sentence ends at . ? ! (or …), possibly followed by a closing quote or bracket, then a space
_END_RE = re.compile(r"(?<=[.?!…])[\"'”’)\]]*\s+")
# what may start the next sentence: a capital, a digit, an opening quote or bracket, a Hangul syllable
_START_RE = re.compile(r"[A-Z0-9\"'“‘(\[\uac00-\ud7a3]")
# words after which a stop is not the end of a sentence
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "et", "al", "etc", "fig", "figs", "eq", "eqs", "sec", "secs", "tab", "vs", "cf", "approx", "no",
    "nos", "dr", "mr", "ms", "prof", "resp", "incl", "ref", "refs",
})  # fmt: skip
_LAST_WORD_RE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _ends_with_abbreviation(chunk: str) -> bool:
    m = _LAST_WORD_RE.search(chunk.rstrip("\"'”’)] "))
    if not m:
        return False
    word = m.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())  # `J. Smith`, `A. Method`


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` in order, whitespace collapsed; no sentence is ever cut."""
    flat = " ".join(text.split())
    if not flat:
        return []
    sentences: list[str] = []
    start = 0
    for m in _END_RE.finditer(flat):
        end = m.end()
        if end >= len(flat) or not _START_RE.match(flat, end):
            continue
        chunk = flat[start : m.start()].strip()
        if _ends_with_abbreviation(flat[start : m.start()]):
            continue
        if chunk:
            sentences.append(chunk + flat[m.start() : end].strip())
        start = end
    rest = flat[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences
