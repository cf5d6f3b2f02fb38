"""Cross-plan questions as SQL views, and the derived keys they group by.

Views (created by `ensure_views`, queried by `zhengce compare …` and by anyone with SQLite):
- v_sections         every section with its own text and its full text (descendants included)
- v_mention_units    every mention with its canonical unit and plan
- v_indicator_targets targets with a normalised indicator key, values in base units, and
                      `strictness` (ascending = strictest first within one key, measure and base unit)
- v_sector_leads     per plan jurisdiction and sector: which unit types lead how many tasks
- v_due              tasks (by deadline year) and targets (by target year) with their units
- v_unit_workload    per canonical unit: tasks and task-table rows led and supported

Two derived tables feed them, computed for each document (`derived_rows`, called by
pipeline/store.py), written in its transaction, and rebuilt whole only when their rule files
change: `target_keys` (indicator key of each target, from extractors/data/rules/indicators.yaml)
and `task_sectors` (sectors of each task, from extractors/data/rules/sectors.yaml). They are tables, not Python functions inside SQL, so that the
views work in any SQLite client (Datasette, the sqlite3 shell).
"""
from __future__ import annotations

import functools

import sqlite_utils

from extractors.ruleset import any_of, load_ruleset
from pipeline.state import data_fingerprint, get_state, set_state


@functools.cache
def _indicator_rules():
    rules = load_ruleset("indicators").rules
    return rules, any_of(rules)


def indicator_key(indicator: str, text: str = "") -> tuple[str, str] | None:
    """(key, better) of a target's indicator (its text as a fallback), or None."""
    rules, any_rule = _indicator_rules()
    for source in (indicator or "", text or ""):
        # One search says whether any of the ~20 rules matches; the rules are then tried in order
        # only where one does (33 searches a target on average before, measured).
        if any_rule is not None and not any_rule.search(source):
            continue
        for rule in rules:
            if rule.search(source):
                return rule.label, (rule.value or {}).get("better", "lower")
    return None


def sectors_of(title: str, headings: list[str], text: str = "") -> list[str]:
    """Sectors of a task: from its title, else its nearest heading that names one, else its text's opening."""
    rules = load_ruleset("sectors").rules
    for source in (title or "", *headings, (text or "")[:60]):
        found = [r.label for r in rules if r.search(source)]
        if found:
            return list(dict.fromkeys(found))
    return []


def ensure_derived_tables(db: sqlite_utils.Database) -> None:
    if not db["target_keys"].exists():
        db["target_keys"].create({"target_id": int, "indicator_key": str, "better": str}, pk="target_id")
        db["target_keys"].create_index(["indicator_key"], if_not_exists=True)
    if not db["task_sectors"].exists():
        db["task_sectors"].create({"task_id": int, "sector": str}, pk=("task_id", "sector"))
        db["task_sectors"].create_index(["sector"], if_not_exists=True)
        # New tables hold the rows of the current rules by construction (filled per document).
        set_state(db, _RULES_KEY, derived_rules_fingerprint())


# The derived tables are functions of each document's own rows and two rule files. They are written
# with the document (derived_rows, insert_derived), inside its transaction; a full refresh is needed only
# when the rule files change, which the fingerprint below detects. Recomputing them for every
# document after every ingest cost 1.8 s of a 20 MB batch (measured).
_RULES_KEY = "derived_rules"
_RULE_FILES = ("rules/indicators.yaml", "rules/sectors.yaml")


def derived_rules_fingerprint() -> str:
    return data_fingerprint(_RULE_FILES)


def _target_key_rows(targets) -> list[tuple[str, str, str]]:
    """(target_id, indicator_key, better) for (target_id, indicator, text) triples with a key."""
    out = []
    for target_id, indicator, text in targets:
        found = indicator_key(indicator, text)
        if found:
            out.append((target_id, found[0], found[1]))
    return out


def _task_sector_rows(tasks, titles: dict, parents: dict) -> list[tuple[str, str]]:
    """(task_id, sector) for (task_id, section_id, title, text) tuples; `titles` maps heading
    sections to their titles and `parents` every section to its parent."""
    out = []
    for task_id, section_id, title, text in tasks:
        headings, sid = [], parents.get(section_id)
        while sid is not None:
            if titles.get(sid):
                headings.append(titles[sid])
            sid = parents.get(sid)
        out += [(task_id, s) for s in sectors_of(title, headings, text)]
    return out


def insert_derived(db, keys: list[tuple], sectors: list[tuple]) -> None:
    """Insert rows made by derived_rows (inside the caller's transaction)."""
    conn = getattr(db, "conn", db)
    conn.executemany("insert into target_keys (target_id, indicator_key, better) values (?, ?, ?)", keys)
    conn.executemany("insert into task_sectors (task_id, sector) values (?, ?)", sectors)


