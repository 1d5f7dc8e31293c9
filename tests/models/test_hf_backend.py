"""The transformers backend on a tiny randomly initialised GPT-2 with a character tokenizer built here.

Nothing is downloaded: the model comes from a 2-layer config and the tokenizer from a fixed
alphabet, so the test checks our code (seeding, decoding, finish reasons, stop strings, chat
templates, errors) on real `generate` calls in about a second. Skipped where torch or
transformers is not installed; the missing-package error is tested either way.
"""

from __future__ import annotations

import string
import sys

import pytest

from vrgym.models import ModelError, ModelUnavailableError, SampleRequest, SamplingParams, make_model

ALPHABET = string.ascii_letters + string.digits + " .,:;!?+-*/=()<>#\n"


def test_missing_transformers_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # None in sys.modules makes the import fail at once
    monkeypatch.setitem(sys.modules, "transformers", None)
    with pytest.raises(ModelError, match=r"pip install 'vrgym\[hf\]' torch"):
        make_model("hf", "gpt2")


@pytest.fixture(scope="module")
def tiny():
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    tokenizers = pytest.importorskip("tokenizers")
    vocab = {"<pad>": 0, "<eos>": 1, "<unk>": 2, **{c: i + 3 for i, c in enumerate(ALPHABET)}}
    core = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab, unk_token="<unk>"))
    core.pre_tokenizer = tokenizers.pre_tokenizers.Split(tokenizers.Regex("."), behavior="isolated")
    core.decoder = tokenizers.decoders.Fuse()
    tokenizer = transformers.PreTrainedTokenizerFast(tokenizer_object=core, eos_token="<eos>", pad_token="<pad>",
                                                     unk_token="<unk>")
    config = transformers.GPT2Config(vocab_size=len(vocab), n_positions=256, n_embd=32, n_layer=2, n_head=2,
                                     eos_token_id=1, bos_token_id=1, pad_token_id=0)
    torch.manual_seed(0)
    model = transformers.GPT2LMHeadModel(config)
    return model, tokenizer


def test_samples_depend_only_on_the_seed_and_leave_the_global_rng_alone(tiny) -> None:
    import torch

    model_obj, tokenizer = tiny
    model = make_model("hf", model_obj, tokenizer=tokenizer)
    model.check()
    params = SamplingParams(temperature=1.0, max_tokens=12)
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    [a] = model.generate([SampleRequest("a", "2+2=", (1, 2, 3), params)])
    assert torch.equal(torch.rand(1), before)  # our per-sample seeding forked the RNG
    [b] = model.generate([SampleRequest("b", "2+2=", (3, 1), params)])
    assert a.ok and [s.seed for s in a.samples] == [1, 2, 3]
    assert {s.seed: s.text for s in a.samples}[3] == b.samples[0].text
    assert {s.seed: s.text for s in a.samples}[1] == b.samples[1].text
    assert len({s.text for s in a.samples}) > 1  # different seeds, different samples
    for s in a.samples:
        assert s.completion_tokens is not None and s.completion_tokens <= 12
        assert s.finish_reason == ("length" if s.completion_tokens == 12 else "stop")


def test_greedy_decoding_is_deterministic_and_stop_strings_cut(tiny) -> None:
    model_obj, tokenizer = tiny
    model = make_model("hf", model_obj, tokenizer=tokenizer, endpoint="completions")
    [greedy] = model.generate([SampleRequest("g", "abc", (1, 2), SamplingParams(temperature=0, max_tokens=10))])
    first, second = greedy.samples
    assert first.text == second.text and len(first.text) == 10 and first.truncated
    stop = first.text[3]
    [cut] = model.generate([SampleRequest("c", "abc", (1,), SamplingParams(temperature=0, max_tokens=10, stop=(stop,)))])
    assert cut.samples[0].text == first.text[: first.text.index(stop)] and cut.samples[0].finish_reason == "stop"


def test_chat_template_is_applied_when_the_tokenizer_has_one(tiny) -> None:
    model_obj, tokenizer = tiny
    tokenizer.chat_template = "{% for m in messages %}<{{ m.role }}>{{ m.content }}\n{% endfor %}<assistant>"
    try:
        model = make_model("hf", model_obj, tokenizer=tokenizer, system_prompt="be brief")
        encoded = model._encode(tokenizer, "hi")  # type: ignore[attr-defined]
        assert tokenizer.decode(encoded["input_ids"][0]) == "<system>be brief\n<user>hi\n<assistant>"
        [result] = model.generate([SampleRequest("a", "hi", (1,), SamplingParams(max_tokens=4))])
        assert result.ok
    finally:
        tokenizer.chat_template = None


def test_unloadable_models_fail_the_preflight(tiny, tmp_path) -> None:
    with pytest.raises(ModelUnavailableError, match="could not load"):
        make_model("hf", str(tmp_path / "no-model-here")).check()
    model_obj, _ = tiny
    with pytest.raises(ModelError, match="needs its tokenizer"):
        make_model("hf", model_obj)
    described = make_model("hf", model_obj, tokenizer=tiny[1]).describe()
    assert described["backend"] == "hf" and described["model"] == "GPT2LMHeadModel" and described["torch_version"]
