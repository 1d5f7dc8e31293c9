"""Difficulty filtering by pass@k against a reference model: sample, score, select.

A run samples k responses per problem from a reference model (`vrgym.models`), verifies each with
the problem's own template, stores the raw counts (n, c) and keeps the problems a `Rule` accepts
(by default those neither always nor never solved). Each step is checkpointed in an append-only
log, so a run can be killed and resumed at any point and re-selected with another band for free.

    from vrgym.filter import FilterRun, Rule, StatsOptions
    from vrgym.models import SamplingParams, make_model

    with make_model("openai", "my-model", base_url="http://127.0.0.1:8000/v1") as model:
        model.check()
        run = FilterRun.create("runs/a", problems, model=model.describe(),
                               params=SamplingParams(max_tokens=4096), k=16)
        run.sample(model)
    run.score()
    selection = run.select(Rule(keep="band", low=0.2, high=0.8), StatsOptions(pass_ks=(1, 16)))

Modules: `run` (the run directory and its steps), `steps` (pure batch functions and seeds),
`executor` (where steps run; the seam for Ray), `checkpoint` (append-only logs), `stats`
(counts and estimates), `selection` (rules), `output` (files), `manifest`, `report`, `cli`.
Estimators live in `vrgym.passk`.
"""

from vrgym.filter.executor import Executor, LocalExecutor
from vrgym.filter.manifest import ManifestMismatchError
from vrgym.filter.output import read_selected
from vrgym.filter.run import FilterRun, Selection, StepReport, parse_shard
from vrgym.filter.selection import DECISIONS, KEPT, RULES, Rule
from vrgym.filter.stats import StatsOptions
from vrgym.filter.steps import sample_seed

__all__ = [
    "DECISIONS",
    "KEPT",
    "RULES",
    "Executor",
    "FilterRun",
    "LocalExecutor",
    "ManifestMismatchError",
    "Rule",
    "Selection",
    "StatsOptions",
    "StepReport",
    "parse_shard",
    "read_selected",
    "sample_seed",
]
