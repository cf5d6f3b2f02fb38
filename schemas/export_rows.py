"""Rows of the exports for tracking systems (`zhengce export --format jsonl|csv`), and the JSON
Schemas of every export, generated from the models and committed under schemas/json/.

Task id: "t" + the first 16 hex digits of SHA-1 over "<jurisdiction>\\n<text_hash>", where text_hash
is the SHA-1 of the task text with all whitespace removed (tasks.text_hash). The same task text in
the same jurisdiction keeps its id across re-ingests and re-issued versions of a plan (a 征求意见稿
and its final text); a changed text gets a new id. Should one plan repeat a task text verbatim,
the second and later copies get "-2", "-3" … in document order.

Regenerate the committed schemas with `python -m schemas.export_rows`.
"""
from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from schemas.export import DocumentExport

SCHEMA_DIR = Path(__file__).resolve().parent / "json"


class UnitRefOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: str = Field(description="stable id of the canonical unit (units.unit_id)")
    name: str = Field(description="canonical, jurisdiction-qualified name (甘州区水务局)")
    written: list[str] = Field(description="the names the task writes it under (区水务局)")
    type: str | None = Field(description="FORMAT.md unit type (水利, 发展改革, …, 其他)")
    level: str | None = Field(description="国家 | 省 | 市 | 县 | 乡镇; null when unknown")
    is_collective: bool = Field(description="a collective actor such as 各乡镇人民政府")


class DeadlineRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    kind: str = Field(description="by | range | ongoing")
    date: str | None = Field(description="ISO date, last day of the period; null for ongoing")
    start: str | None = None


class TargetRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    indicator: str
    indicator_key: str | None = Field(description="normalised indicator shared across plans (供水管网漏损率)")
    comparator: str
    value: float
    value_max: float | None = None
    unit: str
    base_value: float | None
    base_unit: str | None
    year: int | None


class TaskExportRow(BaseModel):
    """One task, as a line of tasks.jsonl."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="stable task id (see the module docstring)", pattern=r"^t[0-9a-f]{16}(-\d+)?$")
    doc_id: str = Field(description="SHA-256 of the source file")
    file: str
    plan_title: str | None
    plan_status: str | None = Field(description="征求意见稿 / 讨论稿 …; null for a final text")
    jurisdiction: str | None
    province: str | None
    admin_level: str | None
    path: list[str] = Field(description="numbering labels from the top section down")
    title: str
    quote: str
    text: str
    text_hash: str
    sectors: list[str] = Field(description="sectors from extractors/data/rules/sectors.yaml")
    lead: list[UnitRefOut]
    support: list[UnitRefOut]
    deadlines: list[DeadlineRow]
    due_date: str | None = Field(description="the latest dated deadline, ISO; null when none is dated")
    targets: list[TargetRow]


class TaskCsvRow(BaseModel):
    """One task, as a row of tasks.csv: lists joined with '；' (units, sectors) or ' | ' (deadlines, targets)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^t[0-9a-f]{16}(-\d+)?$")
    file: str
    jurisdiction: str
    plan_title: str
    plan_status: str
    path: str = Field(description="labels joined with ' / '")
    title: str
    quote: str
    text: str
    sectors: str
    lead: str = Field(description="canonical names joined with '；'")
    lead_types: str
    lead_ids: str
    support: str
    support_types: str
    support_ids: str
    deadlines: str = Field(description="'text (kind date)' items joined with ' | '")
    due_date: str
    targets: str = Field(description="'indicator comparator value unit (year)' items joined with ' | '")
    text_hash: str
    doc_id: str


CSV_COLUMNS: tuple[str, ...] = tuple(TaskCsvRow.model_fields)

SCHEMAS: dict[str, type[BaseModel]] = {
    "document.schema.json": DocumentExport,
    "task.schema.json": TaskExportRow,
    "task_csv_row.schema.json": TaskCsvRow,
}


def json_schemas() -> dict[str, dict]:
    out = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://zhengce.invalid/schemas/{name}"
        out[name] = schema
    return out


def schema_text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = folder / name
        path.write_text(schema_text(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_schemas():
        print(p)
