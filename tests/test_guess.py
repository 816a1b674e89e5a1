"""`guess`: kind and org learned from the real archive, leave-one-out, and the `guess` / `orgs` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from papernews.cli import app
from papernews.errors import InputError
from papernews.formats.itemsjson import items_from_json
from papernews.identity.guess import GuessModel, Rules, features, guess, pretty_name
from papernews.model import Item, Kind

runner = CliRunner()


@pytest.fixture(scope="module")
def archive_items(items_json_path: Path) -> list[Item]:
    return items_from_json(items_json_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def model(archive_items: list[Item]) -> GuessModel:
    return GuessModel.from_items(archive_items)


@pytest.mark.parametrize(
    ("url", "kind", "org"),
    [
        ("https://arxiv.org/pdf/2501.00001v2", Kind.PAPER, None),  # an arXiv paper's org needs its metadata
        ("https://huggingface.co/papers/2501.00001", Kind.PAPER, None),
        ("https://openai.com/index/something-new/?utm_source=x", Kind.DEV, "OpenAI"),
        ("https://www.anthropic.com/news/claude-5", Kind.DEV, "Anthropic"),
        ("https://deepmind.google/discover/blog/new-model/", Kind.DEV, "Google DeepMind"),
        ("https://ai.meta.com/blog/llama-5/", Kind.DEV, "Meta"),
        ("https://ai.meta.com/research/publications/some-paper/", Kind.PAPER, "Meta"),
        ("https://github.com/openai/new-repo", Kind.DEV, "OpenAI"),
        ("https://huggingface.co/mistralai/Mistral-Large-3", Kind.DEV, "Mistral AI"),
        ("https://qwenlm.github.io/blog/qwen3/", Kind.DEV, "Qwen"),
        ("https://www.theverge.com/2025/1/1/123/some-story", Kind.NEWS, None),
        ("https://www.reuters.com/technology/never-seen-host", Kind.NEWS, None),  # shipped rule: a news site
        ("https://aclanthology.org/2025.acl-long.1.pdf", Kind.PAPER, None),
    ],
)
def test_guess_the_way_the_curator_did(model: GuessModel, url: str, kind: Kind, org: str | None) -> None:
    g = guess(url, model)
    assert (g.kind, g.org) == (kind, org), (g.kind_rule, g.org_rule)
    assert g.canonical_url.startswith("https://")


def test_guess_refuses_what_is_not_a_web_address(model: GuessModel) -> None:
    with pytest.raises(InputError):
        model.guess("ftp://example.com/x")


def test_without_an_archive_only_the_shipped_rules_speak() -> None:
    empty = GuessModel()
    assert empty.guess("https://arxiv.org/abs/2411.19865").kind == Kind.PAPER
    assert empty.guess("https://techcrunch.com/2025/01/01/x/").kind == Kind.NEWS
    assert empty.guess("https://openai.com/index/x").org == "OpenAI"
    bare = GuessModel(rules=Rules.none())
    assert bare.guess("https://openai.com/index/x").org is None


def test_forget_then_learn_gives_the_same_model(archive_items: list[Item]) -> None:
    model = GuessModel.from_items(archive_items)
    before = ({k: dict(v) for k, v in model.kinds.items()}, {k: dict(v) for k, v in model.orgs.items()})
    for item in archive_items[:50]:
        model.forget(item)
        model.learn(item)
    after = ({k: dict(v) for k, v in model.kinds.items()}, {k: dict(v) for k, v in model.orgs.items()})
    assert before == after


def test_leave_one_out_kind_accuracy(archive_items: list[Item]) -> None:
    """The figure in docs/benchmarks.md (`bench/guess_eval.py`), kept from sliding back."""
    model = GuessModel.from_items(archive_items)
    right = 0
    for item in archive_items:
        assert item.url
        model.forget(item)
        right += model.guess(item.url).kind == item.kind
        model.learn(item)
    assert right / len(archive_items) >= 0.97


def test_an_item_never_teaches_itself(archive_items: list[Item]) -> None:
    """A host seen once in the archive is unknown once that item is left out."""
    model = GuessModel.from_items(archive_items)
    item = next(it for it in archive_items if it.url and "storm.genie.stanford.edu" in it.url)
    assert item.url
    assert model.guess(item.url).kind_rule == "learned host:storm.genie.stanford.edu"
    model.forget(item)
    assert "storm.genie" not in model.guess(item.url).kind_rule


@pytest.mark.parametrize(
    ("url", "owner", "platform"),
    [
        ("https://github.com/Lightning-AI/lightning-thunder", ("github.com", "lightning-ai"), "github.com"),
        ("https://huggingface.co/datasets/argilla/x", ("huggingface.co", "argilla"), "huggingface.co"),
        ("https://x.com/AnthropicAI/status/1", ("x.com", "anthropicai"), "x.com"),
        ("https://byteaigc.github.io/X-Portrait2/", ("github.io", "byteaigc"), "github.io"),
        ("https://github.com/features/copilot", None, "github.com"),
        ("https://blog.google/technology/x/", None, None),
    ],
)
def test_features(url: str, owner: tuple[str, str] | None, platform: str | None) -> None:
    f = features(url)
    assert (f.owner, f.platform) == (owner, platform)


def test_pretty_name() -> None:
    assert pretty_name("rhymes-ai") == "Rhymes AI"
    assert pretty_name("Lightning-AI") == "Lightning AI"
    assert pretty_name("ssi") == "SSI"


# --- the commands ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    db = tmp_path_factory.mktemp("guess") / "a.db"
    result = runner.invoke(app, ["--db", str(db), "import", str(seed_path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


def test_guess_command_json_in_input_order(seed_db: Path) -> None:
    urls = [
        "http://www.arxiv.org/pdf/2411.19865v1.pdf?utm_source=x",
        "not a url",
        "https://github.com/openai/swarm/tree/main",
        "https://mistral.ai/news/something/",
    ]
    result = runner.invoke(app, ["--db", str(seed_db), "guess", "--json", *urls], catch_exceptions=False)
    assert result.exit_code == 1  # one URL was bad; the others are still printed
    rows = json.loads(result.stdout)
    assert [r["url"] for r in rows] == urls
    assert set(rows[0]) == {"url", "canonical_url", "kind", "org", "ids"}
    assert rows[0]["canonical_url"] == "https://arxiv.org/pdf/2411.19865v1.pdf"
    assert (rows[0]["kind"], rows[0]["org"], rows[0]["ids"]) == ("paper", None, {"arxiv": "2411.19865"})
    assert "error" in rows[1] and rows[1]["kind"] is None
    assert (rows[2]["kind"], rows[2]["org"], rows[2]["ids"]) == ("dev", "OpenAI", {"github": "openai/swarm"})
    assert (rows[3]["kind"], rows[3]["org"]) == ("dev", "Mistral AI")


def test_guess_command_table_and_exit_code(seed_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(seed_db), "guess", "https://openai.com/index/x"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "OpenAI" in result.stdout


def test_orgs_command(seed_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(seed_db), "orgs", "--json", "--suspects"], catch_exceptions=False)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    by_name = {o["name"]: o for o in data["orgs"]}
    assert "Stnaford" in by_name["Stanford"]["spellings"] and "Stnaford" not in by_name
    assert by_name["Stanford"]["count"] == sum(by_name["Stanford"]["spellings"].values())
    assert "Google Research" in by_name and "Google" in by_name
    assert {"a": "Google", "b": "Google Research"} in [{k: s[k] for k in ("a", "b")} for s in data["suspects"]]
    text = runner.invoke(app, ["--db", str(seed_db), "orgs", "--suspects"], catch_exceptions=False)
    assert text.exit_code == 0 and "suspected aliases" in text.stdout


def test_commands_have_help() -> None:
    for command in ("guess", "orgs"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "archive" in result.stdout
