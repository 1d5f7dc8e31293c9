"""`TableReasoning` query plans said in English.

Rows are selected by clauses built from the schema's phrases, read from the row outwards: "the
orders *placed by* customers *living in* cities *in* the Northreach region". A reference followed to
a named row uses the row's mention ("the Research department"); an attribute uses its label ("with
number of desks at least 120"). Several conditions become a bulleted list that every row must meet.
Values reached through references are named by role chains ("the country of the office of the
department of the lead of project Kestrel"). Grouping questions say which groups take part and
what an empty group counts as, and averages say they count one value per row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vrgym.tasks.logic._tables_plan import OPS, Plan, group_end, group_table, label, winner_table
from vrgym.tasks.logic._tables_schema import Schema, Value


def question(schema: Schema, plan: Plan) -> str:
    """The plan as an English question (several lines when it sets up groups or conditions)."""
    return _QUESTIONS[plan["family"]](schema, plan)


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
    name = label(schema, table, column)
    return f"with that {name}" if value is None else f"with {name} {OPS[op][0]}{value}"


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


def _roles(path: list[str]) -> str:
    return "".join(f" of the {role}" for role in reversed(path))


def _measure_text(schema: Schema, table: str, measure: dict[str, Any]) -> str:
    end = schema.target(table, measure["path"])
    return f"the {label(schema, end, measure['column'])}{_roles(measure['path'])} of each such {schema[table].noun}"


def _walk_text(schema: Schema, table: str, path: list[str], column: str, start: str) -> str:
    return f"the {label(schema, schema.target(table, path), column)}{_roles(path)} of {start}"


def _group_noun(schema: Schema, plan: Plan) -> str:
    table = group_table(schema, plan)
    return schema[table].noun if table else label(schema, group_end(schema, plan), plan["group"]["column"])


def _agg_text(schema: Schema, plan: Plan) -> str:
    if plan["agg"] == "count":
        return f"number of such {schema[plan['base']].name}"
    word = "sum" if plan["agg"] == "sum" else "average"
    return f"{word} of {_measure_text(schema, plan['base'], plan['measure'])}"


def _superlative(best: str) -> str:
    return "largest" if best == "max" else "smallest"


def _group_setup(schema: Schema, plan: Plan) -> list[str]:
    """The 'For each X, consider …' block and the note on which groups take part."""
    base, group = plan["base"], plan["group"]
    noun, noun_base, table = _group_noun(schema, plan), schema[base].noun, group_table(schema, plan)
    own = clause(schema, base, group["path"], group["column"], "eq", None)
    lines = [_subject(schema, base, [own, *_conditions(schema, base, plan["where"])], f"For each {noun}, consider")]
    if table:
        candidates = f"Every {noun} listed in the {table} table takes part"
    else:
        candidates = f"Every {noun} that appears in the {group_end(schema, plan)} table takes part"
    if plan["agg"] == "avg":
        each = f"each has at least one such {noun_base}; the average counts one value per {noun_base}"
        lines.append(f"{candidates} ({each}).")
    else:
        zero = "a count of 0" if plan["agg"] == "count" else "a sum of 0"
        lines.append(f"{candidates}; one with no such {schema[base].name} has {zero}.")
    return lines


def _aggregate(schema: Schema, plan: Plan) -> str:
    base, agg = plan["base"], plan["agg"]
    plural, noun = schema[base].name, schema[base].noun
    setup = _subject(schema, base, _conditions(schema, base, plan["where"]), "Consider")
    if agg == "count":
        return f"{setup}\nHow many such {plural} are there?"
    measure = _measure_text(schema, base, plan["measure"])
    ask = {
        "sum": f"What is the sum of {measure} (one value per {noun})?",
        "avg": f"What is the average of {measure} (one value per {noun})?",
        "max": f"What is the largest value of {measure}?",
        "min": f"What is the smallest value of {measure}?",
    }
    return f"{setup}\n{ask[agg]}"


def _group_best(schema: Schema, plan: Plan) -> str:
    ask = f"Which {_group_noun(schema, plan)} has the {_superlative(plan['best'])} {_agg_text(schema, plan)}?"
    return "\n".join([*_group_setup(schema, plan), ask])


def _having(schema: Schema, plan: Plan) -> str:
    table, k = group_table(schema, plan), plan["threshold"]
    groups = table or f"different {_group_noun(schema, plan)} values"
    if plan["agg"] == "count":
        ask = f"How many {groups} have at least {k} such {schema[plan['base']].name}?"
    else:
        ask = f"How many {groups} have a {_agg_text(schema, plan)} of at least {k}?"
    return "\n".join([*_group_setup(schema, plan), ask])


def _lookup(schema: Schema, plan: Plan) -> str:
    spec = schema[plan["table"]]
    start = f"the {spec.noun} {plan['key']}" if spec.mention == "{}" else spec.mention.format(plan["key"])
    return f"What is {_walk_text(schema, plan['table'], plan['path'], plan['column'], start)}?"


def _superlative_question(schema: Schema, plan: Plan) -> str:
    inner = plan["inner"]
    table = winner_table(schema, inner)
    noun = schema[table].noun
    word = _superlative(inner["best"])
    if inner["family"] == "row_best":
        setup = [
            _subject(schema, table, _conditions(schema, table, inner["where"]), "Consider"),
            f"Among them, take the {noun} with the {word} {label(schema, table, inner['column'])} "
            "(there is exactly one).",
        ]
    else:
        take = f"Take the {noun} with the {word} {_agg_text(schema, inner)} (there is exactly one)."
        setup = [*_group_setup(schema, inner), take]
    return "\n".join([*setup, f"What is {_walk_text(schema, table, plan['path'], plan['column'], f'that {noun}')}?"])


def _list(schema: Schema, plan: Plan) -> str:
    table = plan["table"]
    return _subject(schema, table, _conditions(schema, table, plan["where"]), "List all")


_QUESTIONS: dict[str, Callable[[Schema, Plan], str]] = {
    "aggregate": _aggregate,
    "group_best": _group_best,
    "having": _having,
    "lookup": _lookup,
    "superlative": _superlative_question,
    "list": _list,
}
