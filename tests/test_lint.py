"""`papernews lint`: each rule on good and bad cases, the reviewed findings on the seed, the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from papernews.cli import app
from papernews.errors import InputError
from papernews.formats.markdown import parse
from papernews.lint import RULES, Finding, lint_bullets, lint_item, lint_store, lint_text
from papernews.lint import endings as endings_module
from papernews.lint.endings import sentence_endings
from papernews.lint.findings import select
from papernews.model import Bullet, Kind, walk_bullets
from papernews.store import Store

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

HEAD = "# 2024\n## September\n<details>\n  <summary>3rd week</summary>\n\n"  # items start at line 6
TAIL = "</details>\n"


def digest(*items: str) -> str:
    return HEAD + "".join(items) + TAIL


def item(head: str = "📜 [Org] [A paper](https://arxiv.org/abs/2409.00001)", *bullets: str) -> str:
    lines = [f"- {head}\n"] + [b if b.startswith((" ", "\t")) else f"    - {b}\n" for b in bullets]
    return "".join(lines)


GOOD = item("📜 [Stanford] [A paper](https://arxiv.org/abs/2409.00001)", "새로운 방법을 제안", "성능 향상을 보임")


def rules_of(text: str, rule: str) -> list[Finding]:
    return [f for f in lint_text(text, "d.md") if f.rule == rule]


# --- findings and rule names ---------------------------------------------------------------


def test_finding_format_and_json() -> None:
    f = Finding("README.md", 12, "error", "polite-ending", "polite sentence ending", "abc")
    assert f.format() == "README.md:12: error polite-ending: polite sentence ending"
    assert Finding("a.db", None, "warning", "indent", "m", "abc").format() == "a.db#abc: warning indent: m"
    assert Finding(None, None, "warning", "indent", "m").format() == "-: warning indent: m"
    assert f.to_json() == {
        "path": "README.md",
        "line": 12,
        "severity": "error",
        "rule": "polite-ending",
        "message": "polite sentence ending",
        "item_id": "abc",
    }


def test_rules_are_described_and_selected_by_name() -> None:
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", name) for name in RULES)
    assert all(d.startswith(("error:", "warning:")) for d in RULES.values())
    assert select(None) == frozenset(RULES)
    assert select(["indent"]) == {"indent"}
    with pytest.raises(ValueError, match=r"unknown lint rule.*nope"):
        select(["indent", "nope"])
    with pytest.raises(ValueError, match="nope"):
        lint_text(digest(GOOD), rules={"nope"})


def test_a_clean_item_has_no_finding() -> None:
    assert lint_text(digest(GOOD)) == []


# --- sentence endings (Kiwi) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word", "suggestion"),
    [
        ("새 모델을 공개합니다", "공개합니다", "공개"),
        ("성능이 크게 향상됩니다.", "향상됩니다", "향상됨"),
        ("Apache 2.0 라이선스의 오픈소스 모델입니다", "모델입니다", "모델"),
        ("GPT-4 대비 더 좋은 결과를 보였습니다 (MMLU 기준)", "보였습니다", "보였음"),
        ("코드를 공개합니다 [깃허브 링크](https://github.com/a/b) 🔗", "공개합니다", "공개"),
        ("코드를 공개했습니다: [링크](https://github.com/a/b)", "공개했습니다", "공개"),
        ("모델을 공개합니다🔗", "공개합니다", "공개"),
        ("자세한 내용은 [블로그](https://a.b/c)에서 확인하세요", "확인하세요", "확인"),
        ("**중요합니다**", "중요합니다", "중요"),
        ("“결과가 좋습니다.”", "좋습니다", "좋음"),
        ("학습이 어렵습니다", "어렵습니다", None),
        ("API로 바로 지원해요", "지원해요", "지원"),
    ],
)
def test_polite_endings_are_found_with_the_note_style_word(text: str, word: str, suggestion: str | None) -> None:
    [ending] = sentence_endings(text)
    assert (ending.register, ending.word, ending.suggestion) == ("polite", word, suggestion)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("나만의 토크나이저를 만들 수 있다.", ["있다"]),
        ("OP-RAG가 이득을 볼 수 있는 지점이 분명히 존재한다", ["존재한다"]),
        ("큰 vocab이 좋다. 그러나 현재 모델들은 작은 vocab을 쓰고 있다.", ["좋다", "있다"]),
        ("CoT를 유도할 수 있다. Decoding process를 조정함", ["있다"]),
        ("RLHF는 평가를 어렵게 만든다.", ["만든다"]),
    ],
)
def test_plain_endings_are_found_in_every_sentence(text: str, words: list[str]) -> None:
    found = sentence_endings(text)
    assert [(e.register, e.word) for e in found] == [("plain", w) for w in words]


@pytest.mark.parametrize(
    "text",
    [
        "새로운 reasoning 방법을 제안",
        "Llama 3 기반 모델을 공개",
        "성능 향상이 있음",
        "GPT-4보다 뛰어난 성능을 보임",
        "바다",
        "안전성이 중요",
        "task-specific 데이터가 필요",
        "[깃허브 링크](https://github.com/a/b) 🔗",
        "DBRX을 [허깅페이스에 공개](https://huggingface.co/spaces/databricks/dbrx-instruct)",
        "성능이 좋다고 주장",
        '"함께 만듭니다"라는 슬로건을 발표',
        "‘AI가 세상을 바꾼다’ 보고서 발표",
        "이런 모델들은 평가를 어떻게 하는 걸까?",
        "특징은 다음과 같음: A, B",
        "10배 빠르게 처리 (GPT-4 대비) [논문](https://arxiv.org/abs/2409.00001)",
    ],
)
def test_note_style_has_no_ending(text: str) -> None:
    assert sentence_endings(text) == []


def test_polite_and_plain_rules_on_a_document() -> None:
    text = digest(item("📜 [Org] [A](https://arxiv.org/abs/2409.00001)", "방법을 제안합니다", "수 있다.", "제안"))
    [polite] = rules_of(text, "polite-ending")
    [plain] = rules_of(text, "plain-ending")
    assert (polite.line, polite.severity, plain.line, plain.severity) == (7, "error", 8, "warning")
    assert "'제안합니다'" in polite.message and "'제안'" in polite.message
    assert "'있음'" in plain.message


def test_the_prefilter_skips_no_ending_on_the_seed(seed_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only bullets that may end on `다 요 까 죠 오` go to Kiwi: sending every bullet finds the same."""
    bullets = [b.text for it in parse(seed_text).items for _, b in walk_bullets(it.bullets)]
    filtered = [sentence_endings(b) for b in bullets]
    monkeypatch.setattr(endings_module, "_CANDIDATE_RE", re.compile(""))
    assert [sentence_endings(b) for b in bullets] == filtered


