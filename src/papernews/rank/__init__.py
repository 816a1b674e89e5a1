"""Ranking by taste: a model of the curator learned from the archive, and its walk-forward benchmark.

`taste.TasteModel` scores candidates (papers, pages) with reasons; `evaluate` replays the arXiv
pools week by week against the curator's picks. Nothing here is imported by the package at start:
scikit-learn loads only when a model is built.
"""
