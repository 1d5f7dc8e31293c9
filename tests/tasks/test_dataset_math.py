"""Dataset-backed math templates: sources, row formats, gold inference, skip reports, row order.

Fixtures are ours: the bundled `vrgym.tasks.math.data/dataset_*.jsonl` (clean rows) and
`tests/tasks/fixtures/dataset_math/` (rows built to be skipped, in jsonl/csv/json); parquet and
save_to_disk copies are written to a temp dir from them. No test touches the network: the hub
path runs with `datasets.load_dataset` replaced.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from importlib import resources
from pathlib import Path

import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.math import _dataset_table as table_module
from vrgym.tasks.math._dataset_gold import infer_gold
from vrgym.tasks.math._dataset_rows import RowSkip, boxed_answer, detect_format, gsm8k_answer, unboxed
from vrgym.tasks.math._dataset_source import DatasetSourceError, builtin_names, read_source
from vrgym.tasks.math._dataset_table import DatasetSkipWarning, SourceSpec, load_dataset_table, permuted_position
from vrgym.tasks.math.dataset_math import DatasetMathTemplate, dataset_report, describe_skipped, skipped_rows
from vrgym.verifiers.math import check_math_answer, render_gold

FIXTURES = Path(__file__).parent / "fixtures" / "dataset_math"
MATH_ROWS = FIXTURES / "math_rows.jsonl"
TEMPLATES = ("DatasetMATH", "DatasetGSM8K", "DatasetNumina", "DatasetAIMO")
MATH_SKIPS = {2: "several_boxes", 3: "no_final_answer", 4: "unterminated_box", 5: "empty_problem", 6: "not_an_answer",
              7: "ambiguous", 8: "ambiguous", 10: "not_an_answer", 12: "unsupported"}
"""Rows of math_rows.jsonl that must be skipped, with their reason (the row's `note` says why)."""


@pytest.fixture(autouse=True)
def _fresh_cache():
    table_module.clear_cache()
    yield
    table_module.clear_cache()


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """math_rows.jsonl as parquet, csv-free JSON list, and a save_to_disk DatasetDict folder."""
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("converted")
    rows = [json.loads(line) for line in MATH_ROWS.read_text().splitlines()]
    pq.write_table(pa.Table.from_pylist(rows), folder / "math_rows.parquet")
    (folder / "math_rows.json").write_text(json.dumps(rows))
    datasets.DatasetDict({"test": datasets.Dataset.from_list(rows), "train": datasets.Dataset.from_list(rows[:3])}).save_to_disk(
        str(folder / "saved"))
    return {"parquet": folder / "math_rows.parquet", "json": folder / "math_rows.json", "disk": folder / "saved"}


# ----------------------------------------------------------------------------------- sources


def test_every_local_file_kind_reads_the_same_rows(converted: dict[str, Path]) -> None:
    reference = read_source(str(MATH_ROWS))
    for kind in ("parquet", "json"):
        other = read_source(str(converted[kind]))
        assert [dict(r) for r in other.rows] == [dict(r) for r in reference.rows], kind
    saved = read_source(str(converted["disk"]), split="test")
    assert saved.kind == "disk" and [dict(r) for r in saved.rows] == [dict(r) for r in reference.rows]


def test_each_file_kind_gives_the_same_report(converted: dict[str, Path]) -> None:
    summaries = {
        kind: dataset_report("DatasetMATH", source=source, split=split).summary().split(": ", 1)[1]
        for kind, source, split in [
            ("jsonl", str(MATH_ROWS), None),
            ("parquet", str(converted["parquet"]), None),
            ("json", str(converted["json"]), None),
            ("disk", str(converted["disk"]), "test"),
        ]
    }
    assert len(set(summaries.values())) == 1, summaries
    assert summaries["jsonl"].startswith("7 usable, 9 skipped")


def test_a_saved_datasetdict_needs_a_split_when_it_has_several(converted: dict[str, Path]) -> None:
    with pytest.raises(DatasetSourceError, match=r"splits \['test', 'train'\]; choose one with split="):
        read_source(str(converted["disk"]))
    with pytest.raises(DatasetSourceError, match="no split 'validation'"):
        read_source(str(converted["disk"]), split="validation")


def test_source_errors_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DatasetSourceError, match="does not exist"):
        read_source(str(tmp_path / "missing.jsonl"))
    with pytest.raises(DatasetSourceError, match="unknown bundled dataset 'builtin:nope'.*builtin:gsm8k"):
        read_source("builtin:nope")
    with pytest.raises(DatasetSourceError, match="only apply to hub datasets"):
        read_source(str(MATH_ROWS), split="test")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"problem": "a"}\n{not json\n')
    with pytest.raises(DatasetSourceError, match="line 2 is not valid JSON"):
        read_source(str(broken))
    odd = tmp_path / "rows.txt"
    odd.write_text("x")
    with pytest.raises(DatasetSourceError, match="unsupported suffix '.txt'"):
        read_source(str(odd))
    assert set(builtin_names()) >= {"math", "gsm8k", "numina", "aimo"}


def test_a_dataset_without_usable_columns_is_a_config_error(tmp_path: Path) -> None:
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"prompt": "What is 1+1?", "target": "2"}\n')
    with pytest.raises(ConfigError, match="cannot tell the row format.*problem_column="):
        vrgym.get_template("DatasetMATH").generate(0, 0, source=str(odd), format="auto")
    problem = vrgym.get_template("DatasetAIMO").generate(0, 0, source=str(odd), format="aimo", problem_column="prompt",
                                                         answer_column="target")
    assert problem.answer == {"kind": "integer", "value": "2"} and problem.prompt.startswith("What is 1+1?")


