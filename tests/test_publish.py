"""The static site built from the real seed: pages, determinism, incremental writes, safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from papernews.archive import export_text
from papernews.formats.markdown import parse
from papernews.model import Bullet, Item, Kind, Week, week_order
from papernews.publish import paths
from papernews.publish.build import build
from papernews.publish.inline import inline_html, safe_url
from papernews.publish.site import Site, render_site
from papernews.store import Store

SITE = Site(base_url="https://example.org/digest/")


@pytest.fixture
def seeded(store: Store, seed_text: str) -> Store:
    store.import_document(parse(seed_text))
    return store


def test_every_page_of_the_seed(seeded: Store, tmp_path: Path, seed_text: str) -> None:
    report = build(seeded, tmp_path / "site", SITE)
    out = tmp_path / "site"
    assert (out / "pagefind" / "pagefind.js").exists()
    items = seeded.all_items()
    assert report.items == 619
    for it in items:
        page = (out / paths.item_path(it.id) / "index.html").read_text(encoding="utf-8")
        assert f'data-id="{it.id}"' in page
    assert (out / "2024/09/w3/index.html").exists()
    assert (out / "2024/02/w1-3/index.html").exists()  # the `1st ~ 3rd week` block
    assert (out / "2024/09/index.html").exists()
    assert (out / "orgs/google-deepmind/index.html").exists()
    for kind in Kind:
        assert (out / paths.kind_path(kind) / "index.html").exists()
    assert (out / "404.html").exists() and (out / "bookmarks/index.html").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert home.index("2024년 9월 4th week") < home.index("2024년 9월 3rd week")  # newest first
    assert (out / "page/2/index.html").exists()
    assert report.home_bytes < 150_000
    # README.md and items.json are exactly what `export` gives
    assert (out / "README.md").read_text(encoding="utf-8") == seed_text
    assert (out / "items.json").read_text(encoding="utf-8") == export_text(seeded, "json")


def test_long_lists_show_one_line_per_item(seeded: Store, tmp_path: Path) -> None:
    """Org, kind and month pages list items as lines linking to the cards; week and home pages show cards."""
    out = tmp_path / "site"
    build(seeded, out, SITE, search=False, charts=False)
    items = seeded.all_items()
    deepmind = [it for it in items if any(paths.org_slug(o) == "google-deepmind" for o in it.orgs)]
    org_page = (out / "orgs/google-deepmind/index.html").read_text(encoding="utf-8")
    assert '<ul class="rows">' in org_page and "<article" not in org_page
    links = re.findall(r'<li class="kind-\w+">.*?<a href="\.\./\.\./(items/[^"]+)">', org_page)
    newest_first = sorted(deepmind, key=lambda i: week_order(i.week), reverse=True)
    assert links == [paths.item_path(it.id) for it in newest_first][: len(links)]
    assert len(links) == min(len(deepmind), 100)
    papers = [it for it in items if it.kind == Kind.PAPER]
    kind_page = (out / "kinds/paper/index.html").read_text(encoding="utf-8")
    assert kind_page.count('<li class="kind-paper">') == 100 and f"{len(papers)}개 항목" in kind_page
    assert (out / "kinds/paper/page" / str(-(-len(papers) // 100)) / "index.html").exists()
    month = (out / "2024/09/index.html").read_text(encoding="utf-8")
    assert '<ul class="rows in-week">' in month and '<a href="../../2024/09/w3/">3rd week</a>' in month
    week = (out / "2024/09/w3/index.html").read_text(encoding="utf-8")
    assert "<article" in week and 'class="rows' not in week


def test_build_is_deterministic_and_incremental(seeded: Store, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build(seeded, a, SITE, search=False)
    build(seeded, b, SITE, search=False)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)

    again = build(seeded, a, SITE, search=False)
    assert again.write.written == [] and again.write.removed == []

    item = next(i for i in seeded.all_items() if i.title.startswith("DoRA"))
    seeded.save_item(item.model_copy(update={"title": "DoRA (edited)"}))
    changed = build(seeded, a, SITE, search=False).write.written
    assert f"items/{item.id}/index.html" in changed
    assert "README.md" in changed and "items.json" in changed
    for rel in changed:
        if rel.endswith(".html"):
            assert "DoRA (edited)" in (a / rel).read_text(encoding="utf-8"), rel
    assert len(changed) < 20


def test_deleted_items_lose_their_pages_and_user_files_stay(seeded: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(seeded, out, SITE, search=False)
    (out / "CNAME").write_text("digest.example.org\n", encoding="utf-8")
    victim = seeded.all_items()[5]
    seeded.delete_item(victim.id)
    report = build(seeded, out, SITE, search=False)
    assert f"items/{victim.id}/index.html" in report.write.removed
    assert not (out / "items" / victim.id).exists()
    assert (out / "CNAME").exists()


HOSTILE = Item(
    id="evil01",
    kind=Kind.PAPER,
    orgs=['"><img src=x onerror=alert(1)>'],
    title='"><script>alert(1)</script> & [brackets](javascript:alert(2))',
    url="javascript:alert(3)",
    bullets=[
        Bullet(text="[click](javascript:alert(4)) and <b>bold</b> and [ok](https://ok.example/a?b=1&c=2)"),
        Bullet(text="data: [x](data:text/html,<script>alert(5)</script>) \"quoted\" 'single'"),
    ],
    week=Week(year=2024, month=9, weeks=[3]),
)


def test_hostile_item_is_escaped_everywhere() -> None:
    files = render_site([HOSTILE], SITE)
    html = "".join(v.decode("utf-8") for k, v in files.items() if k.endswith(".html"))
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    assert not re.search(r"""href=["']?\s*(javascript|data):""", html, re.I)
    assert 'href="https://ok.example/a?b=1&amp;c=2"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for name, data in files.items():
        if name.endswith(".html"):
            text = data.decode("utf-8")
            assert 'http-equiv="Content-Security-Policy"' in text, name
            assert "script-src 'self'" in text
            # no inline script: every <script> has a src
            assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", text)), name


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://arxiv.org/abs/2409.1", True),
        ("http://a.b/c", True),
        ("javascript:alert(1)", False),
        (" JAVASCRIPT:alert(1)", False),
        ("data:text/html,x", False),
        ("//evil.example/x", False),
        ("/relative", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_inline_html_links_and_text() -> None:
    html = str(inline_html("코드 [깃허브 링크](https://github.com/a/b) 🔗 and https://hf.co/x. <i>"))
    assert '<a href="https://github.com/a/b" rel="noopener nofollow">깃허브 링크</a>' in html
    assert '<a href="https://hf.co/x" rel="noopener nofollow">https://hf.co/x</a>.' in html
    assert "&lt;i&gt;" in html


@pytest.mark.parametrize(
    ("org", "slug"),
    [
        ("Google DeepMind", "google-deepmind"),
        ("google deepmind", "google-deepmind"),
        ("카카오", "카카오"),
        ("AI2, Washington", "ai2-washington"),
        ("!!!", None),
    ],
)
def test_org_slugs(org: str, slug: str | None) -> None:
    got = paths.org_slug(org)
    assert got == slug if slug else got.startswith("org-")


def test_feeds_sitemap_and_robots_are_built(seeded: Store, tmp_path: Path) -> None:
    import json
    import xml.etree.ElementTree as ET

    out = tmp_path / "site"
    build(seeded, out, SITE, search=False)
    atom = ET.parse(out / "feed.xml").getroot()
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 50
    assert ET.parse(out / "rss.xml").getroot().tag == "rss"
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["version"] == "https://jsonfeed.org/version/1.1"
    paper = ET.parse(out / "kinds/paper/feed.xml").getroot()
    assert len(paper.findall("{http://www.w3.org/2005/Atom}entry")) == 50
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    for it in seeded.all_items():
        assert f"https://example.org/digest/items/{it.id}/" in sitemap
    assert "Sitemap: https://example.org/digest/sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")