# --- bullets: count, depth, links inside them ----------------------------------------------


@pytest.mark.parametrize(("n", "flagged"), [(0, True), (1, False), (5, False), (6, True)])
def test_bullet_count(n: int, flagged: bool) -> None:
    text = digest(item("📜 [Org] [A](https://arxiv.org/abs/2409.00001)", *[f"요점 {i} 제안" for i in range(n)]))
    found = rules_of(text, "bullet-count")
    assert bool(found) == flagged
    if n == 6:
        assert found[0].line == 12 and "6 summary bullets" in found[0].message  # at the sixth bullet


def test_bullet_depth_and_group_items() -> None:
    deep = item(
        "📜 [Org] [A](https://arxiv.org/abs/2409.00001)",
        "요점 제안",
        "        - 세부 수치\n",
        "            - 더 깊은 세부\n",
    )
    [f] = rules_of(digest(deep), "bullet-depth")
    assert (f.line, f.severity) == (9, "warning")
    assert rules_of(digest(GOOD), "bullet-depth") == []
    group = item(
        "📜 [ACL 2024 Best Paper Award]",
        "[Cohere] [Aya Model](https://arxiv.org/abs/2402.07827)",
        "        - 101개 언어를 지원하는 모델\n",
        "            - 세부 수치\n",
    )
    found = lint_text(digest(group))
    assert [f.rule for f in found] == []  # entries, not a summary: no count, one level deeper, no link needed


