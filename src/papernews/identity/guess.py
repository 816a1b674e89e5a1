"""Kind and org of a link the way the curator would write them, from the URL and the archive alone.

The curator is consistent: `openai.com` is a 🧑🏻💻 dev item by OpenAI, an arXiv link a 📜 paper,
`ai.meta.com/research/publications/…` a paper by Meta but `ai.meta.com/blog/…` a dev post. So
the model counts, over the archive, which kind and org went with each *feature* of a URL,
from the most specific to the most general, and answers with the first feature it has seen:

    kind: .pdf path · arXiv/DOI/OpenReview id · platform owner · host + first path segment · host
          · parent domains · the platform (`*.github.io`) · shipped host rules · the archive's usual kind
    org:  platform owner (GitHub, Hugging Face, X, `owner.github.io` …) · host + first segment
          · host · parent domains · (a paper id: none, the paper's metadata will say) · shipped lab
          tables (`guess_rules.json`) · the owner's or host's name spelled like a known org
          (`deepseek-ai` → `DeepSeek AI`, `wandb.courses` → the W&B of wandb.ai) · the brand the
          name stands for once its extra words are set aside (`mistral-community` → `Mistral AI`,
          `Figure_robot` → `Figure`; a research team such as `princeton-nlp` stays itself) · for
          news, the first known org named in the URL's words · the owner's or site's own name,
          when the archive shows the curator usually writes it for such pages, without a glued
          suffix when the curator drops those (`gradientai` → `Gradient`) · an archived org the
          name starts with (`qwenlm` → `Qwen`)

"Known" is the archive first, in the curator's most frequent spelling, then the shipped tables;
the shipped spelling is used only for an org the archive has never written.

A platform (github.com, huggingface.co, x.com, youtube.com …) hosts everyone, so its host says
nothing about the org; only its owner does. A shared place (a host, a section) gives an org only
when it has `min_count` items and one org has at least `org_share` of them: arxiv.org and news
sites give none. Shorteners, click trackers and web mail (`OPAQUE_HOSTS`) give no org at all.
"No org" is never learned as an answer: in items.json it mostly means an older tool lost it.

Counts can be added and taken away (`learn`, `forget`), so a leave-one-out evaluation over the
archive removes one item's contribution, guesses it, and puts it back (`bench/guess_eval.py`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from papernews.errors import InputError
from papernews.identity.ids import GITHUB_RESERVED, HF_RESERVED, ids_of_canonical
from papernews.identity.orgs import OrgTable, item_orgs, org_key
from papernews.identity.urls import canonical_url
from papernews.model import Item, Kind

_K = TypeVar("_K")

# Hosts where the first path segment (or the subdomain) names whose page it is.
PLATFORM_HOSTS: frozenset[str] = frozenset(
    {
        "github.com",
        "gist.github.com",
        "raw.githubusercontent.com",
        "huggingface.co",
        "hf.co",
        "x.com",
        "twitter.com",
        "mobile.twitter.com",
        "youtube.com",
        "m.youtube.com",
        "youtu.be",
        "medium.com",
        "reddit.com",
        "linkedin.com",
        "threads.net",
        "gitlab.com",
        "kaggle.com",
        "sites.google.com",
    }
)
# Hosting services whose subdomains belong to different people (`qwenlm.github.io`).
PLATFORM_SUFFIXES: tuple[str, ...] = (
    "github.io",
    "substack.com",
    "medium.com",
    "notion.site",
    "hf.space",
    "vercel.app",
    "netlify.app",
    "pages.dev",
    "blogspot.com",
    "wordpress.com",
    "readthedocs.io",
    "gitbook.io",
    "streamlit.app",
)
# Link shorteners, click trackers and web mail: their URLs say nothing about what they point to.
OPAQUE_HOSTS: frozenset[str] = frozenset(
    {
        "t.co", "bit.ly", "lnkd.in", "buff.ly", "ow.ly", "tinyurl.com", "goo.gl", "is.gd", "rebrand.ly",
        "mailchi.mp", "list-manage.com", "awstrack.me", "beehiiv.com", "substackcdn.com", "hubspotlinks.com",
        "notion.so", "arc.net",
    }
)  # fmt: skip
_OPAQUE_FIRST_LABELS = frozenset({"link", "links", "click", "clicks", "email", "mail", "track", "trk", "url"})
# Second-level suffixes under which the third label names the site (`mk.co.kr`).
_SECOND_LEVEL = frozenset({"co", "ac", "or", "go", "ne", "re", "com", "org", "net", "edu", "gov"})
_X_RESERVED = frozenset({"i", "home", "search", "hashtag", "explore", "intent", "share", "settings", "messages"})
# Host labels that say what a site is, not whose (`blog.google`, `ai.meta.com`, `cdn.openai.com`).
_GENERIC_LABELS = frozenset(
    {
        "www", "blog", "blogs", "news", "newsroom", "press", "research", "developer", "developers", "docs", "api",
        "api-docs", "build", "learn", "about", "ai", "chat", "cdn", "www-cdn", "storage", "static", "media",
        "app", "apps", "labs", "lab", "en", "ko", "us", "com", "org", "net", "io", "co", "kr", "dev", "edu",
        "ac", "gov", "uk", "cn", "jp", "de", "fr", "info", "site", "web", "home", "link", "links", "mail",
        "email", "go", "open", "community", "support", "help", "status", "platform", "console", "cloud",
    }
)  # fmt: skip


@cache
def _shipped() -> dict[str, Any]:
    """The shipped rules (`guess_rules.json`, package data): read once, and only when a model is built."""
    text = resources.files("papernews.identity").joinpath("guess_rules.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@dataclass(frozen=True)
class Rules:
    """Shipped knowledge for what the archive has not seen (`guess_rules.json`).

    `Rules.none()` measures the archive alone, which is what the second column of the benchmark shows.
    """

    paper_hosts: frozenset[str] = field(default_factory=lambda: frozenset(_shipped()["paper_hosts"]))
    news_hosts: frozenset[str] = field(default_factory=lambda: frozenset(_shipped()["news_hosts"]))
    org_domains: dict[str, str] = field(default_factory=lambda: dict(_shipped()["org_domains"]))
    org_owners: dict[str, str] = field(default_factory=lambda: dict(_shipped()["org_owners"]))

    @classmethod
    def none(cls) -> Rules:
        return cls(frozenset(), frozenset(), {}, {})

    @cached_property
    def names(self) -> dict[str, str]:
        """`org_key` of every name the rules know an org by → the org: the orgs themselves (`XPENG`) and the
        owners (`gradio-app`), so a news story about `xpeng` or a `mistral-community` account is recognised
        even when the archive has never written that org."""
        out = {org_key(owner): org for owner, org in self.org_owners.items()}
        out.update((org_key(org), org) for org in (*self.org_domains.values(), *self.org_owners.values()))
        return out

    @cached_property
    def site_names(self) -> dict[str, str]:
        """`org_key` of each lab domain's name label → the org (`wandb` of wandb.ai: so `wandb.courses` is W&B).

        Only for a site's own labels, never for an account (`r/ChatGPT` is not chatgpt.com's); a
        label two orgs share (`google` of blog.google and research.google) names neither.
        """
        labels: dict[str, set[str]] = {}
        for domain, org in self.org_domains.items():
            label = _name_label(domain)
            if label and len(org_key(label)) >= 3:
                labels.setdefault(org_key(label), set()).add(org)
        return {key: next(iter(orgs)) for key, orgs in labels.items() if len(orgs) == 1}


@dataclass(frozen=True)
class Guess:
    """What `guess` says about one URL; `kind_rule` and `org_rule` name the feature that decided."""

    url: str
    canonical_url: str
    kind: Kind | None
    org: str | None
    ids: dict[str, str]
    kind_rule: str = ""
    org_rule: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "kind": self.kind.value if self.kind else None,
            "org": self.org,
            "ids": self.ids,
        }


@dataclass(frozen=True)
class UrlFeatures:
    """What about a URL can predict its kind and org, most specific first."""

    canonical: str
    host: str
    ids: dict[str, str]
    pdf: bool
    owner: tuple[str, str] | None  # (platform, owner lower-cased)
    owner_name: str | None  # the owner as written (`Lightning-AI`)
    section: tuple[str, str] | None  # (host, first path segment) when the path goes deeper
    parents: tuple[str, ...]  # parent domains, nearest first, platforms excluded
    platform: str | None  # the platform host or suffix, when the host is one
    opaque: bool  # a shortener, tracker or mail link: nothing to learn from its host
    site_name: str | None  # the label naming a non-platform site (`groq` for wow.groq.com)
    name_tokens: tuple[str, ...]  # strings that may spell the org: the owner, else host labels
    words: tuple[str, ...]  # the path's words, for the subject of a news story
    slug_words: tuple[str, ...]  # the words of the headline slug (the path segment with the most hyphens)

    def kind_keys(self) -> Iterator[tuple[str, ...]]:
        if self.pdf:
            yield ("pdf",)
        for scheme in ("arxiv", "doi", "openreview"):
            if scheme in self.ids:
                yield ("id", scheme)
        yield from self._place_keys()
        if self.platform:
            yield ("platform", self.platform)

    def org_keys(self) -> Iterator[tuple[str, ...]]:
        if not self.opaque:
            yield from self._place_keys()

    def _place_keys(self) -> Iterator[tuple[str, ...]]:
        if self.owner:
            yield ("owner", *self.owner)
        if self.section:
            yield ("section", *self.section)
        yield ("host", self.host)
        for parent in self.parents:
            yield ("host", parent)

    @property
    def self_name(self) -> str | None:
        """The name a page's own org would most likely have: its owner, else its site."""
        return self.owner_name or self.site_name

    @property
    def self_scope(self) -> str:
        return self.platform or "site"


