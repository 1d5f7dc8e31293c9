"""`vrgym selfcheck`: the contract suite per template, a pass/fail table, exit 1 on any failure."""

from __future__ import annotations

import pytest

import vrgym.testing

pytestmark = pytest.mark.skipif(not hasattr(vrgym.testing, "run_contract"), reason="vrgym.testing.run_contract not available yet")


def test_passing_template(cli):
    result = cli("selfcheck", "ToyEcho", "--seeds", 2)
    assert result.code == 0, result.out + result.err
    header, rule, row, *rest = result.out.splitlines()
    assert header.split() == ["TEMPLATE", "RESULT", "FAILURES", "FAILED", "CHECKS"]
    assert row.split() == ["ToyEcho", "pass", "0"]
    assert "1 of 1 templates passed" in result.out


def test_failing_template_prints_details_and_exits_1(cli):
    result = cli("selfcheck", "ToyEcho", "ToyBroken", "--seeds", 2)
    assert result.code == 1
    rows = {line.split()[0]: line.split()[1] for line in result.out.splitlines()[2:4]}
    assert rows == {"ToyEcho": "pass", "ToyBroken": "FAIL"}
    assert "ToyBroken v0 FAILED" in result.out  # the contract report's summary
    assert "1 of 2 templates passed; 1 failed" in result.out


def test_a_crashing_suite_is_reported_per_template(cli, monkeypatch):
    def crash(template, **kwargs):
        raise RuntimeError(f"cannot check {template}")

    monkeypatch.setattr(vrgym.testing, "run_contract", crash)
    result = cli("selfcheck", "ToyEcho")
    assert result.code == 1
    assert result.out.splitlines()[2].split()[:2] == ["ToyEcho", "ERROR"]
    assert "run_contract raised RuntimeError: cannot check ToyEcho" in result.out


def test_unknown_task_and_bad_seeds_are_usage_errors(cli):
    cli("selfcheck", "ToyEko").assert_one_line_error(2, "Did you mean: ToyEcho")
    cli("selfcheck", "ToyEcho", "--seeds", 1).assert_one_line_error(2, "must be at least 2")
