"""Math and STEM templates; importing this package registers them."""

from vrgym.tasks.math import arithmetic  # noqa: F401
