"""An `Edition` → the HTML part (Jinja2, then every CSS rule inlined by `css-inline`) and the
plain-text part.

Mail clients ignore or strip `<style>` unevenly (Gmail keeps it only for Google accounts, many
webmails drop it), so every rule that can be is written into `style` attributes; what cannot
be (`@media`: dark mode and narrow screens) stays in `<head>`, where the clients that honour it
read it. Layout tables, fixed 600 px width and system fonts (with Korean ones named) are what
the common clients render alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from papernews.newsletter.edition import Edition

# Invisible padding after the preheader, so inboxes do not fill the preview with the body's first words.
PREHEADER_PAD = "\u00a0\u200c" * 60


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str


def _folder() -> str:
    return str(resources.files("papernews.newsletter") / "templates")


def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_folder()),
        autoescape=select_autoescape(["html"], default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(edition: Edition, *, language: str = "ko", env: Environment | None = None) -> Rendered:
    env = env or environment()
    css = (resources.files("papernews.newsletter") / "templates" / "edition.css").read_text(encoding="utf-8")
    html = env.get_template("edition.html").render(e=edition, css=css, language=language, preheader_pad=PREHEADER_PAD)
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    text = env.get_template("edition.txt").render(e=edition)
    return Rendered(html=inliner.inline(html), text=text)
