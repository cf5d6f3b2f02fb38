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
    return DocumentExport.model_validate(record)


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
