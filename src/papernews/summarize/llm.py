"""Any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp's server), through the
official `openai` SDK with a configurable base URL.

Settings come from the environment (like the HTTP client's), overridden by command-line flags:
`PAPERNEWS_LLM_BASE_URL` (else `OPENAI_BASE_URL`), `PAPERNEWS_LLM_MODEL`, `PAPERNEWS_LLM_API_KEY`
(else `OPENAI_API_KEY`), `PAPERNEWS_LLM_TIMEOUT`, `PAPERNEWS_LLM_MAX_RETRIES`, `PAPERNEWS_LLM_TEMPERATURE`,
`PAPERNEWS_LLM_SOURCE_TOKENS`, `PAPERNEWS_LLM_EXAMPLES`, `PAPERNEWS_LLM_STRUCTURED`. An endpoint
is configured when a base URL or a key is set; a key alone means OpenAI itself. The key is never
printed, and only the endpoint's host goes into a summary's provenance.

Structured output is asked first (`response_format` with a JSON schema: bullets with levels). A
server that refuses it (400, 422 or 501, or an error naming `response_format`) is asked again
for a plain-text list, and is not asked for a schema again by this `ChatModel`.

The endpoint is the user's own configuration, not a URL found in content, so it does not pass
the SSRF guard: a model served on localhost is the usual case.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from papernews.summarize.answer import BULLETS_SCHEMA
from papernews.summarize.errors import LlmError

if TYPE_CHECKING:  # the SDK is imported when a model is asked (it takes a third of a second)
    from papernews.summarize.prompt import Conversation

OPENAI_BASE_URL = "https://api.openai.com/v1"
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"  # only when no base URL is set, i.e. OpenAI itself
_UNSUPPORTED_STATUSES = frozenset({400, 422, 501})


def _flag(value: str) -> bool:
    return value.strip().lower() not in {"0", "false", "no", "off"}


@dataclass(frozen=True)
class LlmSettings:
    """Where the chat endpoint is and how to ask it; `LlmSettings.from_env()` is what the CLI uses."""

    base_url: str | None = None
    model: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 120.0
    max_retries: int = 2  # the SDK's own retries of 408/429/5xx and dropped connections
    temperature: float | None = None  # None: the server's default (some models accept no other)
    max_source_tokens: int = 6000  # of source text sent, estimated (`budget.estimate_tokens`)
    examples: int = 3  # few-shot items from the archive
    structured: bool = True  # ask for JSON-schema output first

    @property
    def configured(self) -> bool:
        return bool(self.base_url or self.api_key)

    @property
    def endpoint(self) -> str:
        return self.base_url or OPENAI_BASE_URL

    @property
    def endpoint_host(self) -> str:
        """`host[:port]` of the endpoint, without credentials: what provenance records."""
        parts = urlsplit(self.endpoint)
        host = parts.hostname or self.endpoint
        return f"{host}:{parts.port}" if parts.port else host

    def model_name(self) -> str:
        if self.model:
            return self.model
        if self.base_url is None:
            return DEFAULT_OPENAI_MODEL
        raise LlmError(f"no model named for {self.endpoint}: set PAPERNEWS_LLM_MODEL or pass --model")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> LlmSettings:
        """Defaults, then the variables above, then the keyword arguments that are not None."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        base = env.get("PAPERNEWS_LLM_BASE_URL") or env.get("OPENAI_BASE_URL")
        if base:
            values["base_url"] = base.strip()
        if env.get("PAPERNEWS_LLM_MODEL"):
            values["model"] = env["PAPERNEWS_LLM_MODEL"].strip()
        key = env.get("PAPERNEWS_LLM_API_KEY") or env.get("OPENAI_API_KEY")
        if key:
            values["api_key"] = key.strip()
        for name, var, kind in (
            ("timeout", "PAPERNEWS_LLM_TIMEOUT", float),
            ("max_retries", "PAPERNEWS_LLM_MAX_RETRIES", int),
            ("temperature", "PAPERNEWS_LLM_TEMPERATURE", float),
            ("max_source_tokens", "PAPERNEWS_LLM_SOURCE_TOKENS", int),
            ("examples", "PAPERNEWS_LLM_EXAMPLES", int),
        ):
            raw = env.get(var, "").strip()
            if raw:
                try:
                    values[name] = kind(raw)
                except ValueError as exc:
                    raise LlmError(f"{var}={raw!r} is not a number") from exc
        if env.get("PAPERNEWS_LLM_STRUCTURED", "").strip():
            values["structured"] = _flag(env["PAPERNEWS_LLM_STRUCTURED"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Completion:
    """A model's answer: its text, the model that wrote it (as the server names it), and whether
    it was asked for structured output."""

    text: str
    model: str
    structured: bool


def _response_format() -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": "summary", "strict": True, "schema": BULLETS_SCHEMA}}


class ChatModel:
    """One endpoint and model; remembers whether the endpoint takes a JSON schema."""

    def __init__(self, settings: LlmSettings) -> None:
        import openai

        self.settings = settings
        self.model = settings.model_name()
        self.structured = settings.structured
        self._client = openai.OpenAI(
            base_url=settings.endpoint,
            api_key=settings.api_key or "unused",  # Ollama, vLLM and llama.cpp take any key
            timeout=settings.timeout,
            max_retries=settings.max_retries,
        )

    def close(self) -> None:
        self._client.close()

    def complete(self, conversation: Conversation) -> Completion:
        """The model's answer to the conversation; LlmError when there is none."""
        if self.structured:
            try:
                return self._ask(conversation, structured=True)
            except _Unsupported:
                self.structured = False  # this server takes no schema: plain text from now on
        return self._ask(conversation, structured=False)

    def _ask(self, conversation: Conversation, *, structured: bool) -> Completion:
        import openai

        extra: dict[str, Any] = {}
        if structured:
            extra["response_format"] = _response_format()
        if self.settings.temperature is not None:
            extra["temperature"] = self.settings.temperature
        messages: Any = conversation.render(structured)
        try:
            response = self._client.chat.completions.create(model=self.model, messages=messages, **extra)
        except openai.APIStatusError as exc:
            message = _error_message(exc)
            if structured and (exc.status_code in _UNSUPPORTED_STATUSES or "response_format" in message):
                raise _Unsupported(message) from exc
            raise LlmError(f"{self.settings.endpoint_host}: HTTP {exc.status_code}: {message}") from exc
        except openai.APIConnectionError as exc:  # timeouts included
            raise LlmError(f"cannot reach {self.settings.endpoint}: {exc}") from exc
        except openai.OpenAIError as exc:
            raise LlmError(f"{self.settings.endpoint_host}: {exc}") from exc
        if not response.choices:
            raise LlmError(f"{self.settings.endpoint_host}: the answer has no choices")
        message_out = response.choices[0].message
        if getattr(message_out, "refusal", None):
            raise LlmError(f"{self.settings.endpoint_host}: the model refused: {message_out.refusal}")
        text = message_out.content or ""
        if not text.strip():
            raise LlmError(f"{self.settings.endpoint_host}: the model answered nothing")
        return Completion(text=text, model=response.model or self.model, structured=structured)


class _Unsupported(Exception):
    """The server refused structured output."""


def _error_message(exc: Any) -> str:
    """The server's own words for an error (`{"error": {"message": …}}` or `{"detail": …}`), else the SDK's."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            text = inner.get("message") or inner.get("detail")
            if isinstance(text, str) and text:
                return text
        elif isinstance(inner, str) and inner:
            return inner
    return str(getattr(exc, "message", exc))
