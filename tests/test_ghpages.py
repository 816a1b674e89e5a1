"""`papernews init --github-pages`: the workflow it writes, and refusal to overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from papernews.cli import app
from papernews.errors import PapernewsError
from papernews.publish.ghpages import WORKFLOW_PATH, workflow_text

runner = CliRunner()


def test_init_writes_the_workflow_and_keeps_an_existing_one(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", "--github-pages", "--repo", str(tmp_path), "--branch", "master"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / WORKFLOW_PATH).read_text(encoding="utf-8")
    assert "branches: [master]" in text
    assert 'papernews --db "$RUNNER_TEMP/archive.db" import "items.json"' in text
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in text
    assert "actions/upload-pages-artifact@v3" in text and "actions/deploy-pages@v4" in text
    assert "pages: write" in text and "id-token: write" in text
    again = runner.invoke(app, ["init", "--github-pages", "--repo", str(tmp_path)])
    assert again.exit_code == 2 and "--force" in again.output
    forced = runner.invoke(app, ["init", "--github-pages", "--repo", str(tmp_path), "--force"])
    assert forced.exit_code == 0
    assert "branches: [main]" in (tmp_path / WORKFLOW_PATH).read_text(encoding="utf-8")


def test_init_needs_a_target() -> None:
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 2 and "--github-pages" in result.output


@pytest.mark.parametrize("bad", ['a"b', "x\ny", "$(rm -rf /)", "`id`", ""])
def test_values_that_would_break_the_yaml_or_the_shell_are_refused(bad: str) -> None:
    with pytest.raises(PapernewsError):
        workflow_text(title=bad)
