"""`TableReasoning`: answer a multi-hop question over generated relational tables.

Why this template: multi-hop tabular reasoning is one of the logic families of the Kimi K2
Verifiable Rewards Gym. Reading linked tables, joining through reference columns, filtering,
grouping and aggregating exactly is a skill with one checkable answer per question.

Generation. A schema (company, shop, school, library: `_tables_data`) is filled with random rows;
a query plan of the wanted family and number of joins ("hops") is drawn (`_tables_draw`; plans
are described in `_tables_plan`), evaluated exactly (`_tables_eval`) and phrased in English
(`_tables_english`). Plans whose answer is not well defined — a tie for the best,
an empty group under an average, an empty or all-rows filter — are drawn again. The tables the
question needs are shown, plus unrelated distractor tables, in markdown or CSV; each table shows a
random subset of its attribute columns, so some columns are never asked about.

Levels, easiest first: `easy` (1 hop, 2 small tables, one condition, no averages), `medium` (1-2
hops, 2-3 tables, every family), `hard` (2-3 hops, 3-4 tables in CSV, two conditions), `expert`
(3-4 hops, 4-5 larger tables, markdown and CSV mixed), `master` (4 hops, 5-7 tables, the largest
tables).

Answers and verification. The gold is typed: a `number` (exact fraction), a `name` (a key or a
category value as written in the tables) or `names` (a set). Numbers are parsed by
`vrgym.verifiers.numbers` and compared by value (2.5 = 5/2 = 10/4); names compare after collapsing
whitespace and folding ASCII case; a list is comma-separated (a final "and" is allowed), compared as
a set, and may not repeat a name. Anything else inside the answer tags (units, words, hedges, a
rounded decimal) scores 0.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from fractions import Fraction
from typing import Any, ClassVar, Literal, get_args

from pydantic import Field, model_validator

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.registry import register
from vrgym.tasks.logic._tables_data import SCHEMAS, Sizes, make_database
from vrgym.tasks.logic._tables_draw import draw_plan, feasible
from vrgym.tasks.logic._tables_english import question
from vrgym.tasks.logic._tables_eval import Outcome, Reject, evaluate
from vrgym.tasks.logic._tables_plan import Plan, needed_tables, plan_hops
from vrgym.tasks.logic._tables_schema import Database, Table
from vrgym.template import Draft, Template
from vrgym.verdict import FORMAT, WRONG_ANSWER, Verdict
from vrgym.verifiers.extraction import AnswerFormat
from vrgym.verifiers.numbers import NumberFormatError, parse_exact_number
from vrgym.verifiers.text import normalise_text_answer

Family = Literal["aggregate", "group_best", "having", "lookup", "superlative", "list"]
Aggregation = Literal["count", "sum", "avg", "min", "max"]
SchemaName = Literal["company", "shop", "school", "library"]
FAMILIES: tuple[Family, ...] = get_args(Family)
AGGREGATIONS: tuple[Aggregation, ...] = get_args(Aggregation)
SCHEMA_NAMES: tuple[SchemaName, ...] = get_args(SchemaName)
Range = tuple[int, int]

_PLAN_TRIES = 12
_DATABASE_TRIES = 200
_TAGS = {
    "aggregate": ("logic/tabular/aggregation",),
    "group_best": ("logic/tabular/grouping", "logic/tabular/aggregation"),
    "having": ("logic/tabular/grouping", "logic/tabular/aggregation"),
    "lookup": ("logic/tabular/lookup",),
    "superlative": ("logic/tabular/superlative",),
    "list": ("logic/tabular/filter",),
}


class TableReasoningConfig(TemplateConfig):
    """Joins per question, table sizes and count, question families and table format; levels set them."""

    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(
            min_hops=1, max_hops=1, tables=(2, 2), small_rows=(3, 4), rows=(4, 6), fact_rows=(6, 8),
            attributes=(2, 2), max_conditions=1, families=("aggregate", "group_best", "lookup", "list"),
            aggregations=("count", "sum", "min", "max"),
        ),
        "medium": dict(
            min_hops=1, max_hops=2, tables=(2, 3), small_rows=(3, 5), rows=(5, 7), fact_rows=(8, 12), attributes=(2, 3),
        ),
        "hard": dict(
            min_hops=2, max_hops=3, tables=(3, 4), small_rows=(4, 5), rows=(6, 9), fact_rows=(10, 15),
            attributes=(3, 3), max_conditions=2, table_format="csv",
        ),
        "expert": dict(
            min_hops=3, max_hops=4, tables=(4, 5), small_rows=(4, 6), rows=(8, 11), fact_rows=(14, 20),
            attributes=(3, 4), max_conditions=2, table_format="mixed",
        ),
        "master": dict(
            min_hops=4, max_hops=4, tables=(5, 7), small_rows=(5, 6), rows=(10, 12), fact_rows=(18, 26),
            attributes=(3, 4), max_conditions=2, table_format="mixed",
        ),
    }  # fmt: skip
    default_level: ClassVar[str | None] = "medium"

    min_hops: int = Field(1, ge=0, le=4, description="Fewest joins (reference hops) a question needs.")
    max_hops: int = Field(2, ge=0, le=4, description="Most joins a question needs.")
    tables: Range = Field((2, 3), description="How many tables the prompt shows (at least those the question needs).")
    small_rows: Range = Field((3, 5), description="Rows of small lookup tables (offices, regions, buildings …).")
    rows: Range = Field((5, 7), description="Rows of entity tables (employees, products, students …).")
    fact_rows: Range = Field((8, 12), description="Rows of fact tables (assignments, orders, enrollments, loans).")
    attributes: Range = Field((2, 3), description="Attribute columns shown per table (unused ones are distractors).")
    max_conditions: int = Field(1, ge=1, le=3, description="Most filter conditions in one question.")
    families: tuple[Family, ...] = Field(FAMILIES, min_length=1, description="Question families drawn from.")
    aggregations: tuple[Aggregation, ...] = Field(AGGREGATIONS, min_length=1, description="Aggregations drawn from.")
    schemas: tuple[SchemaName, ...] = Field(SCHEMA_NAMES, min_length=1, description="Schemas drawn from.")
    table_format: Literal["markdown", "csv", "mixed"] = Field(
        "markdown", description="How tables are written; 'mixed' draws per table."
    )

    @model_validator(mode="after")
    def _coherent(self) -> TableReasoningConfig:
        if self.min_hops > self.max_hops:
            raise ValueError(f"min_hops ({self.min_hops}) exceeds max_hops ({self.max_hops})")
        for name in ("tables", "small_rows", "rows", "fact_rows", "attributes"):
            low, high = getattr(self, name)
            if not 1 <= low <= high:
                raise ValueError(f"{name} must be (low, high) with 1 <= low <= high, got ({low}, {high})")
        if self.rows[1] > 12 or self.small_rows[1] > 8 or self.fact_rows[1] > 60:
            raise ValueError("tables are limited to 8 small rows, 12 entity rows and 60 fact rows (finite name pools)")
        if not self.choices:
            raise ValueError(
                f"no family of {list(self.families)} can be asked with {self.min_hops}-{self.max_hops} hops on "
                f"{list(self.schemas)} using {list(self.aggregations)}; allow more families, hops, schemas or "
                "aggregations"
            )
        return self

    @property
    def sizes(self) -> Sizes:
        return Sizes(self.small_rows, self.rows, self.fact_rows, self.attributes)

    @property
    def choices(self) -> dict[str, dict[int, tuple[str, ...]]]:
        """family → hops → schemas that can ask it (only the non-empty ones)."""
        return _choices(self.families, self.min_hops, self.max_hops, self.schemas, self.max_conditions, self.aggregations)


@functools.lru_cache(maxsize=64)
def _choices(
    families: tuple[str, ...],
    min_hops: int,
    max_hops: int,
    schemas: tuple[str, ...],
    max_conditions: int,
    aggregations: tuple[str, ...],
) -> dict[str, dict[int, tuple[str, ...]]]:
    usable = {"group_best": {"count", "sum", "avg"}, "having": {"count", "sum"}}
    found: dict[str, dict[int, tuple[str, ...]]] = {}
    for family in dict.fromkeys(families):
        if family in usable and not usable[family] & set(aggregations):
            continue
        by_hops = {
            h: tuple(s for s in schemas if feasible(SCHEMAS[s], family, h, max_conditions))
            for h in range(min_hops, max_hops + 1)
        }
        by_hops = {h: names for h, names in by_hops.items() if names}
        if by_hops:
            found[family] = by_hops
    return found


@register
class TableReasoning(Template):
    """Multi-hop questions over linked tables; the answer is a number, a name or a set of names."""

    name = "TableReasoning"
    version = 0
    domain = "logic"
    tags = ("logic/tabular", "logic/tabular/join", "logic/tabular/aggregation")
    description = "Join, filter, group and aggregate generated relational tables (1-4 hops); exact answers."
    Config = TableReasoningConfig
    answer_format = AnswerFormat.TAG

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, TableReasoningConfig)
        choices = config.choices
        for attempt in range(_DATABASE_TRIES):
            if attempt % 25 == 0:  # kept across redraws, so families that are harder to satisfy keep their share
                family = rng.choice(list(choices))
                hops = rng.choice(list(choices[family]))
            db = make_database(rng, SCHEMAS[rng.choice(choices[family][hops])], config.sizes)
            for _ in range(_PLAN_TRIES):
                plan = draw_plan(rng, db, family, hops, config.max_conditions, config.aggregations)
                if plan is None:
                    break
                try:
                    outcome = evaluate(db, plan)
                except Reject:
                    continue
                return self._draft(rng, config, db, plan, outcome)
        raise RuntimeError(f"{self.name}: no well-defined question found for {config!r}; loosen the config")

    def _draft(
        self, rng: random.Random, config: TableReasoningConfig, db: Database, plan: Plan, outcome: Outcome
    ) -> Draft:
        schema = db.schema
        needed = needed_tables(schema, plan)
        others = [t.name for t in schema.tables if t.name not in needed]
        extra = max(0, min(rng.randint(*config.tables), len(schema.tables)) - len(needed))
        shown = needed + rng.sample(others, min(extra, len(others)))
        rng.shuffle(shown)
        mixed = config.table_format == "mixed"
        formats = {t: rng.choice(("markdown", "csv")) if mixed else config.table_format for t in shown}
        kind = outcome.gold["type"]
        lines = [f"Answer the question using the {len(shown)} tables below.", *_conventions(db, shown), ""]
        for table in shown:
            lines += [render_table(db.tables[table], formats[table]), ""]
        lines += ["Question:", question(schema, plan), "", _ANSWER_RULES[kind], self._instruction(kind)]
        hops = plan_hops(plan)
        tags = [*_TAGS[plan["family"]], *(("logic/tabular/join",) if hops else ())]
        metadata = {
            "schema": schema.name,
            "family": plan["family"],
            "hops": hops,
            "plan": plan,
            "steps": outcome.steps,
            "formats": formats,
        }
        return Draft(prompt="\n".join(lines), answer=outcome.gold, metadata=metadata, tags=tuple(tags))

    def _instruction(self, kind: str) -> str:
        if kind == "number":
            return self.answer_format.instruction
        example = self.answer_format.wrap("NAME" if kind == "name" else "NAME1, NAME2, NAME3")
        return f"Put your final answer, and nothing else, between <answer> and </answer> tags, e.g. {example}."

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        return _CHECKS[problem.answer["type"]](answer, problem.answer)

    def reference_response(self, problem: Problem) -> str:
        steps = [str(step) for step in problem.metadata["steps"]]
        display = _display(problem.answer)
        return "\n".join([*steps, f"So the answer is {display}.", self.answer_format.wrap(display)])


# ------------------------------------------------------------------------------------------ helpers

_ANSWER_RULES = {
    "number": (
        "Answer with one exact number and nothing else: an integer, or, when the value is not whole, a fraction "
        "such as 17/4 or an exact decimal such as 4.25 (a rounded decimal is wrong). No units and no words."
    ),
    "name": (
        "Answer with the name or value exactly as it is written in the tables (letter case does not matter) "
        "and nothing else."
    ),
    "names": (
        "Answer with every such name exactly as it is written in the tables, separated by commas, in any order "
        "(letter case does not matter), and nothing else."
    ),
}


def _check_number(answer: str, gold: dict[str, Any]) -> Verdict:
    try:
        number = parse_exact_number(answer)
    except NumberFormatError as exc:
        detail = f"{exc}; the answer must be one exact number"
        return Verdict.fail(FORMAT, detail, checks={"parsed": False}, answer=answer)
    if number.value != Fraction(int(gold["numerator"]), int(gold["denominator"])):
        detail = "the number is not the value the question asks for"
        return Verdict.fail(WRONG_ANSWER, detail, checks={"parsed": True}, answer=answer)
    return Verdict.correct(checks={"parsed": True}, answer=answer)


def _check_name(answer: str, gold: dict[str, Any]) -> Verdict:
    if normalise_text_answer(answer) == normalise_text_answer(str(gold["value"])):
        return Verdict.correct(answer=answer)
    detail = "the answer is not the name the question asks for, as written in the tables"
    return Verdict.fail(WRONG_ANSWER, detail, answer=answer)


def _check_names(answer: str, gold: dict[str, Any]) -> Verdict:
    names = split_names(answer)
    if names is None:
        detail = "the list has an empty item or names one item twice; separate the names with commas"
        return Verdict.fail(FORMAT, detail, answer=answer)
    expected = {normalise_text_answer(str(v)) for v in gold["values"]}
    if set(names) == expected:
        return Verdict.correct(answer=answer)
    checks = {"count": len(names) == len(expected), "no_extra": set(names) <= expected}
    detail = "the names listed are not exactly the ones the question asks for"
    return Verdict.fail(WRONG_ANSWER, detail, checks=checks, answer=answer)


_CHECKS: dict[str, Callable[[str, dict[str, Any]], Verdict]] = {
    "number": _check_number,
    "name": _check_name,
    "names": _check_names,
}


def _display(gold: dict[str, Any]) -> str:
    if gold["type"] == "number":
        return str(gold["display"])
    if gold["type"] == "name":
        return str(gold["value"])
    return ", ".join(str(v) for v in gold["values"])


def _conventions(db: Database, shown: list[str]) -> list[str]:
    """How to read keys and reference columns, for the tables shown."""
    lines = ["The first column of each table is its key: no two rows of a table have the same key."]
    refs = [(t, ref) for t in shown for ref in db.schema[t].refs]
    if refs:
        lines.append("These columns hold the key of a row of another table:")
        for table, ref in refs:
            target = db.schema[ref.target]
            where = f"the {ref.target} table" + ("" if ref.target in shown else ", not shown")
            lines.append(f"- {table}.{ref.column}: a{'n' if target.noun[0] in 'aeiou' else ''} {target.noun} ({where})")
    return lines


def render_table(table: Table, fmt: str) -> str:
    """`table` as a titled markdown table or CSV block."""
    columns = table.columns
    cells = [[str(row[c]) for c in columns] for row in table.rows]
    if fmt == "csv":
        return "\n".join([f"Table {table.spec.name} (CSV):", *map(csv_line, [columns, *cells])])
    body = ["| " + " | ".join(line) + " |" for line in [columns, ["---"] * len(columns), *cells]]
    return "\n".join([f"Table {table.spec.name}:", *body])


def csv_line(cells: list[str]) -> str:
    """One CSV record; cells holding a comma, quote or newline are quoted (names never do, but be safe)."""
    line = ",".join(cells)
    if line.count(",") == len(cells) - 1 and '"' not in line and "\n" not in line:
        return line
    return ",".join(f'"{c.replace(chr(34), chr(34) * 2)}"' if any(x in c for x in ',"\n') else c for c in cells)


def split_names(answer: str) -> list[str] | None:
    """Normalised names of a comma-separated list ('A, B and C' too); None if an item is empty or repeated."""
    pieces = answer.split(",")
    last = normalise_text_answer(pieces[-1])
    if last.startswith("AND ") and len(pieces) > 1:
        pieces[-1] = last[4:]
    elif " AND " in last:
        pieces[-1:] = last.split(" AND ", 1)
    names = [normalise_text_answer(p) for p in pieces]
    if any(not n for n in names) or len(set(names)) != len(names):
        return None
    return names
