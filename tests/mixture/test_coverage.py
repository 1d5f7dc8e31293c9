"""Coverage: counts at every tag level, under-covered and missing tags, the PNG chart, and the CLI."""

from __future__ import annotations

import json
import struct
from collections import Counter

import pytest

import vrgym
from vrgym.cli import main
from vrgym.io import write_problems
from vrgym.mixture import Mixture
from vrgym.mixture.chart import DPI, HEIGHT_IN, WIDTH_IN, draw_chart
from vrgym.mixture.coverage import coverage

MIX = """
name: skewed
entries:
  - {task: Arithmetic, weight: 9, difficulties: {easy: 1, hard: 1}}
  - {task: MorseDecode, weight: 2}
  - {task: MorseEncode, weight: 0.2}
"""


@pytest.fixture(scope="module")
def problems() -> list[vrgym.Problem]:
    return list(Mixture.from_yaml(MIX).problems(224, seed=0))


def test_counts_by_domain_tag_level_and_difficulty(problems):
    report = coverage(problems, min_share=0.05)
    by_task = Counter(p.task for p in problems)
    assert report.total == 224 and report.tasks == by_task
    assert report.domains == {"math": by_task["Arithmetic"], "logic": by_task["MorseDecode"] + by_task["MorseEncode"]}
    # Every prefix level counts each problem once: 'logic' covers decode and encode problems.
    assert report.tags["logic"] == report.tags["logic/morse"] == report.domains["logic"]
    assert report.tags["logic/morse/encode"] == by_task["MorseEncode"]
    assert report.tags["math/arithmetic"] == by_task["Arithmetic"]
    assert all(report.tags[t] <= report.tags[t.rsplit("/", 1)[0]] for t in report.tags if "/" in t)
    assert report.difficulties == Counter(p.difficulty for p in problems)
    assert "logic/morse/encode" in report.under_covered and "math" not in report.under_covered
    assert {"logic/sudoku", "math/calculus/limit"} <= set(report.missing)  # covered domains' tags never seen
    assert not any(t.startswith(("code", "safety")) for t in report.missing)  # domains not covered are not nagged about
    data = json.loads(json.dumps(report.to_dict()))
    assert data["total"] == 224 and data["domains"][0]["name"] == "math"


def test_empty_and_foreign_problems():
    assert coverage([]).total == 0 and coverage([]).under_covered == []
    foreign = vrgym.get_template("Arithmetic").generate(0).model_copy(update={"task": "NotInstalled", "tags": ("chem/titration",)})
    report = coverage([foreign])
    assert report.domains == {"chem": 1} and report.tags == {"chem": 1, "chem/titration": 1}
    with pytest.raises(ValueError, match="between 0 and 1"):
        coverage([], min_share=2)


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_chart_is_a_png_of_the_documented_size(problems, tmp_path):
    report = coverage(problems, min_share=0.05)
    path = draw_chart(report, tmp_path / "sub" / "coverage.png", title="skewed", top=6)
    assert png_size(path) == (int(WIDTH_IN * DPI), int(HEIGHT_IN * DPI))
    assert path.stat().st_size > 20_000  # bars and labels were drawn, not a blank canvas


def test_cli_mixture_tables_json_and_chart(tmp_path, capsys):
    mix = tmp_path / "mix.yaml"
    mix.write_text(MIX)
    chart = tmp_path / "c.png"
    assert main(["coverage", "--mixture", str(mix), "-n", "60", "--min-share", "0.05", "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "60 problems from skewed" in out and "DOMAIN" in out and "! logic/morse/encode" in out
    assert "missing tags of the covered domains:" in out and "logic/sudoku" in out
    assert png_size(chart) == (1400, 800)
    assert main(["coverage", "--mixture", str(mix), "-n", "60", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 60 and {row["name"] for row in data["domains"]} == {"math", "logic"}


def test_cli_dataset_and_mix_sample(tmp_path, capsys, problems):
    mix = tmp_path / "mix.yaml"
    mix.write_text(MIX)
    out = tmp_path / "sample.parquet"
    assert main(["mix", "sample", str(mix), "-n", "30", "-o", str(out), "-q"]) == 0
    assert vrgym.io.read_problems(out) == problems[:30]
    assert main(["coverage", "--dataset", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 30
    write_problems(problems[:10], tmp_path / "p.jsonl")
    assert main(["coverage", "--dataset", str(tmp_path / "p.jsonl")]) == 0
    assert "10 problems from" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["coverage"], 2, "one of the arguments --mixture --dataset is required"),
        (["coverage", "--dataset", "x.jsonl", "-n", "5"], 2, "-n and --seed apply to --mixture only"),
        (["coverage", "--dataset", "absent.jsonl"], 1, "absent.jsonl"),
        (["coverage", "--mixture", "absent.yaml"], 1, "no such mixture file"),
        (["coverage", "--mixture", "m.yaml", "--min-share", "3"], 2, "between 0 and 1"),
        (["mix", "sample", "bad.yaml", "-n", "2", "-o", "x.jsonl"], 1, "unknown task 'Nope'"),
    ],
)
def test_cli_errors_are_one_line_with_a_remedy(tmp_path, monkeypatch, capsys, argv, code, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("entries:\n  - task: Nope\n")
    assert main(argv) == code
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
