"""`vrgym coverage` and `vrgym mix sample`: what a dataset or mixture covers, and sampling a mixture to a file.

    vrgym coverage --mixture mix.yaml -n 2000 --min-share 0.02 --chart coverage.png
    vrgym coverage --dataset kept.parquet --json
    vrgym mix sample mix.yaml -n 10000 --seed 0 -o train.jsonl

`coverage` prints tables of problems by domain, difficulty and tag (every level of the tag
hierarchy), then the under-covered tags (share below ``--min-share``) and the tags of the covered
domains' templates that never appear; ``--json`` prints the same as JSON, ``--chart`` also draws
a PNG. Errors are one line with the remedy; exit codes as in `vrgym.cli` (2 usage, 1 data
failure, 130 interrupted). matplotlib, pyarrow and datasets load only inside the handlers.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from vrgym.cli import PROG, Salvage, UsageError, _at_least, progress, render_table


def add_coverage_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `coverage` and `mix` to the `vrgym` subparsers (called by `vrgym.cli.build_parser`)."""
    cmd = commands.add_parser("coverage", parents=[common], help="counts by domain, tag and difficulty of a dataset or mixture")
    source = cmd.add_mutually_exclusive_group(required=True)
    source.add_argument("--mixture", metavar="FILE", help="a mixture YAML file (sampled -n problems)")
    source.add_argument("--dataset", metavar="PATH", help="a problems file: jsonl, parquet or a Hugging Face dataset folder")
    cmd.add_argument("-n", type=_at_least(1), default=1000, help="problems to sample from --mixture (default 1000)")
    cmd.add_argument("--seed", type=int, help="stream seed for --mixture (default: the mixture's)")
    cmd.add_argument("--min-share", type=_share, default=0.02, metavar="X", help="flag tags on fewer than this share of problems (default 0.02)")
    cmd.add_argument("--top", type=_at_least(1), default=30, help="tags shown in the table and chart (default 30)")
    cmd.add_argument("--chart", metavar="PNG", help="also draw the coverage chart to this PNG file")
    cmd.add_argument("--json", action="store_true", help="print JSON instead of tables")
    cmd.set_defaults(handler=cmd_coverage)

    mix = commands.add_parser("mix", parents=[common], help="task mixtures: sample one to a file")
    steps = mix.add_subparsers(dest="mix_command", metavar="STEP", required=True)
    cmd = steps.add_parser("sample", parents=[common], help="write N problems of a mixture (jsonl, parquet or HF folder)")
    cmd.add_argument("mixture", metavar="MIXTURE", help="mixture YAML file")
    cmd.add_argument("-n", type=_at_least(1), required=True, help="problems in total")
    cmd.add_argument("--seed", type=int, help="stream seed (default: the mixture's)")
    cmd.add_argument("--start", type=_at_least(0), default=0, help="first position of the mixture stream (default 0)")
    cmd.add_argument("-o", "--output", required=True, help="*.jsonl, *.parquet, or a folder for a Hugging Face dataset")
    cmd.add_argument("-q", "--quiet", action="store_true", help="no progress bar or final message")
    cmd.set_defaults(handler=cmd_mix_sample)


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value}")
    return value


def _load_mixture(path: str) -> Any:
    """The mixture in file `path` (always read as a file, even if its name contains ':')."""
    from pathlib import Path

    from vrgym.mixture.mixture import Mixture

    return Mixture.from_yaml(Path(path))


def cmd_coverage(args: argparse.Namespace) -> int:
    """`vrgym coverage`: tables (or JSON) of what a dataset or a mixture sample covers, and the gaps."""
    from vrgym.mixture.coverage import coverage, ranked

    if args.mixture:
        mixture = _load_mixture(args.mixture)
        problems, title = mixture.problems(args.n, seed=args.seed), mixture.name or args.mixture
    else:
        if args.seed is not None or args.n != 1000:
            raise UsageError("-n and --seed apply to --mixture only; a --dataset is counted whole")
        from vrgym.io import iter_problems

        problems, title = iter_problems(args.dataset), args.dataset
    report = coverage(problems, min_share=args.min_share)
    if report.total == 0:
        raise UsageError(f"{title} holds no problems; nothing to count")
    if args.chart:
        from vrgym.mixture.chart import draw_chart

        draw_chart(report, args.chart, title=str(title), top=args.top)
    if args.json:
        print(json.dumps(report.to_dict(), indent=1))
        return 0

    def rows(items: list[tuple[str, int]]) -> list[tuple[str, str, str]]:
        return [(name, str(count), f"{report.share(count):.1%}") for name, count in items]

    low = set(report.under_covered)
    tag_rows = [(("! " if n in low else "  ") + n, c, s) for n, c, s in rows(ranked(report.tags)[: args.top])]
    sections = [
        f"{report.total} problems from {title}",
        render_table(("DOMAIN", "N", "SHARE"), rows(ranked(report.domains))),
        render_table(("DIFFICULTY", "N", "SHARE"), rows(ranked(report.difficulties))),
        render_table(("TASK", "N", "SHARE"), rows(ranked(report.tasks))),
        render_table(("  TAG (! = under-covered)", "N", "SHARE"), tag_rows),
        f"under-covered (< {report.min_share:.1%}): {', '.join(report.under_covered) or 'none'}",
        f"missing tags of the covered domains: {', '.join(report.missing) or 'none'}",
    ]
    if len(report.tags) > args.top:
        sections[4] += f"\n  … {len(report.tags) - args.top} more tags (--top, --json)"
    print("\n\n".join(sections))
    if args.chart:
        print(f"\nchart written to {args.chart}")
    return 0


def cmd_mix_sample(args: argparse.Namespace) -> int:
    """`vrgym mix sample`: N problems of a mixture, in mixture order, to one file (crash-safe)."""
    from vrgym.io import open_problem_writer

    mixture = _load_mixture(args.mixture)
    bar = progress(args.n, "problem", quiet=args.quiet)
    with bar, Salvage() as saving:
        with saving(open_problem_writer(args.output)) as writer:
            for problem in mixture.problems(args.n, seed=args.seed, start=args.start):
                writer.write(problem)
                bar.update(1)
    if not args.quiet:
        print(f"{PROG}: wrote {writer.count} problems of {args.mixture} to {args.output}", file=sys.stderr)
    return 0
