"""The contract checks: one function per rule every template must keep.

Each check takes a `ContractRun` and records failures on it; `CHECKS` lists them in the order the
suite runs them. Separate functions (not one big loop) so a test can be parametrized per
(template, check) and a failure names the broken rule:

* reference     — the reference response scores 1 on every seed × level, and the prompt states
                  the answer format (names its marker, `\\boxed` or `<answer>`);
* gauntlet      — adversarial responses score 0, never raise, never crash the verifier, stay fast;
* determinism   — same (seed, index, config) → identical Problem, here and in another process
                  with another PYTHONHASHSEED;
* seeds         — seed s+1 is not seed s shifted by one index; different seeds, different problems;
* json          — `Problem.from_json(p.to_json()) == p`, and the reloaded problem gets the same verdict;
* cross_process — a problem reloaded in another process verifies its reference with reward 1;
* gym           — the template's Gymnasium env passes `gymnasium.utils.env_checker.check_env`;
* levels        — every level validates and the easiest and hardest levels change generation;
* verdicts      — every verdict is a `Verdict`, reward ∈ {0, 1}, reward 1 iff reason "ok".
"""

from __future__ import annotations

import importlib.util
import math
import random
import warnings
from collections.abc import Callable

from vrgym.problem import Problem
from vrgym.testing.context import ContractRun, Outcome, differing_fields
from vrgym.testing.gauntlet import Attack, build_gauntlet
from vrgym.verdict import VERIFIER_ERROR

Check = Callable[[ContractRun], None]

SEEDS_STREAM_LENGTH = 16
"""Problems compared per seed by the `seeds` check."""
LEVEL_PROBES = 8
"""RNG seeds with which `levels` builds easiest and hardest drafts side by side."""
OTHER_PROBLEMS = 6
"""Other problems whose references a gauntlet draws foreign answers from."""


def check_reference(run: ContractRun) -> None:
    """The reference response scores 1 on every (seed, level), and the prompt states the format."""
    marker = run.template.answer_format.marker
    for seed, level in run.cases():
        problem = run.problem(seed, level)
        if problem is not None and marker and marker not in problem.prompt:
            run.fail(f"the prompt never mentions {marker}: a prompt must state the answer format its verifier reads "
                     "(e.g. end it with template.answer_format.instruction)", seed=seed, difficulty=level)
        outcome = run.reference_outcome(seed, level)
        if outcome is None:
            continue
        where = {"seed": seed, "difficulty": level, "response": run.reference(seed, level)}
        if outcome.error:
            run.fail(outcome.error, **where)
        elif outcome.verdict is not None and outcome.verdict.reward != 1:
            run.fail("the reference response did not score 1; reference_response must give a response that solves the problem",
                     verdict=outcome.verdict, **where)
        if slow := run.too_slow(outcome):
            run.fail(slow, **where)


def check_gauntlet(run: ContractRun) -> None:
    """Every adversarial response scores 0 with a real reason, never raises, within the time limit."""
    for level in run.levels:
        for position, seed in enumerate(range(min(run.settings.gauntlet_seeds, run.settings.seeds))):
            for attack, outcome in _face_gauntlet(run, seed, level, heavy=position == 0):
                where = {"seed": seed, "difficulty": level, "case": attack.name, "response": attack.response}
                verdict = outcome.verdict
                if outcome.error:
                    run.fail(outcome.error if outcome.discipline else f"{outcome.error}; any response, however malformed, "
                             "must get a Verdict", **where)
                elif verdict is not None and verdict.reason == VERIFIER_ERROR:
                    run.fail("the verifier crashed on this response (reason verifier_error); handle it and return a real reason",
                             verdict=verdict, **where)
                elif verdict is not None and verdict.reward != 0:
                    run.fail("an adversarial response scored 1; it must score 0", verdict=verdict, **where)
                if slow := run.too_slow(outcome):
                    run.fail(slow, **where)


def _face_gauntlet(run: ContractRun, seed: int, level: str, *, heavy: bool) -> list[tuple[Attack, Outcome]]:
    """The gauntlet of problem (seed, level) and the outcome of each attack (computed once per run)."""
    key = (seed, level, heavy)
    if key not in run.gauntlets:
        run.gauntlets[key] = _attack(run, seed, level, heavy=heavy)
    return run.gauntlets[key]


def _attack(run: ContractRun, seed: int, level: str, *, heavy: bool) -> list[tuple[Attack, Outcome]]:
    """Build the gauntlet of problem (seed, level), with other problems' references as foreign answers."""
    problem, reference = run.problem(seed, level), run.reference(seed, level)
    if problem is None or reference is None:
        return []
    answer = run.answer_of(seed, level)
    if answer is None:
        run.note(f"gauntlet: the reference response has no final answer extractable as {run.template.answer_format.value}; "
                 "answer-based attacks (padding, hedging, unmarked answers) were skipped")
    others = []
    for other in range(run.settings.seeds + OTHER_PROBLEMS):
        other_problem = run.problem(other, level) if other != seed else None
        if other_problem is None or other_problem.answer == problem.answer or other_problem.prompt == problem.prompt:
            continue  # same ground truth: its reference is a right answer here too
        other_reference = run.reference(other, level)
        if other_reference is not None:
            others.append((other_reference, run.answer_of(other, level)))
        if len(others) >= OTHER_PROBLEMS:
            break
    attacks = build_gauntlet(run.template, problem, reference, answer, others, heavy=heavy)
    return [(attack, run.verify(problem, attack.response)) for attack in attacks]


