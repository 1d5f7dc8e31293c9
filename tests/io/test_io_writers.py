"""Crash-safe writing: `<path>.partial` until commit, valid partial files after an abort."""

from __future__ import annotations

import pytest

from vrgym.errors import DataFileError
from vrgym.io import open_problem_writer, read_problems, write_problems
from vrgym.io.writers import JsonlWriter

PATHS = {"jsonl": "p.jsonl", "parquet": "p.parquet", "hf": "p_dataset"}


@pytest.mark.parametrize("fmt", list(PATHS))
def test_an_exception_keeps_a_valid_partial_file_and_the_old_output(tmp_path, problems, fmt):
    path = tmp_path / PATHS[fmt]
    write_problems(problems[:2], path)  # an older complete output
    with pytest.raises(KeyboardInterrupt):
        with open_problem_writer(path) as writer:
            for problem in problems[2:7]:
                writer.write(problem)
            raise KeyboardInterrupt
    partial = tmp_path / (path.name + ".partial")
    assert writer.kept == partial
    assert writer.saved_note() == f"5 problems saved to {partial} ({path} was not written)"
    assert read_problems(partial) == problems[2:7]  # buffered parquet rows included
    assert read_problems(path) == problems[:2]


def test_partial_parquet_of_many_row_groups(tmp_path, problems):
    many = [problems[i % len(problems)].model_copy(update={"index": i}) for i in range(2500)]
    with pytest.raises(RuntimeError):
        with open_problem_writer(tmp_path / "p.parquet") as writer:
            for problem in many:
                writer.write(problem)
            raise RuntimeError
    assert read_problems(tmp_path / "p.parquet.partial") == many


@pytest.mark.parametrize("fmt", list(PATHS))
def test_nothing_written_leaves_no_partial_file(tmp_path, fmt):
    path = tmp_path / PATHS[fmt]
    with pytest.raises(ValueError):
        with open_problem_writer(path) as writer:
            raise ValueError
    assert writer.kept is None and writer.saved_note() == f"nothing was saved ({path} was not written)"
    assert list(tmp_path.iterdir()) == []


def test_jsonl_lines_are_on_disk_before_commit(tmp_path):
    writer = JsonlWriter(tmp_path / "v.jsonl")
    writer.write({"a": 1})
    assert (tmp_path / "v.jsonl.partial").read_text() == '{"a": 1}\n'
    assert not (tmp_path / "v.jsonl").exists()
    assert writer.commit() == tmp_path / "v.jsonl"
    assert (tmp_path / "v.jsonl").read_text() == '{"a": 1}\n' and not (tmp_path / "v.jsonl.partial").exists()


def test_parent_folders_are_created(tmp_path, problems):
    write_problems(problems[:1], tmp_path / "a" / "b" / "p.jsonl")
    assert read_problems(tmp_path / "a" / "b" / "p.jsonl") == problems[:1]


def test_hf_output_replaces_a_dataset_but_not_another_folder(tmp_path, problems):
    write_problems(problems[:3], tmp_path / "ds")
    write_problems(problems[3:5], tmp_path / "ds")
    assert read_problems(tmp_path / "ds") == problems[3:5]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds"]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("precious")
    with pytest.raises(DataFileError, match="refusing to replace a folder that is not a saved HF dataset"):
        write_problems(problems, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "precious"


def test_file_outputs_refuse_a_directory_and_hf_refuses_a_file(tmp_path, problems):
    (tmp_path / "d.jsonl").mkdir()
    with pytest.raises(DataFileError, match="is a directory"):
        write_problems(problems, tmp_path / "d.jsonl")
    (tmp_path / "f").write_text("x")
    with pytest.raises(DataFileError, match="is a file; an HF dataset is a folder"):
        write_problems(problems, tmp_path / "f")
