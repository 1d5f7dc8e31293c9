"""Pass@k estimators and confidence intervals from raw counts: n samples, c of them correct.

Everything here is derived from the two integers a difficulty-filter run stores per problem, so a
new threshold or a new k never needs new samples. Pure Python (``math`` and ``statistics``); no
scipy, so the core stays light.

* `pass_at_1(n, c)`           — c/n, the unbiased estimate of p (one sample correct);
* `pass_at_k(n, c, k)`        — the unbiased estimator of 1 − (1−p)^k of Chen et al. (2021),
                                1 − C(n−c, k)/C(n, k), as a running product (no big binomials);
* `pass_pow_k(n, c, k)`       — pass^k: the unbiased estimator of p^k, C(c, k)/C(n, k);
* `informative_at_g(n, c, g)` — the unbiased estimator of 1 − p^G − (1−p)^G, the chance that a
                                GRPO group of G rollouts has both outcomes (a non-zero gradient):
                                pass@G − pass^G. `informative_probability(p, g)` is the same
                                quantity for a known p (the plug-in with p = c/n is biased low);
* `wilson_interval(n, c)`     — the Wilson score interval (closed form);
* `beta_interval(n, c)`       — equal-tailed Beta-posterior interval; the default prior
                                Beta(½, ½) gives the Jeffreys interval.

The Beta quantile comes from the regularized incomplete beta function I_x(a, b), evaluated with
its continued fraction (DLMF 8.17.22) by the modified Lentz method, and inverted by Newton steps
kept inside a shrinking bisection bracket; results agree with exact binomial sums to ~1e-12
(property-tested in tests/filter/test_passk.py). k > n raises ValueError: pass@k cannot be
estimated without bias from fewer than k samples, and silently clamping k is a common bug.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

__all__ = [
    "beta_cdf",
    "beta_interval",
    "beta_quantile",
    "informative_at_g",
    "informative_probability",
    "interval",
    "pass_at_1",
    "pass_at_k",
    "pass_pow_k",
    "wilson_interval",
]

INTERVAL_METHODS = ("wilson", "jeffreys")
_EPS = 1e-15
_TINY = 1e-300
_MAX_TERMS = 10_000


def _check_counts(n: int, c: int) -> None:
    """ValueError unless 0 <= c <= n are integers (bools refused: they are a bug at the call site)."""
    for name, value in (("n", n), ("c", c)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an integer count, got {value!r}")
    if n < 0 or not 0 <= c <= n:
        raise ValueError(f"counts must satisfy 0 <= c <= n, got n={n}, c={c}")


def _check_k(n: int, k: int, what: str = "k") -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"{what} must be a positive integer, got {k!r}")
    if k > n:
        raise ValueError(
            f"{what}={k} exceeds the number of samples n={n}: the estimator needs n >= {what}; "
            f"draw at least {k} samples per problem or use a smaller {what}"
        )


def pass_at_1(n: int, c: int) -> float:
    """c/n: the fraction of correct samples (ValueError for n = 0: nothing was measured)."""
    _check_counts(n, c)
    if n == 0:
        raise ValueError("pass@1 needs at least one scored sample (n=0)")
    return c / n


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k = 1 − C(n−c, k)/C(n, k), computed as 1 − ∏_{i=n−c+1}^{n} (1 − k/i).

    The product has c factors in (0, 1], so it neither overflows nor loses precision the way a
    ratio of large binomials in floating point does. Exactly 1.0 when n − c < k, 0.0 when c = 0.
    """
    _check_counts(n, c)
    _check_k(n, k)
    if n - c < k:
        return 1.0
    product = 1.0
    for i in range(n - c + 1, n + 1):
        product *= 1.0 - k / i
    return 1.0 - product


def pass_pow_k(n: int, c: int, k: int) -> float:
    """Unbiased pass^k (all of k samples correct) = C(c, k)/C(n, k) = ∏_{i<k} (c−i)/(n−i)."""
    _check_counts(n, c)
    _check_k(n, k)
    if c < k:
        return 0.0
    product = 1.0
    for i in range(k):
        product *= (c - i) / (n - i)
    return product


def informative_at_g(n: int, c: int, g: int) -> float:
    """Unbiased estimate of P(a group of `g` rollouts has both a success and a failure).

    Equals pass@g − pass^g (a difference of unbiased estimators, hence unbiased). It is the share
    of GRPO groups of size g that carry a non-zero advantage, which is what "useful for RL" means.
    """
    _check_counts(n, c)
    _check_k(n, g, "g")
    return min(1.0, max(0.0, pass_at_k(n, c, g) - pass_pow_k(n, c, g)))


def informative_probability(p: float, g: int) -> float:
    """1 − p^g − (1−p)^g for a known success probability `p` (population value, not an estimate)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    if isinstance(g, bool) or not isinstance(g, int) or g < 1:
        raise ValueError(f"g must be a positive integer, got {g!r}")
    return min(1.0, max(0.0, 1.0 - p**g - (1.0 - p) ** g))


def _check_level(level: float) -> float:
    if not 0.0 < level < 1.0:
        raise ValueError(f"the confidence level must be between 0 and 1 (e.g. 0.95), got {level!r}")
    return (1.0 - level) / 2.0


@lru_cache(maxsize=4096)
def wilson_interval(n: int, c: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for p; (0.0, 1.0) when n = 0. Exactly 0 at c = 0 and 1 at c = n."""
    _check_counts(n, c)
    alpha = _check_level(level)
    if n == 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(1.0 - alpha)
    p = c / n
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1.0 - p) / n + z2 / (4 * n * n)) / denominator
    low = 0.0 if c == 0 else max(0.0, centre - half)
    high = 1.0 if c == n else min(1.0, centre + half)
    return low, high