def check_determinism(run: ContractRun) -> None:
    """Same inputs give an identical Problem: twice here, in a fresh instance, and in another process."""
    try:
        fresh = type(run.template)()
    except Exception as exc:  # noqa: BLE001
        fresh = None
        run.note(f"determinism: could not make a second instance of {type(run.template).__name__} ({exc})")
    for seed, level in run.cases():
        problem = run.problem(seed, level)
        if problem is None:
            continue
        for who, template in (("the same instance", run.template), ("a new instance", fresh)):
            if template is None:
                continue
            try:
                again = template.generate(seed, 0, difficulty=level)
            except Exception as exc:  # noqa: BLE001
                run.fail(f"generate raised {type(exc).__name__} on a repeated call: {exc}", seed=seed, difficulty=level)
                continue
            if again != problem or again.to_json() != problem.to_json():
                run.fail(f"generate gave a different problem on a repeated call with {who}: {differing_fields(problem, again)}; "
                         "draw all randomness from the rng passed to build(), never from global random or instance state",
                         seed=seed, difficulty=level)
    child = run.child()
    if child is None:
        return
    if child.error:
        run.fail(f"cross-process generation failed: {child.error}")
    for (seed, level), answer in child.generated.items():
        problem = run.problem(seed, level)
        if problem is None:
            continue
        if "error" in answer:
            run.fail(f"generate raised in a fresh process: {answer['error']}", seed=seed, difficulty=level)
        elif answer["json"] != problem.to_json():
            run.fail(f"a fresh process (PYTHONHASHSEED={child.hash_seed}) generated a different problem: "
                     f"{differing_fields(problem, Problem.from_json(answer['json']))}; never use hash() of strings, "
                     "set iteration order, or any state outside the rng passed to build()", seed=seed, difficulty=level)


def check_seeds(run: ContractRun) -> None:
    """Seed s+1 is not seed s shifted by one index, and different seeds give different problems."""
    level = run.levels[-1]
    n = SEEDS_STREAM_LENGTH
    try:
        first = [run.template.generate(0, i, difficulty=level).prompt for i in range(n + 1)]
        second = [run.template.generate(1, i, difficulty=level).prompt for i in range(n)]
    except Exception as exc:  # noqa: BLE001
        run.fail(f"generate raised {type(exc).__name__}: {exc}", difficulty=level)
        return
    if first[:n] == second:
        run.fail(f"seeds 0 and 1 give the same {n} problems; the seed must select a different stream", difficulty=level)
        return
    shifted = sum(second[i] == first[i + 1] for i in range(n))
    # Chance agreement from every unrelated pair tells small problem spaces apart from a shifted stream.
    unrelated = [second[i] == first[j] for i in range(n) for j in range(n + 1) if j != i + 1]
    p = sum(unrelated) / len(unrelated)
    allowed = n * p + 3 * math.sqrt(n * p * (1 - p)) + 1
    if shifted > allowed:
        run.fail(f"seed 1 replays seed 0 shifted by one index: {shifted} of {n} problems (seed=1, index=i) equal "
                 f"(seed=0, index=i+1), chance would give about {n * p:.1f}; derive each problem's RNG from the whole "
                 "(seed, index) key (vrgym.seeding.rng_for), not from seed + index", difficulty=level)


def check_json(run: ContractRun) -> None:
    """Problems survive JSON (text and dict) unchanged and get the same verdict afterwards."""
    for seed, level in run.cases():
        problem = run.problem(seed, level)
        if problem is None:
            continue
        try:
            text = problem.to_json()
            reloaded, from_dict = Problem.from_json(text), Problem.model_validate(problem.model_dump(mode="json"))
        except Exception as exc:  # noqa: BLE001
            run.fail(f"the problem does not survive JSON: {type(exc).__name__}: {exc}", seed=seed, difficulty=level)
            continue
        for how, copy in (("Problem.from_json(p.to_json())", reloaded), ("a problem rebuilt from its JSON dict", from_dict)):
            if copy != problem:
                run.fail(f"{how} differs from the original: {differing_fields(problem, copy)}; keep answer and metadata plain JSON",
                         seed=seed, difficulty=level)
        original, reference = run.reference_outcome(seed, level), run.reference(seed, level)
        if original is None or original.verdict is None or reference is None:
            continue
        again = run.verify(reloaded, reference)
        before, after = original.verdict, again.verdict
        if again.error or after is None or (after.reward, after.reason) != (before.reward, before.reason):
            run.fail("the reloaded problem got a different verdict for the reference response than the original "
                     f"({before.reward}/{before.reason}): the verifier must depend only on the Problem's fields",
                     seed=seed, difficulty=level, response=reference, verdict=after if after is not None else again.error)


