"""Package data of the logic templates: the bundled English word list, loaded once on first use.

`words.txt` (one lower-case a-z word per line, `#` comments) was written by hand for vrgym. It is
a package (this file) so that wheels ship the list with the `*.txt` package-data rule and it is
read with `importlib.resources`, never with a path relative to the source tree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def words() -> tuple[str, ...]:
    """The bundled words, upper-cased, in file order (templates index into it, so order matters)."""
    text = resources.files(__name__).joinpath("words.txt").read_text(encoding="utf-8")
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        word = line.split("#", 1)[0].strip()
        if not word:
            continue
        if not _WORD.fullmatch(word):
            raise ValueError(f"words.txt line {number}: {word!r} is not a lower-case word of letters a-z")
        found.append(word.upper())
    if len(set(found)) != len(found):
        raise ValueError("words.txt lists a word twice; each word must appear once")
    return tuple(found)


@lru_cache(maxsize=None)
def words_of_length(shortest: int, longest: int) -> tuple[str, ...]:
    """Bundled words with `shortest` to `longest` letters, in file order."""
    return tuple(word for word in words() if shortest <= len(word) <= longest)