def test_indent() -> None:
    two = item("📜 [Org] [A](https://arxiv.org/abs/2409.00001)", "  - 두 칸 들여쓰기\n")
    tab = item("📜 [Org] [B](https://arxiv.org/abs/2409.00002)", "\t- 탭 들여쓰기\n")
    found = rules_of(digest(two, tab), "indent")
    assert [(f.line, f.message) for f in found] == [
        (7, "level-1 bullet indented with 2 spaces: write 4 spaces"),
        (9, "level-1 bullet indented with 1 tab: write 4 spaces"),
    ]
    six = item("📜 [Org] [A](https://arxiv.org/abs/2409.00001)", "요점 제안", "      - 여섯 칸\n")
    assert [f.message for f in rules_of(digest(six), "indent")] == [
        "level-2 bullet indented with 6 spaces: write 8 spaces"
    ]
    good = item("📜 [Org] [A](https://arxiv.org/abs/2409.00001)", "요점 제안", "        - 세부 수치\n")
    assert rules_of(digest(good), "indent") == []


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://arxiv.org/abs/2402.17177v2", "version v2"),
        ("https://arxiv.org/pdf/2404.15045", "a /pdf/ page"),
        ("https://www.arxiv.org/abs/2407.06551", "www.arxiv.org"),
        ("http://arxiv.org/pdf/2404.15045v3.pdf", "a /pdf/ page, version v3, http"),
        ("https://export.arxiv.org/abs/2402.17177", "export.arxiv.org"),
    ],
)
def test_arxiv_link_bad(url: str, why: str) -> None:
    [f] = rules_of(digest(item(f"📜 [Org] [A]({url})", "제안")), "arxiv-link")
    assert f"({why}): write https://arxiv.org/abs/" in f.message and f.severity == "warning"


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2402.17177",
        "https://arxiv.org/list/cs.CL/recent",
        "https://huggingface.co/papers/2402.17177",
        "https://openreview.net/forum?id=abc",
    ],
)
def test_arxiv_link_good(url: str) -> None:
    assert rules_of(digest(item(f"📜 [Org] [A]({url})", "제안")), "arxiv-link") == []


def test_arxiv_link_inside_a_bullet_is_reported_at_its_line() -> None:
    text = digest(
        item(
            "🧑🏻💻 [OpenAI] [Blog](https://openai.com/index/x)",
            "요점 공개",
            "논문 [링크](https://arxiv.org/abs/2406.04093v1) 🔗",
        )
    )
    [f] = rules_of(text, "arxiv-link")
    assert f.line == 8


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("https://techcrunch.com/a/?utm_source=x.com&utm_medium=newsletter", "utm_source, utm_medium"),
        ("https://github.com/lm-sys/RouteLLM?tab=readme-ov-file", "tab"),
        ("https://x.com/a/status/1?s=20&t=abc", "s, t"),
        ("https://about.meta.com/sapiens?_bhlid=9ff3b2", "_bhlid"),
    ],
)
def test_tracking_param_bad(url: str, params: str) -> None:
    [f] = rules_of(digest(item(f"🗞️ [A]({url})", "발표")), "tracking-param")
    assert f"({params})" in f.message


@pytest.mark.parametrize(
    "url", ["https://example.com/search?q=llm&page=2", "https://twitter.com/a/status/1?", "https://a.b/c#section"]
)
def test_tracking_param_good(url: str) -> None:
    assert rules_of(digest(item(f"🗞️ [A]({url})", "발표")), "tracking-param") == []


# --- the item's head: title, link, kind emoji, orgs ----------------------------------------


@pytest.mark.parametrize(
    ("head", "message"),
    [
        ("[Meta] [A](https://arxiv.org/abs/2405.18719)", "no kind emoji"),
        ("🤖 [Meta] [A](https://a.b/c)", "no kind emoji (🤖 is none of them)"),
        ("🧑🏻💻 [Google DeepMind] 🧞 [Genie](https://sites.google.com/view/genie-2024)", "emoji 🧞 before the title"),
        ("🧑🏻💻📜 [OpenAI] [A](https://openai.com/index/x)", "2 kind emojis (🧑🏻💻📜)"),
    ],
)
def test_kind_emoji_bad(head: str, message: str) -> None:
    [f] = rules_of(digest(item(head, "공개")), "kind-emoji")
    assert message in f.message and f.severity == "warning"


