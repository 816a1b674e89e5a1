"""The archive: SQLite storage, migrations and full-text search."""

from papernews.store.db import ImportReport, Stats, Store, VersionConflict, WeekChanged, default_db_path
from papernews.store.search import SearchHit, SearchResults

__all__ = [
    "ImportReport",
    "SearchHit",
    "SearchResults",
    "Stats",
    "Store",
    "VersionConflict",
    "WeekChanged",
    "default_db_path",
]
