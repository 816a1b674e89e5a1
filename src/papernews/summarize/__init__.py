"""Summary drafts: an item's source text → bullets in the house style, checked by lint.

The stages, each its own module: `source` (the network edge: arXiv HTML full text, the abstract,
or the page's main text, through the project's HTTP client) parsed by `arxiv_html` into
`sections`; `budget` (the text cut to the model's budget by sections, whole sentences only, see
`sentences`); `fewshot` (the archive's most similar items as examples); `prompt` (house rules,
examples, feedback; `PROMPT_VERSION`); `llm` (any OpenAI-compatible endpoint, structured output
with a plain-text fallback); `answer` (the answer → bullets); `extractive` (the offline draft);
`draft` (draft → lint → retry); `provenance`; and `run` (`summarize_inputs`, behind the CLI).
"""

from papernews.summarize.draft import MAX_ATTEMPTS, Attempt, Draft, draft_extractive, draft_with_model
from papernews.summarize.errors import LlmError, NoSourceError, SummarizeError
from papernews.summarize.extractive import EXTRACTIVE_VERSION, extractive_draft
from papernews.summarize.llm import ChatModel, Completion, LlmSettings
from papernews.summarize.prompt import PROMPT_VERSION
from papernews.summarize.run import SummarizeResult, summarize_inputs
from papernews.summarize.source import SourceText, fetch_source, stored_source

__all__ = [
    "EXTRACTIVE_VERSION",
    "MAX_ATTEMPTS",
    "PROMPT_VERSION",
    "Attempt",
    "ChatModel",
    "Completion",
    "Draft",
    "LlmError",
    "LlmSettings",
    "NoSourceError",
    "SourceText",
    "SummarizeError",
    "SummarizeResult",
    "draft_extractive",
    "draft_with_model",
    "extractive_draft",
    "fetch_source",
    "stored_source",
    "summarize_inputs",
]
