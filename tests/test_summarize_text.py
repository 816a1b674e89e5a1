"""The pure parts of `summarize`: sentences, arXiv HTML sections, the budget, answers, prompts, settings."""

from __future__ import annotations

import json

import pytest

from papernews.model import Bullet, Item, Kind
from papernews.summarize.answer import BULLETS_SCHEMA, bullets_to_json, bullets_to_text, parse_answer
from papernews.summarize.arxiv_html import parse_arxiv_html
from papernews.summarize.budget import GAP, estimate_tokens, fit_to_budget
from papernews.summarize.errors import LlmError
from papernews.summarize.extractive import extractive_draft, pick_sentences
from papernews.summarize.llm import LlmSettings
from papernews.summarize.prompt import FORMAT_JSON, FORMAT_TEXT, HOUSE_RULES, build_conversation, feedback_text
from papernews.summarize.sections import Section, classify_heading, heading_words
from papernews.summarize.sentences import split_sentences
from papernews.summarize.source import SourceText
from summarize_support import HTTP_FIXTURES, completion

LORA_HTML = (HTTP_FIXTURES / "arxiv-html-2106.09685.html").read_text(encoding="utf-8")


# --- sentences ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two? Three!", ["One.", "Two?", "Three!"]),
        ("We study X, e.g. in LLMs. Then Y.", ["We study X, e.g. in LLMs.", "Then Y."]),
        ("Vaswani et al. showed it (Fig. 3). It holds.", ["Vaswani et al. showed it (Fig. 3).", "It holds."]),
        ("Gains of 2.5 points. 3 tasks improve.", ["Gains of 2.5 points.", "3 tasks improve."]),
        ('He said "done." Next.', ['He said "done."', "Next."]),
        ("lower case. after a stop stays", ["lower case. after a stop stays"]),
        ("모델을 공개했다. 성능도 좋다.", ["모델을 공개했다.", "성능도 좋다."]),
        ("  spaced\n  out.  ", ["spaced out."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


# --- sections ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("1 Introduction", "introduction"),
        ("3.2 Experimental Setup", "results"),
        ("4 Our Method", "method"),
        ("IV. Proposed Approach", "method"),
        ("6 Related Work on Evaluation", "related"),
        ("7 Conclusion and Future Work", "conclusion"),
        ("Limitations", "conclusion"),
        ("References", "references"),
        ("Appendix B Prompts", "appendix"),
        ("A.1 Additional Results", "results"),
        ("Acknowledgements", "acknowledgments"),
        ("Ethics Statement", "statement"),
        ("5 Scaling Up", "other"),
    ],
)
def test_classify_heading(title: str, kind: str) -> None:
    assert classify_heading(title) == kind


def test_heading_words() -> None:
    assert heading_words("3.2 Experimental Setup") == "Experimental Setup"
    assert heading_words("Appendix A Prompts") == "Prompts"


def test_arxiv_html_sections() -> None:
    paper = parse_arxiv_html(LORA_HTML)
    assert paper.title == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert paper.links == ("https://github.com/microsoft/LoRA",)
    assert [(s.level, s.kind, s.title) for s in paper.sections] == [
        (1, "abstract", "Abstract"),
        (1, "introduction", "1 Introduction"),
        (1, "introduction", "2 Problem Statement"),
        (1, "other", "3 Aren't Existing Solutions Good Enough?"),
        (1, "method", "4 Our Method"),
        (2, "method", "4.1 Low-Rank-Parametrized Update Matrices"),  # a subsection is what its section is for
        (4, "method", "No Additional Inference Latency."),
        (1, "results", "5 Empirical Experiments"),
        (1, "related", "6 Related Works"),
        (1, "conclusion", "8 Conclusion and Future Work"),
        (1, "appendix", "Appendix A Large Language Models Still Need Parameter Updates"),
    ]  # the bibliography has no paragraphs: it is never read
    intro = paper.sections[1].paragraphs
    assert len(intro) == 3
    # citations, footnotes and figures are not text of the paragraph; inline math is its TeX
    assert intro[0].endswith(
        "The major downside of fine-tuning is that the new model contains as many parameters as the original one."
    )
    assert "(Radford" not in intro[0] and "footnote" not in intro[0] and "Refer to caption" not in " ".join(intro)
    assert "such as r=1 or 2 suffices" in intro[2]
    method = paper.sections[5].paragraphs[0]
    assert method.startswith("For a pre-trained weight matrix W_{0}\\in\\mathbb{R}^{d\\times k}, we constrain")
    assert "W_{0}+\\Delta W=W_{0}+BA" in method
    assert "Table 1" not in paper.sections[7].text and "87.5" not in paper.sections[7].text


