"""Vectorised solution counts for cryptarithms whose digit set is given (a bijection onto it).

With the digit set D (sorted) stated, a solution is a permutation of D over the L letters: at
most 7! = 5,040 of them for L <= 7. The table of every permutation's digit values, `V[i, r]` (the
digit letter i gets under permutation r), is built lazily once per digit set and cached (float32:
at most C(10, L) sets per L, about 21 MB for every set with L <= 7; L = 8 is left to the
column solver). Letter i of the hidden solution takes D[i], so row 0 (the identity) is that
solution.

Addition and subtraction are linear: the equation is `Σ coef_i · digit_i = 0` with coef_i the
sum of the letter's place values in the addends minus those in the result, so `coef @ V == 0`
finds every permutation that satisfies the arithmetic in one matrix-vector product. A product
`X × Y = Z` is `[cX, cY, cZ] @ V` (the three word values of every permutation) and one comparison.
The rows found are then checked for leading zeros. This is a complete count (every permutation
is evaluated), so a count of 1 is a proof of uniqueness.

float32 is exact here because every term and partial sum is an integer below 2**24; callers
check that bound (`exact`) and fall back to the solver when it does not hold.
"""

from __future__ import annotations

from typing import Any

_PERMS: dict[int, Any] = {}
_ZERO_AT: dict[int, Any] = {}
_TABLES: dict[tuple[int, ...], Any] = {}
MAX_LETTERS = 7
EXACT = 1 << 24


def _perms(n: int) -> Any:
    perms = _PERMS.get(n)
    if perms is None:
        import itertools

        import numpy as np

        perms = np.array(list(itertools.permutations(range(n))), dtype=np.int8).reshape(-1, n)
        _PERMS[n] = perms
        _ZERO_AT[n] = perms.argmin(axis=1).tolist()  # the letter that gets D[0] in each permutation
    return perms


def _table(digits: tuple[int, ...]) -> Any:
    table = _TABLES.get(digits)
    if table is None:
        import numpy as np

        table = np.ascontiguousarray(np.array(digits, dtype=np.float32)[_perms(len(digits))].T)  # L × n!
        _TABLES[digits] = table
    return table


def _valid(rows: Any, digits: tuple[int, ...], leading: int) -> int:
    """How many of the permutations `rows` give no leading letter (bitmask `leading`) the digit 0."""
    if digits[0] != 0:
        return len(rows)
    zero_at = _ZERO_AT[len(digits)]
    return sum(1 for r in rows.tolist() if not leading >> zero_at[r] & 1)


def count_linear(digits: tuple[int, ...], coefs: list[int], leading: int) -> int:
    """Permutations of `digits` (sorted) with Σ coefs[i]·digit_i = 0 and no leading letter 0."""
    import numpy as np

    hits = np.array(coefs, dtype=np.float32) @ _table(digits) == 0
    if np.count_nonzero(hits) == 1:  # only the hidden solution (always among the hits, always valid)
        return 1
    return _valid(hits.nonzero()[0], digits, leading)


def count_product(digits: tuple[int, ...], coefs: list[list[int]], leading: int) -> int:
    """Permutations with value(X) · value(Y) = value(Z); `coefs` is 3 rows (X, Y, Z) of L place-value sums."""
    import numpy as np

    x, y, z = (np.array(coefs, dtype=np.float32) @ _table(digits)).astype(np.float64)
    return _valid((x * y == z).nonzero()[0], digits, leading)
