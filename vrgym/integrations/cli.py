"""`vrgym export` and `vrgym serve-reward`: trainer datasets and the HTTP reward server on the command line.

    vrgym export Arithmetic Game24 -n 500 --seed 0 -o train.parquet            # TRL / chat rows
    vrgym export --mixture mix.yaml -n 10000 -o train_hf/                      # HF save_to_disk folder
    vrgym export --problems kept.jsonl --layout verl --split train -o train.parquet
    vrgym export Arithmetic -n 100 --push-to-hub me/vrgym-arith --private
    vrgym serve-reward --host 127.0.0.1 --port 5000

Exactly one source: template names (with ``-n`` per template), ``--mixture FILE`` (``-n`` in
total) or ``--problems FILE``. Files are written crash-safe (``FILE.partial`` until complete).
Errors are one line with the remedy; exit codes as in `vrgym.cli` (2 usage, 1 failure, 130
interrupted). datasets, pyarrow, FastAPI and uvicorn load inside the handlers.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vrgym.cli import (
    PROG,
    Salvage,
    UsageError,
    _at_least,
    _generation_plan,
    parse_config,
)

LAYOUTS = ("chat", "verl")


def add_integrations_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `export` and `serve-reward` to the `vrgym` subparsers (called by `vrgym.cli.build_parser`)."""
    cmd = commands.add_parser(
        "export",
        parents=[common],
        help="export problems as a trainer dataset (TRL / verl / OpenRLHF)",
    )
    cmd.add_argument(
        "tasks",
        nargs="*",
        metavar="TASK",
        help="template names (or 'all'), -n problems each",
    )
    cmd.add_argument(
        "-n", type=_at_least(1), help="problems per task (with --mixture: in total)"
    )
    cmd.add_argument("--seed", type=int, default=0, help="stream seed (default 0)")
    cmd.add_argument(
        "--difficulty",
        help="difficulty level for TASKs (default: each template's default)",
    )
    cmd.add_argument(
        "-c",
        "--config",
        nargs="+",
        action="extend",
        default=[],
        metavar="KEY=VALUE",
        help="config overrides for TASKs",
    )
    cmd.add_argument(
        "--mixture",
        metavar="FILE",
        help="a mixture YAML file (vrgym.mixture) instead of TASKs",
    )
    cmd.add_argument(
        "--problems",
        metavar="FILE",
        help="a problems file (jsonl, parquet or HF folder) instead of TASKs",
    )
    cmd.add_argument(
        "-o",
        "--output",
        help="*.jsonl, *.parquet, or a folder for a Hugging Face dataset",
    )
    cmd.add_argument(
        "--format",
        choices=("jsonl", "parquet", "hf"),
        help="override the format chosen from the output path",
    )
    cmd.add_argument("--layout", choices=LAYOUTS, default="chat",
                     help="chat: prompt/problem/task/difficulty/tags/id (TRL, OpenRLHF); verl: verl's parquet rows")  # fmt: skip
    cmd.add_argument(
        "--split",
        default="train",
        help="split name (verl extra_info; hub split) (default train)",
    )
    cmd.add_argument("--system-prompt", help="a system message put before every prompt")
    cmd.add_argument(
        "--plain",
        action="store_true",
        help="prompt as plain text instead of chat messages (chat layout)",
    )
    cmd.add_argument(
        "--push-to-hub",
        metavar="REPO_ID",
        help="push the dataset to the Hugging Face Hub instead of -o",
    )
    cmd.add_argument(
        "--private",
        action="store_true",
        help="with --push-to-hub: create a private repository",
    )
    cmd.add_argument("-q", "--quiet", action="store_true", help="no final message")
    cmd.set_defaults(handler=cmd_export)

    cmd = commands.add_parser(
        "serve-reward",
        parents=[common],
        help="serve rewards over HTTP (OpenRLHF's remote reward form)",
    )
    cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    cmd.add_argument(
        "--port", type=_at_least(1), default=5000, help="port (default 5000)"
    )
    cmd.add_argument(
        "--workers",
        type=_at_least(1),
        default=1,
        help="verifier threads per request (default 1)",
    )
    cmd.add_argument("--infrastructure-reward", type=float, default=0.0,
                     help="reward for a sandbox/verifier error (default 0.0; OpenRLHF cannot skip samples)")  # fmt: skip
    cmd.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
    )
    cmd.set_defaults(handler=cmd_serve_reward)


