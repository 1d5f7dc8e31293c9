"""Query plans of `TableReasoning`: what a plan is, how many joins it needs, which tables it reads.

A question is a small query plan, a JSON dict whose `family` is one of:

* `aggregate`   — filter a table (conditions may reach other tables through references), then
                  count / sum / average / min / max a measure (which may also sit in another table);
* `group_best`  — group a table's rows by an entity or a category reached through references and
                  name the group with the largest or smallest count / sum / average (unique winner);
* `having`      — how many groups reach a threshold of count or sum;
* `lookup`      — follow a chain of references from one named row to a value;
* `superlative` — find the unique best row (`row_best`: by a column; or the best group as above)
                  and then follow references from it to a value;
* `list`        — every row of a table that meets the conditions (answered as a set of names).

A condition is {path, column, op, value}: follow the reference columns in `path` from the row, then
compare `column`; a measure or a group is {path, column}. The *hops* of a plan are its joins: the
distinct non-empty prefixes of all its paths (a path shared by a condition and a measure is joined
once). Reading a reference column's value (a name) is not a join; reading anything of the row it
names is. Drawing lives in `_tables_draw`, exact evaluation in `_tables_eval`, English in
`_tables_english`.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable
from typing import Any

from vrgym.tasks.logic._tables_schema import Schema

Plan = dict[str, Any]
FAMILIES = ("aggregate", "group_best", "having", "lookup", "superlative", "list")
AGGREGATIONS = ("count", "sum", "avg", "min", "max")
OPS: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "eq": ("", operator.eq),
    "gt": ("greater than ", operator.gt),
    "ge": ("at least ", operator.ge),
    "lt": ("less than ", operator.lt),
    "le": ("at most ", operator.le),
}
"""Comparison → (words before the value in a question, the test itself)."""


@functools.lru_cache(maxsize=1024)
def path_prefixes(path: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """The joins of one path: each of its non-empty prefixes."""
    return frozenset(path[: i + 1] for i in range(len(path)))


def _prefixes(paths: Iterable[Iterable[str]]) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for path in paths:
        found |= path_prefixes(tuple(path))
    return found


def _paths(plan: Plan) -> list[list[str]]:
    """Every path of a filter/group plan, all starting at the plan's base table."""
    paths = [c["path"] for c in plan.get("where", [])]
    for part in ("measure", "group"):
        if plan.get(part):
            paths.append(plan[part]["path"])
    return paths


def plan_hops(plan: Plan) -> int:
    """Joins the plan needs (distinct reference prefixes; see the module docstring)."""
    family = plan["family"]
    if family == "lookup":
        return len(plan["path"])
    if family == "superlative":
        inner = plan["inner"]
        if inner["family"] == "row_best":
            return len(_prefixes([*_paths(inner), plan["path"]]))
        return plan_hops(inner) + len(plan["path"])
    return len(_prefixes(_paths(plan)))


def needed_tables(schema: Schema, plan: Plan) -> list[str]:
    """Tables the question cannot be answered without, in schema order."""
    needed: set[str] = set()

    def walk(base: str, paths: Iterable[Iterable[str]]) -> None:
        needed.add(base)
        for path in paths:
            path = list(path)
            for i in range(len(path)):
                needed.add(schema.target(base, path[: i + 1]))

    family = plan["family"]
    if family == "lookup":
        walk(plan["table"], [plan["path"]])
    elif family == "superlative":
        inner = plan["inner"]
        walk(inner.get("base", inner.get("table")), _paths(inner))
        walk(winner_table(schema, inner), [plan["path"]])
    else:
        walk(plan.get("base", plan.get("table")), _paths(plan))
        if plan.get("group") and group_table(schema, plan):
            walk(group_table(schema, plan), [])  # every entity of that table is a candidate
    return [t.name for t in schema.tables if t.name in needed]


def group_end(schema: Schema, plan: Plan) -> str:
    """The table whose column a grouping plan groups by."""
    return schema.target(plan["base"], plan["group"]["path"])


def group_table(schema: Schema, plan: Plan) -> str | None:
    """The table of the entities a plan groups by, or None when it groups by a category value."""
    ref = schema[group_end(schema, plan)].ref(plan["group"]["column"])
    return ref.target if ref else None


def winner_table(schema: Schema, inner: Plan) -> str:
    """The table of the row a superlative's inner plan picks."""
    if inner["family"] == "row_best":
        return str(inner["table"])
    table = group_table(schema, inner)
    assert table is not None, "a superlative groups by entities, not categories"
    return table


def label(schema: Schema, table: str, column: str) -> str:
    """How prose names a column: an attribute's label, or a reference column's role noun."""
    attr = schema[table].attr(column)
    return attr.label if attr else column
