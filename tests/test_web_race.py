"""No lost update: two editors read the same version of an item and save different edits at the
same moment; exactly one wins, the other gets 409 with the current state, re-applies its edit
on the new version, and in the end the item holds both edits."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from papernews.model import Bullet, Item
from papernews.store import Store, VersionConflict
from papernews.web import service
from papernews.web.app import create_app
from web_support import api_token, archive_with_user, serve, web_settings


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return archive_with_user(tmp_path / "race.db")


def _first_id(db: Path) -> str:
    with Store(db) as store:
        return store.all_items()[0].id


def _retitle(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "title": item["title"] + " (제목 수정)"}


def _add_bullet(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "bullets": [*item["bullets"], {"text": "새로 더한 요약 (본문 수정)", "children": []}]}


def _together(*jobs: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """Run the jobs in threads released at the same instant."""
    results: list[httpx.Response | None] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(n: int, job: Callable[[], httpx.Response]) -> None:
        try:
            results[n] = job()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return [r for r in results if r is not None]


def test_two_editors_over_http_lose_nothing(tmp_path: Path, db: Path) -> None:
    item_id = _first_id(db)
    auth = {"Authorization": f"Bearer {api_token(db)}"}
    with (
        serve(create_app(web_settings(tmp_path, db))) as base,
        httpx.Client(base_url=base, headers=auth) as a,
        httpx.Client(base_url=base, headers=auth) as b,
    ):
        # both read the same version
        read_a, read_b = a.get(f"/api/v1/items/{item_id}"), b.get(f"/api/v1/items/{item_id}")
        assert read_a.headers["etag"] == read_b.headers["etag"] == '"1"'
        barrier = threading.Barrier(2)

        def put(client: httpx.Client, body: dict[str, Any], etag: str) -> httpx.Response:
            barrier.wait()
            return client.put(f"/api/v1/items/{item_id}", json=body, headers={"If-Match": etag})

        edits = {"a": _retitle, "b": _add_bullet}
        ra, rb = _together(
            lambda: put(a, _retitle(read_a.json()["item"]), read_a.headers["etag"]),
            lambda: put(b, _add_bullet(read_b.json()["item"]), read_b.headers["etag"]),
        )
        assert sorted([ra.status_code, rb.status_code]) == [200, 409]
        winner, loser, loser_name = (ra, rb, "b") if ra.status_code == 200 else (rb, ra, "a")
        assert winner.json()["version"] == 2 and winner.headers["etag"] == '"2"'
        # the loser is told the current state: the winner's edit, at version 2
        conflict = loser.json()
        assert conflict["version"] == 2 and conflict["item"] == winner.json()["item"]
        # and re-applies its own edit on that version
        again = (a if loser_name == "a" else b).put(
            f"/api/v1/items/{item_id}",
            json=edits[loser_name](conflict["item"]),
            headers={"If-Match": f'"{conflict["version"]}"'},
        )
        assert again.status_code == 200 and again.json()["version"] == 3
        final = a.get(f"/api/v1/items/{item_id}").json()["item"]
    assert final["title"].endswith(" (제목 수정)")
    assert final["bullets"][-1]["text"] == "새로 더한 요약 (본문 수정)"
    with Store(db) as store:
        actions = [e.action for e in service.history(store, item_id=item_id)]
    assert actions == ["edit", "edit"]  # the refused write left no trace


def test_many_rounds_of_racing_saves_each_have_one_winner(db: Path) -> None:
    """The same race on the library, twenty times, each editor with its own connection."""
    item_id = _first_id(db)
    rounds = 20
    for n in range(rounds):
        stores = [Store(db), Store(db)]
        try:
            reads = [service.get_item(s, item_id) for s in stores]
            assert reads[0][1] == reads[1][1]
            barrier = threading.Barrier(2)
            outcome: list[str] = []

            def save(
                store: Store, item: Item, version: int, tag: str, barrier: threading.Barrier, outcome: list[str]
            ) -> None:
                barrier.wait()
                try:
                    service.save_item(store, item, expected_version=version, user=tag)
                    outcome.append("won")
                except VersionConflict as e:
                    assert e.current is not None and e.version == version + 1
                    outcome.append("conflict")

            (item_a, v), (item_b, _) = reads
            edited_a = item_a.model_copy(update={"title": f"{item_a.title} a{n}"})
            edited_b = item_b.model_copy(update={"bullets": [*item_b.bullets, Bullet(text=f"b{n}")]})
            threads = [
                threading.Thread(target=save, args=(stores[0], edited_a, v, "a", barrier, outcome)),
                threading.Thread(target=save, args=(stores[1], edited_b, v, "b", barrier, outcome)),
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=30)
            assert sorted(outcome) == ["conflict", "won"], n
        finally:
            for s in stores:
                s.close()
    with Store(db) as store:
        _, version = service.get_item(store, item_id)
    assert version == 1 + rounds  # one write a round, none lost in silence


def test_a_stale_delete_is_refused(db: Path) -> None:
    item_id = _first_id(db)
    with Store(db) as store:
        item, version = service.get_item(store, item_id)
        service.save_item(store, item.model_copy(update={"title": "x"}), expected_version=version, user="a")
        with pytest.raises(VersionConflict) as caught:
            service.delete_item(store, item_id, expected_version=version, user="b")
        assert caught.value.version == version + 1
        assert service.get_item(store, item_id)[0].title == "x"
