"""Built-in task templates (installed as `vrgym.tasks`), one module per family, grouped by domain.

Importing this package imports every domain package, whose modules register their templates.
"""

from vrgym.tasks import logic, math  # noqa: F401