def check_cross_process(run: ContractRun) -> None:
    """A problem loaded from JSON in another process verifies its reference response with reward 1."""
    child = run.child()
    if child is None:
        return
    if child.error:
        run.fail(f"cross-process verification failed: {child.error}")
    for (seed, level), answer in child.verified.items():
        if "error" in answer:
            run.fail(f"verify raised in a fresh process: {answer['error']}", seed=seed, difficulty=level)
        elif answer["reward"] != 1:
            run.fail("in a fresh process the reloaded problem did not accept its reference response "
                     f"(reason {answer['reason']!r}: {answer['detail'][:200]}); the verifier must not rely on state "
                     "kept in the generating process — put everything it needs in answer/metadata",
                     seed=seed, difficulty=level, response=run.reference(seed, level))


def check_gym(run: ContractRun) -> None:
    """`gym.make(template.gym_id())` passes Gymnasium's env checker at the default and hardest level."""
    if not run.settings.check_gym:
        run.skip("check_gym=False")
        return
    if importlib.util.find_spec("vrgym.envs.factory") is None:
        run.skip("vrgym.envs.factory is not importable")
        return
    from vrgym.errors import UnknownTaskError
    from vrgym.registry import get_template_class

    try:
        registered = get_template_class(run.template.name)
    except UnknownTaskError:
        run.skip(f"{run.template.name} is not registered, so it has no gym id (decorate it with @vrgym.register)")
        return
    if registered is not type(run.template):
        run.skip(f"the registered {run.template.name} is another class than the one under test")
        return
    import gymnasium
    from gymnasium.utils.env_checker import check_env

    config = run.template.Config
    for level in dict.fromkeys((config.level_name(None), config.level_names()[-1])):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                env = gymnasium.make(run.template.gym_id(), difficulty=level)
            except Exception as exc:  # noqa: BLE001
                run.fail(f"gymnasium.make({run.template.gym_id()!r}, difficulty={level!r}) raised {type(exc).__name__}: {exc}",
                         difficulty=level)
                continue
            try:
                check_env(env.unwrapped)
            except Exception as exc:  # noqa: BLE001
                run.fail(f"gymnasium's check_env failed: {type(exc).__name__}: {exc}", difficulty=level)
            finally:
                env.close()
        for warning in caught[:3]:
            run.note(f"gym ({level}): {str(warning.message)[:200]}")


def check_levels(run: ContractRun) -> None:
    """Every level validates, and the easiest and hardest levels make different problems from the same RNG."""
    config_cls = run.template.Config
    names = config_cls.level_names()
    configs = {}
    for level in names:
        try:
            configs[level] = run.template.config(level)
        except Exception as exc:  # noqa: BLE001
            run.fail(f"difficulty level {level!r} does not validate: {exc}", difficulty=level)
            continue
        if configs[level].difficulty != level:
            run.fail(f"the config of level {level!r} says difficulty={configs[level].difficulty!r}", difficulty=level)
    if len(names) < 2:
        run.note(f"levels: {config_cls.__name__} has a single level, so there is nothing to compare")
        return
    easy, hard = names[0], names[-1]
    if easy not in configs or hard not in configs:
        return
    fields = {level: configs[level].model_dump(exclude={"difficulty"}) for level in (easy, hard)}
    if fields[easy] == fields[hard]:
        run.fail(f"levels {easy!r} and {hard!r} resolve to the same config {fields[easy]}; each level must set the fields "
                 "that make problems easier or harder")
        return
    for probe in range(LEVEL_PROBES):
        try:
            drafts = [run.template.build(random.Random(probe), configs[level]) for level in (easy, hard)]
        except Exception as exc:  # noqa: BLE001
            run.fail(f"build raised {type(exc).__name__}: {exc}")
            return
        if drafts[0] != drafts[1]:
            return
    run.fail(f"build() made the same {LEVEL_PROBES} problems at levels {easy!r} and {hard!r} from the same RNG; "
             "generation ignores the fields the levels set")


def check_verdicts(run: ContractRun) -> None:
    """Every verdict (reference and gauntlet, one problem per level) is a proper binary Verdict."""
    for level in run.levels:
        outcome = run.reference_outcome(0, level)
        faced = [(Attack("reference", run.reference(0, level)), outcome)] if outcome is not None else []
        faced += _face_gauntlet(run, 0, level, heavy=True)  # the gauntlet check's first problem: shared
        for attack, result in faced:
            if result.discipline:
                run.fail(result.error or "", seed=0, difficulty=level, case=attack.name, response=attack.response)


CHECKS: dict[str, Check] = {
    "reference": check_reference,
    "gauntlet": check_gauntlet,
    "determinism": check_determinism,
    "seeds": check_seeds,
    "json": check_json,
    "cross_process": check_cross_process,
    "gym": check_gym,
    "levels": check_levels,
    "verdicts": check_verdicts,
}
"""Every contract check, by name, in the order `run_contract` runs them."""
