"""Reading and writing user files safely: clear errors on bad bytes, atomic replacement."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from papernews.errors import InputError, NotFoundError


def read_text(path: str | Path) -> str:
    """A UTF-8 text file (a BOM is kept, as any other byte). Undecodable bytes → InputError at their line."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path=str(p)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 (byte {e.start}: {e.reason})", path=str(p), line=line) from None


def write_atomic(path: str | Path, text: str) -> None:
    """Replace `path` with `text` so that a crash leaves either the old or the new file, never half."""
    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent if str(p.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if p.exists():
            os.chmod(tmp, p.stat().st_mode & 0o7777)
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
