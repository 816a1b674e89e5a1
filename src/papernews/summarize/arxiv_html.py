"""arXiv's HTML full text (LaTeXML output, `https://arxiv.org/html/<id>`) → title, sections, links.

Pure: the page's HTML in, `PaperText` out. LaTeXML marks everything with classes, which is what
this reads: `h1.ltx_title_document`, the `div.ltx_abstract`, `section.ltx_section` (and
`ltx_subsection`, `ltx_appendix`, `ltx_bibliography`) with their `h2`-`h4` headings, and the
paragraphs `p.ltx_p`. Figures, tables, display equations, footnotes, citations, author blocks and
the page's navigation are skipped: they are noise to a summary. Inline math becomes its TeX
(`alttext`), short as it usually is. Links to code, models and data (GitHub, Hugging Face) found in
the text are kept, for the summary's link bullet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from papernews.summarize.sections import DROPPED, Section, SectionKind, classify_heading

# elements whose content is never text of the paper
_SKIP_TAGS = frozenset({"script", "style", "nav", "header", "footer", "figure", "table", "svg", "button", "cite"})
_SKIP_CLASSES = frozenset(
    {
        "ltx_authors",
        "ltx_note",
        "ltx_dates",
        "ltx_page_footer",
        "ltx_page_navbar",
        "ltx_TOC",
        "ltx_figure",
        "ltx_table",
        "ltx_equation",
        "ltx_equationgroup",
        "ltx_listing",
        "ltx_bibliography",
        "ltx_biblist",
        "ltx_keywords",
        "ltx_classification",
        "ltx_ERROR",
    }
)
_SECTION_CLASSES: dict[str, int] = {
    "ltx_section": 1,
    "ltx_appendix": 1,
    "ltx_bibliography": 1,
    "ltx_acknowledgements": 1,
    "ltx_subsection": 2,
    "ltx_subsubsection": 3,
    "ltx_paragraph": 4,
    "ltx_subparagraph": 5,
}
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})
_CODE_HOSTS = ("https://github.com/", "https://huggingface.co/", "http://github.com/", "https://gitlab.com/")
MAX_MATH = 40  # longer inline TeX is more noise than meaning: it becomes `[math]`


@dataclass(frozen=True)
class PaperText:
    title: str | None
    sections: tuple[Section, ...]
    links: tuple[str, ...] = ()


@dataclass
class _Open:
    """A section being read: its heading, its kind and its paragraphs so far."""

    level: int
    forced: SectionKind | None  # from the element's class (bibliography, appendix, abstract)
    inherited: SectionKind | None
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class _Frame:
    tag: str
    skip: bool = False
    section: _Open | None = None
    role: str | None = None  # "title", "heading", "paragraph"


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Frame] = []
        self.skipping = 0
        self.title: str | None = None
        self.done: list[_Open] = []
        self.open: list[_Open] = []
        self.buffer: list[str] | None = None  # text of the heading or paragraph being read
        self.links: list[str] = []

    # --- elements --------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        classes = set(attr.get("class", "").split())
        if tag in _VOID:
            if tag == "br" and self.buffer is not None and not self.skipping:
                self.buffer.append(" ")
            return
        frame = _Frame(tag)
        self.stack.append(frame)
        if self.skipping or tag in _SKIP_TAGS or classes & _SKIP_CLASSES:
            frame.skip = True
            self.skipping += 1
            if "ltx_bibliography" in classes:  # seen, so that its heading does not become a section
                frame.section = self._start_section(1, "references")
            return
        if tag == "math":
            alt = " ".join(attr.get("alttext", "").split())
            if self.buffer is not None:
                self.buffer.append(alt if alt and len(alt) <= MAX_MATH else "[math]")
            frame.skip = True
            self.skipping += 1
            return
        if tag == "a" and self.buffer is not None:
            href = attr.get("href", "")
            if href.startswith(_CODE_HOSTS):
                self.links.append(href)
        if tag == "h1" and "ltx_title_document" in classes:
            frame.role, self.buffer = "title", []
        elif "ltx_abstract" in classes:
            frame.section = self._start_section(1, "abstract", title="Abstract")
        elif tag == "section" or classes & _SECTION_CLASSES.keys():
            level = min((_SECTION_CLASSES[c] for c in classes if c in _SECTION_CLASSES), default=1)
            forced: SectionKind | None = "appendix" if "ltx_appendix" in classes else None
            if "ltx_acknowledgements" in classes:
                forced = "acknowledgments"
            frame.section = self._start_section(level, forced)
        elif tag in _HEADINGS and "ltx_title" in classes and self.open and not self.open[-1].title:
            if "ltx_title_abstract" not in classes:
                frame.role, self.buffer = "heading", []
            else:
                frame.skip = True
                self.skipping += 1
        elif tag == "p" and self.buffer is None:
            frame.role, self.buffer = "paragraph", []

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # pop to the matching element (LaTeXML writes well-formed markup; this forgives the rest)
        if not any(f.tag == tag for f in self.stack):
            return
        while self.stack:
            frame = self.stack.pop()
            self._close(frame)
            if frame.tag == tag:
                break

    def _close(self, frame: _Frame) -> None:
        if frame.skip:
            self.skipping -= 1
        if frame.role is not None and self.buffer is not None:
            text = " ".join("".join(self.buffer).split())
            self.buffer = None
            if frame.role == "title":
                self.title = text or None
            elif frame.role == "heading" and self.open:
                self.open[-1].title = text
            elif frame.role == "paragraph" and text and self.open:
                self.open[-1].paragraphs.append(text)
        if frame.section is not None and frame.section in self.open:
            while self.open:
                closed = self.open.pop()
                if closed is frame.section:
                    break

    def handle_data(self, data: str) -> None:
        if self.buffer is not None and not self.skipping:
            self.buffer.append(data)

    # --- sections --------------------------------------------------------------------

    def _start_section(self, level: int, forced: SectionKind | None, *, title: str = "") -> _Open:
        parent = self.open[-1] if self.open else None
        inherited = None
        if parent is not None:
            inherited = parent.forced or classify_heading(parent.title) if parent.title else parent.forced
            if inherited == "other":
                inherited = parent.inherited
        section = _Open(level=level, forced=forced, inherited=inherited, title=title)
        self.open.append(section)
        self.done.append(section)
        return section


def _kind(section: _Open) -> SectionKind:
    own = section.forced or (classify_heading(section.title) if section.title else "other")
    if section.inherited is not None and (section.inherited in DROPPED or own == "other" or section.level > 1):
        # a subsection is part of what its section is for: `3.1 Scaled Dot-Product Attention` is method
        return section.inherited if own not in DROPPED else own
    return own


def parse_arxiv_html(html: str) -> PaperText:
    """The paper's title, its sections in reading order (those without text left out) and code links."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    sections = tuple(
        Section(title=s.title or "(untitled)", kind=_kind(s), paragraphs=tuple(s.paragraphs), level=s.level)
        for s in reader.done
        if s.paragraphs
    )
    return PaperText(title=reader.title, sections=sections, links=tuple(dict.fromkeys(reader.links)))
