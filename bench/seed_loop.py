"""Parse and render the seed N times (for `bench/run.py` to count instructions under callgrind)."""

import sys
from pathlib import Path

from papernews.formats.markdown import parse, render


def main() -> None:
    text = Path(sys.argv[1]).read_text(encoding="utf-8")
    for _ in range(int(sys.argv[2])):
        render(parse(text))


main()
