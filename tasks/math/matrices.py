"""`Matrices`: determinants, products, inverses, rank, linear systems, parameters and eigenvalues.

Why this template: matrix arithmetic is long, exact and error-prone (one sign in a cofactor, one
row operation), which makes it a good source of multi-step problems with a single checkable
answer; an inverse with fractional entries also exercises exact rational output.

Levels change the operation, not only the size:

* easy — a 2×2 determinant, a 2×2 product, a linear combination 2A − 3B;
* medium — a 3×3 determinant, a product of non-square matrices, the inverse of a 2×2 matrix;
* hard — the inverse of a 3×3 matrix (rational entries), the rank of a 3×4 matrix, solving a 3×3
  system, a determinant as a function of a parameter k;
* expert — a 4×4 determinant, the values of k that make A − kI singular (eigenvalues, built as
  A = P·D·P⁻¹), a power Aⁿ, and a determinant from determinant rules (det(c·A⁻¹·Bᵀ)).

All arithmetic is exact over `Fraction` (Gauss–Jordan elimination, written here); matrices are
built backwards where the answer needs a shape (a chosen rank, integer eigenvalues, a chosen
solution). Golds: `G.integer`/`G.rational`, `G.matrix`, `G.tuple` (x, y, z), `G.set`, and
`G.expression` in k for the parametric determinant.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import Field

from vrgym.registry import register
from vrgym.tasks.math._kinds import KindsConfig, KindTemplate, Made
from vrgym.verifiers.math import gold as G

Matrix = list[list[Fraction]]

NUMBER = "Give the exact value as an integer or a fraction in lowest terms."
MATRIX = (
    "Give the matrix in LaTeX as \\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix} (rows separated by \\\\, entries by &), "
    "with exact entries (integers or fractions such as \\frac{1}{2})."
)


class MatricesConfig(KindsConfig):
    """Which matrix operations a level asks for, and how large the entries are."""

    KINDS: ClassVar[tuple[str, ...]] = (
        "det2", "product2", "combination",
        "det3", "product_rect", "inverse2",
        "inverse3", "rank", "solve", "det_param",
        "det4", "eigenvalues", "power", "det_rules",
    )
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("det2", "product2", "combination"), entry=5),
        "medium": dict(kinds=("det3", "product_rect", "inverse2"), entry=6),
        "hard": dict(kinds=("inverse3", "rank", "solve", "det_param"), entry=5),
        "expert": dict(kinds=("det4", "eigenvalues", "power", "det_rules"), entry=4),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = ("det3", "product_rect", "inverse2")
    entry: int = Field(6, ge=2, le=20, description="Largest magnitude of a drawn matrix entry.")


# --------------------------------------------------------------------------------------- exact linear algebra


def random_matrix(rng: random.Random, rows: int, cols: int, bound: int) -> Matrix:
    """Integer entries in [-bound, bound], as Fractions."""
    return [[Fraction(rng.randint(-bound, bound)) for _ in range(cols)] for _ in range(rows)]


def multiply(a: Matrix, b: Matrix) -> Matrix:
    """The matrix product a·b (inner sizes must agree)."""
    if len(a[0]) != len(b):
        raise ValueError(f"cannot multiply {len(a)}×{len(a[0])} by {len(b)}×{len(b[0])}")
    return [[sum((x * y for x, y in zip(row, col)), Fraction(0)) for col in zip(*b)] for row in a]


def identity(n: int) -> Matrix:
    return [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]


def echelon(m: Matrix) -> tuple[Matrix, int, Fraction]:
    """Reduced row echelon form, the rank, and the determinant (square input; 0 when singular)."""
    rows = [row[:] for row in m]
    n_rows, n_cols = len(rows), len(rows[0])
    det, rank = Fraction(1), 0
    for col in range(n_cols):
        pivot = next((r for r in range(rank, n_rows) if rows[r][col] != 0), None)
        if pivot is None:
            det = Fraction(0)
            continue
        if pivot != rank:
            rows[rank], rows[pivot] = rows[pivot], rows[rank]
            det = -det
        p = rows[rank][col]
        det *= p
        rows[rank] = [x / p for x in rows[rank]]
        for r in range(n_rows):
            if r != rank and rows[r][col] != 0:
                f = rows[r][col]
                rows[r] = [x - f * y for x, y in zip(rows[r], rows[rank])]
        rank += 1
        if rank == n_rows:
            break
    return rows, rank, det if rank == n_rows == n_cols else Fraction(0)


def determinant(m: Matrix) -> Fraction:
    """Exact determinant by elimination."""
    return echelon(m)[2]


def inverse(m: Matrix) -> Matrix:
    """Exact inverse by Gauss–Jordan on [m | I] (ValueError if singular)."""
    n = len(m)
    reduced, rank, _ = echelon([row + ident for row, ident in zip(m, identity(n))])
    if rank < n or any(reduced[i][i] != 1 for i in range(n)):
        raise ValueError("the matrix is singular")
    return [row[n:] for row in reduced]


def rank_of(m: Matrix) -> int:
    return echelon(m)[1]


def latex_matrix(m: Matrix) -> str:
    """`\\begin{pmatrix} 1 & -2 \\\\ \\frac{1}{2} & 0 \\end{pmatrix}`."""
    return "\\begin{pmatrix} " + " \\\\ ".join(" & ".join(_entry(x) for x in row) for row in m) + " \\end{pmatrix}"


def _entry(x: Fraction) -> str:
    if x.denominator == 1:
        return str(x.numerator)
    return f"{'-' if x < 0 else ''}\\frac{{{abs(x.numerator)}}}{{{x.denominator}}}"


def rows_json(m: Matrix) -> list[list[str]]:
    """Plain-JSON entries ("-3", "1/2") of a matrix, kept in metadata so tests can recompute the answer."""
    return [[_s(x) for x in row] for row in m]


def matrix_gold(m: Matrix) -> dict[str, Any]:
    return G.matrix([[G.rational(x) for x in row] for row in m])


def _s(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _nonsingular(rng: random.Random, n: int, bound: int, max_det: int | None = None) -> tuple[Matrix, Fraction]:
    while True:
        m = random_matrix(rng, n, n, bound)
        d = determinant(m)
        if d and (max_det is None or abs(d) <= max_det):
            return m, d


def _cofactor_steps(m: Matrix) -> list[str]:
    """First-row cofactor expansion of a 3×3 determinant, written out."""
    (a, b, c), (d, e, f), (g, h, i) = m
    minors = (e * i - f * h, d * i - f * g, d * h - e * g)
    return [
        f"expand along the first row: {_s(a)}·({_s(e)}·{_s(i)} - {_s(f)}·{_s(h)}) - ({_s(b)})·({_s(d)}·{_s(i)} - {_s(f)}·{_s(g)}) "
        f"+ ({_s(c)})·({_s(d)}·{_s(h)} - {_s(e)}·{_s(g)})",
        f"= {_s(a)}·{_s(minors[0])} - ({_s(b)})·{_s(minors[1])} + ({_s(c)})·{_s(minors[2])} = {_s(a * minors[0] - b * minors[1] + c * minors[2])}",
    ]


# --------------------------------------------------------------------------------------- makers


def make_det2(rng: random.Random, config: MatricesConfig) -> Made:
    m = random_matrix(rng, 2, 2, config.entry)
    (a, b), (c, d) = m
    return Made(
        f"Compute the determinant of A = {latex_matrix(m)}.", G.rational(a * d - b * c), NUMBER,
        [f"ad - bc = {_s(a)}·{_s(d)} - ({_s(b)})·({_s(c)}) = {_s(a * d - b * c)}"], data={"a": rows_json(m)},
    )


def make_product2(rng: random.Random, config: MatricesConfig) -> Made:
    a, b = random_matrix(rng, 2, 2, config.entry), random_matrix(rng, 2, 2, config.entry)
    p = multiply(a, b)
    return Made(
        f"Let A = {latex_matrix(a)} and B = {latex_matrix(b)}. Compute the product AB.", matrix_gold(p), MATRIX,
        ["entry (i, j) is row i of A times column j of B", f"AB = {latex_matrix(p)}"],
        data={"a": rows_json(a), "b": rows_json(b)},
    )


def make_combination(rng: random.Random, config: MatricesConfig) -> Made:
    n = rng.randint(2, 3)
    a, b = random_matrix(rng, n, n, config.entry), random_matrix(rng, n, n, config.entry)
    s, t = rng.choice((2, 3, -2)), rng.choice((2, 3, -1, -3))
    c = [[s * x + t * y for x, y in zip(ra, rb)] for ra, rb in zip(a, b)]
    expr = f"{s}A {'+' if t > 0 else '-'} {abs(t) if abs(t) != 1 else ''}B"
    return Made(
        f"Let A = {latex_matrix(a)} and B = {latex_matrix(b)}. Compute {expr}.", matrix_gold(c), MATRIX,
        [f"entrywise: ({s})·a_ij + ({t})·b_ij", f"{expr} = {latex_matrix(c)}"],
        data={"a": rows_json(a), "b": rows_json(b), "s": s, "t": t},
    )


def make_det3(rng: random.Random, config: MatricesConfig) -> Made:
    m = random_matrix(rng, 3, 3, config.entry)
    d = determinant(m)
    return Made(
        f"Compute the determinant of A = {latex_matrix(m)}.", G.rational(d), NUMBER, _cofactor_steps(m),
        data={"a": rows_json(m)},
    )


def make_product_rect(rng: random.Random, config: MatricesConfig) -> Made:
    r, k = (2, 3) if rng.random() < 0.5 else (3, 2)
    a, b = random_matrix(rng, r, k, config.entry), random_matrix(rng, k, r, config.entry)
    p = multiply(a, b)
    return Made(
        f"Let A = {latex_matrix(a)} (a {r}×{k} matrix) and B = {latex_matrix(b)} (a {k}×{r} matrix). Compute AB.",
        matrix_gold(p), MATRIX, [f"AB is {r}×{r}; entry (i, j) is row i of A times column j of B", f"AB = {latex_matrix(p)}"],
        data={"a": rows_json(a), "b": rows_json(b)},
    )


def make_inverse2(rng: random.Random, config: MatricesConfig) -> Made:
    m, d = _nonsingular(rng, 2, config.entry)
    while abs(d) == 1 and rng.random() < 0.7:  # mostly fractional inverses
        m, d = _nonsingular(rng, 2, config.entry)
    (a, b), (c, e) = m
    inv = inverse(m)
    return Made(
        f"Find the inverse of A = {latex_matrix(m)}.", matrix_gold(inv), MATRIX,
        [f"det A = {_s(a)}·{_s(e)} - ({_s(b)})·({_s(c)}) = {_s(d)}", f"A⁻¹ = (1/{_s(d)})·{latex_matrix([[e, -b], [-c, a]])}",
         f"= {latex_matrix(inv)}"], data={"a": rows_json(m)},
    )


def make_inverse3(rng: random.Random, config: MatricesConfig) -> Made:
    m, d = _nonsingular(rng, 3, min(config.entry, 3), max_det=6)
    inv = inverse(m)
    return Made(
        f"Find the inverse of A = {latex_matrix(m)}.", matrix_gold(inv), MATRIX,
        [f"det A = {_s(d)}", "row-reduce [A | I] to [I | A⁻¹] (or adjugate / det)", f"A⁻¹ = {latex_matrix(inv)}"],
        data={"a": rows_json(m)},
    )


def make_rank(rng: random.Random, config: MatricesConfig) -> Made:
    rows, cols = 3, 4
    while True:
        r = rng.randint(1, 3)
        m = multiply(random_matrix(rng, rows, r, 2), random_matrix(rng, r, cols, 3))
        if rank_of(m) == r and max(abs(x) for row in m for x in row) <= 4 * config.entry:
            break
    return Made(
        f"What is the rank of the matrix {latex_matrix(m)}?", G.integer(r), "Give the rank as a single integer.",
        ["row-reduce to echelon form", f"{r} non-zero rows remain, so the rank is {r}"], data={"a": rows_json(m)},
    )


def make_solve(rng: random.Random, config: MatricesConfig) -> Made:
    m, d = _nonsingular(rng, 3, min(config.entry, 4))
    x = [Fraction(rng.randint(-5, 5)) for _ in range(3)]
    if abs(d) > 1 and rng.random() < 0.3:
        x[rng.randrange(3)] += Fraction(1, 2)
    b = [sum((a * v for a, v in zip(row, x)), Fraction(0)) for row in m]
    eqs = []
    for row, rhs in zip(m, b):
        terms = []
        for coef, var in zip(row, "xyz"):
            if coef:
                text = var if abs(coef) == 1 else f"{_s(abs(coef))}{var}"
                terms.append(("-" if coef < 0 else "") + text if not terms else ("- " if coef < 0 else "+ ") + text)
        eqs.append(f"{' '.join(terms) or '0'} = {_s(rhs)}")
    return Made(
        "Solve the system of equations\n" + "\n".join(eqs), G.tuple([G.rational(v) for v in x], names=["x", "y", "z"]),
        "Give the solution as an ordered triple (x, y, z) with exact values.",
        [f"the coefficient matrix has determinant {_s(d)} ≠ 0, so the solution is unique", "x = A⁻¹b by elimination",
         f"(x, y, z) = ({', '.join(map(_s, x))})"], data={"a": rows_json(m), "b": [_s(v) for v in b]},
    )


def _linear_in_k(slope: Fraction, intercept: Fraction) -> str:
    k = "k" if abs(slope) == 1 else f"{_s(abs(slope))}k"
    text = ("-" if slope < 0 else "") + k
    if intercept:
        text += f" {'-' if intercept < 0 else '+'} {_s(abs(intercept))}"
    return text


def make_det_param(rng: random.Random, config: MatricesConfig) -> Made:
    while True:
        m = random_matrix(rng, 3, 3, config.entry)
        i, j = rng.randrange(3), rng.randrange(3)
        at0 = [row[:] for row in m]
        at0[i][j] = Fraction(0)
        at1 = [row[:] for row in m]
        at1[i][j] = Fraction(1)
        intercept = determinant(at0)
        slope = determinant(at1) - intercept  # the determinant is linear in one entry
        if slope:
            break
    shown = "\\begin{pmatrix} " + " \\\\ ".join(
        " & ".join("k" if (r, c) == (i, j) else _entry(m[r][c]) for c in range(3)) for r in range(3)
    ) + " \\end{pmatrix}"
    latex = _linear_in_k(slope, intercept)
    return Made(
        f"Express the determinant of A = {shown} as a function of k.", G.expression(latex, variables=["k"]),
        "Give the determinant as a simplified expression in k, such as 3k - 7.",
        [f"the determinant is linear in the entry k: its coefficient is the cofactor of position ({i + 1}, {j + 1}) = {_s(slope)}",
         f"with k = 0 the determinant is {_s(intercept)}", f"det A = {latex}"],
        data={"a": rows_json(m), "position": [i, j]},
    )


def make_det4(rng: random.Random, config: MatricesConfig) -> Made:
    m = random_matrix(rng, 4, 4, min(config.entry, 3))
    for _ in range(rng.randint(2, 5)):  # zeros make expansion along a row or column worthwhile
        m[rng.randrange(4)][rng.randrange(4)] = Fraction(0)
    d = determinant(m)
    return Made(
        f"Compute the determinant of the 4×4 matrix A = {latex_matrix(m)}.", G.rational(d), NUMBER,
        ["row-reduce to upper triangular form, tracking swaps and pivots (or expand along the row with most zeros)",
         f"det A = {_s(d)}"], data={"a": rows_json(m)},
    )


def _unimodular(rng: random.Random, n: int) -> Matrix:
    """An integer matrix with determinant ±1 (a product of elementary row operations), so P⁻¹ is integer too."""
    p = identity(n)
    for _ in range(2 * n):
        i, j = rng.sample(range(n), 2)
        f = Fraction(rng.choice((-2, -1, 1, 2)))
        p[i] = [x + f * y for x, y in zip(p[i], p[j])]
    return p


def _root_factor(v: int) -> str:
    return f"(k - {v})" if v >= 0 else f"(k + {-v})"


def make_eigenvalues(rng: random.Random, config: MatricesConfig) -> Made:
    n = rng.randint(2, 3)
    while True:
        values = rng.sample(range(-config.entry, config.entry + 1), n)
        p = _unimodular(rng, n)
        d = [[Fraction(values[i]) if i == j else Fraction(0) for j in range(n)] for i in range(n)]
        a = multiply(multiply(p, d), inverse(p))
        if max(abs(x) for row in a for x in row) <= 6 * config.entry and any(a[i][j] for i in range(n) for j in range(n) if i != j):
            break
    return Made(
        f"Let A = {latex_matrix(a)}. Find all real numbers k for which the matrix A - kI is singular (I is the identity).",
        G.set([G.integer(v) for v in values]), "Give all such k as a set, such as \\{-2, 3\\}.",
        ["A - kI is singular exactly when det(A - kI) = 0: the eigenvalues of A",
         "the characteristic polynomial factors as " + " ".join(_root_factor(v) for v in sorted(values)),
         "k ∈ {" + ", ".join(map(str, sorted(values))) + "}"], data={"a": rows_json(a)},
    )


def make_power(rng: random.Random, config: MatricesConfig) -> Made:
    while True:
        a = random_matrix(rng, 2, 2, 2)
        n = rng.randint(3, 5)
        p = identity(2)
        for _ in range(n):
            p = multiply(p, a)
        if max(abs(x) for row in p for x in row) <= 500 and sum(1 for row in a for x in row if x) >= 3:
            break
    a2 = multiply(a, a)
    return Made(
        f"Let A = {latex_matrix(a)}. Compute A^{n}.", matrix_gold(p), MATRIX,
        [f"A² = {latex_matrix(a2)}", f"multiply by A {n - 2} more time{'s' if n > 3 else ''}", f"A^{n} = {latex_matrix(p)}"],
        data={"a": rows_json(a), "n": n},
    )


def make_det_rules(rng: random.Random, config: MatricesConfig) -> Made:
    n = rng.randint(2, 4)
    det_a = rng.choice([v for v in range(-6, 7) if v])
    det_b = rng.choice([v for v in range(-6, 7) if v])
    c = rng.choice((2, 3, -1, -2))
    value = Fraction(c) ** n * Fraction(det_b, det_a)
    return Made(
        f"A and B are {n}×{n} matrices with det A = {det_a} and det B = {det_b}. What is det({c}·A⁻¹·Bᵀ)?",
        G.rational(value), NUMBER,
        [f"det(cM) = cⁿ·det M for n = {n}: ({c})^{n} = {c ** n}", f"det(A⁻¹) = 1/{det_a}, det(Bᵀ) = {det_b}",
         f"det = {c ** n}·{det_b}/{det_a} = {_s(value)}"], data={"n": n, "det_a": det_a, "det_b": det_b, "c": c},
    )


@register
class Matrices(KindTemplate):
    """Exact matrix computations: determinants, products, inverses, rank, systems, eigenvalues."""

    name = "Matrices"
    version = 0
    tags = ("math/linear_algebra",)
    description = "Determinants (2x2 to 4x4, parametric), products, inverses, rank, systems, eigenvalues, powers."
    Config = MatricesConfig
    kind_tag = "math/linear_algebra"
    makers = {
        "det2": make_det2, "product2": make_product2, "combination": make_combination, "det3": make_det3,
        "product_rect": make_product_rect, "inverse2": make_inverse2, "inverse3": make_inverse3, "rank": make_rank,
        "solve": make_solve, "det_param": make_det_param, "det4": make_det4, "eigenvalues": make_eigenvalues,
        "power": make_power, "det_rules": make_det_rules,
    }
