"""Responsible units of each task and task-table row, with roles, types and spans.

Reads tasks (their text and span) and applies extractors.roles; a unit list stated once for a
group ("以下均需…落实，不再一一列出") is carried to the following tasks of the same top-level section,
as FORMAT.md prescribes. Every mention keeps the span of the text it was read from — for a carried
group unit, the span of the statement that declared it.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from pydantic import TypeAdapter

from extractors.roles import RoleResult, UnitMention, apply_group_units, units_from_cell
from extractors.unit_types import unit_type
from pipeline.tasks import unit_roles
from schemas.document import Section
from schemas.labels import Role
from schemas.spans import CharSpan
from schemas.task import Task, UnitRef

ToSpan = Callable[[int, int], CharSpan]


# A task or cell names a few units: validated as one list, pydantic-core builds them in one call
# (measured 1.7 -> 1.0 µs a UnitRef; ~200 a plan). The role is validated from its value.
_UNIT_REFS = TypeAdapter(list[UnitRef])


def unit_refs(result: RoleResult, base: int, to_span: ToSpan,
              group_base: dict[int, int] | None = None) -> list[UnitRef]:
    """Turn extractor mentions (offsets relative to a block starting at `base`) into UnitRefs."""
    if not result.units:
        return []
    group_base = group_base or {}
    refs = []
    for m in result.units:
        b = group_base.get(id(m), base)
        refs.append({"name": m.name, "role": m.role, "unit_type": unit_type(m.name), "raw": m.raw,
                     "rule_id": m.rule_id, "from_group": b != base, "span": to_span(b + m.start, b + m.end)})
    return _UNIT_REFS.validate_python(refs)


def top_level_of(sections: list[Section]) -> dict[int, int]:
    """Index of each section's top-level ancestor (the root's direct child)."""
    top: dict[int, int] = {}
    for s in sections:  # document order: parents come before children
        top[s.index] = s.index if s.parent in (None, 0) else top.get(s.parent, s.index)
    return top


def assign_task_units(tasks: list[Task], sections: list[Section], to_span: ToSpan) -> None:
    # Carried group units find their declaring task by object identity (group_base), and a cached
    # result is shared by tasks of the same text: give each task's group list its own objects.
    results = [_own_group_units(unit_roles(t.text)) for t in tasks]
    group_base: dict[int, int] = {}
    for t, res in zip(tasks, results):
        for m in res.group_units:
            group_base[id(m)] = t.span.start
    top = top_level_of(sections)
    origins: dict[int, UnitMention] = {}
    carried = apply_group_units(results, [top[t.section] for t in tasks], origins)
    # an item takes a group's units in its own role (support beside its 牵头 unit): copies, read
    # from the span of the statement that declared them
    group_base.update((k, group_base[id(o)]) for k, o in origins.items() if id(o) in group_base)
    for t, res in zip(tasks, carried):
        t.units = unit_refs(res, t.span.start, to_span, group_base)


def _own_group_units(res: RoleResult) -> RoleResult:
    if not res.group_units:
        return res
    return RoleResult(list(res.units), [replace(u) for u in res.group_units], list(res.rejects), res.has_statement,
                      res.names_lead)


def cell_units(cell_text: str, cell_start: int, role: Role, to_span: ToSpan) -> list[UnitRef]:
    return unit_refs(units_from_cell(cell_text, role.value), cell_start, to_span)


class CellUnits:
    """cell_units for the cells of one document. A task table repeats its unit cells row after
    row (县水务局, 各镇人民政府): each distinct (text, role) is read once per document (a plan's
    table measured 111 unit cells, 42 distinct). The memo lives as long as the document's run."""

    def __init__(self, to_span: ToSpan):
        self.to_span = to_span
        self._read: dict[tuple[str, Role], RoleResult] = {}

    def __call__(self, cell_text: str, cell_start: int, role: Role) -> list[UnitRef]:
        res = self._read.get((cell_text, role))
        if res is None:
            res = self._read[(cell_text, role)] = units_from_cell(cell_text, role.value)
        return unit_refs(res, cell_start, self.to_span)


__all__ = ["assign_task_units", "cell_units", "CellUnits", "unit_refs", "top_level_of", "UnitMention"]
