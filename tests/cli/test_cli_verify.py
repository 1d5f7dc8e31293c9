"""`vrgym verify`: verdict files, summary numbers, workers, and every error path."""

from __future__ import annotations

import json
import multiprocessing

import pytest

import vrgym
from vrgym.io import read_problems, read_verdicts, write_problems


@pytest.fixture
def problems_file(cli, tmp_path):
    path = tmp_path / "problems.jsonl"
    assert cli("generate", "ToyEcho", "ToyPair", "-n", 4, "-q", "-o", path).code == 0
    return path


def good(problem):
    return vrgym.get_template(problem.task).reference_response(problem)


@pytest.fixture
def responses_file(problems_file, tmp_path, write_jsonl):
    """Per problem: the reference answer; plus a wrong and a missing answer for the ToyEcho ones."""
    records = []
    for p in read_problems(problems_file):
        records.append({"id": p.id, "response": good(p), "model": "ignored"})
        if p.task == "ToyEcho":
            records.append({"id": p.id, "response": r"\boxed{-1}"})
            records.append({"id": p.id, "response": "I don't know", "sample": 7})
    return write_jsonl(tmp_path / "responses.jsonl", records)


def test_verdicts_in_response_order_with_summary_table(cli, problems_file, responses_file, tmp_path):
    out = tmp_path / "verdicts.jsonl"
    result = cli("verify", problems_file, responses_file, "-o", out)
    assert result.code == 0, result.err
    verdicts = read_verdicts(out)
    responses = [json.loads(line) for line in responses_file.read_text(encoding="utf-8").splitlines()]
    assert [(v["id"], v["sample"]) for v in verdicts] == [(r["id"], r.get("sample", s)) for r, s in zip(responses, [0, 1, 7] * 4 + [0] * 4)]
    assert all(list(v) == ["id", "task", "sample", "reward", "reason", "detail", "checks", "answer"] for v in verdicts)
    assert [v["reason"] for v in verdicts[:3]] == ["ok", "wrong_answer", "no_answer"]
    table = result.out.splitlines()
    assert table[0].split() == ["TASK", "N", "SKIPPED", "MEAN", "REWARD", "REASONS"]
    assert table[2].split() == ["ToyEcho", "12", "0", "0.333", "no_answer=4", "ok=4", "wrong_answer=4"]
    assert table[3].split() == ["ToyPair", "4", "0", "1.000", "ok=4"]
    assert table[4].split() == ["TOTAL", "16", "0", "0.500", "no_answer=4", "ok=8", "wrong_answer=4"]
    assert "wrote 16 verdicts" in result.err


def test_json_summary_counts_unanswered_problems(cli, problems_file, tmp_path, write_jsonl):
    problem = read_problems(problems_file)[0]
    responses = write_jsonl(tmp_path / "r.jsonl", [{"id": problem.id, "response": good(problem)}, {"id": problem.id, "response": None}])
    result = cli("verify", problems_file, responses, "-o", tmp_path / "v.jsonl", "--json", "-q")
    assert result.code == 0, result.err
    assert result.err == ""
    assert result.json == {
        "tasks": {"ToyEcho": {"n": 2, "mean_reward": 0.5, "skipped": 0, "reasons": {"format": 1, "ok": 1}}},
        "total": {"n": 2, "mean_reward": 0.5, "skipped": 0, "reasons": {"format": 1, "ok": 1}},
        "unanswered_problems": 7,
        "verdicts": str(tmp_path / "v.jsonl"),
    }


def test_infrastructure_failures_are_skipped_in_the_mean(cli, problems_file, tmp_path, write_jsonl, monkeypatch):
    template = vrgym.get_template("ToyEcho")
    monkeypatch.setattr(type(template), "check", lambda self, problem, response: 1 / 0)  # -> verifier_error
    problem = read_problems(problems_file)[0]
    responses = write_jsonl(tmp_path / "r.jsonl", [{"id": problem.id, "response": "x"}])
    result = cli("verify", problems_file, responses, "-o", tmp_path / "v.jsonl", "--json")
    assert result.json["total"] == {"n": 1, "mean_reward": None, "skipped": 1, "reasons": {"verifier_error": 1}}


@pytest.mark.parametrize("workers", ["2", "0"])
def test_workers_give_the_same_verdicts_in_order(cli, problems_file, responses_file, tmp_path, workers):
    assert cli("verify", problems_file, responses_file, "-o", tmp_path / "one.jsonl", "-q").code == 0
    result = cli("verify", problems_file, responses_file, "-o", tmp_path / "many.jsonl", "-q", "--workers", workers)
    assert result.code == 0, result.err
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "many.jsonl").read_bytes()


def test_workers_find_templates_under_spawn(cli, problems_file, responses_file, tmp_path, monkeypatch):
    monkeypatch.setattr(multiprocessing, "get_context", _forced(multiprocessing.get_context, "spawn"))
    assert cli("verify", problems_file, responses_file, "-o", tmp_path / "one.jsonl", "-q").code == 0
    result = cli("verify", problems_file, responses_file, "-o", tmp_path / "spawn.jsonl", "-q", "--workers", "2")
    assert result.code == 0, result.err
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "spawn.jsonl").read_bytes()