def _platform_of(host: str) -> str | None:
    if host in PLATFORM_HOSTS:
        return host
    return next((s for s in PLATFORM_SUFFIXES if host.endswith("." + s)), None)


def _owner(host: str, platform: str | None, segs: list[str]) -> str | None:
    if platform is None:
        return None
    if platform != host:  # owner.github.io, owner.substack.com …
        return host[: -len(platform) - 1].split(".")[-1]
    first = segs[0] if segs else ""
    if host in ("github.com", "gist.github.com", "raw.githubusercontent.com", "gitlab.com"):
        return first if first and first.lower() not in GITHUB_RESERVED else None
    if host in ("huggingface.co", "hf.co"):
        if first in ("datasets", "spaces", "collections", "organizations") and len(segs) >= 2:
            return segs[1]
        return first if first and first not in HF_RESERVED else None
    if host in ("x.com", "twitter.com", "mobile.twitter.com", "threads.net"):
        return first.lstrip("@") if first and first not in _X_RESERVED else None
    if host in ("youtube.com", "m.youtube.com", "medium.com"):
        return first[1:] if first.startswith("@") else None
    if host == "reddit.com" and len(segs) >= 2 and segs[0] in ("r", "u", "user"):
        return segs[1]
    if host == "sites.google.com" and len(segs) >= 2 and segs[0] == "view":
        return segs[1]
    return None


