"""Shared fixtures: the real data in ../shared (read at run time, never copied) and a fresh archive."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser_support import launch_chromium
from papernews.formats.markdown import Document, parse
from papernews.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "NLP-Paper-News-2024.md"
ITEMS_JSON = SHARED / "data" / "items-2024.json"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"the seed digest is not at {SEED}")
    return SEED


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def items_json_path() -> Path:
    if not ITEMS_JSON.exists():
        pytest.skip(f"the reference items.json is not at {ITEMS_JSON}")
    return ITEMS_JSON


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "archive.db") as s:
        yield s


@pytest.fixture(scope="session")
def seed_doc(seed_text: str) -> Document:
    """The seed parsed once for the whole run (tests import it into fresh archives)."""
    return parse(seed_text)


@pytest.fixture
def seed_db(tmp_path: Path, seed_doc: Document) -> Path:
    """The path of a fresh archive file holding the seed, for tests that run commands on it
    (`--db`); imported through the library once, the CLI's own import is test_cli's to test."""
    path = tmp_path / "seed.db"
    with Store(path) as s:
        s.import_document(seed_doc)
    return path


@pytest.fixture
def archive(tmp_path: Path, seed_doc: Document) -> Iterator[Store]:
    """A fresh archive file holding the seed's 619 items."""
    with Store(tmp_path / "archive.db") as s:
        s.import_document(seed_doc)
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, one per browser test module (each module calls
    `browser_support.require_chromium()` first, so it is only asked for when it can start)."""
    with launch_chromium() as b:
        yield b