def _forced(get_context, method):
    return lambda name=None: get_context(method)


@pytest.mark.parametrize("fmt", ["parquet", "hf"])
def test_tabular_problems_and_parquet_responses(cli, problems_file, responses_file, tmp_path, fmt):
    import pyarrow as pa
    import pyarrow.parquet as pq

    problems = tmp_path / ("p.parquet" if fmt == "parquet" else "pds")
    write_problems(read_problems(problems_file), problems)
    rows = [json.loads(line) for line in responses_file.read_text(encoding="utf-8").splitlines()]
    table = pa.table({"id": [r["id"] for r in rows], "response": [r["response"] for r in rows], "sample": [r.get("sample") for r in rows]})
    pq.write_table(table, tmp_path / "r.parquet")
    assert cli("verify", problems_file, responses_file, "-o", tmp_path / "a.jsonl", "-q").code == 0
    result = cli("verify", problems, tmp_path / "r.parquet", "-o", tmp_path / "b.jsonl", "-q")
    assert result.code == 0, result.err
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_unknown_ids_stop_before_anything_is_written(cli, problems_file, tmp_path, write_jsonl):
    problem = read_problems(problems_file)[0]
    responses = write_jsonl(
        tmp_path / "r.jsonl",
        [{"id": problem.id, "response": "x"}] + [{"id": f"nope{i}", "response": "x"} for i in range(5)],
    )
    out = tmp_path / "v.jsonl"
    line = cli("verify", problems_file, responses, "-o", out).assert_one_line_error(1, "5 response id(s) are not in")
    assert "nope0, nope1, nope2 …" in line
    assert not out.exists() and not (tmp_path / "v.jsonl.partial").exists()


def test_ctrl_c_keeps_the_verdicts_so_far(cli, problems_file, responses_file, tmp_path, monkeypatch):
    template = type(vrgym.get_template("ToyPair"))
    monkeypatch.setattr(template, "check", lambda self, problem, response: (_ for _ in ()).throw(KeyboardInterrupt))
    out = tmp_path / "v.jsonl"
    result = cli("verify", problems_file, responses_file, "-o", out)
    assert result.code == 130
    assert "12 verdicts saved to" in result.err and f"{out}.partial" in result.err
    assert len(read_verdicts(tmp_path / "v.jsonl.partial")) == 12  # the ToyEcho responses come first
    assert not out.exists()


@pytest.mark.parametrize(
    ("make", "code", "contains"),
    [
        (lambda p, r, d: (d / "missing.jsonl", r), 1, "missing.jsonl: no such file"),
        (lambda p, r, d: (p, d / "missing.jsonl"), 1, "missing.jsonl: no such file"),
        (lambda p, r, d: (p, _write(d / "bad.jsonl", '{"id": "a", "response": "x"}\n{"id": "b", "resp')), 1, "bad.jsonl, line 2: not valid JSON"),
        (lambda p, r, d: (p, _write(d / "bad.jsonl", '{"response": "x"}\n')), 1, 'line 1: needs an "id"'),
        (lambda p, r, d: (p, _write(d / "bad.jsonl", '{"id": "x"}\n')), 1, 'needs a "response"'),
        (lambda p, r, d: (_write(d / "bad.jsonl", '{"task": "ToyEcho"}\n'), r), 1, "not a valid problem"),
        (lambda p, r, d: (_write(d / "bad.parquet", "PAR1 and then garbage"), r), 1, "not a readable parquet file"),
        (lambda p, r, d: (d, r), 1, "not a saved Hugging Face dataset"),
    ],
)
def test_file_errors_are_one_line(cli, problems_file, responses_file, tmp_path, make, code, contains):
    problems, responses = make(problems_file, responses_file, tmp_path)
    cli("verify", problems, responses, "-o", tmp_path / "v.jsonl").assert_one_line_error(code, contains)
    assert not (tmp_path / "v.jsonl").exists()


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_problems_of_an_unknown_task_or_version(cli, problems_file, tmp_path, write_jsonl):
    problem = read_problems(problems_file)[0]
    for changed, contains in (({"task": "Gone"}, "unknown task 'Gone'"), ({"version": 9}, "v9 but this is v0")):
        other = problem.model_copy(update=changed)
        problems = write_jsonl(tmp_path / "p.jsonl", [json.loads(other.model_dump_json())])
        responses = write_jsonl(tmp_path / "r.jsonl", [{"id": other.id, "response": "x"}])
        cli("verify", problems, responses, "-o", tmp_path / "v.jsonl").assert_one_line_error(1, contains)


def test_verdicts_must_be_jsonl(cli, problems_file, responses_file, tmp_path):
    cli("verify", problems_file, responses_file, "-o", tmp_path / "v.parquet").assert_one_line_error(1, "name the output *.jsonl")
