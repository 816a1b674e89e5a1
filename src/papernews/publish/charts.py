"""The home page's charts: items per month by kind, and the main orgs over time, as inline SVG.

Two steps so the build stays fast: `chart_data` (pure, O(items), no matplotlib) condenses
the archive into a small JSON-able dict, and `render_charts` turns that dict into SVG. The
build runs the second step in a child process (`python -m papernews.publish.charts`, dict on
stdin, charts on stdout) while it renders the pages, because importing matplotlib alone
costs about a second; nothing here imports matplotlib or pydantic at module import.

The SVG is made to be pasted into an HTML page whose Content-Security-Policy forbids inline
CSS: every `style` attribute becomes presentation attributes, the `<style>` element goes,
text stays text (inheriting the page's font) and draws in `currentColor` (dark mode).
"""

from __future__ import annotations

import json
import logging
import math
import operator
import re
import sys
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from papernews.model import Kind, Week


class Dated(Protocol):
    """What the charts read of an item: a `papernews.model.Item` or the site's `SiteItem`."""

    @property
    def week(self) -> Week | None: ...
    @property
    def kind(self) -> Kind | None: ...
    @property
    def orgs(self) -> list[str]: ...


# The kinds in stacking order, with "none" for items without a kind emoji.
KIND_KEYS: tuple[str, ...] = ("paper", "dev", "news", "none")
# Plain Korean: the emoji of the site's labels are missing from most chart fonts.
KIND_LABELS: dict[str, str] = {"paper": "논문", "dev": "개발", "news": "뉴스", "none": "기타"}
# Mid-tone versions of the site's kind colours: readable on the light and the dark card.
KIND_COLORS: dict[str, str] = {"paper": "#3f9a64", "dev": "#8063d4", "news": "#d97a3a", "none": "#8d93a0"}
HEAT_COLOR = "#4a6ee0"

TOP_ORGS = 8
# The charts show the latest three years: the SVG grows with the months, not with the items.
MAX_MONTHS = 24  # two years: the charts stay readable and the home page light at any archive size
# Labels wider than this would squeeze the heatmap on a phone.
MAX_ORG_LABEL = 22

KINDS_CAPTION = "월별 항목 수 (종류별)"
ORGS_CAPTION = "주요 기관의 월별 항목 수"

# matplotlib refuses `currentColor`: text and axes are drawn in this colour, then recoloured.
SENTINEL = "#010203"
# Measured with the widest common Latin face first (text is drawn in the page font, often narrower),
# Korean from Noto CJK when installed; missing families are fine.
FONT_FAMILY = ["DejaVu Sans", "Noto Sans CJK KR", "Noto Sans KR", "sans-serif"]
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_URL_REF_RE = re.compile(r"url\(#([^)]+)\)")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_NOOP_ROTATE_RE = re.compile(r"^rotate\(-?0 [^)]*\)$")
_NUMBER_RE = re.compile(r"-?\d+\.\d{3,}")
# Geometry written with six decimals; two are a hundredth of a point.
_NUMERIC_ATTRS = frozenset({"d", "x", "y", "width", "height", "transform"})


@dataclass(frozen=True)
class Chart:
    """One drawn chart: the site's lists, the build and its cache all use this one type."""

    key: str
    caption: str
    svg: str  # sanitised by `clean_svg`: no script, no inline style


# ---------------------------------------------------------------- data


