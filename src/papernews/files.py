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
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: str | Path, data: bytes, *, durable: bool = True) -> None:
    """`write_atomic` for bytes: a temporary file in the same folder, fsync, then rename.

    `durable=False` skips the fsync, for output that can be rebuilt at will (the site):
    the rename still guarantees a reader never sees half a file.
    """
    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent if str(p.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        # mkstemp makes 0600 files; keep an existing file's mode, else the usual 0644
        os.chmod(tmp, p.stat().st_mode & 0o7777 if p.exists() else 0o644)
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
