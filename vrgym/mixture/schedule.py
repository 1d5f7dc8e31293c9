"""`QuotaSchedule`: which stream of a weighted mixture each position of the mixture draws from.

Why not a seeded categorical draw per position: its counts drift from the weights by about
√n (a 1 % entry in 10 000 problems gets anywhere from 80 to 120), and small mixtures come out
visibly lopsided. Why not largest-remainder over the whole `n`: the split then depends on `n`, so
asking for 1 001 problems would reshuffle the first 1 000 instead of extending them.

The schedule used here is a seeded quota merge. Stream j (weight share p_j) emits its k-th item
at virtual time (k + u_j) / p_j, where the phase u_j ∈ [0, 1) comes from the seed; positions take
the items in order of virtual time (ties by stream number). Properties, for any prefix of n
positions: stream j holds n·p_j items up to a rounding of about one item (never more than
1 + m·p_j off, for m streams, whatever n is), exactly n·p_j on average over seeds; every prefix is a
prefix of the longer schedules (adding position n+1 extends, never reshuffles); and the seed only
shifts the phases, so different seeds interleave differently. It is stdlib arithmetic on floats
whose order is fixed by IEEE-754, so the same seed gives the same schedule on every machine.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence

from vrgym.seeding import derive_seed


class QuotaSchedule:
    """An infinite, prefix-stable, seeded sequence of stream numbers with the given weights."""

    def __init__(self, weights: Sequence[float], seed: int, keys: Sequence[str] | None = None) -> None:
        """`weights` > 0 per stream; `keys` (stable names of the streams) seed the phases."""
        if not weights:
            raise ValueError("a schedule needs at least one stream")
        if any(not (math.isfinite(w) and w > 0) for w in weights):
            raise ValueError(f"stream weights must be finite and > 0, got {list(weights)}")
        total = math.fsum(weights)
        self.shares = [w / total for w in weights]
        keys = list(keys) if keys is not None else [str(j) for j in range(len(weights))]
        self.phases = [derive_seed("vrgym.mixture.phase", seed, key, bits=53) / float(1 << 53) for key in keys]

    def time(self, stream: int, k: int) -> float:
        """Virtual time of stream `stream`'s `k`-th item (0-based)."""
        return (k + self.phases[stream]) / self.shares[stream]

    def run(self, counts: Sequence[int] | None = None) -> Iterator[tuple[int, int]]:
        """(stream, k) forever, continuing after `counts[j]` items already taken from each stream.

        `counts` must be a state this schedule reached itself (from `counts_at` or a previous
        run); the continuation is then exactly what the uninterrupted schedule would give.
        """
        taken = list(counts) if counts is not None else [0] * len(self.shares)
        heap = [(self.time(j, k), j) for j, k in enumerate(taken)]
        heapq.heapify(heap)
        while True:
            _, j = heap[0]
            k = taken[j]
            taken[j] = k + 1
            heapq.heapreplace(heap, (self.time(j, k + 1), j))
            yield j, k

    def counts_at(self, position: int) -> list[int]:
        """Items taken from each stream by the first `position` positions."""
        counts = [0] * len(self.shares)
        if position <= 0:
            return counts
        for step, (j, _) in enumerate(self.run()):
            counts[j] += 1
            if step + 1 >= position:
                break
        return counts

    def slice(self, start: int, n: int) -> list[tuple[int, int]]:
        """(stream, k) for positions `start .. start+n-1`."""
        items = []
        if n <= 0:
            return items
        for j, k in self.run(self.counts_at(start)):
            items.append((j, k))
            if len(items) >= n:
                break
        return items
