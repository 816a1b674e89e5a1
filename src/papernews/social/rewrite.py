"""An optional rewrite of each reply by a chat model, checked like any other post.

The endpoint is the one `papernews summarize` uses (`LlmSettings`: `PAPERNEWS_LLM_BASE_URL`,
`PAPERNEWS_LLM_MODEL`, `PAPERNEWS_LLM_API_KEY`, …), asked through the `openai` SDK for plain
text. The model writes the post's text without the link; the link is added back by the code, so
a model can neither change nor drop it. Its answer is kept only when it passes the same checks
as a rule-made post: within the platform's limit by its own counting, and with no link of its
own (a URL invented by a model is the worst thing a post can carry). Otherwise the rule-made
post stays, and the dry run says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from twitter_text import extract_urls

from papernews.links import BARE_URL_RE
from papernews.model import Item
from papernews.social.draft import Post, Thread
from papernews.social.length import Rules, nfc
from papernews.social.text import Piece, merge, pieces_text
from papernews.summarize.errors import LlmError
from papernews.summarize.llm import LlmSettings

REWRITE_VERSION = "social-rewrite-1"
SYSTEM = """\
너는 AI 논문·개발 블로그·뉴스를 매주 소개하는 한국어 다이제스트의 소셜 계정 담당자다. 다이제스트 항목 하나를
소셜 미디어 게시물 하나로 다시 쓴다.

규칙:
- 첫 줄은 주어진 머리말(이모지, [기관], 제목)을 그대로 쓴다.
- 그 아래 핵심 한두 가지를 `• `로 시작하는 줄로 쓴다. 한국어 문장에 영어 기술 용어는 그대로 둔다.
- 개조식 명사형 종결(`… 제안`, `… 공개`). 존댓말, 과장 표현, 해시태그, 이모지 추가는 쓰지 않는다.
- 링크와 URL은 절대 쓰지 않는다 (링크는 따로 붙는다).
- 길이 제한을 반드시 지킨다. 게시물 본문만 답하고 다른 말은 쓰지 않는다.
"""
_FENCE = re.compile(r"^```[a-z]*\n|\n```$")


def _budget_text(rules: Rules, budget: int) -> str:
    if rules.target == "x":
        return f"{budget} 이하 (X의 가중치 글자 수: 한글·한자·이모지는 2, 영문·숫자·공백은 1)"
    return f"{budget} 글자 이하 (grapheme 기준)"


def prompt(item: Item, post: Post, rules: Rules, budget: int) -> str:
    """The user turn: the item as the digest has it, the rule-made post, and the length budget."""
    bullets = "\n".join(f"{'    ' * (level - 1)}- {text}" for level, text in item.flat_bullets())
    head = post.text.split("\n", 1)[0]
    return (
        f"머리말: {head}\n\n다이제스트의 요약:\n{bullets}\n\n"
        f"규칙으로 줄인 게시물 (참고):\n{_body(post)}\n\n길이 제한: {_budget_text(rules, budget)}"
    )


def _body(post: Post) -> str:
    """The post without its link line (replies end with `\\n\\n<link>`)."""
    pieces = list(post.pieces)
    if pieces and pieces[-1].url is not None:
        pieces = pieces[:-1]
    return pieces_text(pieces).rstrip()


def _link(post: Post) -> Piece | None:
    last = post.pieces[-1] if post.pieces else None
    return last if last is not None and last.url is not None else None


def check_rewrite(answer: str, post: Post, rules: Rules, model: str) -> Post | str:
    """The rewritten post, or why the rule-made one stays."""
    body = nfc(_FENCE.sub("", answer.strip()).strip())
    if not body:
        return "the model answered nothing"
    if extract_urls(body) or BARE_URL_RE.search(body):
        return "the rewrite carries a link of its own"
    link = _link(post)
    pieces = merge([Piece(body), *([Piece("\n\n"), link] if link is not None else [])])
    text = pieces_text(pieces)
    problems = rules.problems(text)
    if problems:
        return "the rewrite is too long or invalid: " + "; ".join(problems)
    return replace(post, pieces=tuple(pieces), length=rules.measure(text), notes=(f"rewritten by {model}",))


class Rewriter:
    """One chat endpoint and model, asked for plain text."""

    def __init__(self, settings: LlmSettings) -> None:
        import openai

        self.settings = settings
        self.model = settings.model_name()
        self._client = openai.OpenAI(
            base_url=settings.endpoint,
            api_key=settings.api_key or "unused",
            timeout=settings.timeout,
            max_retries=settings.max_retries,
        )

    def close(self) -> None:
        self._client.close()

    def ask(self, user: str) -> tuple[str, str]:
        """(answer text, model name as the server gives it); LlmError when there is none."""
        import openai

        extra: dict[str, Any] = {}
        if self.settings.temperature is not None:
            extra["temperature"] = self.settings.temperature
        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}],
                **extra,
            )
        except openai.APIStatusError as exc:
            raise LlmError(f"{self.settings.endpoint_host}: HTTP {exc.status_code}: {exc.message}") from exc
        except openai.APIConnectionError as exc:
            raise LlmError(f"cannot reach {self.settings.endpoint}: {exc}") from exc
        except openai.OpenAIError as exc:
            raise LlmError(f"{self.settings.endpoint_host}: {exc}") from exc
        if not response.choices:
            raise LlmError(f"{self.settings.endpoint_host}: the answer has no choices")
        return response.choices[0].message.content or "", response.model or self.model


def rewrite_thread(thread: Thread, items: Mapping[str, Item], rules: Rules, rewriter: Rewriter) -> Thread:
    """Each reply rewritten by the model where the rewrite passes `check_rewrite`; the main post stays."""
    posts: list[Post] = []
    for post in thread.posts:
        item = items.get(post.item_id or "")
        if post.role != "item" or item is None:
            posts.append(post)
            continue
        link = _link(post)
        budget = rules.limit - (rules.measure("\n\n" + link.text) if link is not None else 0)
        answer, model = rewriter.ask(prompt(item, post, rules, budget))
        checked = check_rewrite(answer, post, rules, model)
        if isinstance(checked, str):
            posts.append(replace(post, notes=(*post.notes, f"rewrite not used: {checked}")))
        else:
            posts.append(checked)
    return replace(thread, posts=tuple(posts))
