"""Tests of the dataset machinery math and code share: table cache, row conversion, selection, row choice.

Why separate: `vrgym.tasks._dataset_table` / `_dataset_template` are used by both domains, so their
contract (one parse per source, re-read after an edit, one warning per table, skips counted, the
same row for the same (seed, index)) is pinned here once rather than through either domain.
"""

from __future__ import annotations

import json
import os
import random
import warnings
from pathlib import Path

import pytest
from vrgym.tasks._dataset_source import (
    DatasetReport,
    DatasetSkipWarning,
    RowSkip,
    SkippedRow,
)
from vrgym.tasks._dataset_table import (
    SourceSpec,
    TableCache,
    convert_rows,
    no_rows_error,
    select_positions,
)
from vrgym.tasks._dataset_template import DatasetRows, dataset_tags, dataset_template
from vrgym.tasks.code.dataset_code import DatasetCodeConfig, DatasetCodeTemplate
from vrgym.tasks.math.dataset_math import DatasetMathConfig, DatasetMathTemplate

import vrgym
from vrgym.errors import ConfigError


class _Table:
    def __init__(self, report: DatasetReport) -> None:
        self.report = report


def _counting_cache(skipped: int = 1) -> tuple[TableCache[SourceSpec, _Table], list[SourceSpec]]:
    parsed: list[SourceSpec] = []

    def parse(spec: SourceSpec) -> _Table:
        parsed.append(spec)
        skips = tuple(SkippedRow(i, "empty_problem", "empty") for i in range(skipped))
        return _Table(DatasetReport(source=spec.describe(), format="x", total=3, usable=3 - skipped, skipped=skips))

    return TableCache(parse, hint="list them with f(...)", size=2), parsed


def test_a_table_is_parsed_once_and_warns_once_even_after_a_quiet_load() -> None:
    cache, parsed = _counting_cache()
    spec = SourceSpec("builtin:a")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = cache.load(spec, warn=False)  # e.g. report(): no warning, and it does not use up the warning
        assert cache.load(spec) is first and cache.load(spec) is first
    assert parsed == [spec]
    messages = [str(w.message) for w in caught if issubclass(w.category, DatasetSkipWarning)]
    assert messages == ["builtin:a (x): 2 usable, 1 skipped (empty_problem 1); list them with f(...)"]


def test_the_cache_is_bounded_and_clear_forgets() -> None:
    cache, parsed = _counting_cache(skipped=0)
    a, b, c = SourceSpec("builtin:a"), SourceSpec("builtin:b"), SourceSpec("builtin:c", split="test")
    for spec in (a, b, c, c):
        cache.load(spec)
    assert parsed == [a, b, c]
    cache.load(a)  # evicted by c (size 2)
    cache.clear()
    cache.load(c)
    assert parsed == [a, b, c, a, c]
    assert c.describe() == "builtin:c:test" and SourceSpec("org/ds", config_name="main").describe() == "org/ds[main]"


def test_a_local_file_edited_in_place_is_read_again(tmp_path: Path) -> None:
    cache, parsed = _counting_cache(skipped=0)
    path = tmp_path / "rows.jsonl"
    path.write_text("{}\n")
    spec = SourceSpec(str(path))
    cache.load(spec)
    cache.load(spec)
    path.write_text("{}\n{}\n")
    os.utime(path, ns=(1, 1))
    cache.load(spec)
    assert parsed == [spec, spec]


def test_convert_rows_counts_skips_and_malformed_cells_but_not_other_errors() -> None:
    def convert(position: int, row: dict) -> str:
        if row.get("skip"):
            raise RowSkip("no_tests", "the row has no test cases")
        return row["text"].upper()  # KeyError on a row without text

    rows = [{"text": "a", "id": "r0"}, {"skip": True, "id": "r1"}, {"id": "r2"}, {"text": "d"}]
    items, skipped = convert_rows(rows, convert, lambda row: row.get("id"), malformed=(KeyError,))
    assert items == [(0, "A"), (3, "D")]
    assert [(s.row, s.reason, s.answer_text) for s in skipped] == [(1, "no_tests", "r1"), (2, "malformed", "r2")]
    with pytest.raises(KeyError):
        convert_rows(rows, convert, lambda row: None)


def test_select_positions_filters_by_level_and_group_any_case_and_memoises() -> None:
    class Item:
        def __init__(self, level: int, group: str | None) -> None:
            self.level, self.group = level, group

    items = [Item(1, "Algebra"), Item(2, None), Item(3, "algebra"), Item(3, "Geometry")]
    memo: dict = {}
    chosen = select_positions(memo, items, 3, lambda item: item.level == 3, ("algebra",))
    assert chosen == [2]
    assert select_positions(memo, items, 3, lambda item: True, ("algebra",)) is chosen  # memoised by (levels, groups)
    assert select_positions(memo, items, None, lambda item: True, None) == [0, 1, 2, 3]


def test_no_rows_error_names_the_first_skip_or_the_empty_source() -> None:
    empty = DatasetReport(source="f.jsonl", format="math", total=0, usable=0)
    assert str(no_rows_error(empty, "check format=")) == "f.jsonl has no rows"
    report = DatasetReport(source="f.jsonl", format="math", total=1, usable=0, skipped=(SkippedRow(0, "empty_problem", "empty"),))
    assert str(no_rows_error(report, "check format=")) == ("f.jsonl (math): 0 usable, 1 skipped (empty_problem 1): no usable rows; "
                                                           "check format= (first skip: empty_problem: empty)")


@pytest.mark.parametrize("config_class", [DatasetMathConfig, DatasetCodeConfig])
def test_both_domains_normalise_groups_and_reject_an_empty_list(config_class: type) -> None:
    assert config_class(source="builtin:x", groups=(" Olympiads", "amc_aime", "olympiads")).groups == ("amc_aime", "olympiads")
    with pytest.raises(ValueError, match="groups must name at least one group"):
        config_class(source="builtin:x", groups=())


@pytest.mark.filterwarnings("ignore::vrgym.tasks._dataset_source.DatasetSkipWarning")
@pytest.mark.parametrize("task", ["DatasetMATH", "DatasetMBPP"])
def test_the_same_stream_position_is_the_same_row_and_a_pass_covers_every_row(task: str) -> None:
    template = vrgym.get_template(task)
    assert isinstance(template, DatasetRows)
    n = len(template.rows(template.config()))
    rows = [template.generate(5, index).metadata["row"] for index in range(n)]
    assert len(set(rows)) == n  # no repeat within a pass
    assert [template.generate(5, index).metadata["row"] for index in (0, n - 1)] == [rows[0], rows[-1]]
    assert rows != [template.generate(6, index).metadata["row"] for index in range(n)]  # another seed, another order
    drawn = {json.dumps(template.build(random.Random(k), template.config()).metadata["row"]) for k in range(40)}
    assert len(drawn) > 1  # outside generate, build draws from its rng


def test_tags_and_template_lookup() -> None:
    assert dataset_tags("math", "math", "Intermediate Algebra!") == ("math/dataset/math", "math/dataset/math/intermediate_algebra")
    assert dataset_tags("code", "apps", "!!") == ("code/dataset/apps",) and dataset_tags("code", "apps", None) == ("code/dataset/apps",)
    assert isinstance(dataset_template("DatasetGSM8K", DatasetMathTemplate, "math"), DatasetMathTemplate)
    with pytest.raises(ConfigError, match="not a dataset-backed code template; use one of DatasetHumanEval, DatasetMBPP"):
        dataset_template("DatasetGSM8K", DatasetCodeTemplate, "code")
