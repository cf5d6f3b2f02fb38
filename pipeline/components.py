"""Pipeline components: small stages with declared inputs and outputs, registered by name.

Like spaCy's factories, each component names the DocState fields it `requires` and the ones it
`assigns`; `Pipeline` checks the order at construction, so a stage can never read something no
earlier stage wrote. Components are thin: they call a stage function (clean, extract_metadata,
segment, find_tables) and store its result; they never reach into another stage's internals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from pipeline.readers import RawDocument
from schemas.document import Problem, Section, Table
from schemas.metadata import DocMeta
from schemas.task import Target, Task, TaskRow

# A plan whose period cannot be read from its title (the component must still assign something).
NO_PERIOD = "unknown"


@dataclass
class DocState:
    """What the components of one document's run read and write."""

    raw: RawDocument
    clean: object | None = None          # pipeline.clean.CleanText
    to_span: object | None = None        # pipeline.provenance.SpanMaker: text offsets -> CharSpan
    meta: DocMeta | None = None
    sections: list[Section] | None = None
    tables: list[Table] | None = None
    period: object | None = None         # extractors.plan_period.PlanPeriod, or NO_PERIOD
    tasks: list[Task] | None = None
    units: bool = False                  # tasks carry their units
    deadlines: bool = False              # tasks carry their deadlines
    targets: list[Target] | None = None
    task_rows: list[TaskRow] | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Component:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    fn: Callable[[DocState], None]


REGISTRY: dict[str, Component] = {}


def component(name: str, *, requires: tuple[str, ...], assigns: tuple[str, ...]):
    def deco(fn: Callable[[DocState], None]) -> Callable[[DocState], None]:
        if name in REGISTRY:
            raise ValueError(f"component {name!r} registered twice")
        REGISTRY[name] = Component(name, requires, assigns, fn)
        return fn
    return deco


@component("clean", requires=("raw",), assigns=("clean", "to_span"))
def clean_component(state: DocState) -> None:
    from pipeline.clean import clean
    from pipeline.provenance import SpanMaker

    state.clean = clean(state.raw.text)
    if not state.clean.text.strip():
        from pipeline.errors import Errors, IngestError

        raise IngestError(Errors.E005)
    state.to_span = SpanMaker(state.clean, state.raw.page_starts, state.raw.block_starts)


@component("metadata", requires=("clean", "to_span",), assigns=("meta",))
def metadata_component(state: DocState) -> None:
    from pipeline.metadata import extract_metadata

    state.meta = extract_metadata(state.clean.text, state.to_span)


@component("sections", requires=("clean", "to_span",), assigns=("sections",))
def sections_component(state: DocState) -> None:
    from pipeline.segment import segment

    state.sections = segment(state.clean.text, state.to_span)


@component("tables", requires=("clean", "to_span", "sections"), assigns=("tables",))
def tables_component(state: DocState) -> None:
    from pipeline.tables import find_tables

    state.tables = find_tables(state.clean.text, state.to_span, state.sections)


@component("period", requires=("meta",), assigns=("period",))
def period_component(state: DocState) -> None:
    from extractors.plan_period import plan_period

    state.period = plan_period(state.meta.title, state.meta.base_year) or NO_PERIOD


def single_year(state: DocState) -> bool:
    return state.period is not NO_PERIOD and state.period.single_year


@component("tasks", requires=("clean", "to_span", "sections"), assigns=("tasks",))
def tasks_component(state: DocState) -> None:
    from pipeline.tasks import build_tasks

    state.tasks = build_tasks(state.sections, state.clean.orig, state.to_span)


@component("units", requires=("clean", "to_span", "sections", "tasks"), assigns=("units",))
def units_component(state: DocState) -> None:
    from pipeline.assign_units import assign_task_units

    assign_task_units(state.tasks, state.sections, state.to_span)
    state.units = True


@component("deadlines", requires=("clean", "to_span", "meta", "period", "tasks"), assigns=("deadlines",))
def deadlines_component(state: DocState) -> None:
    from pipeline.assign_deadlines import assign_deadlines

    assign_deadlines(state.tasks, state.meta.base_year, single_year(state), state.to_span)
    state.deadlines = True


@component("targets", requires=("clean", "to_span", "meta", "period", "sections", "tables", "tasks"), assigns=("targets",))
def targets_component(state: DocState) -> None:
    from pipeline.collect_targets import collect_targets

    state.targets = collect_targets(state.clean.text, state.sections, state.tasks, state.tables,
                                    state.meta.base_year, single_year(state), state.to_span)


@component("task_rows", requires=("clean", "to_span", "sections", "tables", "tasks"), assigns=("task_rows",))
def task_rows_component(state: DocState) -> None:
    from pipeline.task_rows import build_task_rows

    state.task_rows = build_task_rows(state.tables, state.sections, state.tasks, state.clean.orig, state.to_span)
