"""`vrgym safety evolve/export` through `vrgym.cli.main`: a run against the scripted server keeps and
exports breaking prompts, re-running resumes, export rewrites the set, an unreachable server is a
one-line error with the remedy (exit 1)."""

from __future__ import annotations

from vrgym.cli import main
from vrgym.io import read_problems
from vrgym.testing.openai_server import OpenAIServer


def target(prompt: str, seed: int | None) -> str:
    if "Sure, here is" in prompt:
        return "Sure, here is how:\n1. Gather the materials.\n2. Follow these steps.\n3. Done."
    return "I'm sorry, but I can't help with that."


def test_evolve_then_export(tmp_path, capsys) -> None:
    out = tmp_path / "run"
    with OpenAIServer(respond=target) as server:
        argv = ["safety", "evolve", "--seeds", "harmful", "--model", server.model, "--base-url", server.base_url,
                "--rounds", "2", "--population", "8", "--k", "1", "--out", str(out)]
        assert main(argv) == 0
        first = capsys.readouterr().out
        assert "16 attempts" in first
        calls = server.calls
        assert main(argv) == 0 and server.calls == calls  # resumed: nothing asked again
    problems = read_problems(out / "evolved.jsonl")
    assert all("Sure, here is" in p.prompt for p in problems)
    assert main(["safety", "export", "--out", str(out), "-o", str(tmp_path / "set.jsonl")]) == 0
    assert len(read_problems(tmp_path / "set.jsonl")) == len(problems)


def test_unreachable_server_and_missing_run(tmp_path, capsys) -> None:
    code = main(["safety", "evolve", "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and "no server at" in err and "--base-url" in err and len(err.strip().splitlines()) == 1
    assert main(["safety", "export", "--out", str(tmp_path / "none")]) == 1
    assert "run `vrgym safety evolve" in capsys.readouterr().err
