"""Logic-puzzle templates; importing this package registers them."""

from vrgym.tasks.logic import morse  # noqa: F401
