"""Exact evaluation of `TableReasoning` query plans, with the worked steps of the reference answer.

`evaluate` computes a plan's answer with `fractions.Fraction` (no float anywhere) and raises
`Reject` when the answer would not be well defined or would be degenerate: an empty filter or one
that keeps every row, an aggregate over fewer than two rows, a tie for the best, an average over an
empty group, a smallest group that is empty, a threshold no group or every group reaches, a list
shorter than two or longer than `MAX_LIST` names. The caller then draws another plan.

The typed gold it returns is what the verifier reads: `{"type": "number", numerator, denominator,
display}`, `{"type": "name", value}` or `{"type": "names", values}` (sorted, compared as a set).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from vrgym.tasks.logic._tables_plan import OPS, Plan, group_end, label, winner_table
from vrgym.tasks.logic._tables_schema import Database, Row, Value
from vrgym.verifiers.numbers import format_fraction

MAX_LIST = 6


class Reject(Exception):
    """The drawn plan has no well-defined, non-degenerate answer on these tables."""


@dataclass(frozen=True)
class Outcome:
    """The exact answer of a plan: typed gold (JSON), its canonical spelling, and worked steps."""

    gold: dict[str, Any]
    display: str
    steps: list[str]


def evaluate(db: Database, plan: Plan) -> Outcome:
    """The exact answer of `plan` on `db` (Reject if it is not well defined or degenerate)."""
    return _EVALUATORS[plan["family"]](db, plan)


# ------------------------------------------------------------------------------------------ reading


def filtered(db: Database, table: str, where: list[dict[str, Any]]) -> list[Row]:
    """Rows of `table` that meet every condition."""
    rows = db.tables[table].rows
    for condition in where:
        test, path, column, value = OPS[condition["op"]][1], condition["path"], condition["column"], condition["value"]
        rows = [row for row in rows if test(db.follow(table, row, path)[1][column], value)]
    return rows


def _read(db: Database, table: str, row: Row, part: dict[str, Any]) -> Value:
    return db.follow(table, row, part["path"])[1][part["column"]]


def _key(db: Database, table: str, row: Row) -> str:
    return str(row[db.schema[table].key])


def _combine(agg: str, values: list[int]) -> Fraction:
    if agg == "count":
        return Fraction(len(values))
    if agg == "sum":
        return Fraction(sum(values))
    if agg == "avg":
        return Fraction(sum(values), len(values))
    return Fraction(max(values) if agg == "max" else min(values))


def group_rows(db: Database, plan: Plan) -> dict[Value, list[Row]]:
    """Rows of the filtered base per group; every candidate group present, empty ones included."""
    base, group = plan["base"], plan["group"]
    end = group_end(db.schema, plan)
    ref = db.schema[end].ref(group["column"])
    if ref is not None:
        candidates = db.tables[ref.target].values(db.schema[ref.target].key)
    else:
        candidates = db.tables[end].values(group["column"])
    groups: dict[Value, list[Row]] = {c: [] for c in candidates}
    for row in filtered(db, base, plan["where"]):
        groups[_read(db, base, row, group)].append(row)
    return groups


def group_values(db: Database, plan: Plan) -> dict[Value, Fraction]:
    """The aggregate of every group (Reject if an average would cover an empty group)."""
    groups = group_rows(db, plan)
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


# ------------------------------------------------------------------------------------------ outcomes


def _number(value: Fraction, steps: list[str]) -> Outcome:
    display = format_fraction(value)
    gold = {"type": "number", "numerator": value.numerator, "denominator": value.denominator, "display": display}
    return Outcome(gold, display, steps)


def _name(value: Value, steps: list[str]) -> Outcome:
    if isinstance(value, int):
        return _number(Fraction(value), steps)
    return Outcome({"type": "name", "value": value}, value, steps)


def _show(values: dict[Value, Fraction]) -> str:
    return ", ".join(f"{k} ({format_fraction(v)})" for k, v in values.items())


def _chain(db: Database, table: str, row: Row, path: list[str], column: str) -> tuple[Value, str]:
    """Follow `path` from `row` and read `column`; also the walk written out for the worked answer."""
    parts = [f"{db.schema[table].noun} {_key(db, table, row)}"]
    for ref in path:
        table, row = db.follow(table, row, [ref])
        parts.append(f"{ref} {_key(db, table, row)}")
    value = row[column]
    parts.append(f"{label(db.schema, table, column)} {value}")
    return value, " → ".join(parts) + "."


# ------------------------------------------------------------------------------------------ families


def _aggregate(db: Database, plan: Plan) -> Outcome:
    base, agg, measure = plan["base"], plan["agg"], plan["measure"]
    rows = filtered(db, base, plan["where"])
    if not rows or (plan["where"] and len(rows) == len(db.tables[base].rows)) or (agg != "count" and len(rows) < 2):
        raise Reject("the filter keeps too few rows, or all of them")
    steps = [f"The {db.schema[base].name} that qualify: {', '.join(_key(db, base, r) for r in rows)}."]
    if agg == "count":
        return _number(Fraction(len(rows)), [*steps, f"Count: {len(rows)}."])
    values = [int(_read(db, base, r, measure)) for r in rows]
    name = label(db.schema, db.schema.target(base, measure["path"]), measure["column"])
    steps.append(f"The {name} for each: {', '.join(f'{_key(db, base, r)} ({v})' for r, v in zip(rows, values))}.")
    result = _combine(agg, values)
    if agg == "sum":
        steps.append(f"Sum: {' + '.join(map(str, values))} = {format_fraction(result)}.")
    elif agg == "avg":
        steps.append(f"Average: {sum(values)} / {len(values)} = {format_fraction(result)}.")
    else:
        steps.append(f"The {'largest' if agg == 'max' else 'smallest'} is {format_fraction(result)}.")
    return _number(result, steps)


def _group_steps(db: Database, plan: Plan, values: dict[Value, Fraction]) -> list[str]:
    base = plan["base"]
    end = group_end(db.schema, plan)
    noun = label(db.schema, end, plan["group"]["column"])
    rows = filtered(db, base, plan["where"])
    members = ", ".join(f"{_key(db, base, r)} ({_read(db, base, r, plan['group'])})" for r in rows)
    word = {"count": "count", "sum": "sum", "avg": "average"}[plan["agg"]]
    return [
        f"The qualifying {db.schema[base].name} with their {noun}: {members}.",
        f"For each {noun}, the {word}: {_show(values)}.",
    ]


def _group_best(db: Database, plan: Plan) -> Outcome:
    values = group_values(db, plan)
    winner = _best(values, plan["best"])
    if plan["best"] == "min" and not group_rows(db, plan)[winner]:
        raise Reject("the smallest group is empty")
    word = "largest" if plan["best"] == "max" else "smallest"
    return _name(winner, [*_group_steps(db, plan, values), f"The {word} is {winner}."])


def _having(db: Database, plan: Plan) -> Outcome:
    values = group_values(db, plan)
    passing = [str(k) for k, v in values.items() if v >= plan["threshold"]]
    if not 0 < len(passing) < len(values):
        raise Reject("no group, or every group, reaches the threshold")
    count = f"Those with at least {plan['threshold']}: {', '.join(passing)}, so {len(passing)}."
    return _number(Fraction(len(passing)), [*_group_steps(db, plan, values), count])


def _row_best(db: Database, plan: Plan) -> Outcome:
    table = plan["table"]
    values = {_key(db, table, r): Fraction(int(r[plan["column"]])) for r in filtered(db, table, plan["where"])}
    winner = _best(values, plan["best"])
    word = "largest" if plan["best"] == "max" else "smallest"
    candidates = f"Candidates and their {label(db.schema, table, plan['column'])}: {_show(values)}."
    return _name(winner, [candidates, f"The {word} is {winner}."])


def _lookup(db: Database, plan: Plan) -> Outcome:
    table = plan["table"]
    value, walk = _chain(db, table, db.tables[table].index[plan["key"]], plan["path"], plan["column"])
    return _name(value, [walk])


def _superlative(db: Database, plan: Plan) -> Outcome:
    inner = evaluate(db, plan["inner"])
    table = winner_table(db.schema, plan["inner"])
    value, walk = _chain(db, table, db.tables[table].index[inner.display], plan["path"], plan["column"])
    return _name(value, [*inner.steps, walk])


def _list(db: Database, plan: Plan) -> Outcome:
    table = plan["table"]
    rows = filtered(db, table, plan["where"])
    if not 2 <= len(rows) <= min(MAX_LIST, len(db.tables[table].rows) - 1):
        raise Reject("too few or too many rows to list")
    names = sorted(_key(db, table, r) for r in rows)
    shown = ", ".join(names)
    step = f"Checking every {db.schema[table].noun} against the conditions, the ones that qualify are {shown}."
    return Outcome({"type": "names", "values": names}, shown, [step])


_EVALUATORS: dict[str, Callable[[Database, Plan], Outcome]] = {
    "aggregate": _aggregate,
    "group_best": _group_best,
    "having": _having,
    "row_best": _row_best,
    "lookup": _lookup,
    "superlative": _superlative,
    "list": _list,
}
