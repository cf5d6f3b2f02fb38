"""Task exports for tracking systems: tasks.jsonl and tasks.csv, one row per task.

Rows are read from the database (after the canonical pass), shaped by schemas/export_rows.py;
ids are stable across re-ingests (see that module). The CSV is UTF-8 with a BOM, so Excel opens
the Chinese text correctly, and uses CRLF line ends as Excel and csv.writer expect.
"""
from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from pathlib import Path
from typing import Iterator

from pipeline.canonical import ensure_unit_tables
from pipeline.views import ensure_derived_tables
from schemas.export_rows import CSV_COLUMNS, DeadlineRow, TargetRow, TaskCsvRow, TaskExportRow, UnitRefOut


def stable_task_id(jurisdiction: str | None, text_hash: str) -> str:
    return "t" + hashlib.sha1(f"{jurisdiction or ''}\n{text_hash}".encode("utf-8")).hexdigest()[:16]


def _grouped(db, sql: str) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = defaultdict(list)
    for row in db.execute(sql):
        out[row[0]].append(row[1:])
    return out


def task_rows(store) -> Iterator[TaskExportRow]:
    """Every task of every document, in file and task order."""
    db = getattr(store, "db", store)
    ensure_unit_tables(db)
    ensure_derived_tables(db)
    units = _grouped(db, """
        select m.task_id, m.role, u.unit_id, u.canonical_name, m.name, u.unit_type, u.level, u.is_collective
        from unit_mentions m join mention_units mu on mu.mention_id = m.mention_id
        join units u on u.unit_id = mu.unit_id
        where m.task_id is not null order by m.task_id, m.position, mu.position""")
    deadlines = _grouped(db, "select task_id, text, kind, date, start_date from deadlines order by task_id, position")
    targets = _grouped(db, """
        select g.task_id, g.text, g.indicator, k.indicator_key, g.comparator, g.value, g.value_max, g.unit,
               g.base_value, g.base_unit, g.year
        from targets g left join target_keys k on k.target_id = g.target_id
        where g.task_id is not null order by g.task_id, g.position""")
    sectors = _grouped(db, "select task_id, sector from task_sectors order by task_id, rowid")
    seen: dict[str, int] = defaultdict(int)
    for (task_id, doc_id, file, plan_title, status, jurisdiction, province, admin_level,
         path, title, quote, text, text_hash) in db.execute("""
            select t.task_id, d.doc_id, d.file_name, d.title, d.status, d.jurisdiction, d.province, d.admin_level,
                   t.path, t.title, t.quote, t.text, t.text_hash
            from tasks t join documents d on d.doc_id = t.doc_id order by d.file_name, t.task_index"""):
        base = stable_task_id(jurisdiction, text_hash)
        seen[base] += 1
        roles: dict[str, dict[str, UnitRefOut]] = {"lead": {}, "support": {}}
        for role, uid, name, written, utype, level, collective in units.get(task_id, []):
            ref = roles[role].get(uid)
            if ref is None:
                roles[role][uid] = UnitRefOut(unit_id=uid, name=name, written=[written], type=utype, level=level,
                                              is_collective=bool(collective))
            elif written not in ref.written:
                ref.written.append(written)
        dls = [DeadlineRow(text=t, kind=k, date=d, start=s) for t, k, d, s in deadlines.get(task_id, [])]
        dated = [d.date for d in dls if d.date]
        yield TaskExportRow(
            id=base if seen[base] == 1 else f"{base}-{seen[base]}", doc_id=doc_id, file=file,
            plan_title=plan_title, plan_status=status, jurisdiction=jurisdiction, province=province,
            admin_level=admin_level, path=json.loads(path), title=title, quote=quote, text=text,
            text_hash=text_hash, sectors=[s for (s,) in sectors.get(task_id, [])],
            lead=list(roles["lead"].values()), support=list(roles["support"].values()), deadlines=dls,
            due_date=max(dated) if dated else None,
            targets=[TargetRow(text=a, indicator=b, indicator_key=c, comparator=d, value=e, value_max=f, unit=g,
                               base_value=h, base_unit=i, year=j) for a, b, c, d, e, f, g, h, i, j in targets.get(task_id, [])],
        )


def _num(x: float) -> str:
    return f"{x:g}"


def csv_row(row: TaskExportRow) -> TaskCsvRow:
    def names(refs: list[UnitRefOut], attr: str) -> str:
        return "；".join(str(getattr(r, attr) or "") for r in refs)

    def target(t: TargetRow) -> str:
        value = _num(t.value) + (f"-{_num(t.value_max)}" if t.value_max is not None else "")
        return f"{t.indicator} {t.comparator} {value}{t.unit}" + (f" ({t.year})" if t.year else "")

    return TaskCsvRow(
        id=row.id, file=row.file, jurisdiction=row.jurisdiction or "", plan_title=row.plan_title or "",
        plan_status=row.plan_status or "", path=" / ".join(row.path), title=row.title, quote=row.quote,
        text=row.text, sectors="；".join(row.sectors),
        lead=names(row.lead, "name"), lead_types=names(row.lead, "type"), lead_ids=names(row.lead, "unit_id"),
        support=names(row.support, "name"), support_types=names(row.support, "type"),
        support_ids=names(row.support, "unit_id"),
        deadlines=" | ".join(f"{d.text} ({d.kind} {d.date or ''})".replace(" )", ")") for d in row.deadlines),
        due_date=row.due_date or "", targets=" | ".join(target(t) for t in row.targets),
        text_hash=row.text_hash, doc_id=row.doc_id,
    )


def export_tasks(store, out_dir: Path, fmt: str) -> Path:
    """Write OUT/tasks.jsonl or OUT/tasks.csv; returns the path written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        path = out_dir / "tasks.jsonl"
        with path.open("w", encoding="utf-8", newline="\n") as f:
            for row in task_rows(store):
                f.write(json.dumps(row.model_dump(mode="json"), ensure_ascii=False) + "\n")
        return path
    if fmt == "csv":
        path = out_dir / "tasks.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(CSV_COLUMNS))
            writer.writeheader()
            for row in task_rows(store):
                writer.writerow(csv_row(row).model_dump())
        return path
    raise ValueError(f"unknown task export format {fmt!r} (jsonl or csv)")
