"""Host-side comparison: strict types, float tolerance only for numbers, stdio whitespace/number rules."""

from __future__ import annotations

import pytest

from vrgym.verifiers.code.compare import BadRecord, Opaque, decode_value, normalise_output, same_output, same_value


@pytest.mark.parametrize(
    ("expected", "got", "same"),
    [
        (3, 3, True),
        (3, 3.0, True),  # an integral float where an int is expected is the same number
        (0.1 + 0.2, 0.3, True),
        (1.0, 1.0 + 1e-3, False),
        (True, 1, False),  # True is not 1
        (1, True, False),
        (False, 0, False),
        (None, 0, False),
        (None, None, True),
        ("1", 1, False),
        ([1, [2, 3]], [1, [2, 3]], True),
        ([1, 2], [2, 1], False),
        ({"a": [1.0]}, {"a": [1]}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        (2**200 + 1, 2**200 + 1, True),
        (2**200 + 1, 2**200, False),  # huge ints exact: no float rounding
        (2**200, float(2**200), True),
        (1e308, 2**2000, False),  # an int beyond float range is not close to any float
        ([1], Opaque("A"), False),
    ],
)
def test_same_value(expected: object, got: object, same: bool) -> None:
    assert same_value(expected, got) is same


def test_unordered_lists_are_multisets() -> None:
    assert same_value([[1, 2], [3, 4]], [[3, 4], [1, 2]], unordered=True)
    assert not same_value([1, 1, 2], [1, 2, 2], unordered=True)
    assert same_value([0.30000000000000004, 1], [1, 0.3], unordered=True)  # float slack needs the matching pass
    assert not same_value([1, 2], [Opaque("x"), 1], unordered=True)


def test_decode_value_rebuilds_plain_data_only() -> None:
    assert decode_value({"$tuple": [1, {"$tuple": [2]}]}) == [1, [2]]
    assert decode_value({"$dict": [["a", 1]]}) == {"a": 1}
    assert decode_value({"$int": hex(3**5000)}) == 3**5000
    assert isinstance(decode_value({"$dict": [[1, 2]]}), Opaque)
    assert isinstance(decode_value({"$set": [1]}), Opaque)
    assert isinstance(decode_value({"$bad": "Liar"}), Opaque)
    nan = decode_value({"$float": "nan"})
    assert not same_value(1.0, nan)
    with pytest.raises(BadRecord):
        decode_value({"a": 1, "b": 2})
    with pytest.raises(BadRecord):
        decode_value({"$eval": "1"})


def test_output_normalisation() -> None:
    assert normalise_output("a  \r\nb\t\n\n\n") == ["a", "b"]
    assert same_output("1 2\n3\n", "1 2   \r\n3")
    assert not same_output("1 2\n3\n", "1 2 3\n")  # line structure matters
    assert not same_output("YES\n", "yes\n")
    assert not same_output("", "x")
    assert same_output("", "\n\n")


@pytest.mark.parametrize(
    ("expected", "got", "same"),
    [
        ("0.333333", "0.3333333333", True),
        ("0.5", "0.5000001", True),
        ("0.5", "0.51", False),
        ("10", "10.0", True),
        ("10", "11", False),
        ("123456789012345678901234567890", "123456789012345678901234567891", False),  # no float: exact digits
        ("1e3", "1000", True),
        ("nan", "nan", True),
        ("inf", "1e999999", False),
        ("1 a 2.0", "1  a 2", True),
        ("a b", "a  c", False),
    ],
)
def test_output_tokens(expected: str, got: str, same: bool) -> None:
    assert same_output(expected, got) is same


def test_huge_outputs_compare_quickly() -> None:
    import time

    start = time.perf_counter()
    text = " ".join(str(i) for i in range(200_000))
    assert same_output(text, text.replace(" ", "  "))
    assert not same_output(text, text[:-1] + "x")
    assert same_output("9" * 100_000, "9" * 100_000 + ".0")
    assert time.perf_counter() - start < 2.0


def test_tokens_whose_difference_overflows_are_unequal_not_an_error() -> None:
    assert not same_output("9.5e999999", "-9.5e999999")
