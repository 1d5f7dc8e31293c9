"""Procedural code templates: every kind's reference passes, a plausible wrong solution per kind fails,
naive solutions time out at expert, prompts vary, and hidden tests outnumber the shown examples.

Wrong solutions are *mutants* of the kind's own reference source (an off-by-one, a missed edge
case, an ignored twist): each must change some hidden expected output (checked host side with the
oracle, fast) and then really score 0 through the sandbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.code._procedural import oracle
from vrgym.verifiers.code.driver import generated

TEMPLATES = ("CodeStrings", "CodeArrays", "CodeNumberTheory", "CodeParsing", "CodeSimulation", "CodeStdioAlgorithms")


def swap(a: str, b: str) -> Callable[[str], str]:
    """A mutant that exchanges two spellings (a flipped rule: touching allowed ↔ not, wrap ↔ block)."""
    return lambda src: src.replace(a, "\0").replace(b, a).replace("\0", b)


def replace(*pairs: tuple[str, str]) -> Callable[[str], str]:
    """A mutant that applies every (old, new) replacement that occurs in the source."""

    def mutate(src: str) -> str:
        for old, new in pairs:
            src = src.replace(old, new)
        return src

    return mutate


def digit_sum_mutant(src: str) -> str:
    base = re.search(r"divmod\(n, (\d+)\)", src).group(1)  # type: ignore[union-attr]
    return src.replace("while n:", f"while n >= {base}:")  # forgets the leading digit


MUTANTS: dict[tuple[str, str], Callable[[str], str]] = {
    ("CodeStrings", "rle"): replace(("else str(j - i)", "else str(j - i)[-1]")),
    ("CodeStrings", "caesar"): replace(('elif "A" <= ch <= "Z"', 'elif "A" <= ch < "Z"')),
    ("CodeStrings", "vigenere"): replace(("len(key)]) - 97", "len(key)]) - 96")),
    ("CodeStrings", "palindrome"): replace(("return chars == chars[::-1]", "return chars[: len(chars) // 2 - 1] == chars[::-1][: len(chars) // 2 - 1]")),
    ("CodeStrings", "brackets"): replace(("return not stack", "return True"), ("return (len(s) if stack else -1)", "return -1")),
    ("CodeStrings", "top_k"): replace(("text.lower()", "text")),
    ("CodeStrings", "anagram_groups"): replace(("len(group) >=", "len(group) >")),
    ("CodeStrings", "longest_window"): replace(("right - left + 1", "right - left")),
    ("CodeArrays", "rotate"): replace(("k % len(items)", "k")),
    ("CodeArrays", "stable_partition"): replace(("return front + back", "return front + sorted(back)")),
    ("CodeArrays", "kth_smallest"): replace(("1 <= k <=", "0 <= k <=")),
    ("CodeArrays", "merge_intervals"): replace(("merged[-1][1] = max(merged[-1][1], end)", "merged[-1][1] = end")),
    ("CodeArrays", "max_subarray"): replace(("for x in values:", "for x in values[:-1]:")),
    ("CodeArrays", "range_sums"): replace(("prefix[left + ", "prefix[left + 1 + ")),
    ("CodeArrays", "pair_count"): replace(("seen = {}", "seen = {0: 1}")),
    ("CodeArrays", "window_extreme"): replace(("if i >= k - 1:", "if i >= k:")),
    ("CodeNumberTheory", "gcd_lcm"): replace(("abs(x)", "x")),
    ("CodeNumberTheory", "digit_sum"): digit_sum_mutant,
    ("CodeNumberTheory", "count_primes"): replace(("sum(sieve[max(low, 0) :])", "sum(sieve[max(low, 0) : high])")),
    ("CodeNumberTheory", "mod_pow"): replace(("while exponent:", "while exponent > 1:")),
    ("CodeNumberTheory", "stair_ways"): replace(("if s <= i", "if s < i")),
    ("CodeNumberTheory", "grid_paths"): replace(("(ways[r - 1][c] if r else 0)", "(ways[r - 1][c] if r > 1 else 0)")),
    ("CodeNumberTheory", "divisor_pairs"): replace(("while d <= n:", "while d < n:")),
    ("CodeParsing", "roman"): replace(('return total if 1 <= total <= 3999 and "".join(canonical) == text else 0', "return total"),
                                      ("if not 1 <= n <= 3999:", "if n < 1:")),
    ("CodeParsing", "duration"): replace(("and ch not in used", "")),
    ("CodeParsing", "version_compare"): replace(('parts = [int(p) for p in core.split(".")]', 'parts = core.split(".")')),
    ("CodeParsing", "csv_fields"): replace(("if ch == '\"' and line", "if False and line"), ("if ch == \"'\" and line", "if False and line")),
    ("CodeParsing", "expression"): swap("while True and position", "while False and position"),
    ("CodeSimulation", "robot"): replace(("seen = {(0, 0)}", "seen = set()")),
    ("CodeSimulation", "ledger"): replace(("for name in sorted(balance)", "for name in balance")),
    ("CodeSimulation", "round_robin"): replace(("run = min(quantum, job[1])", "run = quantum"), ("if job[1]:", "if job[1] > 0:")),
    ("CodeSimulation", "life"): swap("if True:", "if False:"),
    ("CodeStdioAlgorithms", "range_queries"): replace(("prefix[left - 1]", "prefix[left]")),
    ("CodeStdioAlgorithms", "grid_path"): swap("if True else []", "if False else []"),
    ("CodeStdioAlgorithms", "interval_scheduling"): swap("start >= last", "start > last"),
}


def problem_of(task: str, kind: str, level: str | None = None, seed: int = 0) -> Problem:
    """The first problem of `kind` at the easiest level that has it (or at `level`)."""
    template = vrgym.get_template(task)
    levels = [level] if level else [name for name in template.Config.level_names() if kind in template.config(name).kinds]
    for index in range(200):
        problem = template.generate(seed, index, difficulty=levels[0])
        if problem.metadata["kind"] == kind:
            return problem
    raise AssertionError(f"no {kind} problem among 200 of {task} at {levels[0]}")


def host_outputs(problem: Problem, source: str) -> list[object]:
    """What `source` (a trusted mutant of our reference) returns on every hidden test, run on the host."""
    spec = problem.answer
    inputs = [generated(test["generator"]) if "generator" in test else test.get("args", test.get("stdin")) for test in spec["tests"]]
    if spec["kind"] == "call":
        function = oracle(source, spec["entry_point"])
        return [function(*args) for args in inputs]
    solve = oracle(source.split("\n\nimport sys\n")[0], "solve")
    return [solve(text) for text in inputs]


def code_response(source: str) -> str:
    return f"Here it is.\n\n```python\n{source.strip()}\n```\n"


def test_every_kind_has_a_mutant() -> None:
    kinds = {(task, kind) for task in TEMPLATES for kind in vrgym.get_template(task).Config.KINDS}
    assert kinds == set(MUTANTS)


@pytest.mark.parametrize(("task", "kind"), sorted(MUTANTS))
def test_reference_passes_and_plausible_wrong_solution_fails(task: str, kind: str) -> None:
    problem = problem_of(task, kind)
    template = vrgym.get_template(task)
    solution = problem.metadata["solution"]
    reloaded = Problem.from_json(problem.to_json())
    assert template.verify(reloaded, template.reference_response(problem)).reward == 1
    mutant = MUTANTS[(task, kind)](solution)
    assert mutant != solution, "the mutant did not apply: the reference source changed; update MUTANTS"
    expected = [t["expected"] for t in problem.answer["tests"]]
    assert host_outputs(problem, mutant) != expected, "the hidden tests do not catch this mutant"
    verdict = template.verify(reloaded, code_response(mutant))
    assert (verdict.reward, verdict.reason) == (0, "wrong_answer"), verdict


NAIVE: dict[tuple[str, str], str] = {
    ("CodeArrays", "pair_count"): """
