"""`load_ifeval_row`: turn an IFEval-style dataset row into `Constraint` instances, as is.

Rows of `google/IFEval` (and of datasets written in its format, e.g. open-instruct's IF data)
carry `instruction_id_list` and a parallel `kwargs` list. Through `datasets`, every kwargs dict
holds the union of all parameter names with `None` for the ones that do not apply; rows written
by hand may give `None` or `{}` for kinds without parameters. Both load without preprocessing:
`None` values are dropped, and so are keys the kind does not take. A wrong *value* is still an
error (with the kind and the accepted parameters in the message), never a silent default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vrgym.verifiers.instruction.base import Constraint, ConstraintError, get_constraint_kind


def load_ifeval_row(
    instruction_id_list: Sequence[str], kwargs: Sequence[Mapping[str, Any] | None] | None = None
) -> list[Constraint]:
    """One `Constraint` per instruction id, built from the matching kwargs dict (see module docstring)."""
    if isinstance(instruction_id_list, str):
        raise ConstraintError("instruction_id_list must be a list of ids, not a single string")
    ids = list(instruction_id_list)
    args: list[Mapping[str, Any] | None] = list(kwargs) if kwargs is not None else [None] * len(ids)
    if len(args) != len(ids):
        raise ConstraintError(
            f"{len(ids)} instruction ids but {len(args)} kwargs entries; IFEval rows pair them one to one"
        )
    constraints = []
    for kind_id, raw in zip(ids, args):
        cls = get_constraint_kind(kind_id)
        accepted = cls.Params.model_fields
        params = {k: v for k, v in dict(raw or {}).items() if v is not None and k in accepted}
        constraints.append(cls(params))
    return constraints
