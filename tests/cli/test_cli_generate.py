"""`vrgym generate`: output content, determinism, formats, config parsing and its error paths."""

from __future__ import annotations

import pytest

import vrgym
from vrgym.cli import UsageError, parse_config
from vrgym.io import read_problems


def test_generate_jsonl_is_the_problems_json(cli, tmp_path):
    out = tmp_path / "p.jsonl"
    result = cli("generate", "ToyEcho", "-n", 5, "--seed", 3, "-o", out)
    assert result.code == 0, result.err
    assert result.out == ""
    assert "wrote 5 problems (ToyEcho: 5)" in result.err
    expected = [vrgym.get_template("ToyEcho").generate(3, i).model_dump_json() for i in range(5)]
    assert out.read_text(encoding="utf-8").splitlines() == expected
    assert not (tmp_path / "p.jsonl.partial").exists()


def test_generate_is_byte_identical_for_the_same_arguments(cli, tmp_path):
    args = ("generate", "ToyEcho", "ToyPair", "-n", 7, "--seed", 11, "--quiet")
    assert cli(*args, "-o", tmp_path / "a.jsonl").code == 0
    assert cli(*args, "-o", tmp_path / "b.jsonl").code == 0
    assert cli("generate", "ToyEcho", "ToyPair", "-n", 7, "--seed", 12, "-q", "-o", tmp_path / "c.jsonl").code == 0
    a, b, c = ((tmp_path / f"{x}.jsonl").read_bytes() for x in "abc")
    assert a == b
    assert a != c


@pytest.mark.parametrize(("name", "fmt"), [("p.parquet", None), ("ds", None), ("weird.name", "jsonl"), ("p2.jsonl", "hf")])
def test_every_format_holds_the_same_problems(cli, tmp_path, name, fmt):
    reference = tmp_path / "ref.jsonl"
    assert cli("generate", "ToyEcho", "ToyPair", "-n", 4, "-q", "-o", reference).code == 0
    extra = ("--format", fmt) if fmt else ()
    result = cli("generate", "ToyEcho", "ToyPair", "-n", 4, "-q", "-o", tmp_path / name, *extra)
    assert result.code == 0, result.err
    assert read_problems(tmp_path / name) == read_problems(reference)
    assert [p.model_dump_json() for p in read_problems(tmp_path / name)] == reference.read_text(encoding="utf-8").splitlines()


def test_tasks_in_given_order_deduplicated_with_aliases(cli, tmp_path):
    out = tmp_path / "p.jsonl"
    assert cli("generate", "ToyPair", "toy_echo", "ToyPair", "vrgym/ToyEcho-v0", "-n", 2, "-q", "-o", out).code == 0
    assert [(p.task, p.index) for p in read_problems(out)] == [("ToyPair", 0), ("ToyPair", 1), ("ToyEcho", 0), ("ToyEcho", 1)]


def test_all_means_every_registered_template(cli, tmp_path):
    out = tmp_path / "p.jsonl"
    assert cli("generate", "all", "-n", 1, "-q", "-o", out).code == 0
    assert sorted(p.task for p in read_problems(out)) == vrgym.template_names()


def test_difficulty_config_and_start(cli, tmp_path):
    out = tmp_path / "p.jsonl"
    result = cli("generate", "ToyEcho", "-n", 2, "--start", 5, "--difficulty", "0", "--config", "width=4", "-q", "-o", out)
    assert result.code == 0, result.err
    problems = read_problems(out)
    assert [p.index for p in problems] == [5, 6]
    assert {p.difficulty for p in problems} == {"easy"}
    assert {p.config["width"] for p in problems} == {4}
    assert problems[0] == vrgym.get_template("ToyEcho").generate(0, 5, difficulty="easy", width=4)


def test_config_values_are_json_when_possible():
    assert parse_config(["a=3", "b=true", "c=[1, 2]", "d=hello", "e=", 'f="7"', "g=x=y", " h =null"]) == {
        "a": 3, "b": True, "c": [1, 2], "d": "hello", "e": "", "f": "7", "g": "x=y", "h": None,
    }  # fmt: skip
    for bad in ("novalue", "=3"):
        with pytest.raises(UsageError, match="KEY=VALUE"):
            parse_config([bad])


