"""Property: any digest in the house-style variants round-trips byte for byte and parses as generated."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from md_strategies import GeneratedDigest, digests
from papernews.formats.markdown import parse, render
from papernews.model import walk_bullets


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(digests())
def test_round_trip_items_and_warnings(gen: GeneratedDigest) -> None:
    doc = parse(gen.text)
    assert render(doc) == gen.text
    items = doc.items
    assert len(items) == len(gen.items)
    assert [it.source.line for it in items] == [e.line for e in gen.items]  # type: ignore[union-attr]
    assert [w.line for w in doc.warnings] == gen.unknown_lines, doc.warnings
    for it, e in zip(items, gen.items, strict=True):
        got = ([it.kind, *it.extra_kinds] if it.kind else []), it.orgs, it.title, it.url
        assert got == (e.kinds, e.orgs, e.title, e.url), it.source
        assert (it.marker, it.bold, it.note, it.is_group) == (e.marker, e.bold, e.note, e.group), it.source
        assert len(walk_bullets(it.bullets)) == e.n_bullets, it.source
        assert it.week is not None and e.week == (it.week.year, it.week.month, it.week.weeks)
        assert it.unchanged()
