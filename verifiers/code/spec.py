"""`CodeSpec`, `CallTest`, `StdioTest`: what a code problem's hidden tests are, stored as its `answer`.

Why a spec and not test code: the expected outputs must never enter the sandbox (a program that can
read them can print them), so a code problem stores *inputs* and *expected values* separately. The
host sends only the inputs into the sandbox and compares what comes back outside
(`vrgym.verifiers.code.check_code`). `kind="script"` is the fallback for assert-style tests that
cannot be rewritten into calls: the test code then runs in the sandbox, but in a process where the
candidate never runs (see `driver.py`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from vrgym.problem import JSONValue
from vrgym.sandbox.types import Limits

DEFAULT_TEST_SECONDS = 2.0
"""Wall-clock limit of one test when the spec gives neither `test_seconds` nor `limits`."""
MAX_JOB_SECONDS = 120.0
"""Upper bound of the job's wall limit derived from the number of tests."""
GENERATOR_HELP = (
    "Trusted Python source (from the problem, never from a model) that the sandbox's driver runs before the "
    "candidate starts, to build a large input that would bloat the problem if stored (expected stays host-side)."
)


class _Test(BaseModel):
    """What both test kinds share: a `generator` that is left out of dumps when unused.

    Why: most tests store their input; a `"generator": null` on each would bloat every stored
    code problem (and change the JSON of problems made before generators existed).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_serializer(mode="wrap")
    def _without_unused_generator(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        data = handler(self)
        if data.get("generator", 0) is None:
            del data["generator"]
        return data


class CallTest(_Test):
    """A function-call test: `entry_point(*args, **kwargs)` runs in the sandbox; `expected` stays outside."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    args: list[JSONValue] = Field(default_factory=list)
    kwargs: dict[str, JSONValue] = Field(default_factory=dict)
    expected: JSONValue = None
    generator: str | None = Field(default=None, description=GENERATOR_HELP + " Sets `value`, the argument list.")

    @model_validator(mode="after")
    def _one_source(self) -> CallTest:
        if self.generator is not None and (self.args or self.kwargs):
            raise ValueError("a call test takes its arguments from `args`/`kwargs` or from `generator`, not both")
        return self


class StdioTest(_Test):
    """A program test: the program reads `stdin`; its stdout must match `expected` (see compare.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stdin: str = ""
    expected: str
    generator: str | None = Field(default=None, description=GENERATOR_HELP + " Sets `value`, the stdin text.")

    @model_validator(mode="after")
    def _one_source(self) -> StdioTest:
        if self.generator is not None and self.stdin:
            raise ValueError("a stdio test takes its input from `stdin` or from `generator`, not both")
        return self


class CodeSpec(BaseModel):
    """The hidden tests of a code problem and how to compare; stored as `Problem.answer` (JSON)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["call", "stdio", "script"]
    entry_point: str | None = Field(default=None, description="Function name (call/script); 'Solution.method' allowed.")
    tests: list[CallTest] | list[StdioTest] = Field(default_factory=list)
    script: str | None = Field(default=None, description="kind='script': test code using `candidate` / the entry point.")
    float_tolerance: float = Field(default=1e-6, ge=0, le=1, description="Relative+absolute, for floats only.")
    unordered: bool = Field(default=False, description="Compare a returned list as a multiset.")
    prelude: str = Field(default="", description="Trusted code placed before the candidate (imports, helpers).")
    limits: Limits | None = Field(default=None, description="Per-job limits; None = defaults scaled by the number of tests.")
    test_seconds: float | None = Field(default=None, gt=0, le=600, description="Wall limit of one test (default: 2 s, or the job's wall).")

    @model_validator(mode="before")
    @classmethod
    def _typed_tests(cls, data: object) -> object:
        """Parse `tests` as the kind says (a JSON-loaded dict does not say which list type it holds)."""
        if isinstance(data, dict) and isinstance(data.get("tests"), list):
            model = StdioTest if data.get("kind") == "stdio" else CallTest
            data = {**data, "tests": [t if isinstance(t, (CallTest, StdioTest)) else model.model_validate(t) for t in data["tests"]]}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> CodeSpec:
        wanted = StdioTest if self.kind == "stdio" else CallTest
        if any(not isinstance(t, wanted) for t in self.tests):
            raise ValueError(f"a {self.kind!r} spec needs {wanted.__name__} tests; convert the rows or change `kind`")
        if self.kind == "call":
            if not self.entry_point:
                raise ValueError("a 'call' spec needs entry_point, the function name the tests call")
            if not self.tests:
                raise ValueError("a 'call' spec needs at least one test")
        if self.kind == "stdio" and not self.tests:
            raise ValueError("a 'stdio' spec needs at least one test")
        if self.kind == "script" and not (self.script and self.script.strip()):
            raise ValueError("a 'script' spec needs `script`, the test code to run against the candidate")
        if self.entry_point is not None:
            parts = self.entry_point.split(".")
            if len(parts) > 2 or not all(p.isidentifier() for p in parts):
                raise ValueError(f"entry_point {self.entry_point!r} must be a function name or 'Class.method'")
        return self

    @property
    def test_count(self) -> int:
        """Tests the job runs (a script counts as one)."""
        return 1 if self.kind == "script" else len(self.tests)

    def per_test_seconds(self) -> float:
        """Wall limit of one test: `test_seconds`, else the job's wall when `limits` is set, else the default."""
        if self.test_seconds is not None:
            return self.test_seconds if self.limits is None else min(self.test_seconds, self.limits.wall_seconds)
        return self.limits.wall_seconds if self.limits is not None else DEFAULT_TEST_SECONDS

    def job_limits(self) -> Limits:
        """The job's limits: `limits` as given, or defaults whose CPU and wall scale with the tests.

        The default wall clock is LOAD_SLACK times the CPU budget: on a loaded machine the job's
        processes get a fraction of a core, and a wall limit equal to the CPU budget scored
        correct programs as timeouts (HumanEval script specs at load ~37 on 2 cores). Per-test
        limits count CPU time (driver.TestClock), so a looping program still ends on time.
        """
        if self.limits is not None:
            return self.limits
        from vrgym.verifiers.code.driver import LOAD_SLACK

        budget = 1.0 + self.per_test_seconds() * max(1, self.test_count)
        return Limits(wall_seconds=min(MAX_JOB_SECONDS, LOAD_SLACK * budget), cpu_seconds=int(min(MAX_JOB_SECONDS, budget)) + 1)

    def total_seconds(self) -> float:
        """Budget of all tests together inside the job (a little under its wall, so the driver reports first)."""
        wall = self.job_limits().wall_seconds
        return max(0.05, wall - min(0.5, wall * 0.1))