def _parents(host: str) -> tuple[str, ...]:
    labels = host.split(".")
    out = []
    for i in range(1, len(labels) - 1):
        parent = ".".join(labels[i:])
        if _platform_of(parent) == parent or parent in PLATFORM_SUFFIXES:
            break
        out.append(parent)
    return tuple(out)


def _site_name(host: str) -> str | None:
    labels = host.split(".")
    if len(labels) < 2 or all(label.isdigit() for label in labels):
        return None
    i = len(labels) - 2
    if i > 0 and labels[i] in _SECOND_LEVEL and len(labels[-1]) == 2:
        i -= 1
    return labels[i]


def _opaque(host: str, parents: tuple[str, ...]) -> bool:
    return host.split(".")[0] in _OPAQUE_FIRST_LABELS or any(h in OPAQUE_HOSTS for h in (host, *parents))


_WORD_RE = re.compile(r"[^\W_]+")
_PAPER_IDS = frozenset({"arxiv", "doi", "openreview"})


def features(url: str) -> UrlFeatures:
    """The features of `url`; InputError for a URL `canonical_url` refuses."""
    canonical = canonical_url(url)
    parts = urlsplit(canonical)
    host = parts.hostname or ""
    segs = [unquote(s) for s in parts.path.split("/") if s]
    platform = _platform_of(host)
    owner = _owner(host, platform, segs)
    parents = _parents(host) if platform is None else ()
    section = (host, segs[0].lower()) if len(segs) >= 2 and owner is None else None
    if owner:
        tokens: tuple[str, ...] = (owner,)
    elif platform:
        tokens = ()
    else:
        labels = [label for label in host.split(".")[:-1] if label not in _GENERIC_LABELS]
        tokens = (host.rsplit(".", 1)[0], *labels)
    return UrlFeatures(
        canonical=canonical,
        host=host,
        ids=ids_of_canonical(canonical),
        pdf=parts.path.lower().endswith(".pdf"),
        owner=(platform, owner.lower()) if platform and owner else None,
        owner_name=owner,
        section=section,
        parents=parents,
        platform=platform,
        opaque=_opaque(host, parents),
        site_name=None if platform else _site_name(host),
        name_tokens=tokens,
        words=tuple(w.lower() for w in _WORD_RE.findall(parts.path)),
        slug_words=_slug_words(segs),
    )


