"""The inbox: what the sources found this week, deduplicated, ranked by the curator's taste, decided on.

`fetch.fetch_sources` runs the configured sources into the inbox; `listing.list_candidates`
ranks what is waiting through `papernews.rank.taste.TasteModel`; `decide.accept` (through
`papernews.add`), `decide.reject` and `decide.snooze` record the curator's decisions, which the
ranker learns from. Nothing heavy is imported here: each module loads what it needs when used.
"""
