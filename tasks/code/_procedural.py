"""Shared machinery of the procedural code templates: a *kind* draws one programming task.

Every procedural code template (CodeStrings, CodeArrays, CodeNumberTheory, CodeParsing,
CodeSimulation, CodeStdioAlgorithms) is a table of makers, one per kind of problem, and a level
lists the kinds it draws from plus a size scale. A maker returns a `FunctionCase` (write a
function; tests are calls) or a `StdioCase` (write a program; tests are stdin → stdout) holding:

* the statement (with the seed's own twist: names, constants, tie rules, output format);
* the reference solution as *source text*, which is both what `reference_response` shows and the
  oracle the generator runs, host side, to compute every expected output — so the stored answers
  and the reference can never disagree (the source is ours and trusted; model code never runs
  here, only in the sandbox);
* the test inputs: the first `shown` are the visible examples of the prompt, the rest are hidden
  (edge cases first, then random ones; at the hardest levels one or two large enough that a naive
  quadratic solution exceeds the CPU-time limit). A large input is a `Generated`: a few lines of
  our own source that the sandbox runs to build it (and the host, once, to compute its expected
  output), so an expert problem stays a few KB instead of half a megabyte.

Time limits at the efficiency levels count CPU time (`efficiency_limits`): on a loaded machine a
correct program can take several times its CPU time in wall clock, and a wall limit would score
it as a timeout; CPU time is what separates the linear algorithm from the quadratic one.

What lives here once instead of once per template: the oracle (`oracle`), test building
(`call_tests`, `stdio_tests`), generated inputs (`generated`, `GENERATOR_HELPERS`), the limits of
an efficiency level (`efficiency_limits`), the prompt layout (`render_prompt`), and
`ProceduralTemplate`, whose `build` draws a kind and turns the case into a Draft whose answer is a
`CodeSpec`.
"""

from __future__ import annotations

import functools
import json
import math
import random
import string
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import Field

from vrgym.problem import JSONValue
from vrgym.tasks.code._code_template import CodeTemplate
from vrgym.tasks.math._kinds import KindsConfig
from vrgym.template import Draft


@dataclass(frozen=True)
class Generated:
    """A large test input given as source that builds it (sets `value`), run in the sandbox per check.

    Trusted: the source is ours (a maker's template), never a model's. See `generated`.
    """

    source: str

    def value(self) -> Any:
        """The input itself, built on the host by the very function the sandbox's driver uses."""
        from vrgym.verifiers.code.driver import generated as run_generator

        return run_generator(self.source)


GENERATOR_HELPERS = """
import random


def ints(seed, n, low, high):
    # n pseudo-random ints in [low, high] (high - low < 65536): fast, and the same on every Python >= 3.9
    data = random.Random(seed).randbytes(2 * n)
    span = high - low + 1
    return [(hi << 8 | lo) % span + low for hi, lo in zip(data[0::2], data[1::2])]
""".lstrip()
"""Shared by every generator source: `random` and a fast `ints` (randbytes, no Python RNG call per number)."""


def generated(body: str, **values: Any) -> Generated:
    """A `Generated` input from `body` (dedented, `$name` substituted) after `GENERATOR_HELPERS`."""
    return Generated(GENERATOR_HELPERS + "\n" + code(body, **values))


@dataclass(frozen=True)
class FunctionCase:
    """A drawn function-writing task: implement `entry_point`; each test is one call."""

    statement: str
    """What the function must do: rules, edge cases, the seed's twist (prose, several lines allowed)."""
    entry_point: str
    signature: str
    """The `def` line the model must implement, with type hints, e.g. `def f(s: str) -> str:`."""
    solution: str
    """Reference source defining `entry_point`; runs in the sandbox and, host side, as the oracle."""
    inputs: list[list[Any] | Generated]
    """Positional argument lists; the first `shown` are the prompt's examples, the rest hidden."""
    shown: int = 2
    unordered: bool = False
    cpu_seconds: float | None = None
    """CPU-time budget of all tests together at efficiency levels (a naive solution must exceed it); None = defaults."""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class StdioCase:
    """A drawn program-writing task: read stdin, write stdout; each test is one input text."""

    statement: str
    """The task with its input and output format."""
    solution: str
    """Reference source defining `solve(data: str) -> str` (the whole stdin in, the whole stdout out)."""
    inputs: list[str | Generated]
    shown: int = 2
    cpu_seconds: float | None = None
    """CPU-time budget of each test (a fresh process per input) at efficiency levels; None = defaults."""
    tags: tuple[str, ...] = ()


