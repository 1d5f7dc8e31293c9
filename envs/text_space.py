"""`TextSpace`: the Gymnasium space of prompts and responses (any printable Unicode string).

Gymnasium's `spaces.Text` is built for short strings over a fixed charset: its default charset
rejects a space, and even `string.printable` rejects `é`, `×` or `π`. vrgym observations are
prompts and verifier feedback, and actions are model responses, so `TextSpace` accepts any `str`
that is *printable text*: every Unicode character except control characters (tab, newline and
carriage return are allowed) and lone surrogates (which cannot be encoded as UTF-8, so no
tokenizer, JSON file or pipe can carry them). An optional `max_length` bounds the length in
characters.

This module also teaches Gymnasium's vector utilities about the space. With the defaults of
`gymnasium.make_vec(..., vectorization_mode="async")` observations travel through shared memory,
and Gymnasium's own handlers for `Text` read that memory once into a tuple that is never
refreshed, so every prompt comes back as `'000…'` (Gymnasium issue #1164). The handlers below
give each sub-environment a fixed UTF-8 slot (length header + bytes) and return a live view that
decodes the current strings whenever it is read; the async env's default `copy=True` turns the
view into a plain tuple of `str`. So async vector envs work without `vector_kwargs`; an
observation larger than its slot fails with an error naming the two remedies.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import Any, overload

import numpy as np
from gymnasium.spaces import Space
from gymnasium.vector.utils import (
    create_empty_array,
    create_shared_memory,
    read_from_shared_memory,
    write_to_shared_memory,
)

_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters other than tab, newline, carriage return (C0, DEL, C1), and lone surrogates."""

_SAMPLE_POOL: tuple[str, ...] = tuple(
    [chr(c) for c in range(0x20, 0x7F)]  # printable ASCII, space included
    + list("\n\n\t")
    + list("éèàüößñçøåÉ")  # Latin letters with diacritics
    + list("αβγδπλΣΩθ")  # Greek
    + list("жданиеЖ")  # Cyrillic
    + list("×÷±≤≥≠√∞∑∫∈→⇒°²½")  # maths and symbols
    + list("中文字日本語한국")  # CJK and Hangul
    + list("\u00a0\u2009\u200b")  # no-break, thin and zero-width spaces
    + ["😀", "🎲", "✓", "🧪"]  # emoji, some outside the BMP
)
"""Characters `TextSpace.sample` draws from: mostly ASCII, some whitespace, some non-ASCII."""

SAMPLE_LENGTH_CAP = 256
"""`sample()` draws lengths up to min(max_length, this): random responses need not be huge."""

DEFAULT_SHARED_SLOT_BYTES = 1 << 20
"""Shared-memory bytes per sub-environment for a TextSpace without max_length (1 MiB)."""

_HEADER_BYTES = 4


def is_printable_text(text: str) -> bool:
    """True if `text` has no control characters (besides tab, newline, CR) and no lone surrogates."""
    return _NOT_PRINTABLE.search(text) is None


def to_printable_text(text: str) -> str:
    """`text` with every character `TextSpace` rejects replaced by U+FFFD (for echoing model output)."""
    return _NOT_PRINTABLE.sub("\ufffd", text)


