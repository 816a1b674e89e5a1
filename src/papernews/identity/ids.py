"""Identifiers hidden in a URL: the same paper, repository or model is reachable under many addresses.

An arXiv paper alone has a dozen (`abs`, `pdf`, `html`, each `vN`, `export.`, ar5iv,
alphaXiv, Hugging Face paper pages); the id is what stays the same. Everything here is a
pure function of the URL: no network, so `guess` and duplicate checks work offline.

Ids are lower-cased where the site treats them case-insensitively (GitHub, Hugging Face,
DOIs), so two spellings of one repository give one id; arXiv ids keep their case
(`math.GT/0309136`) and lose their version.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from papernews.identity.urls import canonical_url

ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})"
_ARXIV_TAIL_RE = re.compile(rf"^({ARXIV_ID})(?:v\d+)?(?:\.pdf)?(?:/.*)?$")
_ARXIV_DOI_RE = re.compile(rf"^10\.48550/arxiv\.({ARXIV_ID})$", re.I)

# host → path prefixes after which an arXiv id follows
_ARXIV_PATHS: dict[str, tuple[str, ...]] = {
    "arxiv.org": ("/abs/", "/pdf/", "/html/", "/format/", "/ps/"),
    "export.arxiv.org": ("/abs/", "/pdf/", "/html/", "/format/", "/ps/"),
    "browse.arxiv.org": ("/abs/", "/pdf/", "/html/"),
    "ar5iv.org": ("/abs/", "/html/", "/papers/"),
    "ar5iv.labs.arxiv.org": ("/abs/", "/html/", "/papers/"),
    "alphaxiv.org": ("/abs/", "/overview/", "/pdf/"),
    "huggingface.co": ("/papers/",),
    "hf.co": ("/papers/",),
    "semanticscholar.org": ("/arxiv/",),
}

_DOI_RE = re.compile(r"(10\.\d{4,9}/[^\s?#]+)")
_DOI_TAIL_RE = re.compile(r"(?:/(?:full|abstract|pdf|epdf|meta|summary|references)|\.(?:full|abstract))*(?:\.pdf)?$")
_PREPRINT_VERSION_RE = re.compile(r"v\d+$")
_PREPRINT_HOSTS = frozenset({"biorxiv.org", "medrxiv.org"})
_NATURE_RE = re.compile(r"^/articles/(s\d{5}-\d{3}-\d{5}-[0-9a-z])$", re.I)

# First path segments of github.com that are GitHub's own pages, not an owner.
GITHUB_RESERVED: frozenset[str] = frozenset(
    {
        "about", "account", "advisories", "apps", "blog", "codespaces", "collections", "contact", "copilot",
        "customer-stories", "dashboard", "discussions", "education", "enterprise", "events", "explore",
        "features", "git-guides", "github-copilot", "home", "issues", "join", "login", "logout", "marketplace",
        "mobile", "models", "new", "nonprofit", "notifications", "organizations", "orgs", "password_reset",
        "premium-support", "pricing", "pulls", "readme", "resources", "search", "security", "sessions",
        "settings", "signup", "site", "solutions", "sponsors", "stars", "team", "topics", "trending", "users",
        "watching",
    }
)  # fmt: skip
# First path segments of huggingface.co that are not a model owner.
HF_RESERVED: frozenset[str] = frozenset(
    {
        "api", "blog", "brand", "changelog", "chat", "collections", "course", "datasets", "docs", "enterprise",
        "huggingchat", "inference-api", "inference-endpoints", "join", "learn", "login", "models", "new",
        "new-dataset", "new-space", "notifications", "organizations", "papers", "posts", "pricing", "privacy",
        "search", "settings", "spaces", "tasks", "terms-of-service", "welcome",
    }
)  # fmt: skip
_OWNER_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")
_REPO_RE = re.compile(r"^[A-Za-z0-9._-]+$")
_HF_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _segments(path: str) -> list[str]:
    return [unquote(s) for s in path.split("/") if s]


def _arxiv(host: str, path: str) -> str | None:
    for prefix in _ARXIV_PATHS.get(host, ()):
        if path.startswith(prefix):
            m = _ARXIV_TAIL_RE.match(unquote(path[len(prefix) :]))
            if m:
                return m.group(1)
    return None


def _doi(host: str, path: str) -> str | None:
    text = unquote(path)
    if host in ("doi.org", "dx.doi.org"):
        doi = text.lstrip("/")
        return doi.lower() if doi.startswith("10.") and "/" in doi else None
    if host == "nature.com":
        m = _NATURE_RE.match(text)
        if m:
            return f"10.1038/{m.group(1).lower()}"
    m = _DOI_RE.search(text)
    if not m:
        return None
    doi = _DOI_TAIL_RE.sub("", m.group(1).rstrip("/"))
    if host in _PREPRINT_HOSTS:
        doi = _PREPRINT_VERSION_RE.sub("", doi)
    return doi.lower() if "/" in doi and not doi.endswith("/") else None


def _openreview(host: str, path: str, query: str) -> str | None:
    if host != "openreview.net" or path not in ("/forum", "/pdf", "/attachment"):
        return None
    value = dict(parse_qsl(query)).get("id", "")
    return value if re.fullmatch(r"[A-Za-z0-9_\-]+", value) else None


def _github(host: str, segs: list[str]) -> str | None:
    on_github = host == "github.com" and bool(segs) and segs[0].lower() not in GITHUB_RESERVED
    if len(segs) < 2 or not (on_github or host == "raw.githubusercontent.com"):
        return None
    owner, repo = segs[0], segs[1].removesuffix(".git")
    if not (_OWNER_RE.match(owner) and _REPO_RE.match(repo)) or repo in (".", ".."):
        return None
    return f"{owner}/{repo}".lower()


def _hf(host: str, segs: list[str]) -> tuple[str, str] | None:
    if host not in ("huggingface.co", "hf.co") or not segs:
        return None
    kind = {"datasets": "hf_dataset", "spaces": "hf_space"}.get(segs[0])
    rest = segs[1:] if kind else segs
    if kind is None:
        if segs[0] in HF_RESERVED:
            return None
        kind = "hf_model"
    if len(rest) < 2 or not (_HF_NAME_RE.match(rest[0]) and _HF_NAME_RE.match(rest[1])):
        return None
    return kind, f"{rest[0]}/{rest[1]}".lower()


def ids_of(url: str) -> dict[str, str]:
    """Every identifier `url` carries, by scheme: arxiv, doi, openreview, github, hf_model, hf_dataset, hf_space.

    Raises InputError for what `canonical_url` refuses.
    """
    return ids_of_canonical(canonical_url(url))


def ids_of_canonical(canonical: str) -> dict[str, str]:
    """`ids_of` for a URL that is already canonical (the index has it at hand; canonicalising twice costs)."""
    parts = urlsplit(canonical)
    host, path = parts.hostname or "", parts.path
    segs = _segments(path)
    out: dict[str, str] = {}
    arxiv = _arxiv(host, path)
    doi = _doi(host, path)
    if doi:
        out["doi"] = doi
        m = _ARXIV_DOI_RE.match(doi)
        arxiv = arxiv or (m.group(1) if m else None)
    if arxiv:
        out["arxiv"] = arxiv
    openreview = _openreview(host, path, parts.query)
    if openreview:
        out["openreview"] = openreview
    github = _github(host, segs)
    if github:
        out["github"] = github
    hf = _hf(host, segs)
    if hf:
        out[hf[0]] = hf[1]
    return out


_HF_PREFIX = {"hf_model": "", "hf_dataset": "datasets/", "hf_space": "spaces/"}
_YOUTUBE_ID_RE = re.compile(r"^[A-Za-z0-9_-]{6,}$")


def identity_of(canonical: str, ids: dict[str, str]) -> str:
    """`identity_url` when the canonical URL and its ids are already known (the index computes them once)."""
    if "arxiv" in ids:
        return f"https://arxiv.org/abs/{ids['arxiv']}"
    if "doi" in ids:
        return f"https://doi.org/{ids['doi']}"
    if "openreview" in ids:
        return f"https://openreview.net/forum?id={ids['openreview']}"
    if "github" in ids:
        return f"https://github.com/{ids['github']}"
    for scheme, prefix in _HF_PREFIX.items():
        if scheme in ids:
            return f"https://huggingface.co/{prefix}{ids[scheme]}"
    parts = urlsplit(canonical)
    host, segs = parts.hostname or "", _segments(parts.path)
    # a post has one number whatever the account is called now or the host is spelled
    if host in ("x.com", "twitter.com", "mobile.twitter.com") and len(segs) >= 3 and segs[1] == "status":
        return f"https://x.com/i/status/{segs[2]}"
    video = None
    if host in ("youtube.com", "m.youtube.com"):
        video = dict(parse_qsl(parts.query)).get("v") if segs == ["watch"] else None
        if len(segs) >= 2 and segs[0] in ("shorts", "embed", "live"):
            video = segs[1]
    elif host == "youtu.be" and segs:
        video = segs[0]
    if video and _YOUTUBE_ID_RE.match(video):
        return f"https://youtube.com/watch?v={video}"
    return canonical


def identity_url(url: str) -> str:
    """The one URL that stands for what `url` points at, used to tell duplicates.

    arXiv → `https://arxiv.org/abs/<id>` (no version); a DOI → `https://doi.org/<doi>`;
    OpenReview → its forum; a GitHub sub-page → the repository; a Hugging Face sub-page
    → the model, dataset or space; a post on X/Twitter → its status number; a YouTube
    video under any of its addresses → `watch?v=`. Else the canonical URL.
    """
    canonical = canonical_url(url)
    return identity_of(canonical, ids_of_canonical(canonical))
