"""Built-in task templates (installed as `vrgym.tasks`), one module per family, grouped by domain.

Importing this package imports every domain package (math/, logic/, …), each of which imports
every module it holds; each template module registers its templates with `@vrgym.register`.
"""

from vrgym.registry import import_submodules

import_submodules(__name__, __path__)
