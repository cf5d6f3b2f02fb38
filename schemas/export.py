"""The JSON export of one document: FORMAT.md's keys with FORMAT.md's meanings.

Gold files (tests/gold/*.json) and `zhengce export --format json` share this shape, so that the
two can be compared field by field by `zhengce eval`.
"""
from pydantic import BaseModel, ConfigDict, Field


class UnitOut(BaseModel):
    name: str
    type: str


class DeadlineOut(BaseModel):
    text: str
    date: str | None
    kind: str
    start: str | None = None


class TaskOut(BaseModel):
    path: list[str]
    title: str
    quote: str = Field(description="first 16 non-whitespace characters after the item number")
    lead: list[UnitOut] = []
    support: list[UnitOut] = []
    deadlines: list[DeadlineOut] = []


class TargetOut(BaseModel):
    task: list[str] | None
    text: str
    indicator: str
    comparator: str
    value: float
    value_max: float | None = None
    unit: str
    year: int | None


class TableRowOut(BaseModel):
    table: str
    row: str
    quote: str
    lead: list[UnitOut] = []
    support: list[UnitOut] = []
    deadline_text: str | None = None


class DocumentExport(BaseModel):
    model_config = ConfigDict(extra="allow")  # gold files carry "notes"

    file: str
    title: str | None
    jurisdiction: str | None
    province: str | None
    admin_level: str | None
    issuer: str | None
    doc_number: str | None
    date: str | None
    status: str | None
    base_year: int | None
    cited_documents: list[str]
    tasks: list[TaskOut] = []
    targets: list[TargetOut] = []
    table_rows: list[TableRowOut] = []