def ENTRY(values):
    total = 0
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            if RELATION:
                total += 1
    return total
""",
    ("CodeArrays", "window_extreme"): """
def ENTRY(values, k):
    return [EXTREME(values[i : i + k]) for i in range(len(values) - k + 1)]
""",
    ("CodeNumberTheory", "count_primes"): """
def ENTRY(low, high):
    def prime(n):
        if n < 2:
            return False
        d = 2
        while d * d <= n:
            if n % d == 0:
                return False
            d += 1
        return True
    return sum(prime(n) for n in range(max(low, 0), high + 1))
""",
    ("CodeStdioAlgorithms", "range_queries"): """
import sys
tokens = sys.stdin.read().split()
position, out = 1, []
for _ in range(int(tokens[0])):
    n, q = int(tokens[position]), int(tokens[position + 1])
    values = [int(x) for x in tokens[position + 2 : position + 2 + n]]
    position += 2 + n
    for _ in range(q):
        left, right = int(tokens[position]), int(tokens[position + 1])
        position += 2
        acc = 0
        for x in values[left - 1 : right]:
            acc = OP
        out.append(str(acc))
print("\\n".join(out))
""",
}


@pytest.mark.parametrize(("task", "kind"), sorted(NAIVE))
def test_naive_quadratic_solution_times_out_at_expert(task: str, kind: str) -> None:
    problem = problem_of(task, kind, level="expert")
    template = vrgym.get_template(task)
    spec, solution = problem.answer, problem.metadata["solution"]
    naive = NAIVE[(task, kind)].replace("ENTRY", str(spec.get("entry_point")))
    if "RELATION" in naive:  # pair_count: the seed's relation, read back from the reference
        sum_relation = re.search(r"seen\.get\((-?\d+) - x, 0\)", solution)
        if sum_relation:
            naive = naive.replace("RELATION", f"values[i] + values[j] == {sum_relation.group(1)}")
        else:
            target = re.search(r"seen\.get\(x - (\d+), 0\)", solution).group(1)  # type: ignore[union-attr]
            naive = naive.replace("RELATION", f"abs(values[i] - values[j]) == {target}")
    naive = naive.replace("OP", "acc ^ x" if "prefix[-1] ^" in solution else "acc + x")
    naive = naive.replace("EXTREME", "max" if "values[window[-1]] <=" in solution else "min")  # C-speed, still O(n·k)
    assert spec["limits"] is not None and spec["limits"]["cpu_seconds"] <= 3 and spec["test_seconds"] <= 3
    small = Problem.model_validate({**problem.model_dump(mode="json"), "answer": {**spec, "tests": spec["tests"][:-1]}})
    assert template.verify(small, code_response(naive)).reward == 1, "the naive solution must be correct (only slow)"
    verdict = template.verify(problem, code_response(naive))
    assert (verdict.reward, verdict.reason) == (0, "timeout"), verdict
    assert template.verify(problem, template.reference_response(problem)).reward == 1


@pytest.mark.parametrize("task", TEMPLATES)
def test_prompts_vary_and_hidden_tests_outnumber_examples(task: str) -> None:
    template = vrgym.get_template(task)
    for level in template.Config.level_names():
        n = 30 if template.config(level).large else 100
        problems = list(template.problems(n, 0, difficulty=level))
        assert len({p.prompt for p in problems}) >= 0.8 * n, f"{task} {level}: prompts repeat"
        assert {p.metadata["kind"] for p in problems} == set(template.config(level).kinds)
        for problem in problems:
            assert problem.metadata["tests"] >= problem.metadata["shown"] + 3
            assert problem.tags[0] == template.tags[0] and f"{template.tags[0]}/{problem.metadata['kind']}" in problem.tags


@pytest.mark.parametrize("task", TEMPLATES)
def test_levels_change_problem_classes_and_sizes(task: str) -> None:
    config = vrgym.get_template(task).Config
    easy, expert = config.build("easy"), config.build("expert")
    assert set(easy.kinds) != set(expert.kinds) or easy.size < expert.size
    assert easy.size < expert.size


def test_unknown_kind_is_a_clear_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown kind"):
        vrgym.get_template("CodeStrings").config("easy", kinds=("rle", "nope"))
