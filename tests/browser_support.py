"""What the browser tests share: Debian's Chromium (never a downloaded browser) driven by
Playwright, pages that fail their test on any console error, and screenshots in test-artifacts/.

The built site (tests/test_browser.py) and the workbench (tests/test_web_browser.py) launch the
same browser with the same flags; `make test` installs /usr/bin/chromium (and the Korean fonts)
when missing. The `browser` fixture is in tests/conftest.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip the calling test module when Debian's chromium or Playwright is missing; in CI a
    missing chromium is an error (the browser tests must run there)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            raise RuntimeError("/usr/bin/chromium is missing: `make test` installs it")
        pytest.skip("Debian's chromium is not installed (make test installs it)", allow_module_level=True)
    pytest.importorskip("playwright.sync_api")


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, with the flags every browser test uses."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_page(browser: Browser, **context_options: Any) -> Iterator[Page]:
    """A page in a fresh context (`context_options`: viewport, locale…); the test fails when the
    page logged a console error or threw, whatever it asserted itself."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], f"console errors: {errors}"


def shot(page: Page, name: str) -> None:
    """A screenshot of the viewport as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
