"""A real TRL GRPOTrainer run on the CPU with rewards from vrgym: a tiny Qwen2 built from a config, a tokenizer
trained here on the prompts (no download), two optimisation steps.

What it proves: TRL calls our reward function exactly as it does in production (keyword arguments, the
dataset's extra columns, log_extra/log_metric), our return values go into TRL's logged reward, and verdict
reasons reach TRL's metrics.
"""

from __future__ import annotations

import math

import pytest

pytest.importorskip("trl")
torch = pytest.importorskip("torch")

from vrgym.integrations.trl import build_trl_dataset, make_trl_reward

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def _tokenizer(texts: list[str]):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    special = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=special,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(
        texts + ["\\boxed{42} assistant user system"], trainer=trainer
    )
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>"
    )
    wrapped.chat_template = CHAT_TEMPLATE
    return wrapped


class Spy:
    """Wraps the vrgym reward to record what TRL passed in and what came back."""

    def __init__(self, reward):
        self.reward = reward
        self.__name__ = reward.__name__
        self.calls: list[dict] = []

    def __call__(self, **kwargs):
        rewards = self.reward(**kwargs)
        self.calls.append({"keys": set(kwargs), "n": len(kwargs["completions"]), "rewards": rewards,
                           "problem": kwargs["problem"], "completions": kwargs["completions"]})  # fmt: skip
        return rewards


def test_grpo_trainer_runs_with_vrgym_rewards(tmp_path):
    from transformers import Qwen2Config, Qwen2ForCausalLM
    from trl import GRPOConfig, GRPOTrainer

    import vrgym

    torch.manual_seed(0)
    dataset = build_trl_dataset("Arithmetic", n=8, seed=0, difficulty="easy")
    tokenizer = _tokenizer([m["content"] for row in dataset["prompt"] for m in row])
    config = Qwen2Config(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
        num_key_value_heads=1, max_position_embeddings=2048, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, bos_token_id=None, tie_word_embeddings=True,
    )  # fmt: skip
    model = Qwen2ForCausalLM(config)
    spy = Spy(make_trl_reward(name="vrgym_arith"))
    args = GRPOConfig(
        output_dir=str(tmp_path), per_device_train_batch_size=4, num_generations=4, max_completion_length=12,
        max_steps=2, logging_steps=1, learning_rate=1e-3, report_to=[], save_strategy="no", use_cpu=True,
        bf16=False, fp16=False, dataloader_num_workers=0, seed=0, disable_tqdm=True,
    )  # fmt: skip
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=spy,
        args=args,
        train_dataset=dataset,
        processing_class=tokenizer,
    )
    trainer.train()

    assert trainer.state.global_step == 2
    assert spy.calls, "TRL never called the reward function"
    for call in spy.calls:
        assert {
            "prompts",
            "completions",
            "completion_ids",
            "trainer_state",
            "log_extra",
            "log_metric",
        } <= call["keys"]
        assert {"problem", "task", "difficulty", "tags", "id"} <= call["keys"]
        assert "prompt" not in call["keys"]  # TRL passes the prompt column as prompts=
        assert len(call["rewards"]) == call["n"] == len(call["problem"])
        # the rewards are exactly what vrgym's verifier says for these completions
        for problem, completion, reward in zip(
            call["problem"], call["completions"], call["rewards"]
        ):
            assert reward == vrgym.verify(problem, completion[-1]["content"]).reward
    logged = [
        entry
        for entry in trainer.state.log_history
        if "rewards/vrgym_arith/mean" in entry
    ]
    assert len(logged) == 2
    for entry in logged:
        assert 0.0 <= entry["rewards/vrgym_arith/mean"] <= 1.0
        reasons = {k: v for k, v in entry.items() if k.startswith("vrgym/reason/")}
        assert reasons and math.isclose(sum(reasons.values()), 1.0, abs_tol=1e-6)