class TextSpace(Space[str]):
    """Any printable Unicode `str`, optionally at most `max_length` characters long."""

    def __init__(self, max_length: int | None = None, *, seed: int | np.random.Generator | None = None) -> None:
        if max_length is not None and (isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 0):
            raise ValueError(f"TextSpace max_length must be a non-negative int or None, got {max_length!r}")
        self.max_length = max_length
        super().__init__(shape=None, dtype=None, seed=seed)

    @property
    def is_np_flattenable(self) -> bool:
        """Text has no fixed-size numeric form."""
        return False

    def contains(self, x: Any) -> bool:
        """True for a `str` of printable text no longer than `max_length`."""
        return (
            isinstance(x, str)
            and (self.max_length is None or len(x) <= self.max_length)
            and _NOT_PRINTABLE.search(x) is None
        )

    def sample(self, mask: Any | None = None, probability: Any | None = None) -> str:
        """A random printable string drawn from `np_random` (deterministic after `seed`)."""
        if mask is not None or probability is not None:
            raise ValueError("TextSpace.sample does not support mask or probability; call sample() without them")
        cap = SAMPLE_LENGTH_CAP if self.max_length is None else min(self.max_length, SAMPLE_LENGTH_CAP)
        length = int(self.np_random.integers(0, cap + 1))
        picks = self.np_random.integers(0, len(_SAMPLE_POOL), size=length)
        return "".join([_SAMPLE_POOL[i] for i in picks.tolist()])

    def to_jsonable(self, sample_n: Sequence[str]) -> list[str]:
        """Strings are already JSON."""
        return list(sample_n)

    def from_jsonable(self, sample_n: list[str]) -> list[str]:
        """Strings are already JSON."""
        return list(sample_n)

    @property
    def shared_slot_bytes(self) -> int:
        """Bytes of shared memory one sub-environment's observation may use in an async vector env."""
        if self.max_length is None:
            return DEFAULT_SHARED_SLOT_BYTES
        return _HEADER_BYTES + 4 * self.max_length  # UTF-8 needs at most 4 bytes per character

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.max_length == self.max_length  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__qualname__, self.max_length))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()" if self.max_length is None else f"{type(self).__name__}(max_length={self.max_length})"


# ------------------------------------------------------------------ Gymnasium vector support


class SharedTextBatch(Sequence[str]):
    """Live view of the strings an async vector env's workers wrote to shared memory.

    Gymnasium reads shared memory once, when the vector env starts, and relies on that object
    reflecting later writes (true of numpy views). This view decodes on every access; copying or
    pickling it gives a plain tuple of `str`.
    """

    def __init__(self, buffer: Any, n: int, slot: int) -> None:
        self._view = memoryview(buffer).cast("B")
        self._n = n
        self._slot = slot

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...
    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._n)))
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError(f"sub-environment index {index} out of range for {self._n} environments")
        start = index * self._slot
        size = int.from_bytes(self._view[start : start + _HEADER_BYTES], "little")
        body = start + _HEADER_BYTES
        return bytes(self._view[body : body + size]).decode("utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(self._n))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]  # the contents change

    def __copy__(self) -> tuple[str, ...]:
        return tuple(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> tuple[str, ...]:
        return tuple(self)

    def __reduce__(self) -> tuple[type, tuple[tuple[str, ...]]]:
        return tuple, (tuple(self),)

    def __repr__(self) -> str:
        return f"SharedTextBatch({tuple(self)!r})"


@create_shared_memory.register(TextSpace)
def _create_text_shared_memory(space: TextSpace, n: int = 1, ctx: ModuleType = multiprocessing) -> Any:
    return ctx.Array("B", n * space.shared_slot_bytes, lock=False)


@read_from_shared_memory.register(TextSpace)
def _read_text_from_shared_memory(space: TextSpace, shared_memory: Any, n: int = 1) -> SharedTextBatch:
    return SharedTextBatch(shared_memory, n, space.shared_slot_bytes)


@write_to_shared_memory.register(TextSpace)
def _write_text_to_shared_memory(space: TextSpace, index: int, value: str, shared_memory: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"a {space!r} observation must be a str, got {type(value).__name__}")
    data = value.encode("utf-8", "surrogatepass")
    slot = space.shared_slot_bytes
    if len(data) > slot - _HEADER_BYTES:
        raise ValueError(
            f"an observation of {len(data)} UTF-8 bytes does not fit the {slot - _HEADER_BYTES}-byte shared-memory slot "
            f"of {space!r}; pass vector_kwargs={{'shared_memory': False}} to make_vec, or give the env's "
            "observation space a larger max_length"
        )
    view = memoryview(shared_memory).cast("B")
    start = index * slot
    view[start : start + _HEADER_BYTES] = len(data).to_bytes(_HEADER_BYTES, "little")
    view[start + _HEADER_BYTES : start + _HEADER_BYTES + len(data)] = data


@create_empty_array.register(TextSpace)
def _create_empty_text_array(space: TextSpace, n: int = 1, fn: Any = np.zeros) -> tuple[str, ...]:
    return ("",) * n
