"""vrgym.integrations: trainer adapters (TRL, verl, OpenRLHF, an HTTP reward server) and dataset export.

* `vrgym.integrations.routing`       — problem column + response → verdict, for every adapter;
* `vrgym.integrations.trl`           — `vrgym_reward`, `make_trl_reward`, `build_trl_dataset` (GRPOTrainer);
* `vrgym.integrations.verl`          — `compute_score`, `compute_score_batch`, `export_verl_parquet`;
* `vrgym.integrations.openrlhf`      — `reward_func` (OpenRLHF's reward-function file interface);
* `vrgym.integrations.reward_server` — the HTTP form (`vrgym serve-reward`), FastAPI + uvicorn;
* `vrgym.integrations.export`        — chat-format datasets: jsonl, parquet, HF folder, `push_to_hub`.

The names below are loaded on first use, so importing this package costs nothing; torch,
datasets, pyarrow and FastAPI load only inside the functions that need them.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Router": "routing",
    "RoutingError": "routing",
    "response_from_query": "routing",
    "strip_special_tokens": "routing",
    "vrgym_reward": "trl",
    "make_trl_reward": "trl",
    "build_trl_dataset": "trl",
    "compute_score": "verl",
    "compute_score_batch": "verl",
    "export_verl_parquet": "verl",
    "reward_func": "openrlhf",
    "OpenRLHFReward": "openrlhf",
    "create_app": "reward_server",
    "running_server": "reward_server",
    "serve": "reward_server",
    "build_dataset": "export",
    "export_dataset": "export",
    "push_to_hub": "export",
    "select_problems": "export",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'vrgym.integrations' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"vrgym.integrations.{module}"), name)
    globals()[name] = value
    return value
