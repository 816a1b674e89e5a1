"""What lint says about one URL: an arXiv paper not linked as `abs/<id>`, and tracking parameters.

Both rules lean on `identity`: the arXiv id is what `ids_of` finds under any of arXiv's
addresses, and a tracking parameter is one that `canonical_url` drops (utm_*, ref_src, mkt_tok,
`?tab=readme-ov-file` on GitHub, …), so lint, `add` and duplicate detection agree on both.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

from w3lib.url import url_query_cleaner

from papernews.errors import InputError
from papernews.identity.ids import ids_of
from papernews.identity.urls import canonical_url

# Hosts that serve arXiv's own pages; elsewhere (Hugging Face paper pages, alphaXiv) a link
# with an arXiv id is another page on purpose.
ARXIV_HOSTS = frozenset({"arxiv.org", "export.arxiv.org", "browse.arxiv.org"})
_VERSION_RE = re.compile(r"v(\d+)(?:\.pdf)?/?$")


def arxiv_problem(url: str) -> str | None:
    """Why an arXiv link is not `https://arxiv.org/abs/<id>`, and what to write; None when it is (or is no paper)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host.removeprefix("www.") not in ARXIV_HOSTS:
        return None
    try:
        arxiv_id = ids_of(url).get("arxiv")
    except InputError:
        return None
    want = f"https://arxiv.org/abs/{arxiv_id}"
    if arxiv_id is None or url.strip() == want:
        return None  # a listing or search page has no id to point at
    why: list[str] = []
    if not parts.path.startswith("/abs/"):
        why.append(f"a /{parts.path.strip('/').split('/')[0]}/ page")
    if version := _VERSION_RE.search(parts.path):
        why.append(f"version v{version.group(1)}")
    if host != "arxiv.org":
        why.append(host)
    if parts.scheme == "http":
        why.append("http")
    reason = ", ".join(why) or "not the abstract page's address"
    return f"arXiv link {url.strip()} ({reason}): write {want}"


def tracking_params(url: str) -> list[str]:
    """The query parameters of `url` that `canonical_url` drops as tracking or UI state, in order."""
    if "?" not in url:
        return []
    try:
        canonical = canonical_url(url)
    except InputError:
        return []
    kept = Counter(name for name, _ in parse_qsl(urlsplit(canonical).query, keep_blank_values=True))
    dropped: list[str] = []
    for name, _ in parse_qsl(urlsplit(url.strip()).query, keep_blank_values=True):
        if kept[name] > 0:
            kept[name] -= 1
        elif name not in dropped:
            dropped.append(name)
    return dropped


def tracking_problem(url: str) -> str | None:
    """What to say about a URL carrying tracking parameters, with the URL without them; None when clean."""
    names = tracking_params(url)
    if not names:
        return None
    clean = url_query_cleaner(url.strip(), names, remove=True, unique=False, keep_fragments=True)
    listed = ", ".join(names)
    return f"URL carries tracking or UI-state parameters ({listed}): write {clean}"
