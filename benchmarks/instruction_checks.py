"""Instruction-following speed: constraint checks/s (vs IFEval's reference code), hack-check/s, templates.

Three tables:

1. per IFEval kind, checks/s of vrgym's checker and of IFEval's reference (below);
2. the hack-check layer (`hack_check`) per second on clean responses (the templates' constructive
   references) and on degenerate ones made from the same problems (a loop, `{}`, filler, opening
   praise, a false compliance claim, another topic's answer, the bare end of the reference);
3. the templates: problems generated per second and full verifications per second (constraints +
   hack-check, `Template.verify` on the reference and on a degenerate response) per level.

Workload: for every IFEval kind, `--per-kind` constraints sampled with fixed seeds, each checked
on two responses — the constructive reference (realised draft, should pass) and the un-realised
base draft (usually fails) — plus the hand-written validation cases of
`tests/verifiers/instruction/ifeval_cases.jsonl`. Each check is timed over `--repeat` rounds.

Peer: IFEval's reference implementation as shipped in `lm-eval` (`lm_eval/tasks/ifeval/`).
lm-eval's package import pulls in torch and friends, so the three IFEval modules are loaded
directly from a folder given with `--peer-path` that holds an extracted `lm_eval` tree plus its
dependencies `nltk`, `langdetect`, `immutabledict`, e.g.:

    pip download lm-eval --no-deps -d /tmp/lme && python -m zipfile -e /tmp/lme/lm_eval-*.whl /tmp/peer
    pip install --target /tmp/peer nltk immutabledict langdetect
    python benchmarks/instruction_checks.py --peer-path /tmp/peer

Kinds whose IFEval checker needs NLTK's downloaded punkt data (number_sentences,
capital_word_frequency) raise `LookupError` offline; they are reported as unavailable for the
peer. Agreement between the two checkers is printed per kind (expected differences: language
checks fail closed here, and sentence counts come from a different splitter).
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import statistics
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

from vrgym.verifiers.instruction import Constraint, ResponseDraft, constraint_kinds, realise_all
from vrgym.verifiers.instruction.language import warm_up

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "verifiers" / "instruction" / "ifeval_cases.jsonl"

BASE = [
    ["The new community garden opens next month on the empty lot behind the library.",
     "Volunteers have already built twelve raised beds and a small tool shed."],
    ["Anyone can sign up for a plot, and the fee covers water for the whole season.",
     "Workshops on composting and seed saving will run every Saturday morning."],
]
TERMS = ["community garden", "volunteers", "plots"]
SPARE = ["Children from the nearby school will tend two of the beds.", "The city donated soil and mulch for the first year."]


def workload(per_kind: int) -> list[tuple[Constraint, str]]:
    """(constraint, response) pairs: sampled constraints with passing and failing responses, plus the validation cases."""
    from vrgym.verifiers.instruction import load_ifeval_row

    pairs: list[tuple[Constraint, str]] = []
    for kind in constraint_kinds():
        if not kind.ifeval:
            continue
        for seed in range(per_kind):
            constraint = kind.sample(random.Random(seed), edge=seed % 4 == 0)
            draft = ResponseDraft(TERMS, BASE, spare=SPARE)
            plain = draft.render()
            realise_all([constraint], draft)
            pairs.append((constraint, draft.render()))
            pairs.append((constraint, plain))
    for line in CASES.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        pairs.append((load_ifeval_row([case["instruction_id"]], [case["kwargs"]])[0], case["response"]))
    return pairs


def load_peer(path: str) -> types.ModuleType:
    """IFEval's instructions_registry from an extracted lm-eval tree, without lm-eval's heavy package import."""
    sys.path.insert(0, path)
    folder = Path(path) / "lm_eval" / "tasks" / "ifeval"
    for name, where in (("lm_eval", folder.parents[1]), ("lm_eval.tasks", folder.parent), ("lm_eval.tasks.ifeval", folder)):
        package = types.ModuleType(name)
        package.__path__ = [str(where)]
        sys.modules[name] = package
    return importlib.import_module("lm_eval.tasks.ifeval.instructions_registry")


def peer_checker(registry: types.ModuleType, constraint: Constraint) -> Callable[[str], bool]:
    """IFEval's strict check for the same constraint (empty responses fail, as in its strict mode)."""
    instruction = registry.INSTRUCTION_DICT[constraint.kind](constraint.kind)
    kwargs = {k: v for k, v in constraint.params.model_dump().items() if v is not None}
    instruction.build_description(**kwargs)
    return lambda response: bool(response.strip() and instruction.check_following(response))


