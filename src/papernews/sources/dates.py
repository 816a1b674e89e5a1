"""Dates as sources give them → ISO strings that `ItemMeta` accepts (they start with YYYY-MM-DD)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_ISO_START_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# 2024.09.19 / 2024/9/19 / 2024-9-19, optionally followed by a time: how Korean news sites write dates
_LOOSE_RE = re.compile(r"(\d{4})[./-]\s?(\d{1,2})[./-]\s?(\d{1,2})")
_KOREAN_RE = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")


def _valid(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def iso_date(value: object) -> str | None:
    """An ISO date or datetime as given when it is one; else the date found in it; else None.

    Full ISO datetimes are kept whole (the zone says when in the curator's week it was).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    m = _ISO_START_RE.match(text)
    if m:
        day = _valid(*m.groups())
        if day is None:
            return None
        return text.replace(" ", "T", 1) if _is_iso_datetime(text) else day
    try:
        parsed = parsedate_to_datetime(text)  # RFC 2822, as in RSS and HTTP headers
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.isoformat()
    for pattern in (_LOOSE_RE, _KOREAN_RE):
        m = pattern.search(text)
        if m:
            return _valid(*m.groups())
    return None


def _is_iso_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