def test_progress_bar_is_off_when_stderr_is_not_a_terminal(cli, tmp_path):
    result = cli("generate", "ToyEcho", "-n", 3, "-o", tmp_path / "p.jsonl")
    assert "it/s" not in result.err and "%|" not in result.err


def test_output_replaces_an_existing_file_only_when_complete(cli, tmp_path):
    out = tmp_path / "p.jsonl"
    out.write_text("old\n")
    assert cli("generate", "ToyEcho", "-n", 2, "-q", "-o", out).code == 0
    assert len(read_problems(out)) == 2


def test_ctrl_c_keeps_a_partial_file_and_says_so(cli, tmp_path, monkeypatch):
    template = vrgym.get_template("ToyEcho")
    original = type(template).generate
    calls = []

    def interrupted(self, seed, index, config=None, **kw):
        calls.append(index)
        if len(calls) > 3:
            raise KeyboardInterrupt
        return original(self, seed, index, config, **kw)

    monkeypatch.setattr(type(template), "generate", interrupted)
    out = tmp_path / "p.jsonl"
    out.write_text("previous complete file\n")
    result = cli("generate", "ToyEcho", "-n", 10, "-o", out)
    assert result.code == 130
    assert result.err.strip() == f"vrgym: interrupted; 3 problems saved to {out}.partial ({out} was not written)"
    assert len(read_problems(tmp_path / "p.jsonl.partial")) == 3
    assert out.read_text() == "previous complete file\n"


@pytest.mark.parametrize(
    ("argv", "contains"),
    [
        (["ToyEho"], "Did you mean: ToyEcho"),
        (["ToyEcho", "--config", "colour=3"], "ToyEcho: invalid EchoConfig"),
        (["ToyEcho", "--config", "width=wide"], "width"),
        (["ToyEcho", "ToyPair", "--config", "width=3"], "ToyPair: invalid"),
        (["ToyEcho", "--config", "width"], "--config expects KEY=VALUE"),
        (["ToyEcho", "--config", "difficulty=easy"], "--difficulty"),
        (["ToyEcho", "--difficulty", "impossible"], "unknown difficulty 'impossible'"),
        (["ToyEcho", "--difficulty", "7"], "out of range"),
        (["ToyEcho", "-n", "many"], "expected an integer"),
        (["ToyEcho", "--format", "csv"], "invalid choice"),
        (["ToyEcho", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_command_line_errors_are_one_line_exit_2(cli, tmp_path, argv, contains):
    if "-n" not in argv:
        argv = [*argv, "-n", "2"]
    out = tmp_path / "p.jsonl"
    cli("generate", *argv, "-o", out).assert_one_line_error(2, contains)
    assert not out.exists() and not (tmp_path / "p.jsonl.partial").exists()


@pytest.mark.parametrize(
    ("output", "extra", "contains"),
    [("p.json", [], "does not write .json files"), ("adir", ["--format", "jsonl"], "is a directory"), ("afile", [], "is a file")],
)
def test_bad_output_paths_are_one_line_exit_1(cli, tmp_path, output, extra, contains):
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("x")
    cli("generate", "ToyEcho", "-n", 1, "-o", tmp_path / output, *extra).assert_one_line_error(1, contains)


def test_a_template_crash_is_one_line_internal_error_without_output(cli, tmp_path, monkeypatch):
    def crash(self, rng, config):
        raise RuntimeError("boom")

    monkeypatch.setattr(type(vrgym.get_template("ToyEcho")), "build", crash)
    out = tmp_path / "p.jsonl"
    line = cli("generate", "ToyEcho", "-n", 2, "-o", out).assert_one_line_error(1, "internal error: RuntimeError: boom")
    assert "--debug" in line
    assert not out.exists() and not (tmp_path / "p.jsonl.partial").exists()
    with pytest.raises(RuntimeError, match="boom"):
        cli("--debug", "generate", "ToyEcho", "-n", 2, "-o", out)