def timed(calls: list[tuple[str, Callable[[], object]]], repeat: int) -> dict[str, list[float]]:
    """Seconds per call, grouped by kind (best of `repeat` rounds for each call)."""
    out: dict[str, list[float]] = {}
    for kind, call in calls:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - start)
        out.setdefault(kind, []).append(best)
    return out


def degenerate_variants(reference: str, other: str) -> list[str]:
    """Hacked versions of a clean reference: loop, empty JSON, filler, praise, false claim, off-topic, stub."""
    first = reference.split(". ")[0]
    return [
        "word " * 300,
        "{}",
        (first + ". ") * 40,
        f"Great question! {reference}",
        f"{reference}\n\nThis response satisfies all of the constraints.",
        other,
        reference[-40:],
    ]


def hack_check_rates(problems_per_level: int, repeat: int) -> None:
    """Table 2: hack_check calls per second on clean references and on degenerate responses."""
    import vrgym
    from vrgym.tasks.instruction._judge import constraints_from
    from vrgym.verifiers.instruction.hackcheck import hack_check

    template = vrgym.get_template("InstructionFollowing")
    clean: list[Callable[[], object]] = []
    hacked: list[Callable[[], object]] = []
    flagged = 0
    for level in template.Config.level_names():
        batch = list(template.problems(problems_per_level, 17, difficulty=level))
        references = [template.reference_response(p) for p in batch]
        for i, (problem, reference) in enumerate(zip(batch, references)):
            meta = problem.metadata
            kwargs = {"task_terms": meta["topic_terms"], "prompt": problem.prompt, "constraints": constraints_from(meta["constraints"])}
            clean.append(lambda r=reference, k=kwargs: hack_check(r, **k))
            for bad in degenerate_variants(reference, references[i - 1]):
                hacked.append(lambda r=bad, k=kwargs: hack_check(r, **k))
                flagged += hack_check(bad, **kwargs) is not None
    print(f"\nhack-check layer ({problems_per_level} InstructionFollowing problems per level)")
    print(f"{'responses':28} {'calls':>7} {'calls/s':>10} {'median µs':>10}")
    for label, calls in (("clean (references)", clean), ("degenerate (7 per problem)", hacked)):
        times = timed([("x", call) for call in calls], repeat)["x"]
        print(f"{label:28} {len(times):7d} {len(times) / sum(times):10,.0f} {statistics.median(times) * 1e6:10.1f}")
    print(f"degenerate responses flagged by the hack-check alone: {flagged}/{len(hacked)} "
          "(the rest fail a constraint check, so every one scores 0 in verify)")


