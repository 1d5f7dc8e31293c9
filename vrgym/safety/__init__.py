"""Safety red-teaming: the evolution loop (`evolve`, `export`) and its judges (`RuleJudge`, `ModelJudge`).

Imports are lazy (PEP 562) so `import vrgym` never pays for the loop or the model clients.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "evolve": "vrgym.safety.evolve", "export": "vrgym.safety.evolve", "EvolutionResult": "vrgym.safety.evolve",
    "EvolutionError": "vrgym.safety.evolve", "Judge": "vrgym.safety.judges", "RuleJudge": "vrgym.safety.judges",
    "ModelJudge": "vrgym.safety.judges",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'vrgym.safety' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)
