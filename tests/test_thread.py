"""Drafting threads: the seed's week as a thread, the shortening rules on made-up items, Bluesky's
link facets, the `thread` command's dry run, and the optional rewrite by a local chat endpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from papernews.formats.markdown import Document
from papernews.model import Bullet, Item, Kind, Week
from papernews.publish.feeds import SiteInfo
from papernews.social.draft import DraftOptions, draft_thread, item_post, thread_key
from papernews.social.length import BLUESKY_RULES, X_RULES, x_length
from social_support import run, seed_archive, use_config, write_config

WEEK = Week.parse_key("2024-09-W03")
SITE = SiteInfo(base_url="https://news.example.org/")


def _week_items(doc: Document) -> list[Item]:
    return [it for it in doc.items if it.week is not None and it.week.covers(WEEK)]


def _item(title: str, bullets: list[Bullet], *, url: str | None = "https://arxiv.org/abs/2409.00001") -> Item:
    return Item(id="abc123def456", kind=Kind.PAPER, orgs=["KAIST"], title=title, url=url, bullets=bullets, week=WEEK)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    llm_env = ("PAPERNEWS_LLM_BASE_URL", "OPENAI_BASE_URL", "PAPERNEWS_LLM_API_KEY", "OPENAI_API_KEY")
    use_config(monkeypatch, tmp_path / "papernews.toml", "", also_unset=llm_env)


@pytest.fixture
def db(tmp_path: Path, seed_doc: Document) -> Path:
    return seed_archive(tmp_path / "archive.db", seed_doc)


# --- drafting -------------------------------------------------------------------------------------


def test_the_seed_week_as_an_x_thread(seed_doc: Document) -> None:
    items = _week_items(seed_doc)
    options = DraftOptions(site=SITE, hashtags=("NLP", "#LLM"))
    thread = draft_thread(items, X_RULES, options, week=WEEK)
    assert thread.key == "week:2024-09-W03" == thread_key(WEEK, [])
    assert len(thread.posts) == len(items) + 1 == 25
    main = thread.posts[0]
    assert main.role == "main" and main.text.startswith("NLP Paper News · September 2024, 3rd week\n24 picks: 📜 14")
    assert "\n• Agent Workflow Memory\n" in main.text
    listed = main.text.count("\n• ")
    assert f"+{24 - listed} more below ↓" in main.text
    assert "https://news.example.org/2024/09/w3/" in main.text and main.text.endswith("#NLP #LLM")
    for post, item in zip(thread.posts[1:], items, strict=True):
        assert post.role == "item" and post.item_id == item.id
        assert post.length == x_length(post.text) <= 280
        assert post.text.endswith("\n\n" + (item.url or SITE.base_url + f"items/{item.id}/"))
    assert [p.position for p in thread.posts] == list(range(25))


def test_a_short_item_is_posted_whole_with_its_details() -> None:
    item = _item(
        "Tiny",
        [Bullet(text="첫 번째 요점", children=[Bullet(text="세부 사항")]), Bullet(text="두 번째 요점")],
    )
    post = item_post(item, X_RULES, DraftOptions(), position=1)
    assert (
        post.text
        == "📜 [KAIST] Tiny\n• 첫 번째 요점\n  ◦ 세부 사항\n• 두 번째 요점\n\nhttps://arxiv.org/abs/2409.00001"
    )
    assert post.notes == ()


def test_shortening_drops_details_before_trimming() -> None:
    long_detail = "세부 " * 60
    item = _item("Title", [Bullet(text="요점 하나", children=[Bullet(text=long_detail)]), Bullet(text="요점 둘")])
    post = item_post(item, X_RULES, DraftOptions(), position=1)
    assert post.notes == ("details dropped",)
    assert "◦" not in post.text and "요점 둘" in post.text


def test_shortening_trims_the_last_point_at_a_word_boundary() -> None:
    words = " ".join(f"단어{n}" for n in range(80))
    item = _item("Title", [Bullet(text="첫 요점은 짧음"), Bullet(text=words)])
    post = item_post(item, X_RULES, DraftOptions(), position=1)
    assert post.notes == ("point 2 trimmed",)
    line = post.text.split("\n")[2]
    assert line.startswith("• 단어0 단어1") and line.endswith("…")
    kept = line.removeprefix("• ").removesuffix("…")
    assert words.startswith(kept) and words[len(kept)] == " "  # cut between two words
    assert post.length <= 280 < x_length(post.text.replace(line, "• " + words))


def test_a_point_too_long_to_keep_three_words_is_dropped() -> None:
    item = _item("T " * 100, [Bullet(text="요점 " * 10), Bullet(text="다른 요점 " * 20)])
    post = item_post(item, X_RULES, DraftOptions(), position=1)
    assert "point 2 dropped" in post.notes
    assert post.length <= 280


def test_a_title_alone_too_long_is_trimmed_and_the_link_kept() -> None:
    item = _item("Word " * 120, [Bullet(text="요점")])
    post = item_post(item, X_RULES, DraftOptions(), position=1)
    assert post.notes[-1] == "title trimmed"
    assert post.text.endswith("…\n\nhttps://arxiv.org/abs/2409.00001")


def test_link_only_bullets_are_not_key_points() -> None:
    item = _item(
        "Title",
        [Bullet(text="[깃허브 링크](https://github.com/a/b) 🔗"), Bullet(text="실제 요점"), Bullet(text="두 번째")],
    )
    post = item_post(item, X_RULES, DraftOptions(), position=1)
    assert "깃허브" not in post.text and "• 실제 요점\n• 두 번째" in post.text


def test_markdown_links_in_a_point_become_their_label() -> None:
    item = _item("Title", [Bullet(text="구글 [Illuminate](https://illuminate.google.com/home)에 사용됨")])
    post = item_post(item, X_RULES, DraftOptions(), position=1)
    assert "• 구글 Illuminate에 사용됨" in post.text and "illuminate.google.com" not in post.text


def test_a_bare_url_in_a_point_is_never_cut() -> None:
    url = "https://example.org/" + "x" * 300
    item = _item("Title", [Bullet(text=("앞 " * 60) + url + " 뒤 " * 20)])
    post = item_post(item, X_RULES, DraftOptions(), position=1)
    text = post.text
    assert url in text or "example.org/x" not in text
    assert post.length <= 280


@pytest.mark.parametrize(
    ("link", "url", "expected"),
    [
        ("source", "https://arxiv.org/abs/2409.00001", "https://arxiv.org/abs/2409.00001"),
        ("permalink", "https://arxiv.org/abs/2409.00001", "https://news.example.org/items/abc123def456/"),
        ("source", None, "https://news.example.org/items/abc123def456/"),
    ],
)
def test_which_link_a_reply_carries(link: Any, url: str | None, expected: str) -> None:
    post = item_post(
        _item("T", [Bullet(text="요점")], url=url), X_RULES, DraftOptions(site=SITE, link=link), position=1
    )
    assert post.text.endswith("\n\n" + expected)


def test_an_item_without_any_link() -> None:
    post = item_post(_item("T", [Bullet(text="요점")], url=None), X_RULES, DraftOptions(), position=1)
    assert post.text == "📜 [KAIST] T\n• 요점"


def test_bluesky_links_are_short_labels_with_byte_exact_facets(seed_doc: Document) -> None:
    thread = draft_thread(_week_items(seed_doc), BLUESKY_RULES, DraftOptions(site=SITE), week=WEEK)
    for post in thread.posts:
        assert post.length <= 300 and post.unit == "graphemes"
        data = post.text.encode("utf-8")
        facets = post.facets()
        assert facets, post.text
        for facet in facets:
            label = data[facet.byte_start : facet.byte_end].decode("utf-8")
            assert len(label) <= 32 and label in post.text
            assert facet.uri.startswith("https://")
    waymo = next(p for p in thread.posts if p.text.startswith("🧑🏻\u200d💻 [Waymo]"))
    (facet,) = waymo.facets()
    assert len(facet.uri) > 300  # the 400-character newsletter link, carried whole by the facet
    assert waymo.text.endswith("link.mail.beehiiv.com/ss/c/u001…")


def test_items_named_by_id_share_their_week_heading(seed_doc: Document) -> None:
    items = _week_items(seed_doc)[:2]
    thread = draft_thread(items, X_RULES)
    assert thread.key.startswith("items:") and thread.week is None
    assert thread.heading == "NLP Paper News · September 2024, 3rd week"
    assert thread.key == draft_thread(items, X_RULES).key != draft_thread(items[::-1], X_RULES).key


# --- the command ----------------------------------------------------------------------------------


def test_thread_dry_run_prints_the_posts_with_their_lengths(db: Path) -> None:
    code, out, err = run("thread", "--week", "2024-09-W03", db=db)
    assert code == 0, err
    assert "dry run; --post sends it" in err
    assert "── 1/25 · main · " in out and "/280 weighted characters" in out
    assert "📜 [CMU, MIT] Agent Workflow Memory" in out
    assert out.count("── ") == 25


def test_thread_json_both_targets(db: Path) -> None:
    code, out, _ = run("thread", "--week", "2024-09-W03", "--json", "-t", "x", "-t", "bluesky", db=db)
    assert code == 0
    threads = json.loads(out)
    assert [t["target"] for t in threads] == ["x", "bluesky"]
    for t in threads:
        assert t["thread_key"] == "week:2024-09-W03" and t["posting"] is None
        assert len(t["posts"]) == 25
        assert all(p["length"] <= p["limit"] for p in t["posts"])
    assert threads[1]["posts"][1]["links"][0]["uri"].startswith("https://")


def test_thread_of_named_items(db: Path, seed_doc: Document) -> None:
    ids = [it.id for it in _week_items(seed_doc)[1:3]]
    code, out, _ = run("thread", *ids, "--json", db=db)
    assert code == 0
    (thread,) = json.loads(out)
    assert thread["thread_key"].startswith("items:")
    assert [p["item_id"] for p in thread["posts"]] == [None, *ids]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2024-13-W01"], "is not a week"),
        (["--week", "2024-09-W06"], "a month has weeks 1-5"),
        ([], "give item ids or --week"),
        (["abc", "--week", "2024-09-W03"], "give item ids or --week"),
        (["--week", "2024-09-W03", "-t", "mastodon"], "unknown target mastodon"),
    ],
)
def test_thread_refuses_bad_input(db: Path, args: list[str], message: str) -> None:
    code, out, err = run("thread", *args, db=db)
    assert code == 2
    assert message in " ".join((out + err).replace("│", " ").split())  # rich wraps usage errors in a box


def test_thread_of_a_week_without_items(db: Path) -> None:
    code, _, err = run("thread", "--week", "2023-01-W01", db=db)
    assert code == 2
    assert "no items in week 2023-01-W01" in err


def test_thread_uses_the_config(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = write_config(
        tmp_path / "social.toml",
        '[site]\nbase_url = "https://news.example.org"\ntitle = "Paper News"\n'
        '[social]\ntargets = ["bluesky"]\nhashtags = ["AI"]\nlink = "permalink"\n',
    )
    monkeypatch.setenv("PAPERNEWS_CONFIG", str(config))
    code, out, _ = run("thread", "--week", "2024-09-W03", "--json", db=db)
    assert code == 0
    (thread,) = json.loads(out)
    assert thread["target"] == "bluesky"
    main = thread["posts"][0]["text"]
    assert main.startswith("Paper News · September 2024") and main.endswith("#AI")
    assert thread["posts"][2]["links"][0]["uri"].startswith("https://news.example.org/items/")


def test_a_bad_config_value_is_named(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNEWS_CONFIG", str(write_config(tmp_path / "bad.toml", '[social]\nlink = "elsewhere"\n')))
    code, _, err = run("thread", "--week", "2024-09-W03", db=db)
    assert code == 2 and "social.link must be" in err


# --- the rewrite, against a local OpenAI-compatible endpoint -------------------------------------------


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1727000000,
        "model": "local-model-q4",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 500, "completion_tokens": 80, "total_tokens": 580},
    }


class ChatEndpoint:
    """`POST /v1/chat/completions`: answers in order, every request kept."""

    def __init__(self, server: HTTPServer, answers: list[str]) -> None:
        self.answers = list(answers)
        self.requests: list[dict[str, Any]] = []
        server.expect_request("/v1/chat/completions", method="POST").respond_with_handler(self)

    def __call__(self, request: Request) -> Response:
        self.requests.append(json.loads(request.get_data(as_text=True)))
        answer = self.answers.pop(0) if self.answers else "• 남은 답이 없음"
        return Response(json.dumps(_completion(answer)), content_type="application/json")


@pytest.fixture
def chat(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[HTTPServer]:
    monkeypatch.setenv("PAPERNEWS_LLM_BASE_URL", httpserver.url_for("/v1"))
    monkeypatch.setenv("PAPERNEWS_LLM_MODEL", "local-model-q4")
    monkeypatch.setenv("PAPERNEWS_LLM_MAX_RETRIES", "0")
    yield httpserver


def test_rewrite_is_used_when_it_passes_the_checks(db: Path, chat: HTTPServer, seed_doc: Document) -> None:
    good = (
        "📜 [CMU, MIT] Agent Workflow Memory\n• 반복되는 routine을 workflow로 뽑아 agent에게 제공"
        "\n• Mind2Web, WebArena에서 실험"
    )
    too_long = "📜 [CMU, MIT] Agent Workflow Memory\n• " + "아주 긴 설명 " * 60
    with_link = "📜 [KAIST] Stable LM\n• 자세히는 https://example.com/fake 참고"
    endpoint = ChatEndpoint(chat, [good, too_long, with_link])
    ids = [it.id for it in _week_items(seed_doc)[1:4]]
    code, out, err = run("thread", *ids, "--rewrite", "--json", db=db)
    assert code == 0, err
    (thread,) = json.loads(out)
    first, second, third = thread["posts"][1:]
    assert first["text"] == good + "\n\nhttps://arxiv.org/abs/2409.07429"
    assert first["notes"] == ["rewritten by local-model-q4"] and first["length"] == x_length(first["text"])
    assert "rewrite not used: the rewrite is too long" in second["notes"][-1]
    assert "아주 긴 설명" not in second["text"]
    assert third["notes"][-1] == "rewrite not used: the rewrite carries a link of its own"
    assert "example.com/fake" not in third["text"]
    assert not any("rewrite" in n for n in thread["posts"][0]["notes"])  # the main post is not rewritten
    assert len(endpoint.requests) == 3
    request = endpoint.requests[0]
    assert request["model"] == "local-model-q4" and request["messages"][0]["role"] == "system"
    assert "Agent Workflow Memory" in request["messages"][1]["content"]
    assert "길이 제한: 255 이하" in request["messages"][1]["content"]  # 280 less the link (23) and its blank line


def test_rewrite_without_an_endpoint_fails_clearly(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNEWS_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # the discard port: nothing listens
    monkeypatch.setenv("PAPERNEWS_LLM_MODEL", "m")
    monkeypatch.setenv("PAPERNEWS_LLM_MAX_RETRIES", "0")
    code, _, err = run("thread", "--week", "2024-09-W03", "--rewrite", db=db)
    assert code == 2 and "cannot reach http://127.0.0.1:9/v1" in err


def test_invisible_characters_x_refuses_are_dropped() -> None:
    item = _item("Title\ufeff", [Bullet(text="요점\u202e 하나")])
    post = item_post(item, X_RULES, DraftOptions(), position=1)
    assert post.text == "📜 [KAIST] Title\n• 요점 하나\n\nhttps://arxiv.org/abs/2409.00001"
