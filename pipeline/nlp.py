"""The pipeline: an ordered list of registered components turning a RawDocument into a Document."""
from __future__ import annotations

from pipeline.components import REGISTRY, DocState
from pipeline.readers import RawDocument
from schemas.document import Document, Problem

DEFAULT_STAGES: tuple[str, ...] = (
    "clean", "metadata", "sections", "tables", "period", "tasks", "units", "deadlines", "targets", "task_rows",
)


class Pipeline:
    def __init__(self, stages: tuple[str, ...] = DEFAULT_STAGES):
        available = {"raw"}
        for name in stages:
            if name not in REGISTRY:
                raise ValueError(f"unknown component {name!r}; known: {sorted(REGISTRY)}")
            comp = REGISTRY[name]
            missing = set(comp.requires) - available
            if missing:
                raise ValueError(f"component {name!r} requires {sorted(missing)}, which no earlier stage assigns")
            available |= set(comp.assigns)
        self.stages = tuple(REGISTRY[n] for n in stages)

    def run(self, raw: RawDocument) -> DocState:
        state = DocState(raw=raw)
        state.problems.extend(Problem(code=w[1:5], message=w) for w in raw.warnings)
        for comp in self.stages:
            comp.fn(state)
        return state

    def __call__(self, raw: RawDocument) -> Document:
        state = self.run(raw)
        return Document(
            doc_id=raw.source.sha256,
            source=raw.source,
            original_text=raw.text,
            text=state.clean.text,
            meta=state.meta,
            sections=state.sections or [],
            tables=state.tables or [],
            tasks=state.tasks or [],
            targets=state.targets or [],
            task_rows=state.task_rows or [],
            problems=state.problems,
        )