def template_rates(problems_per_level: int) -> None:
    """Table 3: generation and full verification rates of every instruction template, per level."""
    import vrgym

    print(f"\ntemplates ({problems_per_level} problems per level; verify = constraints + hack-check)")
    print(f"{'template':22} {'level':8} {'generate/s':>11} {'verify ref/s':>13} {'verify bad/s':>13} {'ref reward':>11}")
    for name in ("InstructionFollowing", "IFEvalStyle", "InstructionEdgeCases", "InstructionDialogue"):
        template = vrgym.get_template(name)
        for level in template.Config.level_names():
            start = time.perf_counter()
            batch = list(template.problems(problems_per_level, 23, difficulty=level))
            generate = len(batch) / (time.perf_counter() - start)
            references = [template.reference_response(p) for p in batch]
            start = time.perf_counter()
            rewards = [template.verify(p, r).reward for p, r in zip(batch, references)]
            verify_ref = len(batch) / (time.perf_counter() - start)
            bad = [degenerate_variants(r, references[i - 1])[i % 7] for i, r in enumerate(references)]
            start = time.perf_counter()
            bad_rewards = [template.verify(p, r).reward for p, r in zip(batch, bad)]
            verify_bad = len(batch) / (time.perf_counter() - start)
            assert not any(bad_rewards), f"{name}/{level}: a degenerate response scored 1"
            print(f"{name:22} {level:8} {generate:11,.0f} {verify_ref:13,.0f} {verify_bad:13,.0f} {sum(rewards) / len(rewards):11.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-kind", type=int, default=40, help="sampled constraints per kind (two responses each)")
    parser.add_argument("--repeat", type=int, default=3, help="timing rounds per check (best kept)")
    parser.add_argument("--peer-path", default=None, help="folder with an extracted lm_eval tree and its dependencies")
    parser.add_argument("--problems", type=int, default=40, help="problems per level for the hack-check and template tables")
    args = parser.parse_args()

    warm_up()
    pairs = workload(args.per_kind)
    ours = timed([(c.kind, (lambda c=c, r=r: c.check(r))) for c, r in pairs], args.repeat)
    verdicts = {i: c.check(r).ok for i, (c, r) in enumerate(pairs)}

    peer_times: dict[str, list[float]] = {}
    agree: dict[str, list[bool]] = {}
    unavailable: dict[str, str] = {}
    peer_note = "not run (pass --peer-path to compare with IFEval's reference checkers from lm-eval)"
    if args.peer_path:
        registry = load_peer(args.peer_path)
        peer_note = "IFEval reference checkers (lm-eval 'ifeval' task modules)"
        calls = []
        for i, (constraint, response) in enumerate(pairs):
            if constraint.kind in unavailable:
                continue
            try:
                check = peer_checker(registry, constraint)
                result = check(response)
            except LookupError as error:
                unavailable[constraint.kind] = f"LookupError: needs NLTK punkt data ({type(error).__name__})"
                continue
            agree.setdefault(constraint.kind, []).append(result == verdicts[i])
            calls.append((constraint.kind, (lambda check=check, response=response: check(response))))
        peer_times = timed(calls, args.repeat)

    print(f"{len(pairs)} (constraint, response) pairs, {args.per_kind} sampled constraints per kind; peer: {peer_note}\n")
    print(f"{'kind':50} {'ours checks/s':>14} {'median µs':>10} {'peer checks/s':>14} {'speed-up':>9} {'agree':>7}")
    for kind in sorted(ours):
        ours_rate = len(ours[kind]) / sum(ours[kind])
        median = statistics.median(ours[kind]) * 1e6
        if kind in peer_times:
            rate = len(peer_times[kind]) / sum(peer_times[kind])
            agreement = sum(agree[kind]) / len(agree[kind])
            print(f"{kind:50} {ours_rate:14,.0f} {median:10.1f} {rate:14,.0f} {ours_rate / rate:8.2f}x {agreement:7.1%}")
        else:
            print(f"{kind:50} {ours_rate:14,.0f} {median:10.1f} {'unavailable' if kind in unavailable else '-':>14}")
    all_ours = [t for times in ours.values() for t in times]
    print(f"\noverall ours: {len(all_ours) / sum(all_ours):,.0f} checks/s over {len(all_ours)} checks")
    if peer_times:
        shared = [k for k in peer_times]
        ours_shared = [t for k in shared for t in ours[k]]
        peer_shared = [t for k in shared for t in peer_times[k]]
        total_agree = [a for k in shared for a in agree[k]]
        print(f"on the {len(shared)} kinds both can check: ours {len(ours_shared) / sum(ours_shared):,.0f} checks/s, "
              f"IFEval {len(peer_shared) / sum(peer_shared):,.0f} checks/s, agreement {sum(total_agree) / len(total_agree):.1%}")
        for kind, why in sorted(unavailable.items()):
            print(f"peer unavailable for {kind}: {why}")
    hack_check_rates(args.problems, args.repeat)
    template_rates(args.problems)


if __name__ == "__main__":
    main()
