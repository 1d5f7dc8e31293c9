"""`FilterRun`: one difficulty-filter run directory and its three checkpointed steps.

Layout of a run directory::

    manifest.json        settings, versions, digests (vrgym.filter.manifest)
    .lock                held while a run is created or resumed (shards may start together)
    problems.jsonl       the problems, exactly as `vrgym generate` writes them
    samples.jsonl        append-only sample log     (samples.shard-I-of-N.jsonl per shard)
    scores.jsonl         append-only verdict log    (scores.shard-I-of-N.jsonl per shard)
    stats.jsonl          every problem's counts, estimates and decision (rewritten by select)
    selected.jsonl | selected.parquet | selected/    the kept problems with their statistics

Steps:

* `sample` asks the model for every (problem, sample index) that has no produced sample yet
  (failed requests are retried), one seed per sample, and appends results as they arrive;
* `score` verifies every produced sample that has no score yet, in parallel processes;
* `select` aggregates counts, applies a `Rule` and writes stats and the selection. It reads only
  the logs, so re-selecting with another band costs no sample.

Resume: all three read the logs first and do only what is missing, so a run killed at any point
(SIGKILL included) and started again loses nothing and duplicates nothing. Shards (`--shard I/N`:
the problems at positions i with i % N == I) append to their own logs; every reader merges all logs
of the directory, so shards can run at the same time and `select` sees their union.

Early stopping (off by default) samples in rounds — e.g. 4, then 4 more, then 8 — and after each
round stops sampling problems whose decision under the rule can no longer change. It saves most
samples on the mid-difficulty problems one keeps, but **biases** the pass-rate columns (stopping
at the first success over-estimates p), so use fixed k when pass rates feed a curriculum. The
rule is recorded in the manifest; per-sample seeds are the same as without early stopping, so an
early-stopped run's samples are a prefix of the full run's.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vrgym.errors import DataFileError
from vrgym.filter import manifest as mf
from vrgym.filter.checkpoint import AppendLog, read_log
from vrgym.filter.executor import Executor, LocalExecutor
from vrgym.filter.selection import INCOMPLETE, KEPT, Rule
from vrgym.filter.stats import Counts, StatsOptions, count, latest_samples, stats_row
from vrgym.filter.steps import (
    SEED_DERIVATION,
    plan_requests,
    sample_records,
    sample_seed,
)
from vrgym.problem import Problem

Progress = Callable[[int], None]
Shard = tuple[int, int]
_OWNED = ("manifest.json", "problems.jsonl", "stats.jsonl", "selected.jsonl", "selected.parquet", "selected")


@dataclass
class StepReport:
    """What one step did: `done` new records, `skipped` already there, `errors` failed requests."""

    done: int = 0
    skipped: int = 0
    errors: int = 0


@dataclass
class Selection:
    """The outcome of `select`: one stats row (with decision) per problem, and where it was written."""

    rows: list[dict[str, Any]]
    rule: Rule
    options: StatsOptions
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def kept(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["decision"] in KEPT]


def parse_shard(text: str) -> Shard:
    """'I/N' → (I, N) with 0 <= I < N (ValueError with an example otherwise)."""
    index, sep, total = text.partition("/")
    try:
        shard = (int(index), int(total)) if sep else (-1, 0)
    except ValueError:
        shard = (-1, 0)
    if not 0 <= shard[0] < shard[1]:
        raise ValueError(f"a shard is I/N with 0 <= I < N (e.g. --shard 0/4), got {text!r}")
    return shard


class FilterRun:
    """A run directory (see the module docstring). Create with `FilterRun.create`, reopen with `FilterRun.open`."""

    def __init__(self, root: Path, manifest: dict[str, Any]) -> None:
        self.root = root
        self.manifest = manifest
        self._problems: list[Problem] | None = None

    # ------------------------------------------------------------------ create / open

    @classmethod
    def create(
        cls,
        root: str | Path,
        problems: Sequence[Problem],
        *,
        model: Mapping[str, Any],
        params: Any,
        k: int,
        run_seed: int = 0,
        source: Mapping[str, Any] | None = None,
        early_stop: Mapping[str, Any] | None = None,
        force: bool = False,
    ) -> FilterRun:
        """Start a run in `root`, or resume the one there if its identity matches (else ManifestMismatchError).

        `model` is the reference model's `describe()`, `params` its `SamplingParams`. With `force`
        an existing run's files are deleted first.
        """
        from vrgym import __version__

        root = Path(root)
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k (samples per problem) must be a positive integer, got {k!r}")
        if not problems:
            raise DataFileError("no problems to filter; give tasks with --count >= 1 or a non-empty problems file")
        duplicates = len(problems) - len({p.id for p in problems})
        if duplicates:
            raise DataFileError(f"{duplicates} problem id(s) occur twice in the input; each problem must appear once")
        wanted = {
            "format": mf.FORMAT,
            "vrgym_version": __version__,
            "created": mf.now(),
            "model": dict(model),
            "sampling": params.to_dict() if hasattr(params, "to_dict") else dict(params),
            "k": k,
            "run_seed": run_seed,
            "seed_derivation": SEED_DERIVATION,
            "early_stop": dict(early_stop) if early_stop else None,
            "problems": mf.problems_digest(problems),
            "templates": _template_versions(problems),
            "source": dict(source or {}),
        }
        if root.is_file():
            raise DataFileError(f"{root}: is a file; --out names a run directory")
        root.mkdir(parents=True, exist_ok=True)
        with _creation_lock(root):  # shards started together must not both write the problems file
            return cls._create_locked(root, problems, wanted, force)

    @classmethod
    def _create_locked(cls, root: Path, problems: Sequence[Problem], wanted: dict[str, Any], force: bool) -> FilterRun:
        from vrgym.io import write_problems

        manifest_path = root / "manifest.json"
        if manifest_path.exists():
            if force:
                cls.discard(root)
            else:
                existing = mf.read_manifest(manifest_path)
                mf.check_identity(existing, wanted, root)
                run = cls(root, existing)
                run._problems = list(problems)
                if wanted["model"] != existing.get("model"):  # e.g. a new server URL: keep the manifest current
                    existing["model"] = wanted["model"]
                    mf.write_manifest(manifest_path, existing)
                return run
        write_problems(problems, root / "problems.jsonl")
        mf.write_manifest(manifest_path, wanted)
        run = cls(root, wanted)
        run._problems = list(problems)
        return run

    @classmethod
    def open(cls, root: str | Path) -> FilterRun:
        """An existing run (DataFileError if `root` holds none)."""
        root = Path(root)
        return cls(root, mf.read_manifest(root / "manifest.json"))

    @staticmethod
    def discard(root: Path) -> None:
        """Delete a run's own files (manifest, problems, logs, outputs) and nothing else."""
        for name in _OWNED:
            path = root / name
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        for pattern in ("samples*.jsonl", "scores*.jsonl"):
            for path in root.glob(pattern):
                path.unlink()

    # ------------------------------------------------------------------ properties

    @property
    def k(self) -> int:
        return int(self.manifest["k"])

    @property
    def run_seed(self) -> int:
        return int(self.manifest["run_seed"])

    @property
    def problems(self) -> list[Problem]:
        if self._problems is None:
            from vrgym.io import read_problems

            self._problems = read_problems(self.root / "problems.jsonl")
        return self._problems

    def shard_problems(self, shard: Shard = (0, 1)) -> list[Problem]:
        """The problems of shard I of N: positions i with i % N == I."""
        index, total = shard
        return [p for i, p in enumerate(self.problems) if i % total == index]

    def params(self) -> Any:
        """The run's `SamplingParams`, rebuilt from the manifest."""
        from vrgym.models import SamplingParams

        data = dict(self.manifest["sampling"])
        data["stop"] = tuple(data.get("stop") or ())
        return SamplingParams(**data)

    # ------------------------------------------------------------------ logs

    def _log_path(self, kind: str, shard: Shard) -> Path:
        return self.root / (f"{kind}.jsonl" if shard == (0, 1) else f"{kind}.shard-{shard[0]}-of-{shard[1]}.jsonl")

    def _read(self, kind: str) -> Iterable[dict[str, Any]]:
        for path in sorted(self.root.glob(f"{kind}*.jsonl")):
            yield from read_log(path)

    def samples(self) -> dict[tuple[str, int], Mapping[str, Any]]:
        """(problem, sample) → latest sample record, over every shard's log."""
        return latest_samples(self._read("samples"))

    def scores(self) -> dict[tuple[str, int], Mapping[str, Any]]:
        """(problem, sample) → score record, over every shard's log."""
        return {(r["problem"], r["sample"]): r for r in self._read("scores")}

    # ------------------------------------------------------------------ steps

    def sample(
        self,
        model: Any,
        *,
        executor: Executor | None = None,
        shard: Shard = (0, 1),
        target: int | None = None,
        only: set[str] | None = None,
        on_progress: Progress | None = None,
    ) -> StepReport:
        """Draw the missing samples 0..target−1 (default k) of the shard's problems (or of `only`)."""
        target = self.k if target is None else min(target, self.k)
        done = {key for key, record in self.samples().items() if record.get("error") is None}
        problems = [p for p in self.shard_problems(shard) if only is None or p.id in only]
        wanted = {p.id: [i for i in range(target) if (p.id, i) not in done] for p in problems}
        report = StepReport(skipped=sum(target - len(v) for v in wanted.values()))
        seeds = {pid: {sample_seed(self.run_seed, pid, i): i for i in indices} for pid, indices in wanted.items()}
        requests = plan_requests(problems, wanted, self.run_seed, self.params())
        executor = executor or LocalExecutor()
        with AppendLog(self._log_path("samples", shard)) as log:
            for result in executor.sample(model, requests):
                records = sample_records(result, seeds[result.key])
                log.append(records)
                failed = sum(r["error"] is not None for r in records)
                report.errors += failed
                report.done += len(records) - failed
                if on_progress:
                    on_progress(len(records))
        return report

    def pending_scores(self, shard: Shard = (0, 1)) -> list[Mapping[str, Any]]:
        """Produced samples of the shard's problems that have no score yet."""
        scored = self.scores().keys()
        ids = {p.id for p in self.shard_problems(shard)}
        return [
            record
            for key, record in self.samples().items()
            if key[0] in ids and record.get("error") is None and key not in scored
        ]

    def score(self, *, executor: Executor | None = None, shard: Shard = (0, 1), on_progress: Progress | None = None) -> StepReport:
        """Verify every unscored sample of the shard with its problem's template; append the verdicts."""
        pending = self.pending_scores(shard)
        by_id = {p.id: p for p in self.problems}
        self._check_templates(pending, by_id)
        report = StepReport()
        executor = executor or LocalExecutor()
        with AppendLog(self._log_path("scores", shard)) as log:
            for record in executor.score(by_id, pending, on_done=on_progress):
                log.append([record])
                report.done += 1
        return report

    @staticmethod
    def _check_templates(pending: Sequence[Mapping[str, Any]], by_id: Mapping[str, Problem]) -> None:
        from vrgym.registry import get_template

        checked: set[tuple[str, int]] = set()
        for record in pending:
            problem = by_id[record["problem"]]
            if (problem.task, problem.version) not in checked:
                get_template(problem.task).accept(problem)
                checked.add((problem.task, problem.version))

    # ------------------------------------------------------------------ statistics and selection

    def counts(self, truncated_as: str = "fail") -> dict[str, Counts]:
        return count(self.problems, self.samples(), self.scores(), truncated_as)

    def settled(self, counts: Counts, rule: Rule, problem_id: str) -> bool:
        """True when the early-stop `rule` can no longer change this problem's decision."""
        remaining = max(0, self.k - counts.attempted)
        return counts.n_unscored == 0 and rule.settled(counts.n + remaining, counts.n, counts.c, problem_id)

    def early_stop_rule(self) -> Rule | None:
        spec = self.manifest.get("early_stop")
        return Rule(**spec["rule"]) if spec else None

    def evaluate(self, rule: Rule, options: StatsOptions) -> list[dict[str, Any]]:
        """A stats row with a decision per problem, in problem order (nothing written)."""
        counts = self.counts(options.truncated_as)
        stop_rule = self.early_stop_rule()
        rows = []
        for problem in self.problems:
            entry = counts[problem.id]
            row = stats_row(problem, entry, self.k, options)
            stopped_early = stop_rule is not None and entry.n_unscored == 0 and self.settled(entry, stop_rule, problem.id)
            if row["n_pending"] and not stopped_early:
                row["decision"] = INCOMPLETE
            else:
                row["decision"] = rule.decide(entry.n, entry.c, problem.id)
            rows.append(row)
        return rows

    def select(
        self, rule: Rule, options: StatsOptions, *, output_format: str = "jsonl", partial: bool = False
    ) -> Selection:
        """Write stats.jsonl and the kept problems; refuse (DataFileError) while samples are missing unless `partial`."""
        from vrgym.filter.output import write_selection

        rows = self.evaluate(rule, options)
        incomplete = sum(row["decision"] == INCOMPLETE for row in rows)
        if incomplete and not partial:
            raise DataFileError(
                f"{self.root}: {incomplete} of {len(rows)} problems still have missing or unscored samples; run "
                "`vrgym filter sample` and `vrgym filter score` on it first (or select anyway with --partial)"
            )
        selection = Selection(rows, rule, options)
        self.manifest["selection"] = {
            "rule": rule.to_json(),
            "stats": {**options.__dict__, "pass_ks": list(options.pass_ks)},
            "counts": _decision_counts(rows),
            "selected": mf.now(),
        }
        selection.outputs = write_selection(self, selection, output_format)
        self.manifest["selection"]["outputs"] = selection.outputs
        mf.write_manifest(self.root / "manifest.json", self.manifest)
        return selection


@contextmanager
def _creation_lock(root: Path) -> Iterator[None]:
    """An exclusive lock on `root/.lock` while a run is created or its manifest checked (POSIX flock)."""
    try:
        handle = (root / ".lock").open("a")
    except OSError as exc:
        raise DataFileError(f"{root}: cannot create the run directory's lock file ({exc.strerror or exc})") from None
    with handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


def _template_versions(problems: Iterable[Problem]) -> dict[str, int]:
    versions: dict[str, int] = {}
    for problem in problems:
        known = versions.setdefault(problem.task, problem.version)
        if known != problem.version:
            raise DataFileError(f"the input mixes {problem.task} v{known} and v{problem.version}; filter one version at a time")
    return dict(sorted(versions.items()))


def _decision_counts(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        out[row["decision"]] = out.get(row["decision"], 0) + 1
    return dict(sorted(out.items()))
