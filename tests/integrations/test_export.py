"""Dataset export: every source kind, every format read back, crash safety, push_to_hub's exact call, the CLI."""

from __future__ import annotations

import json

import datasets
import pyarrow.parquet as pq
import pytest

import vrgym
from vrgym.cli import main
from vrgym.integrations.export import (
    COLUMNS,
    build_dataset,
    export_dataset,
    push_to_hub,
    select_problems,
)


class FakeMixture:
    """Follows the Mixture contract (entries + problems(n, seed=, start=)) until vrgym.mixture lands."""

    entries = ("Arithmetic", "MorseDecode")

    def problems(self, n, *, seed=None, start=0):
        for i in range(start, start + n):
            yield vrgym.get_template(self.entries[i % 2]).generate(seed or 0, i // 2)


def test_sources_resolve_to_the_same_problems(problems):
    by_name = list(select_problems(["Arithmetic", "MorseDecode"], 3, seed=1))
    assert by_name[:3] == problems[:3] and by_name[3:5] == problems[3:]
    assert list(select_problems(problems, 2)) == problems[:2]
    assert list(select_problems(iter(p.to_json() for p in problems))) == problems
    assert [p.task for p in select_problems(FakeMixture(), 4, seed=1)] == [
        "Arithmetic",
        "MorseDecode",
    ] * 2
    with pytest.raises(ValueError, match="pass n="):
        list(select_problems("Arithmetic"))
    with pytest.raises(vrgym.UnknownTaskError):
        select_problems(["Arithmetic", "Nope"], 1)
    with pytest.raises(TypeError, match="not a Problem"):
        list(select_problems([1, 2]))


def test_real_mixture_when_available():
    mixture_module = pytest.importorskip("vrgym.mixture")
    if not hasattr(mixture_module, "Mixture"):
        pytest.skip("vrgym.mixture has no Mixture yet")
    mixture = mixture_module.Mixture.from_dict(
        {
            "entries": [
                {"task": "Arithmetic", "weight": 1},
                {"task": "MorseDecode", "weight": 1},
            ]
        }
    )
    first = build_dataset(mixture, 6, seed=3)
    again = build_dataset(mixture, 6, seed=3)
    assert first["problem"] == again["problem"] and set(first["task"]) <= {
        "Arithmetic",
        "MorseDecode",
    }


@pytest.mark.parametrize("name", ["rows.jsonl", "rows.parquet", "rows_hf"])
def test_every_format_round_trips_and_verifies(tmp_path, problems, references, name):
    path = tmp_path / name
    assert export_dataset(problems, path, system_prompt="sys") == len(problems)
    if name.endswith(".jsonl"):
        rows = [json.loads(line) for line in path.read_text().splitlines()]
    elif name.endswith(".parquet"):
        rows = pq.read_table(path).to_pylist()
    else:
        rows = datasets.load_from_disk(str(path)).to_list()
    assert [list(row) for row in rows] == [list(COLUMNS)] * len(problems)
    for row, problem, reference in zip(rows, problems, references):
        assert row["prompt"] == [
            {"role": "system", "content": "sys"},
            {"role": "user", "content": problem.prompt},
        ]
        assert (row["task"], row["difficulty"], row["tags"], row["id"]) == (
            problem.task,
            problem.difficulty,
            list(problem.tags),
            problem.id,
        )
        assert vrgym.verify(row["problem"], reference).reward == 1


def test_an_interrupted_export_keeps_a_partial_file(tmp_path, problems):
    def stream():
        yield from problems[:2]
        raise KeyboardInterrupt

    path = tmp_path / "rows.jsonl"
    with pytest.raises(KeyboardInterrupt):
        export_dataset(stream(), path)
    assert not path.exists()
    assert len((tmp_path / "rows.jsonl.partial").read_text().splitlines()) == 2


def test_push_to_hub_passes_the_exact_arguments(monkeypatch, problems):
    calls = []

    def fake_push(self, repo_id, **kwargs):
        calls.append((len(self), self.column_names, repo_id, kwargs))
        return "commit-info"

    monkeypatch.setattr(datasets.Dataset, "push_to_hub", fake_push)
    assert (
        push_to_hub(
            problems, "me/vrgym-mix", split="validation", private=True, token="hf_x"
        )
        == "commit-info"
    )
    assert calls == [(5, list(COLUMNS), "me/vrgym-mix",
                      {"split": "validation", "private": True, "token": "hf_x", "commit_message": "vrgym export: 5 problems"})]  # fmt: skip
    ready = build_dataset("Arithmetic", 2)
    push_to_hub(ready, "me/ready")
    assert calls[-1][:3] == (2, list(COLUMNS), "me/ready")


# ------------------------------------------------------------------------------------------------ CLI


def test_cli_export_tasks_problems_and_verl(tmp_path, capsys):
    out = tmp_path / "rows.parquet"
    assert (
        main(
            [
                "export",
                "Arithmetic",
                "MorseDecode",
                "-n",
                "3",
                "--seed",
                "1",
                "-o",
                str(out),
                "-q",
            ]
        )
        == 0
    )
    table = pq.read_table(out)
    assert table.num_rows == 6 and table.column_names == list(COLUMNS)

    problems_file = tmp_path / "p.jsonl"
    assert (
        main(["generate", "Arithmetic", "-n", "2", "-o", str(problems_file), "-q"]) == 0
    )
    verl = tmp_path / "verl.parquet"
    assert (
        main(
            [
                "export",
                "--problems",
                str(problems_file),
                "--layout",
                "verl",
                "--split",
                "test",
                "-o",
                str(verl),
                "-q",
            ]
        )
        == 0
    )
    rows = pq.read_table(verl).to_pylist()
    assert [r["extra_info"]["split"] for r in rows] == ["test", "test"] and rows[0][
        "reward_model"
    ]["style"] == "rule"

    plain = tmp_path / "plain.jsonl"
    assert (
        main(["export", "Arithmetic", "-n", "1", "--plain", "-o", str(plain), "-q"])
        == 0
    )
    assert isinstance(json.loads(plain.read_text())["prompt"], str)


def test_cli_push_to_hub(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(
        datasets.Dataset,
        "push_to_hub",
        lambda self, repo_id, **kw: calls.append((len(self), repo_id, kw)),
    )
    assert (
        main(
            [
                "export",
                "Arithmetic",
                "-n",
                "4",
                "--push-to-hub",
                "me/arith",
                "--private",
                "-q",
            ]
        )
        == 0
    )
    assert calls == [
        (
            4,
            "me/arith",
            {
                "split": "train",
                "private": True,
                "token": None,
                "commit_message": "vrgym export: 4 problems",
            },
        )
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "-n", "2", "-o", "x.jsonl"], "exactly one source"),
        (["export", "Arithmetic", "-o", "x.jsonl"], "how many problems with -n"),
        (["export", "Arithmetic", "-n", "2"], "either -o OUTPUT or --push-to-hub"),
        (["export", "Nope", "-n", "2", "-o", "x.jsonl"], "unknown task 'Nope'"),
        (
            [
                "export",
                "Arithmetic",
                "-n",
                "2",
                "--layout",
                "verl",
                "--format",
                "jsonl",
                "-o",
                "x.jsonl",
            ],
            "parquet only",
        ),
    ],
)
def test_cli_usage_errors_are_one_line_with_exit_2(
    tmp_path, monkeypatch, capsys, argv, message
):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
