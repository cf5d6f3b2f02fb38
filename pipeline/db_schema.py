"""The database layout: every table, its columns (type and description), keys and indexes.

Declared once here; `store.py` creates tables from it and `zhengce serve` (later) reads the
descriptions for Datasette metadata. Row values come from the pydantic records in schemas/ via
`rows.py`, so the models stay the single source of truth for what a value means.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SPAN_COLUMNS: dict[str, tuple[type, str]] = {
    "char_start": (int, "start offset in the document's normalised text (documents.text)"),
    "char_end": (int, "end offset (exclusive) in documents.text"),
    "orig_start": (int, "start offset in the original decoded source text (documents.original_text)"),
    "orig_end": (int, "end offset (exclusive) in documents.original_text"),
    "page": (int, "1-based page of the source, for paged formats (PDF); null for text"),
    "block": (int, "0-based paragraph/block of the source, for structured formats (.docx); null for text"),
}


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: dict[str, tuple[type, str]]
    pk: str
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    unique_indexes: tuple[tuple[str, ...], ...] = ()
    # Columns null in a large share of rows, indexed only where they are not (`x = ?` and joins on
    # x still use the index; SQLite knows they imply x IS NOT NULL). unit_mentions.task_id and
    # task_row_id are each null in half the rows: inserting a mention cost 9.5 µs against 11.3 µs
    # with full indexes (46,327 mentions, median of three, measured).
    sparse_indexes: tuple[str, ...] = ()
    not_null: frozenset[str] = field(default_factory=frozenset)


def _with_span(cols: dict[str, tuple[type, str]], prefix: str = "") -> dict[str, tuple[type, str]]:
    out = dict(cols)
    for name, (typ, desc) in SPAN_COLUMNS.items():
        out[prefix + name] = (typ, desc)
    return out


DOCUMENTS = TableSpec(
    name="documents",
    description="One row per ingested plan (the current version of each source path).",
    pk="doc_id",
    columns={
        "doc_id": (str, "SHA-256 of the source file's bytes: the document's identity"),
        "doc_key": (int, "small number of the document in this database; every row id of the document "
                         "is doc_key × 10⁷ + the row's position (pipeline/row_ids.py)"),
        "path": (str, "absolute path of the source file"),
        "file_name": (str, "source file name"),
        "stem": (str, "file name without suffix; names the JSON export"),
        "media_type": (str, "text/plain, application/pdf, …"),
        "encoding": (str, "detected text encoding"),
        "size_bytes": (int, "size of the source file"),
        "ingested_at": (str, "UTC time of ingestion, ISO 8601"),
        "schema_version": (int, "zhengce schema version that wrote the row"),
        "title": (str, "the plan's own title"),
        "jurisdiction": (str, "the government whose plan it is"),
        "province": (str, "province-level division of the jurisdiction"),
        "prefecture": (str, "prefecture-level division above a county, if any"),
        "admin_level": (str, "national | province | prefecture | county"),
        "issuer": (str, "issuing body"),
        "doc_number": (str, "发文字号"),
        "date": (str, "成文日期, ISO date"),
        "status": (str, "征求意见稿 / 讨论稿 / … ; null for a final text"),
        "base_year": (int, "the year relative dates refer to"),
        "meta_spans": (str, "JSON: provenance span of each metadata field"),
        "problems": (str, "JSON: coded warnings raised while reading"),
        "original_text": (str, "the decoded source text, untouched"),
        "text": (str, "the normalised text every span points into"),
    },
    unique_indexes=(("path",), ("doc_key",)),
    indexes=(("jurisdiction",), ("province",), ("admin_level",)),
    not_null=frozenset({"path", "file_name", "text", "original_text", "doc_key"}),
)

SECTIONS = TableSpec(
    name="sections",
    description="The section tree of each document: numbered headings, items, appendices.",
    pk="section_id",
    columns=_with_span({
        "section_id": (int, "row id: documents.doc_key × 10⁷ + section_index (pipeline/row_ids.py)"),
        "doc_id": (str, "the document"),
        "section_index": (int, "position in document order; 0 is the root"),
        "parent_id": (int, "the parent section; null for the root"),
        "depth": (int, "distance from the root"),
        "kind": (str, "document | preamble | heading | item | appendix"),
        "label": (str, "numbering label: 二, （一）, 1, （1）, ①, 附件2"),
        "label_style": (str, "cn_comma | cn_paren | arabic_dot | arabic_paren | circled | unnumbered | appendix …"),
        "path": (str, "JSON list of labels from the top section down"),
        "path_text": (str, "the labels joined with ' / ', for display and search"),
        "title": (str, "heading text, or an item's lead phrase up to its first 。"),
        "text": (str, "the section's own text: its heading line and body up to its first subsection "
                      "(with descendants: v_sections.full_text)"),
        "title_char_start": (int, "start of the title in documents.text"),
        "title_char_end": (int, "end of the title in documents.text"),
    }),
    foreign_keys=(("doc_id", "documents", "doc_id"), ("parent_id", "sections", "section_id")),
    indexes=(("doc_id", "section_index"), ("parent_id",)),
)

TABLES = TableSpec(
    name="tables",
    description="Tables rebuilt from their flattened form (appendix task lists, in-text tables).",
    pk="table_id",
    columns=_with_span({
        "table_id": (int, "row id: documents.doc_key × 10⁷ + table_index"),
        "doc_id": (str, "the document"),
        "section_id": (int, "the section that holds the table"),
        "table_index": (int, "position among the document's tables"),
        "label": (str, "附件2, 表1 …"),
        "caption": (str, "the title line above the table"),
        "columns": (str, "JSON list of header cell texts"),
        "n_rows": (int, "rows, header rows included"),
        "n_cols": (int, "columns"),
    }),
    foreign_keys=(("doc_id", "documents", "doc_id"), ("section_id", "sections", "section_id")),
    indexes=(("doc_id",),),
)

TABLE_ROWS = TableSpec(
    name="table_rows",
    description="Rows of rebuilt tables, with the label a reader cites them by.",
    pk="row_id",
    columns=_with_span({
        "row_id": (int, "row id: documents.doc_key × 10⁷ + position among the document's table rows"),
        "table_id": (int, "the table"),
        "doc_id": (str, "the document"),
        "row_index": (int, "0-based row position; header rows first"),
        "label": (str, "the table's 序号, else group label + position (（一）-2), else item.sub (1.2)"),
        "group_label": (str, "the group (（二）, 一、…) the row falls under"),
        "is_header": (int, "1 for a header row"),
    }),
    foreign_keys=(("table_id", "tables", "table_id"), ("doc_id", "documents", "doc_id")),
    indexes=(("table_id", "row_index"), ("doc_id",)),
)

TABLE_CELLS = TableSpec(
    name="table_cells",
    description="Cells of rebuilt tables; in-cell line breaks removed.",
    pk="cell_id",
    columns=_with_span({
        "cell_id": (int, "row id: documents.doc_key × 10⁷ + position among the document's cells"),
        "table_id": (int, "the table"),
        "doc_id": (str, "the document"),
        "row_index": (int, "row position"),
        "col_index": (int, "column position"),
        "column_name": (str, "the header text of the cell's column"),
        "text": (str, "cell text"),
        "is_header": (int, "1 for a header cell"),
    }),
    foreign_keys=(("table_id", "tables", "table_id"), ("doc_id", "documents", "doc_id")),
    indexes=(("table_id", "row_index", "col_index"), ("doc_id",)),
)

CITATIONS = TableSpec(
    name="citations",
    description="Documents a plan invokes by title in 《》, in order, de-duplicated.",
    pk="citation_id",
    columns=_with_span({
        "citation_id": (int, "row id: documents.doc_key × 10⁷ + position"),
        "doc_id": (str, "the citing document"),
        "position": (int, "order of first appearance"),
        "title": (str, "cited title without 《》"),
        "doc_number": (str, "发文字号 given beside the title"),
    }),
    foreign_keys=(("doc_id", "documents", "doc_id"),),
    indexes=(("doc_id", "position"),),
)

TASKS = TableSpec(
    name="tasks",
    description="Numbered items that assign work (task and safeguard sections), one row per task.",
    pk="task_id",
    columns=_with_span({
        "task_id": (int, "row id: documents.doc_key × 10⁷ + task_index"),
        "doc_id": (str, "the document"),
        "section_id": (int, "the section that is this task"),
        "task_index": (int, "position among the document's tasks"),
        "path": (str, "JSON list of numbering labels from the top section down"),
        "path_text": (str, "the labels joined with ' / '"),
        "title": (str, "the item's lead phrase, up to its first 。"),
        "quote": (str, "first 16 non-whitespace characters after the item number, verbatim"),
        "text": (str, "normalised text of the task, sub-items and unit lines included"),
        "text_hash": (str, "SHA-1 of the task text without whitespace; equal across versions of a plan"),
    }),
    foreign_keys=(("doc_id", "documents", "doc_id"), ("section_id", "sections", "section_id")),
    indexes=(("doc_id", "task_index"), ("text_hash",)),
)

TASK_ROWS = TableSpec(
    name="task_rows",
    description="Rows of appendix task tables (任务清单, 任务分解表) that carry a task text.",
    pk="task_row_id",
    columns=_with_span({
        "task_row_id": (int, "row id: documents.doc_key × 10⁷ + position among the document's task rows"),
        "doc_id": (str, "the document"),
        "table_id": (int, "the table"),
        "table_label": (str, "附件, 附件2 …"),
        "row_index": (int, "row position in the table"),
        "label": (str, "the row label (序号, （一）-2, 1.2)"),
        "quote": (str, "first 16 non-whitespace characters of the task cell, verbatim"),
        "task_text": (str, "the task cell"),
        "deadline_text": (str, "the 节点/时限 cell verbatim; null without such a column"),
        "task_id": (int, "the narrative task this row restates, if found"),
    }),
    foreign_keys=(("doc_id", "documents", "doc_id"), ("table_id", "tables", "table_id"),
                  ("task_id", "tasks", "task_id")),
    indexes=(("doc_id",), ("task_id",)),
)

UNIT_MENTIONS = TableSpec(
    name="unit_mentions",
    description="Responsible units of tasks and task-table rows, with their role (lead 牵头 / support 配合).",
    pk="mention_id",
    columns=_with_span({
        "mention_id": (int, "row id: documents.doc_key × 10⁷ + position among the document's mentions"),
        "doc_id": (str, "the document"),
        "task_id": (int, "the task (null for a table row's unit)"),
        "task_row_id": (int, "the task-table row (null for a task's unit)"),
        "position": (int, "order within its task or row"),
        "role": (str, "lead | support"),
        "name": (str, "the unit as the text names it, shared level prefix written out"),
        "unit_type": (str, "FORMAT.md type: 水利, 发展改革, …, 其他"),
        "raw": (str, "the text the name was read from"),
        "rule_id": (str, "the rule that found it"),
        "from_group": (int, "1 if carried from a list stated once for a group of tasks"),
        "unit_id": (str, "the canonical unit (units.unit_id) when the mention names exactly one; set by "
                         "pipeline/canonical.py after every ingest, null until then, for a list and for NOT_A_UNIT"),
    }),
    foreign_keys=(("doc_id", "documents", "doc_id"), ("task_id", "tasks", "task_id"),
                  ("task_row_id", "task_rows", "task_row_id")),
    indexes=(("doc_id",),),
    sparse_indexes=("task_id", "task_row_id"),
)

DEADLINES = TableSpec(
    name="deadlines",
    description="Time expressions that set when a task is to be done.",
    pk="deadline_id",
    columns=_with_span({
        "deadline_id": (int, "row id: documents.doc_key × 10⁷ + position among the document's deadlines"),
        "doc_id": (str, "the document"),
        "task_id": (int, "the task"),
        "position": (int, "order within the task"),
        "text": (str, "the time expression, whitespace removed"),
        "kind": (str, "by | range | ongoing"),
        "date": (str, "ISO date: last day of the period; null for ongoing"),
        "start_date": (str, "ISO first day, for ranges"),
        "rule_id": (str, "the rule that found it"),
    }),
    foreign_keys=(("doc_id", "documents", "doc_id"), ("task_id", "tasks", "task_id")),
    indexes=(("task_id",), ("doc_id",)),
)

TARGETS = TableSpec(
    name="targets",
    description="Quantitative targets in goal sections and tasks, with values in base units.",
    pk="target_id",
    columns=_with_span({
        "target_id": (int, "row id: documents.doc_key × 10⁷ + position"),
        "doc_id": (str, "the document"),
        "task_id": (int, "the task holding it; null in goal sections"),
        "section_id": (int, "the section holding it"),
        "position": (int, "order in the document"),
        "text": (str, "the shortest verbatim phrase holding the figure"),
        "indicator": (str, "what is measured, in the document's words"),
        "comparator": (str, ">= | <= | = | decrease | increase | range"),
        "value": (float, "the number as written (Chinese numerals converted)"),
        "value_max": (float, "upper end of a range"),
        "unit": (str, "unit as written; '' for a coefficient"),
        "base_value": (float, "value in the base unit"),
        "base_value_max": (float, "value_max in the base unit"),
        "base_unit": (str, "m³, 亩, %, 个 …"),
        "year": (int, "the year the target is for"),
        "rule_id": (str, "the rule that found it"),
    }),
    foreign_keys=(("doc_id", "documents", "doc_id"), ("task_id", "tasks", "task_id"),
                  ("section_id", "sections", "section_id")),
    indexes=(("doc_id", "position"),),
    sparse_indexes=("task_id",),
)

# Indexes serve what every document's write and replacement needs (doc_id for deletion, the
# foreign keys for joins and Datasette's links). Analytic indexes (unit name, type, indicator, year)
# were measured to cost ~40% of write time for queries that scan a few hundred thousand rows in
# milliseconds anyway; a user who wants them adds them with `sqlite-utils create-index`.

# Parents first: creation order, and the reverse is deletion order.
ALL_TABLES: tuple[TableSpec, ...] = (DOCUMENTS, SECTIONS, TABLES, TABLE_ROWS, TABLE_CELLS, CITATIONS,
                                     TASKS, TASK_ROWS, UNIT_MENTIONS, DEADLINES, TARGETS)
