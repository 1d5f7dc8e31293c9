"""Test-wide setup: the `pytester` fixture (whole pytest sessions with the vrgym plugin) and
Hypothesis profiles.

Under `CI` (set by `.ci/run`, as by most CI services) property tests are derandomized: a
submission's result then depends on its code, not on which examples a run happened to draw.
Local runs keep random exploration, which is how new edge cases are found (then pinned as tests).
"""

import os

from hypothesis import settings

pytest_plugins = ["pytester"]

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
