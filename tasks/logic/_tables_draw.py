"""Drawing `TableReasoning` query plans with exactly the wanted number of joins.

A plan has *slots* — its conditions, its measure, its grouping, its final lookup — and each slot is
a path of reference columns from the plan's table. `_Draw.assign` gives the slots paths (in random
order) so that their distinct prefixes number exactly `hops`, each ending on a table that has a
column the slot can use; `Schema.reachable` says beforehand which tables can reach that count with
that many slots, and `feasible` which schemas can ask a family at all. Values (condition constants,
having-thresholds) are taken from the data, so conditions select something.

Deliberately excluded because they make no real question: sums of non-additive columns (years,
ages, ratings), a grouped measure read from the group's own row (its value times a count), a
condition on the column a plan groups or ranks by, a measure that a condition already bounds, and
a superlative whose final value is the column it ranked by.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vrgym.tasks.logic._tables_eval import group_values
from vrgym.tasks.logic._tables_plan import Plan, path_prefixes, plan_hops, winner_table
from vrgym.tasks.logic._tables_schema import Database, Schema

_STRUCTURE_TRIES = 12
_GROUP_AGGREGATIONS = ("count", "sum", "avg")
_MEASURE_KIND = {"sum": "additive", "avg": "measure"}
Avoid = list[tuple[tuple[str, ...], str]]


def feasible(schema: Schema, family: str, hops: int, max_conditions: int) -> bool:
    """Whether `schema` has any plan of `family` with `hops` joins (by its shape, before any data)."""
    if family == "lookup":
        return any(len(p) == hops for t in schema.tables for p in schema.paths(t.name, hops))
    slots = max_conditions + (0 if family == "list" else 1)
    return any(hops in schema.reachable(t.name, k) for t in schema.tables for k in range(1, slots + 1))


def draw_plan(
    rng: random.Random, db: Database, family: str, hops: int, max_conditions: int, aggregations: tuple[str, ...]
) -> Plan | None:
    """A plan of `family` with exactly `hops` joins whose values come from `db`, or None if none was found."""
    draw = _Draw(rng, db, max_conditions, aggregations)
    drawer = _DRAWERS[family]
    for _ in range(_STRUCTURE_TRIES):
        plan = drawer(draw, hops)
        if plan is not None and plan_hops(plan) == hops:
            return plan
    return None


@dataclass(frozen=True)
class _Draw:
    """Random choices for one plan. Paths are assigned so that the plan has exactly the wanted hops."""

    rng: random.Random
    db: Database
    max_conditions: int
    aggregations: tuple[str, ...]

    @property
    def schema(self) -> Schema:
        return self.db.schema

    def choices(self, kind: str, table: str) -> list[str]:
        """Columns of `table` a slot of `kind` may end on."""
        if kind == "measure":
            return self.db.columns(table, numeric=True)
        if kind == "additive":
            spec = self.schema[table]
            return [c for c in self.db.columns(table, numeric=True) if getattr(spec.attr(c), "additive", False)]
        if kind == "group":
            return self.db.columns(table, numeric=False)
        if kind == "entity_group":
            return [c for c in self.db.columns(table, numeric=False) if self.schema[table].ref(c)]
        return self.db.columns(table)

    def assign(self, table: str, kinds: list[str], hops: int) -> list[list[str]] | None:
        """One path per slot, each ending on a table with a column the slot can use, with `hops` joins in all."""
        order = list(range(len(kinds)))
        self.rng.shuffle(order)
        chosen: list[list[str]] = [[] for _ in kinds]
        joined: set[tuple[str, ...]] = set()
        for n, i in enumerate(order):
            last = n == len(order) - 1
            options = []
            for path in self.schema.paths(table, hops):
                size = len(joined | path_prefixes(path))
                fits = size == hops or (size < hops and not last)
                if fits and self.choices(kinds[i], self.schema.target(table, path)):
                    options.append(path)
            if not options:
                return None
            path = self.rng.choice(options)
            joined |= path_prefixes(path)
            chosen[i] = list(path)
        return chosen if len(joined) == hops else None

    def table(self, hops: int, slots: int) -> str | None:
        """A random table from which `slots` paths can make exactly `hops` joins (None if there is none)."""
        tables = [t.name for t in self.schema.tables if hops in self.schema.reachable(t.name, slots)]
        return self.rng.choice(tables) if tables else None

    def condition(self, table: str, path: list[str], avoid: Avoid) -> dict[str, Any] | None:
        """A condition on a column at the end of `path` whose constant occurs in the data."""
        end = self.schema.target(table, path)
        columns = [c for c in self.db.columns(end) if (tuple(path), c) not in avoid]
        if not columns:
            return None
        column = self.rng.choice(columns)
        values = self.db.tables[end].values(column)
        attr = self.schema[end].attr(column)
        if attr is None or not attr.numeric:
            if len(values) < 2:
                return None
            return {"path": path, "column": column, "op": "eq", "value": self.rng.choice(values)}
        ordered = sorted(values)
        if len(ordered) < 3:
            return None
        op = self.rng.choice(("gt", "ge", "lt", "le"))
        value = self.rng.choice(ordered[:-1] if op in ("gt", "le") else ordered[1:])
        return {"path": path, "column": column, "op": op, "value": value}

    def conditions(self, table: str, paths: list[list[str]], avoid: Avoid | None = None) -> list[dict[str, Any]] | None:
        """One condition per path, never two on the same column (None if a path allows none)."""
        taken = list(avoid or [])
        found = []
        for path in paths:
            condition = self.condition(table, path, taken)
            if condition is None:
                return None
            taken.append((tuple(path), condition["column"]))
            found.append(condition)
        return found

    def part(self, kind: str, table: str, path: list[str]) -> dict[str, Any]:
        """A measure, group or final value: `path` and a column of its end table fit for `kind`."""
        return {"path": path, "column": self.rng.choice(self.choices(kind, self.schema.target(table, path)))}


def _draw_aggregate(d: _Draw, hops: int) -> Plan | None:
    agg = d.rng.choice(d.aggregations)
    n = d.rng.randint(1 if agg == "count" else 0, d.max_conditions)
    measure_kind = "additive" if agg == "sum" else "measure"
    kinds = ["cond"] * n + ([] if agg == "count" else [measure_kind])
    base = d.table(hops, len(kinds))
    paths = None if base is None else d.assign(base, kinds, hops)
    if base is None or paths is None:
        return None
    where = d.conditions(base, paths[:n])
    measure = None if agg == "count" else d.part(measure_kind, base, paths[n])
    if where is None or _measures_a_condition(measure, where):
        return None
    return {"family": "aggregate", "base": base, "where": where, "agg": agg, "measure": measure}


def _measures_a_condition(measure: dict[str, Any] | None, where: list[dict[str, Any]]) -> bool:
    """Whether a condition already bounds the measured column ('of those with at most 5 floors, the most floors')."""
    return measure is not None and any((c["path"], c["column"]) == (measure["path"], measure["column"]) for c in where)


def _draw_grouped(d: _Draw, hops: int, family: str, *, entity_only: bool = False) -> Plan | None:
    allowed = [a for a in _GROUP_AGGREGATIONS if a in d.aggregations and (family != "having" or a != "avg")]
    if not allowed:
        return None
    agg = d.rng.choice(allowed)
    n = d.rng.randint(0, d.max_conditions - 1)
    kinds = ["entity_group" if entity_only else "group"] + ["cond"] * n + ([] if agg == "count" else [_MEASURE_KIND[agg]])
    base = d.table(hops, len(kinds))
    paths = None if base is None else d.assign(base, kinds, hops)
    if base is None or paths is None:
        return None
    group = d.part(kinds[0], base, paths[0])
    where = d.conditions(base, paths[1 : n + 1], [(tuple(group["path"]), group["column"])])
    if where is None:
        return None
    measure = None if agg == "count" else d.part(kinds[-1], base, paths[n + 1])
    entity = [*group["path"], group["column"]]
    if measure is not None and measure["path"][: len(entity)] == entity:
        return None  # a measure read from the group's own row is that row's value times a count
    if _measures_a_condition(measure, where):
        return None
    plan = {"family": family, "base": base, "where": where, "group": group, "agg": agg, "measure": measure}
    if family == "having":
        values = sorted(set(group_values(d.db, plan).values()))
        if len(values) < 2:
            return None
        plan["threshold"] = int(d.rng.choice(values[1:]))
    else:
        plan["best"] = d.rng.choice(("max", "min"))
    return plan


def _draw_lookup(d: _Draw, hops: int) -> Plan | None:
    starts = [
        (t.name, p) for t in d.schema.tables for p in d.schema.paths(t.name, hops)
        if len(p) == hops and d.choices("value", d.schema.target(t.name, p))
    ]  # fmt: skip
    if not starts:
        return None
    table, path = d.rng.choice(starts)
    key = d.rng.choice(d.db.tables[table].rows)[d.schema[table].key]
    return {"family": "lookup", "table": table, "key": key, **d.part("value", table, list(path))}


def _draw_superlative(d: _Draw, hops: int) -> Plan | None:
    inner: Plan | None
    if d.rng.random() < 0.5:  # the best row by one of its columns, then a walk from it
        n = d.rng.randint(0, d.max_conditions - 1)
        table = d.table(hops, n + 1)
        numeric = d.db.columns(table, numeric=True) if table else []
        paths = d.assign(table, ["cond"] * n + ["value"], hops) if table and numeric else None
        if table is None or paths is None:
            return None
        column = d.rng.choice(numeric)
        where = d.conditions(table, paths[:n], [((), column)])  # no condition on the column it ranks by
        if where is None:
            return None
        best = d.rng.choice(("max", "min"))
        inner = {"family": "row_best", "table": table, "where": where, "column": column, "best": best}
        path: list[str] | None = paths[n]
    else:  # the best group, then a walk from that entity
        length = d.rng.randint(0, hops)
        inner = _draw_grouped(d, hops - length, "group_best", entity_only=True)
        if inner is None:
            return None
        winner = winner_table(d.schema, inner)
        options = [
            list(p) for p in d.schema.paths(winner, length)
            if len(p) == length and d.choices("value", d.schema.target(winner, p))
        ]  # fmt: skip
        path = d.rng.choice(options) if options else None
    if inner is None or path is None:
        return None
    winner = winner_table(d.schema, inner)
    columns = [c for c in d.db.columns(d.schema.target(winner, path)) if path or inner.get("column") != c]
    if not columns:
        return None
    return {"family": "superlative", "inner": inner, "path": path, "column": d.rng.choice(columns)}


def _draw_list(d: _Draw, hops: int) -> Plan | None:
    n = d.rng.randint(1, d.max_conditions)
    table = d.table(hops, n)
    paths = None if table is None else d.assign(table, ["cond"] * n, hops)
    where = None if table is None or paths is None else d.conditions(table, paths)
    return None if table is None or where is None else {"family": "list", "table": table, "where": where}


_DRAWERS: dict[str, Callable[[_Draw, int], Plan | None]] = {
    "aggregate": _draw_aggregate,
    "group_best": lambda d, hops: _draw_grouped(d, hops, "group_best"),
    "having": lambda d, hops: _draw_grouped(d, hops, "having"),
    "lookup": _draw_lookup,
    "superlative": _draw_superlative,
    "list": _draw_list,
}