def derived_rows(rows: dict[str, list[dict]]) -> tuple[list[tuple], list[tuple]]:
    """(target_keys rows, task_sectors rows) of one document, from the rows pipeline/rows.py made
    for it. A pure function: under `ingest --jobs` it runs in the worker process."""
    sections = rows.get("sections", [])
    titles = {s["section_id"]: s["title"] for s in sections if s["kind"] == "heading"}
    parents = {s["section_id"]: s["parent_id"] for s in sections}
    keys = _target_key_rows((g["target_id"], g["indicator"], g["text"]) for g in rows.get("targets", []))
    sectors = _task_sector_rows(((t["task_id"], t["section_id"], t["title"], t["text"])
                                 for t in rows.get("tasks", [])), titles, parents)
    return keys, sectors


def delete_document_derived(db: sqlite_utils.Database, doc_id: str) -> None:
    """Remove one document's derived rows; run before its targets and tasks are deleted."""
    db.execute("delete from target_keys where target_id in (select target_id from targets where doc_id = ?)", [doc_id])
    db.execute("delete from task_sectors where task_id in (select task_id from tasks where doc_id = ?)", [doc_id])


def refresh_derived(db: sqlite_utils.Database) -> None:
    """Recompute target_keys and task_sectors for the whole database (inside the caller's transaction)."""
    ensure_derived_tables(db)
    keys = _target_key_rows(db.execute("select target_id, indicator, text from targets").fetchall())
    titles = dict(db.execute("select section_id, title from sections where kind = 'heading'").fetchall())
    parents = dict(db.execute("select section_id, parent_id from sections").fetchall())
    sectors = _task_sector_rows(db.execute("select task_id, section_id, title, text from tasks").fetchall(),
                                titles, parents)
    db.execute("delete from target_keys")
    db.execute("delete from task_sectors")
    insert_derived(db, keys, sectors)
    set_state(db, _RULES_KEY, derived_rules_fingerprint())


def refresh_derived_if_rules_changed(db) -> bool:
    """refresh_derived when the rule files differ from those the stored rows were made with.
    Returns whether it ran."""
    db = getattr(db, "db", db)
    ensure_derived_tables(db)
    if get_state(db, _RULES_KEY) == derived_rules_fingerprint():
        return False
    with db.atomic():
        refresh_derived(db)
    return True


VIEWS: dict[str, str] = {
    "v_sections": """
select s.section_id, s.doc_id, d.file_name, s.section_index, s.parent_id, s.depth, s.kind, s.label,
       s.path_text, s.title, s.text as own_text,
       substr(d.text, s.char_start + 1, s.char_end - s.char_start) as full_text,
       s.char_start, s.char_end, s.orig_start, s.orig_end, s.page, s.block
from sections s
join documents d on d.doc_id = s.doc_id""",
    "v_mention_units": """
select m.mention_id, m.doc_id, d.jurisdiction as plan_jurisdiction, d.file_name, m.task_id, m.task_row_id,
       m.role, m.name as written_name, u.unit_id, u.canonical_name, u.unit_type, u.level, u.is_collective
from mention_units mu
join unit_mentions m on m.mention_id = mu.mention_id
join units u on u.unit_id = mu.unit_id
join documents d on d.doc_id = m.doc_id""",
    "v_indicator_targets": """
select k.indicator_key, d.jurisdiction, d.province, d.admin_level, g.year, g.comparator,
       g.value, g.value_max, g.unit, g.base_value, g.base_value_max, g.base_unit,
       case when g.comparator in ('decrease', 'increase') then 'relative' else 'absolute' end as measure,
       case when g.comparator in ('decrease', 'increase') or k.better = 'higher'
            then -g.base_value else coalesce(g.base_value_max, g.base_value) end as strictness,
       g.indicator, g.text, d.file_name, g.doc_id, g.target_id, g.task_id
from targets g
join target_keys k on k.target_id = g.target_id
join documents d on d.doc_id = g.doc_id""",
    "v_sector_leads": """
select d.jurisdiction, s.sector, u.unit_type, count(distinct t.task_id) as tasks,
       group_concat(distinct u.canonical_name) as units
from task_sectors s
join tasks t on t.task_id = s.task_id
join documents d on d.doc_id = t.doc_id
join unit_mentions m on m.task_id = t.task_id and m.role = 'lead'
join mention_units mu on mu.mention_id = m.mention_id
join units u on u.unit_id = mu.unit_id
group by d.jurisdiction, s.sector, u.unit_type""",
    "v_due": """
select 'task' as item, cast(substr(dl.date, 1, 4) as integer) as year, max(dl.date) as due_date,
       d.jurisdiction, u.unit_id, u.canonical_name, m.role, t.task_id as item_id, t.task_id,
       t.path_text, t.title as text, d.file_name
from deadlines dl
join tasks t on t.task_id = dl.task_id
join documents d on d.doc_id = t.doc_id
left join unit_mentions m on m.task_id = t.task_id
left join mention_units mu on mu.mention_id = m.mention_id
left join units u on u.unit_id = mu.unit_id
where dl.date is not null
group by year, t.task_id, u.unit_id, m.role
union all
select 'target' as item, g.year, null as due_date, d.jurisdiction, u.unit_id, u.canonical_name, m.role,
       g.target_id as item_id, g.task_id, t.path_text, g.text, d.file_name
from targets g
join documents d on d.doc_id = g.doc_id
left join tasks t on t.task_id = g.task_id
left join unit_mentions m on m.task_id = g.task_id
left join mention_units mu on mu.mention_id = m.mention_id
left join units u on u.unit_id = mu.unit_id
where g.year is not null
group by g.year, g.target_id, u.unit_id, m.role""",
    "v_unit_workload": """
select u.unit_id, u.canonical_name, u.unit_type, u.level, u.is_collective, u.jurisdiction,
       count(distinct case when m.role = 'lead' then m.task_id end) as tasks_led,
       count(distinct case when m.role = 'support' then m.task_id end) as tasks_supported,
       count(distinct case when m.role = 'lead' then m.task_row_id end) as rows_led,
       count(distinct case when m.role = 'support' then m.task_row_id end) as rows_supported,
       group_concat(distinct d.jurisdiction) as plans
from units u
join mention_units mu on mu.unit_id = u.unit_id
join unit_mentions m on m.mention_id = mu.mention_id
join documents d on d.doc_id = m.doc_id
group by u.unit_id""",
}


