"""`vrgym filter {sample,score,select,run,report}`: the difficulty filter on the command line.

    vrgym filter run --task Arithmetic,Game24 --count 500 --seed 0 \\
        --backend openai --model Qwen/Qwen3-0.6B --base-url http://127.0.0.1:8000/v1 \\
        --k 16 --max-tokens 4096 --band 0.2:0.8 --out runs/qwen --workers 2
    vrgym filter select --out runs/qwen --band 0.1:0.9 --format parquet   # no new samples
    vrgym filter report --out runs/qwen

Input: registered tasks with a seed range (``--task A,B --count N --seed S --difficulty D``) or
``--problems FILE``; resuming a run needs neither, nor the model options: they are read back from
its manifest (the API key is read again from the environment variable named at the start).
The model is checked (server reachable, model known, key accepted) before any work starts.
``--ray`` runs sampling and scoring on Ray (``--ray`` alone: a local instance; ``--ray ADDRESS``: a
cluster): the same samples, scores and selection as without it, so a run started with Ray may be
resumed without it and vice versa; the manifest lists it under "executions" only as a detail.
Progress bars go to stderr when it is a terminal (``--quiet`` turns them off). Errors are one line
with the remedy; exit codes as in `vrgym.cli`: 2 usage, 1 data or run failure, 130 interrupted —
after Ctrl-C the run directory is resumable with the same command.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from vrgym.cli import PROG, Interrupted, UsageError, _at_least, parse_config, progress
from vrgym.filter.executor import LocalExecutor
from vrgym.filter.run import FilterRun, Shard, parse_shard
from vrgym.filter.selection import RULES, Rule
from vrgym.filter.stats import TRUNCATED_AS, StatsOptions
from vrgym.passk import INTERVAL_METHODS

BACKENDS = ("openai", "vllm", "hf", "callable")
SAMPLING_DEFAULTS = {"temperature": 1.0, "top_p": 1.0, "max_tokens": 2048}
_MODEL_ARGS = ("base_url", "endpoint", "concurrency", "timeout", "max_retries")
_EXECUTIONS_KEPT = 50


def add_filter_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `filter` and its subcommands to the `vrgym` subparsers (called by `vrgym.cli.build_parser`)."""
    top = commands.add_parser("filter", parents=[common], help="difficulty filtering by pass@k against a reference model")
    steps = top.add_subparsers(dest="filter_command", metavar="STEP", required=True)

    cmd = steps.add_parser("sample", parents=[common], help="draw k samples per problem (resumable)")
    _input_args(cmd), _model_args(cmd), _run_args(cmd), _ray_args(cmd)
    cmd.set_defaults(handler=cmd_sample)

    cmd = steps.add_parser("score", parents=[common], help="verify the samples of a run (resumable)")
    _out_arg(cmd), _score_args(cmd)
    cmd.add_argument("--shard", type=_shard, default=(0, 1), metavar="I/N", help="score only shard I of N")
    _ray_args(cmd)
    cmd.set_defaults(handler=cmd_score)

    cmd = steps.add_parser("select", parents=[common], help="apply a rule and write the kept problems (no sampling)")
    _out_arg(cmd), _select_args(cmd)
    cmd.set_defaults(handler=cmd_select)

    cmd = steps.add_parser("run", parents=[common], help="sample, score and select in one go (resumable)")
    _input_args(cmd), _model_args(cmd), _run_args(cmd), _score_args(cmd), _select_args(cmd), _ray_args(cmd)
    cmd.add_argument(
        "--rounds", type=_rounds, metavar="A,B,…",
        help="early stopping: sample in rounds of these sizes (summing to k), dropping problems the rule has decided "
        "(biases pass rates; off by default)",
    )  # fmt: skip
    cmd.set_defaults(handler=cmd_run)

    cmd = steps.add_parser("report", parents=[common], help="print the summary of a run (writes nothing)")
    _out_arg(cmd), _select_args(cmd, writes=False)
    cmd.set_defaults(handler=cmd_report)


