"""Responses files (jsonl or parquet), verdict files, and the verify summary arithmetic."""

from __future__ import annotations

import json

import pytest

from vrgym.errors import DataFileError
from vrgym.io import Response, open_verdict_writer, read_responses, read_verdicts
from vrgym.batch import Summary
from vrgym.io.responses import VERDICT_KEYS, verdict_record
from vrgym.verdict import Verdict


def _jsonl(tmp_path, records, name="r.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_missing_sample_is_the_count_of_earlier_responses_with_that_id(tmp_path):
    path = _jsonl(tmp_path, [{"id": "a", "response": "1"}, {"id": "b", "response": "2"}, {"id": "a", "response": "3", "model": "m"}, {"id": "a", "response": None, "sample": 9}])
    assert read_responses(path) == [Response("a", "1", 0), Response("b", "2", 0), Response("a", "3", 1), Response("a", None, 9)]


def test_parquet_responses(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a", "a"], "response": ["x", "y"], "sample": [3, None]}), tmp_path / "r.parquet")
    assert read_responses(tmp_path / "r.parquet") == [Response("a", "x", 3), Response("a", "y", 1)]


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([{"response": "x"}], 'line 1: needs an "id"'),
        ([{"id": 5, "response": "x"}], 'needs an "id" .* got 5'),
        ([{"id": "a"}], 'line 1: needs a "response"'),
        ([{"id": "a", "response": "x", "sample": -1}], '"sample" must be a non-negative integer'),
        ([{"id": "a", "response": "x", "sample": "0"}], '"sample" must be a non-negative integer'),
        ([{"id": "a", "response": "x"}, {"id": "a", "response": "y", "sample": 0}], "line 2: a second response for id a with sample 0"),
    ],
)
def test_malformed_responses(tmp_path, records, message):
    with pytest.raises(DataFileError, match=message):
        read_responses(_jsonl(tmp_path, records))


def test_verdict_records_round_trip(tmp_path, problems):
    verdicts = [Verdict.correct(answer="7"), Verdict.fail("wrong_answer", "no", checks={"x": False}, answer="8")]
    records = [verdict_record(problems[0], Response(problems[0].id, "r", i), v) for i, v in enumerate(verdicts)]
    assert all(tuple(r) == VERDICT_KEYS for r in records)
    with open_verdict_writer(tmp_path / "v.jsonl") as writer:
        for record in records:
            writer.write(record)
    assert read_verdicts(tmp_path / "v.jsonl") == records
    assert records[1] == {"id": problems[0].id, "task": "Alpha", "sample": 1, "reward": 0, "reason": "wrong_answer", "detail": "no", "checks": {"x": False}, "answer": "8"}


def test_verdicts_file_checks(tmp_path):
    with pytest.raises(DataFileError, match="name the output \\*.jsonl"):
        open_verdict_writer(tmp_path / "v.parquet")
    with pytest.raises(DataFileError, match="line 1: not a verdict record \\(missing task, sample"):
        read_verdicts(_jsonl(tmp_path, [{"id": "a", "reward": 1}]))


def test_summary_skips_infrastructure_failures_in_the_mean():
    summary = Summary(unanswered=2)
    for task, reward, reason in [("A", 1, "ok"), ("A", 0, "wrong_answer"), ("A", 0, "sandbox_error"), ("B", 0, "verifier_error")]:
        summary.add({"task": task, "reward": reward, "reason": reason})
    assert summary.to_json() == {
        "tasks": {
            "A": {"n": 3, "mean_reward": 0.5, "skipped": 1, "reasons": {"ok": 1, "sandbox_error": 1, "wrong_answer": 1}},
            "B": {"n": 1, "mean_reward": None, "skipped": 1, "reasons": {"verifier_error": 1}},
        },
        "total": {"n": 4, "mean_reward": 0.5, "skipped": 2, "reasons": {"ok": 1, "sandbox_error": 1, "verifier_error": 1, "wrong_answer": 1}},
        "unanswered_problems": 2,
    }
