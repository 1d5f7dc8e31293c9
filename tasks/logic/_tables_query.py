"""Query plans for `TableReasoning`: draw one, evaluate it exactly, and say it in English.

A question is a small query plan, a JSON dict whose `family` is one of:

* `aggregate`   — filter a table (conditions may reach other tables through references), then
                  count / sum / average / min / max a measure (which may also sit in another table);
* `group_best`  — group a table's rows by an entity or a category reached through references and
                  name the group with the largest or smallest count / sum / average (unique winner);
* `having`      — how many groups reach a threshold of count or sum;
* `lookup`      — follow a chain of references from one named row to a value;
* `superlative` — find the unique best row (by a column, or the best group as above) and then
                  follow references from it to a value;
* `list`        — every row of a table that meets the conditions (answered as a set of names).

A condition is {path, column, op, value}: follow the reference columns in `path` from the row, then
compare `column`. The *hops* of a plan are its joins: the distinct non-empty prefixes of all its
paths (a path shared by a condition and a measure is joined once). Reading a reference column's
value (a name) is not a join; reading anything of the row it names is.

`evaluate` computes the answer with `fractions.Fraction` (no float) and raises `Reject` when the
answer would not be well defined or would be degenerate: an empty or all-rows filter, a tie for the
best, an average over an empty group, a list too long or too short. The caller then draws again.
"""

from __future__ import annotations

import functools
import operator
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from vrgym.tasks.logic._tables_schema import Database, Row, Schema, Value
from vrgym.verifiers.numbers import format_fraction

Plan = dict[str, Any]
FAMILIES = ("aggregate", "group_best", "having", "lookup", "superlative", "list")
AGGREGATIONS = ("count", "sum", "avg", "min", "max")
_GROUP_AGGREGATIONS = ("count", "sum", "avg")
_MEASURE_KIND = {"sum": "additive", "avg": "measure"}
_OPS: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "eq": ("", operator.eq),
    "gt": ("greater than ", operator.gt),
    "ge": ("at least ", operator.ge),
    "lt": ("less than ", operator.lt),
    "le": ("at most ", operator.le),
}
MAX_LIST = 6
_STRUCTURE_TRIES = 12


class Reject(Exception):
    """The drawn plan has no well-defined, non-degenerate answer on these tables."""


@dataclass(frozen=True)
class Outcome:
    """The exact answer of a plan: typed gold (JSON), its canonical spelling, and worked steps."""

    gold: dict[str, Any]
    display: str
    steps: list[str]


# ============================================================================== hops and tables


