"""Faithfulness templates: grounded question answering and summaries over generated documents.

Every module here is imported, and so registers its templates.
"""

from vrgym.registry import import_submodules

import_submodules(__name__, __path__)
