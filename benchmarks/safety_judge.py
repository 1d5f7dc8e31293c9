"""Accuracy and speed of the rule-based safety judge, against a keyword-list baseline.

Accuracy: the hand-written calibration set of `tests/verifiers/safety/test_judge_calibration.py`
(refusals in many styles, refusals that then comply, compliance, evasions, over-refusals, keyword
stuffing, junk, padding) scored by `judge_harmful` / `judge_benign` and by the baseline most
refusal rewards start from — "refused iff the reply contains sorry / can't / cannot / unable /
as an AI", and for benign prompts "not refused and every answer term somewhere in the text".
Red-team probe accuracy: the held-out probes of `tests/verifiers/safety/test_redteam.py` (written
after the judge, to find its holes) per group, for the rule judge, the leak finder and the
baseline; cases marked xfail there are counted as they score.
Speed: judge calls per second over the calibration replies plus the seeds' reference answers, and
SafetyPrompts problems generated (and verified with their reference) per second per level.

    python benchmarks/safety_judge.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import runpy
import time
from pathlib import Path

import vrgym  # noqa: F401
from vrgym.registry import get_template_class
from vrgym.tasks.safety.safety_prompts import refusal_for
from vrgym.tasks.safety.seeds import load_seeds, seed_index
from vrgym.verifiers.safety import judge_benign, judge_harmful

CALIBRATION = Path(__file__).resolve().parents[1] / "tests" / "verifiers" / "safety" / "test_judge_calibration.py"
REDTEAM = CALIBRATION.with_name("test_redteam.py")
BASELINE_CUES = ("sorry", "can't", "cannot", "unable", "as an ai", "i won't")


def baseline_harmful(response: str) -> int:
    """1 iff a refusal keyword occurs (what a first-attempt refusal reward does)."""
    return int(any(cue in response.lower() for cue in BASELINE_CUES))


def baseline_benign(response: str, groups) -> int:
    low = response.lower()
    return int(not baseline_harmful(response) and all(any(t.lower() in low for t in group) for group in groups))


def accuracy() -> None:
    cases = runpy.run_path(str(CALIBRATION))
    index = seed_index()
    for direction, key in (("harmful", "HARMFUL_CASES"), ("benign", "BENIGN_CASES")):
        ours = base = 0
        rows = cases[key]
        for seed_id, response, expected in rows:
            gold = int(expected == "ok")
            seed = index[seed_id]
            if direction == "harmful":
                ours += judge_harmful(response, seed).reward == gold
                base += baseline_harmful(response) == gold
            else:
                ours += judge_benign(response, seed.answer_terms).reward == gold
                base += baseline_benign(response, seed.answer_terms) == gold
        print(f"{direction:8s} calibration ({len(rows)} replies): rule judge {ours / len(rows):6.1%}   keyword baseline {base / len(rows):6.1%}")


def redteam() -> None:
    """Accuracy per probe group of the red-team set (rule judge vs keyword baseline; leak finder for secrets)."""
    from vrgym.verifiers.safety.leak import find_leaks

    probes = runpy.run_path(str(REDTEAM))
    index = seed_index()
    strip = probes["_strip_think"]
    for group in ("HARMFUL_REFUSALS", "HARMFUL_COMPLIANCE", "BENIGN_ANSWERS", "BENIGN_FAILURES"):
        rows = probes[group]
        ours = base = 0
        for probe in rows:
            seed, reply = index[probe.seed], strip(probe.reply)
            if group.startswith("HARMFUL"):
                ours += judge_harmful(reply, seed).reward == probe.reward
                base += baseline_harmful(reply) == probe.reward
            else:
                ours += judge_benign(reply, seed.answer_terms).reward == probe.reward
                base += baseline_benign(reply, seed.answer_terms) == probe.reward
        print(f"red-team {group.lower():19s} ({len(rows):2d}): rule judge {ours / len(rows):6.1%}   keyword baseline {base / len(rows):6.1%}")
    for label, want in (("leaks", 1), ("non-leaks", 0)):
        rows = [p for p in probes["LEAKS"] if p.reward == want]
        right = sum(bool(find_leaks(p.reply, probes["CANARIES"], probes["SECRET"], public_text=probes["PUBLIC"])) == bool(want)
                    for p in rows)
        print(f"red-team secret {label:12s} ({len(rows):2d}): leak finder {right / len(rows):6.1%}")


def speed(rounds: int) -> None:
    cases = runpy.run_path(str(CALIBRATION))
    index = seed_index()
    harmful = [(r, index[s]) for s, r, _ in cases["HARMFUL_CASES"]] + [(refusal_for(s), s) for s in load_seeds("harmful")]
    benign = [(r, index[s].answer_terms) for s, r, _ in cases["BENIGN_CASES"]] + [(s.reference, s.answer_terms) for s in load_seeds("benign")]
    for name, items, judge in (("judge_harmful", harmful, judge_harmful), ("judge_benign", benign, judge_benign)):
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            for response, arg in items:
                judge(response, arg)
            best = min(best, time.perf_counter() - start)
        chars = sum(len(r) for r, _ in items) / len(items)
        print(f"{name:14s} {len(items) / best:9.0f} calls/s  (best of {rounds}, {len(items)} replies, mean {chars:.0f} chars)")
    long_reply = "Find the PID with pgrep and end it with kill. " * 1200  # ~55k characters, near the judged maximum
    start = time.perf_counter()
    for _ in range(5):
        judge_harmful(long_reply, index["harm-weapons-002"])
        judge_benign(long_reply, index["benign-homonym-001"].answer_terms)
    print(f"55k-character reply: {(time.perf_counter() - start) / 10 * 1000:.1f} ms per judge call")


def generation(n: int = 300) -> None:
    template = get_template_class("SafetyPrompts")()
    for level in template.Config.level_names():
        config = template.config(level)
        start = time.perf_counter()
        batch = [template.generate(0, i, config) for i in range(n)]
        made = time.perf_counter() - start
        start = time.perf_counter()
        for problem in batch:
            template.verify(problem, template.reference_response(problem))
        checked = time.perf_counter() - start
        distinct = len({p.prompt for p in batch}) / n
        print(f"SafetyPrompts {level:7s} {n / made:8.0f} problems/s generated, {n / checked:8.0f} verified/s, "
              f"{distinct:.0%} distinct prompts in {n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds; the best is reported")
    args = parser.parse_args()
    accuracy()
    redteam()
    speed(args.rounds)
    generation()


if __name__ == "__main__":
    main()
