"""The `vrgym` command line: `list`, `generate`, `verify`, `selfcheck`, `filter` (also `python -m vrgym`).

    vrgym list [--domain D] [--tag T] [--json]
    vrgym generate TASK [TASK …] -n N [--seed S] [--difficulty D] [--config KEY=VALUE …] -o FILE [--format F]
    vrgym verify PROBLEMS RESPONSES -o VERDICTS.jsonl [--workers N] [--json]
    vrgym selfcheck [TASK …] [--seeds N]
    vrgym filter {sample,score,select,run,report} …   (pass@k difficulty filter: vrgym.filter.cli)

Output files are written crash-safe: records go to `FILE.partial` as they are made and the file is
renamed to `FILE` only when complete; after Ctrl-C the partial file keeps everything made so far
and the message says so (see `vrgym.io.writers`). Response ids that are not in the problems file
stop `verify` before anything is written: verdicts of a mismatched pair of files are not trusted.

Errors are one line on stderr, `vrgym: error: …`, never a traceback (unless `--debug`).
Exit codes: 0 success; 1 the data or the run failed (unreadable or corrupt file, ids that do not
match, a failing selfcheck, an internal error); 2 the command line is wrong (bad arguments,
unknown task, invalid difficulty or config); 130 interrupted.

Only argparse and the core load at startup; tqdm, pyarrow, datasets and the contract suite load
when a command needs them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

from vrgym import __version__
from vrgym.errors import ConfigError, UnknownTaskError, VrgymError
from vrgym.io import Format, index_problems, open_problem_writer, open_verdict_writer, read_responses
from vrgym.batch import Summary, check_ids, check_templates, default_workers, verify_all
from vrgym.io.writers import RecordWriter
from vrgym.registry import domains, get_template, list_templates, resolve_name, template_names
from vrgym.template import Template

PROG = "vrgym"
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """The command line is wrong; exit 2."""


class Interrupted(Exception):
    """Ctrl-C after some work; the message says what was saved."""


# ---------------------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line (no usage dump), raised so `main` can return 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The full `vrgym` argument parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks of errors")
    parser = _Parser(prog=PROG, description="Verifiable Rewards Gym: task templates with binary rule-based verifiers.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    cmd = commands.add_parser("list", parents=[common], help="list registered task templates")
    cmd.add_argument("--domain", help="only templates of this domain (math, logic, …)")
    cmd.add_argument("--tag", help="only templates with this tag or one below it (e.g. math)")
    cmd.add_argument("--json", action="store_true", help="print JSON instead of a table")
    cmd.set_defaults(handler=cmd_list)

    cmd = commands.add_parser("generate", parents=[common], help="generate problems to a file")
    cmd.add_argument("tasks", nargs="+", metavar="TASK", help="template names (or gym ids), or 'all'")
    cmd.add_argument("-n", type=_positive_int, required=True, help="problems per task")
    cmd.add_argument("--seed", type=int, default=0, help="stream seed (default 0)")
    cmd.add_argument("--start", type=_non_negative_int, default=0, help="index of the first problem (default 0)")
    cmd.add_argument("--difficulty", help="difficulty level name or 0-based position (default: each template's default)")
    cmd.add_argument(
        "-c", "--config", nargs="+", action="extend", default=[], metavar="KEY=VALUE",
        help="config override for every task; VALUE is parsed as JSON when possible, else kept as a string",
    )  # fmt: skip
    cmd.add_argument("-o", "--output", required=True, help="*.jsonl, *.parquet, or a folder for a Hugging Face dataset")
    cmd.add_argument("--format", choices=[f.value for f in Format], help="override the format chosen from the output path")
    cmd.add_argument("-q", "--quiet", action="store_true", help="no progress bar or final message")
    cmd.set_defaults(handler=cmd_generate)

    cmd = commands.add_parser("verify", parents=[common], help="verify a responses file against a problems file")
    cmd.add_argument("problems", metavar="PROBLEMS", help="problems file (jsonl, parquet or HF folder)")
    cmd.add_argument("responses", metavar="RESPONSES", help='responses file: {"id", "response", "sample"?} per line (jsonl or parquet)')
    cmd.add_argument("-o", "--output", required=True, help="verdicts file to write (*.jsonl)")
    cmd.add_argument("--workers", type=_non_negative_int, default=1, help="processes to verify with (0 = one per CPU; default 1)")
    cmd.add_argument("--json", action="store_true", help="print the summary as JSON")
    cmd.add_argument("-q", "--quiet", action="store_true", help="no progress bar or final message")
    cmd.set_defaults(handler=cmd_verify)

    cmd = commands.add_parser("selfcheck", parents=[common], help="run the contract suite on templates")
    cmd.add_argument("tasks", nargs="*", metavar="TASK", help="template names (default: all)")
    cmd.add_argument("--seeds", type=_at_least(2), default=20, help="problems per difficulty level, at least 2 (default 20)")
    cmd.set_defaults(handler=cmd_selfcheck)

    # Here, not at the top: these modules import this one. Each keeps its heavy imports in its handlers.
    from vrgym.filter.cli import add_filter_parser
    from vrgym.integrations.cli import add_integrations_parsers
    from vrgym.mixture.cli import add_coverage_parser
    from vrgym.safety.cli import add_safety_parser
    from vrgym.sandbox.cli import add_sandbox_parser

    add_filter_parser(commands, common)
    add_sandbox_parser(commands, common)
    add_safety_parser(commands, common)
    add_integrations_parsers(commands, common)
    add_coverage_parser(commands, common)
    return parser


def _at_least(minimum: int) -> Callable[[str], int]:
    """argparse type: an integer >= `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    parse.__name__ = f"integer >= {minimum}"  # argparse names the type in some messages
    return parse


_positive_int = _at_least(1)
_non_negative_int = _at_least(0)


# ---------------------------------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    """`vrgym list`: the registered templates as a table or JSON."""
    infos = list_templates(domain=args.domain, tag=args.tag)
    if args.json:
        print(json.dumps([_info_json(info) for info in infos], indent=2, ensure_ascii=False))
        return 0
    if not infos:
        known = ", ".join(domains()) or "none"
        print(f"{PROG}: no template matches the filters (domains: {known})", file=sys.stderr)
        return 0
    rows = [
        (i.name, i.gym_id, i.domain, " ".join(i.tags), " ".join(f"{lv}*" if lv == i.default_level else lv for lv in i.levels))
        for i in infos
    ]
    print(render_table(("NAME", "GYM ID", "DOMAIN", "TAGS", "LEVELS (* default)"), rows))
    return 0


def _info_json(info: Any) -> dict[str, Any]:
    return {
        "name": info.name,
        "gym_id": info.gym_id,
        "version": info.version,
        "domain": info.domain,
        "tags": list(info.tags),
        "levels": list(info.levels),
        "default_level": info.default_level,
        "description": info.description,
    }


def cmd_generate(args: argparse.Namespace) -> int:
    """`vrgym generate`: N problems per task, in task order then index order, to one file."""
    plan = _generation_plan(args.tasks, args.difficulty, parse_config(args.config))
    bar = progress(len(plan) * args.n, "problem", quiet=args.quiet)
    with bar, Salvage() as saving:
        with saving(open_problem_writer(args.output, args.format)) as writer:
            for template, config in plan:
                for index in range(args.start, args.start + args.n):
                    writer.write(template.generate(args.seed, index, config))
                    bar.update(1)
    if not args.quiet:
        per_task = ", ".join(f"{template.name}: {args.n}" for template, _ in plan)
        print(f"{PROG}: wrote {writer.count} problems ({per_task}) to {args.output}", file=sys.stderr)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """`vrgym verify`: a verdict per response, in response order, and a summary on stdout."""
    problems = index_problems(args.problems)
    responses = read_responses(args.responses)
    check_ids(problems, responses, args.problems, args.responses)
    check_templates(problems, responses)
    workers = args.workers or default_workers()
    summary = Summary(unanswered=len(problems.keys() - {r.id for r in responses}))
    bar = progress(len(responses), "response", quiet=args.quiet)
    with bar, Salvage() as saving:
        with saving(open_verdict_writer(args.output)) as writer:
            for record in verify_all(problems, responses, workers=workers, on_done=bar.update):
                writer.write(record)
                summary.add(record)
    if args.json:
        print(json.dumps({**summary.to_json(), "verdicts": str(args.output)}, indent=2))
    else:
        print(render_summary(summary))
    if not args.quiet:
        print(f"{PROG}: wrote {writer.count} verdicts to {args.output}", file=sys.stderr)
    return 0


def cmd_selfcheck(args: argparse.Namespace) -> int:
    """`vrgym selfcheck`: the contract suite per template; exit 1 if any template fails."""
    try:
        from vrgym.testing import run_contract
    except ImportError:
        raise VrgymError("the contract suite (vrgym.testing.run_contract) is not available in this installation") from None
    names = [t.name for t in _templates(args.tasks)] if args.tasks else template_names()
    if not names:
        print(f"{PROG}: no templates are registered; nothing to check", file=sys.stderr)
        return 0
    rows, details = [], []
    for name in names:
        try:
            report = run_contract(name, seeds=args.seeds)
        except Exception as exc:  # a crash of the suite on one template must not hide the others
            if getattr(args, "debug", False):
                raise
            rows.append((name, "ERROR", "-", f"{type(exc).__name__}: {exc}"))
            details.append(f"{name}: run_contract raised {type(exc).__name__}: {exc} (re-run with --debug for the traceback)")
            continue
        rows.append((name, "pass" if report.ok else "FAIL", str(len(report.failures)), ", ".join(report.failed_checks)))
        if not report.ok:
            details.append(report.summary())
    print(render_table(("TEMPLATE", "RESULT", "FAILURES", "FAILED CHECKS"), rows))
    for text in details:
        print()
        print(text)
    bad = sum(row[1] != "pass" for row in rows)
    print(f"\n{len(rows) - bad} of {len(rows)} templates passed" + (f"; {bad} failed" if bad else ""))
    return EXIT_FAILED if bad else 0


# ---------------------------------------------------------------------------------------- helpers


def parse_config(items: Iterable[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings → overrides; VALUE is JSON when it parses (3, true, [1,2], "x"), else text."""
    config: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--config expects KEY=VALUE, got {item!r}")
        if key == "difficulty":
            raise UsageError("set the difficulty level with --difficulty, not --config difficulty=…")
        try:
            config[key] = json.loads(raw)
        except ValueError:
            config[key] = raw
    return config


def _generation_plan(names: Sequence[str], difficulty: str | None, overrides: dict[str, Any]) -> list[tuple[Template, Any]]:
    """(template, resolved config) per task, all validated before anything is generated."""
    plan = []
    for template in _templates(names):
        plan.append((template, _usage(lambda t=template: t.config(difficulty, **overrides), context=template.name)))
    return plan


def _templates(names: Sequence[str]) -> list[Template]:
    """Templates for command-line names ('all' = every one), without duplicates; UsageError if unknown."""
    if "all" in names:
        names = template_names()
        if not names:
            raise UsageError("no templates are registered, so 'all' selects nothing; install a task package")
    canonical = [_usage(lambda n=name: resolve_name(n)) for name in names]
    return [get_template(name) for name in dict.fromkeys(canonical)]


def _usage(call: Callable[[], Any], context: str = "") -> Any:
    """Run `call`, turning an unknown task or invalid config (from the command line) into a UsageError."""
    try:
        return call()
    except (UnknownTaskError, ConfigError) as exc:
        raise UsageError(f"{context}: {exc}" if context else str(exc)) from None


class Salvage:
    """Context manager for a command that writes one file: Ctrl-C becomes `Interrupted` saying what was kept.

        with Salvage() as saving:
            with saving(open_problem_writer(path)) as writer: …
    """

    def __init__(self) -> None:
        self.writer: RecordWriter[Any] | None = None

    def __call__(self, writer: RecordWriter[Any]) -> RecordWriter[Any]:
        self.writer = writer
        return writer

    def __enter__(self) -> Salvage:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if exc_type is KeyboardInterrupt:
            note = self.writer.saved_note() if self.writer is not None else "nothing was saved"
            raise Interrupted(note) from None


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def progress(total: int, unit: str, *, quiet: bool) -> Any:
    """A tqdm bar on stderr, or a no-op when quiet or when stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned plain-text table with a dashed rule under the headers."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(str(cell).ljust(w) for cell, w in zip(line, widths)).rstrip() for line in lines)


def render_summary(summary: Summary) -> str:
    """The verify summary: per task and in total, n, skipped, mean reward, counts by reason."""

    def row(name: str, s: Any) -> tuple[str, ...]:
        mean = "-" if s.mean_reward is None else f"{s.mean_reward:.3f}"
        reasons = " ".join(f"{reason}={count}" for reason, count in sorted(s.reasons.items()))
        return (name, str(s.n), str(s.skipped), mean, reasons)

    rows = [row(name, summary.tasks[name]) for name in sorted(summary.tasks)]
    rows.append(row("TOTAL", summary.total))
    text = render_table(("TASK", "N", "SKIPPED", "MEAN REWARD", "REASONS"), rows)
    if summary.unanswered:
        text += f"\n{summary.unanswered} problem(s) had no response"
    return text


# ---------------------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (the console script passes it to sys.exit)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args))
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except Interrupted as exc:
        return _fail(f"interrupted; {exc}", EXIT_INTERRUPTED, kind="")
    except KeyboardInterrupt:
        return _fail("interrupted; nothing was saved", EXIT_INTERRUPTED, kind="")
    except BrokenPipeError:  # `vrgym list | head`: the reader left; not an error worth a message
        _silence_stdout()
        return EXIT_FAILED
    except (VrgymError, OSError, ValueError) as exc:
        if debug:
            raise
        return _fail(_describe(exc), EXIT_FAILED)
    except Exception as exc:
        if debug:
            raise
        return _fail(f"internal error: {type(exc).__name__}: {exc} (re-run with --debug for the traceback)", EXIT_FAILED)


def _describe(exc: BaseException) -> str:
    """One line for an expected error; OSErrors read as 'file: reason'."""
    if isinstance(exc, OSError) and not isinstance(exc, VrgymError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


def _fail(message: str, code: int, kind: str = "error: ") -> int:
    print(f"{PROG}: {kind}{message}", file=sys.stderr)
    return code


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (captured in tests)
        pass
