"""Readers and writers of the digest's file formats: Markdown README, items.json, JSONL."""
