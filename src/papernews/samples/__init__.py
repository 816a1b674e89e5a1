"""Data shipped with papernews: a sample digest written for the project (used by `make demo`)."""

from pathlib import Path

SAMPLE_DIGEST = Path(__file__).with_name("sample-digest.md")