def chart_data(items: Iterable[Dated]) -> dict[str, Any]:
    """Counts per month for both charts, over the latest `MAX_MONTHS` months (gaps included).

    The build calls this on the whole archive, so the per-item work is one comprehension of
    attribute reads (no `model_dump`, no per-item Python calls: even hashing an Enum member
    is one) feeding a C-level Counter; the rest works on the few distinct (month, kind, orgs).
    """
    from papernews.model import Kind  # imports pydantic: kept out of the chart child
    from papernews.publish.paths import org_slug

    paper, dev, news = Kind.PAPER, Kind.DEV, Kind.NEWS
    read = operator.attrgetter("week", "kind", "orgs")
    groups = Counter(
        [
            (w.year * 12 + w.month - 1, k is paper, k is dev, k is news, *o)
            for w, k, o in map(read, items)
            if w is not None
        ]
    )
    by_kind: list[Counter[int]] = [Counter() for _ in KIND_KEYS]  # month → items, per KIND_KEYS
    by_org: Counter[tuple[str, int]] = Counter()  # (spelling, month) → items; one spelling per org and item
    slug_of: dict[str, str] = {}
    for key, n in groups.items():
        month, is_paper, is_dev, is_news = key[:4]
        by_kind[0 if is_paper else 1 if is_dev else 2 if is_news else 3][month] += n
        if len(key) == 5:  # one org: the usual case
            org = key[4]
            if org not in slug_of:
                slug_of[org] = org_slug(org)
            by_org[org, month] += n
        elif len(key) > 5:
            for org in _one_per_slug(key[4:], slug_of, org_slug):
                by_org[org, month] += n
    present = set().union(*by_kind)
    if not present:
        return {"months": [], "kinds": {k: [] for k in KIND_KEYS}, "orgs": []}
    last = max(present)
    months = list(range(max(min(present), last - MAX_MONTHS + 1), last + 1))
    kinds = {k: [counts[m] for m in months] for k, counts in zip(KIND_KEYS, by_kind, strict=True)}
    orgs_data = _top_orgs(months, by_org, slug_of)
    return {"months": [_month_key(m) for m in months], "kinds": kinds, "orgs": orgs_data}


def _one_per_slug(orgs: tuple[str, ...], slug_of: dict[str, str], org_slug: Callable[[str], str]) -> list[str]:
    """An item naming `OpenAI` and `openai` counts once for the org (slugs are memoised in `slug_of`)."""
    chosen: dict[str, str] = {}
    for org in orgs:
        slug = slug_of.get(org)
        if slug is None:
            slug = slug_of[org] = org_slug(org)
        chosen.setdefault(slug, org)
    return list(chosen.values())


def _month_key(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _top_orgs(months: list[int], by_org: Counter[tuple[str, int]], slug_of: dict[str, str]) -> list[dict[str, Any]]:
    """The orgs with most items in the window, spellings merged; named as site.py names the org page.

    The name is the most frequent spelling over the whole archive (ties: the greatest string).
    """
    index = {m: i for i, m in enumerate(months)}
    counts: dict[str, list[int]] = {}
    spelled: dict[str, Counter[str]] = {}
    for (org, month), n in by_org.items():
        slug = slug_of[org]
        spelled.setdefault(slug, Counter())[org] += n
        i = index.get(month)
        if i is not None:
            counts.setdefault(slug, [0] * len(months))[i] += n
    ranked = []
    for slug, row in counts.items():
        names = spelled[slug]
        ranked.append((-sum(row), max(names, key=lambda o: (names[o], o)), slug, row))
    ranked.sort()
    return [{"name": name, "slug": slug, "counts": row} for _, name, slug, row in ranked[:TOP_ORGS]]


# ---------------------------------------------------------------- rendering


def render_charts(data: dict[str, Any]) -> list[Chart]:
    """SVG charts for `chart_data`'s dict; none without months, no org chart without orgs."""
    months: list[str] = list(data.get("months") or [])
    if not months:
        return []
    charts: list[Chart] = []
    with _quiet_matplotlib():
        charts.append(_render("kinds", KINDS_CAPTION, lambda fig: _draw_kinds(fig, months, data.get("kinds") or {})))
        orgs = [o for o in data.get("orgs") or [] if any(o.get("counts") or [])]
        if orgs:
            charts.append(_render("orgs", ORGS_CAPTION, lambda fig: _draw_orgs(fig, months, orgs)))
    return charts


@contextmanager
def _quiet_matplotlib() -> Iterator[None]:
    """Missing fonts are expected (the page supplies the real ones): no findfont logs, no glyph warnings."""
    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
            yield
    finally:
        logger.setLevel(level)


def _rc(key: str) -> dict[Any, Any]:  # matplotlib types the keys as a Literal of every rcParam
    """Settings for byte-identical, text-as-text SVG; the salt differs per chart so hashed ids do too."""
    return {
        "svg.hashsalt": f"papernews-{key}",
        "svg.fonttype": "none",
        "font.family": FONT_FAMILY,
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": 9,
        "text.parse_math": False,  # an org called `$x$` is a name, not a formula
        "text.usetex": False,
        "text.color": SENTINEL,
        "axes.edgecolor": SENTINEL,
        "axes.labelcolor": SENTINEL,
        "xtick.color": SENTINEL,
        "ytick.color": SENTINEL,
        "figure.facecolor": "none",
        "axes.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.edgecolor": "none",
        "path.simplify": True,
    }


def _render(key: str, caption: str, draw: Callable[[Figure], None]) -> Chart:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc(key)):
        fig = Figure(figsize=(4.2, 2.9), layout="constrained")
        draw(fig)
        buf = StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    return Chart(key, caption, clean_svg(buf.getvalue(), key=key, label=caption))


