"""`zhengce report`: one plan as a self-contained HTML page for checking extractions by eye.

The page shows the plan's normalised text (documents.text, which every span points into) with each
extracted item highlighted where it was read: tasks, appendix task rows, units by role, deadlines,
targets and cited documents, each with its normalised value on hover. A side list of tasks (with
their units, deadlines and targets) scrolls the text to an item's span on click. An item is placed
only when its span lies inside the text and the text there holds the item's verbatim source
(whitespace aside); every other item is listed under "not placed" with the reason, never dropped.

Overlapping spans (a deadline inside a target phrase, one phrase holding four targets) are rendered
by splitting elements where they cross, so the HTML stays well nested; all fragments of an item
share its `data-i` and are highlighted together. No network: CSS, script and data are inline.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

from pipeline.row_ids import position_of
from schemas import SCHEMA_VERSION

TEMPLATE = Path(__file__).parent / "templates" / "report.html"

KIND_LABELS = {  # kind -> (Chinese, English) shown in the legend and hover
    "task": ("任务", "task"), "taskrow": ("附表任务", "table task row"), "lead": ("牵头", "lead unit"),
    "support": ("配合", "support unit"), "deadline": ("时限", "deadline"), "target": ("目标", "target"),
    "citation": ("引用", "cited document"),
}
# Outer before inner when two items start at the same place and end at the same place.
NESTING = {"task": 0, "taskrow": 0, "target": 1, "citation": 2, "deadline": 3, "lead": 4, "support": 4}
COMPARATORS = {"<=": "≤", ">=": "≥", "=": "=", "decrease": "下降", "increase": "提高", "range": "范围"}
_WS = re.compile(r"\s+")


class ReportError(Exception):
    pass


@dataclass
class Item:
    id: str                  # a letter for the table and the row's position in the document (k3, u12, g5)
    kind: str
    start: int | None
    end: int | None
    source: str              # verbatim text the item was read from; must occur inside its span
    tip: str                 # normalised value, shown on hover
    label: str               # short text for the side list
    owner: str | None = None  # the task (or table row) the item belongs to
    problem: str | None = None  # why it could not be placed
    children: list["Item"] = field(default_factory=list)


def _conn(db: Any) -> sqlite3.Connection:
    return getattr(db, "conn", db)


def _rows(db: Any, sql: str, params: list[Any]) -> list[sqlite3.Row]:
    # A cursor of our own with named rows: the caller's connection (a Store's, Datasette's) keeps
    # its row factory.
    cur = _conn(db).cursor()
    cur.row_factory = sqlite3.Row
    return cur.execute(sql, params).fetchall()


def resolve_document(db: Any, key: str) -> str:
    """doc_id for a file stem or name, a doc_id prefix, or the start of a file name (003 for
    003_….txt), tried in that order; ReportError if none or several match."""
    hexkey = key.lower() if re.fullmatch(r"[0-9a-fA-F]{4,64}", key) else None
    for sql, params in (
        ("select doc_id, file_name from documents where stem = ? or file_name = ?", [key, key]),
        ("select doc_id, file_name from documents where substr(doc_id, 1, ?) = ?", [len(key), hexkey]),
        ("select doc_id, file_name from documents where substr(file_name, 1, ?) = ?", [len(key), key]),
    ):
        rows = _rows(db, sql, params)
        if len(rows) == 1:
            return rows[0]["doc_id"]
        if len(rows) > 1:
            raise ReportError(f"{key!r} matches {len(rows)} documents: " + ", ".join(r["file_name"] for r in rows))
    raise ReportError(f"no document matches {key!r} (give a file stem or name, or a doc_id prefix)")


# -- loading ---------------------------------------------------------------------------------------
def _num(v: float | None) -> str:
    if v is None:
        return ""
    if float(v).is_integer():
        return f"{int(v):,}" if abs(v) >= 10_000 else str(int(v))
    return f"{v:.6f}".rstrip("0").rstrip(".")


def load_items(db: Any, doc_id: str) -> tuple[sqlite3.Row, list[Item]]:
    """The document row and every extracted item, tasks carrying their own items as children."""
    found = _rows(db, "select * from documents where doc_id = ?", [doc_id])
    if not found:
        raise ReportError(f"no document {doc_id}")
    doc = found[0]

    def short(letter: str, row_id: int | None) -> str | None:
        return f"{letter}{position_of(row_id)}" if row_id is not None else None

    def rows(sql: str) -> list[sqlite3.Row]:
        return _rows(db, sql, [doc_id])

    items: list[Item] = []
    for r in rows("select * from tasks where doc_id = ? order by task_index"):
        items.append(Item(short("k", r["task_id"]), "task", r["char_start"], r["char_end"], r["text"],
                          f"{r['path_text']} · {r['title']}", r["title"] or r["quote"] or ""))
    for r in rows("select * from task_rows where doc_id = ? order by table_id, row_index"):
        linked = f" · restates task {short('k', r['task_id'])}" if r["task_id"] is not None else ""
        items.append(Item(short("q", r["task_row_id"]), "taskrow", r["char_start"], r["char_end"], r["task_text"],
                          f"{r['table_label'] or ''} {r['label'] or ''}{linked}"
                          + (f" · 时限 {r['deadline_text']}" if r["deadline_text"] else ""),
                          f"{r['label'] or ''} {r['quote'] or ''}".strip()))
    for r in rows("select * from unit_mentions where doc_id = ? order by mention_id"):
        group = " · from the list stated for the group" if r["from_group"] else ""
        items.append(Item(short("u", r["mention_id"]), r["role"], r["char_start"], r["char_end"], r["raw"],
                          f"{r['name']} · {r['unit_type'] or '?'}{group} · rule {r['rule_id']}", r["name"],
                          owner=short("k", r["task_id"]) or short("q", r["task_row_id"])))
    for r in rows("select * from deadlines where doc_id = ? order by task_id, position"):
        when = {"range": f"{r['start_date']} … {r['date']}", "ongoing": "ongoing"}.get(r["kind"], r["date"])
        items.append(Item(short("d", r["deadline_id"]), "deadline", r["char_start"], r["char_end"], r["text"],
                          f"{r['kind']} {when} · rule {r['rule_id']}",
                          r["date"] if r["kind"] != "ongoing" else r["text"], owner=short("k", r["task_id"])))
    for r in rows("select * from targets where doc_id = ? order by position"):
        value = _num(r["base_value"]) + (f"–{_num(r['base_value_max'])}" if r["base_value_max"] is not None else "")
        written = _num(r["value"]) + (f"–{_num(r['value_max'])}" if r["value_max"] is not None else "")
        cmp_ = COMPARATORS.get(r["comparator"], r["comparator"])
        year = f" · {r['year']}" if r["year"] else ""
        items.append(Item(short("g", r["target_id"]), "target", r["char_start"], r["char_end"], r["text"],
                          f"{r['indicator']} {cmp_} {value} {r['base_unit'] or ''}{year} "
                          f"(written {written}{r['unit'] or ''}) · rule {r['rule_id']}",
                          f"{r['indicator']} {cmp_} {written}{r['unit'] or ''}", owner=short("k", r["task_id"])))
    for r in rows("select * from citations where doc_id = ? order by position"):
        items.append(Item(short("c", r["citation_id"]), "citation", r["char_start"], r["char_end"], r["title"],
                          f"《{r['title']}》" + (f" {r['doc_number']}" if r["doc_number"] else ""), r["title"]))
    text = doc["text"] or ""
    for it in items:
        it.problem = _placement_problem(text, it)
    return doc, items


def _placement_problem(text: str, it: Item) -> str | None:
    if it.start is None or it.end is None:
        return "no span recorded"
    if not 0 <= it.start < it.end <= len(text):
        return f"span {it.start}–{it.end} lies outside the text ({len(text)} characters)"
    if it.source and _WS.sub("", it.source) not in _WS.sub("", text[it.start:it.end]):
        return f"the text at {it.start}–{it.end} is 「{text[it.start:it.end][:40]}」, not 「{it.source[:40]}」"
    return None


# -- rendering -------------------------------------------------------------------------------------
def highlight(text: str, items: list[Item]) -> str:
    """`text` as escaped HTML with one <span data-i> per placed item, split where items cross."""
    placed = sorted((it for it in items if it.problem is None),
                    key=lambda it: (it.start, -it.end, NESTING[it.kind], it.id))
    starts: dict[int, list[Item]] = {}
    for it in placed:
        starts.setdefault(it.start, []).append(it)
    bounds = sorted({p for it in placed for p in (it.start, it.end)})
    out: list[str] = []
    stack: list[Item] = []
    seen: set[str] = set()

    def open_(it: Item) -> None:
        anchor = f' id="i-{it.id}"' if it.id not in seen else ""
        seen.add(it.id)
        cls = "task" if it.kind in ("task", "taskrow") else "m"
        out.append(f'<span{anchor} class="{cls} {it.kind}" data-i="{it.id}">')
        stack.append(it)

    pos = 0
    for p in bounds:
        out.append(html.escape(text[pos:p], quote=False))
        pos = p
        ending = {id(it) for it in stack if it.end == p}
        reopen: list[Item] = []
        while ending:
            it = stack.pop()
            out.append("</span>")
            if id(it) in ending:
                ending.discard(id(it))
            else:
                reopen.append(it)
        for it in reversed(reopen):
            open_(it)
        for it in starts.get(p, ()):
            open_(it)
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _chip(it: Item) -> str:
    flag = f' unplaced" title="{html.escape(it.problem)}' if it.problem else ""  # closes class, adds title
    return (f'<span class="chip {it.kind}{flag}" data-go="{it.id}">'
            f'{"⚠ " if it.problem else ""}{html.escape(it.label or it.source or it.id)}</span>')


def side_list(items: list[Item]) -> str:
    by_owner: dict[str | None, list[Item]] = {}
    for it in items:
        if it.kind not in ("task", "taskrow", "citation"):
            by_owner.setdefault(it.owner, []).append(it)
    order = {"lead": 0, "support": 1, "deadline": 2, "target": 3}

    def entry(it: Item) -> str:
        kids = sorted(by_owner.get(it.id, []), key=lambda c: (order[c.kind], c.start or 0))
        warn = f'<div class="warn">⚠ {html.escape(it.problem)}</div>' if it.problem else ""
        head = html.escape(it.tip.split(" · ")[0]) if it.kind == "task" else html.escape(it.id)
        return (f'<li class="entry e-{it.kind}{" unplaced" if it.problem else ""}" data-go="{it.id}">'
                f'<div class="path">{head}</div><div class="ttl">{html.escape(it.label)}</div>{warn}'
                + (f'<div class="chips">{"".join(_chip(c) for c in kids)}</div>' if kids else "") + "</li>")

    groups = [
        ("任务 Tasks", [it for it in items if it.kind == "task"]),
        ("附表任务 Appendix task rows", [it for it in items if it.kind == "taskrow"]),
    ]
    parts = []
    for title, members in groups:
        if members:
            parts.append(f'<h2>{title} <small>{len(members)}</small></h2><ol class="entries">'
                         + "".join(entry(it) for it in members) + "</ol>")
    loose = sorted(by_owner.get(None, []), key=lambda c: c.start or 0)
    if loose:
        parts.append(f'<h2>不属于任务的目标 Targets outside tasks <small>{len(loose)}</small></h2>'
                     f'<div class="chips loose">{"".join(_chip(c) for c in loose)}</div>')
    cites = [it for it in items if it.kind == "citation"]
    if cites:
        parts.append(f'<h2>引用文件 Cited documents <small>{len(cites)}</small></h2>'
                     f'<div class="chips loose">{"".join(_chip(c) for c in cites)}</div>')
    unplaced = [it for it in items if it.problem]
    parts.insert(0, f'<h2 class="{"bad" if unplaced else "good"}">未能定位 Not placed <small>{len(unplaced)}</small></h2>'
                 + ('<ul class="unplaced-list">' + "".join(
                     f'<li><b>{KIND_LABELS[it.kind][1]} {html.escape(it.id)}</b> '
                     f'{html.escape(it.label or it.source or "")} — {html.escape(it.problem or "")}</li>'
                     for it in unplaced) + "</ul>" if unplaced else
                    '<p class="muted">Every item was found in the text at its recorded span.</p>'))
    return "\n".join(parts)


def render_report(db: Any, doc_id: str) -> str:
    """The complete HTML page for one document (doc_id as stored)."""
    doc, items = load_items(db, doc_id)
    counts = {k: sum(1 for it in items if it.kind == k) for k in KIND_LABELS}
    legend = "".join(
        f'<label class="key {k}"><input type="checkbox" checked data-kind="{k}"> '
        f'<span class="swatch {k}"></span>{zh} {en} <small>{counts[k]}</small></label>'
        for k, (zh, en) in KIND_LABELS.items())
    meta = " · ".join(html.escape(str(doc[k])) for k in
                      ("jurisdiction", "province", "issuer", "doc_number", "date", "status") if doc[k])
    problems = json.loads(doc["problems"] or "[]")
    payload = {it.id: {"k": it.kind, "t": it.tip, "o": it.owner} for it in items}
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=html.escape(doc["title"] or doc["file_name"]),
        meta=meta or "—",
        file=html.escape(f"{doc['file_name']} · {doc_id[:12]}"),
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        schema_version=SCHEMA_VERSION,
        n_unplaced=sum(1 for it in items if it.problem),
        n_problems=len(problems),
        problems=html.escape(json.dumps(problems, ensure_ascii=False, indent=1)),
        legend=legend,
        side=side_list(items),
        body=highlight(doc["text"] or "", items),
        items_json=json.dumps(payload, ensure_ascii=False).replace("</", "<\\/"),
    )


def write_report(db: Any, key: str, out: Path | None = None) -> Path:
    """Resolve `key` to a document, render it and write the page; returns the path written."""
    doc_id = resolve_document(db, key)
    page = render_report(db, doc_id)
    if out is None:
        stem = _conn(db).execute("select stem from documents where doc_id = ?", [doc_id]).fetchone()[0]
        out = Path("output/reports") / f"{stem}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
