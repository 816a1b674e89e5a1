"""Where each page of the site lives: one function per kind of page, relative paths ending in `/`.

Pure and stable: a permalink printed in a feed or shared on social media must keep working,
so these never depend on anything but the item id, the week, the org name or the kind.
"""

from __future__ import annotations

import functools
import hashlib
import re

from papernews.model import Kind, Week

_SLUG_RE = re.compile(r"[^\w]+", re.UNICODE)


_UNSAFE_ID_RE = re.compile(r"[^\w.,~-]+", re.UNICODE)


def item_slug(item_id: str) -> str:
    """The id as one safe path segment: itself when it already is one (nearly always), else
    the unsafe runs (`/`, `?`, `%`, spaces, a leading dot) replaced by `-` and a short hash
    of the id appended, so two ids never share a page and `../` never leaves `items/`."""
    slug = _UNSAFE_ID_RE.sub("-", item_id)
    if slug == item_id and not item_id.startswith(".") and item_id:
        return item_id
    return f"{slug.lstrip('.-')[:80]}-{hashlib.sha1(item_id.encode('utf-8')).hexdigest()[:8]}".lstrip("-")


def item_path(item_id: str) -> str:
    return f"items/{item_slug(item_id)}/"


def week_path(week: Week) -> str:
    """`2024/09/w3/`; a block covering weeks 1-3 is `2024/02/w1-3/`."""
    w = f"w{week.weeks[0]}" if len(week.weeks) == 1 else f"w{week.weeks[0]}-{week.weeks[-1]}"
    return f"{week.year:04d}/{week.month:02d}/{w}/"


def month_path(year: int, month: int) -> str:
    return f"{year:04d}/{month:02d}/"


@functools.lru_cache(maxsize=1 << 16)  # a few thousand orgs, asked for once per item and page
def org_slug(org: str) -> str:
    """`Google DeepMind` → `google-deepmind`; Korean stays (`카카오`). Spellings that differ only
    in case or punctuation share a slug, and so a page: they are the same org."""
    base = _SLUG_RE.sub("-", org.strip().lower()).strip("-_")[:80]
    return base or "org-" + hashlib.sha1(org.encode("utf-8")).hexdigest()[:8]


def org_path(org: str) -> str:
    return f"orgs/{org_slug(org)}/"


def kind_path(kind: Kind) -> str:
    return f"kinds/{kind.value}/"


def home_page_path(page: int) -> str:
    """Page 1 is the site root; page n is `page/n/`."""
    return "" if page == 1 else f"page/{page}/"