Case = FunctionCase | StdioCase
Maker = Callable[[random.Random, "ProceduralConfig"], Case]

STDIO_MAIN = "\n\nimport sys\n\nsys.stdout.write(solve(sys.stdin.read()))\n"
"""Appended to a stdio reference's `solve` to make the program the model is asked for."""


def code(source: str, **values: Any) -> str:
    """Dedent `source` and substitute `$name` placeholders (Python code never uses `$`)."""
    return string.Template(textwrap.dedent(source).strip() + "\n").substitute({k: str(v) for k, v in values.items()})


@functools.lru_cache(maxsize=512)
def oracle(source: str, entry_point: str) -> Callable[..., Any]:
    """The callable `entry_point` defined by our own reference `source` (compiled once per text).

    Trusted code only: the source comes from a maker in this package, never from a model.
    """
    namespace: dict[str, Any] = {"__name__": "vrgym_reference"}
    exec(compile(source, f"<reference {entry_point}>", "exec"), namespace)  # noqa: S102 (our own reference code)
    return namespace[entry_point]


def _plain(value: Any) -> JSONValue:
    """`value` as plain JSON (tuples → lists), refusing what JSON cannot hold (a maker bug)."""
    return json.loads(json.dumps(value, allow_nan=False))


def call_tests(case: FunctionCase) -> list[dict[str, JSONValue]]:
    """Function-call tests `{args, expected}`, expected computed by the reference on the host.

    The reference gets its own copy of the arguments (a JSON round trip: cheap, and exactly what
    the sandbox will see), so a reference that mutates its input cannot change the stored test.
    """
    function = oracle(case.solution, case.entry_point)
    tests: list[dict[str, JSONValue]] = []
    for args in case.inputs:
        if isinstance(args, Generated):  # the sandbox builds it: only its source and expected output are stored
            tests.append({"generator": args.source, "expected": _plain(function(*args.value()))})
            continue
        text = json.dumps(args, allow_nan=False)
        tests.append({"args": json.loads(text), "expected": _plain(function(*json.loads(text)))})
    return tests


def stdio_tests(case: StdioCase) -> list[dict[str, str]]:
    """Stdin/stdout tests `{stdin, expected}` (or `{generator, expected}`), expected computed by the reference's `solve`."""
    solve = oracle(case.solution, "solve")
    return [{"generator": text.source, "expected": solve(text.value())} if isinstance(text, Generated)
            else {"stdin": text, "expected": solve(text)} for text in case.inputs]


def efficiency_limits(cpu_seconds: float) -> dict[str, float]:
    """The spec limits of an efficiency level: `cpu_seconds` of CPU per test, generous wall clock.

    Why CPU: load inflates wall time, not CPU time, so a correct program on a busy machine keeps
    its verdict while a quadratic one still exceeds the budget. The wall limit (the driver lets a
    starved test run up to LOAD_SLACK times its limit) only bounds programs that sleep or block.
    """
    from vrgym.verifiers.code.driver import LOAD_SLACK

    return {"cpu_seconds": math.ceil(cpu_seconds), "wall_seconds": LOAD_SLACK * cpu_seconds + 2.0, "test_seconds": cpu_seconds}


def call_text(entry_point: str, args: Sequence[Any]) -> str:
    """`name(arg1, arg2)` as Python source (reprs of JSON values), for the prompt's examples."""
    return f"{entry_point}({', '.join(repr(a) for a in args)})"


