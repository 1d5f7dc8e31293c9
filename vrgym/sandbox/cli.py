"""Command-line hook of vrgym.sandbox (being built; its owner replaces this placeholder)."""

from __future__ import annotations

import argparse
from typing import Any


def _hook(commands: Any, common: argparse.ArgumentParser) -> None:
    """Adds nothing yet."""
add_sandbox_parser = _hook