def test_long_inline_math_is_a_placeholder() -> None:
    tex = "\\sum_{i=1}^{n}\\log p_{\\theta}(y_i \\mid x, y_{<i}) + \\lambda \\lVert \\theta \\rVert^2"
    html = (
        '<section class="ltx_section"><h2 class="ltx_title">1 Method</h2>'
        f'<p>We minimise <math alttext="{tex}"><mi>x</mi></math> here.</p></section>'
    )
    (section,) = parse_arxiv_html(html).sections
    assert section.paragraphs == ("We minimise [math] here.",)


def test_arxiv_html_without_sections() -> None:
    assert parse_arxiv_html("<html><body><p>No HTML for this paper.</p></body></html>").sections == ()


# --- budget -------------------------------------------------------------------------------------------


def test_estimate_tokens() -> None:
    assert estimate_tokens("abcd" * 10) == 10
    assert estimate_tokens("추론") == 2
    assert estimate_tokens("") == 0


@pytest.mark.parametrize("budget", [60, 120, 200, 400, 700])
def test_budget_is_kept_and_sentences_are_whole(budget: int) -> None:
    paper = parse_arxiv_html(LORA_HTML)
    cut = fit_to_budget(paper.sections, budget, title=paper.title)
    assert cut.tokens <= budget
    assert cut.cut
    all_sentences = {s for sec in paper.sections for p in sec.paragraphs for s in split_sentences(p)}
    for block in cut.text.split("\n\n"):
        if block.startswith("#") or block == GAP:
            continue
        for sentence in split_sentences(block.removesuffix(" " + GAP)):
            assert sentence in all_sentences, sentence  # never a piece of one
    assert "appendix paragraph" not in cut.text
    assert cut.dropped == ("Appendix A Large Language Models Still Need Parameter Updates",)


def test_budget_ranks_sections() -> None:
    paper = parse_arxiv_html(LORA_HTML)
    small = fit_to_budget(paper.sections, 400, title=paper.title)
    assert small.kept[0] == "Abstract"
    assert "8 Conclusion and Future Work" not in small.kept and "6 Related Works" not in small.kept
    medium = fit_to_budget(paper.sections, 650, title=paper.title)
    assert {"Abstract", "1 Introduction", "4 Our Method", "5 Empirical Experiments"} <= set(medium.kept)
    assert "6 Related Works" not in medium.kept  # related work comes last
    # reading order, whatever the ranking
    positions = [medium.text.index("## " + title) for title in medium.kept]
    assert positions == sorted(positions)
    whole = fit_to_budget(paper.sections, 100_000, title=paper.title)
    assert not whole.cut and GAP not in whole.text and len(whole.kept) == 10


# --- answers -----------------------------------------------------------------------------------------


TREE = [Bullet(text="a", children=[Bullet(text="b")]), Bullet(text="c")]


@pytest.mark.parametrize(
    "answer",
    [
        '{"bullets": [{"text": "a", "level": 1}, {"text": "b", "level": 2}, {"text": "c", "level": 1}]}',
        '```json\n{"bullets": [{"text": "a", "level": 1}, {"text": "b", "level": 2}, {"text": "c", "level": 1}]}\n```',
        '{"bullets": [{"text": "a", "level": 0}, {"text": "b", "level": 1}, {"text": "c", "level": 0}]}',
        "- a\n    - b\n- c",
        "요약:\n\n- a\n  - b\n- c\n\n이상.",
        "    - a\n        - b\n    - c",
        "* a\n\t* b\n* c",
        "1. a\n   - b\n2. c",
        "- a\n    - b\n        - c-is-too-deep\n- c",
    ],
)
def test_parse_answer(answer: str) -> None:
    got = parse_answer(answer)
    if "too-deep" in answer:
        assert [b.text for b in got[0].children] == ["b", "c-is-too-deep"]  # clamped to level 2
    else:
        assert got == TREE


def test_answer_round_trips_and_schema() -> None:
    assert parse_answer(bullets_to_json(TREE)) == TREE
    assert parse_answer(bullets_to_text(TREE)) == TREE
    assert BULLETS_SCHEMA["properties"]["bullets"]["items"]["properties"]["level"]["enum"] == [1, 2]
    assert parse_answer("") == [] and parse_answer("```\n```") == []
    assert parse_answer("한 줄 요약") == [Bullet(text="한 줄 요약")]


# --- prompt ------------------------------------------------------------------------------------------


def _item(title: str, bullets: list[Bullet] | None = None, **kw: object) -> Item:
    return Item.model_validate({"id": title[:8], "kind": "paper", "title": title, "bullets": bullets or [], **kw})