# ----------------------------------------------------------------------------------- hub ids


def test_hub_ids_go_to_load_dataset_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    import datasets

    calls = []
    bundled = resources.files("vrgym.tasks.math.data").joinpath("dataset_gsm8k.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in bundled.splitlines()]

    def fake_load_dataset(path, name=None, *, split=None, revision=None):
        calls.append((path, name, split, revision))
        return datasets.Dataset.from_list(rows)

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    template = vrgym.get_template("DatasetGSM8K")
    problem = template.generate(4, 2, source="openai/gsm8k", config_name="main", split="test", revision="abc123")
    assert calls == [("openai/gsm8k", "main", "test", "abc123")]
    meta = problem.metadata
    assert (meta["source"], meta["config_name"], meta["split"], meta["revision"]) == ("openai/gsm8k", "main", "test", "abc123")
    assert rows[meta["row"]]["question"] == problem.prompt.split("\n\n")[0]
    assert template.verify(problem, template.reference_response(problem)).reward == 1
    template.generate(4, 3, source="openai/gsm8k", config_name="main", split="test", revision="abc123")
    assert len(calls) == 1, "the loaded dataset is cached per (source, config)"


def test_an_unreachable_hub_dataset_explains_the_remedies(monkeypatch: pytest.MonkeyPatch) -> None:
    import datasets

    def offline(*args, **kwargs):
        raise ConnectionError("Couldn't reach 'someone/missing' on the Hub (LocalEntryNotFoundError)")

    monkeypatch.setattr(datasets, "load_dataset", offline)
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(DatasetSourceError) as caught:
        vrgym.get_template("DatasetMATH").generate(0, 0, source="someone/missing", split="test")
    message = str(caught.value)
    for needle in ("could not load hub dataset 'someone/missing' split 'test'", "HF_DATASETS_OFFLINE is set",
                   "HF_DATASETS_OFFLINE=0", "pass a local .jsonl"):
        assert needle in message, message


def test_real_offline_load_fails_with_the_same_advice(tmp_path: Path) -> None:
    """No mock: datasets itself refuses an uncached hub id when offline; our message wraps it."""
    code = ("from vrgym.tasks.math._dataset_source import read_source, DatasetSourceError\n"
            "try:\n    read_source('vrgym-test/no-such-dataset', split='train')\n"
            "except DatasetSourceError as exc:\n    print('ERR', exc)\n")
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.stdout.startswith("ERR could not load hub dataset 'vrgym-test/no-such-dataset'"), out.stdout + out.stderr
    assert "HF_DATASETS_OFFLINE and HF_HUB_OFFLINE are set" in out.stdout


# ----------------------------------------------------------------------------------- row formats


def test_boxed_answers_are_read_brace_balanced_and_conservatively() -> None:
    assert boxed_answer(r"so $\boxed{\frac{\sqrt{3}}{2}}$.") == r"\frac{\sqrt{3}}{2}"
    assert boxed_answer(r"$\boxed{\{1, 2\}}$") == r"\{1, 2\}"
    assert boxed_answer(r"$\boxed{5}$ … again $\boxed{ 5 }$") == "5"
    for solution, code in [(r"\boxed{1} then \boxed{2}", "several_boxes"), ("no box", "no_final_answer"),
                           (r"\boxed{3", "unterminated_box"), (r"\boxed{ }", "empty_answer")]:
        with pytest.raises(RowSkip) as caught:
            boxed_answer(solution)
        assert caught.value.code == code
    assert unboxed(r"a $\boxed{\frac{1}{2}}$ b \fbox{3}") == r"a $\frac{1}{2}$ b 3"


def test_gsm8k_answers_after_the_marks() -> None:
    answer, steps = gsm8k_answer("4 * 300 = <<4*300=1200>>1200\nplus 34\n#### 1,234")
    assert answer == "1,234" and steps == "4 * 300 = 1200\nplus 34"
    assert infer_gold(answer, "", commas_are_thousands=True) == {"kind": "integer", "value": "1234"}
    with pytest.raises(RowSkip, match="no_final_answer"):
        gsm8k_answer("just text")
    with pytest.raises(RowSkip, match="several_answers"):
        gsm8k_answer("#### 3\n#### 4")


def test_formats_are_detected_from_columns() -> None:
    assert detect_format(["question", "answer"], {"question": "q", "answer": "x\n#### 4"}) == "gsm8k"
    assert detect_format(["problem", "level", "type", "solution"], None) == "math"
    assert detect_format(["problem", "solution", "answer", "subject", "level"], None) == "math"
    assert detect_format(["problem", "solution", "source", "messages"], None) == "numina"
    assert detect_format(["id", "problem", "answer"], None) == "aimo"
    with pytest.raises(ValueError, match="set format="):
        detect_format(["text"], None)


# ----------------------------------------------------------------------------------- gold inference

ORDERED = "Enter your answer as an ordered pair."
ALL = "Enter all the solutions, separated by commas."
OPTIONS = r"Which is it? $\textbf{(A)}\ 1 \qquad \textbf{(B)}\ 2 \qquad \textbf{(C)}\ 3$"


@pytest.mark.parametrize(("text", "problem", "expected"), [
    ("42", "", {"kind": "integer", "value": "42"}),
    ("-7", "", {"kind": "integer", "value": "-7"}),
    (r"1{,}234", "", {"kind": "integer", "value": "1234"}),
    (r"1,\!234", "", {"kind": "integer", "value": "1234"}),
    (r"\dfrac{6}{8}", "", {"kind": "rational", "value": "3/4"}),
    (r"-\frac{3}{4}", "", {"kind": "rational", "value": "-3/4"}),
    ("0.25", "", {"kind": "rational", "value": "1/4"}),
    ("3.14", "Round to the nearest hundredth.", {"kind": "decimal", "value": "3.14", "places": 2}),
    (r"\$5.50", "", {"kind": "rational", "value": "11/2"}),
    (r"720^\circ", "", {"kind": "integer", "value": "720"}),
    (r"25\%", "", {"kind": "percent", "value": "25"}),
    (r"\text{(B)}", OPTIONS, {"kind": "choice", "value": "B", "options": ["A", "B", "C"]}),
    (r"\textbf{(C)}\ 3", OPTIONS, {"kind": "choice", "value": "C", "options": ["A", "B", "C"]}),
    (r"\text{Monday}", "", {"kind": "text", "value": "Monday", "aliases": []}),
    (r"(-\infty, 3]", "", {"kind": "interval", "latex": r"(-\infty, 3]"}),
    (r"[2, 5) \cup (5, \infty)", "", {"kind": "interval", "latex": r"[2, 5) \cup (5, \infty)"}),
    ("(1, 2)", "Express your answer in interval notation.", {"kind": "interval", "latex": "(1, 2)"}),
    ("(1, 2)", ORDERED, {"kind": "tuple", "items": [{"kind": "integer", "value": "1"}, {"kind": "integer", "value": "2"}]}),
    (r"\{3, -1\}", "", {"kind": "set", "items": [{"kind": "integer", "value": "-1"}, {"kind": "integer", "value": "3"}]}),
    ("3, -1", ALL, {"kind": "set", "items": [{"kind": "integer", "value": "-1"}, {"kind": "integer", "value": "3"}]}),
    ("x = 1, y = 2", "", {"kind": "tuple", "items": [{"kind": "integer", "value": "1"}, {"kind": "integer", "value": "2"}],
                          "names": ["x", "y"]}),
    ("y = 2x + 1", "", {"kind": "equation", "latex": "y = 2x + 1"}),
    (r"\begin{pmatrix} 1 \\ -2 \end{pmatrix}", "", {"kind": "matrix", "rows": [[{"kind": "integer", "value": "1"}],
                                                                              [{"kind": "integer", "value": "-2"}]]}),
    (r"2\sqrt{3}", "", {"kind": "expression", "latex": r"2\sqrt{3}", "variables": [], "form": None}),
    (r"\frac{\pi}{2}", "", {"kind": "expression", "latex": r"\frac{\pi}{2}", "variables": [], "form": None}),
])
def test_answer_texts_become_typed_golds(text: str, problem: str, expected: dict) -> None:
    assert infer_gold(text, problem) == expected


@pytest.mark.parametrize(("text", "problem", "code"), [
    ("", "", "empty_answer"),
    ("1,234", "", "ambiguous"),
    ("(1, 2)", "", "ambiguous"),
    ("B", "", "ambiguous"),
    ("3, 4", "", "ambiguous"),
    ("proof", "", "not_an_answer"),
    (r"\text{The answer is that it is odd}", "", "not_an_answer"),
    (r"x \le 3", "", "unsupported"),
    (r"\mathbb{Z}", "", "unparseable"),
    ("the number of ways", "", "not_an_answer"),
    ("x" * 400, "", "not_an_answer"),
])
def test_unsure_answers_are_skipped_with_a_reason(text: str, problem: str, code: str) -> None:
    with pytest.raises(RowSkip) as caught:
        infer_gold(text, problem)
    assert caught.value.code == code


def test_expression_golds_name_their_variables() -> None:
    gold = infer_gold("x^2 + x - 6", "")
    assert gold["kind"] == "expression" and gold["variables"] == ["x"]


@pytest.mark.parametrize("name", ["math", "gsm8k", "numina", "aimo"])
def test_every_bundled_gold_accepts_its_own_rendering(name: str) -> None:
    """The bundled fixtures skip the load-time self-check; this is the proof that replaces it."""
    table = load_dataset_table(SourceSpec(f"builtin:{name}", format=name))
    assert not table.report.skipped, table.report.summary()
    for entry in table.entries:
        verdict = check_math_answer(entry.gold, render_gold(entry.gold))
        assert verdict.reward == 1, (entry.row, entry.gold, verdict)


# ----------------------------------------------------------------------------------- skip report


def test_skipped_rows_are_reported_with_reasons() -> None:
    report = dataset_report("DatasetMATH", source=str(MATH_ROWS))
    assert report.total == 16 and report.usable == 7
    assert {row.row: row.reason for row in report.skipped} == MATH_SKIPS
    assert report.summary().endswith("7 usable, 9 skipped (not_an_answer 2, ambiguous 2, several_boxes 1, no_final_answer 1, "
                                     "unterminated_box 1, empty_problem 1, unsupported 1)")
    listed = skipped_rows("DatasetMATH", source=str(MATH_ROWS))
    assert [row.row for row in listed] == sorted(MATH_SKIPS)
    assert "row 2: several_boxes" in describe_skipped(listed)
    assert listed[0].answer_text.startswith("First")


def test_loading_warns_once_with_the_counts() -> None:
    template = vrgym.get_template("DatasetGSM8K")
    source = str(FIXTURES / "gsm8k_rows.csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        template.generate(0, 0, source=source)
        template.generate(0, 1, source=source)
    messages = [str(w.message) for w in caught if issubclass(w.category, DatasetSkipWarning)]
    assert messages == [f"{source} (gsm8k): 3 usable, 2 skipped (no_final_answer 1, empty_answer 1); "
                        "list them with vrgym.tasks.math.dataset_math.skipped_rows(...)"]


def test_aimo_answers_must_be_integers() -> None:
    report = dataset_report("DatasetAIMO", source=str(FIXTURES / "aimo_columns.json"))
    assert report.usable == 2 and [(s.row, s.reason) for s in report.skipped] == [(1, "not_an_integer")]


def test_a_gold_that_does_not_accept_itself_is_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Local sources are self-checked at load; a gold the checker cannot match never becomes a problem."""
    import vrgym.verifiers.math as math_verifier
    from vrgym.verdict import Verdict

    def picky(gold, answer, **kwargs):
        return Verdict.correct() if gold.get("value") != "7" else Verdict.fail("wrong_answer", "simulated checker gap")

    monkeypatch.setattr(math_verifier, "check_math_answer", picky)
    rows = tmp_path / "rows.jsonl"
    rows.write_text("\n".join(json.dumps({"problem": f"What is {n}?", "answer": n}) for n in (5, 7, 9)) + "\n")
    report = dataset_report("DatasetAIMO", source=str(rows))
    assert report.usable == 2 and [(s.row, s.reason) for s in report.skipped] == [(1, "self_check")]
    assert "simulated checker gap" in report.skipped[0].detail


# ----------------------------------------------------------------------------------- order, levels, determinism


@pytest.mark.parametrize("n", [1, 2, 3, 7, 16, 35, 1000])
def test_each_pass_is_a_permutation_of_the_rows(n: int) -> None:
    for seed in (0, 1):
        for epoch in (0, 1):
            positions = [permuted_position(n, seed, epoch * n + i) for i in range(n)]
            assert sorted(positions) == list(range(n))
    if n >= 7:
        assert [permuted_position(n, 0, i) for i in range(n)] != [permuted_position(n, 1, i) for i in range(n)]
        assert [permuted_position(n, 0, i) for i in range(n)] != [permuted_position(n, 0, n + i) for i in range(n)]


def test_a_stream_visits_every_row_once_per_pass() -> None:
    template = vrgym.get_template("DatasetMATH")
    rows = [template.generate(5, i).metadata["row"] for i in range(35)]
    assert sorted(rows) == list(range(35))
    assert rows != [template.generate(6, i).metadata["row"] for i in range(35)]


def test_same_inputs_same_problem_and_seeds_differ() -> None:
    template = vrgym.get_template("DatasetNumina")
    first = template.generate(3, 4, difficulty="competition")
    assert first == template.generate(3, 4, difficulty="competition")
    assert first.to_json() == type(template)().generate(3, 4, difficulty="competition").to_json()
    assert [template.generate(0, i).id for i in range(5)] != [template.generate(1, i).id for i in range(5)]


def test_math_levels_follow_the_dataset_level() -> None:
    template = vrgym.get_template("DatasetMATH")
    for n in range(1, 6):
        levels = {template.generate(0, i, difficulty=f"level_{n}").metadata["level"] for i in range(10)}
        assert levels == {n}
    assert template.Config.level_names() == ["all", "level_1", "level_2", "level_3", "level_4", "level_5"]
    mixed = template.generate(0, 0, min_level=4, max_level=5).metadata["level"]
    assert mixed in (4, 5)


def test_numina_levels_group_the_source_column() -> None:
    template = vrgym.get_template("DatasetNumina")
    sources = {template.generate(0, i, difficulty="olympiad").metadata["group"] for i in range(12)}
    assert sources <= {"olympiads", "aops_forum"} and len(sources) == 2
    custom = {template.generate(0, i, groups=["AMC_AIME"]).metadata["group"] for i in range(4)}
    assert custom == {"amc_aime"}


def test_a_level_without_rows_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="no usable row .* matches difficulty 'level_5'.*levels \\[1, 2, 3, 4\\]"):
        vrgym.get_template("DatasetMATH").generate(0, 0, difficulty="level_5", source=str(MATH_ROWS))
    with pytest.raises(ConfigError, match="min_level 4 is above max_level 2"):
        vrgym.get_template("DatasetMATH").config(min_level=4, max_level=2)


def test_problems_record_their_row() -> None:
    template = vrgym.get_template("DatasetMATH")
    problem = template.generate(0, 0, difficulty="level_3")
    meta = problem.metadata
    assert meta["source"] == "builtin:math" and meta["split"] is None and meta["format"] == "math"
    assert len(meta["row_hash"]) == 16 and isinstance(meta["row"], int) and meta["level"] == 3
    assert "math/dataset/math" in problem.tags
    assert problem.prompt.rstrip().endswith("\\boxed{42}.")
    reference = template.reference_response(problem)
    assert reference.count("\\boxed") == 1, "the dataset solution's own box is removed from the reference"


# ----------------------------------------------------------------------------------- JSON and other processes


def test_problems_verify_from_json_in_another_process() -> None:
    cases = []
    for name in TEMPLATES:
        template = vrgym.get_template(name)
        for index in range(3):
            problem = template.generate(11, index)
            reloaded = Problem.from_json(problem.to_json())
            assert reloaded == problem
            cases.append({"problem": problem.to_json(), "right": template.reference_response(problem),
                          "wrong": "\\boxed{\\text{certainly not}}"})
    code = ("import json, sys, vrgym\n"
            "out = []\n"
            "for case in json.load(sys.stdin):\n"
            "    out.append([vrgym.verify(case['problem'], case['right']).reward, vrgym.verify(case['problem'], case['wrong']).reward])\n"
            "print(json.dumps(out))\n")
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    result = subprocess.run([sys.executable, "-c", code], input=json.dumps(cases), capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [[1, 0]] * len(cases)


def test_the_cache_reloads_a_changed_file(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"problem": "What is 2+3?", "answer": 5}) + "\n")
    spec = SourceSpec(str(rows), format="aimo")
    first = load_dataset_table(spec)
    assert load_dataset_table(spec) is first
    rows.write_text(json.dumps({"problem": "What is 2+4?", "answer": 6}) + "\n")
    os.utime(rows, ns=(first_ns := os.stat(rows).st_mtime_ns + 10**9, first_ns))
    assert load_dataset_table(spec).entries[0].gold == {"kind": "integer", "value": "6"}


def test_dataset_report_refuses_other_templates() -> None:
    with pytest.raises(ConfigError, match="not a dataset-backed math template"):
        dataset_report("Arithmetic")
    assert all(isinstance(vrgym.get_template(name), DatasetMathTemplate) for name in TEMPLATES)
