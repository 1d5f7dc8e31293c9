"""The vllm backend, with a stand-in `vllm` module (vLLM needs a GPU and cannot be installed here).

What is tested is ours: the install hint when vllm is missing, the mapping of a SampleRequest to
`vllm.SamplingParams` (one per seed, or n per call), chat vs raw prompts, and the n-outputs
invariant. The stand-in records what it is given and answers deterministically.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field

import pytest

from vrgym.models import ModelError, ModelUnavailableError, SampleRequest, SamplingParams, make_model
from vrgym.models.vllm import to_vllm_params


@dataclass
class FakeSamplingParams:
    n: int = 1
    seed: int | None = None
    temperature: float = 1.0
    top_p: float = 1.0
    max_tokens: int = 16
    stop: list[str] | None = None
    top_k: int = -1


@dataclass
class FakeCompletion:
    text: str
    token_ids: list[int]
    finish_reason: str | None


@dataclass
class FakeOutput:
    outputs: list[FakeCompletion]


@dataclass
class FakeLLM:
    model: str
    kwargs: dict = field(default_factory=dict)
    calls: list = field(default_factory=list)
    drop_one: bool = False

    def _answer(self, prompts, sampling_params, use_tqdm):
        assert use_tqdm is False and len(prompts) == len(sampling_params)
        self.calls.append((prompts, sampling_params))
        outs = []
        for prompt, sp in zip(prompts, sampling_params):
            label = prompt if isinstance(prompt, str) else prompt[-1]["content"]
            n = sp.n - 1 if self.drop_one and sp.n > 1 else sp.n
            outs.append(FakeOutput([FakeCompletion(f"{label}#{sp.seed + i}", [1] * sp.max_tokens if "long" in label else [1, 2],
                                                   "length" if "long" in label else "stop") for i in range(n)]))
        return outs

    def generate(self, prompts, sampling_params=None, use_tqdm=True):
        return self._answer(prompts, sampling_params, use_tqdm)

    def chat(self, messages, sampling_params=None, use_tqdm=True):
        return self._answer(messages, sampling_params, use_tqdm)


@pytest.fixture()
def fake_vllm(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    module = types.ModuleType("vllm")
    module.__version__ = "0.0-fake"  # type: ignore[attr-defined]
    module.SamplingParams = FakeSamplingParams  # type: ignore[attr-defined]
    module.LLM = lambda model, **kwargs: FakeLLM(model, kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "vllm", module)
    return module


def test_missing_vllm_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vllm", None)  # makes `import vllm` raise ImportError
    with pytest.raises(ModelError, match=r"pip install 'vrgym\[vllm\]'"):
        make_model("vllm", "Qwen/Qwen3-0.6B")


def test_params_map_one_to_one(fake_vllm: types.ModuleType) -> None:
    params = SamplingParams(temperature=0.6, top_p=0.95, max_tokens=4096, stop=("</s>",), extra={"top_k": 20})
    sp = to_vllm_params(fake_vllm, params, (7, 8, 9))
    assert sp == FakeSamplingParams(n=3, seed=7, temperature=0.6, top_p=0.95, max_tokens=4096, stop=["</s>"], top_k=20)
    assert to_vllm_params(fake_vllm, SamplingParams(), (1,)).stop is None


def test_one_seeded_vllm_request_per_sample_through_chat(fake_vllm: types.ModuleType) -> None:
    model = make_model("vllm", "m", revision="abc123", tensor_parallel_size=2, system_prompt="Think.", batch_size=2)
    model.check()
    llm = model.llm  # type: ignore[attr-defined]
    assert llm.kwargs == {"tensor_parallel_size": 2, "revision": "abc123", "tokenizer_revision": "abc123"}
    reqs = [SampleRequest(f"p{i}", f"q{i}", (10 * i, 10 * i + 1), SamplingParams(max_tokens=8)) for i in range(3)]
    results = list(model.generate(reqs))
    assert [r.key for r in results] == ["p0", "p1", "p2"] and all(r.ok for r in results)
    assert [s.text for s in results[1].samples] == ["q1#10", "q1#11"]
    assert [s.seed for s in results[1].samples] == [10, 11] and results[1].samples[0].completion_tokens == 2
    assert len(llm.calls) == 2  # batches of two requests
    conversations, sps = llm.calls[0]
    assert conversations[0] == [{"role": "system", "content": "Think."}, {"role": "user", "content": "q0"}]
    assert [(sp.n, sp.seed, sp.max_tokens) for sp in sps] == [(1, 0, 8), (1, 1, 8), (1, 10, 8), (1, 11, 8)]
    described = model.describe()
    assert described["vllm_version"] == "0.0-fake" and described["llm_kwargs"] == {"tensor_parallel_size": 2}


def test_n_per_request_and_completions_prompts_and_truncation(fake_vllm: types.ModuleType) -> None:
    model = make_model("vllm", "m", endpoint="completions", n_per_request=4)
    [result] = model.generate([SampleRequest("a", "long raw", (1, 2, 3, 4, 5), SamplingParams(max_tokens=3))])
    prompts, sps = model.llm.calls[0]  # type: ignore[attr-defined]
    assert prompts == ["long raw", "long raw"] and [(sp.n, sp.seed) for sp in sps] == [(4, 1), (1, 5)]
    assert result.ok and [s.text for s in result.samples] == ["long raw#1", "long raw#2", "long raw#3", "long raw#4", "long raw#5"]
    assert all(s.truncated and s.completion_tokens == 3 for s in result.samples)


def test_fewer_outputs_than_n_is_an_error_not_silently_fewer_samples(fake_vllm: types.ModuleType) -> None:
    model = make_model("vllm", "m", n_per_request=3, llm=FakeLLM("m", drop_one=True))
    [result] = model.generate([SampleRequest("a", "q", (1, 2, 3))])
    assert not result.ok and "returned 2 of 3 samples" in (result.error or "") and len(result.samples) == 2


def test_engine_failures(fake_vllm: types.ModuleType) -> None:
    def broken(model, **kwargs):
        raise RuntimeError("CUDA out of memory")

    fake_vllm.LLM = broken  # type: ignore[attr-defined]
    with pytest.raises(ModelUnavailableError, match="could not load model 'm': CUDA out of memory"):
        make_model("vllm", "m").check()
    with pytest.raises(ModelError, match="endpoint"):
        make_model("vllm", "m", endpoint="responses")