def test_odd_ids_get_a_safe_page_of_their_own() -> None:
    assert paths.item_slug("a1b2c3d4e5f6") == "a1b2c3d4e5f6"
    assert paths.item_slug("Google-Cloud,-reverse-thinking") == "Google-Cloud,-reverse-thinking"
    odd = ["feder-cr/Auto_Jobs", "../../etc/passwd", "..", "a b?c#d%e", "feder-cr-Auto_Jobs"]
    slugs = [paths.item_slug(i) for i in odd]
    assert len(set(slugs)) == len(slugs)
    for s in slugs:
        assert "/" not in s and not s.startswith(".") and re.fullmatch(r"[\w.,~-]+", s)


def test_item_page_shows_what_is_known_of_the_item() -> None:
    from papernews.model import ItemMeta

    item = HOSTILE.model_copy(
        update={
            "id": "meta1",
            "meta": ItemMeta(
                authors=["Kim <b>A</b>", "Lee B"],
                abstract="We show <script>x</script> that…",
                published="2024-09-17",
                stars=1234,
            ),
        }
    )
    page = render_site([item], SITE)["items/meta1/index.html"].decode("utf-8")
    assert "<dt>저자</dt><dd>Kim &lt;b&gt;A&lt;/b&gt;, Lee B</dd>" in page
    assert "<dt>GitHub stars</dt><dd>1,234</dd>" in page
    assert "<h2>초록</h2><p>We show &lt;script&gt;x&lt;/script&gt; that…</p>" in page
    assert "<script>x" not in page


