"""Append-only logs (torn lines, corruption, locking) and selection rules (decisions, cut-offs, lottery, settling)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from vrgym.errors import DataFileError
from vrgym.filter import Rule, parse_shard
from vrgym.filter.checkpoint import AppendLog, read_log
from vrgym.filter.selection import describe_cutoffs

# ------------------------------------------------------------------------------------------ logs


def test_log_appends_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    with AppendLog(path) as log:
        assert log.append([{"a": 1}, {"a": "ü"}]) == 2
        assert log.append([]) == 0
    with AppendLog(path) as log:
        log.append([{"a": 3}])
    assert list(read_log(path)) == [{"a": 1}, {"a": "ü"}, {"a": 3}]
    assert list(read_log(tmp_path / "missing.jsonl")) == []


@pytest.mark.parametrize("tail", [b'{"a": 9', b'{"a": 9}', b"x" * 200_000])
def test_torn_last_line_is_ignored_then_cut(tmp_path: Path, tail: bytes) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": 2}\n' + tail)
    assert list(read_log(path)) == [{"a": 1}, {"a": 2}]
    with AppendLog(path) as log:
        log.append([{"a": 3}])
    assert path.read_bytes() == b'{"a": 1}\n{"a": 2}\n{"a": 3}\n'


def test_a_log_that_is_one_torn_line_is_emptied(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b'{"half"')
    with AppendLog(path) as log:
        log.append([{"a": 1}])
    assert list(read_log(path)) == [{"a": 1}]


def test_corruption_in_the_middle_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b'{"a": 1}\nnot json\n{"a": 2}\n')
    with pytest.raises(DataFileError, match=r"line 2: not valid JSON in the middle"):
        list(read_log(path))


def test_two_writers_on_one_log_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    with AppendLog(path):
        with pytest.raises(DataFileError, match="another process is writing.*--shard"):
            AppendLog(path)
    with AppendLog(path):  # the lock is released on close
        pass


def test_parse_shard() -> None:
    assert parse_shard("0/1") == (0, 1) and parse_shard("3/4") == (3, 4)
    for bad in ("4/4", "-1/2", "a/b", "3", "1/0"):
        with pytest.raises(ValueError, match="I/N"):
            parse_shard(bad)


# ------------------------------------------------------------------------------------------ rules


def test_mixed_rule() -> None:
    rule = Rule()
    assert [rule.decide(4, c, "x") for c in range(5)] == ["too_hard", "keep", "keep", "keep", "too_easy"]
    assert rule.decide(0, 0, "x") == "no_data"


def test_drop_rules_and_all() -> None:
    assert [Rule("drop-solved").decide(2, c, "x") for c in range(3)] == ["keep", "keep", "too_easy"]
    assert [Rule("drop-unsolved").decide(2, c, "x") for c in range(3)] == ["too_hard", "keep", "keep"]
    assert [Rule("all").decide(2, c, "x") for c in range(3)] == ["keep"] * 3


def test_band_rule_bounds() -> None:
    inclusive = Rule("band", 0.25, 0.75)
    exclusive = Rule("band", 0.25, 0.75, inclusive=False)
    assert [inclusive.decide(4, c, "x") for c in range(5)] == ["too_hard", "keep", "keep", "keep", "too_easy"]
    assert [exclusive.decide(4, c, "x") for c in range(5)] == ["too_hard", "too_hard", "keep", "too_easy", "too_easy"]
    # the research note's observation: with n = 8 the exclusive band (0.1, 0.9) is exactly 0 < c < 8
    assert Rule("band", 0.1, 0.9, inclusive=False).cutoffs(8) == Rule().cutoffs(8) == list(range(1, 8))
    assert describe_cutoffs(Rule("band", 0.2, 0.8), 16) == "keeps 4 <= c <= 12 of 16"


def test_band_on_pass_at_j() -> None:
    rule = Rule("band", 0.5, 0.9, metric="pass@4")
    assert rule.metric_value(8, 1) == pytest.approx(0.5)
    assert rule.decide(8, 1, "x") == "keep" and rule.decide(8, 0, "x") == "too_hard" and rule.decide(8, 3, "x") == "too_easy"
    assert rule.decide(3, 1, "x") == "no_data"  # fewer scored samples than J


@pytest.mark.parametrize(
    "kwargs",
    [{"keep": "nope"}, {"keep": "band", "low": 0.8, "high": 0.2}, {"keep_easy_frac": 1.5}, {"metric": "pass@0"}, {"metric": "acc"}],
)
def test_invalid_rules_say_what_is_wrong(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        Rule(**kwargs)


def test_keep_easy_lottery_is_per_problem_and_seeded() -> None:
    rule = Rule(keep_easy_frac=0.3, seed=5)
    ids = [f"{i:016x}" for i in range(2000)]
    kept = [pid for pid in ids if rule.decide(4, 4, pid) == "keep_easy"]
    assert 0.25 < len(kept) / len(ids) < 0.35
    assert kept == [pid for pid in ids if Rule(keep_easy_frac=0.3, seed=5).decide(4, 4, pid) == "keep_easy"]
    assert kept != [pid for pid in ids if Rule(keep_easy_frac=0.3, seed=6).decide(4, 4, pid) == "keep_easy"]
    assert all(rule.decide(4, c, pid) != "keep_easy" for c in range(4) for pid in ids[:50])  # only too-easy ones


@pytest.mark.parametrize("rule", [Rule(), Rule("band", 0.2, 0.8), Rule("drop-unsolved"), Rule("band", 0.3, 0.6, inclusive=False)])
def test_settled_means_no_remaining_outcome_changes_the_decision(rule: Rule) -> None:
    n = 6
    for n_now in range(n + 1):
        for c_now in range(n_now + 1):
            finals = {rule.decide(n, c_now + extra, "x") for extra in range(n - n_now + 1)}
            assert rule.settled(n, n_now, c_now, "x") == (len(finals) == 1)
    assert Rule().settled(16, 2, 1, "x")  # one success and one failure settle the mixed rule
    assert not Rule().settled(16, 3, 3, "x")


def test_settled_agrees_with_brute_force_over_sequences() -> None:
    """Stopping when settled never changes the final decision, for every outcome sequence of length 6."""
    rule = Rule("band", 0.2, 0.7)
    for outcomes in itertools.product((0, 1), repeat=6):
        final = rule.decide(6, sum(outcomes), "x")
        for t in range(7):
            if rule.settled(6, t, sum(outcomes[:t]), "x"):
                assert {rule.decide(6, sum(outcomes[:t]) + e, "x") for e in range(6 - t + 1)} == {final}
                break