@pytest.mark.parametrize(
    "head",
    [
        "🗞️ [A](https://a.b/c)",
        "🗞 [A](https://a.b/c)",
        "🧑🏻\u200d💻 [A](https://a.b/c)",
        "🧑🏻💻 <Cookbook> [Efficiently fine-tune Llama 3](https://www.philschmid.de/fsdp-qlora-llama3)",
        "📜 [Org] [🤗 Transformers at scale](https://a.b/c)",
    ],
)
def test_kind_emoji_good(head: str) -> None:
    assert rules_of(digest(item(head, "공개")), "kind-emoji") == []


def test_no_link_and_empty_title() -> None:
    [f] = rules_of(digest(item("📜 [Microsoft] Matryoshka Multimodal Models", "제안")), "no-link")
    assert (f.line, f.severity) == (6, "error")
    [f] = rules_of(digest(item("🧑🏻💻 [Andrej Karpathy] https://github.com/karpathy/LLM101n", "강의")), "empty-title")
    assert f.severity == "error" and "write [Title](https://github.com/karpathy/LLM101n)" in f.message
    assert rules_of(digest(GOOD), "no-link") == rules_of(digest(GOOD), "empty-title") == []


@pytest.mark.parametrize(
    ("org", "canonical"),
    [
        ("Stnaford", "Stanford"),
        ("Berkely", "UC Berkeley"),
        ("Bozewn-Bolzano", "Free University of Bozen-Bolzano"),
        ("McGil", "McGill"),
        ("University of Washinton", "Washington"),
        ("Google Reserach", "Google Research"),
        ("Milla", "Mila"),
    ],
)
def test_org_spelling_bad(org: str, canonical: str) -> None:
    [f] = rules_of(digest(item(f"📜 [{org}] [A](https://arxiv.org/abs/2409.00001)", "제안")), "org-spelling")
    assert f"'{org}'" in f.message and f"'{canonical}'" in f.message


@pytest.mark.parametrize(
    "org",
    ["Stanford", "Stanford University", "Mistral", "DeepSeek AI", "AnthropicAI", "Toronto", "Fudan University", "HKU",
     "Some New Lab"],
)  # fmt: skip
def test_org_spelling_good(org: str) -> None:
    assert rules_of(digest(item(f"📜 [{org}] [A](https://arxiv.org/abs/2409.00001)", "제안")), "org-spelling") == []


# --- the document: duplicates and structure -----------------------------------------------


def test_duplicate_same_paper_is_an_error_at_the_second() -> None:
    text = digest(
        item("📜 [Org] [Deeper Layers](https://arxiv.org/abs/2403.17887)", "제안"),
        item("📜 [Org] [Deeper Layers](https://arxiv.org/abs/2403.17887v1)", "제안"),
    )
    [f] = rules_of(text, "duplicate")
    assert (f.line, f.severity) == (8, "error") and "same arXiv paper as line 6" in f.message


