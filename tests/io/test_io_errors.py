"""Unreadable, missing and corrupt files raise DataFileError naming the file, the place and a remedy."""

from __future__ import annotations

from pathlib import Path

import pytest

from vrgym.errors import DataFileError
from vrgym.io import read_problems, write_problems
from vrgym.io.reading import iter_records


def _file(tmp_path, content: bytes | str, name: str = "p.jsonl"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_missing_file(tmp_path):
    with pytest.raises(DataFileError, match=f"^{tmp_path / 'p.jsonl'}: no such file; check the path$"):
        read_problems(tmp_path / "p.jsonl")


def test_missing_file_mentions_a_partial_left_by_an_interrupted_run(tmp_path):
    _file(tmp_path, "", "p.jsonl.partial")
    with pytest.raises(DataFileError, match="an interrupted run left .*p.jsonl.partial"):
        read_problems(tmp_path / "p.jsonl")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('\n{"a": 1}\n{"a": \n', "p.jsonl, line 3: not valid JSON"),
        ("{}\n[1, 2]\n", "line 2: expected a JSON object per line, got list"),
        (b'{"a": 1}\n\xff\xfe\n', "line 2: not UTF-8 text"),
    ],
)
def test_corrupt_jsonl_names_the_line(tmp_path, content, message):
    with pytest.raises(DataFileError, match=message):
        list(iter_records(_file(tmp_path, content)))


def test_a_line_that_is_not_a_problem(tmp_path, problems):
    content = problems[0].model_dump_json() + '\n{"task": "T", "version": 0}\n'
    with pytest.raises(DataFileError, match="line 2: not a valid problem \\(id: Field required \\(and \\d+ more\\)\\); is this"):
        read_problems(_file(tmp_path, content))


def test_a_cut_short_last_line_says_so(tmp_path, problems):
    write_problems(problems[:2], tmp_path / "p.jsonl")
    text = (tmp_path / "p.jsonl").read_text(encoding="utf-8")
    _file(tmp_path, text[:-20], "cut.jsonl")
    with pytest.raises(DataFileError, match="cut.jsonl, line 2: .*the file was probably cut short"):
        read_problems(tmp_path / "cut.jsonl")


def test_unknown_keys_in_jsonl_are_errors(tmp_path, problems):
    line = problems[0].model_dump_json().replace('"metadata"', '"metdata"')
    with pytest.raises(DataFileError, match="line 1: not a valid problem"):
        read_problems(_file(tmp_path, line + "\n"))


def test_corrupt_parquet(tmp_path, problems):
    write_problems(problems, tmp_path / "p.parquet")
    data = (tmp_path / "p.parquet").read_bytes()
    _file(tmp_path, data[: len(data) // 2], "half.parquet")
    with pytest.raises(DataFileError, match="half.parquet: not a readable parquet file"):
        read_problems(tmp_path / "half.parquet")


def test_parquet_that_is_not_a_problems_table(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a"], "response": ["x"]}), tmp_path / "r.parquet")
    with pytest.raises(DataFileError, match="r.parquet, row 1: missing column\\(s\\) task, version"):
        read_problems(tmp_path / "r.parquet")


def test_folder_that_is_not_a_dataset(tmp_path):
    (tmp_path / "d").mkdir()
    with pytest.raises(DataFileError, match="a directory but not a saved Hugging Face dataset"):
        read_problems(tmp_path / "d")


def test_dataset_dict_asks_for_a_split(tmp_path, problems):
    import datasets

    write_problems(problems[:2], tmp_path / "train")
    datasets.DatasetDict({"train": datasets.load_from_disk(str(tmp_path / "train"))}).save_to_disk(str(tmp_path / "dd"))
    with pytest.raises(DataFileError, match="a DatasetDict with splits train; .*pass the split's own folder"):
        read_problems(tmp_path / "dd")


def test_unreadable_file(tmp_path, problems, monkeypatch):
    path = tmp_path / "p.jsonl"
    write_problems(problems, path)

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)  # chmod does not stop root, who may run the tests
    with pytest.raises(DataFileError, match=f"^{path}: cannot be read \\(Permission denied\\); check its permissions$"):
        read_problems(path)
