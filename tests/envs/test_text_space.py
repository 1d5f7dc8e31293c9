"""TextSpace: membership, sampling, equality, pickling, and the shared-memory handlers."""

from __future__ import annotations

import copy
import multiprocessing
import pickle

import pytest
from gymnasium.vector.utils import (
    batch_space,
    create_empty_array,
    create_shared_memory,
    read_from_shared_memory,
    write_to_shared_memory,
)

from vrgym.envs import TextSpace
from vrgym.envs.text_space import SharedTextBatch, is_printable_text, to_printable_text


@pytest.mark.parametrize(
    "text", ["", "What is 1 + 2?", "é × π ≤ ∞", "line 1\nline 2\r\n\tindented", "中文 😀", "no\u00a0break", "a\u200db"]
)
def test_contains_printable_text(text: str) -> None:
    assert text in TextSpace()


@pytest.mark.parametrize(
    "value", ["nul\x00", "bell\x07", "esc\x1b[31m", "del\x7f", "c1\x85", "lone\ud800", b"bytes", 42, None, ["a"]]
)
def test_rejects_control_characters_surrogates_and_non_strings(value: object) -> None:
    assert value not in TextSpace()


def test_max_length_bounds_characters_not_bytes() -> None:
    space = TextSpace(max_length=3)
    assert "π×é" in space
    assert "abcd" not in space
    with pytest.raises(ValueError, match="max_length"):
        TextSpace(max_length=-1)


def test_sample_is_deterministic_printable_and_varied() -> None:
    first, second = TextSpace(seed=7), TextSpace(seed=7)
    samples = [first.sample() for _ in range(200)]
    assert samples == [second.sample() for _ in range(200)]
    assert all(s in first for s in samples)
    joined = "".join(samples)
    assert any(ord(c) > 127 for c in joined) and "\n" in joined and " " in joined
    assert len(set(samples)) > 190
    assert all(len(s) <= 5 for s in (TextSpace(max_length=5, seed=1).sample() for _ in range(50)))


def test_sample_rejects_masks() -> None:
    with pytest.raises(ValueError, match="mask"):
        TextSpace().sample(mask=1)


def test_equality_hash_repr_and_flags() -> None:
    assert TextSpace() == TextSpace(seed=3) and hash(TextSpace()) == hash(TextSpace(seed=3))
    assert TextSpace(10) == TextSpace(10) and TextSpace(10) != TextSpace() and TextSpace() != "TextSpace()"
    assert repr(TextSpace()) == "TextSpace()" and repr(TextSpace(8)) == "TextSpace(max_length=8)"
    assert TextSpace().is_np_flattenable is False
    assert TextSpace().to_jsonable(("a", "é")) == ["a", "é"] and TextSpace().from_jsonable(["a"]) == ["a"]


def test_pickle_keeps_equality_and_rng_state() -> None:
    space = TextSpace(max_length=50, seed=11)
    space.sample()
    clone = pickle.loads(pickle.dumps(space))
    assert clone == space
    assert [clone.sample() for _ in range(5)] == [space.sample() for _ in range(5)]


def test_batch_space_is_a_tuple_of_text_spaces() -> None:
    batched = batch_space(TextSpace(), 3)
    assert len(batched.spaces) == 3 and all(s == TextSpace() for s in batched.spaces)
    assert create_empty_array(TextSpace(), n=2) == ("", "")


def test_shared_memory_round_trip_is_live() -> None:
    space, n = TextSpace(), 3
    memory = create_shared_memory(space, n=n, ctx=multiprocessing.get_context())
    view = read_from_shared_memory(space, memory, n=n)
    assert isinstance(view, SharedTextBatch) and tuple(view) == ("", "", "")
    texts = ["Calculez é × π\n😀", "", "x" * 1000]
    for index, text in enumerate(texts):
        write_to_shared_memory(space, index, text, memory)
    assert tuple(view) == tuple(texts) and view == tuple(texts) and view[-1] == texts[-1] and view[:2] == tuple(texts[:2])
    snapshot = copy.deepcopy(view)
    assert type(snapshot) is tuple and snapshot == tuple(texts)
    assert pickle.loads(pickle.dumps(view)) == tuple(texts)
    write_to_shared_memory(space, 1, "changed", memory)
    assert view[1] == "changed" and snapshot[1] == ""  # the view is live, the copy is not


def test_shared_memory_slot_overflow_says_what_to_do() -> None:
    space = TextSpace(max_length=4)
    memory = create_shared_memory(space, n=1, ctx=multiprocessing.get_context())
    write_to_shared_memory(space, 0, "😀😀😀😀", memory)  # 4 characters of 4 bytes each fit
    assert read_from_shared_memory(space, memory, n=1)[0] == "😀😀😀😀"
    with pytest.raises(ValueError, match="shared_memory"):
        write_to_shared_memory(space, 0, "x" * 17, memory)


def test_to_printable_text_replaces_only_rejected_characters() -> None:
    assert to_printable_text("ok é\n\x00\x1b") == "ok é\n\ufffd\ufffd"
    assert is_printable_text(to_printable_text("lone\udfff"))
