"""Rows of appendix task tables (任务清单, 任务分解表, 任务分工) as task records.

Each data row that has a task text becomes a TaskRow with its units from the table's own lead and
support columns and its 节点/时限 cell, and is linked to the narrative task it restates, where one
restates it (same opening words). Units in the table are taken as the table writes them, even where
they differ from the narrative (DECISIONS.md).
"""
from __future__ import annotations

from typing import Callable

import regex

from pipeline.assign_units import CellUnits
from pipeline.tables import column_roles
from pipeline.tasks import quote_at, squash
from schemas.document import Section, Table, TableCell
from schemas.labels import Role, SectionKind
from schemas.spans import CharSpan
from schemas.task import Task, TaskRow

ToSpan = Callable[[int, int], CharSpan]

# A cell that holds several numbered tasks starts with its first number ("1.全区新增…"): the
# quote starts after it, as for narrative items.
_LEADING_NUMBER = regex.compile(r"^\s*(?:\d{1,2}\s*[.．、]|[（(]\d{1,2}[）)])\s*")
_LINK_PREFIX = 12


def _orig_cell_text(orig: str, cell: TableCell) -> str | None:
    """The cell verbatim from the source, line breaks removed (inner spaces kept)."""
    # every \r and \n deleted, as regex.sub(r"[\r\n]+", "", …) did, by two str.replace
    return orig[cell.span.orig_start:cell.span.orig_end].replace("\r", "").replace("\n", "").strip() or None


def _link(task_text: str, tasks: list[Task], squashed: list[str]) -> int | None:
    key = squash(task_text)[:_LINK_PREFIX]
    if len(key) < 6:
        return None
    for t, s in zip(tasks, squashed):
        if key in s:
            return t.index
    return None


def build_task_rows(tables: list[Table], sections: list[Section], tasks: list[Task], orig: str,
                    to_span: ToSpan) -> list[TaskRow]:
    appendix = {s.index for s in sections if s.kind == SectionKind.APPENDIX}
    parents = {s.index: s.parent for s in sections}

    def in_appendix(idx: int | None) -> bool:
        while idx is not None:
            if idx in appendix:
                return True
            idx = parents.get(idx)
        return False

    squashed = [squash(t.text) for t in tasks]
    cell_units = CellUnits(to_span)
    rows: list[TaskRow] = []
    for table in tables:
        if not in_appendix(table.section):
            continue
        roles = column_roles(table.columns)
        if "task" not in roles:
            continue
        cells = {(c.row, c.col): c for c in table.cells}
        for r in table.rows:
            task_cell = cells.get((r.row, roles["task"]))
            if r.is_header or task_cell is None or task_cell.span is None or not task_cell.text.strip():
                continue
            number = _LEADING_NUMBER.match(task_cell.text)
            start = task_cell.span.start + (number.end() if number else 0)
            quote_start = to_span(start, start + 1).orig_start
            units = []
            for role_name, role in (("lead", Role.LEAD), ("support", Role.SUPPORT)):
                c = cells.get((r.row, roles[role_name])) if role_name in roles else None
                if c is not None and c.span is not None and c.text.strip():
                    units += cell_units(c.text, c.span.start, role)
            dl = cells.get((r.row, roles["deadline"])) if "deadline" in roles else None
            rows.append(TaskRow(
                table=table.index, table_label=table.label or "", row=r.row, label=r.label,
                quote=quote_at(orig, quote_start, task_cell.span.orig_end), task_text=task_cell.text,
                units=units, deadline_text=_orig_cell_text(orig, dl) if dl is not None and dl.span is not None else None,
                task_index=_link(task_cell.text, tasks, squashed), span=r.span,
            ))
    return rows