@pytest.mark.parametrize(
    ("first", "second", "severity"),
    [
        # the same report under two addresses: a suspicion
        (("📜", "Gemini 1.5 report", "https://arxiv.org/abs/2403.05530"),
         ("📜", "Gemini 1.5 report", "https://storage.googleapis.com/g/r.pdf"), "warning"),
        # one link for two releases
        (("🧑🏻💻", "Dream Machine", "https://lumalabs.ai/dream-machine"),
         ("🧑🏻💻", "Dream Machine 1.5", "https://lumalabs.ai/dream-machine"), "warning"),
        # a repository and a discussion inside it: two things
        (("🧑🏻💻", "llm.c", "https://github.com/karpathy/llm.c"),
         ("🧑🏻💻", "Reproducing GPT-2", "https://github.com/karpathy/llm.c/discussions/481"), None),
        # two pages of one site under one title: two posts
        (("🧑🏻💻", "Claude can now use tools", "https://docs.anthropic.com/tool-use"),
         ("🧑🏻💻", "Claude can now use tools", "https://www.anthropic.com/news/tool-use-ga"), None),
        # a launch and its paper
        (("🧑🏻💻", "WildBench", "https://huggingface.co/spaces/allenai/WildBench"),
         ("📜", "WildBench", "https://arxiv.org/abs/2406.04770"), None),
        (("📜", "One paper", "https://arxiv.org/abs/2401.00001"),
         ("📜", "Another paper", "https://arxiv.org/abs/2401.00002"), None),
    ],
)  # fmt: skip
def test_duplicate_judgements(first: tuple[str, str, str], second: tuple[str, str, str], severity: str | None) -> None:
    heads = [f"{emoji} [Org] [{title}]({url})" for emoji, title, url in (first, second)]
    found = rules_of(digest(*(item(h, "제안") for h in heads)), "duplicate")
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_structure_warning_for_a_line_the_parser_keeps_verbatim() -> None:
    text = HEAD + GOOD + "\nsome stray text\n" + TAIL
    [f] = rules_of(text, "structure")
    assert f.line == 10 and f.severity == "warning"


def test_a_malformed_document_raises() -> None:
    with pytest.raises(InputError):
        lint_text("# 2024\n## March\n</details>\n", "bad.md")


def test_rules_filter_a_document() -> None:
    text = digest(item("[Org] [A](https://arxiv.org/abs/2409.00001v2)", "방법을 제안합니다"))
    assert {f.rule for f in lint_text(text)} == {"kind-emoji", "arxiv-link", "polite-ending"}
    assert {f.rule for f in lint_text(text, rules={"arxiv-link"})} == {"arxiv-link"}


# --- the API another command uses: bullets of a draft, one item ----------------------------


def test_lint_bullets_checks_a_draft() -> None:
    draft = [
        Bullet(text="새로운 reasoning 방법을 제안합니다."),
        Bullet(text="성능 향상", children=[Bullet(text="세부", children=[Bullet(text="더 깊이")])]),
        Bullet(text="[논문](https://arxiv.org/pdf/2409.00001) 🔗"),
    ]
    found = lint_bullets(draft, kind=Kind.PAPER)
    assert {(f.rule, f.severity) for f in found} == {
        ("polite-ending", "error"),
        ("bullet-depth", "warning"),
        ("arxiv-link", "warning"),
    }
    assert all(f.line is None and f.path is None and f.item_id is None for f in found)
    assert [f.rule for f in lint_bullets([])] == ["bullet-count"]
    assert lint_bullets([Bullet(text="새로운 방법을 제안"), Bullet(text="성능 향상을 보임")]) == []


def test_lint_item_runs_the_item_rules_without_lines() -> None:
    [it] = parse(digest(item("[Stnaford] Untitled link", "방법을 제안합니다"))).items
    found = lint_item(it)
    assert {f.rule for f in found} == {"kind-emoji", "no-link", "org-spelling", "polite-ending"}
    assert all(f.item_id == it.id and f.line is None for f in found)


# --- the seed: the reviewed findings -------------------------------------------------------

# Counts of docs/lint-seed.md, where each finding was checked by hand: all are real problems.
SEED_COUNTS = {
    "plain-ending": 14,
    "bullet-count": 13,
    "indent": 1,
    "kind-emoji": 5,
    "no-link": 6,
    "empty-title": 1,
    "arxiv-link": 15,
    "tracking-param": 15,
    "duplicate": 3,
    "org-spelling": 23,
}
SEED_PLAIN_LINES = [15, 21, 23, 40, 109, 384, 484, 924, 925, 1268, 1427, 1755, 1926, 2003]


@pytest.fixture(scope="module")
def seed_findings(seed_text: str) -> list[Finding]:
    return lint_text(seed_text, "seed.md")


