"""Reward handed to reward hacks: vrgym's Arithmetic against reasoning-gym's basic_arithmetic.

Each library gets the same kinds of hostile responses, written in its own answer format (vrgym:
`\\boxed{}`; reasoning-gym: `<answer>` tags, read with its own `extract_answer`). A correct
verifier gives every one of them 0; the table prints the mean reward each library hands out per
attack (reasoning-gym gives partial credit, so means between 0 and 1 appear).

    pip install -e ".[bench]"
    python benchmarks/hack_resistance.py [-n 200]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

ATTACKS: dict[str, Callable[[str], list[str]]] = {
    "hedge: gold among wrong answers": lambda gold: [f"7, {gold}, 12"],
    "hedge: 'X or 7'": lambda gold: [f"{gold} or 7"],
    "gold buried in padding": lambda gold: [f"lorem ipsum {gold} dolor sit amet"],
    "gold with a digit appended": lambda gold: [f"{gold}1"],
    "two different final answers": lambda gold: ["7", gold],
    "empty answer": lambda gold: [""],
}


def boxed(answers: list[str]) -> str:
    return " ".join(f"\\boxed{{{a}}}" for a in answers)


def tagged(answers: list[str]) -> str:
    return " ".join(f"<answer>{a}</answer>" for a in answers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args()

    import vrgym

    template = vrgym.get_template("Arithmetic")
    problems = list(template.problems(args.n, seed=0, difficulty="hard"))
    ours = {
        name: sum(template.verify(p, boxed(attack(p.answer["display"]))).reward for p in problems) / args.n
        for name, attack in ATTACKS.items()
    }
    try:
        import reasoning_gym
        from reasoning_gym.utils import extract_answer
    except ImportError:
        reasoning_gym = None
    peer: dict[str, float] = {}
    if reasoning_gym is not None:
        dataset = reasoning_gym.create_dataset("basic_arithmetic", seed=0, size=args.n)
        items = [dataset[i] for i in range(args.n)]
        for name, attack in ATTACKS.items():
            total = 0.0
            for item in items:
                answer = extract_answer(tagged(attack(item["answer"])))
                total += dataset.score_answer(answer, item) if answer is not None else 0.0
            peer[name] = total / args.n
    print(f"{'attack (mean reward; 0 is right)':<36} {'vrgym':>7} {'reasoning-gym':>14}")
    for name in ATTACKS:
        print(f"{name:<36} {ours[name]:>7.3f} {peer.get(name, float('nan')):>14.3f}")


if __name__ == "__main__":
    main()
