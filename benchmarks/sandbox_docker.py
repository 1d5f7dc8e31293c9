"""Docker sandbox cost per execution: the warm fork-server pool against a fresh container per call.

One trivial program (``print(sum(range(100)))``), run N times each way, on this machine's engine:

- warm pool      — `DockerExecutor` (mode="warm"): jobs go to fork-servers already running in
                   locked-down containers (sequential, then with 2 containers in parallel);
- exec_run       — the docker SDK's ``exec_run`` of ``python3 -c`` in one warm container (the usual
                   "reuse a container" approach, for reference);
- per-call       — `DockerExecutor(mode="per_call")`: a fresh locked-down container per job;
- containers.run — the docker SDK's ``containers.run(..., remove=True)`` of ``python3 -c`` with the
                   same image and ``network_mode="none"``: the peer baseline (target: warm ≥ 50× faster).

    vrgym sandbox build-image      # once (or let the executor build it)
    python benchmarks/sandbox_docker.py [-n 200] [--fresh 20]

Figures are medians in ms per job and jobs/s over the whole run; the ratios at the end are what the
issue asks for. Needs a running engine (`.ci/dockerd.sh`).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

CODE = "print(sum(range(100)))"


def measure(n: int, one: Callable[[], object]) -> tuple[float, float]:
    """(median ms per call, calls per second) of `one` called n times in a row."""
    times = []
    start = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter()
        one()
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    return statistics.median(times) * 1000, n / total


def row(name: str, ms: float, rate: float) -> None:
    print(f"{name:<44} {ms:9.2f} ms/job {rate:9.1f} jobs/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="jobs per warm measurement (default 200)")
    parser.add_argument("--fresh", type=int, default=20, help="jobs per fresh-container measurement (default 20)")
    args = parser.parse_args()

    from vrgym.sandbox import ExecStatus, Job
    from vrgym.sandbox.docker import DockerExecutor, connect

    client = connect()
    job = Job(argv=("python", "-c", CODE))

    def checked(executor: DockerExecutor) -> Callable[[], object]:
        def one() -> object:
            result = executor.run(job)
            assert result.status is ExecStatus.OK and result.stdout == "4950\n", result
            return result

        return one

    with DockerExecutor(pool_size=1, client=client) as warm:
        warm.warm_up()
        checked(warm)()
        warm_ms, warm_rate = measure(args.n, checked(warm))
        image = warm.image
    row("warm pool, 1 container, sequential", warm_ms, warm_rate)

    with DockerExecutor(pool_size=2, client=client) as warm2:
        warm2.warm_up()
        start = time.perf_counter()
        results = warm2.run_many([job] * args.n, concurrency=2)
        rate2 = args.n / (time.perf_counter() - start)
        assert all(r.stdout == "4950\n" for r in results)
    row("warm pool, 2 containers, 2 in flight", 1000 * 2 / rate2, rate2)

    box = client.containers.run(image, ["/usr/local/bin/python3", "-c", "import time; time.sleep(600)"], detach=True,
                                network_mode="none", read_only=True, user="65534:65534", labels={"vrgym.sandbox": "1"})  # fmt: skip
    try:
        exec_ms, exec_rate = measure(min(args.n, 50), lambda: box.exec_run(["/usr/local/bin/python3", "-I", "-S", "-c", CODE]))
    finally:
        box.remove(force=True)
    row("exec_run in a warm container", exec_ms, exec_rate)

    with DockerExecutor(mode="per_call", client=client) as fresh:
        call_ms, call_rate = measure(args.fresh, checked(fresh))
    row("per-call mode (fresh locked-down container)", call_ms, call_rate)

    def run_fresh() -> object:
        out = client.containers.run(image, ["/usr/local/bin/python3", "-I", "-S", "-c", CODE], remove=True, network_mode="none")
        assert out == b"4950\n", out
        return out

    run_ms, run_rate = measure(args.fresh, run_fresh)
    row("containers.run (peer: fresh container per call)", run_ms, run_rate)

    print()
    print(f"warm pool vs containers.run: {run_ms / warm_ms:6.1f}x faster per job (target >= 50x)")
    print(f"warm pool vs exec_run:       {exec_ms / warm_ms:6.1f}x faster per job")
    print(f"warm pool vs per-call mode:  {call_ms / warm_ms:6.1f}x faster per job")


if __name__ == "__main__":
    main()