def _month_ticks(ax: Axes, months: list[str], most: int) -> None:
    """Every month labelled when they fit, else every 2nd, 3rd, 4th, 6th… (a divisor of 12, ending on the latest)."""
    step = next((s for s in (1, 2, 3, 4, 6, 12) if len(months) <= most * s), math.ceil(len(months) / most))
    ticks = list(range(len(months) - 1, -1, -step))[::-1]
    ax.set_xticks(ticks, labels=month_labels([months[i] for i in ticks]))
    ax.tick_params(axis="x", length=0)


def month_labels(months: list[str]) -> list[str]:
    """`2024-02` → `2월`, with the year under the first label and wherever it changes: short enough for a phone."""
    out: list[str] = []
    year = ""
    for key in months:
        y, _, m = key.partition("-")
        out.append(f"{int(m)}월" if y == year else f"{int(m)}월\n{y}")
        year = y
    return out


def _draw_kinds(fig: Figure, months: list[str], kinds: dict[str, list[int]]) -> None:
    ax = fig.subplots()
    x = list(range(len(months)))
    bottom = [0] * len(months)
    for key in KIND_KEYS:
        counts = [int(c) for c in (kinds.get(key) or [0] * len(months))][: len(months)]
        counts += [0] * (len(months) - len(counts))
        if any(counts):
            ax.bar(x, counts, 0.75, bottom=bottom, color=KIND_COLORS[key], label=KIND_LABELS[key], linewidth=0)
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    if len(months) <= 12:  # room for the totals above the bars
        for i, total in enumerate(bottom):
            if total:
                ax.text(i, total, str(total), ha="center", va="bottom", fontsize=7.5)
    ax.set_ylim(0, max(max(bottom), 1) * 1.12)
    _month_ticks(ax, months, 12)
    ax.grid(axis="y", color=SENTINEL, alpha=0.15, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=4, frameon=False, handlelength=1, borderaxespad=0)


