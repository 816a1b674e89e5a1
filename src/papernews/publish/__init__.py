"""Publishing the archive: the static site, its feeds and companion files."""
