-- Canned queries for `zhengce serve`, one per `-- name:` block, in the order they are listed.
-- `-- title:` and `-- description:` lines become Datasette's readable title and description;
-- every :named parameter becomes a form field. An empty optional parameter ('') means "all".

-- name: corpus_overview
-- title: Corpus overview: tasks per plan and where extraction is thin
-- description: One row per plan: its tasks and the share of them with a lead unit, a deadline and a target, with the plan's goal-section targets and appendix task rows. Low shares point at plans whose phrasing the extractors do not yet read. Open review_report to check each value against the text.
select d.province, d.jurisdiction, d.title, d.doc_id, d.file_name,
  count(t.task_id) as tasks,
  round(100.0 * avg(case when t.task_id is not null then exists(
    select 1 from unit_mentions u where u.task_id = t.task_id and u.role = 'lead') end), 1) as pct_with_lead_unit,
  round(100.0 * avg(case when t.task_id is not null then exists(
    select 1 from deadlines x where x.task_id = t.task_id) end), 1) as pct_with_deadline,
  round(100.0 * avg(case when t.task_id is not null then exists(
    select 1 from targets g where g.task_id = t.task_id) end), 1) as pct_with_target,
  (select count(*) from targets g where g.doc_id = d.doc_id) as targets,
  (select count(*) from task_rows r where r.doc_id = d.doc_id) as appendix_task_rows,
  '/-/zhengce/report/' || d.doc_id as review_report
from documents d left join tasks t on t.doc_id = d.doc_id
group by d.doc_id
order by d.province, d.jurisdiction, d.title

-- name: plans_per_province
-- title: Plans per province, with the share of tasks that have a lead unit, a deadline, a target
-- description: One row per province-level division: how many plans and tasks the database holds for it and how completely their tasks were read.
select d.province, count(distinct d.doc_id) as plans, group_concat(distinct d.jurisdiction) as jurisdictions,
  count(t.task_id) as tasks,
  round(1.0 * count(t.task_id) / count(distinct d.doc_id), 1) as tasks_per_plan,
  round(100.0 * avg(case when t.task_id is not null then exists(
    select 1 from unit_mentions u where u.task_id = t.task_id and u.role = 'lead') end), 1) as pct_with_lead_unit,
  round(100.0 * avg(case when t.task_id is not null then exists(
    select 1 from deadlines x where x.task_id = t.task_id) end), 1) as pct_with_deadline,
  round(100.0 * avg(case when t.task_id is not null then exists(
    select 1 from targets g where g.task_id = t.task_id) end), 1) as pct_with_target
from documents d left join tasks t on t.doc_id = d.doc_id
group by d.province
order by plans desc, d.province

-- name: targets_by_indicator
-- title: Targets of one indicator across jurisdictions and years, strictest first
-- description: Targets of the indicator you enter: a key (供水管网漏损率) or any wording of it (漏损率, 灌溉水有效利用系数 …), matched through the normalised indicator keys of v_indicator_targets. Within one key, measure and base unit the strictest comes first: the lowest ceiling, the highest floor, the largest change.
select indicator_key, jurisdiction, province, year, comparator, value, value_max, unit, base_value, base_unit,
  measure, indicator, text, file_name, target_id, task_id
from v_indicator_targets
where indicator_key = :indicator
   or indicator_key in (select indicator_key from v_indicator_targets where indicator like '%' || :indicator || '%')
order by indicator_key, measure, base_unit, strictness, year, jurisdiction

-- name: lead_unit_types_by_sector
-- title: Lead unit types per sector
-- description: Which kinds of unit lead the tasks of a sector (农业, 工业, 城镇生活, 非常规水源, 公共机构 …; empty for all sectors), summed over jurisdictions from v_sector_leads, with canonical unit names.
select sector, unit_type, sum(tasks) as tasks_led, count(distinct jurisdiction) as jurisdictions,
  group_concat(jurisdiction || ': ' || units, ' | ') as units_by_jurisdiction
from v_sector_leads
where :sector = '' or sector like '%' || :sector || '%'
group by sector, unit_type
order by sector, tasks_led desc, unit_type

-- name: due_in_year_by_unit
-- title: Tasks and targets due in a given year, by unit
-- description: For each canonical unit: the tasks it leads or supports whose deadline falls in the year you enter (2025 …) and the targets set for that year inside its tasks, from v_due. Items without a unit are listed under an empty unit. Leave jurisdiction empty for all.
select jurisdiction, canonical_name as unit, role,
  count(distinct case when item = 'task' then item_id end) as tasks_due,
  count(distinct case when item = 'target' then item_id end) as targets_due,
  min(due_date) as first_due_date, unit_id
from v_due
where year = cast(:year as integer) and (:jurisdiction = '' or jurisdiction = :jurisdiction)
group by jurisdiction, unit_id, role
order by jurisdiction, tasks_due + targets_due desc, unit

-- name: workload_per_unit
-- title: Workload per unit: tasks led and supported
-- description: Every canonical unit with the tasks and appendix task rows it leads or supports, from v_unit_workload. Enter a jurisdiction to see only the units of its plans, or leave it empty.
select canonical_name as unit, unit_type, level, is_collective, tasks_led, tasks_supported, rows_led,
  rows_supported, plans, unit_id
from v_unit_workload
where :jurisdiction = '' or (',' || plans || ',') like '%,' || :jurisdiction || ',%'
order by tasks_led desc, tasks_supported desc, unit

-- name: search_tasks
-- title: Search tasks (Chinese words of any length)
-- description: Tasks containing every term you enter (separate terms with spaces; "quote" a phrase with spaces). Two-character words such as 节水 or 漏损 work. Leave jurisdiction empty for all.
select s.jurisdiction, s.path_text, s.title, s.text, s.task_id, s.doc_id
from tasks_search_fts f join tasks_search s on s.search_id = f.rowid
where tasks_search_fts match zhengce_fts(:q) and (:jurisdiction = '' or s.jurisdiction = :jurisdiction)
order by f.rank
limit 500

-- name: task_items
-- title: Everything extracted from one task
-- description: The units (canonical names), deadlines and targets of one task (paste a task_id), in text order, each with its normalised value and its span in documents.text.
select * from (
  select 'unit' as kind, u.role as detail, u.raw as source_text,
    coalesce(cu.canonical_name, u.name) || ' (' || coalesce(u.unit_type, '?') || ')' as normalised,
    u.char_start, u.char_end, u.mention_id as item_id
  from unit_mentions u
  left join mention_units mu on mu.mention_id = u.mention_id
  left join units cu on cu.unit_id = mu.unit_id
  where u.task_id = :task_id
  union all
  select 'deadline', x.kind, x.text, coalesce(x.start_date || ' … ', '') || coalesce(x.date, 'ongoing'),
    x.char_start, x.char_end, x.deadline_id
  from deadlines x where x.task_id = :task_id
  union all
  select 'target', g.comparator, g.text,
    g.indicator || ' ' || g.comparator || ' ' || coalesce(g.base_value, '') || coalesce(' … ' || g.base_value_max, '')
      || ' ' || coalesce(g.base_unit, '') || coalesce(' (' || g.year || ')', ''),
    g.char_start, g.char_end, g.target_id
  from targets g where g.task_id = :task_id
) order by char_start, kind
