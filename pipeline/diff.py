"""Compare two versions of one plan (a 征求意见稿 and its final text, two years' 工作要点).

Tasks are paired first by identical text (tasks.text_hash), then, among the rest, by similarity of
title (0.6) and opening text (0.4) (difflib), a same numbering path adding 0.1; pairs below the
threshold are not paired. Paired tasks are reported as changed when their text, canonical units,
deadlines or targets differ; the rest are added (only in B) or removed (only in A).
"""
from __future__ import annotations

import difflib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.canonical import ensure_unit_tables
from pipeline.views import ensure_derived_tables

THRESHOLD = 0.6


@dataclass
class TaskSnapshot:
    task_id: int
    path: list[str]
    title: str
    text: str
    text_hash: str
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)

    def brief(self) -> dict:
        return {"path": self.path, "title": self.title, "lead": self.lead, "support": self.support,
                "deadlines": self.deadlines, "targets": self.targets}


@dataclass
class TaskChange:
    a: TaskSnapshot
    b: TaskSnapshot
    similarity: float
    changes: dict[str, dict[str, list[str]]]   # field → {"removed": […], "added": […]}; "text" → {"a", "b"}


@dataclass
class PlanDiff:
    doc_a: str
    doc_b: str
    added: list[TaskSnapshot]
    removed: list[TaskSnapshot]
    changed: list[TaskChange]
    unchanged: int

    def to_json(self) -> dict:
        return {
            "doc_a": self.doc_a, "doc_b": self.doc_b, "unchanged": self.unchanged,
            "added": [t.brief() for t in self.added],
            "removed": [t.brief() for t in self.removed],
            "changed": [{"a": c.a.brief(), "b": c.b.brief(), "similarity": round(c.similarity, 3),
                         "changes": c.changes} for c in self.changed],
        }


def find_document(db, ref: str) -> str:
    """doc_id of a document named by doc_id (or a prefix of ≥ 6 characters), file name, stem or path."""
    db = getattr(db, "db", db)
    rows = db.execute(
        "select doc_id from documents where doc_id = ? or file_name = ? or stem = ? or path = ? "
        "or (length(?) >= 6 and doc_id like ? || '%')", [ref, ref, ref, ref, ref, ref]).fetchall()
    if len(rows) != 1:
        raise LookupError(f"{ref!r} names {'no' if not rows else len(rows)} documents")
    return rows[0][0]


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def load_tasks(db, doc_id: str) -> list[TaskSnapshot]:
    db = getattr(db, "db", db)
    ensure_unit_tables(db)
    ensure_derived_tables(db)
    tasks = {r[0]: TaskSnapshot(r[0], json.loads(r[1]), r[2], r[3], r[4]) for r in db.execute(
        "select task_id, path, title, text, text_hash from tasks where doc_id = ? order by task_index", [doc_id])}
    for task_id, role, name in db.execute("""
            select m.task_id, m.role, coalesce(u.canonical_name, m.name)
            from unit_mentions m left join mention_units mu on mu.mention_id = m.mention_id
            left join units u on u.unit_id = mu.unit_id
            where m.doc_id = ? and m.task_id is not null order by m.position, mu.position""", [doc_id]):
        names = getattr(tasks[task_id], role)
        if name not in names:
            names.append(name)
    for task_id, kind, date in db.execute(
            "select task_id, kind, date from deadlines where doc_id = ? order by position", [doc_id]):
        item = f"{kind} {date or ''}".strip()
        if item not in tasks[task_id].deadlines:
            tasks[task_id].deadlines.append(item)
    for task_id, key, indicator, comp, value, vmax, unit, year in db.execute("""
            select g.task_id, k.indicator_key, g.indicator, g.comparator, g.base_value, g.base_value_max,
                   g.base_unit, g.year
            from targets g left join target_keys k on k.target_id = g.target_id
            where g.doc_id = ? and g.task_id is not null order by g.position""", [doc_id]):
        value_text = _num(value) + (f"-{_num(vmax)}" if vmax is not None else "")
        tasks[task_id].targets.append(f"{key or indicator} {comp} {value_text}{unit or ''}" + (f" ({year})" if year else ""))
    return list(tasks.values())


def _similarity(a: TaskSnapshot, b: TaskSnapshot) -> float:
    # The title weighs most: two items of one plan share boilerplate (年底前完成…, 责任单位：…), so
    # bodies alone pair unrelated tasks; a retitled task with the same body still passes.
    title = difflib.SequenceMatcher(None, a.title, b.title, autojunk=False).ratio()
    body = difflib.SequenceMatcher(None, a.text[:200], b.text[:200], autojunk=False).ratio()
    return 0.6 * title + 0.4 * body + (0.1 if a.path == b.path else 0.0)


def _list_change(old: list[str], new: list[str]) -> dict[str, list[str]] | None:
    removed = [x for x in old if x not in new]
    added = [x for x in new if x not in old]
    return {"removed": removed, "added": added} if removed or added else None


def diff_documents(db, doc_a: str, doc_b: str, threshold: float = THRESHOLD) -> PlanDiff:
    a_tasks, b_tasks = load_tasks(db, doc_a), load_tasks(db, doc_b)
    pairs: list[tuple[TaskSnapshot, TaskSnapshot, float]] = []
    by_hash: dict[str, list[TaskSnapshot]] = defaultdict(list)
    for t in b_tasks:
        by_hash[t.text_hash].append(t)
    rest_a = []
    for t in a_tasks:
        if by_hash.get(t.text_hash):
            pairs.append((t, by_hash[t.text_hash].pop(0), 1.0))
        else:
            rest_a.append(t)
    paired_b = {id(b) for _, b, _ in pairs}
    rest_b = [t for t in b_tasks if id(t) not in paired_b]
    # Greedy on the best-scoring pairs; quick_ratio is an upper bound that skips hopeless pairs.
    scored = []
    for a in rest_a:
        for b in rest_b:
            bound = (0.6 * difflib.SequenceMatcher(None, a.title, b.title).quick_ratio()
                     + 0.4 * difflib.SequenceMatcher(None, a.text[:200], b.text[:200]).quick_ratio() + 0.1)
            if bound >= threshold:
                score = _similarity(a, b)
                if score >= threshold:
                    scored.append((score, a, b))
    used_a, used_b = set(), set()
    for score, a, b in sorted(scored, key=lambda x: -x[0]):
        if id(a) in used_a or id(b) in used_b:
            continue
        used_a.add(id(a))
        used_b.add(id(b))
        pairs.append((a, b, min(score, 1.0)))
    changed, unchanged = [], 0
    for a, b, score in sorted(pairs, key=lambda p: b_tasks.index(p[1])):
        changes: dict[str, dict] = {}
        if a.text_hash != b.text_hash:
            changes["text"] = {"a": a.text, "b": b.text}
        if a.path != b.path:
            changes["path"] = {"a": a.path, "b": b.path}
        for name in ("lead", "support", "deadlines", "targets"):
            delta = _list_change(getattr(a, name), getattr(b, name))
            if delta:
                changes[name] = delta
        if changes:
            changed.append(TaskChange(a, b, score, changes))
        else:
            unchanged += 1
    return PlanDiff(doc_a, doc_b, added=[t for t in b_tasks if id(t) not in paired_b and id(t) not in used_b],
                    removed=[t for t in rest_a if id(t) not in used_a], changed=changed, unchanged=unchanged)
