"""Social posts: a week's items (or chosen items) as a thread for X and Bluesky.

The stages, one module each: `length` (each platform's counting: X's weighted length through
`twitter-text-parser`, Bluesky's graphemes), `text` (digest Markdown → post text, cut only
between words), `draft` (items → main post and replies, shortened by rule; pure), `rewrite`
(an optional chat-model rewrite, re-checked), `settings` (config and the secrets from the
environment), `x_api` and `bluesky` (the posting clients), `post` (resume, record, roll back;
the store's `social_posts`), `select` (a week's items or items by id).
"""

from papernews.social.draft import DraftOptions, Facet, Post, Thread, draft_thread, thread_key
from papernews.social.errors import CredentialsError, DraftError, PostingError, SocialError
from papernews.social.length import BLUESKY_RULES, RULES, X_RULES, Rules, graphemes, x_length
from papernews.social.post import PostResult, ThreadReport, post_thread
from papernews.social.remote import Poster, Remote

__all__ = [
    "BLUESKY_RULES",
    "RULES",
    "X_RULES",
    "CredentialsError",
    "DraftError",
    "DraftOptions",
    "Facet",
    "Post",
    "PostResult",
    "Poster",
    "PostingError",
    "Remote",
    "Rules",
    "SocialError",
    "Thread",
    "ThreadReport",
    "draft_thread",
    "graphemes",
    "post_thread",
    "thread_key",
    "x_length",
]