@functools.lru_cache(maxsize=1024)
def _path_prefixes(path: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset(path[: i + 1] for i in range(len(path)))


def _prefixes(paths: Iterable[Iterable[str]]) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for path in paths:
        found |= _path_prefixes(tuple(path))
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
        walk(_winner_table(schema, inner), [plan["path"]])
    else:
        walk(plan.get("base", plan.get("table")), _paths(plan))
        group = plan.get("group")
        if group and schema[schema.target(plan["base"], group["path"])].ref(group["column"]):
            walk(_group_table(schema, plan), [])  # every entity of that table is a candidate
    return [t.name for t in schema.tables if t.name in needed]


def _group_table(schema: Schema, plan: Plan) -> str:
    group = plan["group"]
    ref = schema[schema.target(plan["base"], group["path"])].ref(group["column"])
    assert ref is not None
    return ref.target


def _winner_table(schema: Schema, inner: Plan) -> str:
    return inner["table"] if inner["family"] == "row_best" else _group_table(schema, inner)


# ============================================================================== drawing


def feasible(schema: Schema, family: str, hops: int, max_conditions: int) -> bool:
    """Whether `schema` has any plan of `family` with `hops` joins (by its shape, before any data)."""
    if family == "lookup":
        return any(len(p) == hops for t in schema.tables for p in schema.paths(t.name, hops))
    slots = max_conditions + (0 if family == "list" else 1)
    return any(hops in schema.reachable(t.name, k) for t in schema.tables for k in range(1, slots + 1))


def draw_plan(rng: random.Random, db: Database, family: str, hops: int, max_conditions: int, aggregations: tuple[str, ...]) -> Plan | None:
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
                size = len(joined | _path_prefixes(path))
                if size <= hops and (size == hops or not last) and self.choices(kinds[i], self.schema.target(table, path)):
                    options.append(path)
            if not options:
                return None
            path = self.rng.choice(options)
            joined |= _path_prefixes(path)
            chosen[i] = list(path)
        return chosen if len(joined) == hops else None

    def table(self, hops: int, slots: int) -> str | None:
        """A random table from which `slots` paths can make exactly `hops` joins (None if there is none)."""
        tables = [t.name for t in self.schema.tables if hops in self.schema.reachable(t.name, slots)]
        return self.rng.choice(tables) if tables else None

    def condition(self, table: str, path: list[str], avoid: list[tuple[tuple[str, ...], str]]) -> dict[str, Any] | None:
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

    def conditions(self, table: str, paths: list[list[str]], avoid: list[tuple[tuple[str, ...], str]] | None = None) -> list[dict[str, Any]] | None:
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
    return None if where is None else {"family": "aggregate", "base": base, "where": where, "agg": agg, "measure": measure}


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
        return None  # a measure read from the group's own row is that row's value times a count: no real question
    plan = {"family": family, "base": base, "where": where, "group": group, "agg": agg, "measure": measure}
    if family == "having":
        values = sorted(set(_group_values(d.db, plan).values()))
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
    if d.rng.random() < 0.5:
        n = d.rng.randint(0, d.max_conditions - 1)
        table = d.table(hops, n + 1)
        numeric = d.db.columns(table, numeric=True) if table else None
        paths = d.assign(table, ["cond"] * n + ["value"], hops) if table and numeric else None
        if table is None or paths is None:
            return None
        where = d.conditions(table, paths[:n])
        column = d.rng.choice(numeric)
        inner: Plan | None = None if where is None else {"family": "row_best", "table": table, "where": where, "column": column, "best": d.rng.choice(("max", "min"))}
        path = paths[n]
    else:
        length = d.rng.randint(0, hops)
        inner = _draw_grouped(d, hops - length, "group_best", entity_only=True)
        if inner is None:
            return None
        winner = _winner_table(d.schema, inner)
        options = [list(p) for p in d.schema.paths(winner, length) if len(p) == length and d.choices("value", d.schema.target(winner, p))]
        path = d.rng.choice(options) if options else None
    if inner is None or path is None:
        return None
    winner = _winner_table(d.schema, inner)
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


# ============================================================================== evaluation


def _filtered(db: Database, table: str, where: list[dict[str, Any]]) -> list[Row]:
    """Rows of `table` that meet every condition."""
    rows = db.tables[table].rows
    for condition in where:
        test, path, column, value = _OPS[condition["op"]][1], condition["path"], condition["column"], condition["value"]
        rows = [row for row in rows if test(db.follow(table, row, path)[1][column], value)]
    return rows


def _read(db: Database, table: str, row: Row, part: dict[str, Any]) -> Value:
    return db.follow(table, row, part["path"])[1][part["column"]]


def _combine(agg: str, values: list[int]) -> Fraction:
    if agg == "count":
        return Fraction(len(values))
    if agg == "sum":
        return Fraction(sum(values))
    if agg == "avg":
        return Fraction(sum(values), len(values))
    return Fraction(max(values) if agg == "max" else min(values))


def _group_rows(db: Database, plan: Plan) -> dict[Value, list[Row]]:
    """Rows of the filtered base per group; every candidate group present, empty ones included."""
    base, group = plan["base"], plan["group"]
    end = db.schema.target(base, group["path"])
    ref = db.schema[end].ref(group["column"])
    candidates = db.tables[ref.target].values(db.schema[ref.target].key) if ref else db.tables[end].values(group["column"])
    groups: dict[Value, list[Row]] = {c: [] for c in candidates}
    for row in _filtered(db, base, plan["where"]):
        groups[_read(db, base, row, group)].append(row)
    return groups


def _group_values(db: Database, plan: Plan) -> dict[Value, Fraction]:
    groups = _group_rows(db, plan)
    if plan["agg"] == "avg" and not all(groups.values()):
        raise Reject("a group is empty, so its average is undefined")
    measure = plan.get("measure")
    return {
        g: _combine(plan["agg"], [int(_read(db, plan["base"], r, measure)) if measure else 0 for r in rows])
        for g, rows in groups.items()
    }


def _best(values: dict[Value, Fraction], best: str) -> Value:
    if len(values) < 2:
        raise Reject("fewer than two candidates")
    target = max(values.values()) if best == "max" else min(values.values())
    winners = [k for k, v in values.items() if v == target]
    if len(winners) != 1:
        raise Reject("tie for the best")
    return winners[0]


def _number(value: Fraction, steps: list[str]) -> Outcome:
    display = format_fraction(value)
    return Outcome({"type": "number", "numerator": value.numerator, "denominator": value.denominator, "display": display}, display, steps)


def _name(value: Value, steps: list[str]) -> Outcome:
    if isinstance(value, int):
        return _number(Fraction(value), steps)
    return Outcome({"type": "name", "value": value}, value, steps)


def _key(db: Database, table: str, row: Row) -> str:
    return str(row[db.schema[table].key])


def _chain(db: Database, table: str, row: Row, path: list[str], column: str, start: str) -> tuple[Value, str]:
    """Follow `path` from `row` and read `column`; also the walk written out for the worked answer."""
    parts = [start]
    for ref in path:
        table, row = db.follow(table, row, [ref])
        parts.append(f"{ref} {_key(db, table, row)}")
    value = row[column]
    parts.append(f"{_label(db.schema, table, column)} {value}")
    return value, " → ".join(parts)


def _show(values: dict[Value, Fraction]) -> str:
    return ", ".join(f"{k} ({format_fraction(v)})" for k, v in values.items())


def evaluate(db: Database, plan: Plan) -> Outcome:
    """The exact answer of `plan` on `db` (Reject if it is not well defined or degenerate)."""
    family = plan["family"]
    if family == "aggregate":
        return _evaluate_aggregate(db, plan)
    if family in ("group_best", "having"):
        values = _group_values(db, plan)
        base, noun = plan["base"], _group_noun(db.schema, plan)
        members = ", ".join(f"{_key(db, base, r)} ({_read(db, base, r, plan['group'])})" for r in _filtered(db, base, plan["where"]))
        steps = [f"The qualifying {db.schema[base].name} with their {noun}: {members}.", f"For each {noun}, the {_agg_short(plan)}: {_show(values)}."]
        if family == "having":
            passing = [k for k, v in values.items() if v >= plan["threshold"]]
            if not 0 < len(passing) < len(values):
                raise Reject("no group, or every group, reaches the threshold")
            steps.append(f"Those with at least {plan['threshold']}: {', '.join(map(str, passing))}, so {len(passing)}.")
            return _number(Fraction(len(passing)), steps)
        winner = _best(values, plan["best"])
        if plan["best"] == "min" and not _group_rows(db, plan)[winner]:
            raise Reject("the smallest group is empty")
        steps.append(f"The {'largest' if plan['best'] == 'max' else 'smallest'} is {winner}.")
        return _name(winner, steps)
    if family == "lookup":
        table = plan["table"]
        row = db.tables[table].index[plan["key"]]
        value, walk = _chain(db, table, row, plan["path"], plan["column"], f"{db.schema[table].noun} {plan['key']}")
        return _name(value, [walk + "."])
    if family == "superlative":
        winner_outcome = evaluate(db, plan["inner"])
        winner = winner_outcome.display
        table = _winner_table(db.schema, plan["inner"])
        value, walk = _chain(db, table, db.tables[table].index[winner], plan["path"], plan["column"], f"{db.schema[table].noun} {winner}")
        return _name(value, [*winner_outcome.steps, walk + "."])
    if family == "row_best":
        table = plan["table"]
        rows = _filtered(db, table, plan["where"])
        values = {_key(db, table, r): Fraction(int(r[plan["column"]])) for r in rows}
        winner = _best(values, plan["best"])
        label = _label(db.schema, table, plan["column"])
        return _name(winner, [f"Candidates and their {label}: {_show(values)}.", f"The {'largest' if plan['best'] == 'max' else 'smallest'} is {winner}."])
    if family == "list":
        table = plan["table"]
        rows = _filtered(db, table, plan["where"])
        if not 2 <= len(rows) <= min(MAX_LIST, len(db.tables[table].rows) - 1):
            raise Reject("too few or too many rows to list")
        names = sorted(_key(db, table, r) for r in rows)
        return Outcome({"type": "names", "values": names}, ", ".join(names), [f"Checking every {db.schema[table].noun} against the conditions, the ones that qualify are {', '.join(names)}."])
    raise ValueError(f"unknown plan family {family!r}")


def _evaluate_aggregate(db: Database, plan: Plan) -> Outcome:
    base, agg, measure = plan["base"], plan["agg"], plan["measure"]
    rows = _filtered(db, base, plan["where"])
    total = len(db.tables[base].rows)
    if not rows or (plan["where"] and len(rows) == total) or (agg != "count" and len(rows) < 2):
        raise Reject("the filter keeps too few rows, or all of them")
    plural = db.schema[base].name
    steps = [f"The {plural} that qualify: {', '.join(_key(db, base, r) for r in rows)}."]
    if agg == "count":
        return _number(Fraction(len(rows)), [*steps, f"Count: {len(rows)}."])
    values = [int(_read(db, base, r, measure)) for r in rows]
    label = _label(db.schema, db.schema.target(base, measure["path"]), measure["column"])
    steps.append(f"The {label} for each: {', '.join(f'{_key(db, base, r)} ({v})' for r, v in zip(rows, values))}.")
    result = _combine(agg, values)
    if agg == "sum":
        steps.append(f"Sum: {' + '.join(map(str, values))} = {format_fraction(result)}.")
    elif agg == "avg":
        steps.append(f"Average: {sum(values)} / {len(values)} = {format_fraction(result)}.")
    else:
        steps.append(f"The {'largest' if agg == 'max' else 'smallest'} is {format_fraction(result)}.")
    return _number(result, steps)


# ============================================================================== English


def _label(schema: Schema, table: str, column: str) -> str:
    attr = schema[table].attr(column)
    return attr.label if attr else column


def clause(schema: Schema, table: str, path: list[str], column: str, op: str, value: Value | None) -> str:
    """Words that follow the plural of `table` to select rows: 'placed by customers living in Varno'.

    `value=None` means "that <group>": the clause a grouping question uses for one group.
    """
    spec = schema[table]
    if path:
        ref = spec.ref(path[0])
        assert ref is not None
        return f"{ref.phrase} {ref.target} {clause(schema, ref.target, path[1:], column, op, value)}"
    ref = spec.ref(column)
    if ref is not None:
        target = schema[ref.target]
        return f"{ref.phrase} that {target.noun}" if value is None else f"{ref.phrase} {target.mention.format(value)}"
    label = _label(schema, table, column)
    return f"with that {label}" if value is None else f"with {label} {_OPS[op][0]}{value}"


def _subject(schema: Schema, table: str, clauses: list[str], lead: str) -> str:
    """'<lead> the orders placed by …' or a bulleted list of conditions when there are several."""
    plural = schema[table].name
    if not clauses:
        return f"{lead} all the {plural} in the {plural} table."
    if len(clauses) == 1:
        return f"{lead} the {plural} {clauses[0]}."
    return f"{lead} the {plural} that meet all of these conditions:\n" + "\n".join(f"- {c}" for c in clauses)


def _conditions(schema: Schema, table: str, where: list[dict[str, Any]]) -> list[str]:
    return [clause(schema, table, c["path"], c["column"], c["op"], c["value"]) for c in where]


def _measure_text(schema: Schema, table: str, measure: dict[str, Any]) -> str:
    end = schema.target(table, measure["path"])
    roles = "".join(f" of the {role}" for role in reversed(measure["path"]))
    return f"the {_label(schema, end, measure['column'])}{roles} of each such {schema[table].noun}"


def _walk_text(schema: Schema, table: str, path: list[str], column: str, start: str) -> str:
    end = schema.target(table, path)
    roles = "".join(f" of the {role}" for role in reversed(path))
    return f"the {_label(schema, end, column)}{roles} of {start}"


def _group_noun(schema: Schema, plan: Plan) -> str:
    group = plan["group"]
    end = schema.target(plan["base"], group["path"])
    ref = schema[end].ref(group["column"])
    return schema[ref.target].noun if ref else _label(schema, end, group["column"])


def _agg_text(schema: Schema, plan: Plan) -> str:
    plural = schema[plan["base"]].name
    if plan["agg"] == "count":
        return f"number of such {plural}"
    word = "sum" if plan["agg"] == "sum" else "average"
    return f"{word} of {_measure_text(schema, plan['base'], plan['measure'])}"


def _agg_short(plan: Plan) -> str:
    return {"count": "count", "sum": "sum", "avg": "average"}[plan["agg"]]


def _group_question(schema: Schema, plan: Plan) -> list[str]:
    """The 'For each X, consider …' block and the note on which groups take part."""
    base, group = plan["base"], plan["group"]
    noun = _group_noun(schema, plan)
    end = schema.target(base, group["path"])
    own = clause(schema, base, group["path"], group["column"], "eq", None)
    lines = [_subject(schema, base, [own, *_conditions(schema, base, plan["where"])], f"For each {noun}, consider")]
    plural = schema[base].name
    if schema[end].ref(group["column"]):
        candidates = f"Every {noun} listed in the {_group_table(schema, plan)} table takes part"
    else:
        candidates = f"Every {noun} that appears in the {end} table takes part"
    if plan["agg"] == "avg":
        lines.append(f"{candidates} (each has at least one such {schema[base].noun}; the average counts one value per {schema[base].noun}).")
    else:
        zero = "a count of 0" if plan["agg"] == "count" else "a sum of 0"
        lines.append(f"{candidates}; one with no such {plural} has {zero}.")
    return lines


def question(schema: Schema, plan: Plan) -> str:
    """The plan as an English question (several lines when it sets up groups or conditions)."""
    family = plan["family"]
    if family == "aggregate":
        base, agg = plan["base"], plan["agg"]
        plural, noun = schema[base].name, schema[base].noun
        lines = [_subject(schema, base, _conditions(schema, base, plan["where"]), "Consider")]
        if agg == "count":
            lines.append(f"How many such {plural} are there?")
        else:
            measure = _measure_text(schema, base, plan["measure"])
            ask = {
                "sum": f"What is the sum of {measure} (one value per {noun})?",
                "avg": f"What is the average of {measure} (one value per {noun})?",
                "max": f"What is the largest value of {measure}?",
                "min": f"What is the smallest value of {measure}?",
            }
            lines.append(ask[agg])
        return "\n".join(lines)
    if family == "group_best":
        word = "largest" if plan["best"] == "max" else "smallest"
        return "\n".join([*_group_question(schema, plan), f"Which {_group_noun(schema, plan)} has the {word} {_agg_text(schema, plan)}?"])
    if family == "having":
        noun, k = _group_noun(schema, plan), plan["threshold"]
        plural = _group_table(schema, plan) if schema[schema.target(plan["base"], plan["group"]["path"])].ref(plan["group"]["column"]) else f"different {noun} values"
        if plan["agg"] == "count":
            ask = f"How many {plural} have at least {k} such {schema[plan['base']].name}?"
        else:
            ask = f"How many {plural} have a {_agg_text(schema, plan)} of at least {k}?"
        return "\n".join([*_group_question(schema, plan), ask])
    if family == "lookup":
        spec = schema[plan["table"]]
        start = f"the {spec.noun} {plan['key']}" if spec.mention == "{}" else spec.mention.format(plan["key"])
        return f"What is {_walk_text(schema, plan['table'], plan['path'], plan['column'], start)}?"
    if family == "superlative":
        inner = plan["inner"]
        table = _winner_table(schema, inner)
        noun = schema[table].noun
        if inner["family"] == "row_best":
            word = "largest" if inner["best"] == "max" else "smallest"
            setup = [_subject(schema, table, _conditions(schema, table, inner["where"]), "Consider"),
                     f"Among them, take the {noun} with the {word} {_label(schema, table, inner['column'])} (there is exactly one)."]
        else:
            word = "largest" if inner["best"] == "max" else "smallest"
            setup = [*_group_question(schema, inner), f"Take the {noun} with the {word} {_agg_text(schema, inner)} (there is exactly one)."]
        return "\n".join([*setup, f"What is {_walk_text(schema, table, plan['path'], plan['column'], f'that {noun}')}?"])
    if family == "list":
        table = plan["table"]
        return _subject(schema, table, _conditions(schema, table, plan["where"]), "List all").rstrip(".") + (
            "." if len(plan["where"]) == 1 else ""
        )
    raise ValueError(f"unknown plan family {family!r}")
