"""The relational model of `TableReasoning`: schemas, table specs, generated tables and databases.

A `Schema` is a handful of linked tables. Each table has a key column of unique names (or ids for
fact tables such as orders), reference columns that name a row of another table (the foreign keys,
which questions join over), and attribute columns, numeric or categorical. The concrete schemas,
their name pools and the random contents live in `_tables_data`.

The phrases carry the English a question needs: `Ref.phrase` reads from a row to the row it
references ("orders *placed by* customers …"), `Ref.column` doubles as the role noun ("the *lead* of
project Kestrel"), `TableSpec.mention` names one row ("the Research department").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Value = str | int
Row = dict[str, Value]
SizeClass = Literal["small", "entity", "fact"]


@dataclass(frozen=True)
class Ref:
    """A column holding the key of a row of `target`; the column name is also the role noun."""

    column: str
    target: str
    phrase: str
    """Relation read from this table's rows to the target's: 'placed by', 'based at'."""


@dataclass(frozen=True)
class Attr:
    """A numeric (`low..high`) or categorical (`values`) attribute column."""

    column: str
    label: str
    """How prose names it: the column 'desks' is 'number of desks'."""
    low: int = 0
    high: int = 0
    values: tuple[str, ...] = ()
    additive: bool = True
    """Whether a sum of it means something (quantities, prices); years, ages and ratings are only compared."""

    @property
    def numeric(self) -> bool:
        return not self.values


@dataclass(frozen=True)
class TableSpec:
    """One table of a schema: names, key pool, references and attributes."""

    name: str
    """Plural, also the table's title: 'employees'."""
    noun: str
    size: SizeClass
    keys: str
    """Pool the key names come from; for fact tables, the id prefix after 'id:' ('id:O' → O417)."""
    mention: str = "{}"
    refs: tuple[Ref, ...] = ()
    attrs: tuple[Attr, ...] = ()

    @property
    def key(self) -> str:
        """The key column's name: the singular noun."""
        return self.noun

    @cached_property
    def _refs(self) -> dict[str, Ref]:
        return {r.column: r for r in self.refs}

    @cached_property
    def _attrs(self) -> dict[str, Attr]:
        return {a.column: a for a in self.attrs}

    def ref(self, column: str) -> Ref | None:
        return self._refs.get(column)

    def attr(self, column: str) -> Attr | None:
        return self._attrs.get(column)


@dataclass(frozen=True)
class Schema:
    """Tables in dependency order (a table only references tables listed before it)."""

    name: str
    tables: tuple[TableSpec, ...]

    @cached_property
    def by_name(self) -> dict[str, TableSpec]:
        return {t.name: t for t in self.tables}

    def __getitem__(self, table: str) -> TableSpec:
        return self.by_name[table]

    @cached_property
    def links(self) -> dict[tuple[str, str], str]:
        """(table, reference column) → the table it references."""
        return {(t.name, r.column): r.target for t in self.tables for r in t.refs}

    def target(self, table: str, path: tuple[str, ...] | list[str]) -> str:
        """The table reached from `table` by following the reference columns of `path` (KeyError if none)."""
        links = self.links
        for column in path:
            table = links[(table, column)]
        return table

    @cached_property
    def _paths(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        found: dict[str, tuple[tuple[str, ...], ...]] = {}
        for spec in self.tables:
            paths: list[tuple[str, ...]] = [()]
            frontier: list[tuple[tuple[str, ...], str]] = [((), spec.name)]
            while frontier:
                path, table = frontier.pop(0)
                for ref in self.by_name[table].refs:
                    longer = (*path, ref.column)
                    paths.append(longer)
                    frontier.append((longer, ref.target))
            found[spec.name] = tuple(paths)
        return found

    def paths(self, table: str, max_length: int) -> tuple[tuple[str, ...], ...]:
        """Every reference path from `table` (the empty one included) of at most `max_length` joins."""
        return self._bounded_paths[(table, max_length)]

    def reachable(self, table: str, slots: int) -> frozenset[int]:
        """Join counts that `slots` paths from `table` can add up to (distinct prefixes, as in a plan)."""
        found = self._reachable.get((table, slots))
        if found is None:
            combinations = itertools.combinations_with_replacement(self.paths(table, 4), slots)
            found = frozenset(len({p[: i + 1] for p in paths for i in range(len(p))}) for paths in combinations)
            self._reachable[(table, slots)] = found
        return found

    @cached_property
    def _reachable(self) -> dict[tuple[str, int], frozenset[int]]:
        return {}

    @cached_property
    def _bounded_paths(self) -> dict[tuple[str, int], tuple[tuple[str, ...], ...]]:
        return {(t, n): tuple(p for p in paths if len(p) <= n) for t, paths in self._paths.items() for n in range(5)}


@dataclass
class Table:
    """The generated contents of one table: its shown columns (key first) and rows."""

    spec: TableSpec
    columns: list[str]
    rows: list[Row]
    index: dict[str, Row] = field(default_factory=dict)

    def __post_init__(self) -> None:
        key = self.spec.key
        self.index = {str(row[key]): row for row in self.rows}

    def values(self, column: str) -> list[Value]:
        """Distinct values of `column`, in first-seen order (deterministic)."""
        return list(dict.fromkeys(row[column] for row in self.rows))


@dataclass
class Database:
    """A schema with contents for every table; questions only use shown columns."""

    schema: Schema
    tables: dict[str, Table]
    _columns: dict[tuple[str, bool | None, bool], list[str]] = field(default_factory=dict)

    def follow(self, table: str, row: Row, path: tuple[str, ...] | list[str]) -> tuple[str, Row]:
        """The row (and its table) that `row` of `table` reaches through the references in `path`."""
        links = self.schema.links
        for column in path:
            table = links[(table, column)]
            row = self.tables[table].index[row[column]]  # type: ignore[index]
        return table, row

    def columns(self, table: str, *, numeric: bool | None = None, refs: bool = True) -> list[str]:
        """Shown non-key columns of `table`: references (if `refs`) and attributes (numeric or not, or both)."""
        cached = self._columns.get((table, numeric, refs))
        if cached is not None:
            return cached
        spec = self.schema[table]
        shown = self.tables[table].columns
        found = [c for c in shown if refs and spec.ref(c) is not None and numeric is not True]
        for column in shown:
            attr = spec.attr(column)
            if attr is not None and (numeric is None or attr.numeric == numeric):
                found.append(column)
        self._columns[(table, numeric, refs)] = found
        return found
