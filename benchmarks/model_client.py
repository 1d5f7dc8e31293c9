"""Throughput and per-sample overhead of the OpenAI-compatible reference-model client.

A scripted server (`vrgym.testing.openai_server`, run in its own process like a real server)
answers every call after a fixed latency L. With a concurrency limit C the ideal throughput is
C / L calls per second; the client should reach at least 90 % of it. Two baselines put the
numbers in context:

- raw sequential: one `httpx.Client.post` after another — the bare request time;
- raw pool: the obvious asyncio loop, one shared `httpx.AsyncClient` and a semaphore. httpx's
  shared pool costs more CPU per call the more connections it holds, so it falls far behind at
  high concurrency; the client avoids that with single-connection clients;
- raw minimal: the same single-connection clients in a bare asyncio loop (no retries, no
  parsing into samples, no streaming to another thread) — what the client's bookkeeping costs.

The overhead per sample is the client's time per sample at concurrency 1 minus the raw
sequential request time, and the client's CPU time per sample (what it costs the filter process).

    python benchmarks/model_client.py [--latency 0.2] [--concurrency 8 32 64] [--waves 25] [--k 8] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import time

import httpx

from vrgym.models import SampleRequest, SamplingParams, make_model

MODEL = "test-model"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(latency: float) -> tuple[subprocess.Popen, str]:
    """The scripted server in a child process; returns it and its base URL once it answers."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "vrgym.testing.openai_server", "--port", str(port),
                             "--latency", str(latency), "--model", MODEL], stdout=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(base_url + "/models", timeout=1).status_code == 200:
                return proc, base_url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the scripted server did not start within 30 s")


def body(seed: int) -> dict:
    return {"model": MODEL, "seed": seed, "max_tokens": 64, "messages": [{"role": "user", "content": "solve it"}]}


def raw_sequential(base_url: str, calls: int) -> float:
    """Seconds per call for plain blocking httpx posts, one after another."""
    with httpx.Client() as client:
        client.post(base_url + "/chat/completions", json=body(0))  # warm the connection
        start = time.perf_counter()
        for i in range(calls):
            client.post(base_url + "/chat/completions", json=body(i)).raise_for_status()
        return (time.perf_counter() - start) / calls


def raw_async(base_url: str, calls: int, concurrency: int) -> float:
    """Calls per second of a minimal asyncio + httpx loop limited to `concurrency` in flight."""

    async def run() -> float:
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
            sem = asyncio.Semaphore(concurrency)

            async def one(i: int) -> None:
                async with sem:
                    (await client.post("/chat/completions", json=body(i))).raise_for_status()

            start = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(calls)))
            return calls / (time.perf_counter() - start)

    return asyncio.run(run())


def raw_minimal(base_url: str, calls: int, concurrency: int) -> float:
    """Calls per second of a bare loop over `concurrency` single-connection clients (a free list)."""

    async def run() -> float:
        ssl_context = httpx.create_ssl_context()
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        clients = [httpx.AsyncClient(base_url=base_url, limits=limits, verify=ssl_context, timeout=60)
                   for _ in range(concurrency)]
        free: asyncio.Queue[httpx.AsyncClient] = asyncio.Queue()
        for client in clients:
            free.put_nowait(client)

        async def one(i: int) -> None:
            client = await free.get()
            try:
                (await client.post("/chat/completions", json=body(i))).raise_for_status()
            finally:
                free.put_nowait(client)

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(calls)))
        rate = calls / (time.perf_counter() - start)
        await asyncio.gather(*(c.aclose() for c in clients))
        return rate

    return asyncio.run(run())


def client_run(base_url: str, samples: int, k: int, concurrency: int) -> tuple[float, float, int]:
    """(samples per second, client CPU seconds per sample, failed requests) through `make_model`."""
    params = SamplingParams(max_tokens=64)
    reqs = [SampleRequest(f"p{i}", f"problem {i}", tuple(range(i * k, i * k + k)), params) for i in range(samples // k)]
    with make_model("openai", MODEL, base_url=base_url, concurrency=concurrency) as model:
        model.check()
        cpu, start = time.process_time(), time.perf_counter()
        results = list(model.generate(reqs))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    done = sum(len(r.samples) for r in results)
    return done / wall, cpu / max(done, 1), sum(not r.ok for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="server seconds per call")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32, 64])
    parser.add_argument("--waves", type=int, default=25,
                        help="samples per throughput run = waves x concurrency (start-up and the last wave amortised)")
    parser.add_argument("--k", type=int, default=8, help="samples per problem (one call per seed)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each measurement; the best is kept")
    args = parser.parse_args()
    best = lambda run: max(run() for _ in range(args.rounds))  # noqa: E731  (machine noise only ever slows)
    proc, base_url = start_server(args.latency)
    try:
        calls = max(args.k, int(8 / max(args.latency, 0.01))) // args.k * args.k
        seq = 1 / best(lambda: 1 / raw_sequential(base_url, calls))
        minimal_1 = 1 / best(lambda: raw_minimal(base_url, calls, 1))
        client_1 = 1 / best(lambda: client_run(base_url, calls, args.k, 1)[0])
        print(f"server latency {args.latency * 1000:.0f} ms; per call at concurrency 1: raw sequential "
              f"{seq * 1000:.1f} ms, raw minimal {minimal_1 * 1000:.1f} ms, client {client_1 * 1000:.1f} ms "
              f"(overhead {(client_1 - seq) * 1000:+.2f} ms/sample vs sequential)")
        print(f"{'C':>4} {'ideal/s':>8} {'raw pool/s':>11} {'raw minimal/s':>14} {'client/s':>9} "
              f"{'client/ideal':>13} {'client/minimal':>15} {'CPU ms/sample':>14} {'failed':>7}")
        for c in args.concurrency:
            ideal = c / args.latency
            samples = args.waves * c // args.k * args.k
            pool = best(lambda: raw_async(base_url, samples, c))
            minimal = best(lambda: raw_minimal(base_url, samples, c))
            runs = [client_run(base_url, samples, args.k, c) for _ in range(args.rounds)]
            rate, cpu, failed = max(runs)
            print(f"{c:>4} {ideal:>8.1f} {pool:>11.1f} {minimal:>14.1f} {rate:>9.1f} {rate / ideal:>13.1%} "
                  f"{rate / minimal:>15.1%} {cpu * 1000:>14.2f} {failed:>7}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
