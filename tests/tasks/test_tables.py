"""TableReasoning: schemas and pools, level shapes, a second evaluation of every plan, and the verifier.

The gold answers are re-derived independently of the generator's evaluator: the tables are parsed
back from the prompt (markdown or CSV), loaded into SQLite, and each query plan is compiled to SQL
with one JOIN per reference hop. This checks the evaluator, the rendering of the tables and that
every table a question needs is shown. Ties and empty groups are checked on the SQL side too.
"""

from __future__ import annotations

import collections
import csv
import io
import re
import sqlite3
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest

import vrgym
from vrgym.errors import ConfigError
from vrgym.problem import Problem
from vrgym.tasks.logic import _tables_plan, tables
from vrgym.tasks.logic._tables_plan import needed_tables, plan_hops
from vrgym.tasks.logic._tables_data import POOLS, SCHEMAS
from vrgym.tasks.logic._tables_schema import Schema
from vrgym.tasks.logic.tables import TableReasoning, csv_line, split_names

TEMPLATE = vrgym.get_template("TableReasoning")
LEVELS = TEMPLATE.Config.level_names()
SQL_OPS = {"eq": "=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


def problems(level: str, n: int = 120, seed: int = 0) -> Iterator[Problem]:
    return TEMPLATE.problems(n, seed, difficulty=level)


def score(problem: Problem, response: str) -> tuple[int, str]:
    verdict = TEMPLATE.verify(problem, response)
    return verdict.reward, verdict.reason


# ------------------------------------------------------------------------------------- reading the prompt back


def parse_tables(prompt: str) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Every table of the prompt: name → (columns, rows), digit-only cells as ints."""
    tables = {}
    for block in prompt.split("\n\n"):
        lines = block.split("\n")
        title = re.fullmatch(r"Table (\w+)( \(CSV\))?:", lines[0])
        if not title:
            continue
        if title.group(2):
            cells = list(csv.reader(lines[1:]))
        else:
            assert re.fullmatch(r"\|( --- \|)+", lines[2]), lines[2]
            cells = [[c.strip() for c in line.strip("|").split("|")] for line in [lines[1], *lines[3:]]]
        header, rows = cells[0], cells[1:]
        assert all(len(r) == len(header) for r in rows)
        tables[title.group(1)] = (header, [[int(c) if c.isdigit() else c for c in r] for r in rows])
    return tables


class SQLPlan:
    """Compiles a plan to SQL over the tables parsed from the prompt (a second, independent evaluator)."""

    def __init__(self, schema: Schema, prompt: str) -> None:
        self.schema = schema
        self.db = sqlite3.connect(":memory:")
        self.tables = parse_tables(prompt)
        for name, (columns, rows) in self.tables.items():
            self.db.execute(f'CREATE TABLE "{name}" ({", ".join(f"{q(c)}" for c in columns)})')
            self.db.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(columns))})', rows)

    def joins(self, base: str, paths: list[list[str]]) -> tuple[str, dict[tuple[str, ...], str]]:
        """FROM clause with one LEFT JOIN per distinct path prefix; alias of each prefix."""
        alias = {(): "t0"}
        sql = f'"{base}" AS t0'
        for path in paths:
            for i in range(1, len(path) + 1):
                prefix = tuple(path[:i])
                if prefix in alias:
                    continue
                table = self.schema.target(base, prefix)
                alias[prefix] = f"t{len(alias)}"
                key = self.schema[table].key
                here, before = alias[prefix], alias[prefix[:-1]]
                sql += f' JOIN "{table}" AS {here} ON {here}.{q(key)} = {before}.{q(path[i - 1])}'
        return sql, alias

    def rows(self, base: str, where: list[dict[str, Any]], select: list[dict[str, Any]]) -> list[tuple]:
        """The selected values of every row of `base` that meets all conditions of `where`."""
        paths = [c["path"] for c in where] + [s["path"] for s in select]
        sql_from, alias = self.joins(base, paths)
        conds = [f"{alias[tuple(c['path'])]}.{q(c['column'])} {SQL_OPS[c['op']]} ?" for c in where] or ["1"]
        columns = [f"{alias[tuple(s['path'])]}.{q(s['column'])}" for s in select] or ["1"]
        sql = f"SELECT {', '.join(columns)} FROM {sql_from} WHERE {' AND '.join(conds)}"
        return self.db.execute(sql, [c["value"] for c in where]).fetchall()

    def column_values(self, table: str, column: str) -> list[Any]:
        return [r[0] for r in self.db.execute(f'SELECT DISTINCT {q(column)} FROM "{table}"')]

    def groups(self, plan: dict[str, Any]) -> dict[Any, Fraction]:
        base, group = plan["base"], plan["group"]
        end = self.schema.target(base, group["path"])
        ref = self.schema[end].ref(group["column"])
        if ref is not None:
            candidates = self.column_values(ref.target, self.schema[ref.target].key)
        else:
            candidates = self.column_values(end, group["column"])
        select = [group] + ([plan["measure"]] if plan["measure"] else [])
        found: dict[Any, list[int]] = {c: [] for c in candidates}
        for row in self.rows(base, plan["where"], select):
            found[row[0]].append(row[1] if plan["measure"] else 1)
        if plan["agg"] == "avg":
            assert all(found.values()), "an average over an empty group"
            return {k: Fraction(sum(v), len(v)) for k, v in found.items()}
        return {k: Fraction(len(v) if plan["agg"] == "count" else sum(v)) for k, v in found.items()}

    def best(self, values: dict[Any, Fraction], best: str) -> Any:
        target = (max if best == "max" else min)(values.values())
        winners = [k for k, v in values.items() if v == target]
        assert len(winners) == 1, f"tie: {winners}"
        return winners[0]

    def walk(self, table: str, key: str, path: list[str], column: str) -> Any:
        sql_from, alias = self.joins(table, [path])
        sql = f"SELECT {alias[tuple(path)]}.{q(column)} FROM {sql_from} WHERE t0.{q(self.schema[table].key)} = ?"
        (value,) = self.db.execute(sql, (key,)).fetchall()
        return value[0]

    def answer(self, plan: dict[str, Any]) -> Any:
        family = plan["family"]
        if family == "aggregate":
            measure = [plan["measure"]] if plan["measure"] else []
            values = [r[0] for r in self.rows(plan["base"], plan["where"], measure)]
            return {
                "count": lambda: Fraction(len(values)),
                "sum": lambda: Fraction(sum(values)),
                "avg": lambda: Fraction(sum(values), len(values)),
                "min": lambda: Fraction(min(values)),
                "max": lambda: Fraction(max(values)),
            }[plan["agg"]]()
        if family == "group_best":
            return self.best(self.groups(plan), plan["best"])
        if family == "having":
            return Fraction(sum(v >= plan["threshold"] for v in self.groups(plan).values()))
        if family == "row_best":
            table = plan["table"]
            key = {"path": [], "column": self.schema[table].key}
            rows = self.rows(table, plan["where"], [key, {"path": [], "column": plan["column"]}])
            return self.best({k: Fraction(v) for k, v in rows}, plan["best"])
        if family == "lookup":
            return self.walk(plan["table"], plan["key"], plan["path"], plan["column"])
        if family == "superlative":
            inner = plan["inner"]
            winner = self.answer(inner)
            if inner["family"] == "row_best":
                table = inner["table"]
            else:
                end = self.schema.target(inner["base"], inner["group"]["path"])
                table = self.schema[end].ref(inner["group"]["column"]).target
            return self.walk(table, winner, plan["path"], plan["column"])
        if family == "list":
            key = {"path": [], "column": self.schema[plan["table"]].key}
            return sorted(r[0] for r in self.rows(plan["table"], plan["where"], [key]))
        raise AssertionError(family)


def q(identifier: str) -> str:
    return f'"{identifier}"'


def gold_value(problem: Problem) -> Any:
    gold = problem.answer
    if gold["type"] == "number":
        return Fraction(gold["numerator"], gold["denominator"])
    return gold["value"] if gold["type"] == "name" else gold["values"]


# ------------------------------------------------------------------------------------- schemas and pools


def test_pools_and_schemas() -> None:
    for name, pool in POOLS.items():
        assert len(set(pool)) == len(pool), name
        assert all("," not in v and '"' not in v and " and " not in f" {v.lower()} " for v in pool), name
        assert all(not v.isdigit() and v == " ".join(v.split()) for v in pool), name
    for schema in SCHEMAS.values():
        names = [t.name for t in schema.tables]
        for i, table in enumerate(schema.tables):
            assert all(ref.target in names[:i] for ref in table.refs), (schema.name, table.name)  # dependency order
            columns = [table.key, *(r.column for r in table.refs), *(a.column for a in table.attrs)]
            assert len(set(columns)) == len(columns)
            for attr in table.attrs:
                assert attr.values or attr.low < attr.high
                assert all(" and " not in f" {v} " and "," not in v for v in attr.values)
        assert max(len(p) for t in names for p in schema.paths(t, 4)) >= 3
    assert not set(POOLS["town"]) & set(POOLS["district"]) and not set(POOLS["person"]) & set(POOLS["supplier"])


def test_config_literals_match_the_engine() -> None:
    assert tables.FAMILIES == _tables_plan.FAMILIES and tables.AGGREGATIONS == _tables_plan.AGGREGATIONS
    assert tables.SCHEMA_NAMES == tuple(SCHEMAS)


def test_registered_with_levels() -> None:
    assert vrgym.get_template_class("table_reasoning") is TableReasoning
    assert LEVELS == ["easy", "medium", "hard", "expert", "master"]
    assert TEMPLATE.config().difficulty == "medium"
    assert {"logic/tabular", "logic/tabular/join", "logic/tabular/aggregation"} <= set(TEMPLATE.tags)


# ------------------------------------------------------------------------------------- generation


@pytest.mark.parametrize("level", LEVELS)
def test_gold_agrees_with_sql_over_the_shown_tables(level: str) -> None:
    config = TEMPLATE.config(level)
    for problem in problems(level, 120, seed=3):
        plan, schema = problem.metadata["plan"], SCHEMAS[problem.metadata["schema"]]
        sql = SQLPlan(schema, problem.prompt)
        assert list(sql.tables) == list(problem.metadata["formats"])
        assert set(needed_tables(schema, plan)) <= set(sql.tables)
        assert sql.answer(plan) == gold_value(problem), (problem.prompt, problem.answer)
        assert config.min_hops <= problem.metadata["hops"] == plan_hops(plan) <= config.max_hops
        assert TEMPLATE.verify(problem, TEMPLATE.reference_response(problem)).reward == 1


def test_names_are_unique_across_the_problem() -> None:
    for level in ("easy", "master"):
        for problem in problems(level, 60):
            keys = [row[0] for columns, rows in parse_tables(problem.prompt).values() for row in rows]
            assert len(keys) == len(set(keys)), problem.id


def test_levels_change_structure() -> None:
    def shape(level: str) -> dict[str, Any]:
        batch = list(problems(level, 150))
        tables = [parse_tables(p.prompt) for p in batch]
        return {
            "hops": collections.Counter(p.metadata["hops"] for p in batch),
            "families": {p.metadata["family"] for p in batch},
            "tables": sum(len(t) for t in tables) / len(batch),
            "rows": max(len(rows) for t in tables for _, rows in t.values()),
            "formats": {f for p in batch for f in p.metadata["formats"].values()},
            "conditions": max(len(p.metadata["plan"].get("where", [])) for p in batch),
        }

    shapes = {level: shape(level) for level in LEVELS}
    assert set(shapes["easy"]["hops"]) == {1} and set(shapes["master"]["hops"]) == {4}
    assert set(shapes["medium"]["hops"]) == {1, 2} and set(shapes["expert"]["hops"]) == {3, 4}
    assert shapes["easy"]["families"] == {"aggregate", "group_best", "lookup", "list"}
    assert shapes["medium"]["families"] == {"aggregate", "group_best", "having", "lookup", "superlative", "list"}
    averages = [shapes[level]["tables"] for level in LEVELS]
    assert averages == sorted(averages) and averages[0] < 2.5 < 4.5 < averages[-1]
    assert shapes["easy"]["rows"] <= 8 < 20 < shapes["master"]["rows"]
    assert shapes["easy"]["formats"] == {"markdown"} and shapes["hard"]["formats"] == {"csv"}
    assert shapes["expert"]["formats"] == {"markdown", "csv"}
    assert shapes["easy"]["conditions"] == 1 and shapes["hard"]["conditions"] == 2


def test_families_answer_types_and_tags() -> None:
    batch = list(problems("hard", 300, seed=1))
    by_family = collections.defaultdict(set)
    for p in batch:
        by_family[p.metadata["family"]].add(p.answer["type"])
        assert "logic/tabular/join" in p.tags
    assert by_family["aggregate"] == by_family["having"] == {"number"}
    assert by_family["group_best"] == {"name"} and by_family["list"] == {"names"}
    assert by_family["lookup"] == by_family["superlative"] == {"number", "name"}
    aggs = collections.Counter(p.metadata["plan"]["agg"] for p in batch if p.metadata["family"] == "aggregate")
    assert set(aggs) == {"count", "sum", "avg", "min", "max"}
    assert any(p.answer["type"] == "number" and p.answer["denominator"] > 1 for p in batch)  # exact fractions occur
    assert all(2 <= len(p.answer["values"]) <= 6 for p in batch if p.answer["type"] == "names")
    assert {p.metadata["schema"] for p in batch} == set(SCHEMAS)


def test_no_degenerate_plans() -> None:
    def bounded(part: dict[str, Any] | None, where: list[dict[str, Any]]) -> bool:
        return part is not None and any((c["path"], c["column"]) == (part["path"], part["column"]) for c in where)

    for level in ("hard", "master"):
        for problem in problems(level, 200, seed=2):
            plan, schema = problem.metadata["plan"], SCHEMAS[problem.metadata["schema"]]
            inner = plan.get("inner", plan)
            assert not bounded(inner.get("measure"), inner.get("where", []))
            if inner["family"] == "row_best":
                assert not bounded({"path": [], "column": inner["column"]}, inner["where"])
            if inner.get("agg") == "sum":
                end = schema.target(inner["base"], inner["measure"]["path"])
                assert schema[end].attr(inner["measure"]["column"]).additive
            if inner.get("group") and inner.get("measure"):
                entity = [*inner["group"]["path"], inner["group"]["column"]]
                assert inner["measure"]["path"][: len(entity)] != entity


def test_prompt_states_the_answer_syntax() -> None:
    seen = set()
    for problem in problems("medium", 60):
        kind = problem.answer["type"]
        seen.add(kind)
        assert "<answer>" in problem.prompt and "\nQuestion:\n" in problem.prompt
        expected = {
            "number": "fraction such as 17/4",
            "name": "exactly as it is written",
            "names": "separated by commas, in any order",
        }
        assert expected[kind] in problem.prompt
    assert seen == {"number", "name", "names"}


def test_config_overrides_and_errors() -> None:
    overrides = dict(schemas=("shop",), families=("lookup",), table_format="markdown")
    batch = list(TEMPLATE.problems(40, 0, difficulty="hard", **overrides))
    assert {p.metadata["schema"] for p in batch} == {"shop"} and {p.metadata["family"] for p in batch} == {"lookup"}
    assert all(set(p.metadata["formats"].values()) == {"markdown"} for p in batch)
    for bad in (
        dict(min_hops=3, max_hops=1),
        dict(rows=(6, 2)),
        dict(rows=(0, 2)),
        dict(rows=(5, 40)),
        dict(families=()),
        dict(families=("riddle",)),
        dict(table_format="html"),
        dict(schemas=("zoo",)),
        dict(families=("lookup",), min_hops=4, max_hops=4, schemas=("library",)),  # no 4-hop chain in that schema
        dict(families=("having",), aggregations=("avg", "min")),  # having counts or sums
    ):
        with pytest.raises(ConfigError):
            TEMPLATE.config("hard", **bad)


def test_deterministic_and_varied() -> None:
    a = [p.to_json() for p in problems("expert", 30, seed=5)]
    assert a == [p.to_json() for p in problems("expert", 30, seed=5)]
    assert not set(a) & {p.to_json() for p in problems("expert", 30, seed=6)}
    for level in ("easy", "master"):
        prompts = [p.prompt for p in problems(level, 300)]
        assert len(set(prompts)) == len(prompts)


# ------------------------------------------------------------------------------------- verification


def first(level: str, predicate: Any, seed: int = 0) -> Problem:
    return next(p for p in problems(level, 400, seed) if predicate(p))


def test_numbers_compare_by_exact_value() -> None:
    problem = first("hard", lambda p: p.answer["type"] == "number" and p.answer["denominator"] in (2, 4, 5, 8))
    value = Fraction(problem.answer["numerator"], problem.answer["denominator"])
    decimal = str(value.numerator * (10**3 // value.denominator) / 10**3).rstrip("0")
    a, b = value.numerator, value.denominator
    for form in (f"{a}/{b}", decimal, f"{decimal}00", f"{2 * a}/{2 * b}", f"\\frac{{{a}}}{{{b}}}", f" {a} / {b} "):
        assert score(problem, f"<answer>{form}</answer>") == (1, "ok"), form
    rounded = f"{float(value):.0f}"
    for form, reason in (
        (rounded, "wrong_answer"),
        (f"{value.numerator + 1}/{value.denominator}", "wrong_answer"),
        (f"{decimal} orders", "format"),
        (f"about {decimal}", "format"),
        (f"{decimal} or {rounded}", "format"),
        (f"x = {decimal}", "format"),
        ("1e3", "format"),
    ):
        assert score(problem, f"<answer>{form}</answer>") == (0, reason), form

    integer = first("easy", lambda p: p.answer["type"] == "number" and p.answer["denominator"] == 1 < p.answer["numerator"])
    n = integer.answer["numerator"]
    assert score(integer, f"<answer>{n}.0</answer>") == (1, "ok")
    assert score(integer, f"<answer>{n}/1</answer>") == (1, "ok")
    assert score(integer, f"<answer>{n - 1}</answer>") == (0, "wrong_answer")


def test_names_ignore_case_and_whitespace_only() -> None:
    problem = first("medium", lambda p: p.answer["type"] == "name" and " " in p.answer["value"])
    name = problem.answer["value"]
    for form in (name, name.upper(), name.lower(), f"  {name.replace(' ', '   ')}\n"):
        assert score(problem, f"<answer>{form}</answer>") == (1, "ok"), form
    wrong = (f"{name}.", f'"{name}"', f"the {name}", name.split()[0], name.replace(" ", ""), f"{name} or Mira Holt", f"{name}, {name}")
    for form in wrong:
        assert score(problem, f"<answer>{form}</answer>") == (0, "wrong_answer"), form


def test_lists_compare_as_sets() -> None:
    problem = first("medium", lambda p: p.answer["type"] == "names" and len(p.answer["values"]) >= 3)
    names = problem.answer["values"]
    accepted = [
        ", ".join(reversed(names)),
        ",".join(n.lower() for n in names),
        ", ".join(names[:-1]) + " and " + names[-1],
        ", ".join(names[:-1]) + ", and " + names[-1],
        "\n" + ",\n".join(names),
    ]
    for form in accepted:
        assert score(problem, f"<answer>{form}</answer>") == (1, "ok"), form
    rejected = {
        ", ".join(names[:-1]): "wrong_answer",
        ", ".join([*names, "Mira Holt"]): "wrong_answer",
        ", ".join([*names, names[0]]): "format",
        ", ".join(names) + ",": "format",
        "; ".join(names): "wrong_answer",
        " ".join(names): "wrong_answer",
        ", ".join(names) + " or " + names[0]: "wrong_answer",
    }
    for form, reason in rejected.items():
        assert score(problem, f"<answer>{form}</answer>") == (0, reason), form


def testcsv_lines_quote_only_when_needed() -> None:
    cells = ["plain", "with, comma", 'with "quote"', "multi\nline", ""]
    assert list(csv.reader(io.StringIO(csv_line(cells)))) == [cells]
    assert csv_line(["a", "b c", "7"]) == "a,b c,7"


def test_split_names() -> None:
    assert split_names("a, B ,c") == ["A", "B", "C"]
    assert split_names("A and B") == ["A", "B"]
    assert split_names("A, B, and C") == ["A", "B", "C"]
    assert split_names("A,, B") is None and split_names("A, a") is None and split_names("") is None


def test_other_answers_and_hostile_input_score_zero() -> None:
    batch = list(problems("hard", 40))
    for problem in batch[:8]:
        for other in batch:
            same = gold_value(other) == gold_value(problem) and other.answer["type"] == problem.answer["type"]
            assert score(problem, TEMPLATE.reference_response(other))[0] == int(same)
        hostile = ("<answer>" + "1, " * 100_000 + "</answer>", "<answer>" + "9" * 300_000 + "</answer>", "<answer>\ud800</answer>")
        for response in hostile:
            assert score(problem, response)[0] == 0
