"""`papernews init --github-pages`: a GitHub Actions workflow that rebuilds and deploys the site.

The repository of a digest keeps `items.json` (and usually README.md); on every push the
workflow installs papernews, imports items.json into a throwaway archive, builds the site
with the Pages URL as base, and deploys it with GitHub's own Pages actions.
"""

from __future__ import annotations

from pathlib import Path

from papernews.errors import PapernewsError
from papernews.files import write_atomic

WORKFLOW_PATH = Path(".github/workflows/papernews-pages.yml")

TEMPLATE = """\
# Written by `papernews init --github-pages`. Rebuilds the site from {source} on every push
# to {branch} and deploys it to GitHub Pages (Settings → Pages → Source: GitHub Actions).
name: papernews site

on:
  push:
    branches: [{branch}]
    paths: ["{source}", ".github/workflows/papernews-pages.yml"]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: true

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - id: pages
        uses: actions/configure-pages@v5
      - name: Install papernews
        run: python -m pip install "{package}"
      - name: Build the site
        run: |
          papernews --db "$RUNNER_TEMP/archive.db" import "{source}"
          papernews --db "$RUNNER_TEMP/archive.db" build --out _site \\
            --base-url "${{{{ steps.pages.outputs.base_url }}}}/" --title "{title}"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def _yaml_safe(value: str, what: str) -> str:
    if any(c in value for c in '"\\\n\r$`') or not value.strip():
        raise PapernewsError(
            f"{what} may not be empty or contain quotes, backslashes, '$', '`' or line breaks: {value!r}"
        )
    return value


def workflow_text(
    *, source: str = "items.json", branch: str = "main", package: str = "papernews", title: str = "NLP Paper News"
) -> str:
    return TEMPLATE.format(
        source=_yaml_safe(source, "the source file"),
        branch=_yaml_safe(branch, "the branch"),
        package=_yaml_safe(package, "the package"),
        title=_yaml_safe(title, "the title"),
    )


def write_workflow(repo: Path, *, force: bool = False, **options: str) -> Path:
    """Write the workflow into `repo`; an existing one is kept unless `force`."""
    target = repo / WORKFLOW_PATH
    if target.exists() and not force:
        raise PapernewsError(f"{target} exists; use --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, workflow_text(**options))
    return target
