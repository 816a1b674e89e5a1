"""The archive: SQLite storage, migrations and full-text search."""

from papernews.store.db import ImportReport, SearchHit, Stats, Store, default_db_path

__all__ = ["ImportReport", "SearchHit", "Stats", "Store", "default_db_path"]
