"""The summary of a filter run: decisions per task and difficulty, a pass-rate histogram, cut-offs.

Printed by `vrgym filter select|run|report`. It answers the questions users ask of every published
filter (research §6): how much was dropped, why, at which level, and how coarse the band is at
this n (`describe_cutoffs`: "keeps 1 <= c <= 15 of 16").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from vrgym.filter.selection import DECISIONS, KEPT, Rule, describe_cutoffs

_BINS = ((0.0, 0.0, "0"), (0.0, 0.2, "(0, .2)"), (0.2, 0.4, "[.2, .4)"), (0.4, 0.6, "[.4, .6)"),
         (0.6, 0.8, "[.6, .8)"), (0.8, 1.0, "[.8, 1)"), (1.0, 1.0, "1"))  # fmt: skip
_BAR = 40


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    from vrgym.cli import render_table

    return render_table(headers, [[str(cell) for cell in row] for row in rows])


def decision_table(rows: Sequence[Mapping[str, Any]]) -> str:
    """Kept / dropped counts per (task, difficulty), with the mean pass@1, and a total line."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["task"], row["difficulty"]), []).append(row)
    present = [d for d in DECISIONS if any(row["decision"] == d for row in rows)]
    headers = ("TASK", "DIFFICULTY", "PROBLEMS", "KEPT", *[d.upper() for d in present], "MEAN PASS@1")
    lines = []
    for (task, difficulty), members in sorted(groups.items()):
        lines.append(_line(task, difficulty, members, present))
    lines.append(_line("TOTAL", "", rows, present))
    return _table(headers, lines)


def _line(task: str, difficulty: str, members: Sequence[Mapping[str, Any]], present: Sequence[str]) -> list[Any]:
    decisions = Counter(row["decision"] for row in members)
    rates = [row["pass_at_1"] for row in members if row.get("pass_at_1") is not None]
    mean = f"{sum(rates) / len(rates):.3f}" if rates else "-"
    return [task, difficulty, len(members), sum(decisions[d] for d in KEPT), *[decisions[d] for d in present], mean]


def histogram(rows: Sequence[Mapping[str, Any]]) -> str:
    """pass@1 in seven bins (exactly 0, five open bins, exactly 1) as a text bar chart."""
    counts = Counter()
    for row in rows:
        p = row.get("pass_at_1")
        if p is None:
            continue
        for low, high, label in _BINS:
            if (low == high and p == low) or (low < p < high if low == 0.0 else low <= p < high):
                counts[label] += 1
                break
    total = sum(counts.values())
    if not total:
        return "pass@1 histogram: no scored problem yet"
    widest = max(counts.values())
    lines = ["pass@1 histogram:"]
    for _, _, label in _BINS:
        value = counts[label]
        bar = "#" * (round(value / widest * _BAR) if value else 0)
        lines.append(f"  {label:>9}  {value:>6}  {bar}")
    return "\n".join(lines)


def render_report(rows: Sequence[Mapping[str, Any]], rule: Rule, manifest: Mapping[str, Any]) -> str:
    """The whole summary: header, decision table, histogram and effective cut-offs."""
    model = manifest.get("model") or {}
    sampling = manifest.get("sampling") or {}
    head = (
        f"model {model.get('backend', '?')}:{model.get('model', '?')}  k={manifest.get('k')}  "
        f"T={sampling.get('temperature')} top_p={sampling.get('top_p')} max_tokens={sampling.get('max_tokens')}  "
        f"rule={_rule_text(rule)}"
    )
    parts = [head, "", decision_table(rows), "", histogram(rows)]
    ns = Counter(row["n"] for row in rows if row["n"])
    if ns:
        n, _ = ns.most_common(1)[0]
        parts += ["", f"effective cut-off at n={n}: {describe_cutoffs(rule, n)}"]
    if manifest.get("early_stop"):
        parts.append("early stopping was on: pass-rate columns are biased (see vrgym.filter.run)")
    return "\n".join(parts)


def _rule_text(rule: Rule) -> str:
    text = rule.keep
    if rule.keep == "band":
        brackets = "[]" if rule.inclusive else "()"
        text += f" {rule.metric} in {brackets[0]}{rule.low:g}, {rule.high:g}{brackets[1]}"
    if rule.keep_easy_frac:
        text += f" +{rule.keep_easy_frac:g} of too_easy"
    return text
