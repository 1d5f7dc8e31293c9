"""The top level of `vrgym.cli.main`: version, help, usage errors, error handling and exit codes."""

from __future__ import annotations

import pytest

import vrgym
from vrgym.errors import DataFileError


def test_version(cli):
    result = cli("--version")
    assert (result.code, result.out.strip()) == (0, f"vrgym {vrgym.__version__}")


def test_help_exits_0(cli):
    result = cli("--help")
    assert result.code == 0
    for command in ("list", "generate", "verify", "selfcheck"):
        assert command in result.out
    assert cli("generate", "--help").code == 0


@pytest.mark.parametrize(
    ("argv", "contains"),
    [
        ([], "required: COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["generate", "ToyEcho"], "required: -n, -o/--output"),
        (["verify", "a.jsonl"], "required"),
        (["list", "--json", "extra"], "unrecognized arguments: extra"),
    ],
)
def test_usage_errors_are_one_line_exit_2(cli, argv, contains):
    line = cli(*argv).assert_one_line_error(2, contains)
    assert "--help" in line


def _raise(exc: BaseException):
    def raising(*args, **kwargs):
        raise exc

    return raising


def test_vrgym_errors_are_one_line_exit_1_and_tracebacks_only_with_debug(cli, monkeypatch):
    monkeypatch.setattr("vrgym.cli.list_templates", _raise(DataFileError("x.jsonl, line 3: not valid JSON\n(second line)")))
    line = cli("list").assert_one_line_error(1)
    assert line == "vrgym: error: x.jsonl, line 3: not valid JSON (second line)"
    with pytest.raises(DataFileError):
        cli("list", "--debug")


def test_plain_os_errors_read_as_file_and_reason(cli, monkeypatch):
    monkeypatch.setattr("vrgym.cli.list_templates", _raise(PermissionError(13, "Permission denied", "/secret.jsonl")))
    assert cli("list").assert_one_line_error(1) == "vrgym: error: /secret.jsonl: Permission denied"


def test_keyboard_interrupt_outside_a_write_exits_130(cli, monkeypatch):
    monkeypatch.setattr("vrgym.cli.list_templates", _raise(KeyboardInterrupt()))
    result = cli("list")
    assert (result.code, result.err.strip()) == (130, "vrgym: interrupted; nothing was saved")


def test_broken_pipe_is_silent(cli, monkeypatch):
    monkeypatch.setattr("vrgym.cli.list_templates", _raise(BrokenPipeError(32, "Broken pipe")))
    result = cli("list")
    assert result.code == 1 and result.err == ""
