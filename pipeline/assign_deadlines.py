"""Deadlines of each task (extractors.deadlines over the task's text, shifted to document offsets)."""
from __future__ import annotations

from typing import Callable

from extractors.deadlines import find_deadlines
from schemas.labels import DeadlineKind
from schemas.spans import CharSpan
from schemas.task import Deadline, Task


def assign_deadlines(tasks: list[Task], base_year: int | None, single_year: bool,
                     to_span: Callable[[int, int], CharSpan]) -> None:
    for t in tasks:
        t.deadlines = [
            Deadline(text=d.text, kind=DeadlineKind(d.kind), date=d.date, start=d.start_date,
                     rule_id=d.rule_id, span=to_span(t.span.start + d.start, t.span.start + d.end))
            for d in find_deadlines(t.text, base_year, single_year=single_year)
        ]
