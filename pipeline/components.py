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


@dataclass
class DocState:
    """What the components of one document's run read and write."""

    raw: RawDocument
    clean: object | None = None          # pipeline.clean.CleanText
    meta: DocMeta | None = None
    sections: list[Section] | None = None
    tables: list[Table] | None = None
    problems: list[Problem] = field(default_factory=list)

    def provided(self) -> set[str]:
        return {name for name in ("raw", "clean", "meta", "sections", "tables") if getattr(self, name) is not None}


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


@component("clean", requires=("raw",), assigns=("clean",))
def clean_component(state: DocState) -> None:
    from pipeline.clean import clean

    state.clean = clean(state.raw.text)


@component("metadata", requires=("clean",), assigns=("meta",))
def metadata_component(state: DocState) -> None:
    from pipeline.metadata import extract_metadata

    state.meta = extract_metadata(state.clean.text, state.clean.span)


@component("sections", requires=("clean",), assigns=("sections",))
def sections_component(state: DocState) -> None:
    from pipeline.segment import segment

    state.sections = segment(state.clean.text, state.clean.span)


@component("tables", requires=("clean", "sections"), assigns=("tables",))
def tables_component(state: DocState) -> None:
    from pipeline.tables import find_tables

    state.tables = find_tables(state.clean.text, state.clean.span, state.sections)
