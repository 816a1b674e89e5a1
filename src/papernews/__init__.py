"""papernews: the workbench of a weekly curated digest of AI papers, blogs and news."""

__version__ = "0.1.0"