def _draw_orgs(fig: Figure, months: list[str], orgs: list[dict[str, Any]]) -> None:
    """A heatmap (orgs × months): eight overlapping lines of small counts would not read."""
    ax = fig.subplots()
    n = len(months)
    rows = [[int(c) for c in (o.get("counts") or [])][:n] for o in orgs]
    peak = max((max(r, default=0) for r in rows), default=0) or 1
    for y, counts in enumerate(rows):
        for x, c in enumerate(counts):
            if c:
                strength = 0.15 + 0.85 * c / peak
                ax.add_patch(_cell(x, y, strength))
                if n <= 12:
                    color = "#ffffff" if strength > 0.55 else SENTINEL
                    ax.text(x, y, str(c), ha="center", va="center", fontsize=7.5, color=color)
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_yticks(range(len(rows)), labels=[_label(str(o.get("name", ""))) for o in orgs])
    _month_ticks(ax, months, 7)
    ax.tick_params(axis="y", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _cell(x: int, y: int, alpha: float) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle((x - 0.46, y - 0.44), 0.92, 0.88, facecolor=HEAT_COLOR, alpha=round(alpha, 3), linewidth=0)


def _label(name: str) -> str:
    """One line, no control characters, short enough for the axis."""
    name = " ".join(_CONTROL_RE.sub(" ", name).split())
    return name if len(name) <= MAX_ORG_LABEL else name[: MAX_ORG_LABEL - 1] + "…"


# ---------------------------------------------------------------- SVG post-processing


def clean_svg(svg: str, *, key: str, label: str) -> str:
    """matplotlib's SVG made fit for inlining under a CSP without inline styles.

    Ids are prefixed with `key` (matplotlib numbers its groups the same way in every figure)
    and unreferenced ones dropped; styles become presentation attributes; the sentinel colour
    becomes `currentColor`; the size comes from the page (viewBox kept); metadata, fonts and
    the XML prologue go. ElementTree escapes every text and attribute on the way out.
    """
    root = ET.fromstring(svg)
    for el in root.iter():  # unprefixed output: ElementTree's default_namespace rejects plain attributes
        el.tag = el.tag.removeprefix(f"{{{SVG_NS}}}")
    referenced = _referenced_ids(root)
    for el in root.iter():
        _clean_element(el, key, referenced)
    _prune(root)
    for attr in ("width", "height", "version"):
        root.attrib.pop(attr, None)
    root.set("xmlns", SVG_NS)
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    return ET.tostring(root, encoding="unicode")


def _prune(parent: ET.Element) -> None:
    """Drop what draws nothing and flatten bare groups: a third of the bytes, same picture."""
    children: list[ET.Element] = []
    for child in parent:
        _prune(child)
        child.tail = None
        if child.tag in ("style", "metadata") or _invisible(child) or (child.tag == "defs" and len(child) == 0):
            continue  # an empty <defs> only held the <style>
        if child.tag == "g" and not child.attrib:
            children.extend(child)  # a bare group only groups
        else:
            children.append(child)
    parent[:] = children
    if parent.tag != "text":
        parent.text = None


def _invisible(el: ET.Element) -> bool:
    """A background patch: matplotlib's transparent figure and axes rectangles."""
    return el.tag == "path" and el.get("fill") == "none" and "stroke" not in el.attrib and "id" not in el.attrib


def _referenced_ids(root: ET.Element) -> set[str]:
    refs: set[str] = set()
    for el in root.iter():
        for name, value in el.attrib.items():
            if name in (XLINK_HREF, "href") and value.startswith("#"):
                refs.add(value[1:])
            else:
                refs.update(_URL_REF_RE.findall(value))
    return refs


def _clean_element(el: ET.Element, key: str, referenced: set[str]) -> None:
    attrib = el.attrib
    style = attrib.pop("style", None)
    if style:
        for name, value in _declarations(style):
            attrib[name] = value
    attrib.pop("font-family", None)  # text inherits the page's Korean font
    ident = attrib.pop("id", None)
    if ident is not None and ident in referenced:
        attrib["id"] = f"{key}-{ident}"
    href = attrib.pop(XLINK_HREF, None)
    if href is not None:
        attrib["href"] = href  # SVG 2: no xlink namespace needed inside HTML
    for name, value in list(attrib.items()):
        if name == "transform" and _NOOP_ROTATE_RE.match(value):
            del attrib[name]
        elif name in _NUMERIC_ATTRS:
            attrib[name] = _NUMBER_RE.sub(_round, " ".join(value.split()))
        elif value == SENTINEL:
            attrib[name] = "currentColor"
        elif name == "href" and value.startswith("#"):
            attrib[name] = f"#{key}-{value[1:]}"
        elif "url(#" in value:
            attrib[name] = _URL_REF_RE.sub(lambda m: f"url(#{key}-{m.group(1)})", value)


def _round(m: re.Match[str]) -> str:
    text = f"{float(m.group()):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _declarations(style: str) -> list[tuple[str, str]]:
    """`a: b; c: d` as pairs, with the `font` shorthand (older matplotlib) expanded."""
    out: list[tuple[str, str]] = []
    for part in style.split(";"):
        name, sep, value = part.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            continue
        out.extend(_expand_font(value) if name == "font" else [(name, value)])
    return out


def _expand_font(value: str) -> list[tuple[str, str]]:
    """`[style] [variant] [weight] <size>px <family>` → the longhand properties."""
    out: list[tuple[str, str]] = []
    words = value.split(" ")
    for i, word in enumerate(words):
        if re.fullmatch(r"[\d.]+(?:px|pt)(?:/\S+)?", word):
            out.append(("font-size", word.split("/")[0]))
            if i + 1 < len(words):
                out.append(("font-family", " ".join(words[i + 1 :])))
            break
        if word in ("italic", "oblique"):
            out.append(("font-style", word))
        elif word == "small-caps":
            out.append(("font-variant", word))
        elif word.isdigit() or word in ("bold", "bolder", "lighter"):
            out.append(("font-weight", word))
    return out


# ---------------------------------------------------------------- child process


def main() -> None:
    """The chart child of the build: chart_data's dict as JSON on stdin, the charts as JSON on stdout."""
    data = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    charts = render_charts(data if isinstance(data, dict) else {})
    out = [{"key": c.key, "caption": c.caption, "svg": c.svg} for c in charts]
    sys.stdout.buffer.write(json.dumps(out, ensure_ascii=False).encode("utf-8"))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
