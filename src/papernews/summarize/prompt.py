"""The conversation a chat model is given: the house rules, the curator's own items as examples
(each a prior user turn and the answer the curator wrote), the source to summarise, and, after a
draft that lint rejected, the draft and the findings to fix.

Turns are kept as data (`Turn`) and rendered for the answer format in use, so that when a server
turns out not to support structured output, the same conversation is sent again asking for a
plain-text list, examples included. `PROMPT_VERSION` is stored with every summary it writes:
change it whenever the wording below changes, so drafts can be told apart by the prompt that
made them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from papernews.model import Bullet, Item, Kind
from papernews.summarize.answer import bullets_to_json, bullets_to_text

PROMPT_VERSION = "summarize-1"
EXAMPLE_SOURCE_CHARS = 800  # of an example's stored abstract: enough to show what became of it

HOUSE_RULES = """\
너는 AI 논문·개발 블로그·뉴스를 매주 소개하는 한국어 다이제스트의 큐레이터다. 주어진 원문을 다이제스트의
요약 bullet로 쓴다. 앞선 예시들은 큐레이터가 직접 쓴 요약이다: 그 문체와 길이를 그대로 따른다.

규칙:
- 한국어 문장에 영어 기술 용어는 원문 그대로 둔다 (reasoning, KV cache, LoRA, fine-tuning).
- 개조식 명사형 종결: `… 제안`, `… 공개`, `… 가능`, `… 있음`, `… 보임`, `… 달성`.
  `…합니다`, `…습니다`, `…됩니다`, `…입니다` 같은 존댓말 종결은 절대 쓰지 않는다. `…다.` 종결도 피한다.
- level 1 bullet은 1~5개. level 2 bullet은 숫자, 예시, 단계 같은 구체적인 세부 사항에만 쓴다.
- 논문: 문제 → 방법 → 결과 순서. 출시·뉴스: 무엇이 나왔는지 → 핵심 기능 → 왜 중요한지.
  문제에서 해법으로 넘어갈 때 `→`를 쓴다.
- 코드, 모델, 데이터 링크가 주어지면 마지막에 그 링크만 담은 bullet을 따로 둔다: `[깃허브 링크](url) 🔗`.
  주어지지 않은 링크는 만들지 않는다.
- 사실만 쓴다: 군더더기, 과장 표현(혁신적, 놀라운 등), 1인칭은 쓰지 않는다. 원문에 없는 수치는 쓰지 않는다.
"""

FORMAT_JSON = '답은 JSON 하나로만: {"bullets": [{"text": "…", "level": 1}, …]}. level 2는 바로 앞 level 1의 세부 사항.'
FORMAT_TEXT = (
    "답은 Markdown 목록으로만 쓴다: level 1은 `- `로 시작하는 줄, level 2는 4칸 들여쓴 `    - ` 줄. "
    "목록 앞뒤에 다른 말은 쓰지 않는다."
)
KIND_NAMES = {Kind.PAPER: "paper (논문)", Kind.DEV: "dev (개발 블로그·출시·GitHub)", Kind.NEWS: "news (뉴스)"}


@dataclass(frozen=True)
class Turn:
    """One message: text, or (for the assistant) bullets rendered in the answer format in use."""

    role: Literal["system", "user", "assistant"]
    text: str = ""
    bullets: tuple[Bullet, ...] | None = None


@dataclass
class Conversation:
    """The turns so far; `render(structured)` gives the messages for the chat endpoint."""

    turns: list[Turn] = field(default_factory=list)

    def render(self, structured: bool) -> list[dict[str, str]]:
        messages: list[dict[str, str]] = []
        for turn in self.turns:
            if turn.bullets is not None:
                bullets = list(turn.bullets)
                content = bullets_to_json(bullets) if structured else bullets_to_text(bullets)
            elif turn.role == "system":
                content = turn.text + "\n" + (FORMAT_JSON if structured else FORMAT_TEXT)
            else:
                content = turn.text
            messages.append({"role": turn.role, "content": content})
        return messages

    def add_draft(self, answer: str, bullets: list[Bullet], feedback: str) -> None:
        """After a rejected draft: the draft as the model's answer, then what to fix."""
        self.turns.append(Turn("assistant", text=answer, bullets=tuple(bullets) if bullets else None))
        self.turns.append(Turn("user", text=feedback))


def describe(item: Item, *, source: str | None, links: Sequence[str] = ()) -> str:
    """The user turn for one item: what it is, and the source text to summarise (when given)."""
    lines = [f"종류: {KIND_NAMES.get(item.kind, 'item') if item.kind else 'item'}", f"제목: {item.title}"]
    if item.orgs:
        lines.append(f"기관: {item.org_text}")
    if item.url:
        lines.append(f"URL: {item.url}")
    if links:
        lines.append("코드·모델·데이터 링크: " + ", ".join(links))
    if source:
        lines += ["", "원문:", source]
    return "\n".join(lines)


def example_turns(example: Item) -> list[Turn]:
    """A curator's item as a prior exchange: what it was about, and the bullets the curator wrote."""
    abstract = example.meta.abstract or example.meta.description
    if abstract and len(abstract) > EXAMPLE_SOURCE_CHARS:
        abstract = abstract[:EXAMPLE_SOURCE_CHARS].rsplit(" ", 1)[0] + " …"
    return [Turn("user", text=describe(example, source=abstract)), Turn("assistant", bullets=tuple(example.bullets))]


def build_conversation(item: Item, source: str, *, examples: Sequence[Item], links: Sequence[str] = ()) -> Conversation:
    """System rules, then each example as a user/assistant exchange, then the item to summarise."""
    turns = [Turn("system", text=HOUSE_RULES)]
    for example in examples:
        turns.extend(example_turns(example))
    turns.append(Turn("user", text=describe(item, source=source, links=links)))
    return Conversation(turns)


def feedback_text(findings: Sequence[tuple[str, str, str, int | None]]) -> str:
    """What lint found, as the next user turn: (severity, rule, message, bullet line) each."""
    lines = ["이 초안은 house style 검사(lint)를 통과하지 못함. 아래 문제를 모두 고친 전체 bullet 목록을 다시 써라:"]
    for severity, rule, message, line in findings:
        where = f" (bullet {line})" if line is not None else ""
        lines.append(f"- [{severity}] {rule}{where}: {message}")
    lines.append("나머지 내용은 유지하고, 같은 형식으로만 답한다.")
    return "\n".join(lines)