def render_prompt(case: Case, tests: Sequence[Mapping[str, Any]], instruction: str) -> str:
    """The prompt: statement, signature or I/O note, the visible examples, limits, the answer format.

    Laid out by `CodeTemplate.render_prompt`, so every code template reads the same way.
    """
    notes: list[str] = []
    if isinstance(case, FunctionCase):
        examples = [f"{call_text(case.entry_point, t['args'])} == {t['expected']!r}" for t in tests[: case.shown]]
        if case.unordered:
            notes.append("The order of the returned list does not matter.")
        notes.append("Your function is also run on hidden tests, including edge cases; it must not print anything or read input.")
        signature: str | None = case.signature
    else:
        examples, signature = [], None
        notes.append("Write a complete Python 3 program (standard library only) that reads standard input and writes standard output.")
        for number, test in enumerate(tests[: case.shown], 1):
            notes.append(f"Example {number} input:\n```\n{test['stdin'].rstrip()}\n```\n"
                         f"Example {number} output:\n```\n{test['expected'].rstrip()}\n```")
        notes.append("Your program is also run on hidden tests, including edge cases.")
    if case.cpu_seconds is not None:
        scope = "for all tests together" if isinstance(case, FunctionCase) else "per test input"
        notes.append(f"Time limit: {case.cpu_seconds:g} seconds of CPU time {scope}, and some hidden inputs are large, "
                     "so an efficient algorithm is required.")
    return CodeTemplate.render_prompt(case.statement, signature=signature, examples=examples, notes=notes, instruction=instruction)


class ProceduralConfig(KindsConfig):
    """A level of a procedural code template: the kinds it draws, an input size scale, hidden tests."""

    size: int = Field(8, ge=1, le=1_000_000, description="Largest input size of a random test (string length, array length, n).")
    hidden: int = Field(8, ge=3, le=60, description="Random hidden tests per problem, besides the edge cases.")
    large: bool = Field(False, description="Add large efficiency tests: a naive quadratic solution times out.")


class ProceduralTemplate(CodeTemplate):
    """A code template that draws one kind per problem from `config.kinds` and asks for it."""

    kind_tag: ClassVar[str]
    """Tag prefix of the family, e.g. `code/strings`; the kind is appended per instance."""
    makers: ClassVar[Mapping[str, Maker]]

    def build(self, rng: random.Random, config: Any) -> Draft:
        assert isinstance(config, ProceduralConfig)
        kind = rng.choice(config.kinds)
        case = self.makers[kind](rng, config)
        from vrgym.verifiers.code import CodeSpec

        timing: dict[str, Any] = {}
        if case.cpu_seconds is not None:  # the large tests dominate the budget
            limits = efficiency_limits(case.cpu_seconds)
            timing = {"test_seconds": limits.pop("test_seconds"), "limits": limits}
        if isinstance(case, FunctionCase):
            tests: list[dict[str, Any]] = call_tests(case)
            spec = CodeSpec(kind="call", entry_point=case.entry_point, tests=tests, unordered=case.unordered, **timing)
            solution = case.solution
        else:
            tests = stdio_tests(case)
            spec = CodeSpec(kind="stdio", tests=tests, **timing)
            solution = case.solution.rstrip("\n") + STDIO_MAIN
        prompt = render_prompt(case, tests, self.answer_format.instruction)
        return Draft(
            prompt=prompt,
            answer=spec.model_dump(mode="json"),
            metadata={"kind": kind, "solution": solution, "shown": case.shown, "tests": len(tests)},
            tags=(f"{self.kind_tag}/{kind}", *case.tags),
        )


# --------------------------------------------------------------------------------------- input helpers

LOWER = string.ascii_lowercase
WORDS = (
    "apple river stone cloud maple tiger ember lunar quartz willow copper falcon harbor meadow orbit pepper "
    "saffron tundra velvet walnut zephyr cobalt dune fern glacier hazel iris jade kelp lotus"
).split()
"""A small vocabulary for text inputs (words repeat, so counting and grouping have something to do)."""


def runs_text(rng: random.Random, length: int, alphabet: str) -> str:
    """A string of `length` characters made of runs (repeated characters) from `alphabet`."""
    out: list[str] = []
    while len(out) < length:
        out.extend(rng.choice(alphabet) * rng.randint(1, 4))
    return "".join(out[:length])


def sentence(rng: random.Random, words: int, *, punctuation: str = " ,.!?-", capitals: float = 0.3) -> str:
    """`words` vocabulary words joined by spaces and punctuation, some capitalised."""
    out = []
    for _ in range(words):
        word = rng.choice(WORDS)
        out.append(word.capitalize() if rng.random() < capitals else word)
        out.append(rng.choice(punctuation) if rng.random() < 0.3 else " ")
    return "".join(out).strip()


def pick(rng: random.Random, names: Sequence[str]) -> str:
    """One of `names` (function names, parameter names): the seed varies the surface of a task."""
    return rng.choice(list(names))
