"""One spelling per organisation, so counts, the `--org` filter and `guess` see one Stanford, not four.

The archive has hundreds of org spellings: case and spacing (`NVIDIA`/`Nvidia`), punctuation
(`Stability.AI`/`Stability AI`), typos (`Stnaford`), a university with and without
`University`. Two sources decide what is one organisation:

- spellings with the same *key* (NFKC, case-folded, letters and digits only) are one, always;
- the shipped table `org_aliases.json` merges the rest (typos, `Mistral`/`Mistral AI`).

Within a merged group the curator's most frequent spelling wins, so the archive's habit
beats the shipped table's preference. Near-identical groups that neither source merges are
only *suspected* aliases (`suspects()`, rapidfuzz with a strict cutoff): `Google Research`
and `Google` are both written by the curator and mean different things, so nothing is merged
on similarity alone.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz

from papernews.model import Item

# Suspected aliases: keys at least this similar (rapidfuzz `fuzz.ratio`, 0-100). At 88 the real
# archive's typos (`Stnaford`, `Tisnghua`, `Mitral AI`) are caught; below it, pairs of different
# universities (`Peking University`/`Zhejiang University`, 82) flood the list.
SUSPECT_CUTOFF = 88.0
# Words that say what kind of organisation a name is, not which one: `Tsinghua University`
# and `Tsinghua` are suspected aliases even though their keys differ a lot.
_GENERIC_WORDS = frozenset(
    {"the", "of", "university", "univ", "inc", "corp", "corporation", "ai", "lab", "labs", "research", "team"}
)
_NON_ALNUM_RE = re.compile(r"[\W_]+")
_WORD_RE = re.compile(r"\w+")
_SPACES_RE = re.compile(r"\s+")


def org_key(name: str) -> str:
    """What two spellings of one org have in common: `Stability.AI`, `stability ai` → `stabilityai`."""
    return _NON_ALNUM_RE.sub("", unicodedata.normalize("NFKC", name).casefold())


def tidy(name: str) -> str:
    """A spelling with its outer and repeated spaces (and no-break spaces) removed."""
    return _SPACES_RE.sub(" ", unicodedata.normalize("NFKC", name)).strip()


def _core(name: str) -> str:
    words = _WORD_RE.findall(unicodedata.normalize("NFKC", name).casefold())
    return " ".join(w for w in words if w not in _GENERIC_WORDS)


def item_orgs(item: Item) -> list[str]:
    """The orgs the curator wrote for `item`.

    items.json files written by the older tool put the title into `org` when a line has no
    org (and split it at its commas); such an item has no org.
    """
    if not item.orgs or tidy(item.org_text) == tidy(item.title):
        return []
    return [tidy(o) for o in item.orgs if tidy(o)]


@dataclass(frozen=True)
class AliasTable:
    """The shipped table: alias key → the canonical spelling it belongs to."""

    canonical_of: dict[str, str]

    @classmethod
    def from_mapping(cls, groups: dict[str, list[str]]) -> AliasTable:
        out: dict[str, str] = {}
        for canonical, aliases in groups.items():
            for name in [canonical, *aliases]:
                out[org_key(name)] = canonical
        return cls(out)


@cache
def default_aliases() -> AliasTable:
    """The table shipped as package data (`papernews/identity/org_aliases.json`)."""
    text = resources.files("papernews.identity").joinpath("org_aliases.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return AliasTable.from_mapping(data["aliases"])


@dataclass(frozen=True)
class OrgCount:
    """An organisation under its canonical spelling, how often it appears, and every spelling seen."""

    name: str
    count: int
    spellings: dict[str, int]


class OrgTable:
    """Org spellings of an archive, grouped into organisations."""

    def __init__(self, counts: Counter[str] | None = None, aliases: AliasTable | None = None) -> None:
        self.aliases = default_aliases() if aliases is None else aliases
        self._spellings: Counter[str] = Counter()
        self._keys: Counter[str] = Counter()
        # group id (the key of the shipped canonical spelling, else the spelling's own key) → spellings
        self._groups: dict[str, Counter[str]] = {}
        self._best: dict[str, str] = {}
        for name, n in (counts or Counter()).items():
            self.add(name, n)

    @classmethod
    def from_items(cls, items: Iterable[Item], aliases: AliasTable | None = None) -> OrgTable:
        return cls(Counter(o for it in items for o in item_orgs(it)), aliases)

    def group_of(self, name: str) -> str:
        """The id of the organisation `name` belongs to: equal ids, same organisation."""
        key = org_key(name)
        canonical = self.aliases.canonical_of.get(key)
        return org_key(canonical) if canonical is not None else key

    def add(self, name: str, n: int = 1) -> None:
        """Count `n` more uses of a spelling (a negative `n` forgets them, for leave-one-out)."""
        name = tidy(name)
        if not org_key(name):
            return
        group = self._groups.setdefault(self.group_of(name), Counter())
        group[name] += n
        self._spellings[name] += n
        self._keys[org_key(name)] += n
        if self._keys[org_key(name)] <= 0:
            del self._keys[org_key(name)]
        if group[name] <= 0:
            del group[name]
        if self._spellings[name] <= 0:
            del self._spellings[name]
        self._best.pop(self.group_of(name), None)

    def _representative(self, group: str) -> str | None:
        best = self._best.get(group)
        if best is None:
            spellings = self._groups.get(group)
            if not spellings:
                return None
            preferred = {k: v for k, v in self.aliases.canonical_of.items() if org_key(v) == group}
            # most used; on a tie the shipped spelling, then the one with more capitals (`NVIDIA` over `Nvidia`)
            best = max(
                spellings,
                key=lambda s: (spellings[s], preferred.get(org_key(s)) == s, sum(c.isupper() for c in s), s),
            )
            self._best[group] = best
        return best

    def canonical(self, name: str) -> str:
        """The curator's spelling of the organisation `name` names; `name` (tidied) when unknown."""
        name = tidy(name)
        group = self.group_of(name)
        best = self._representative(group)
        if best is not None:
            return best
        return self.aliases.canonical_of.get(org_key(name), name)

    def canonical_list(self, names: Iterable[str]) -> list[str]:
        """Each name canonical, first occurrences only."""
        out: list[str] = []
        for n in names:
            c = self.canonical(n)
            if c not in out:
                out.append(c)
        return out

    def known(self, name: str) -> str | None:
        """The canonical spelling of `name` when the archive has the organisation, else None."""
        return self._representative(self.group_of(name))

    def keys(self) -> Iterable[str]:
        """The keys (`org_key`) of every spelling seen."""
        return self._keys.keys()

    def count(self, name: str) -> int:
        """Uses of the organisation `name` names, under any spelling."""
        return sum(self._groups.get(self.group_of(name), Counter()).values())

    @property
    def spellings(self) -> Counter[str]:
        """Every spelling seen and its count."""
        return Counter(self._spellings)

    def orgs(self) -> list[OrgCount]:
        """Organisations, most used first, each with its spellings."""
        out = []
        for group, spellings in self._groups.items():
            best = self._representative(group)
            if best is None:
                continue
            out.append(OrgCount(best, sum(spellings.values()), dict(spellings.most_common())))
        out.sort(key=lambda o: (-o.count, o.name.casefold()))
        return out

    def suspects(self, cutoff: float = SUSPECT_CUTOFF) -> list[tuple[str, str, float]]:
        """Pairs of organisations that may be one: (a, b, score), most similar first. Never merged automatically.

        Either their keys are at least `cutoff` similar (typos) or they are the same once words
        like `University`, `AI` or `Research` are set aside (`Tsinghua`/`Tsinghua University`,
        and also `Google`/`Google Research`, which the curator keeps apart: that is for a person to say).
        """
        names = [o.name for o in self.orgs()]
        keys = {n: org_key(n) for n in names}
        cores = {n: _core(n) for n in names}
        out: list[tuple[str, str, float]] = []
        for a, b in itertools.combinations(names, 2):
            score = fuzz.ratio(keys[a], keys[b])
            if score >= cutoff or (cores[a] and cores[a] == cores[b]):
                out.append((a, b, round(score, 1)))
        out.sort(key=lambda t: (-t[2], t[0].casefold(), t[1].casefold()))
        return out


def normalise_org(name: str, table: OrgTable | None = None) -> str:
    """The canonical spelling of `name`: the archive's (when a table is given), else the shipped table's."""
    return (table or OrgTable()).canonical(name)
