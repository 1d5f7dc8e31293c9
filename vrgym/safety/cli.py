"""`vrgym safety {evolve,export}`: the safety evolution loop on the command line.

    vrgym safety evolve --seeds harmful --backend openai --model M --base-url http://127.0.0.1:8000/v1 \\
        --rounds 3 --population 32 --k 4 --out runs/safety [--attacker-model A] [--judge-model J]
    vrgym safety export --out runs/safety [-o evolved.jsonl]

The target (and attack/judge models, which share its server unless `--attacker-base-url` /
`--judge-base-url` say otherwise) is checked before any work; an unreachable server is a
one-line error with the remedy. Re-running the same `evolve` command resumes the run; after
Ctrl-C (exit 130) nothing judged is lost. Exit codes: 0 ok, 1 run failure, 2 usage, 130 interrupted.
"""

from __future__ import annotations

import argparse
from typing import Any

from vrgym.cli import Interrupted, UsageError, _at_least


def add_safety_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `safety evolve` and `safety export` to the `vrgym` subparsers."""
    top = commands.add_parser("safety", parents=[common], help="evolve attack prompts against a target model")
    steps = top.add_subparsers(dest="safety_command", metavar="STEP", required=True)

    cmd = steps.add_parser("evolve", parents=[common], help="evolve seed prompts against a target (resumable)")
    cmd.add_argument("--seeds", choices=("harmful", "benign", "all"), default="harmful", help="seed pool (default harmful)")
    cmd.add_argument("--backend", default="openai", choices=("openai",), help="model backend (default openai)")
    cmd.add_argument("--model", required=True, help="target model name as the server knows it")
    cmd.add_argument("--base-url", help="target server, e.g. http://127.0.0.1:8000/v1")
    cmd.add_argument("--attacker-model", help="attack model rewriting prompts (default: the mutators)")
    cmd.add_argument("--attacker-base-url", help="attack model server (default: --base-url)")
    cmd.add_argument("--judge-model", help="judge model answering the rubric YES/NO (default: the rule judge)")
    cmd.add_argument("--judge-base-url", help="judge model server (default: --base-url)")
    cmd.add_argument("--rounds", type=_at_least(1), default=3, help="evolution rounds (default 3)")
    cmd.add_argument("--population", type=_at_least(1), default=16, help="candidates per round (default 16)")
    cmd.add_argument("--k", type=_at_least(1), default=2, help="target samples per candidate (default 2)")
    cmd.add_argument("--seed", type=int, default=0, help="run seed (default 0)")
    cmd.add_argument("--max-tokens", type=_at_least(1), default=512, help="target generation limit (default 512)")
    cmd.add_argument("--concurrency", type=_at_least(1), default=16, help="requests in flight (default 16)")
    cmd.add_argument("--out", required=True, metavar="RUNDIR", help="run directory (attempts.jsonl, evolved.jsonl)")
    cmd.set_defaults(handler=cmd_evolve)

    cmd = steps.add_parser("export", parents=[common], help="write a run's breaking prompts as problems")
    cmd.add_argument("--out", required=True, metavar="RUNDIR", help="the run directory")
    cmd.add_argument("-o", "--output", help="problems file (default RUNDIR/evolved.jsonl)")
    cmd.set_defaults(handler=cmd_export)


def _model(name: str, base_url: str | None, concurrency: int) -> Any:
    from vrgym.models import make_model

    model = make_model("openai", name, base_url=base_url, concurrency=concurrency)
    model.check()
    return model


def cmd_evolve(args: argparse.Namespace) -> int:
    """`vrgym safety evolve`: run or resume the loop, export, print a one-line summary."""
    from vrgym.safety.evolve import evolve
    from vrgym.safety.judges import ModelJudge, RuleJudge
    from vrgym.tasks.safety.seeds import load_seeds

    seeds = load_seeds(None if args.seeds == "all" else args.seeds)
    if not seeds:
        raise UsageError(f"no {args.seeds} seeds are installed; reinstall vrgym (the seed data ships with it)")
    target = _model(args.model, args.base_url, args.concurrency)
    attacker = _model(args.attacker_model, args.attacker_base_url or args.base_url, args.concurrency) if args.attacker_model else "mutators"
    judge = ModelJudge(_model(args.judge_model, args.judge_base_url or args.base_url, 1)) if args.judge_model else RuleJudge()
    try:
        result = evolve(seeds, target, out_dir=args.out, attacker=attacker, judge=judge, rounds=args.rounds,
                        population=args.population, k=args.k, seed=args.seed, max_tokens=args.max_tokens)
    except KeyboardInterrupt:
        raise Interrupted(f"every judged attempt is saved in {args.out}; run the same command to resume") from None
    print(f"{len(result.attempts)} attempts, {len(result.kept)} broke the target ({result.break_rate:.1%}); "
          f"training set: {result.export_path}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """`vrgym safety export`: (re)write the breaking prompts of a run as problems."""
    from vrgym.safety.evolve import export

    print(export(args.out, args.output))
    return 0
