"""Exports read from the database (never by re-running the pipeline), shaped by schemas/export.py."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.store import Store
from schemas.export import DocumentExport


def document_export(store: Store, doc_id: str) -> DocumentExport:
    row = store.db.execute(
        "select file_name, title, jurisdiction, province, admin_level, issuer, doc_number, date, status, "
        "base_year from documents where doc_id = ?", [doc_id]).fetchone()
    if row is None:
        raise KeyError(f"no document {doc_id!r} in the database")
    keys = ("file", "title", "jurisdiction", "province", "admin_level", "issuer", "doc_number", "date",
            "status", "base_year")
    record = dict(zip(keys, row))
    record["cited_documents"] = [r[0] for r in store.db.execute(
        "select title from citations where doc_id = ? order by position", [doc_id])]
    record["tasks"] = _tasks(store, doc_id)
    record["targets"] = _targets(store, doc_id)
    record["table_rows"] = _table_rows(store, doc_id)
    return DocumentExport.model_validate(record)


def _units(store: Store, column: str, owner_id: int) -> dict[str, list[dict]]:
    """lead / support lists of one task or row: each name once per role, in order of mention."""
    out: dict[str, list[dict]] = {"lead": [], "support": []}
    for role, name, unit_type in store.db.execute(
            f"select role, name, unit_type from unit_mentions where {column} = ? order by position", [owner_id]):
        if all(u["name"] != name for u in out[role]):
            out[role].append({"name": name, "type": unit_type})
    return out


def _tasks(store: Store, doc_id: str) -> list[dict]:
    tasks = []
    for task_id, path, title, quote in store.db.execute(
            "select task_id, path, title, quote from tasks where doc_id = ? order by task_index", [doc_id]).fetchall():
        deadlines = [{"text": t, "date": d, "kind": k, "start": s} for t, d, k, s in store.db.execute(
            "select text, date, kind, start_date from deadlines where task_id = ? order by position", [task_id])]
        tasks.append({"path": json.loads(path), "title": title, "quote": quote,
                      **_units(store, "task_id", task_id), "deadlines": deadlines})
    return tasks


def _targets(store: Store, doc_id: str) -> list[dict]:
    rows = store.db.execute(
        "select t.path, g.text, g.indicator, g.comparator, g.value, g.value_max, g.unit, g.year "
        "from targets g left join tasks t on t.task_id = g.task_id where g.doc_id = ? order by g.position",
        [doc_id]).fetchall()
    keys = ("task", "text", "indicator", "comparator", "value", "value_max", "unit", "year")
    return [dict(zip(keys, (json.loads(r[0]) if r[0] else None, *r[1:]))) for r in rows]


def _table_rows(store: Store, doc_id: str) -> list[dict]:
    out = []
    for rid, table, label, quote, deadline in store.db.execute(
            "select task_row_id, table_label, label, quote, deadline_text from task_rows "
            "where doc_id = ? order by table_id, row_index", [doc_id]).fetchall():
        out.append({"table": table, "row": label or "", "quote": quote,
                    **_units(store, "task_row_id", rid), "deadline_text": deadline})
    return out


def export_json(store: Store, out_dir: Path) -> list[Path]:
    """Write <out_dir>/<source stem>.json for every document; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc_id, stem in store.db.execute("select doc_id, stem from documents order by file_name").fetchall():
        payload = document_export(store, doc_id).model_dump(mode="json")
        path = out_dir / f"{stem}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
