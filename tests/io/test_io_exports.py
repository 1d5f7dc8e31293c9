"""Trainer exports (`vrgym export`, chat and verl layouts) read back as the Problems they carry."""

from __future__ import annotations

from pathlib import Path

import pytest

import vrgym
from vrgym.errors import DataFileError
from vrgym.integrations.export import export_dataset
from vrgym.integrations.verl import export_verl_parquet
from vrgym.io import read_problems


@pytest.mark.parametrize("layout", ["chat", "verl"])
@pytest.mark.parametrize("suffix", ["jsonl", "parquet"])
def test_exported_rows_read_back_as_problems(tmp_path: Path, layout: str, suffix: str) -> None:
    problems = list(vrgym.get_template("Arithmetic").problems(5, seed=3))
    path = tmp_path / f"export.{suffix}"
    if layout == "chat":
        export_dataset(problems, path)
    elif suffix == "parquet":
        export_verl_parquet(problems, path)
    else:
        pytest.skip("verl rows are parquet only")
    assert read_problems(path) == problems


def test_exported_row_with_broken_problem_json_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    path.write_text('{"prompt": [], "problem": "{not json"}\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="'problem' is not valid JSON"):
        read_problems(path)


def test_exported_row_with_deeply_nested_problem_json_is_a_data_file_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text('{"problem": "' + "[" * 100_000 + "]" * 100_000 + '"}\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="nested too deeply"):  # not a RecursionError
        read_problems(path)
