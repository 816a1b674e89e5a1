"""The app's pages: the curator's workbench under `/admin` and the public site at the root.

`create_app` includes this one router. The public routes come first (item pages and search
are what readers ask for most, and each route tried costs time); none of their paths can
match a workbench path. The workbench (`pages_admin.py`, `pages_edit.py`) is
behind login; the public pages (`pages_public.py`) are the static build's pages at the
build's paths, served from the archive.
"""

from __future__ import annotations

from fastapi import APIRouter

from papernews.web import pages_admin, pages_edit, pages_public

router = APIRouter(include_in_schema=False)
router.include_router(pages_public.router)  # first: the most requested pages match sooner
router.include_router(pages_admin.router)
router.include_router(pages_edit.router)