def test_conversation_renders_in_either_format() -> None:
    example = _item(
        "DoRA", [Bullet(text="LoRA와 FT 사이의 gap을 줄이는 방법 도입")], url="https://arxiv.org/abs/2402.09353"
    )
    target = _item("LoRA", orgs=["Microsoft"], url="https://arxiv.org/abs/2106.09685")
    conv = build_conversation(
        target, "# LoRA\n\nsource", examples=[example], links=["https://github.com/microsoft/LoRA"]
    )
    structured = conv.render(True)
    assert [m["role"] for m in structured] == ["system", "user", "assistant", "user"]
    assert structured[0]["content"] == HOUSE_RULES + "\n" + FORMAT_JSON
    assert json.loads(structured[2]["content"]) == {
        "bullets": [{"text": "LoRA와 FT 사이의 gap을 줄이는 방법 도입", "level": 1}]
    }
    assert structured[3]["content"].splitlines()[:5] == [
        "종류: paper (논문)",
        "제목: LoRA",
        "기관: Microsoft",
        "URL: https://arxiv.org/abs/2106.09685",
        "코드·모델·데이터 링크: https://github.com/microsoft/LoRA",
    ]
    plain = conv.render(False)
    assert plain[0]["content"].endswith(FORMAT_TEXT)
    assert plain[2]["content"] == "- LoRA와 FT 사이의 gap을 줄이는 방법 도입"
    assert "원문:" not in plain[1]["content"]  # a seed example has no stored abstract to show


def test_feedback_names_rule_and_place() -> None:
    text = feedback_text(
        [("error", "polite-ending", "polite sentence ending '제안합니다'", None), ("warning", "x", "m", 2)]
    )
    assert "- [error] polite-ending: polite sentence ending '제안합니다'" in text
    assert "- [warning] x (bullet 2): m" in text


# --- settings -----------------------------------------------------------------------------------------


def test_settings_from_env() -> None:
    none = LlmSettings.from_env({})
    assert not none.configured
    ollama = LlmSettings.from_env(
        {"PAPERNEWS_LLM_BASE_URL": "http://localhost:11434/v1", "PAPERNEWS_LLM_MODEL": "qwen2.5:7b"}, model=None
    )
    assert ollama.configured and ollama.endpoint_host == "localhost:11434" and ollama.model_name() == "qwen2.5:7b"
    openai = LlmSettings.from_env({"OPENAI_API_KEY": "sk-secret"})
    assert openai.configured and openai.endpoint == "https://api.openai.com/v1"
    assert openai.endpoint_host == "api.openai.com" and openai.model_name() == "gpt-4o-mini"
    assert "sk-secret" not in repr(openai)
    flags = LlmSettings.from_env(
        {
            "PAPERNEWS_LLM_BASE_URL": "http://a:1/v1",
            "PAPERNEWS_LLM_STRUCTURED": "off",
            "PAPERNEWS_LLM_SOURCE_TOKENS": "900",
        },
        base_url="http://user:pw@b:8000/v1",
    )
    assert (flags.base_url, flags.structured, flags.max_source_tokens) == ("http://user:pw@b:8000/v1", False, 900)
    assert flags.endpoint_host == "b:8000"  # no credentials in provenance
    with pytest.raises(LlmError, match="PAPERNEWS_LLM_MODEL"):
        flags.model_name()
    with pytest.raises(LlmError, match="not a number"):
        LlmSettings.from_env({"PAPERNEWS_LLM_TIMEOUT": "soon"})


# --- extractive ---------------------------------------------------------------------------------------


def test_extractive_draft_of_the_recorded_html() -> None:
    paper = parse_arxiv_html(LORA_HTML)
    source = SourceText("arxiv-html", "https://arxiv.org/html/2106.09685", paper.title, paper.sections)
    assert [b.text[:40] for b in extractive_draft(source, Kind.PAPER)] == [
        "As we pre-train larger models, full fine",  # problem
        "We propose Low-Rank Adaptation, or LoRA,",  # method
        "Compared to GPT-3 175B fine-tuned with A",  # result
    ]


def test_extractive_draft_of_a_launch_in_korean() -> None:
    text = (
        "네이버가 새 언어 모델 HyperCLOVA X SEED를 오픈소스로 공개했다. 모델은 3B와 1.5B 두 가지 크기로 "
        "제공된다. 128K 토큰 context window를 지원하며 상업적 이용도 가능하다. "
        "국내 기업이 공개한 모델 중 최초로 이미지 입력을 지원한다."
    )
    source = SourceText("page", "https://example.com", "SEED", (Section("Main text", "main", (text,)),))
    assert source.language == "ko"
    assert [b.text for b in extractive_draft(source, Kind.DEV)] == [
        "네이버가 새 언어 모델 HyperCLOVA X SEED를 오픈소스로 공개했다.",
        "128K 토큰 context window를 지원하며 상업적 이용도 가능하다.",
        "국내 기업이 공개한 모델 중 최초로 이미지 입력을 지원한다.",
    ]


def test_pick_sentences_without_cues() -> None:
    assert pick_sentences(["Plain words only here.", "More plain words."], Kind.PAPER) == [0]
    assert pick_sentences([], Kind.PAPER) == []


def test_recorded_completions_parse_alike() -> None:
    good = parse_answer(completion("good")[1]["choices"][0]["message"]["content"])
    plain = parse_answer(completion("plain")[1]["choices"][0]["message"]["content"])
    assert good == plain and len(good) == 4