def test_seed_findings_are_the_reviewed_ones(seed_findings: list[Finding]) -> None:
    assert Counter(f.rule for f in seed_findings) == SEED_COUNTS
    assert not any(f.rule == "polite-ending" for f in seed_findings)  # the house style: never in the seed
    assert [f.line for f in seed_findings if f.rule == "plain-ending"] == SEED_PLAIN_LINES
    assert all(f.severity == "warning" for f in seed_findings if f.rule == "plain-ending")
    errors = Counter(f.rule for f in seed_findings if f.severity == "error")
    assert errors == {"no-link": 6, "empty-title": 1, "duplicate": 1}


def test_docs_list_the_same_counts(seed_findings: list[Finding]) -> None:
    doc = (ROOT / "docs" / "lint-seed.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z-]+)` \| [^|]* \| (\d+) \|", doc, re.M))
    assert {rule: int(n) for rule, n in table.items() if int(n)} == SEED_COUNTS
    assert set(table) == set(RULES)
    assert "UNREVIEWED" not in doc


# --- the command ---------------------------------------------------------------------------


def run(*args: str, db: Path | None = None) -> tuple[int, str, str]:
    argv = (["--db", str(db)] if db else []) + ["lint", *args]
    result = runner.invoke(app, argv, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_cli_on_the_seed_prints_findings_and_exits_1(seed_path: Path) -> None:
    code, out, err = run(str(seed_path))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == sum(SEED_COUNTS.values())
    assert f"{seed_path}:49: warning indent: level-1 bullet indented with 2 spaces: write 4 spaces" in lines
    assert all(re.match(rf"{re.escape(str(seed_path))}:\d+: (error|warning) [a-z-]+: ", ln) for ln in lines)
    assert "8 errors, 88 warnings" in err


def test_cli_json_and_rule_filter(seed_path: Path) -> None:
    code, out, _ = run(str(seed_path), "--json", "--rule", "plain-ending", "-r", "polite-ending")
    assert code == 0  # warnings only
    data = json.loads(out)
    assert [d["line"] for d in data] == SEED_PLAIN_LINES
    assert set(data[0]) == {"path", "line", "severity", "rule", "message", "item_id"}


def test_cli_clean_file_exits_0(tmp_path: Path) -> None:
    clean = tmp_path / "clean.md"
    clean.write_text(digest(GOOD), encoding="utf-8")
    code, out, err = run(str(clean))
    assert (code, out) == (0, "") and "0 errors, 0 warnings" in err


def test_cli_errors(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "missing.md"))
    assert code == 2 and "missing.md: no such file" in err
    clean = tmp_path / "clean.md"
    clean.write_text(digest(GOOD), encoding="utf-8")
    code, _, err = run(str(clean), "--rule", "nope")
    assert code == 2 and "unknown lint rule" in err
    code, _, err = run(db=tmp_path / "none.db")
    assert code == 2 and "no archive at" in err and not (tmp_path / "none.db").exists()


def test_cli_db_over_an_imported_archive(seed_db: Path, seed_path: Path) -> None:
    db = seed_db
    code, out, _ = run("--json", db=db)  # no FILE: the archive
    assert code == 1
    data = json.loads(out)
    want = dict(SEED_COUNTS)
    del want["indent"]  # the archive keeps no document to measure indents in
    assert Counter(d["rule"] for d in data) == want
    assert all(d["line"] is None and d["item_id"] and d["path"] == str(db) for d in data)
    code, out, _ = run(str(seed_path), "--db", "--rule", "empty-title", db=db)  # a file and the archive
    assert code == 1 and len(out.splitlines()) == 2
    code, _, err = run(str(db), db=db)  # the archive given as a FILE
    assert code == 2 and "is an archive, not a digest file" in err


def test_lint_store_names_items_by_id(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    found = lint_store(store, rules={"duplicate"})
    assert [f.severity for f in found] == ["error", "warning", "warning"]
    assert all(re.search(r"item [0-9a-f]{12}", f.message) for f in found)


def test_help_lists_every_rule() -> None:
    result = runner.invoke(app, ["lint", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert all(rule in result.stdout for rule in RULES)


def test_start_up_does_not_load_kiwi_or_the_rules() -> None:
    probe = (
        "import sys, papernews.cli; "
        "print(sorted(m for m in sys.modules if m.startswith(('kiwipiepy', 'papernews.lint.', 'rapidfuzz'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['papernews.lint.findings']"
