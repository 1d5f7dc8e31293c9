"""`LazyPattern`: a regex compiled on first use, so importing vrgym does not pay for patterns it never runs.

The faithfulness checkers hold large alternations (number words, units, dates, relation
phrasings); compiling them all at import cost tens of milliseconds of every `import vrgym`,
even in a process that never verifies a faithfulness problem.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """Behaves like the compiled `re.Pattern` of (pattern, flags); compiles it on first attribute access."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return getattr(self._compiled, name)
