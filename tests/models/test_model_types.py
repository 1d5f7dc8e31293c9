"""The reference-model API types, the make_model factory and the lazy-import promise."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from vrgym.models import (
    BACKENDS,
    ModelError,
    ModelUnavailableError,
    Sample,
    SampleRequest,
    SampleResult,
    SamplingParams,
    make_model,
)
from vrgym.models.base import batched, chat_messages, import_optional, seed_chunks


def test_sampling_params_are_json_for_the_manifest() -> None:
    params = SamplingParams(temperature=0.6, top_p=0.95, max_tokens=4096, stop=["</answer>"], extra={"top_k": 20})
    assert params.stop == ("</answer>",)
    assert json.loads(json.dumps(params.to_dict())) == {
        "temperature": 0.6, "top_p": 0.95, "max_tokens": 4096, "stop": ["</answer>"], "extra": {"top_k": 20}}
    assert SamplingParams(stop="END").stop == ("END",)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"temperature": -0.1}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
        ({"top_p": 0}, "top_p"),
        ({"top_p": 1.5}, "top_p"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_tokens": True}, "max_tokens"),
        ({"stop": ("",)}, "stop"),
        ({"extra": [1]}, "extra"),
    ],
)
def test_sampling_params_reject_bad_values_with_the_field_name(kwargs: dict, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        SamplingParams(**kwargs)


def test_sample_request_takes_any_sequence_of_distinct_int_seeds() -> None:
    request = SampleRequest("p1", "What is 2+2?", seeds=[3, 1, 2])
    assert request.seeds == (3, 1, 2) and request.params == SamplingParams()
    with pytest.raises(ModelError, match="distinct"):
        SampleRequest("p1", "x", seeds=(1, 1))
    with pytest.raises(ModelError, match="integers"):
        SampleRequest("p1", "x", seeds=(1.5,))
    with pytest.raises(ModelError, match="prompt"):
        SampleRequest("p1", None, seeds=(1,))  # type: ignore[arg-type]


def test_sample_and_result_flags() -> None:
    assert Sample("x", 1, "length").truncated and not Sample("x", 1, "stop").truncated
    assert SampleResult("k", ()).ok and not SampleResult("k", (), "boom").ok


def test_helpers_shared_by_the_backends() -> None:
    assert chat_messages("hi") == [{"role": "user", "content": "hi"}]
    assert chat_messages("hi", "be brief")[0] == {"role": "system", "content": "be brief"}
    assert seed_chunks((1, 2, 3, 4, 5), 2) == [(1, 2), (3, 4), (5,)]
    assert list(batched(range(5), 2)) == [[0, 1], [2, 3], [4]]
    with pytest.raises(ModelError, match="pip install nothing-here"):
        import_optional("vrgym_no_such_module", "pip install nothing-here", "test")


def test_make_model_names_the_known_backends() -> None:
    with pytest.raises(ModelError, match="openai, vllm, hf, callable"):
        make_model("tgi", "m")
    assert set(BACKENDS) == {"openai", "vllm", "hf", "callable"}
    assert issubclass(ModelUnavailableError, ModelError)


def test_importing_vrgym_models_loads_no_backend_dependency() -> None:
    code = ("import sys, vrgym.models; heavy = [m for m in ('httpx', 'torch', 'transformers', 'vllm') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
