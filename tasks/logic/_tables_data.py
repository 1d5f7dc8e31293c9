"""The four schemas of `TableReasoning`, their name pools, and random table contents.

Schemas: a company (offices, departments, employees, projects, assignments), a shop (regions,
cities, suppliers, customers, products, orders), a school (buildings, faculties, teachers, courses,
students, enrollments) and a library (districts, branches, publishers, authors, books, members,
loans). Every name, value pool and phrase here is invented for this project.

`make_database` fills every table of a schema from a private RNG: sizes by class (small dimension
tables, entity tables, fact tables), names drawn without replacement from pools shared by the whole
problem (a teacher and a student never share a name), a random subset of the attribute columns shown.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from vrgym.tasks.logic._tables_schema import Attr, Database, Ref, Row, Schema, Table, TableSpec

T = TypeVar("T")


# ------------------------------------------------------------------------------------------ pools

_FIRST = (
    "Mira Tobin Alva Corin Dessa Emric Fenna Galen Hollis Ines Jory Kaia Lorne Maren Nico Orla Pell Quinn Rowan "
    "Sabe Tamsin Ulric Vesna Wren Yara Zeno Ansel Brisa Cato Delia Evander Faye Gideon Halle Ivo Juno Keir Lysa "
    "Milo Nell"
).split()
_LAST = (
    "Ashdown Brack Calloway Dunmore Everly Fairbank Greaves Holt Ingram Jessop Kettering Lowell Marsh Norcott "
    "Oakes Pennick Quarry Radley Sorrel Thorne Upton Vance Whitlock Yarrow Alder Birch Cobb Draper Ellery Frost "
    "Gale Hartwell Irwin Jarrow Keane Larkin Mercer Nash Orton Prescott"
).split()


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _cross(left: str, right: str) -> tuple[str, ...]:
    return tuple(f"{a} {b}" for a in left.split() for b in right.split())


POOLS: dict[str, tuple[str, ...]] = {
    "person": tuple(f"{a} {b}" for a in _FIRST for b in _LAST),
    "town": _words(
        "Varnholm Eddleby Corrowmere Haskwith Brindlemoor Quellport Dunmarrow Ambervale Brackenford Drumlee "
        "Farrowby Glenmarsh Hollisford Istervale Jessamy Kelderwick Lunmouth Morrowgate Nethercombe Orrinhall "
        "Pendlewick Rookhaven Saltreach Thistlebury Umberton Wyndham Yelverhay Ashcombe Belmarsh Caddonfoot "
        "Dovercott Elmbridge"
    ),
    "district": _words(
        "Harbourside Millbrook Stonecross Greenhollow Ashgrove Larkfield Redmoor Whitecliff Brookend Thornbury "
        "Copperhill Fennick"
    ),
    "department": _words(
        "Logistics Research Marketing Finance Legal Design Support Sales Quality Security Training Procurement "
        "Facilities Analytics Operations Compliance"
    ),
    "project": _words(
        "Kestrel Juniper Basalt Cobalt Meridian Lantern Harbor Quartz Falcon Willow Ember Glacier Orchid Sextant "
        "Tundra Zephyr Beacon Cinder Drift Fable Granite Helix Indigo Jasper Kite Lumen Mosaic Nimbus Onyx Prism "
        "Raven Saffron Talon Umber Vortex Wick"
    ),
    "region": _words("Northreach Southmarch Eastwold Westfell Midvale Highcombe Lowmere Coastway Ridgeland Fernshire"),
    "supplier": (
        "Brightwell", "Corrin Works", "Halden Supply", "Mossgate", "Pinecrest Goods", "Redfern Trading", "Silverline",
        "Tallow Brothers", "Umbra Imports", "Veldt Makers", "Westbrook", "Yewdale", "Ashford Mills", "Blue Heron",
        "Copperleaf", "Driftwood", "Emberly", "Foxglove", "Granary Row", "Hearthstone",
    ),  # fmt: skip
    "product": _cross(
        "Amber Brisk Cedar Dusky Ember Frost Golden Hazel Ivory Jade Lunar Misty Nova Opal Pine Rustic Sage Tidal",
        "Kettle Lamp Blanket Mug Backpack Notebook Candle Chair Clock Pillow Teapot Umbrella Vase Wallet Basket",
    ),
    "building": tuple(
        f"{a} {b}" for a, b in zip(
            "Elm Cedar Granite Lark Rowan Hawthorn Slate Willow Maple Beacon Heron Ivy Flint Juniper Oriel".split(),
            "Hall House Building Court Hall House Building Court Hall House Building Court Hall House Building".split(),
        )
    ),  # fmt: skip
    "faculty": _words(
        "Mathematics Physics Chemistry Biology History Linguistics Philosophy Economics Geography Music Engineering "
        "Medicine Law Architecture"
    ),
    "course": _cross(
        "Applied Modern Classical Advanced Practical Theoretical Comparative Experimental",
        "Optics Algebra Genetics Rhetoric Ethics Statistics Ecology Acoustics Mechanics Poetry Cartography Botany "
        "Geometry Logic",
    ),
    "publisher": (
        "Inkwell Press", "Lanternhouse", "Marlow Books", "Northlight", "Quillstone", "Riverbend Press", "Saltmarsh",
        "Tidewater", "Vellum House", "Wildacre", "Foxhollow Press", "Greyfriars",
    ),  # fmt: skip
    "book": tuple(
        f"The {t}" for t in _cross(
            "Silent Hollow Crimson Distant Forgotten Painted Hidden Winter Broken Golden",
            "Harbour Orchard Compass Lantern Garden River Tower Letter Mirror Voyage",
        )
    ),  # fmt: skip
}
"""Key-name pools; a problem draws from each without replacement, so names are unique per problem."""

_COUNTRIES = _words("Norvia Estria Caldera Pellmark Ostrand Vellany Suria Marrowland")


def _qty(column: str, low: int, high: int, label: str | None = None) -> Attr:
    """A quantity: summing it over rows means something (hours, prices, seats)."""
    return Attr(column, label or column, low, high)


def _num(column: str, low: int, high: int, label: str | None = None) -> Attr:
    """A number only compared or averaged, never summed (years, ages, ratings)."""
    return Attr(column, label or column, low, high, additive=False)


def _cat(column: str, values: tuple[str, ...] | str, label: str | None = None) -> Attr:
    return Attr(column, label or column, values=_words(values) if isinstance(values, str) else values)


COMPANY = Schema(
    "company",
    (
        TableSpec("offices", "office", "small", "town", "the {} office",
                  attrs=(_cat("country", _COUNTRIES), _num("opened", 1988, 2023, "opening year"),
                         _qty("desks", 20, 240, "number of desks"))),
        TableSpec("departments", "department", "entity", "department", "the {} department",
                  refs=(Ref("office", "offices", "based at"),),
                  attrs=(_num("floor", 1, 14), _qty("budget", 120, 980), _cat("wing", "north south east west"))),
        TableSpec("employees", "employee", "entity", "person",
                  refs=(Ref("department", "departments", "in"),),
                  attrs=(_qty("salary", 38, 140), _num("tenure", 0, 25, "years of tenure"),
                         _cat("role", "analyst engineer designer manager clerk technician"), _num("age", 22, 64))),
        TableSpec("projects", "project", "entity", "project", "project {}",
                  refs=(Ref("department", "departments", "run by"), Ref("lead", "employees", "led by")),
                  attrs=(_qty("budget", 10, 480), _qty("months", 2, 36, "duration in months"),
                         _cat("priority", "low medium high"))),
        TableSpec("assignments", "assignment", "fact", "id:A", "assignment {}",
                  refs=(Ref("employee", "employees", "of"), Ref("project", "projects", "on")),
                  attrs=(_qty("hours", 2, 40, "weekly hours"), _qty("weeks", 1, 30, "number of weeks"))),
    ),
)  # fmt: skip

SHOP = Schema(
    "shop",
    (
        TableSpec("regions", "region", "small", "region", "the {} region",
                  attrs=(_qty("warehouses", 1, 12, "number of warehouses"), _num("tax", 5, 25, "tax rate"))),
        TableSpec("cities", "city", "small", "town",
                  refs=(Ref("region", "regions", "in"),),
                  attrs=(_qty("population", 20, 950), _num("founded", 1120, 1890, "founding year"))),
        TableSpec("suppliers", "supplier", "entity", "supplier",
                  refs=(Ref("city", "cities", "based in"),),
                  attrs=(_num("rating", 1, 9), _num("since", 1995, 2023, "partnership start year"))),
        TableSpec("customers", "customer", "entity", "person",
                  refs=(Ref("city", "cities", "living in"),),
                  attrs=(_cat("tier", "Bronze Silver Gold Platinum"), _num("age", 18, 80),
                         _num("joined", 2008, 2024, "year joined"))),
        TableSpec("products", "product", "entity", "product",
                  refs=(Ref("supplier", "suppliers", "made by"),),
                  attrs=(_qty("price", 2, 260),
                         _cat("category", "kitchen lighting textiles outdoor stationery furniture"),
                         _qty("weight", 50, 4800))),
        TableSpec("orders", "order", "fact", "id:O", "order {}",
                  refs=(Ref("customer", "customers", "placed by"), Ref("product", "products", "for")),
                  attrs=(_qty("quantity", 1, 12), _num("day", 1, 28, "day of the month"),
                         _cat("shipping", "standard express pickup"))),
    ),
)  # fmt: skip

SCHOOL = Schema(
    "school",
    (
        TableSpec("buildings", "building", "small", "building",
                  attrs=(_qty("floors", 1, 9, "number of floors"), _num("built", 1850, 2020, "construction year"),
                         _cat("campus", "North South East West"))),
        TableSpec("faculties", "faculty", "small", "faculty", "the {} faculty",
                  refs=(Ref("building", "buildings", "housed in"),),
                  attrs=(_num("founded", 1820, 2005, "founding year"), _qty("staff", 8, 95, "number of staff"))),
        TableSpec("teachers", "teacher", "entity", "person",
                  refs=(Ref("faculty", "faculties", "in"),),
                  attrs=(_num("experience", 1, 35, "years of experience"), _num("age", 26, 68),
                         _qty("hours", 4, 24, "weekly teaching hours"))),
        TableSpec("courses", "course", "entity", "course",
                  refs=(Ref("teacher", "teachers", "taught by"),),
                  attrs=(_qty("credits", 1, 8), _qty("capacity", 12, 120),
                         _cat("level", "introductory intermediate advanced"))),
        TableSpec("students", "student", "entity", "person",
                  refs=(Ref("advisor", "teachers", "advised by"),),
                  attrs=(_num("year", 1, 5, "year of study"), _num("age", 17, 31),
                         _cat("house", "Oak Ash Birch Yew"))),
        TableSpec("enrollments", "enrollment", "fact", "id:E", "enrollment {}",
                  refs=(Ref("student", "students", "of"), Ref("course", "courses", "in")),
                  attrs=(_num("grade", 40, 100), _num("attendance", 50, 100), _cat("term", "spring autumn"))),
    ),
)  # fmt: skip

LIBRARY = Schema(
    "library",
    (
        TableSpec("districts", "district", "small", "district", "the {} district",
                  attrs=(_qty("population", 4, 90), _qty("parks", 0, 14, "number of parks"))),
        TableSpec("branches", "branch", "small", "town", "the {} branch",
                  refs=(Ref("district", "districts", "in"),),
                  attrs=(_num("opened", 1902, 2021, "opening year"), _qty("seats", 12, 240, "number of seats"))),
        TableSpec("publishers", "publisher", "small", "publisher",
                  attrs=(_cat("country", _COUNTRIES), _num("founded", 1790, 2015, "founding year"))),
        TableSpec("authors", "author", "entity", "person",
                  refs=(Ref("publisher", "publishers", "published by"),),
                  attrs=(_num("born", 1921, 1999, "birth year"), _cat("country", _COUNTRIES))),
        TableSpec("books", "book", "entity", "book",
                  refs=(Ref("author", "authors", "written by"),),
                  attrs=(_qty("pages", 90, 720, "number of pages"), _num("year", 1950, 2024, "publication year"),
                         _cat("genre", "mystery fantasy history poetry science travel"))),
        TableSpec("members", "member", "entity", "person",
                  refs=(Ref("branch", "branches", "registered at"),),
                  attrs=(_num("age", 9, 88), _cat("plan", "basic plus family"),
                         _num("joined", 2001, 2024, "year joined"))),
        TableSpec("loans", "loan", "fact", "id:L", "loan {}",
                  refs=(Ref("member", "members", "made by"), Ref("book", "books", "of")),
                  attrs=(_qty("days", 1, 42, "loan length in days"), _qty("renewals", 0, 4, "number of renewals"))),
    ),
)  # fmt: skip

SCHEMAS: dict[str, Schema] = {s.name: s for s in (COMPANY, SHOP, SCHOOL, LIBRARY)}


# ------------------------------------------------------------------------------------------ contents


@dataclass(frozen=True)
class Sizes:
    """Row-count ranges per size class and how many attribute columns each table shows."""

    small: tuple[int, int]
    entity: tuple[int, int]
    fact: tuple[int, int]
    attributes: tuple[int, int]


def make_database(rng: random.Random, schema: Schema, sizes: Sizes) -> Database:
    """Random contents for every table of `schema` (keys unique across the whole problem)."""
    used: dict[str, set[str]] = {}
    tables: dict[str, Table] = {}
    uniform = rng.random  # one float per cell: several times faster than randint/choice
    for spec in schema.tables:
        low, high = getattr(sizes, spec.size)
        n = low + int(uniform() * (high - low + 1))
        keys = _draw_keys(rng, spec.keys, n, used)
        a_low, a_high = sizes.attributes
        shown = _shuffled(uniform, spec.attrs)[: a_low + int(uniform() * (a_high - a_low + 1))]
        picks = [(ref.column, list(tables[ref.target].index)) for ref in spec.refs]
        picks += [(a.column, a.values) for a in shown if a.values]
        numeric = [(a.column, a.low, a.high - a.low + 1) for a in shown if not a.values]
        rows: list[Row] = []
        key_column = spec.key
        for key in keys:
            row: Row = {key_column: key}
            for column, choices in picks:
                row[column] = choices[int(uniform() * len(choices))]
            for column, start, span in numeric:
                row[column] = start + int(uniform() * span)
            rows.append(row)
        others = _shuffled(uniform, [r.column for r in spec.refs] + [a.column for a in shown])
        tables[spec.name] = Table(spec, [spec.key, *others], rows)
    return Database(schema, tables)


def _shuffled(uniform: Callable[[], float], items: Sequence[T]) -> list[T]:
    """A shuffled copy (Fisher-Yates on the RNG's floats: `random.shuffle` costs several times more per call)."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = int(uniform() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def _draw_keys(rng: random.Random, pool_name: str, n: int, used: dict[str, set[str]]) -> list[str]:
    """`n` keys from the pool not used yet by this problem (fact ids: a prefix and three digits)."""
    if pool_name.startswith("id:"):
        prefix, pool, taken = pool_name[3:], None, set()
        size = 900
    else:
        prefix, pool, taken = "", POOLS[pool_name], used.setdefault(pool_name, set())
        size = len(pool)
    uniform = rng.random
    keys: list[str] = []
    while len(keys) < n:  # pools are many times larger than a table: rejections are rare
        index = int(uniform() * size)
        key = pool[index] if pool is not None else f"{prefix}{index + 100}"
        if key not in taken:
            taken.add(key)
            keys.append(key)
    return keys
