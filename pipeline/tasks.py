"""Select the tasks of a plan from its section tree.

A task is a numbered item that assigns work, under a task or safeguard section (FORMAT.md "tasks"):
- top-level sections whose title is a goal/principle heading (总体要求, 主要目标 …, rules in
  data/rules/sections.yaml) hold no tasks, nor do the preamble and appendices;
- headings that only group items are not tasks; a section without numbered children is a task,
  unless it is a top-level part of the plan named as such (三、工作要求 over a paragraph);
- an item's numbered sub-items are tasks of their own where they carry their own unit statement,
  and then the item itself is not listed; otherwise the item (sub-items included) is one task;
- a unit statement on lines of its own after the last sub-item, where no other sub-item has one
  (①…；②…；③…。\n（X牵头，Y配合）), names the units of the whole item: the item is the task.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Callable

from extractors.roles import RoleResult, find_unit_roles
from extractors.ruleset import load_ruleset
from extractors.whitespace import no_whitespace
from schemas.document import Section
from schemas.labels import SectionKind
from schemas.spans import CharSpan
from schemas.task import Task

QUOTE_LENGTH = 16


def squash(s: str) -> str:
    """The text without whitespace (regex \\s): task hashes, row links and section titles.
    no_whitespace does it by str.split where that is the same (3x faster on task texts)."""
    return no_whitespace(s)


def is_task_section(section: Section) -> bool:
    """A top-level section that can hold tasks."""
    if section.kind in (SectionKind.PREAMBLE, SectionKind.APPENDIX, SectionKind.DOCUMENT):
        return False
    return not (_title_is(section, "non_task") or is_background(section))


def is_background(section: Section) -> bool:
    """A top-level background chapter (规划基础, 发展现状, 面临形势 …): no tasks, no targets."""
    return _title_is(section, "background")


def _title_is(section: Section, label: str) -> bool:
    title = squash(section.title or "")
    return bool(title) and any(r.search(title) for r in load_ruleset("sections").with_label(label))


def quote_at(orig: str, orig_start: int, orig_end: int | None = None) -> str:
    """The first 16 non-whitespace characters of the source from orig_start (up to orig_end),
    whitespace removed. Quotes come from the source, not the normalised text, because the gold
    quotes the document verbatim (a normalised （设备） would not match a source's (设备))."""
    stop = len(orig) if orig_end is None else orig_end
    # str.split() drops exactly the characters str.isspace() calls whitespace; a window of four
    # quotes' length nearly always holds 16 others, else the whole range is read.
    window = min(stop, orig_start + 4 * QUOTE_LENGTH)
    quote = "".join(orig[orig_start:window].split())[:QUOTE_LENGTH]
    if len(quote) < QUOTE_LENGTH and window < stop:
        quote = "".join(orig[orig_start:stop].split())[:QUOTE_LENGTH]
    return quote


@lru_cache(maxsize=2048)
def unit_roles(text: str) -> RoleResult:
    """find_unit_roles, cached: task selection reads the units of every numbered item, and unit
    assignment then reads those of the items selected, mostly the same texts. Callers must not
    modify the result."""
    return find_unit_roles(text)


def _carries_units(section: Section) -> bool:
    return unit_roles(section.text).has_statement


def _statement_trails(section: Section) -> bool:
    """True if every unit the section names sits after its first line (a statement of its own)."""
    res = unit_roles(section.text)
    body = section.text.lstrip()
    first_line_end = len(section.text) - len(body) + (body.find("\n") if "\n" in body else len(body))
    return bool(res.units) and all(u.start > first_line_end for u in res.units)


def select_task_sections(sections: list[Section]) -> list[Section]:
    children: dict[int, list[Section]] = {}
    for s in sections:
        if s.parent is not None:
            children.setdefault(s.parent, []).append(s)

    def tasks_under(s: Section) -> list[Section]:
        kids = [c for c in children.get(s.index, []) if c.kind in (SectionKind.HEADING, SectionKind.ITEM)]
        if not kids:
            return [s]
        if (len(kids) > 1 and _carries_units(kids[-1]) and _statement_trails(kids[-1])
                and not any(_carries_units(k) for k in kids[:-1])):
            return [s]   # the statement after the last sub-item covers the whole item
        if s.kind == SectionKind.ITEM and not any(_carries_units(k) for k in kids):
            return [s]
        return [t for k in kids for t in tasks_under(k)]

    out: list[Section] = []
    for top in children.get(0, []):
        if is_task_section(top):
            kids = [c for c in children.get(top.index, []) if c.kind in (SectionKind.HEADING, SectionKind.ITEM)]
            if kids:
                out.extend(t for k in kids for t in tasks_under(k))
            elif not _names_a_part(top):
                out.append(top)   # 一、推进农业节水。… : a top-level piece of work without items
    return out


def _names_a_part(section: Section) -> bool:
    """A title that names a part of the plan (工作要求, 保障措施), not a piece of work."""
    title = squash(section.title or "")
    return any(r.search(title) for r in load_ruleset("sections").with_label("part_name"))


def build_tasks(sections: list[Section], orig: str, to_span: Callable[[int, int], CharSpan]) -> list[Task]:
    tasks = []
    for i, s in enumerate(select_task_sections(sections)):
        title_start = s.title_span.orig_start if s.title_span else s.span.orig_start
        tasks.append(Task(
            index=i, section=s.index, path=list(s.path), title=s.title or "",
            quote=quote_at(orig, title_start), text=s.text,
            text_hash=hashlib.sha1(squash(s.text).encode("utf-8")).hexdigest(),
            # given, not defaulted: pydantic deep-copies a mutable default for every instance
            # (the units and deadlines stages replace both lists anyway)
            units=[], deadlines=[], span=s.span,
        ))
    return tasks