@lru_cache(maxsize=4096)
def beta_interval(
    n: int, c: int, level: float = 0.95, prior: tuple[float, float] = (0.5, 0.5)
) -> tuple[float, float]:
    """Equal-tailed interval of the posterior Beta(a + c, b + n − c) under the prior Beta(a, b).

    The default prior (½, ½) gives the Jeffreys interval. As Brown, Cai and DasGupta (2001)
    recommend for it, the lower bound is 0 when c = 0 and the upper bound 1 when c = n (the
    equal-tailed bound there would exclude the observed extreme). (0.0, 1.0) when n = 0.
    """
    _check_counts(n, c)
    alpha = _check_level(level)
    a0, b0 = prior
    if not (a0 > 0 and b0 > 0):
        raise ValueError(f"the Beta prior needs positive parameters, got {prior!r}")
    if n == 0:
        return 0.0, 1.0
    a, b = a0 + c, b0 + n - c
    low = 0.0 if c == 0 else beta_quantile(alpha, a, b)
    high = 1.0 if c == n else beta_quantile(1.0 - alpha, a, b)
    return low, high


def interval(n: int, c: int, method: str = "wilson", level: float = 0.95) -> tuple[float, float]:
    """The confidence interval for p by name: 'wilson' or 'jeffreys'."""
    if method == "wilson":
        return wilson_interval(n, c, level)
    if method == "jeffreys":
        return beta_interval(n, c, level)
    raise ValueError(f"unknown interval method {method!r}; choose one of {', '.join(INTERVAL_METHODS)}")


# ----------------------------------------------------------------------------- Beta distribution


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _beta_fraction(x: float, a: float, b: float) -> float:
    """Continued fraction of I_x(a, b) (DLMF 8.17.22), by the modified Lentz method.

    Converges fast for x < (a + 1)/(a + b + 2); `beta_cdf` uses the symmetry
    I_x(a, b) = 1 − I_{1−x}(b, a) to stay in that region.
    """
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_TERMS):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            step = d * c
            h *= step
        if abs(step - 1.0) < _EPS:
            break
    return h


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b): P(X <= x) for X ~ Beta(a, b)."""
    if a <= 0 or b <= 0:
        raise ValueError(f"Beta parameters must be positive, got a={a!r}, b={b!r}")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = a * math.log(x) + b * math.log1p(-x) - _log_beta(a, b)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(x, a, b) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(1.0 - x, b, a) / b


def _beta_log_pdf(x: float, a: float, b: float) -> float:
    return (a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - _log_beta(a, b)


def _split(lo: float, hi: float) -> float:
    """A bisection point of [lo, hi]: geometric near 0 so that tiny quantiles (1e-24) are reached fast."""
    if lo == 0.0:
        return hi / 16.0
    if hi > 4.0 * lo:
        return math.sqrt(lo * hi)
    return (lo + hi) / 2.0


def beta_quantile(q: float, a: float, b: float) -> float:
    """The x with I_x(a, b) = q: Newton steps on the CDF, kept inside a bisection bracket.

    The bracket [lo, hi] always contains the root and shrinks with every evaluation; a Newton
    step that leaves it (near the steep ends of the density) is replaced by bisection, so the
    search converges for any a, b > 0 (bisection is geometric near 0, so quantiles as small as 1e-24
    are found too), typically in under 10 CDF evaluations.
    """
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"q must be a probability in [0, 1], got {q!r}")
    if a <= 0 or b <= 0:
        raise ValueError(f"Beta parameters must be positive, got a={a!r}, b={b!r}")
    if q == 0.0:
        return 0.0
    if q == 1.0:
        return 1.0
    lo, hi = 0.0, 1.0
    x = min(max(a / (a + b), 1e-6), 1.0 - 1e-6)
    tolerance = 1e-13 * min(q, 1.0 - q)
    for _ in range(400):
        error = beta_cdf(x, a, b) - q
        if error > 0:
            hi = x
        else:
            lo = x
        if abs(error) <= tolerance or hi - lo <= 4e-16 * hi:
            break
        log_pdf = _beta_log_pdf(x, a, b) if 0.0 < x < 1.0 else math.inf
        candidate = x - error / math.exp(log_pdf) if -700.0 < log_pdf < 700.0 else math.inf  # no under/overflow
        x = candidate if lo < candidate < hi else _split(lo, hi)
    else:
        return x
    if abs(error) <= tolerance:
        return x
    return _best_double(q, a, b, lo, hi)


def _best_double(q: float, a: float, b: float, lo: float, hi: float) -> float:
    """The double in the final bracket [lo, hi] whose CDF is closest to q.

    The loop stops once the bracket is a few ulps wide; where the CDF is steep (b < 1 near x = 1)
    one ulp moves it by ~1e-10, so pick the best of those few doubles instead of either end.
    """
    best, best_error = lo, abs(beta_cdf(lo, a, b) - q)
    x = lo
    for _ in range(32):
        x = math.nextafter(x, 1.0)
        if x > hi:
            break
        error = abs(beta_cdf(x, a, b) - q)
        if error < best_error:
            best, best_error = x, error
    return best
