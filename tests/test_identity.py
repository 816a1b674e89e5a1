"""Canonical URLs, ids, duplicates and org aliases: on every URL of the real seed, and with hypothesis."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papernews.errors import InputError
from papernews.formats.itemsjson import items_from_json
from papernews.formats.markdown import parse
from papernews.identity.duplicates import DuplicateIndex, find_duplicates, normalise_title
from papernews.identity.ids import GITHUB_RESERVED, HF_RESERVED, identity_url, ids_of
from papernews.identity.orgs import OrgTable, default_aliases, item_orgs, normalise_org, org_key
from papernews.identity.urls import TRACKING_PARAMS, canonical_url
from papernews.model import Item

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_items(seed_text: str) -> list[Item]:
    return [it for it in parse(seed_text).items if it.url]


@pytest.fixture(scope="module")
def seed_index(seed_items: list[Item]) -> DuplicateIndex:
    return DuplicateIndex(seed_items)


@pytest.fixture(scope="module")
def archive_items(items_json_path: Path) -> list[Item]:
    return items_from_json(items_json_path.read_text(encoding="utf-8"))


# --- canonical URLs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://WWW.Example.com:80/a/b/?utm_source=x&b=2&a=1#top", "https://example.com/a/b?a=1&b=2"),
        ("https://example.com:443/", "https://example.com"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("https://example.com/?", "https://example.com"),
        ("https://example.com/p#", "https://example.com/p"),
        ("https://app.example.com/#/route/x", "https://app.example.com/#/route/x"),
        ("https://app.example.com/#!/inbox", "https://app.example.com/#!/inbox"),
        ("https://a.com/p?tag=b&tag=a&x=1", "https://a.com/p?tag=b&tag=a&x=1"),  # repeated names keep their order
        ("https://a.com/p?fbclid=1&gclid=2&msclkid=3&mc_cid=4&mc_eid=5&ref=6&source=7&lid=8&sid=9", "https://a.com/p"),
        (
            "https://x.com/OpenAI/status/1838642444365369814?t=LEjyOF&s=19",
            "https://x.com/OpenAI/status/1838642444365369814",
        ),
        ("https://example.com/search?s=term", "https://example.com/search?s=term"),  # `s` tracks only on X
        (
            "https://github.com/Doriandarko/claude-engineer?tab=readme-ov-file#v3",
            "https://github.com/Doriandarko/claude-engineer",
        ),
        ("https://user:pw@example.com/p", "https://example.com/p"),
        ("https://www.com/", "https://www.com"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https://한국.com/경로", "https://xn--3e0b707e.com/%EA%B2%BD%EB%A1%9C"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert canonical_url(canonical) == canonical


@pytest.mark.parametrize(
    "url", ["ftp://a.com/x", "mailto:a@b.c", "https:///x", "not a url", "//a.com/x", "https://a.com:99999/"]
)
def test_canonical_url_refuses_what_is_not_a_web_address(url: str) -> None:
    with pytest.raises(InputError, match="URL"):
        canonical_url(url)


def test_every_seed_url_is_canonical_idempotently(seed_items: list[Item]) -> None:
    wrong = []
    for it in seed_items:
        assert it.url
        c = canonical_url(it.url)
        if canonical_url(c) != c or not c.startswith("https://"):
            wrong.append((it.url, c))
    assert not wrong
    assert len(seed_items) > 600


# --- ids -------------------------------------------------------------------------------

ARXIV = "2411.19865"


@pytest.mark.parametrize(
    "url",
    [
        f"https://arxiv.org/abs/{ARXIV}",
        f"http://www.arxiv.org/abs/{ARXIV}v2",
        f"https://arxiv.org/pdf/{ARXIV}",
        f"https://arxiv.org/pdf/{ARXIV}v1.pdf",
        f"https://arxiv.org/html/{ARXIV}v1/#S3",
        f"https://export.arxiv.org/abs/{ARXIV}",
        f"https://ar5iv.org/abs/{ARXIV}",
        f"https://ar5iv.labs.arxiv.org/html/{ARXIV}",
        f"https://www.alphaxiv.org/abs/{ARXIV}v3",
        f"https://alphaxiv.org/overview/{ARXIV}",
        f"https://huggingface.co/papers/{ARXIV}",
        f"https://doi.org/10.48550/arXiv.{ARXIV}",
    ],
)
def test_arxiv_id_under_every_address(url: str) -> None:
    assert ids_of(url)["arxiv"] == ARXIV
    assert identity_url(url) == f"https://arxiv.org/abs/{ARXIV}"


@pytest.mark.parametrize(
    ("url", "ids", "identity"),
    [
        ("https://arxiv.org/abs/cs/0112017v1", {"arxiv": "cs/0112017"}, "https://arxiv.org/abs/cs/0112017"),
        ("https://export.arxiv.org/pdf/math.GT/0309136", {"arxiv": "math.GT/0309136"}, None),
        (
            "https://www.pnas.org/doi/10.1073/pnas.2313925121",
            {"doi": "10.1073/pnas.2313925121"},
            "https://doi.org/10.1073/pnas.2313925121",
        ),
        ("https://dl.acm.org/doi/pdf/10.1145/3534678.3539321", {"doi": "10.1145/3534678.3539321"}, None),
        ("https://doi.org/10.1145/3534678.3539321", {"doi": "10.1145/3534678.3539321"}, None),
        ("https://www.nature.com/articles/s41586-024-08148-8", {"doi": "10.1038/s41586-024-08148-8"}, None),
        (
            "https://www.biorxiv.org/content/10.1101/2024.01.01.123456v2.full.pdf",
            {"doi": "10.1101/2024.01.01.123456"},
            None,
        ),
        (
            "https://openreview.net/forum?id=w4DW6qkRmt&noteId=x",
            {"openreview": "w4DW6qkRmt"},
            "https://openreview.net/forum?id=w4DW6qkRmt",
        ),
        (
            "https://openreview.net/pdf?id=w4DW6qkRmt",
            {"openreview": "w4DW6qkRmt"},
            "https://openreview.net/forum?id=w4DW6qkRmt",
        ),
        (
            "https://github.com/Run-Llama/llama_index/blob/main/docs/x.ipynb",
            {"github": "run-llama/llama_index"},
            "https://github.com/run-llama/llama_index",
        ),
        ("https://github.com/a/b.git", {"github": "a/b"}, None),
        ("https://raw.githubusercontent.com/openai/swarm/main/README.md", {"github": "openai/swarm"}, None),
        ("https://github.com/orgs/openai/repositories", {}, None),
        ("https://github.com/features/copilot", {}, None),
        ("https://github.com/topics/llm", {}, None),
        ("https://github.com/sponsors/someone", {}, None),
        ("https://github.com/karpathy", {}, None),
        ("https://qwenlm.github.io/blog/qwen2/", {}, "https://qwenlm.github.io/blog/qwen2"),
        (
            "https://huggingface.co/HuggingFaceTB/SmolLM2-1.7B/tree/main",
            {"hf_model": "huggingfacetb/smollm2-1.7b"},
            "https://huggingface.co/huggingfacetb/smollm2-1.7b",
        ),
        ("https://huggingface.co/datasets/HuggingFaceFW/fineweb", {"hf_dataset": "huggingfacefw/fineweb"}, None),
        ("https://huggingface.co/spaces/allenai/WildBench", {"hf_space": "allenai/wildbench"}, None),
        ("https://huggingface.co/blog/smolvlm", {}, None),
        ("https://huggingface.co/docs/hub/en/ollama", {}, None),
        ("https://huggingface.co/collections/nvidia/x-123", {}, None),
        (
            "https://twitter.com/elonmusk/status/1776351450542768368?s=20",
            {},
            "https://x.com/i/status/1776351450542768368",
        ),
        ("https://youtu.be/eMlx5fFNoYc?si=abc", {}, "https://youtube.com/watch?v=eMlx5fFNoYc"),
        ("https://www.youtube.com/watch?v=eMlx5fFNoYc&t=27s", {}, "https://youtube.com/watch?v=eMlx5fFNoYc"),
    ],
)
def test_ids_and_identity(url: str, ids: dict[str, str], identity: str | None) -> None:
    assert ids_of(url) == ids
    if identity is not None:
        assert identity_url(url) == identity


# --- duplicates: every seed item under its variants ------------------------------------


def _with_query(url: str, extra: str) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme, p.netloc, p.path, f"{p.query}&{extra}" if p.query else extra, p.fragment))


def variants(url: str) -> list[str]:
    """The addresses a curator may paste for the same thing."""
    p = urlsplit(url)
    host = p.hostname or ""
    out = [
        urlunsplit(("http", p.netloc, p.path, p.query, p.fragment)),
        _with_query(url, "utm_source=newsletter&utm_medium=email&fbclid=IwAR0x"),
        urlunsplit((p.scheme, p.netloc, p.path if p.path.endswith("/") else p.path + "/", p.query, p.fragment)),
    ]
    if not host.startswith("www."):
        out.append(urlunsplit((p.scheme, "www." + p.netloc, p.path, p.query, p.fragment)))
    arxiv = ids_of(url).get("arxiv")
    if arxiv:
        out += [
            f"https://arxiv.org/abs/{arxiv}",
            f"https://arxiv.org/abs/{arxiv}v2",
            f"https://arxiv.org/pdf/{arxiv}",
            f"http://arxiv.org/pdf/{arxiv}v1.pdf",
            f"https://arxiv.org/html/{arxiv}v1",
            f"https://huggingface.co/papers/{arxiv}",
            f"https://www.alphaxiv.org/abs/{arxiv}",
        ]
    return out


def test_each_seed_item_is_a_duplicate_of_itself_under_its_variants(
    seed_items: list[Item], seed_index: DuplicateIndex
) -> None:
    missed = []
    arxiv_items = 0
    for it in seed_items:
        assert it.url
        arxiv_items += "arxiv" in ids_of(it.url)
        for v in [it.url, *variants(it.url)]:
            matches = seed_index.find(v)  # by address alone: no help from the title
            if it.id not in {m.item_id for m in matches}:
                missed.append((it.url, v))
            assert all(m.reason != "title" for m in matches)
    assert not missed
    assert arxiv_items > 300


def test_seed_items_find_themselves_by_title(seed_items: list[Item], seed_index: DuplicateIndex) -> None:
    for it in seed_items[:100]:
        found = seed_index.find(None, it.title.upper() + "!")
        assert it.id in {m.item_id for m in found if m.reason == "title"}


def _item(id_: str, title: str, url: str | None) -> Item:
    return Item(id=id_, title=title, url=url)


def test_duplicate_reasons_and_threshold() -> None:
    archive = [
        _item("a", "Reverse Thinking Makes LLMs Stronger Reasoners", "https://arxiv.org/abs/2411.19865"),
        _item("b", "MM1: Methods, Analysis & Insights", "https://example.com/mm1"),
        _item("c", "smollm", "https://github.com/huggingface/smollm"),
        _item("d", "FineWeb", "https://huggingface.co/datasets/HuggingFaceFW/fineweb"),
    ]
    index = DuplicateIndex(archive)
    assert index.find("https://arxiv.org/pdf/2411.19865v3") == [
        find_duplicates(("https://arxiv.org/abs/2411.19865", None), archive)[0]
    ]
    assert index.find("https://arxiv.org/pdf/2411.19865v3")[0].reason == "arxiv"
    assert index.find("https://github.com/huggingface/smollm/tree/main/smol_tools")[0].reason == "github"
    assert index.find("https://huggingface.co/datasets/huggingfacefw/fineweb/viewer")[0].reason == "hf"
    assert index.find("http://www.example.com/mm1/?utm_campaign=x")[0].reason == "url"
    # a near-identical title matches; a different number never does
    assert [m.item_id for m in index.find(None, "Reverse thinking makes LLMs stronger reasoner")] == ["a"]
    assert index.find(None, "MM1.5: Methods, Analysis & Insights") == []
    # at 90, one changed character in ten passes and two do not
    ten = DuplicateIndex([_item("t", "abcdefghij", None)])
    assert [m.score for m in ten.find(None, "abcdefghiX")] == [90.0]
    assert ten.find(None, "abcdefghXY") == []
    assert index.find(None, "Something else entirely") == []
    # the strongest reason wins when several say the same item
    both = index.find("https://arxiv.org/abs/2411.19865", "Reverse Thinking Makes LLMs Stronger Reasoners")
    assert [(m.item_id, m.reason, m.score) for m in both] == [("a", "arxiv", 100.0)]
    # an item is not its own duplicate
    assert find_duplicates(archive[0], archive) == []
    # an unreadable URL is not an error here: only the title is compared
    assert index.find("ftp://nowhere", "FineWeb")[0].item_id == "d"


@pytest.mark.parametrize(
    ("title", "normal"),
    [
        ("🦁 WildBench: Benchmarking LLMs!", "wildbench benchmarking llms"),
        ("ＧＰＴ－４ｏ", "gpt 4o"),
        ("Ça   va", "ça va"),
    ],
)
def test_normalise_title(title: str, normal: str) -> None:
    assert normalise_title(title) == normal


# --- hypothesis ------------------------------------------------------------------------

_label = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_host = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_label, min_size=1, max_size=3),
    st.sampled_from(["com", "org", "ai", "co.kr", "io"]),
)
_seg = st.text("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789-._~%한글", min_size=1, max_size=10)
_key = st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=6).filter(
    lambda k: k not in TRACKING_PARAMS and not k.startswith(("utm_", "pk_", "mtm_", "hsa_"))
)
_value = st.text("abcdefghijklmnopqrstuvwxyz0123456789-._~%+ 가", max_size=8)


@st.composite
def web_urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTPS"]))
    host = draw(_host)
    if draw(st.booleans()):
        host = "www." + host
    if draw(st.booleans()):
        host = host.upper()
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(_seg, max_size=4)))
    slash = draw(st.sampled_from(["", "/"]))
    pairs = draw(st.lists(st.tuples(_key, _value), max_size=4))
    query = "&".join(f"{k}={v}" for k, v in pairs)
    fragment = draw(st.sampled_from(["", "#", "#top", "#/route/a", "#!x"]))
    return f"{scheme}://{host}{port}/{path}{slash}{'?' + query if query or draw(st.booleans()) else ''}{fragment}"


_tracking = st.sampled_from([*sorted(TRACKING_PARAMS), "utm_source", "utm_medium", "utm_campaign", "utm_content"])


@settings(max_examples=300, deadline=None)
@given(web_urls())
def test_canonical_url_is_idempotent(url: str) -> None:
    c = canonical_url(url)
    assert canonical_url(c) == c
    host = urlsplit(c).hostname or ""
    assert c.startswith("https://") and not (host.startswith("www.") and host.count(".") >= 2)


@settings(max_examples=300, deadline=None)
@given(web_urls(), st.lists(st.tuples(_tracking, _value), min_size=1, max_size=4), st.integers(0, 4))
def test_tracking_parameters_never_change_the_canonical_url(url: str, tracking: list[tuple[str, str]], at: int) -> None:
    p = urlsplit(url)
    pairs = [q for q in p.query.split("&") if q]
    pairs[min(at, len(pairs)) : min(at, len(pairs))] = [f"{k}={v}" for k, v in tracking]
    tracked = urlunsplit((p.scheme, p.netloc, p.path, "&".join(pairs), p.fragment))
    assert canonical_url(tracked) == canonical_url(url)


_arxiv_new = st.builds(
    lambda y, m, n: f"{y:02d}{m:02d}.{n:05d}", st.integers(7, 30), st.integers(1, 12), st.integers(0, 99999)
)
_arxiv_old = st.builds(
    lambda a, n: f"{a}/{n:07d}", st.sampled_from(["cs", "hep-th", "math.GT", "cond-mat"]), st.integers(0, 9999999)
)
_owner = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,10}[A-Za-z0-9])?", fullmatch=True).filter(
    lambda o: o.lower() not in GITHUB_RESERVED and o not in HF_RESERVED
)
_repo = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,12}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_arxiv_new, _arxiv_old), st.integers(1, 9), st.sampled_from(["abs", "pdf", "html"]))
def test_arxiv_ids_are_stable_under_variants(arxiv: str, version: int, kind: str) -> None:
    urls = [
        f"https://arxiv.org/abs/{arxiv}",
        f"http://www.arxiv.org/{kind}/{arxiv}v{version}",
        f"https://export.arxiv.org/{kind}/{arxiv}?utm_source=x",
        f"https://arxiv.org/pdf/{arxiv}v{version}.pdf",
        f"https://ar5iv.labs.arxiv.org/html/{arxiv}",
        f"https://www.alphaxiv.org/overview/{arxiv}v{version}",
    ]
    if "/" not in arxiv:
        urls.append(f"https://huggingface.co/papers/{arxiv}")
    assert {ids_of(u)["arxiv"] for u in urls} == {arxiv}
    assert {identity_url(u) for u in urls} == {f"https://arxiv.org/abs/{arxiv}"}


@settings(max_examples=200, deadline=None)
@given(
    _owner,
    _repo,
    st.sampled_from(["", "/", "/tree/main/src", "/blob/main/README.md", "/issues/1", "?tab=readme-ov-file"]),
)
def test_github_ids_are_stable_under_variants(owner: str, repo: str, rest: str) -> None:
    base = f"https://github.com/{owner}/{repo}"
    variants_ = [base, f"http://www.github.com/{owner.upper()}/{repo}{rest}", f"{base}{rest}", f"{base}.git"]
    assert {ids_of(u).get("github") for u in variants_} == {f"{owner}/{repo}".lower()}


@settings(max_examples=100, deadline=None)
@given(
    _owner,
    _repo,
    st.sampled_from(["", "datasets/", "spaces/"]),
    st.sampled_from(["", "/tree/main", "/blob/main/x.json", "/discussions"]),
)
def test_hf_ids_are_stable_under_variants(owner: str, name: str, kind: str, rest: str) -> None:
    scheme = {"": "hf_model", "datasets/": "hf_dataset", "spaces/": "hf_space"}[kind]
    urls = [
        f"https://huggingface.co/{kind}{owner}/{name}",
        f"http://www.huggingface.co/{kind}{owner}/{name}{rest}?utm_source=x",
    ]
    assert {ids_of(u).get(scheme) for u in urls} == {f"{owner}/{name}".lower()}


# --- orgs ------------------------------------------------------------------------------


def test_the_alias_table_ships_with_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "identity/*.json" in pyproject["tool"]["setuptools"]["package-data"]["papernews"]
    groups = json.loads((ROOT / "src/papernews/identity/org_aliases.json").read_text(encoding="utf-8"))["aliases"]
    table = default_aliases()
    for canonical, aliases in groups.items():
        for alias in aliases:
            assert table.canonical_of[org_key(alias)] == canonical, alias


def test_orgs_of_the_real_archive(archive_items: list[Item], seed_items: list[Item]) -> None:
    table = OrgTable.from_items([*archive_items, *seed_items])
    assert len(table.spellings) > 300
    # case, spacing, punctuation: merged by themselves, to the most used spelling
    assert table.canonical("Nvidia") == table.canonical("NVIDIA") == "NVIDIA"
    assert table.canonical("Stability AI") == table.canonical("stability.ai") == "Stability.AI"
    assert table.canonical("ai2") == "AI2"
    # typos and `Mistral`/`Mistral AI`: merged by the shipped table
    assert table.canonical("Stnaford") == "Stanford"
    assert table.canonical("Tisnghua") == "Tsinghua"
    assert table.canonical("Mistral") == table.canonical("Mitral AI") == "Mistral AI"
    # the curator writes both Google and Google Research: they stay apart, but are suspected
    assert table.canonical("Google Research") == "Google Research"
    assert table.canonical("Google Reserach") == "Google Research"
    assert ("Google", "Google Research") in {(a, b) for a, b, _ in table.suspects()}
    stanford = next(o for o in table.orgs() if o.name == "Stanford")
    assert stanford.count == sum(stanford.spellings.values())
    assert {"Stnaford", "Stanford University"} <= set(stanford.spellings)
    # an org nobody wrote is kept as written
    assert table.canonical("  Brand  New   Lab ") == "Brand New Lab"
    assert normalise_org("Stnaford") == "Stanford"


def test_items_json_titles_in_the_org_field_are_not_orgs(archive_items: list[Item]) -> None:
    quirks = [it for it in archive_items if it.orgs and not item_orgs(it)]
    assert quirks and all(it.org_text == it.title for it in quirks)
    assert "Meta adds its AI chatbot" not in OrgTable.from_items(archive_items).spellings


def test_org_counts_can_be_taken_back() -> None:
    table = OrgTable()
    table.add("Stanford", 2)
    table.add("Stnaford")
    assert table.canonical("stanford university") == "Stanford" and table.count("Stanford") == 3
    table.add("Stanford", -2)
    assert table.canonical("Stanford") == "Stnaford"  # the only spelling left
    table.add("Stnaford", -1)
    assert table.orgs() == [] and table.canonical("Stnaford") == "Stanford"  # back to the shipped table
