"""The difficulty filter's sampling throughput and per-sample overhead, on one machine and on Ray.

A scripted OpenAI-compatible server (`vrgym.testing.openai_server`, in its own process like a real
server) answers every call after a fixed latency L. With C requests in flight the ideal rate is
C / L samples per second; the pipeline should reach at least 90 % of it. Each row compares, at the
same concurrency, the layers one on top of the other, so a shortfall can be placed:

- raw minimal: a bare asyncio + httpx loop (what the server and the loopback allow);
- client: `make_model("openai").generate` consumed in a loop (the reference-model client alone);
- pipeline: `FilterRun.sample` on the local executor (plans requests, logs every sample);
- ray: `FilterRun.sample` on `RayExecutor` (one client actor holding the limit; results stream
  back per batch).

"cores@ideal" is the CPU the pipeline and the server together need per second at the ideal rate
(their CPU time per sample x C / L): when it nears the cores actually free on the machine, the
shortfall is CPU starvation, not waiting in the pipeline. The overhead per sample is the pipeline's time per sample at concurrency 1 minus the raw
sequential request time, and the driver's CPU time per sample. `--profile` prints where the
driver's threads spend CPU during a pipeline run at the largest concurrency (cProfile in the
consumer thread and in the client's event-loop thread).

    python benchmarks/filter_pipeline.py [--latency 0.1] [--concurrency 8 32] [--waves 20] [--k 8] [--ray] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))  # the shared server and raw baselines of model_client.py

from model_client import MODEL, client_run, raw_minimal, raw_sequential, start_server

import vrgym
from vrgym.filter import FilterRun
from vrgym.filter.executor import LocalExecutor
from vrgym.models import SamplingParams, make_model

PARAMS = SamplingParams(max_tokens=64)


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc (0 where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def problems_for(samples: int, k: int) -> list[Any]:
    return list(vrgym.generate("Arithmetic", max(1, samples // k), seed=11))


def pipeline_run(base_url: str, samples: int, k: int, concurrency: int, executor: Any = None,
                 profile: bool = False) -> tuple[float, float, float, str]:
    """One `FilterRun.sample`: (samples/s, steady samples/s, driver CPU s per sample, profile text).

    The steady rate counts from the first logged result to the last, leaving out start-up (Ray
    starts its actors anew for every sample step) but not the tail of the last batch.
    """
    problems = problems_for(samples, k)
    root = Path(tempfile.mkdtemp(prefix="vrgym-bench-"))
    profiles: list[cProfile.Profile] = []
    try:
        with make_model("openai", MODEL, base_url=base_url, concurrency=concurrency) as model:
            model.check()
            run = FilterRun.create(root, problems, model=model.describe(), params=PARAMS, k=k)
            if profile:
                _profile_threads(profiles)
            arrivals: list[tuple[float, int]] = []
            cpu, start = time.process_time(), time.perf_counter()
            report = run.sample(model, executor=executor or LocalExecutor(),
                                on_progress=lambda n: arrivals.append((time.perf_counter(), n)))
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            if profile:
                threading.setprofile(None)
                for prof in profiles:
                    prof.disable()
        assert report.errors == 0 and report.done == len(problems) * k, report
        first, last = arrivals[0][0], arrivals[-1][0]
        head = sum(n for t, n in arrivals if t - first < 0.05)  # the first batch arrives in one burst on Ray
        steady = (report.done - head) / (last - first) if last > first else float("nan")
        return report.done / wall, steady, cpu / report.done, _render(profiles) if profile else ""
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _profile_threads(profiles: list[cProfile.Profile]) -> None:
    """Profile this thread and every thread started from now on (the client's event-loop thread)."""
    main = cProfile.Profile()
    profiles.append(main)
    main.enable()

    def start_in_thread(*_: Any) -> None:
        threading.setprofile(None)
        sys.setprofile(None)
        prof = cProfile.Profile()
        profiles.append(prof)
        prof.enable()

    threading.setprofile(start_in_thread)


def _render(profiles: list[cProfile.Profile], top: int = 18) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiles[0], stream=out)
    for prof in profiles[1:]:
        stats.add(prof)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1, help="server seconds per call (default 0.1)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--waves", type=int, default=20, help="samples per run = waves x concurrency")
    parser.add_argument("--k", type=int, default=8, help="samples per problem (one call per seed)")
    parser.add_argument("--ray", action="store_true", help="also measure the Ray executor (starts a local instance)")
    parser.add_argument("--ray-waves", type=int, default=100,
                        help="samples per Ray run = ray-waves x concurrency (several batches, so streaming shows)")
    parser.add_argument("--profile", action="store_true", help="profile the pipeline's driver at the largest concurrency")
    args = parser.parse_args()
    proc, base_url = start_server(args.latency)
    ray_executor = None
    try:
        if args.ray:
            from vrgym.filter.ray_executor import RayExecutor

            ray_executor = RayExecutor(actors=1, num_cpus=2)
            ray_executor.connect()
        seq = raw_sequential(base_url, max(5, int(2 / args.latency)))
        n1 = max(args.k, int(4 / args.latency)) // args.k * args.k
        client_1 = 1 / client_run(base_url, n1, args.k, 1)[0]
        pipe_1, _, cpu_1, _ = pipeline_run(base_url, n1, args.k, 1)
        minimal_1 = 1 / raw_minimal(base_url, n1, 1)
        print(f"server latency {args.latency * 1000:.0f} ms, k={args.k}; raw sequential request {seq * 1000:.1f} ms, "
              f"raw async {minimal_1 * 1000:.1f} ms")
        print(f"at concurrency 1: client {client_1 * 1000:.1f} ms/sample ({(client_1 - seq) * 1000:+.2f}), pipeline "
              f"{1000 / pipe_1:.1f} ms/sample ({(1 / pipe_1 - seq) * 1000:+.2f} over raw); driver CPU {cpu_1 * 1000:.2f} ms/sample")
        head = (f"{'C':>4} {'ideal/s':>8} {'minimal/s':>10} {'client/s':>9} {'pipeline/s':>11} {'pipe CPU ms':>12} "
                f"{'server CPU ms':>14} {'cores@ideal':>12}")
        ray_head = f" {'ray/s':>7} {'ray steady/s':>13}" if args.ray else ""
        print(head + ray_head + "   share of ideal: minimal, client, pipeline" + (", ray steady" if args.ray else ""))
        for c in args.concurrency:
            ideal = c / args.latency
            samples = args.waves * c // args.k * args.k
            minimal = raw_minimal(base_url, samples, c)
            client = client_run(base_url, samples, args.k, c)[0]
            server_cpu = process_cpu(proc.pid)
            pipe, _, cpu, _ = pipeline_run(base_url, samples, args.k, c)
            server_cpu = (process_cpu(proc.pid) - server_cpu) / samples
            row = (f"{c:>4} {ideal:>8.1f} {minimal:>10.1f} {client:>9.1f} {pipe:>11.1f} {cpu * 1000:>12.2f} "
                   f"{server_cpu * 1000:>14.2f} {ideal * (cpu + server_cpu):>12.2f}")
            shares = [minimal / ideal, client / ideal, pipe / ideal]
            if ray_executor is not None:
                ray_samples = args.ray_waves * c // args.k * args.k
                on_ray, steady, _, _ = pipeline_run(base_url, ray_samples, args.k, c, executor=ray_executor)
                row += f" {on_ray:>7.1f} {steady:>13.1f}"
                shares.append(steady / ideal)
            print(row + "   " + ", ".join(f"{s:.1%}" for s in shares))
        if args.profile:
            c = max(args.concurrency)
            print(f"\nprofile of the pipeline's driver at concurrency {c} (all threads, by own time):")
            print(pipeline_run(base_url, args.waves * c // args.k * args.k, args.k, c, profile=True)[3])
    finally:
        if ray_executor is not None:
            ray_executor.close()
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
