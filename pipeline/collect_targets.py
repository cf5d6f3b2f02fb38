"""Numeric targets of a plan: goal paragraphs, task texts, and small tables inside tasks.

FORMAT.md: targets are read from the running text (goal sections and tasks alike, task null for
goal sections); appendix task tables are not read for targets, but a small table inside a task (表1
of per-county quotas) is. A target's year is its own clause's year, else the last time statement
before it in the same item or goal paragraph, else the plan year of a single-year plan.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Callable

import regex
from pydantic import TypeAdapter

from extractors.deadlines import find_time_statements
from extractors.measure_units import UnitError, to_base
from extractors.numbers import NumberError, parse_number
from extractors.ruleset import load_ruleset
from extractors.targets import TargetMatch, assign_years, find_targets
from extractors.whitespace import no_whitespace
from schemas.document import Section, Table
from schemas.labels import Comparator, SectionKind
from schemas.spans import CharSpan
from schemas.task import Target, Task

ToSpan = Callable[[int, int], CharSpan]

_PARAGRAPH = regex.compile(r"[^\n]+")
# A table cell that is a bare count or a range of counts: 2, 1-2, 1～2
_CELL_NUMBER = regex.compile(r"^\s*(?P<a>\d+(?:\.\d+)?)\s*(?:[-－—–~～至]\s*(?P<b>\d+(?:\.\d+)?))?\s*$")
# The unit a table declares in its caption or header: （单位：个） (个)
_TABLE_UNIT = regex.compile(r"[（(]\s*(?:单位\s*[：:])?\s*(?P<u>[^（）()\s]{1,6})\s*[）)]")
_CAPTION_LABEL = regex.compile(r"^\s*(?:附表|表)\s*\d+\s*")
_CAPTION_TAIL = regex.compile(r"(?:分解|情况|统计|一览|汇总)?表\s*$")
# A table without a declared unit counts things: its natural counter.
DEFAULT_COUNTER = "个"


# The targets of a block are validated as one list: one pydantic-core call builds them all (the
# comparator is validated from its value), as tables.py does for cells.
_TARGETS = TypeAdapter(list[Target])


def _target(m: TargetMatch, base: int, year: int | None, task: Task | None, section: int,
            to_span: ToSpan) -> dict:
    """The fields of one Target (every field given, as keyword construction would)."""
    return {
        "task_index": task.index if task else None, "section": section, "text": m.text, "indicator": m.indicator,
        "comparator": m.comparator, "value": float(m.value),
        "value_max": float(m.value_max) if m.value_max is not None else None, "unit": m.unit,
        "base_value": float(m.base_value),
        "base_value_max": float(m.base_value_max) if m.base_value_max is not None else None,
        "base_unit": m.base_unit, "year": year, "rule_id": m.rule_id, "span": to_span(base + m.start, base + m.end),
    }


def _found(block: str, base_year: int | None, single_year: bool, plan_year: int | None
           ) -> list[tuple[TargetMatch, int | None]]:
    """The targets of one block (a task or a goal paragraph) with their years, block-relative."""
    found = find_targets(block)
    if not found:
        return []
    statements = [(s.start, s.year) for s in find_time_statements(block, base_year, single_year=single_year)]
    return list(zip(found, assign_years(found, statements, plan_year)))


def _records(found: list[tuple[TargetMatch, int | None]], base: int, task: Task | None, section: int,
             to_span: ToSpan) -> list[Target]:
    return _TARGETS.validate_python([_target(m, base, y, task, section, to_span) for m, y in found])


def deepest_section(sections: list[Section], offset: int) -> int:
    best = 0
    for s in sections:
        if s.span.start <= offset < s.span.end:
            best = s.index
    return best


def table_year(table: Table, task: Task, base_year: int | None, single_year: bool,
               plan_year: int | None) -> int | None:
    """The year of a table's figures: the year its caption names (表1 2024年各县任务), else the last
    time statement of the task before the table (its nearest enclosing one), else the plan year."""
    # without its label: whitespace-free matching would read "表1 2024年" as the number 12024
    own = find_time_statements(_CAPTION_LABEL.sub("", table.caption or ""), base_year, single_year=single_year)
    if own:
        return own[-1].year
    before = table.span.start - task.span.start
    enclosing = [s.year for s in find_time_statements(task.text, base_year, single_year=single_year)
                 if s.start < before]
    return enclosing[-1] if enclosing else plan_year


def table_targets(table: Table, task: Task, year: int | None, to_span: ToSpan) -> list[Target]:
    """One target per numeric cell of a small in-task table (per-place quotas under a header row)."""
    caption = table.caption or ""
    unit_m = _TABLE_UNIT.search(caption)
    unit = unit_m["u"] if unit_m else DEFAULT_COUNTER
    subject = _CAPTION_TAIL.sub("", _CAPTION_LABEL.sub("", _TABLE_UNIT.sub("", caption))).strip()
    header = {c.col: c.text for c in table.cells if c.is_header}
    out = []
    for c in table.cells:
        m = _CELL_NUMBER.match(c.text) if not c.is_header and c.span else None
        if not m:
            continue
        try:
            a = parse_number(m["a"])
            b = parse_number(m["b"]) if m["b"] else None
            base_a, base_unit = to_base(a, unit)
            base_b = to_base(b, unit)[0] if b is not None else None
        except (NumberError, UnitError):
            continue
        out.append(Target(
            task_index=task.index, section=task.section, text=c.text.strip(),
            indicator=f"{header.get(c.col, '')}{subject}",
            comparator=Comparator.RANGE if b is not None else Comparator.EQUAL,
            value=float(a), value_max=float(b) if b is not None else None, unit=unit,
            base_value=float(base_a), base_value_max=float(base_b) if base_b is not None else None,
            base_unit=base_unit, year=year, rule_id="table_cell", span=c.span,
        ))
    return out


class _Cover:
    """Whether an offset falls in any of a set of [start, end) intervals, by bisection (a plan has
    hundreds of paragraphs and tasks)."""

    def __init__(self, intervals: list[tuple[int, int]]):
        intervals = sorted(intervals)
        self.starts = [a for a, _ in intervals]
        self.max_ends, top = [], -1
        for _, b in intervals:   # running maximum: intervals may nest or overlap
            top = max(top, b)
            self.max_ends.append(top)

    def __call__(self, offset: int) -> bool:
        k = bisect_right(self.starts, offset)   # intervals starting at or before offset
        return bool(k) and self.max_ends[k - 1] > offset


def collect_targets(text: str, sections: list[Section], tasks: list[Task], tables: list[Table],
                    base_year: int | None, single_year: bool, to_span: ToSpan) -> list[Target]:
    plan_year = base_year if single_year else None
    out: list[Target] = []
    task_sections = {t.section for t in tasks}
    inside_task = _Cover([(t.span.start, t.span.end) for t in tasks])
    # goal paragraphs: the running text outside tasks, appendices and background chapters (规划基础,
    # 发展现状: their figures are past figures), one paragraph at a time
    background = [r.compiled for r in load_ruleset("sections").with_label("background")]
    for top in (s for s in sections if s.parent == 0 and s.kind != SectionKind.APPENDIX
                and not (s.title and any(r.search(no_whitespace(s.title)) for r in background))):
        for p in _PARAGRAPH.finditer(text, top.span.start, top.span.end):
            if inside_task(p.start()):
                continue
            found = _found(p.group(), base_year, single_year, plan_year)
            if found:  # the section is looked up only for the few paragraphs that hold a target
                out += _records(found, p.start(), None, deepest_section(sections, p.start()), to_span)
    for t in tasks:
        found = _found(t.text, base_year, single_year, plan_year)
        if found:
            out += _records(found, t.span.start, t, t.section, to_span)
    # small tables inside tasks
    by_section = {s.index: s for s in sections}
    for table in tables:
        s = by_section.get(table.section)
        while s is not None and s.index not in task_sections:
            s = by_section.get(s.parent) if s.parent is not None else None
        if s is not None:
            task = next(t for t in tasks if t.section == s.index)
            out += table_targets(table, task, table_year(table, task, base_year, single_year, plan_year), to_span)
    out.sort(key=lambda x: (x.span.start, x.span.end))
    return out


__all__ = ["collect_targets", "table_targets", "table_year"]
