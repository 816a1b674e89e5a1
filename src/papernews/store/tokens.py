"""Text as the full-text index sees it: Korean (and other CJK) runs become overlapping bigrams.

SQLite's `unicode61` tokenizer keeps a whole Korean word (`추론하는`) as one token, so
`추론` would never match it, and FTS5 offers no custom tokenizers from Python. Indexing
every CJK run as its character bigrams (`추론 론하 하는`), and turning a query the same
way into a phrase (`"추론"`), finds a word inside any inflected form, with BM25 ranking
intact. It is the CJK analyzer of Lucene, chosen over morpheme analysis (kiwipiepy)
because it needs no model, never misses a new loanword or name, and keeps an import of
100,000 items within seconds. English goes through `unicode61` untouched, so `LoRA`
matches the word `LoRA` and not `exploration`.
"""

from __future__ import annotations

import operator
import re

# Hangul syllables and jamo, CJK ideographs, kana.
CJK_RUN_RE = re.compile(
    r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
)
# What unicode61 would keep as a token (letters, digits; we split CJK out first).
WORD_RE = re.compile(r"\w+")


def _bigrams(run: str) -> str:
    if len(run) == 1:
        return run
    return " ".join(map(operator.add, run, run[1:]))


def index_text(text: str) -> str:
    """The text to store in the FTS column: CJK runs spelled out as bigrams, the rest as is."""
    if not CJK_RUN_RE.search(text):
        return text
    return CJK_RUN_RE.sub(lambda m: f" {_bigrams(m.group(0))} ", text)


def query_terms(query: str) -> list[str]:
    """Split a user query into FTS5 terms: one quoted phrase per word, bigrams for CJK.

    Every term is quoted, so FTS5 operators typed by the user (`AND`, `*`, `:`, `"`) are
    searched as text and cannot break the query. A one-syllable Korean word is matched as a
    prefix of the bigrams (`닭*`), the only way to find it without unigram tokens.
    """
    terms: list[str] = []
    for word in query.split():
        pos = 0
        for m in CJK_RUN_RE.finditer(word):
            terms.extend(_latin_phrase(word[pos : m.start()]))
            run = m.group(0)
            terms.append(f'"{run}" *' if len(run) == 1 else f'"{_bigrams(run)}"')
            pos = m.end()
        terms.extend(_latin_phrase(word[pos:]))
    return terms


def _latin_phrase(chunk: str) -> list[str]:
    """`Chain-of-Thought` → one phrase `"Chain of Thought"`, as unicode61 indexed it."""
    tokens = WORD_RE.findall(chunk)
    return ['"' + " ".join(tokens) + '"'] if tokens else []


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression requiring every term (implicit AND); None for an empty query."""
    terms = query_terms(query)
    return " AND ".join(terms) if terms else None