def _slug_words(segs: list[str]) -> tuple[str, ...]:
    """The words of a path's headline slug: its segment with the most hyphens (`xpeng-unveils-iron-…`)."""
    slug = max(segs, key=lambda seg: seg.count("-"), default="")
    return tuple(w.lower() for w in _WORD_RE.findall(slug)) if slug.count("-") >= 2 else ()


def _matches(host: str, parents: tuple[str, ...], table: Iterable[str] | dict[str, str]) -> str | None:
    for h in (host, *parents):
        if h in table:
            return h
    return None


_ACRONYMS = frozenset({"ai", "ml", "nlp", "llm", "hq", "lab"})


def pretty_name(name: str) -> str:
    """An owner's or site's name as an org: `rhymes-ai` → `Rhymes AI`; names with capitals keep them."""
    words = [w for w in re.split(r"[-_.\s]+", name) if w]
    if any(c.isupper() for c in name):
        return " ".join(words)
    return " ".join(w.upper() if w in _ACRONYMS or len(w) <= 3 else w.capitalize() for w in words)


# Words an account or site adds to a brand's name (`ideogram_ai`, `mistral-community`, `Figure_robot`):
# without them the name is the brand's. Research-group words are not among them: the curator
# credits `Princeton NLP`, `Adobe Research`, `HuggingFaceM4` as written.
_BRAND_TAIL = frozenset(
    {"ai", "hq", "inc", "official", "community", "app", "apps", "hf", "io", "dev", "org", "robot", "robotics",
     "labs", "tech", "news", "blog", "corp", "global", "us", "kr"}
)  # fmt: skip
_TEAM_WORDS = frozenset({"research", "nlp", "lab", "group", "team", "brain", "fair"})
# Suffixes an account may glue to a name (`gradientai`, `lambdalabs`, `runwayml`).
_GLUED_SUFFIXES = ("labs", "lab", "ai", "ml", "hq")
_CAMEL_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_BRAND_TLDS_SKIP = frozenset({"info", "site", "tech", "company", "science", "network", "cloud", "app", "dev", "blog"})


def name_words(name: str) -> list[str]:
    """A handle's words, lower-cased, split at `-_.`, spaces and case changes (`HuggingFaceTB` → hugging face tb)."""
    return [w.lower() for part in re.split(r"[-_.\s]+", name) for w in _CAMEL_RE.findall(part)]