def test_pager_stays_short() -> None:
    from papernews.publish.lists import pager_numbers

    assert pager_numbers(1, 1) == [1]
    assert pager_numbers(5, 3) == [1, 2, 3, 4, 5]
    assert pager_numbers(1000, 500) == [1, None, 497, 498, 499, 500, 501, 502, 503, None, 1000]
    assert pager_numbers(1000, 1) == [1, 2, 3, 4, None, 1000]


def test_sitemap_becomes_an_index_past_the_limit(monkeypatch: pytest.MonkeyPatch, seed_text: str) -> None:
    import xml.etree.ElementTree as ET

    from papernews.publish import site as site_mod

    monkeypatch.setattr(site_mod, "SITEMAP_LIMIT", 300)
    files = render_site(parse(seed_text).items, SITE)
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag.endswith("sitemapindex")
    locs = [e.text for e in index.iter() if e.tag.endswith("loc")]
    parts = [f"sitemap-{n}.xml" for n in range(1, len(locs) + 1)]
    assert locs == [SITE.base_url + p for p in parts]
    listed = sum(len(ET.fromstring(files[p]).findall("{*}url")) for p in parts)
    assert listed == sum(1 for k in files if k.endswith("index.html"))


def test_home_page_carries_the_charts(seeded: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(seeded, out, SITE, search=False)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert home.count('<svg role="img"') == 2 or home.count('role="img"') == 2
    assert "월별 항목 수 (종류별)" in home
    assert "<style" not in home and " style=" not in home
    assert len(home.encode("utf-8")) < 150_000
    page2 = (out / "page/2/index.html").read_text(encoding="utf-8")
    assert "<svg" not in page2


def test_since_publishes_only_recent_items(seeded: Store, tmp_path: Path, seed_text: str) -> None:
    out = tmp_path / "site"
    report = build(seeded, out, SITE, search=False, charts=False, since=(2024, 9))
    september = [it for it in seeded.all_items() if it.week and (it.week.year, it.week.month) == (2024, 9)]
    assert report.items == len(september) > 0
    assert not (out / "2024/08").exists()
    assert (out / "2024/09/index.html").exists()
    assert (out / "README.md").read_text(encoding="utf-8") == seed_text  # the archive stays whole


def test_unchanged_archive_skips_the_exports_but_keeps_them(seeded: Store, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = build(seeded, out, SITE, search=False, charts=False)
    assert first.exported
    again = build(seeded, out, SITE, search=False, charts=False)
    assert not again.exported and again.write.written == []
    assert (out / "README.md").exists() and (out / "items.json").exists()
    item = seeded.all_items()[0]
    seeded.save_item(item.model_copy(update={"title": item.title + " (수정)"}))
    third = build(seeded, out, SITE, search=False, charts=False)
    assert third.exported and "README.md" in third.write.written
