"""The `papernews` command end to end, on the real seed and the shipped sample."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from papernews.cli import app
from papernews.samples import SAMPLE_DIGEST

runner = CliRunner()


def run(*args: str, db: Path | None = None) -> tuple[int, str, str]:
    argv = (["--db", str(db)] if db else []) + list(args)
    result = runner.invoke(app, argv, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path, seed_path: Path) -> Path:
    path = tmp_path / "a.db"
    code, out, _ = run("import", str(seed_path), db=path)
    assert code == 0, out
    return path


def test_import_then_export_markdown_gives_the_seed_back(tmp_path: Path, db: Path, seed_text: str) -> None:
    target = tmp_path / "README.md"
    code, _, _ = run("export", "--format", "markdown", "-o", str(target), db=db)
    assert code == 0
    assert target.read_bytes() == seed_text.encode("utf-8")
    code, out, _ = run("export", db=db)
    assert out == seed_text


def test_import_report_and_idempotence(tmp_path: Path, seed_path: Path) -> None:
    db = tmp_path / "b.db"
    code, out, _ = run("import", str(seed_path), "--json", db=db)
    assert code == 0
    first = json.loads(out)
    assert (first["format"], first["items_in_file"], first["added"]) == ("markdown", 619, 619)
    code, out, _ = run("import", str(seed_path), "--json", db=db)
    again = json.loads(out)
    assert (again["added"], again["updated"], again["unchanged"], again["layout_changed"]) == (0, 0, 619, False)


def test_export_json_and_jsonl_round_trip_through_import(tmp_path: Path, db: Path) -> None:
    j = tmp_path / "items.json"
    jl = tmp_path / "items.jsonl"
    assert run("export", "--format", "json", "-o", str(j), "--last-updated", "2024-10-01T00:00:00Z", db=db)[0] == 0
    assert run("export", "--format", "jsonl", "-o", str(jl), db=db)[0] == 0
    doc = json.loads(j.read_text(encoding="utf-8"))
    assert list(doc)[:4] == ["version", "last_updated", "total_items", "items"]
    assert doc["total_items"] == 619 == len(jl.read_text(encoding="utf-8").splitlines())
    for source in (j, jl):
        fresh = tmp_path / f"{source.suffix}.db"
        code, out, _ = run("import", str(source), "--json", db=fresh)
        assert code == 0 and json.loads(out)["added"] == 619
        code, out, _ = run("export", "--format", "json", "--last-updated", "2024-10-01T00:00:00Z", db=fresh)
        assert json.loads(out)["items"] == doc["items"]


def test_fmt_check(tmp_path: Path, seed_path: Path, seed_text: str) -> None:
    code, out, _ = run("fmt", "--check", str(seed_path))
    assert code == 0 and "ok" in out
    messy = tmp_path / "messy.md"
    messy.write_text(seed_text.replace("- 📜\xa0[DoRA:", "- 📜   [DoRA:"), encoding="utf-8")
    assert run("fmt", "--check", str(messy))[0] == 0  # a lossless round trip, whatever the spacing
    code, out, _ = run("fmt", "--check", "--canonical", str(messy))
    assert code == 1
    assert re.search(r"messy\.md:11: differs", out)
    code, _, _ = run("fmt", "--canonical", str(messy))
    assert code == 0
    assert run("fmt", "--check", "--canonical", str(messy))[0] == 0
    assert "- 📜 [Cohere] [Aya Model" in messy.read_text(encoding="utf-8")


def test_search_json_and_table(db: Path) -> None:
    code, out, _ = run("search", "추론", "--json", "--limit", "5", db=db)
    assert code == 0
    hits = json.loads(out)
    assert len(hits) == 5
    assert all({"id", "kind", "orgs", "title", "url", "bullets", "week", "score"} <= set(h) for h in hits)
    assert hits[0]["score"] >= hits[-1]["score"]
    code, out, _ = run("search", "LoRA", "--kind", "paper", "--since", "2024-03", "--until", "2024-05", db=db)
    assert code == 0 and "LoRA" in out
    code, out, _ = run("search", "zzzyyyxxx", db=db)
    assert code == 0 and "no items" in out


def test_list_show_stats_schema(db: Path) -> None:
    code, out, _ = run("list", "--week", "2024-09-W03", "--json", db=db)
    items = json.loads(out)
    assert code == 0 and items and all(i["week"]["key"] == "2024-09-W03" for i in items)
    code, out, _ = run("show", items[0]["id"][:6], db=db)
    assert code == 0 and items[0]["title"][:20] in out
    code, out, _ = run("stats", "--json", db=db)
    stats = json.loads(out)
    assert stats["total"] == 619 and stats["bullets"] == 1196
    code, out, _ = run("stats", db=db)
    assert code == 0 and "619" in out
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert schema["title"] == "Item" and "orgs" in schema["properties"]


@pytest.mark.parametrize(
    ("content", "suffix", "where"),
    [
        ("# 2024\n## March\n<details>\n  <summary>1st week</summary>\n\n- 📜 [A](https://a.b)\n", ".md", ":3"),
        ("# 2024\n## March\n</details>\n", ".md", ":3"),
        ("nothing here\n", ".md", ":1"),
        ('{\n  "version": 1,\n  "items": [\n    {"id": \n', ".json", ":4"),
        (b"# 2024\n## March\n\xff\xfe\n".decode("latin-1"), ".md", ":3"),
    ],
)
def test_malformed_files_exit_2_with_file_line_and_write_nothing(
    tmp_path: Path, content: str, suffix: str, where: str
) -> None:
    bad = tmp_path / f"bad{suffix}"
    if "\xff" in content:
        bad.write_bytes(content.encode("latin-1"))
    else:
        bad.write_text(content, encoding="utf-8")
    db = tmp_path / "never.db"
    code, _, err = run("import", str(bad), db=db)
    assert code == 2
    assert f"{bad}{where}" in err.replace("\n", "")
    assert not db.exists()


def test_bad_options_are_explained(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "list", "--week", "2024-9"])
    assert result.exit_code == 2 and "YYYY-MM-Wnn" in result.output
    result = runner.invoke(app, ["--db", str(db), "search", "x", "--kind", "blog"])
    assert result.exit_code == 2 and "paper, dev, news" in result.output
    code, _, err = run("show", "nope0000", db=db)
    assert code == 2 and "no item" in err


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = run("import", str(tmp_path / "absent.md"), db=tmp_path / "x.db")
    assert code == 2 and "no such file" in err


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    commands = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert set(commands) >= {"import", "export", "fmt", "search", "list", "show", "stats", "schema"}
    for name in commands:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert f"papernews {name}" in readme, f"README does not document `papernews {name}`"


def test_demo_sample_imports_and_searches(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    code, out, _ = run("import", str(SAMPLE_DIGEST), "--json", db=db)
    assert code == 0 and json.loads(out)["warnings"] == []
    for q in ("추론", "LoRA"):
        code, out, _ = run("search", q, "--json", db=db)
        assert code == 0 and json.loads(out), q
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] >= 25


def test_reference_items_json_through_the_archive_comes_back_field_by_field(
    tmp_path: Path, items_json_path: Path
) -> None:
    db = tmp_path / "ref.db"
    code, out, _ = run("import", str(items_json_path), "--json", db=db)
    assert code == 0 and json.loads(out)["added"] == 850
    code, out, _ = run("export", "--format", "json", db=db)
    exported = json.loads(out)["items"]
    reference = json.loads(items_json_path.read_text(encoding="utf-8"))["items"]
    assert len(exported) == len(reference) == 850
    for ours, theirs in zip(exported, reference, strict=True):
        assert list(ours)[: len(theirs)] == list(theirs)
        assert {k: ours[k] for k in theirs} == theirs
    # and as a README: a canonical digest that parses back to the same 850 items
    code, out, _ = run("export", "--format", "markdown", db=db)
    readme = tmp_path / "README.md"
    readme.write_text(out, encoding="utf-8")
    code, out, _ = run("import", str(readme), "--json", db=tmp_path / "again.db")
    assert code == 0 and json.loads(out)["added"] == 850 and json.loads(out)["warnings"] == []


def test_database_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("PAPERNEWS_DB", str(db))
    result = runner.invoke(app, ["import", str(SAMPLE_DIGEST)])
    assert result.exit_code == 0 and db.exists()
    result = runner.invoke(app, ["stats", "--json"])
    assert json.loads(result.stdout)["total"] == 30


def test_build_command(tmp_path: Path, db: Path) -> None:
    out = tmp_path / "site"
    code, stdout, _ = run("build", "--out", str(out), "--base-url", "https://x.example/d", "--json", db=db)
    report = json.loads(stdout)
    assert code == 0 and report["items"] == 619 and report["written"] == report["files"]
    assert 'href="https://x.example/d/"' in (out / "index.html").read_text(encoding="utf-8")
    code, stdout, _ = run("build", "--out", str(out), "--base-url", "https://x.example/d", "--json", db=db)
    assert json.loads(stdout)["written"] == 0
    result = runner.invoke(app, ["--db", str(db), "build", "--out", str(out), "--base-url", "javascript:x"])
    assert result.exit_code == 2 and "http(s)" in result.output


def test_error_messages_keep_square_brackets(tmp_path: Path) -> None:
    # a title like `[KAIST] ...` or a hint naming `[site]` must reach the user whole, not be eaten as markup
    bad = tmp_path / "[social.x] [b]notes[/b].md"
    code, _, err = run("import", str(bad), db=tmp_path / "x.db")
    assert code == 2
    assert "[social.x] [b]notes[/b].md" in err