def glued_suffix(name: str) -> tuple[str, str] | None:
    """(stem, suffix) when `name` ends in a generic suffix with nothing between (`gradientai`, `AnthropicAI`)."""
    lowered = name.lower()
    for suffix in _GLUED_SUFFIXES:
        stem = name[: -len(suffix)]
        if lowered.endswith(suffix) and len(org_key(stem)) >= 3 and stem[-1].isalnum():
            return stem, name[-len(suffix) :]
    return None


def brand_keys(name: str) -> list[str]:
    """Keys of the brand an account or site name may stand for, besides its own, most literal first.

    The name without its trailing brand words (`ideogram_ai` → `ideogram`, `mistral-community`
    → `mistral`) or glued suffix (`lambdalabs` → `lambda`), then its word-boundary prefixes,
    longest first (`Figure_robot` → `figure`, `CohereForAI` → `cohere`). None when the rest
    is a research group's word (`princeton-nlp`): a team is its own org.
    """
    words = name_words(name)
    if not words or _TEAM_WORDS & set(words[1:]):
        return []
    out: list[str] = []
    core = list(words)
    while len(core) > 1 and core[-1] in _BRAND_TAIL:
        core.pop()
    if len(core) == 1 and (glued := glued_suffix(core[0])):
        core = [glued[0].lower()]
    candidates = ["".join(core)] + ["".join(words[:k]) for k in range(len(words) - 1, 0, -1)]
    full = org_key(name)
    for key in candidates:
        if len(key) >= 3 and key != full and key not in out and key not in _GENERIC_LABELS:
            out.append(key)
    return out


def _name_label(domain: str) -> str | None:
    """The label a domain's owner is known by: `wandb` of docs.wandb.ai, `google` of blog.google."""
    site = _site_name(domain)
    if site and site not in _GENERIC_LABELS:
        return site
    tld = domain.rsplit(".", 1)[-1]
    return tld if len(tld) > 3 and tld not in _BRAND_TLDS_SKIP else None


