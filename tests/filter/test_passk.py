"""Estimators of vrgym.passk against brute force: enumeration of subsets, exact binomial sums."""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrgym.passk import (
    beta_cdf,
    beta_interval,
    beta_quantile,
    informative_at_g,
    informative_probability,
    interval,
    pass_at_1,
    pass_at_k,
    pass_pow_k,
    wilson_interval,
)


@st.composite
def counts_and_k(draw: st.DrawFn, max_n: int = 12) -> tuple[int, int, int]:
    n = draw(st.integers(1, max_n))
    return n, draw(st.integers(0, n)), draw(st.integers(1, n))


def subsets(n: int, c: int, k: int) -> list[tuple[int, ...]]:
    """Every k-subset of n outcomes of which the first c are successes (1)."""
    outcomes = [1] * c + [0] * (n - c)
    return [tuple(outcomes[i] for i in chosen) for chosen in itertools.combinations(range(n), k)]


@settings(max_examples=200, deadline=None)
@given(counts_and_k())
def test_pass_at_k_is_the_share_of_k_subsets_with_a_success(case: tuple[int, int, int]) -> None:
    n, c, k = case
    groups = subsets(n, c, k)
    expected = Fraction(sum(any(g) for g in groups), len(groups))
    assert pass_at_k(n, c, k) == pytest.approx(float(expected), abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(counts_and_k())
def test_pass_pow_k_and_informative_at_g_against_subsets(case: tuple[int, int, int]) -> None:
    n, c, k = case
    groups = subsets(n, c, k)
    all_right = Fraction(sum(all(g) for g in groups), len(groups))
    mixed = Fraction(sum(any(g) and not all(g) for g in groups), len(groups))
    assert pass_pow_k(n, c, k) == pytest.approx(float(all_right), abs=1e-12)
    assert informative_at_g(n, c, k) == pytest.approx(float(mixed), abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10), st.integers(1, 10), st.fractions(0, 1))
def test_estimators_are_unbiased_over_the_binomial(n: int, k: int, p: Fraction) -> None:
    """E[estimator] over c ~ Binomial(n, p) equals the population value (exactly, for k <= n)."""
    if k > n:
        return
    p_float = float(p)
    weights = [math.comb(n, c) * p_float**c * (1 - p_float) ** (n - c) for c in range(n + 1)]
    assert sum(w * pass_at_k(n, c, k) for c, w in enumerate(weights)) == pytest.approx(1 - (1 - p_float) ** k, abs=1e-9)
    assert sum(w * pass_pow_k(n, c, k) for c, w in enumerate(weights)) == pytest.approx(p_float**k, abs=1e-9)
    assert sum(w * informative_at_g(n, c, k) for c, w in enumerate(weights)) == pytest.approx(
        informative_probability(p_float, k), abs=1e-9
    )


def test_known_values_and_stability() -> None:
    assert pass_at_k(16, 1, 4) == pytest.approx(0.25)
    assert pass_at_k(16, 8, 8) == pytest.approx(0.999922, abs=1e-6)
    assert pass_at_k(200, 3, 100) == pytest.approx(0.876884, abs=1e-6)
    assert pass_at_k(2000, 1, 1000) == pytest.approx(0.5)
    assert pass_at_k(100_000, 50_000, 50_000) == 1.0
    assert pass_at_k(10, 0, 3) == 0.0 and pass_at_k(10, 8, 3) == 1.0
    assert pass_at_1(16, 4) == 0.25


@pytest.mark.parametrize(
    "call",
    [
        lambda: pass_at_k(4, 1, 5),
        lambda: pass_pow_k(4, 1, 5),
        lambda: informative_at_g(4, 1, 8),
        lambda: pass_at_k(4, 5, 1),
        lambda: pass_at_k(4, -1, 1),
        lambda: pass_at_k(4, 1, 0),
        lambda: pass_at_1(0, 0),
        lambda: pass_at_k(True, 0, 1),
        lambda: wilson_interval(4, 1, 1.5),
        lambda: interval(4, 1, "bogus"),
    ],
)
def test_bad_arguments_raise_value_error(call) -> None:
    with pytest.raises(ValueError):
        call()


def test_k_above_n_says_what_to_do() -> None:
    with pytest.raises(ValueError, match=r"k=5 exceeds the number of samples n=4.*at least 5 samples"):
        pass_at_k(4, 2, 5)


