"""Stable, process-independent seeding of problems.

A problem's randomness comes from one 128-bit digest of (template, version, seed, index, config),
computed with BLAKE2b over canonical JSON. It never uses Python's `hash()` (salted per process by
PYTHONHASHSEED) nor any global RNG, so the same inputs give byte-identical problems in any process,
and seed 1 is unrelated to seed 0 (reasoning-gym's `Random(seed + idx)` makes seed s+1 a copy of
seed s shifted by one item).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping
from typing import Any


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
# One encoder for every call: json.dumps with non-default options builds a new encoder each time,
# which was most of the cost of seeding a problem.


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: the same value always gives the same text."""
    return _CANONICAL.encode(value)


def problem_key(task: str, version: int, seed: int, index: int, config: Mapping[str, Any] | str) -> str:
    """The canonical text that identifies one generated problem.

    It equals `canonical_json({"task", "version", "seed", "index", "config"})`, assembled from the
    parts so that a caller generating many problems can pass the config already encoded (its
    `canonical_json` text) instead of re-encoding it for every problem.
    """
    config_text = config if isinstance(config, str) else canonical_json(dict(config))
    return (
        f'{{"config":{config_text},"index":{int(index)},"seed":{int(seed)},'
        f'"task":{canonical_json(task)},"version":{int(version)}}}'
    )


def digest(text: str, size: int = 16) -> bytes:
    """BLAKE2b digest of `text` (UTF-8), `size` bytes long."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).digest()


def problem_id(key: str) -> str:
    """A short, stable problem id (16 hex characters) from a problem key."""
    return digest(key, 8).hex()


def rng_for(key: str) -> random.Random:
    """A private `random.Random` seeded from the 128-bit digest of `key`."""
    return random.Random(int.from_bytes(digest(key, 16), "big"))


def derive_seed(*parts: Any, bits: int = 63) -> int:
    """A non-negative integer seed derived from arbitrary JSON-able parts (e.g. env seed streams)."""
    value = int.from_bytes(digest(canonical_json(list(parts)), 16), "big")
    return value % (1 << bits)
