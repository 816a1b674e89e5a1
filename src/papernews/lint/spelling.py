"""Which org spellings are misspellings: the alias table merges typos and variants alike; lint flags typos only.

`identity/org_aliases.json` files `Stnaford` and `Stanford University` both under `Stanford`,
because for counting they are one organisation. For a curator they are not alike: `Stnaford`
is a slip to fix, `Stanford University` (like `Mistral`/`Mistral AI`, `Toronto`/`University of
Toronto`, `AnthropicAI`) is a spelling the curator chose, and the archive merges it anyway.
So a spelling is flagged only when the table maps it to another organisation spelling *and*
it is a near miss of that spelling or of one of its shorter variants (`Bozewn-Bolzano` of
`Bozen-Bolzano`, `Berkely` of `Berkeley`): at most one edit (a transposed pair counts as one)
in names under 8 letters, two from 8 letters on. A variant that only adds or drops a generic
word (`University`, `AI`, `Lab`, …) is never a typo, glued (`DeepSeekAI`) or not.

On the seed this flags 23 org names (21 spellings, all typos, checked by hand in
docs/lint-seed.md) and leaves alone 43 (26 spellings) that the table maps as variants.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz.distance import OSA

from papernews.identity.orgs import default_aliases, org_key

# Words that say what kind of organisation a name is, not which one.
GENERIC_WORDS = frozenset(
    {"the", "of", "university", "univ", "inc", "corp", "corporation", "ai", "lab", "labs", "research", "team"}
)
_WORD_RE = re.compile(r"[^\W_]+")


def _core(name: str) -> tuple[str, ...]:
    """The words of a name that say which organisation it is (`University of Washinton` → `washinton`)."""
    words = _WORD_RE.findall(unicodedata.normalize("NFKC", name).casefold())
    return tuple(w for w in words if w not in GENERIC_WORDS)


def _glued_variant(a: str, b: str) -> bool:
    """`deepseekai` / `deepseek`: keys that differ by generic words at the end, written together."""
    longer, shorter = (a, b) if len(a) >= len(b) else (b, a)
    rest = longer.removeprefix(shorter) if longer.startswith(shorter) else None
    while rest:
        word = next((w for w in GENERIC_WORDS if rest.startswith(w)), None)
        if word is None:
            return False
        rest = rest[len(word) :]
    return rest == ""


def _limit(key: str) -> int:
    return 1 if len(key) < 8 else 2


@functools.cache
def _references() -> dict[str, tuple[str, ...]]:
    """Canonical spelling → the keys of the spellings that plainly are it: itself, and the variants
    that drop words (`bozenbolzano` of `Free University of Bozen-Bolzano`) or a generic suffix."""
    by_canonical: dict[str, list[str]] = {}
    for key, canonical in default_aliases().canonical_of.items():
        by_canonical.setdefault(canonical, []).append(key)
    return {canonical: _plain_spellings(canonical, keys) for canonical, keys in by_canonical.items()}


def _plain_spellings(canonical: str, keys: list[str]) -> tuple[str, ...]:
    canon_key, words = org_key(canonical), _core(canonical)
    # the table keeps keys only (`bozenbolzano`), so a shorter variant is a key made of a run of
    # the canonical's core words
    runs = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
    return (canon_key, *(k for k in keys if k != canon_key and (k in runs or _glued_variant(k, canon_key))))


def misspelled(name: str) -> str | None:
    """The spelling the alias table files `name` under when `name` is a misspelling of it, else None."""
    key = org_key(name)
    canonical = default_aliases().canonical_of.get(key)
    if canonical is None or org_key(canonical) == key:
        return None
    refs = _references()[canonical]
    if key in refs or _core(name) == _core(canonical) or any(_glued_variant(key, r) for r in refs):
        return None
    core_key = "".join(_core(name))
    for ref in refs:
        if OSA.distance(key, ref) <= _limit(ref):
            return canonical
    canon_core = "".join(_core(canonical))
    if core_key and canon_core and OSA.distance(core_key, canon_core) <= _limit(canon_core):
        return canonical
    return None
