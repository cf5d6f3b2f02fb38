"""Flatten a schemas.document.Document into database rows, one list per table of db_schema."""
from __future__ import annotations

import datetime as dt
import json

from pipeline.row_ids import check_count, id_base
from schemas import SCHEMA_VERSION
from schemas.document import Document
from schemas.spans import CharSpan


_SPAN_FIELDS = ("char_start", "char_end", "orig_start", "orig_end", "page", "block")
_SPAN_KEYS: dict[str, tuple[str, ...]] = {}
_NO_SPAN: dict[str, dict[str, None]] = {}


def span_columns(span: CharSpan | None, prefix: str = "") -> dict[str, int | None]:
    # Called for every row written (~600 per plan): the column names are built once per prefix.
    keys = _SPAN_KEYS.get(prefix)
    if keys is None:
        keys = _SPAN_KEYS[prefix] = tuple(prefix + f for f in _SPAN_FIELDS)
        _NO_SPAN[prefix] = dict.fromkeys(keys)
    if span is None:
        return _NO_SPAN[prefix]
    return dict(zip(keys, (span.start, span.end, span.orig_start, span.orig_end, span.page, span.block)))


def document_rows(doc: Document, doc_key: int, now: dt.datetime | None = None) -> dict[str, list[dict]]:
    """All rows of one document, keyed by table name (parents before children). Row ids are
    `doc_key`'s id range (pipeline/row_ids.py): base + the row's position in its table."""
    m, src, did = doc.meta, doc.source, doc.doc_id
    base = id_base(doc_key)
    now = now or dt.datetime.now(dt.timezone.utc)
    rows: dict[str, list[dict]] = {}
    rows["documents"] = [{
        "doc_id": did, "doc_key": doc_key, "path": src.path, "file_name": src.file_name, "stem": src.stem,
        "media_type": src.media_type, "encoding": src.encoding, "size_bytes": src.size_bytes,
        "ingested_at": now.isoformat(timespec="seconds"), "schema_version": SCHEMA_VERSION,
        "title": m.title, "jurisdiction": m.jurisdiction, "province": m.province,
        "prefecture": m.prefecture, "admin_level": m.admin_level.value if m.admin_level else None,
        "issuer": m.issuer, "doc_number": m.doc_number,
        "date": m.date.isoformat() if m.date else None, "status": m.status, "base_year": m.base_year,
        "meta_spans": json.dumps({k: v.model_dump() for k, v in m.spans.items()}, ensure_ascii=False),
        "problems": json.dumps([p.model_dump() for p in doc.problems], ensure_ascii=False),
        "original_text": doc.original_text, "text": doc.text,
    }]
    own_end = _own_text_ends(doc)
    rows["sections"] = [{
        "section_id": base + s.index, "doc_id": did, "section_index": s.index,
        "parent_id": base + s.parent if s.parent is not None else None,
        "depth": s.depth, "kind": s.kind.value, "label": s.label, "label_style": s.label_style.value,
        "path": json.dumps(s.path, ensure_ascii=False), "path_text": " / ".join(s.path),
        "title": s.title, "text": s.text[:own_end[s.index] - s.span.start],
        "title_char_start": s.title_span.start if s.title_span else None,
        "title_char_end": s.title_span.end if s.title_span else None,
        **span_columns(s.span),
    } for s in doc.sections]
    rows["tables"], rows["table_rows"], rows["table_cells"] = [], [], []
    table_rows, table_cells = rows["table_rows"], rows["table_cells"]
    for t in doc.tables:
        tid = base + t.index
        rows["tables"].append({
            "table_id": tid, "doc_id": did, "section_id": base + t.section,
            "table_index": t.index, "label": t.label, "caption": t.caption,
            "columns": json.dumps(t.columns, ensure_ascii=False), "n_rows": t.n_rows, "n_cols": t.n_cols,
            **span_columns(t.span),
        })
        for r in t.rows:
            table_rows.append({
                "row_id": base + len(table_rows), "table_id": tid, "doc_id": did, "row_index": r.row,
                "label": r.label, "group_label": r.group, "is_header": int(r.is_header),
                **span_columns(r.span),
            })
        for c in t.cells:
            table_cells.append({
                "cell_id": base + len(table_cells), "table_id": tid, "doc_id": did,
                "row_index": c.row, "col_index": c.col,
                "column_name": t.columns[c.col] if c.col < len(t.columns) else None,
                "text": c.text, "is_header": int(c.is_header), **span_columns(c.span),
            })
    rows["tasks"], rows["unit_mentions"], rows["deadlines"] = [], [], []
    mentions, deadlines = rows["unit_mentions"], rows["deadlines"]
    for t in doc.tasks:
        kid = base + t.index
        rows["tasks"].append({
            "task_id": kid, "doc_id": did, "section_id": base + t.section, "task_index": t.index,
            "path": json.dumps(t.path, ensure_ascii=False), "path_text": " / ".join(t.path), "title": t.title,
            "quote": t.quote, "text": t.text, "text_hash": t.text_hash, **span_columns(t.span),
        })
        _add_unit_rows(mentions, base, did, kid, None, t.units)
        deadlines += [{
            "deadline_id": base + len(deadlines) + i, "doc_id": did, "task_id": kid, "position": i,
            "text": d.text, "kind": d.kind.value, "date": d.date, "start_date": d.start, "rule_id": d.rule_id,
            **span_columns(d.span),
        } for i, d in enumerate(t.deadlines)]
    rows["task_rows"] = []
    for r in doc.task_rows:
        rid = base + len(rows["task_rows"])
        rows["task_rows"].append({
            "task_row_id": rid, "doc_id": did, "table_id": base + r.table, "table_label": r.table_label,
            "row_index": r.row, "label": r.label, "quote": r.quote, "task_text": r.task_text,
            "deadline_text": r.deadline_text,
            "task_id": base + r.task_index if r.task_index is not None else None, **span_columns(r.span),
        })
        _add_unit_rows(mentions, base, did, None, rid, r.units)
    rows["targets"] = [{
        "target_id": base + i, "doc_id": did,
        "task_id": base + g.task_index if g.task_index is not None else None,
        "section_id": base + g.section, "position": i, "text": g.text, "indicator": g.indicator,
        "comparator": g.comparator.value, "value": g.value, "value_max": g.value_max, "unit": g.unit,
        "base_value": g.base_value, "base_value_max": g.base_value_max, "base_unit": g.base_unit,
        "year": g.year, "rule_id": g.rule_id, **span_columns(g.span),
    } for i, g in enumerate(doc.targets)]
    rows["citations"] = [{
        "citation_id": base + i, "doc_id": did, "position": i, "title": c.title,
        "doc_number": c.doc_number, **span_columns(c.span),
    } for i, c in enumerate(m.cited_documents)]
    for table, batch in rows.items():
        check_count(table, len(batch))
    return rows


def _own_text_ends(doc: Document) -> dict[int, int]:
    """Where each section's own text ends: at its first subsection, else at its end.

    The database stores each section's own text only. With descendants included every character
    was stored once per level above it (15 MB of section text for 5 MB of plans); the whole
    section is documents.text from char_start to char_end, and the view v_sections gives it.
    """
    ends = {s.index: s.span.end for s in doc.sections}
    for s in doc.sections:
        if s.parent is not None:
            ends[s.parent] = min(ends[s.parent], s.span.start)
    return ends


def _add_unit_rows(mentions: list[dict], base: int, doc_id: str, task_id: int | None,
                   task_row_id: int | None, units) -> None:
    """Append the mention rows of one task or task row; ids continue the document's mentions."""
    first = base + len(mentions)
    mentions += [{
        "mention_id": first + i, "doc_id": doc_id, "task_id": task_id, "task_row_id": task_row_id,
        "position": i, "role": u.role.value, "name": u.name, "unit_type": u.unit_type, "raw": u.raw,
        "rule_id": u.rule_id, "from_group": int(u.from_group), "unit_id": None,  # set by pipeline/canonical.py
        **span_columns(u.span),
    } for i, u in enumerate(units)]