@pytest.mark.parametrize(
    ("n", "c", "wilson", "jeffreys"),
    [  # 95 % bounds as tabulated with scipy in research/passk_filtering.md §1.3
        (8, 0, (0, 0.324), (0, 0.262)),
        (8, 4, (0.215, 0.785), (0.199, 0.801)),
        (16, 1, (0.011, 0.283), (0.007, 0.257)),
        (16, 16, (0.806, 1), (0.857, 1)),
        (64, 0, (0, 0.057), (0, 0.038)),
    ],
)
def test_intervals_match_reference_tables(n: int, c: int, wilson: tuple[float, float], jeffreys: tuple[float, float]) -> None:
    assert wilson_interval(n, c) == pytest.approx(wilson, abs=6e-4)
    assert beta_interval(n, c) == pytest.approx(jeffreys, abs=6e-4)
    assert interval(n, c, "jeffreys") == beta_interval(n, c)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 200).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_intervals_contain_the_estimate_and_widen_with_level(case: tuple[int, int], level: float) -> None:
    n, c = case
    for method in ("wilson", "jeffreys"):
        lo, hi = interval(n, c, method, level)
        assert 0.0 <= lo <= hi <= 1.0
        if n:
            assert lo <= c / n <= hi
            wider = interval(n, c, method, min(0.999, level + 0.009))
            assert wider[0] <= lo + 1e-12 and wider[1] >= hi - 1e-12
    assert interval(0, 0) == (0.0, 1.0)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.floats(0.001, 0.999))
def test_beta_cdf_equals_the_binomial_tail_for_integer_parameters(a: int, b: int, x: float) -> None:
    """I_x(a, b) = P(Binomial(a+b−1, x) >= a) for integers a, b: an exact sum to compare with."""
    m = a + b - 1
    tail = math.fsum(math.comb(m, j) * x**j * (1 - x) ** (m - j) for j in range(a, m + 1))
    assert beta_cdf(x, a, b) == pytest.approx(tail, abs=1e-11)


@pytest.mark.parametrize(("a", "b", "x"), [(0.5, 0.5, 0.3), (0.5, 8.5, 0.1), (4.5, 4.5, 0.6), (1.5, 30.5, 0.02), (2.5, 1.5, 0.9)])
def test_beta_cdf_half_integer_parameters_against_mpmath(a: float, b: float, x: float) -> None:
    mpmath = pytest.importorskip("mpmath")  # installed with sympy; an independent arbitrary-precision reference
    assert beta_cdf(x, a, b) == pytest.approx(float(mpmath.betainc(a, b, 0, x, regularized=True)), abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(st.floats(0.5, 2000), st.floats(0.5, 2000), st.floats(1e-9, 1 - 1e-9))
def test_beta_quantile_inverts_the_cdf(a: float, b: float, q: float) -> None:
    """I_x(a, b) = q to 1e-9, or x is the best double: q lies between the CDF at its neighbours."""
    x = beta_quantile(q, a, b)
    assert 0.0 <= x <= 1.0
    if abs(beta_cdf(x, a, b) - q) > 1e-9:
        assert beta_cdf(math.nextafter(x, 0.0), a, b) <= q <= beta_cdf(math.nextafter(x, 1.0), a, b)


def test_beta_quantile_is_the_best_double_where_the_cdf_is_steep() -> None:
    """Near x = 1 with b < 1 one ulp moves the CDF by ~4e-10: the answer must still be the best double."""
    q, a, b = 0.99999, 53.0, 0.5
    x = beta_quantile(q, a, b)
    assert beta_cdf(math.nextafter(x, 0.0), a, b) <= q <= beta_cdf(math.nextafter(x, 1.0), a, b)


def test_beta_quantile_reaches_tiny_values() -> None:
    assert beta_quantile(1e-6, 0.25, 1.0) == pytest.approx(1e-24, rel=1e-9)  # I_x(1/4, 1) = x^(1/4)
    assert beta_quantile(0.5, 1.0, 1.0) == pytest.approx(0.5)


def test_informative_probability_matches_simulation_bias_note() -> None:
    """The plug-in 1 − p̂^G − (1−p̂)^G is biased low; the count estimator is not (research §1.1)."""
    rng = random.Random(0)
    n, g, p = 32, 8, 0.05
    draws = [sum(rng.random() < p for _ in range(n)) for _ in range(20_000)]
    unbiased = sum(informative_at_g(n, c, g) for c in draws) / len(draws)
    plug_in = sum(informative_probability(c / n, g) for c in draws) / len(draws)
    truth = informative_probability(p, g)
    assert abs(unbiased - truth) < 0.01
    assert plug_in < truth - 0.02
