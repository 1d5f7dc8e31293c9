"""Problems round-trip through every format to identical Problems; the row layout is complete."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vrgym.errors import DataFileError
from vrgym.io import Format, index_problems, input_format, iter_problems, output_format, read_problems, write_problems
from vrgym.io.problems import COLUMNS, INT_COLUMNS, JSON_COLUMNS, LIST_COLUMNS, STRING_COLUMNS, problem_schema, problem_to_row, row_to_problem
from vrgym.problem import Problem

FORMAT_PATHS = {"jsonl": "p.jsonl", "parquet": "p.parquet", "hf": "p_dataset"}


@pytest.mark.parametrize("fmt", list(FORMAT_PATHS))
def test_round_trip_gives_identical_problems(tmp_path, problems, fmt):
    path = tmp_path / FORMAT_PATHS[fmt]
    assert write_problems(problems, path) == len(problems)
    assert output_format(path) is Format(fmt) and input_format(path) is Format(fmt)
    back = read_problems(path)
    assert back == problems
    assert [p.model_dump_json() for p in back] == [p.model_dump_json() for p in problems]
    assert not (tmp_path / (path.name + ".partial")).exists()


def test_jsonl_lines_are_exactly_the_problems_json(tmp_path, problems):
    write_problems(problems, tmp_path / "p.jsonl")
    assert (tmp_path / "p.jsonl").read_text(encoding="utf-8") == "".join(p.model_dump_json() + "\n" for p in problems)


@pytest.mark.parametrize("fmt", list(FORMAT_PATHS))
def test_explicit_format_wins_over_the_suffix_and_reading_sniffs_content(tmp_path, problems, fmt):
    path = tmp_path / "data.bin"
    write_problems(problems[:3], path, format=fmt)
    assert input_format(path) is Format(fmt)
    assert read_problems(path) == problems[:3]


def test_the_row_layout_covers_every_problem_field():
    assert set(COLUMNS) == set(Problem.model_fields)
    assert sorted((*JSON_COLUMNS, *LIST_COLUMNS, *INT_COLUMNS, *STRING_COLUMNS)) == sorted(COLUMNS)
    assert problem_schema().names == list(COLUMNS)


def test_rows_hold_json_text_and_a_tag_list(problems):
    row = problem_to_row(problems[4])
    assert list(row) == list(COLUMNS)
    assert json.loads(row["answer"]) == problems[4].answer
    assert isinstance(row["tags"], list) and all(isinstance(t, str) for t in row["tags"])
    assert row_to_problem(row) == problems[4]


def test_extra_columns_are_ignored_missing_ones_are_errors(problems):
    row = {**problem_to_row(problems[0]), "prompt_messages": "[]"}
    assert row_to_problem(row) == problems[0]
    del row["metadata"]
    with pytest.raises(DataFileError, match="missing column\\(s\\) metadata"):
        row_to_problem(row, "f.parquet, row 1")


def test_bad_json_column(problems):
    row = {**problem_to_row(problems[0]), "answer": "{not json"}
    with pytest.raises(DataFileError, match="f.parquet, row 2: column 'answer' is not valid JSON"):
        row_to_problem(row, "f.parquet, row 2")
    with pytest.raises(DataFileError, match="must hold JSON text, got int"):
        row_to_problem({**row, "answer": 3})


def test_seeds_beyond_64_bits_only_fit_jsonl(tmp_path, problems):
    huge = problems[0].model_copy(update={"seed": 2**70})
    write_problems([huge], tmp_path / "p.jsonl")
    assert read_problems(tmp_path / "p.jsonl") == [huge]
    with pytest.raises(DataFileError, match="does not fit in 64 bits; write it as .jsonl"):
        write_problems([huge], tmp_path / "p.parquet")
    assert not (tmp_path / "p.parquet").exists()


def test_iteration_is_lazy_and_in_order(tmp_path, problems):
    write_problems(problems, tmp_path / "p.parquet")
    stream = iter_problems(tmp_path / "p.parquet")
    assert next(stream) == problems[0]
    assert list(stream) == problems[1:]


def test_index_by_id_accepts_repeats_of_the_same_problem_only(tmp_path, problems):
    write_problems([*problems, problems[0]], tmp_path / "p.jsonl")
    assert list(index_problems(tmp_path / "p.jsonl")) == [p.id for p in problems]
    write_problems([problems[0], problems[1].model_copy(update={"id": problems[0].id})], tmp_path / "q.jsonl")
    with pytest.raises(DataFileError, match="two different problems share id"):
        index_problems(tmp_path / "q.jsonl")


@pytest.mark.parametrize(("name", "fmt"), [("a.jsonl", "jsonl"), ("A.PARQUET", "parquet"), ("folder", "hf"), ("v1.0", "hf")])
def test_output_format_by_suffix(name, fmt):
    assert output_format(name) is Format(fmt)


@pytest.mark.parametrize("name", ["a.json", "a.csv", "a.jsonl.gz"])
def test_other_file_suffixes_are_refused(name):
    with pytest.raises(DataFileError, match="name the output \\*.jsonl or \\*.parquet"):
        output_format(name)
    assert output_format(name, "jsonl") is Format.JSONL


def test_unknown_explicit_format():
    with pytest.raises(DataFileError, match="unknown format 'csv'; choose one of jsonl, parquet, hf"):
        output_format("a.jsonl", "csv")


def test_importing_vrgym_io_loads_no_heavy_library():
    code = "import sys, vrgym, vrgym.io, vrgym.cli; print(sorted(m for m in ('datasets', 'pyarrow', 'tqdm', 'pandas') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
