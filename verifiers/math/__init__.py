"""Math answer checking: typed golds (`gold`), `check_math_answer` and `render_gold`.

Importing this package is cheap: it loads no sympy, pint or math_verify. Plain numbers are
settled in-process by the exact fast path; everything else goes to a pool of killable worker
processes (`worker`) that hold sympy, under a hard wall-clock limit.

    from vrgym.verifiers.math import gold as G, check_math_answer, render_gold
    check_math_answer(G.rational(Fraction(3, 4)), "0.75").reward  # 1
"""

from __future__ import annotations

from vrgym.verifiers.math import gold
from vrgym.verifiers.math.check import check_math_answer
from vrgym.verifiers.math.render import render_gold

__all__ = ["gold", "check_math_answer", "render_gold", "warm_up"]


def warm_up(workers: int = 1) -> None:
    """Start the worker processes now (blocking, ~1-3 s once) so no timed check pays for it.

    Trainers and the contract suite call this through `Template.warm_up`; idempotent and cheap
    once the workers run. Raises `WorkerUnavailable` if no worker can be started.
    """
    from vrgym.verifiers.math.worker import pool

    pool().warm(workers)
