"""What extraction produces: tasks, responsible units, deadlines, numeric targets, task-table rows.

Every record carries the span of the text it came from (schemas.spans.CharSpan).
"""
from pydantic import BaseModel, Field

from schemas.labels import Comparator, DeadlineKind, Role
from schemas.spans import CharSpan


class UnitRef(BaseModel):
    """One mention of a responsible unit with its role."""

    name: str = Field(description="the unit as the text names it, shared level prefix written out, whitespace removed")
    role: Role
    unit_type: str = Field(description="one of FORMAT.md's unit types (水利, 发展改革, …, 其他)")
    raw: str = Field(description="the text the name was read from, verbatim")
    rule_id: str
    from_group: bool = Field(default=False, description="carried from a list stated once for a group (以下均需…落实)")
    span: CharSpan


class Deadline(BaseModel):
    text: str = Field(description="the time expression, whitespace removed")
    kind: DeadlineKind
    date: str | None = Field(description="ISO date, last day of the period; None for ongoing")
    start: str | None = Field(default=None, description="ISO first day, for ranges")
    rule_id: str
    span: CharSpan


class Target(BaseModel):
    task_index: int | None = Field(description="index of the task holding it (Document.tasks); None in goal sections")
    section: int = Field(description="index of the section holding it")
    text: str = Field(description="the shortest verbatim phrase holding the figure")
    indicator: str = Field(description="what is measured, in the document's words")
    comparator: Comparator
    value: float
    value_max: float | None = None
    unit: str = Field(description="as written (％ written %); '' for a pure coefficient")
    base_value: float = Field(description="value in the base unit (m³, 亩, %, count …)")
    base_value_max: float | None = None
    base_unit: str
    year: int | None = Field(description="the year the target is for (own clause, else enclosing time statement, else single-year plan)")
    rule_id: str
    span: CharSpan


class Task(BaseModel):
    index: int = Field(ge=0, description="position among the document's tasks")
    section: int = Field(description="index of the section that is this task")
    path: list[str]
    title: str
    quote: str = Field(description="first 16 non-whitespace characters after the item number, verbatim from the source")
    text: str = Field(description="normalised text of the task, sub-items and unit lines included")
    text_hash: str = Field(description="SHA-1 of the task text with whitespace removed: the same task keeps it across versions")
    units: list[UnitRef] = []
    deadlines: list[Deadline] = []
    span: CharSpan

    def names(self, role: Role) -> list[str]:
        out: list[str] = []
        for u in self.units:
            if u.role == role and u.name not in out:
                out.append(u.name)
        return out


class TaskRow(BaseModel):
    """A row of an appendix task table (任务清单, 任务分解表, 任务分工) that has a task text."""

    table: int = Field(description="index of the table (Document.tables)")
    table_label: str = Field(description="附件, 附件2 …")
    row: int = Field(description="row index in the table")
    label: str | None = Field(description="the row label (序号, （一）-2, 1.2)")
    quote: str
    task_text: str
    units: list[UnitRef] = []
    deadline_text: str | None = Field(description="the 节点/时限 cell verbatim, line breaks removed; None without such a column")
    task_index: int | None = Field(default=None, description="the narrative task the row restates, if one is found")
    span: CharSpan