def ensure_views(db) -> None:
    """Create (or re-create, so definitions follow the code) every view and the tables they read."""
    db = getattr(db, "db", db)
    from pipeline.canonical import ensure_unit_tables

    ensure_unit_tables(db)
    ensure_derived_tables(db)
    for name, sql in VIEWS.items():
        db.execute(f"drop view if exists [{name}]")
        db.execute(f"create view [{name}] as {sql}")


# -- the questions `zhengce compare` asks ----------------------------------------------------------
def _rows(db, sql: str, params: list) -> list[dict]:
    cur = db.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def compare_targets(db, indicator: str, year: int | None = None) -> list[dict]:
    """Targets of one indicator across plans, strictest first within each measure and base unit.

    `indicator` is a key (供水管网漏损率) or any wording that normalises to one (城镇公共供水管网漏损率,
    漏损率); wording with no key matches targets whose indicator contains it.
    """
    db = getattr(db, "db", db)
    found = indicator_key(indicator)
    where, params = (["indicator_key = ?"], [found[0]]) if found else (["indicator like ?"], [f"%{indicator}%"])
    if year is not None:
        where.append("year = ?")
        params.append(year)
    return _rows(db, f"""
        select indicator_key, jurisdiction, year, comparator, value, value_max, unit, base_value, base_unit,
               measure, indicator, text, file_name
        from v_indicator_targets where {' and '.join(where)}
        order by indicator_key, measure, base_unit, strictness, year, jurisdiction""", params)


def sector_leads(db, sector: str | None = None) -> list[dict]:
    """Per jurisdiction and sector: unit types that lead its tasks, most tasks first."""
    db = getattr(db, "db", db)
    where, params = ("where sector = ?", [sector]) if sector else ("", [])
    return _rows(db, f"""
        select jurisdiction, sector, unit_type, tasks, units from v_sector_leads {where}
        order by sector, jurisdiction, tasks desc, unit_type""", params)


def due_in(db, year: int, unit: str | None = None) -> list[dict]:
    """Tasks (by deadline year) and targets (by target year) due in `year`, by unit."""
    db = getattr(db, "db", db)
    where, params = ["year = ?"], [year]
    if unit:
        where.append("(canonical_name like ? or unit_id in (select unit_id from unit_aliases where alias = ?))")
        params += [f"%{unit}%", unit]
    return _rows(db, f"""
        select jurisdiction, canonical_name as unit, role, item, year, due_date, path_text, text, file_name
        from v_due where {' and '.join(where)}
        order by jurisdiction, unit is null, unit, role, item, path_text""", params)


def unit_workload(db, jurisdiction: str | None = None, limit: int | None = None) -> list[dict]:
    """Tasks and task-table rows each canonical unit leads and supports, busiest first."""
    db = getattr(db, "db", db)
    where, params = ("where plans like ?", [f"%{jurisdiction}%"]) if jurisdiction else ("", [])
    sql = f"""
        select canonical_name as unit, unit_type, level, is_collective, tasks_led, tasks_supported,
               rows_led, rows_supported, plans
        from v_unit_workload {where}
        order by tasks_led + tasks_supported desc, tasks_led desc, rows_led + rows_supported desc, unit"""
    if limit:
        sql += f" limit {int(limit)}"
    return _rows(db, sql, params)
