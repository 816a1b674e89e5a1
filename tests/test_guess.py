"""`guess`: kind and org learned from the real archive, leave-one-out, and the `guess` / `orgs` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from papernews.cli import app
from papernews.errors import InputError
from papernews.formats.itemsjson import items_from_json
from papernews.identity.guess import (
    GuessModel,
    Rules,
    brand_keys,
    features,
    glued_suffix,
    guess,
    name_words,
    pretty_name,
)
from papernews.identity.orgs import OrgTable, item_orgs
from papernews.model import Item, Kind, split_orgs

ROOT = Path(__file__).resolve().parents[1]

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


# --- names: what an account or site name stands for -------------------------------------


def test_name_words_and_glued_suffixes() -> None:
    assert name_words("HuggingFaceTB") == ["hugging", "face", "tb"]
    assert name_words("Figure_robot") == ["figure", "robot"]
    assert name_words("mistral-community") == ["mistral", "community"]
    assert glued_suffix("gradientai") == ("gradient", "ai")
    assert glued_suffix("lambdalabs") == ("lambda", "labs")
    assert glued_suffix("AnthropicAI") == ("Anthropic", "AI")
    assert glued_suffix("rhymes-ai") is None  # written apart: `Rhymes AI` is the name
    assert glued_suffix("xai") is None  # too short a stem to be a name of its own


def test_brand_keys() -> None:
    assert brand_keys("mistral-community") == ["mistral"]
    assert brand_keys("ideogram_ai") == ["ideogram"]
    assert brand_keys("Figure_robot") == ["figure"]
    assert brand_keys("CohereForAI")[-1] == "cohere"
    assert brand_keys("lambdalabs") == ["lambda"]
    assert "huggingface" in brand_keys("HuggingFaceFW")
    # a research group is an org of its own: the curator writes `Princeton NLP`, `Adobe Research`
    assert brand_keys("princeton-nlp") == [] and brand_keys("adobe-research") == []


def test_shipped_rules_are_data_with_a_date() -> None:
    data = json.loads((ROOT / "src/papernews/identity/guess_rules.json").read_text(encoding="utf-8"))
    assert data["_comment"] and data["_updated"] >= "2026-11-29"
    rules = Rules()
    assert rules.org_domains == data["org_domains"] and rules.org_owners == data["org_owners"]
    assert all(d == d.lower() and "/" not in d for d in (*rules.org_domains, *rules.org_owners))
    assert rules.site_names["wandb"] == "W&B"
    assert "google" not in rules.site_names  # blog.google is Google, research.google Google Research: neither
    assert Rules.none().names == {} and Rules.none().site_names == {}


def _loo(model: GuessModel, items: list[Item], url_part: str) -> tuple[list[str], str | None, str]:
    """The curator's orgs for the archived item whose URL has `url_part`, and the org guessed without it."""
    item = next(it for it in items if it.url and url_part in it.url)
    assert item.url
    model.forget(item)
    try:
        g = model.guess(item.url)
    finally:
        model.learn(item)
    return item_orgs(item), g.org, g.org_rule


@pytest.mark.parametrize(
    ("url_part", "rules", "org", "rule"),
    [
        # the archive alone: an account named after an org the curator wrote elsewhere
        ("huggingface.co/mistral-community/", "none", "Mistral AI", "brand match"),
        ("huggingface.co/datasets/HuggingFaceFW/", "none", "HuggingFace", "brand match"),
        # the archive alone: `lambdalabs`, `runwayml` were written without their glued suffix
        ("huggingface.co/gradientai/", "none", "Gradient", "own name"),
        ("lambdalabs.com/blog/", "none", "Lambda", "own name"),
        # a research group keeps its own name (`Priceton-NLP` is the curator's typo, an alias)
        ("huggingface.co/collections/princeton-nlp/", "none", "Princeton NLP", "own name"),
        # the shipped table: a lab domain's name under another TLD, an owner, a brand, a news subject
        ("wandb.courses/", "shipped", "W&B", "name match"),
        ("github.com/gradio-app/", "shipped", "HuggingFace", "rule owner"),
        ("x.com/Figure_robot/", "shipped", "Figure", "brand match"),
        ("x.com/ideogram_ai/", "shipped", "Ideogram", "brand match"),
        ("maginative.com/article/xpeng-", "shipped", "XPENG", "news subject"),
    ],
)
def test_org_of_an_unseen_item_leave_one_out(
    archive_items: list[Item], url_part: str, rules: str, org: str, rule: str
) -> None:
    """Each archived item guessed with its own counts taken away, as in `bench/guess_eval.py`."""
    model = GuessModel.from_items(archive_items, rules=Rules.none() if rules == "none" else None)
    want, got, got_rule = _loo(model, archive_items, url_part)
    table = OrgTable.from_items(archive_items)
    assert (got, got_rule) == (org, rule)
    assert table.canonical_list(want) == table.canonical_list([org])  # and it is what the curator wrote


def test_a_shipped_name_is_a_news_subject_only_where_a_headline_starts(model: GuessModel) -> None:
    """`figure` or `runway` inside a headline is a word; opening it, it is the story's subject."""
    assert model.guess("https://techcrunch.com/2025/01/02/xpeng-shows-a-new-robot/").org == "XPENG"
    assert model.guess("https://techcrunch.com/2025/01/02/how-to-figure-out-ai-pricing/").org is None
    assert features("https://www.theverge.com/2024/2/14/2407/slack-ai-launch").slug_words == ("slack", "ai", "launch")


def test_leave_one_out_org_accuracy(archive_items: list[Item]) -> None:
    """The org figures in docs/benchmarks.md (non-paper items with an org), kept from sliding back."""
    table = OrgTable.from_items(archive_items)
    for rules, floor in ((None, 218), (Rules.none(), 199)):
        model = GuessModel.from_items(archive_items, rules=rules)
        right = total = 0
        for item in archive_items:
            want = table.canonical_list(item_orgs(item))
            if not item.url or item.kind == Kind.PAPER or not want:
                continue
            model.forget(item)
            got = model.guess(item.url).org
            model.learn(item)
            total += 1
            right += table.canonical_list(split_orgs(got) if got else []) == want
        assert total == 276 and right >= floor, (rules, right)


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