# ---------------------------------------------------------------------------------------- arguments


def _out_arg(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--out", required=True, metavar="RUNDIR", help="the run directory")
    cmd.add_argument("-q", "--quiet", action="store_true", help="no progress bars or summary")


def _input_args(cmd: argparse.ArgumentParser) -> None:
    group = cmd.add_argument_group("input (omit both to resume a run)")
    group.add_argument("--task", type=_names, metavar="NAME[,NAME]", help="registered templates to generate problems from")
    group.add_argument("--count", type=_at_least(1), default=100, help="problems per task (default 100)")
    group.add_argument("--seed", type=int, default=0, help="problem stream seed (default 0)")
    group.add_argument("--difficulty", help="difficulty level (default: each template's default)")
    group.add_argument("-c", "--config", nargs="+", action="extend", default=[], metavar="KEY=VALUE", help="template config overrides")
    group.add_argument("--problems", metavar="FILE", help="problems file (jsonl, parquet or HF folder) instead of --task")


def _model_args(cmd: argparse.ArgumentParser) -> None:
    group = cmd.add_argument_group("reference model (omit to resume with the run's model)")
    group.add_argument("--backend", choices=BACKENDS, help="openai (any OpenAI-compatible server), vllm, hf or callable")
    group.add_argument("--model", help="model name (callable: 'package.module:function')")
    group.add_argument("--base-url", help="server URL for --backend openai, e.g. http://127.0.0.1:8000/v1")
    group.add_argument("--api-key-env", metavar="VAR", help="environment variable holding the API key (never stored)")
    group.add_argument("--endpoint", choices=("chat", "completions"), help="openai endpoint (default chat)")
    group.add_argument("--concurrency", type=_at_least(1), help="requests in flight (openai; default 16)")
    group.add_argument("--timeout", type=float, help="seconds per request (openai)")
    group.add_argument("--max-retries", type=_at_least(0), help="retries on 429/5xx/timeouts (openai; default 5)")
    group.add_argument("--k", type=_at_least(1), help="samples per problem (default 16)")
    group.add_argument("--temperature", type=float, help="sampling temperature (default 1.0)")
    group.add_argument("--top-p", type=float, help="nucleus sampling (default 1.0)")
    group.add_argument("--max-tokens", type=_at_least(1), help="generation limit per sample (default 2048)")
    group.add_argument("--stop", action="append", metavar="TEXT", help="stop sequence (repeatable)")
    group.add_argument("--sample-seed", type=int, help="run seed that per-sample seeds derive from (default 0)")


def _run_args(cmd: argparse.ArgumentParser) -> None:
    _out_arg(cmd)
    cmd.add_argument("--shard", type=_shard, default=(0, 1), metavar="I/N", help="work on shard I of N only (parallel runs)")
    cmd.add_argument("--force", action="store_true", help="discard an existing run in RUNDIR that has other settings")


def _score_args(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--workers", type=_at_least(0), default=1, help="verifier processes (0 = one per CPU; default 1)")


def _ray_args(cmd: argparse.ArgumentParser) -> None:
    from vrgym.filter.ray_executor import LOCAL

    group = cmd.add_argument_group("execution on Ray (same results; pip install 'vrgym[ray]')")
    group.add_argument(
        "--ray", nargs="?", const=LOCAL, metavar="ADDRESS",
        help="run sampling and scoring on Ray: alone, a local instance; or the cluster at ADDRESS "
        "(host:port, ray://host:10001, auto)",
    )  # fmt: skip
    group.add_argument(
        "--ray-actors", type=_at_least(1), metavar="N",
        help="model actors on Ray (openai: clients with --concurrency each, default one per node; vllm/hf: engines, "
        "default one per GPU)",
    )  # fmt: skip


def _select_args(cmd: argparse.ArgumentParser, writes: bool = True) -> None:
    group = cmd.add_argument_group("selection")
    group.add_argument("--keep", choices=RULES, help="rule (default mixed: 0 < c < n; 'band' with --band)")
    group.add_argument("--band", type=_band, metavar="LO:HI", help="keep LO <= metric <= HI (implies --keep band)")
    group.add_argument("--exclusive", action="store_true", help="band bounds are exclusive")
    group.add_argument("--metric", default="pass@1", help="band metric: pass@1 or pass@J (default pass@1)")
    group.add_argument("--drop-solved", action="store_true", help="drop only problems solved by every sample")
    group.add_argument("--drop-unsolved", action="store_true", help="drop only problems no sample solved")
    group.add_argument("--keep-easy-frac", type=float, default=0.0, metavar="F", help="keep this fraction of too-easy problems (tagged keep_easy)")
    group.add_argument("--pass-k", type=_ints, metavar="J[,J]", help="pass@J columns (default: 1 and k)")
    group.add_argument("--group-size", type=_at_least(1), metavar="G", help="GRPO group size of informative@G (default k)")
    group.add_argument("--ci", choices=INTERVAL_METHODS, default="wilson", help="interval for p (default wilson)")
    group.add_argument("--ci-level", type=float, default=0.95, help="interval level (default 0.95)")
    group.add_argument("--truncated-as", choices=TRUNCATED_AS, default="fail", help="truncated samples: fail (default) or exclude from n")
    if writes:
        group.add_argument("--format", choices=("jsonl", "parquet", "hf"), default="jsonl", help="format of the selection (default jsonl)")
        group.add_argument("--partial", action="store_true", help="select even if some samples are missing or unscored")


def _names(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected task names separated by commas, e.g. Arithmetic,Game24")
    return names


def _ints(text: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected integers separated by commas, e.g. 1,4,16; got {text!r}") from None
    if any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"every value must be >= 1, got {text!r}")
    return values


def _rounds(text: str) -> tuple[int, ...]:
    return _ints(text)


def _band(text: str) -> tuple[float, float]:
    low, sep, high = text.partition(":")
    try:
        band = (float(low), float(high)) if sep else None
    except ValueError:
        band = None
    if band is None or not 0.0 <= band[0] <= band[1] <= 1.0:
        raise argparse.ArgumentTypeError(f"expected LO:HI with 0 <= LO <= HI <= 1, e.g. 0.2:0.8; got {text!r}")
    return band


def _shard(text: str) -> Shard:
    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# ---------------------------------------------------------------------------------------- commands


def cmd_sample(args: argparse.Namespace) -> int:
    """`vrgym filter sample`: create or resume a run and draw its missing samples."""
    with _execution(args) as executor:
        run, model = _open_for_sampling(args, executor)
        with model:
            if run.manifest.get("early_stop"):
                raise UsageError(f"{run.root} samples in early-stopping rounds; continue it with `vrgym filter run --out {run.root}`")
            _record_execution(run, "sample", executor)
            _sample(run, model, executor, args.shard, None, None, args.quiet)
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    """`vrgym filter score`: verify every unscored sample."""
    with _execution(args) as executor:
        run = FilterRun.open(args.out)
        _record_execution(run, "score", executor)
        _score(run, args, executor)
    return 0


def cmd_select(args: argparse.Namespace) -> int:
    """`vrgym filter select`: write stats and the kept problems; print the summary."""
    run = FilterRun.open(args.out)
    _select(run, args)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """`vrgym filter run`: sample, score, select (with optional early-stopping rounds)."""
    with _execution(args) as executor:
        run, model = _open_for_sampling(args, executor)
        rule = _rule(args, run)
        _record_execution(run, "run", executor)
        with model:
            if run.manifest.get("early_stop"):
                targets = _cumulative(run.manifest["early_stop"]["rounds"])
                stop_rule = run.early_stop_rule()
                assert stop_rule is not None
                for target in targets:
                    counts = run.counts()
                    undecided = {p.id for p in run.shard_problems(args.shard) if not run.settled(counts[p.id], stop_rule, p.id)}
                    if not undecided:
                        break
                    _sample(run, model, executor, args.shard, target, undecided, args.quiet)
                    _score(run, args, executor)
            else:
                _sample(run, model, executor, args.shard, None, None, args.quiet)
        if not run.manifest.get("early_stop"):
            _score(run, args, executor)
    if args.shard != (0, 1):
        if not args.quiet:
            print(f"{PROG}: shard {args.shard[0]}/{args.shard[1]} done; select once every shard has finished", file=sys.stderr)
        return 0
    _select(run, args, rule)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """`vrgym filter report`: the summary of a run under its last rule (or the one given)."""
    from vrgym.filter.report import render_report

    run = FilterRun.open(args.out)
    rule = _rule(args, run, default_from_run=True)
    rows = run.evaluate(rule, _stats_options(args, run))
    print(render_report(rows, rule, run.manifest))
    return 0


# ---------------------------------------------------------------------------------------- helpers


def _open_for_sampling(args: argparse.Namespace, executor: Any) -> tuple[FilterRun, Any]:
    """The run to sample (created, or resumed from its manifest) and its checked reference model.

    On Ray the executor connects here, after the model's check and before the run directory is
    touched, so an unreachable cluster fails before any work; engines (vllm, hf) are checked in
    their actors instead of being loaded on the driver.
    """
    from vrgym.filter import manifest as mf

    manifest_path = Path(args.out) / "manifest.json"
    existing = mf.read_manifest(manifest_path) if manifest_path.exists() and not args.force else None
    problems, source = _problems(args, existing)
    backend, name, options = _model_spec(args, existing)
    model = _build_model(backend, name, options)
    try:
        if isinstance(executor, LocalExecutor) or not executor.checks_model_remotely(backend):
            model.check()
        if not isinstance(executor, LocalExecutor):
            executor.model_factory = functools.partial(_build_model, backend, name, options)
            executor.connect()
        params = _params(args, existing)
        k = args.k or (existing or {}).get("k") or 16
        seed = args.sample_seed if args.sample_seed is not None else (existing or {}).get("run_seed", 0)
        early = _early_stop(args, existing, k)
        source["api_key_env"] = args.api_key_env or (existing or {}).get("source", {}).get("api_key_env")
        run = FilterRun.create(
            args.out, problems, model=model.describe(), params=params, k=k, run_seed=seed,
            source=source, early_stop=early, force=args.force,
        )  # fmt: skip
    except BaseException:
        model.close()
        raise
    return run, model


def _problems(args: argparse.Namespace, existing: dict[str, Any] | None) -> tuple[list[Any], dict[str, Any]]:
    from vrgym.cli import _generation_plan
    from vrgym.io import read_problems

    if args.task and args.problems:
        raise UsageError("give either --task or --problems, not both")
    if args.problems:
        return read_problems(args.problems), {"kind": "file", "path": os.path.abspath(args.problems)}
    if args.task:
        plan = _generation_plan(args.task, args.difficulty, parse_config(args.config))
        problems = [template.generate(args.seed, i, config) for template, config in plan for i in range(args.count)]
        source = {"kind": "tasks", "tasks": [t.name for t, _ in plan], "count": args.count, "seed": args.seed,
                  "difficulty": args.difficulty, "config": parse_config(args.config)}  # fmt: skip
        return problems, source
    if existing is None:
        raise UsageError(f"{args.out} holds no run yet; say what to filter with --task NAME --count N or --problems FILE")
    run = FilterRun.open(args.out)
    return run.problems, dict(existing.get("source") or {})


def _model_spec(args: argparse.Namespace, existing: dict[str, Any] | None) -> tuple[str, str | None, dict[str, Any]]:
    """(backend, model name, options) of the reference model: from the command line, else the run's manifest."""
    known = (existing or {}).get("model") or {}
    backend = args.backend or known.get("backend")
    name = args.model or (known.get("model") if not args.backend or args.backend == known.get("backend") else None)
    if not backend:
        raise UsageError("name the reference model with --backend {openai,vllm,hf,callable} and --model")
    options: dict[str, Any] = {}
    for key in _MODEL_ARGS:
        value = getattr(args, key, None)
        if value is None and key in ("base_url", "endpoint") and backend == known.get("backend"):
            value = known.get(key)
        if value is not None:
            options[key] = value
    env = args.api_key_env or ((existing or {}).get("source") or {}).get("api_key_env")
    if env:
        if env not in os.environ:
            raise UsageError(f"--api-key-env {env}: that environment variable is not set; export it with the API key")
        options["api_key"] = os.environ[env]
    return backend, name, options


def _build_model(backend: str, name: str | None, options: dict[str, Any]) -> Any:
    """The reference model of a spec; also what Ray workers call to build their own copy."""
    from vrgym.models import make_model

    try:
        return make_model(backend, name, **options)
    except TypeError as exc:
        raise UsageError(f"the {backend} backend does not take one of {', '.join(sorted(options))} ({exc})") from None


@contextmanager
def _execution(args: argparse.Namespace) -> Iterator[Any]:
    """The executor of a command: local (verifier processes per --workers), or Ray for --ray (closed after)."""
    from vrgym.batch import default_workers

    workers = getattr(args, "workers", None) or default_workers()
    if getattr(args, "ray", None) is None:
        if getattr(args, "ray_actors", None) is not None:
            raise UsageError("--ray-actors only applies with --ray")
        yield LocalExecutor(workers)
        return
    from vrgym.filter.ray_executor import RayExecutor

    executor = RayExecutor(args.ray, actors=args.ray_actors, num_cpus=max(2, workers))
    try:
        yield executor
    finally:
        executor.close()


def _record_execution(run: FilterRun, step: str, executor: Any) -> None:
    """Note where a step ran in the manifest's "executions" (a detail: never part of the run's identity)."""
    from vrgym.filter import manifest as mf
    from vrgym.filter.run import _creation_lock

    if isinstance(executor, LocalExecutor):
        detail: dict[str, Any] = {"executor": "local", "workers": executor.workers}
    else:
        detail = executor.describe()
    with _creation_lock(run.root):  # shards may record at the same time: read, append, write under the lock
        manifest = mf.read_manifest(run.root / "manifest.json")
        history = list(manifest.get("executions") or [])
        history.append({"step": step, **detail, "at": mf.now()})
        manifest["executions"] = history[-_EXECUTIONS_KEPT:]
        mf.write_manifest(run.root / "manifest.json", manifest)
    run.manifest["executions"] = manifest["executions"]


def _params(args: argparse.Namespace, existing: dict[str, Any] | None) -> Any:
    from vrgym.models import SamplingParams

    known = (existing or {}).get("sampling") or {}
    values = {}
    for key, default in SAMPLING_DEFAULTS.items():
        given = getattr(args, key)
        values[key] = given if given is not None else known.get(key, default)
    stop = args.stop if args.stop is not None else known.get("stop", ())
    return SamplingParams(**values, stop=tuple(stop), extra=dict(known.get("extra") or {}))


def _early_stop(args: argparse.Namespace, existing: dict[str, Any] | None, k: int) -> dict[str, Any] | None:
    """The early-stopping spec for the manifest: from --rounds, else the existing run's (or none)."""
    rounds = getattr(args, "rounds", None)
    if rounds is None:
        return (existing or {}).get("early_stop")
    if sum(rounds) != k:
        raise UsageError(f"--rounds {','.join(map(str, rounds))} sums to {sum(rounds)}, but --k is {k}; the rounds must add up to k")
    return {"rounds": list(rounds), "rule": _rule(args, None).to_json()}


def _cumulative(rounds: list[int]) -> list[int]:
    total, out = 0, []
    for size in rounds:
        total += size
        out.append(total)
    return out


def _rule(args: argparse.Namespace, run: FilterRun | None, default_from_run: bool = False) -> Rule:
    """The selection rule of the command line (or of the run's last selection when none is given)."""
    implied = {args.keep} if args.keep else set()
    if args.band is not None:
        implied.add("band")
    if args.drop_solved and args.drop_unsolved:
        implied.add("mixed")
    elif args.drop_solved or args.drop_unsolved:
        implied.add("drop-solved" if args.drop_solved else "drop-unsolved")
    if len(implied) > 1:
        raise UsageError(f"conflicting selection options (they mean {' and '.join(sorted(implied))}); choose one rule")
    keep = implied.pop() if implied else None
    if keep == "band" and args.band is None:
        raise UsageError("--keep band needs --band LO:HI")
    if keep is None and default_from_run and run is not None and run.manifest.get("selection"):
        return Rule(**run.manifest["selection"]["rule"])
    low, high = args.band or (0.0, 1.0)
    seed = run.run_seed if run is not None else getattr(args, "sample_seed", None) or 0
    try:
        return Rule(keep or "mixed", low, high, not args.exclusive, args.metric, args.keep_easy_frac, seed)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _stats_options(args: argparse.Namespace, run: FilterRun) -> StatsOptions:
    pass_ks = tuple(sorted(set(args.pass_k or (1, run.k))))
    too_big = [j for j in pass_ks if j > run.k]
    if too_big:
        raise UsageError(f"--pass-k {too_big[0]} exceeds k={run.k}: pass@J needs at least J samples per problem")
    try:
        return StatsOptions(pass_ks, args.group_size, args.ci, args.ci_level, args.truncated_as)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _sample(
    run: FilterRun, model: Any, executor: Any, shard: Shard, target: int | None, only: set[str] | None, quiet: bool
) -> None:
    problems = [p for p in run.shard_problems(shard) if only is None or p.id in only]
    total = len(problems) * (target or run.k)
    bar = progress(total, "sample", quiet=quiet)
    with bar:
        try:
            report = run.sample(model, executor=executor, shard=shard, target=target, only=only, on_progress=bar.update)
        except KeyboardInterrupt:
            raise Interrupted(f"samples so far are saved in {run.root}; run the same command again to resume") from None
    if not quiet:
        errors = f", {report.errors} failed requests (retried on the next run)" if report.errors else ""
        print(f"{PROG}: sampled {report.done} new responses ({report.skipped} already in {run.root}){errors}", file=sys.stderr)


def _score(run: FilterRun, args: argparse.Namespace, executor: Any) -> None:
    pending = run.pending_scores(args.shard)
    bar = progress(len(pending), "verdict", quiet=args.quiet)
    with bar:
        try:
            report = run.score(executor=executor, shard=args.shard, on_progress=bar.update)
        except KeyboardInterrupt:
            raise Interrupted(f"verdicts so far are saved in {run.root}; run the same command again to resume") from None
    if not args.quiet:
        print(f"{PROG}: scored {report.done} responses in {run.root}", file=sys.stderr)


def _select(run: FilterRun, args: argparse.Namespace, rule: Rule | None = None) -> None:
    from vrgym.filter.report import render_report

    rule = rule or _rule(args, run)
    selection = run.select(rule, _stats_options(args, run), output_format=args.format, partial=args.partial)
    if not args.quiet:
        print(render_report(selection.rows, rule, run.manifest))
        print(
            f"{PROG}: kept {len(selection.kept)} of {len(selection.rows)} problems -> {selection.outputs['selected']} "
            f"(statistics of all: {selection.outputs['stats']})",
            file=sys.stderr,
        )
