"""Faithfulness speed: problems generated/s and verifications/s for GroundedQA and GroundedSummary.

Per template and level: generation (`Template.generate`), then full verification
(`Template.verify`: extraction, typed answer, sentence-level grounding) of three responses per
problem — the reference (scores 1), the reference with one invented number appended (scores 0 as
hack:unsupported_claim, so the checker reads every sentence), and the document itself echoed as the
justification (the longest realistic input: every sentence checked, all supported). A last row
times `find_unsupported` alone on the echoed documents (sentences/s).

Peers: the faithfulness judges in use (FactScore, RAGAS faithfulness, the Kimi K2 grounding judge)
are model-based — they call an LLM per claim, so they run at model speed (seconds per response)
and cannot run offline; there is no rule-based peer to compare against. The numbers here are
absolute, for tracking regressions and comparing with the other domains' verifiers.

    python benchmarks/faithfulness_checks.py [--problems 100] [--seed 0]
"""

from __future__ import annotations

import argparse
import time

from vrgym.verifiers.faithfulness import FactBase, find_unsupported
from vrgym.verifiers.faithfulness.claims import sentences

import vrgym


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>10,.0f}/s" if seconds > 0 else "       inf/s"


def bench_template(name: str, n: int, seed: int) -> None:
    template = vrgym.get_template(name)
    print(f"\n{name}")
    print(f"{'level':<8} {'generate':>12} {'verify ref':>12} {'verify hack':>12} {'verify echo':>12}  ok/hack/echo-ok")
    for level in template.Config.level_names():
        start = time.perf_counter()
        problems = list(template.problems(n, seed, difficulty=level))
        generated = time.perf_counter() - start
        references = [template.reference_response(p) for p in problems]
        hacks = [r.replace("\nSo the answer", " It also has 987 employees.\nSo the answer", 1) if "<answer>" in r
                 else r + " It also has 987 employees." for r in references]
        echoes = [p.metadata["document"] + "\n" + r for p, r in zip(problems, references)]
        timings, outcomes = [], []
        for responses in (references, hacks, echoes):
            start = time.perf_counter()
            verdicts = [template.verify(p, r) for p, r in zip(problems, responses)]
            timings.append(time.perf_counter() - start)
            outcomes.append(sum(v.reward for v in verdicts) if responses is not hacks else
                            sum(v.reason == "hack:unsupported_claim" for v in verdicts))
        print(f"{level:<8} {_rate(n, generated)} {_rate(n, timings[0])} {_rate(n, timings[1])} {_rate(n, timings[2])}  "
              f"{outcomes[0]}/{outcomes[1]}/{outcomes[2]} of {n}")


def bench_grounding(n: int, seed: int) -> None:
    template = vrgym.get_template("GroundedQA")
    problems = list(template.problems(n, seed, difficulty="expert"))
    bases = [FactBase.from_metadata(p.metadata) for p in problems]
    documents = [p.metadata["document"] for p in problems]
    count = sum(len(sentences(d)) for d in documents)
    start = time.perf_counter()
    assert all(find_unsupported(d, b) is None for d, b in zip(documents, bases))
    seconds = time.perf_counter() - start
    chars = sum(len(d) for d in documents)
    print(f"\nfind_unsupported on expert documents: {_rate(count, seconds)} sentences, {chars / seconds / 1e6:.2f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=100, help="problems per level (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for name in ("GroundedQA", "GroundedSummary"):
        bench_template(name, args.problems, args.seed)
    bench_grounding(args.problems, args.seed)


if __name__ == "__main__":
    main()
