"""One spelling per address, so a link pasted twice (from a newsletter, a tweet, a browser bar) compares equal.

w3lib (Scrapy's URL rules) does the byte-level work: dropping query parameters
(`url_query_cleaner`) and normalising percent-encoding, IDNA hosts and case
(`canonicalize_url`). On top of it, for the digest's purpose of recognising the same
thing, we also: upgrade http to https, drop `www.`, default ports, user info and trailing
slashes, and drop fragments unless they are client-side routes (`#/route`, `#!`), because a
plain `#section` anchor points into the same document.

Deviation from `canonicalize_url`: it sorts the query by (name, value), which reorders
repeated parameters (`?tag=b&tag=a`), and their order can carry meaning. We sort by name
only, with a stable sort, so only the order between different names is normalised.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

from papernews.errors import InputError

# Parameters that say who sent a visitor, never what is shown: dropped on every host.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "lid",
        "sid",
        "ref",
        "ref_src",
        "ref_url",
        "source",
        "_bhlid",  # beehiiv newsletters
        "mkt_tok",  # Marketo e-mails
        "_hsenc",
        "_hsmi",
        "__hstc",
        "__hssc",
        "__hsfp",
        "hsctatracking",
        "vero_id",
        "oly_anon_id",
        "oly_enc_id",
        "rb_clickid",
        "s_cid",
        "spm",
        "original_referer",
        "guce_referrer",
        "guce_referrer_sig",
        "sc_channel",
        "cmpid",
    }
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_", "hsa_")

# Parameters that track only on some hosts (elsewhere `s` or `t` may mean something).
HOST_TRACKING_PARAMS: dict[str, frozenset[str]] = {
    "x.com": frozenset({"s", "t"}),
    "twitter.com": frozenset({"s", "t"}),
    "mobile.twitter.com": frozenset({"s", "t"}),
    "youtube.com": frozenset({"si", "feature", "pp", "ab_channel"}),
    "m.youtube.com": frozenset({"si", "feature", "pp", "ab_channel"}),
    "youtu.be": frozenset({"si", "feature"}),
    "linkedin.com": frozenset({"trk", "trackingid", "lipi"}),
    "reddit.com": frozenset({"share_id", "utm_name"}),
    "instagram.com": frozenset({"igsh"}),
}
# (host, parameter, value) that is GitHub's UI state, not a different page.
HOST_NOISE_VALUES: frozenset[tuple[str, str, str]] = frozenset({("github.com", "tab", "readme-ov-file")})

_DEFAULT_PORTS = frozenset({80, 443})
_ROUTE_FRAGMENT_RE = re.compile(r"^[/!]")
_PROBE = "https://x.invalid/?"


def _bare_host(host: str) -> str:
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") and host.count(".") >= 2 else host


def _noise(host: str, raw_pair: str) -> bool:
    name, _, value = raw_pair.partition("=")
    name = unquote(name.replace("+", " ")).strip().lower()
    if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
        return True
    if name in HOST_TRACKING_PARAMS.get(host, ()):
        return True
    return (host, name, unquote(value).lower()) in HOST_NOISE_VALUES


def _split(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of `url`, or InputError: only absolute http(s) URLs name a thing we can link."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise InputError(f"not a valid URL: {url!r} ({e})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"not an http(s) URL: {url!r}")
    host = parts.hostname
    if not host:
        raise InputError(f"URL without a host: {url!r}")
    return scheme, host, port


def canonical_url(url: str) -> str:
    """The URL with tracking removed and spelling normalised; raises InputError for non-http(s) or hostless input.

    Idempotent: `canonical_url(canonical_url(u)) == canonical_url(u)` (tested with hypothesis).
    """
    raw = url.strip()
    _, host, port = _split(raw)
    host = _bare_host(host)
    query = urlsplit(raw).query
    names = [pair.partition("=")[0] for pair in query.split("&") if pair and _noise(host, pair)]
    cleaned = url_query_cleaner(raw, names, remove=True, unique=False, keep_fragments=True) if names else raw
    parts = urlsplit(cleaned)
    # w3lib normalises the host (IDNA, case), the path's percent-encoding and the fragment;
    # the query goes through it pair by pair below, so that it is not sorted by value.
    base = urlsplit(
        canonicalize_url(urlunsplit(("https", parts.netloc, parts.path, "", parts.fragment)), keep_fragments=True)
    )
    host = _bare_host((base.hostname or host).lower())
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port not in _DEFAULT_PORTS:
        netloc += f":{port}"
    pairs = [urlsplit(canonicalize_url(_PROBE + p)).query for p in parts.query.split("&") if p.partition("=")[0]]
    pairs.sort(key=lambda p: p.partition("=")[0])
    fragment = base.fragment if _ROUTE_FRAGMENT_RE.match(base.fragment) else ""
    path = base.path.rstrip("/")
    if not path and (pairs or fragment):
        path = "/"
    return urlunsplit(("https", netloc, path, "&".join(pairs), fragment))


def host_of(url: str) -> str:
    """The canonical host (lower case, no `www.`) of an http(s) URL; InputError otherwise."""
    return _bare_host(_split(url.strip())[1])
