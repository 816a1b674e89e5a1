"""What a link is, whatever address it was pasted under: canonical URLs, ids, duplicates, org spellings, guesses.

Pure functions over URLs and archived items, no network: every later stage (sources, `add`,
the web app) asks here whether two links are the same thing and how the curator would file one.
"""

from papernews.identity.duplicates import TITLE_THRESHOLD, DuplicateIndex, Match, find_duplicates, normalise_title
from papernews.identity.guess import Guess, GuessModel, guess
from papernews.identity.ids import identity_url, ids_of
from papernews.identity.orgs import OrgTable, normalise_org
from papernews.identity.urls import canonical_url

__all__ = [
    "TITLE_THRESHOLD",
    "DuplicateIndex",
    "Guess",
    "GuessModel",
    "Match",
    "OrgTable",
    "canonical_url",
    "find_duplicates",
    "guess",
    "identity_url",
    "ids_of",
    "normalise_org",
    "normalise_title",
]