class GuessModel:
    """Counts of kind and org per URL feature over an archive; see the module docstring."""

    def __init__(
        self, *, rules: Rules | None = None, org_share: float = 0.5, min_count: int = 2, orgs: OrgTable | None = None
    ) -> None:
        self.rules = Rules() if rules is None else rules
        self.org_share = org_share
        self.min_count = min_count
        self.kinds: dict[tuple[str, ...], Counter[Kind]] = {}
        self.orgs: dict[tuple[str, ...], Counter[str]] = {}  # "" counts items without an org
        # (scope, kind) → how often the org was the page's own owner or site name (True) or not
        self.self_named: dict[tuple[str, Kind], Counter[bool]] = {}
        # own names with a glued suffix (`gradientai`) → did the curator drop it (True: `Gradient`) or keep it
        self.glued: dict[str, Counter[bool]] = {}
        self.all_kinds: Counter[Kind] = Counter()
        self.names = orgs if orgs is not None else OrgTable()
        self._features: dict[str, UrlFeatures | None] = {}

    @classmethod
    def from_items(cls, items: Iterable[Item], *, rules: Rules | None = None, org_share: float = 0.5) -> GuessModel:
        model = cls(rules=rules, org_share=org_share)
        for item in items:
            model.learn(item)
        return model

    def _features_of(self, url: str) -> UrlFeatures | None:
        if url not in self._features:
            try:
                self._features[url] = features(url)
            except InputError:
                self._features[url] = None
        return self._features[url]

    def org_label(self, names: Iterable[str]) -> str:
        """Orgs as the model compares them: each in its canonical spelling, joined by `, `."""
        return ", ".join(self.names.canonical_list(names))

    def learn(self, item: Item, n: int = 1) -> None:
        """Count what `item` says (`n = -1` takes it back)."""
        feats = self._features_of(item.url) if item.url else None
        orgs = item_orgs(item)
        for name in orgs:
            self.names.add(name, n)
        if feats is None:
            return
        if item.kind is not None:
            self.all_kinds[item.kind] += n
            for key in feats.kind_keys():
                _bump(self.kinds.setdefault(key, Counter()), item.kind, n)
            if orgs and feats.self_name and not feats.opaque:
                own = any(self._same_name(feats.self_name, o) for o in orgs)
                _bump(self.self_named.setdefault((feats.self_scope, item.kind), Counter()), own, n)
            if orgs and feats.self_name and not feats.opaque and (glued := glued_suffix(feats.self_name)):
                self._learn_glued(feats.self_name, glued[0], orgs, n)
        label = "\x1f".join(orgs)  # raw spellings: normalised when read, so the table can change
        for key in feats.org_keys():
            _bump(self.orgs.setdefault(key, Counter()), label, n)

    def forget(self, item: Item) -> None:
        self.learn(item, -1)

    def _learn_glued(self, name: str, stem: str, orgs: list[str], n: int) -> None:
        """Count whether the curator wrote `name` without its glued suffix (`gradientai` → `Gradient`) or with it."""
        groups = {self.names.group_of(o) for o in orgs}
        dropped, kept = self.names.group_of(stem) in groups, self.names.group_of(name) in groups
        if dropped != kept:  # `DeepSeekAI`: both spellings are one org, nothing to learn
            _bump(self.glued.setdefault(org_key(name), Counter()), dropped, n)

    def _drops_glued_suffix(self) -> bool:
        """Whether more of the archive's own names lost their glued suffix than kept it (each name counts once)."""
        votes = Counter(c[True] > c[False] for c in self.glued.values() if c[True] != c[False])
        return votes[True] > votes[False]

    def _same_name(self, name: str, org: str) -> bool:
        a, b = org_key(name), org_key(org)
        if a == b or self.names.group_of(name) == self.names.group_of(org):
            return True
        return min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a))

    def guess(self, url: str) -> Guess:
        """Kind and org for `url`; raises InputError for what `canonical_url` refuses."""
        feats = features(url)
        kind, kind_rule = self._kind(feats)
        org, org_rule = self._org(feats, kind)
        return Guess(url, feats.canonical, kind, org, feats.ids, kind_rule, org_rule)

    def _kind(self, f: UrlFeatures) -> tuple[Kind | None, str]:
        for key in f.kind_keys():
            counts = self.kinds.get(key)
            if counts:
                return max(counts, key=lambda k: (counts[k], k == Kind.DEV)), "learned " + ":".join(key)
        parents = f.parents
        if f.ids.keys() & _PAPER_IDS or f.pdf:
            return Kind.PAPER, "rule id/pdf"
        if _matches(f.host, parents, self.rules.paper_hosts):
            return Kind.PAPER, "rule paper host"
        if _matches(f.host, parents, self.rules.news_hosts):
            return Kind.NEWS, "rule news host"
        if self.all_kinds:
            return Kind.DEV, "default"
        return None, "no archive"

    def _org(self, f: UrlFeatures, kind: Kind | None) -> tuple[str | None, str]:
        if f.opaque:
            return None, "opaque link"
        for key in f.org_keys():
            counts = self.orgs.get(key)
            if not counts:
                continue
            total = sum(counts.values())
            merged: Counter[str] = Counter()
            for label, c in counts.items():
                merged[self.org_label(label.split("\x1f")) if label else ""] += c
            best, c = max(merged.items(), key=lambda kv: (kv[1], kv[0] != ""))
            # an owner is one org; a shared place (a host, a section) counts only with a clear majority.
            # "No org" is not an answer worth giving: it is what an older tool wrote when it lost the org.
            if best and (key[0] == "owner" or (c >= self.org_share * total and total >= self.min_count)):
                return best, "learned " + ":".join(key)
        if f.ids.keys() & _PAPER_IDS:
            return None, "paper: org from its metadata"  # the page's host is not the paper's org
        if f.owner and f.owner[1] in self.rules.org_owners:
            return self.names.canonical(self.rules.org_owners[f.owner[1]]), "rule owner"
        if f.owner is None:
            domain = _matches(f.host, f.parents, self.rules.org_domains)
            if domain:
                return self.names.canonical(self.rules.org_domains[domain]), "rule domain"
        site = f.owner is None and f.platform is None  # the tokens are a site's labels, not an account
        name = self._name_match(f.name_tokens, prefix=False, site=site)
        if name:
            return name, "name match"
        name = self._brand_match(f.name_tokens, site=site)
        if name:
            return name, "brand match"
        if kind == Kind.NEWS:
            subject = self._subject(f)
            if subject:
                return subject, "news subject"
        if f.self_name and kind is not None:
            votes = self.self_named.get((f.self_scope, kind), Counter())
            if votes[True] > votes[False]:
                glued = glued_suffix(f.self_name)
                own = glued[0] if glued and self._drops_glued_suffix() else f.self_name
                return pretty_name(own), "own name"
        name = self._name_match(f.name_tokens, prefix=True)
        if name:
            return name, "name prefix"
        return None, "unknown"

    def _known(self, key: str, min_count: int = 1, *, site: bool = False) -> str | None:
        """The org `key` names: one the archive has written (`min_count` times), in the curator's spelling, else
        one the shipped rules know (still in the curator's spelling when the archive has it under another key);
        `site` also accepts the name labels of the shipped lab domains."""
        if len(key) < 2:
            return None
        if self.names.count(key) >= min_count:
            return self.names.known(key)
        shipped = self.rules.names.get(key) or (self.rules.site_names.get(key) if site else None)
        return self.names.canonical(shipped) if shipped else None

    def _brand_match(self, tokens: tuple[str, ...], *, site: bool = False) -> str | None:
        """A known org an account or site name stands for once its extra words are set aside (`brand_keys`)."""
        for token in tokens:
            for key in brand_keys(token):
                found = self._known(key, site=site)
                if found:
                    return found
        return None

    def _name_match(self, tokens: tuple[str, ...], *, prefix: bool, site: bool = False) -> str | None:
        """An org spelled like the owner or a host label (archived, else shipped); with `prefix`, the longest
        archived org key it starts with."""
        keys = [org_key(t) for t in tokens]
        if not prefix:
            for key in keys:
                found = self._known(key, site=site)
                if found:
                    return found
            return None
        best: tuple[int, str] | None = None
        for key in keys:
            for org in self.names.keys():  # noqa: SIM118  (OrgTable is not a mapping)
                if len(org) >= 4 and key.startswith(org) and (best is None or len(org) > best[0]):
                    best = (len(org), org)
        return self.names.known(best[1]) if best else None

    def _subject(self, f: UrlFeatures) -> str | None:
        """The org a news URL is about: the first the archive knows (written at least twice) named anywhere in
        its words, else one the shipped rules know opening its headline slug (`xpeng-unveils-…`). Only the
        opening counts for those: a headline starts with its subject, and a shipped name can be a common word
        elsewhere (`figure`, `runway`)."""
        words = f.words
        for i in range(len(words)):
            for j in (3, 2, 1):
                key = org_key("".join(words[i : i + j]))
                if len(key) >= 2 and i + j <= len(words) and self.names.count(key) >= 2:
                    return self.names.known(key)
        slug = f.slug_words
        for j in (3, 2, 1):
            shipped = self.rules.names.get(org_key("".join(slug[:j]))) if len(slug) >= j else None
            if shipped:
                return self.names.canonical(shipped)
        return None


def _bump(counter: Counter[_K], key: _K, n: int) -> None:
    counter[key] += n
    if counter[key] <= 0:
        del counter[key]


def guess(url: str, model: GuessModel) -> Guess:
    """Kind, org and ids of `url` as the curator would have written them; InputError for a bad URL."""
    return model.guess(url)
