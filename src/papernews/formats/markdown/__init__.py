"""The digest README format (see docs/format.md): lossless parse and render."""

from papernews.formats.markdown.document import (
    Document,
    ParseWarning,
    Raw,
    canonical_document,
    parse,
    render,
)
from papernews.formats.markdown.itemline import parse_head, render_item

__all__ = ["Document", "ParseWarning", "Raw", "canonical_document", "parse", "parse_head", "render", "render_item"]