def _source(args: argparse.Namespace) -> tuple[Any, int | None]:
    """(source, n) for the exporters, after checking that exactly one source was given."""
    given = [
        name
        for name, value in (
            ("TASK", args.tasks),
            ("--mixture", args.mixture),
            ("--problems", args.problems),
        )
        if value
    ]
    if len(given) != 1:
        raise UsageError(
            "give exactly one source: TASK names with -n, --mixture FILE with -n, or --problems FILE"
            + (f" (got {', '.join(given)})" if given else "")
        )
    if args.problems:
        if args.difficulty or args.config:
            raise UsageError(
                "--difficulty and --config apply to TASKs, not to --problems"
            )
        from vrgym.io import iter_problems

        return iter_problems(args.problems), args.n
    if args.n is None:
        raise UsageError(
            f"say how many problems with -n ({'per task' if args.tasks else 'in total'})"
        )
    if args.mixture:
        if args.difficulty or args.config:
            raise UsageError(
                "a mixture sets difficulty and config per entry; drop --difficulty / --config"
            )
        try:
            from vrgym.mixture import Mixture
        except ImportError:
            raise UsageError(
                "--mixture needs vrgym.mixture, which this installation does not have"
            ) from None
        return Mixture.from_yaml(args.mixture), args.n
    plan = _generation_plan(args.tasks, args.difficulty, parse_config(args.config))
    return (
        template.generate(args.seed, index, config)
        for template, config in plan
        for index in range(args.n)
    ), None


def cmd_export(args: argparse.Namespace) -> int:
    """`vrgym export`: write (or push) the rows of one source."""
    if bool(args.output) == bool(args.push_to_hub):
        raise UsageError("give either -o OUTPUT or --push-to-hub REPO_ID")
    if args.layout == "verl" and (args.push_to_hub or args.plain):
        raise UsageError(
            "the verl layout is a parquet file: use -o FILE.parquet, without --push-to-hub or --plain"
        )
    source, n = _source(args)
    if args.push_to_hub:
        from vrgym.integrations.export import push_to_hub

        push_to_hub(source, args.push_to_hub, n, split=args.split, private=args.private or None, seed=args.seed,
                    conversational=not args.plain, system_prompt=args.system_prompt)  # fmt: skip
        if not args.quiet:
            print(
                f"{PROG}: pushed to https://huggingface.co/datasets/{args.push_to_hub} (split {args.split})",
                file=sys.stderr,
            )
        return 0
    with Salvage() as saving:
        count = _write(args, source, n, saving)
    if not args.quiet:
        print(
            f"{PROG}: wrote {count} rows ({args.layout} layout) to {args.output}",
            file=sys.stderr,
        )
    return 0


def _write(
    args: argparse.Namespace, source: Any, n: int | None, saving: Salvage
) -> int:
    from vrgym.integrations.export import dataset_row, open_row_writer, select_problems
    from vrgym.integrations.verl import verl_row, verl_schema

    problems = select_problems(source, n, seed=args.seed)
    if args.layout == "verl":
        if args.format not in (None, "parquet"):
            raise UsageError(
                "the verl layout is written as parquet only; drop --format or use --format parquet"
            )
        from vrgym.io.writers import ParquetWriter

        with saving(
            ParquetWriter(args.output, verl_schema(), lambda row: row, noun="rows")
        ) as writer:
            for index, problem in enumerate(problems):
                writer.write(
                    verl_row(
                        problem, index, args.split, system_prompt=args.system_prompt
                    )
                )
        return writer.count
    with saving(
        open_row_writer(args.output, args.format, conversational=not args.plain)
    ) as writer:
        for problem in problems:
            writer.write(
                dataset_row(
                    problem,
                    system_prompt=args.system_prompt,
                    conversational=not args.plain,
                )
            )
    return writer.count


def cmd_serve_reward(args: argparse.Namespace) -> int:
    """`vrgym serve-reward`: run the HTTP reward server until Ctrl-C."""
    from vrgym.integrations.openrlhf import OpenRLHFReward
    from vrgym.integrations.reward_server import serve

    reward = OpenRLHFReward(
        as_tensors=False,
        workers=args.workers,
        infrastructure_reward=args.infrastructure_reward,
    )
    print(
        f"{PROG}: reward server on http://{args.host}:{args.port}/get_reward (Ctrl-C to stop)",
        file=sys.stderr,
    )
    serve(args.host, args.port, reward=reward, log_level=args.log_level)
    return 0
