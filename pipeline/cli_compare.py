"""`zhengce compare …` and `zhengce diff`: cross-plan questions over the database, as readable tables,
CSV or JSON. Each command is a thin call into pipeline/views.py or pipeline/diff.py.
"""
from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli import DEFAULT_DB, DbOption, app
from pipeline.store import Store


class OutFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOption = Annotated[OutFormat, typer.Option("--format", help="table (readable), csv or json.")]

compare_app = typer.Typer(
    help="Cross-plan questions: targets of one indicator, lead unit types per sector, what is due in a year, "
         "workload per unit. Units are canonical (see `zhengce ingest --corrections`).",
    no_args_is_help=True,
)
app.add_typer(compare_app, name="compare")


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def render(rows: list[dict], fmt: OutFormat, max_cell: int = 40) -> str:
    """rows as an aligned text table (CJK characters count double), CSV or JSON."""
    if fmt == OutFormat.json:
        return json.dumps(rows, ensure_ascii=False, indent=1)
    if fmt == OutFormat.csv:
        buf = io.StringIO()
        if rows:
            w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows({k: _cell(v) for k, v in r.items()} for r in rows)
        return buf.getvalue().rstrip("\n")
    if not rows:
        return "(no rows)"
    cols = list(rows[0])

    def clip(s: str) -> str:
        if _width(s) <= max_cell:
            return s
        out = ""
        for ch in s:
            if _width(out + ch) > max_cell - 1:
                break
            out += ch
        return out + "…"

    cells = [[clip(_cell(r[c])) for c in cols] for r in rows]
    widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(cols)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(cols), line(["-" * w for w in widths])] + [line(r) for r in cells]
    return "\n".join(out) + f"\n({len(rows)} rows)"


def _open(db: Path) -> Store:
    if not db.exists():
        typer.echo(f"no database at {db}; run `zhengce ingest` first", err=True)
        raise typer.Exit(code=2)
    from pipeline.views import ensure_views

    store = Store.open(db)
    ensure_views(store.db)
    return store


def _run(db: Path, fmt: OutFormat, query, *args) -> None:
    store = _open(db)
    try:
        rows = query(store.db, *args)
    finally:
        store.close()
    typer.echo(render(rows, fmt))


@compare_app.command("targets")
def compare_targets_cmd(
    indicator: Annotated[str, typer.Argument(help="An indicator key (供水管网漏损率) or wording (漏损率, 用水总量).")],
    db: DbOption = DEFAULT_DB,
    year: Annotated[int | None, typer.Option("--year", help="Only targets for this year.")] = None,
    format: FormatOption = OutFormat.table,
) -> None:
    """Targets of one indicator across jurisdictions and years, base units, strictest first."""
    from pipeline.views import compare_targets

    _run(db, format, compare_targets, indicator, year)


@compare_app.command("leads")
def compare_leads_cmd(
    sector: Annotated[str | None, typer.Argument(help="A sector of extractors/data/rules/sectors.yaml (工业, 农业 …); all if omitted.")] = None,
    db: DbOption = DEFAULT_DB,
    format: FormatOption = OutFormat.table,
) -> None:
    """Which unit types lead the tasks of a sector in each plan's jurisdiction."""
    from pipeline.views import sector_leads

    _run(db, format, sector_leads, sector)


@compare_app.command("due")
def compare_due_cmd(
    year: Annotated[int, typer.Argument(help="The year tasks and targets are due.")],
    db: DbOption = DEFAULT_DB,
    unit: Annotated[str | None, typer.Option("--unit", help="Only this unit (part of its canonical name, or an alias).")] = None,
    format: FormatOption = OutFormat.table,
) -> None:
    """Tasks (by deadline) and targets (by target year) due in YEAR, by unit."""
    from pipeline.views import due_in

    _run(db, format, due_in, year, unit)


@compare_app.command("workload")
def compare_workload_cmd(
    db: DbOption = DEFAULT_DB,
    jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", help="Only units named in this jurisdiction's plans.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Show the busiest N units only.")] = None,
    format: FormatOption = OutFormat.table,
) -> None:
    """Workload per canonical unit: tasks and task-table rows led and supported."""
    from pipeline.views import unit_workload

    _run(db, format, unit_workload, jurisdiction, limit)


@app.command("diff")
def diff_cmd(
    doc_a: Annotated[str, typer.Argument(help="The earlier version: file name, stem, path or doc_id (prefix).")],
    doc_b: Annotated[str, typer.Argument(help="The later version, named the same ways.")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[OutFormat, typer.Option("--format", help="table (readable) or json.")] = OutFormat.table,
) -> None:
    """Tasks added, removed and changed between two versions of a plan, with changed units, deadlines, targets."""
    from pipeline.diff import diff_documents, find_document

    store = _open(db)
    try:
        try:
            a, b = find_document(store.db, doc_a), find_document(store.db, doc_b)
        except LookupError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(code=2)
        result = diff_documents(store.db, a, b)
    finally:
        store.close()
    if format == OutFormat.json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return
    rows = [{"change": "added", "path": " / ".join(t.path), "title": t.title, "details": ""} for t in result.added]
    rows += [{"change": "removed", "path": " / ".join(t.path), "title": t.title, "details": ""} for t in result.removed]
    for c in result.changed:
        parts = []
        for name, delta in c.changes.items():
            if name == "text":
                parts.append("text")
            elif name == "path":
                parts.append(f"path {' / '.join(delta['a'])} → {' / '.join(delta['b'])}")
            else:
                parts.append(f"{name}: " + " ".join([f"-{x}" for x in delta["removed"]] + [f"+{x}" for x in delta["added"]]))
        rows.append({"change": "changed", "path": " / ".join(c.b.path), "title": c.b.title, "details": "; ".join(parts)})
    if format == OutFormat.csv:
        typer.echo(render(rows, format))
        return
    typer.echo(f"{len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed, "
               f"{result.unchanged} unchanged")
    if rows:
        typer.echo(render(rows, format, max_cell=80 if sys.stdout.isatty() else 400))
