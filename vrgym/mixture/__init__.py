"""vrgym.mixture: weighted task mixtures, an adaptive-difficulty curriculum, and coverage reports.

* `vrgym.mixture.mixture`    — `Mixture` / `MixtureEntry`: templates × difficulty levels with weights,
  from YAML or Python, sampled reproducibly by seed (`Mixture.problems(n, seed=…)`);
* `vrgym.mixture.schedule`   — the seeded, prefix-stable quota schedule that honours the weights;
* `vrgym.mixture.curriculum` — `Curriculum`: per-template level moved up/down by measured pass rates;
* `vrgym.mixture.coverage`   — counts by domain, tag and difficulty, under-covered tags;
* `vrgym.mixture.chart`      — the coverage PNG (matplotlib, imported only when drawing);
* `vrgym.mixture.cli`        — `vrgym coverage` and `vrgym mix sample`.

    from vrgym.mixture import Mixture
    mix = Mixture.from_dict({"entries": [{"task": "Arithmetic", "weight": 2}, {"task": "Sudoku"}]})
    problems = list(mix.problems(100, seed=0))
"""

from vrgym.mixture.curriculum import Curriculum
from vrgym.mixture.mixture import Mixture, MixtureEntry, MixtureError

__all__ = ["Curriculum", "Mixture", "MixtureEntry", "MixtureError"]
