"""Command-line hook of vrgym.mixture (being built; its owner replaces this placeholder)."""

from __future__ import annotations

import argparse
from typing import Any


def _hook(commands: Any, common: argparse.ArgumentParser) -> None:
    """Adds nothing yet."""
add_coverage_parser = _hook
