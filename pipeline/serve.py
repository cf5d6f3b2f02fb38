"""`zhengce serve`: the database in Datasette, read-only, described from pipeline/db_schema.py.

Everything a researcher sees is generated, not hand-written: table titles, descriptions and column
descriptions come from the TableSpecs, so a column added to the schema is documented here too.
Datasette is extended through its own plugin hooks (registered once, in this process only):

- prepare_connection: `zhengce_fts(q)` and `zhengce_fts_words(q)` turn a query into an FTS5
  expression for the Chinese search index (pipeline/search.py). Datasette's table search box calls
  the SQL function `escape_fts(q)`; we register ours under that name too, after Datasette's own
  (trylast), so the box on `tasks_search` reads Chinese the way `zhengce search` does.
- register_facet_classes: a `year` facet over ISO dates (deadline year), filtering by prefix.
- render_cell: ids in canned-query results link to their rows; review_report paths link to the report.
- register_routes: /-/zhengce/report/<doc_id> renders pipeline/report.py's page for a plan.

The file is opened with SQLite's mode=ro (Datasette's default for a mutable file), so a running
ingest keeps writing through WAL while the server reads. `--immutable` instead promises the file will
not change (faster counts); use it only on a finished database.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from pipeline import search
from pipeline.db_schema import ALL_TABLES

QUERIES_FILE = Path(__file__).with_name("queries.sql")
PLUGIN_NAME = "zhengce"

LABEL_COLUMNS = {
    "documents": "title", "sections": "title", "tables": "caption", "table_rows": "label",
    "table_cells": "text", "citations": "title", "tasks": "title", "task_rows": "quote",
    "unit_mentions": "name", "deadlines": "text", "targets": "text", search.SEARCH_TABLE: "title",
    "units": "canonical_name",
}
# The facets a researcher starts from; `{"year": col}` is this module's YearFacet.
DEFAULT_FACETS: dict[str, list[Any]] = {
    "documents": ["province", "jurisdiction", "admin_level", "status"],
    "tasks": ["doc_id"],
    "task_rows": ["doc_id", "table_label"],
    "unit_mentions": ["role", "unit_type", "doc_id"],
    "deadlines": [{"year": "date"}, "kind", "doc_id"],
    "targets": ["indicator", "year", "base_unit", "comparator", "doc_id"],
    search.SEARCH_TABLE: ["province", "jurisdiction"],
    "sections": ["kind", "doc_id"],
    "citations": ["title"],
    "units": ["unit_type", "level", "jurisdiction"],
    "task_sectors": ["sector"],
    "target_keys": ["indicator_key"],
}
TABLE_TITLES = {
    "documents": "Plans", "sections": "Sections", "tables": "Tables", "table_rows": "Table rows",
    "table_cells": "Table cells", "citations": "Cited documents", "tasks": "Tasks",
    "task_rows": "Appendix task rows", "unit_mentions": "Responsible units", "deadlines": "Deadlines",
    "targets": "Targets", search.SEARCH_TABLE: "Search tasks", "units": "Canonical units",
}
# Which table an id column of a canned query's result points into, for render_cell's links.
ID_TABLES = {
    "doc_id": "documents", "task_id": "tasks", "target_id": "targets", "deadline_id": "deadlines",
    "mention_id": "unit_mentions", "section_id": "sections", "table_id": "tables",
    "task_row_id": "task_rows", "citation_id": "citations", "unit_id": "units",
}
_TEXT_KEY = re.compile(r"[0-9a-f]{64}|u[0-9a-f]{12}")  # documents.doc_id, units.unit_id
SETTINGS = {
    "default_page_size": 50,
    "truncate_cells_html": 300,   # task texts run to hundreds of characters
    "facet_time_limit_ms": 1000,
    "sql_time_limit_ms": 5000,
    "default_facet_size": 15,
}


# -- metadata ------------------------------------------------------------------------------------
def view_descriptions() -> dict[str, str]:
    """The cross-county views' one-line descriptions, read from pipeline/views.py's docstring so
    they are written once."""
    try:
        from pipeline import views
    except ImportError:
        return {}
    found: dict[str, str] = {}
    last = None
    for line in (views.__doc__ or "").splitlines():
        m = re.match(r"- (v_\w+)\s+(.*)", line)
        if m:
            last = m.group(1)
            found[last] = m.group(2).strip()
        elif last and line.startswith("  ") and line.strip():
            found[last] += " " + line.strip()
        else:
            last = None
    return found


def load_queries(path: Path = QUERIES_FILE) -> dict[str, dict[str, str]]:
    """Parse queries.sql: blocks opened by `-- name:`, with `-- title:` and `-- description:`."""
    queries: dict[str, dict[str, str]] = {}
    for block in re.split(r"^-- name: *", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        name, _, body = block.partition("\n")
        entry: dict[str, str] = {}
        sql_lines = []
        for line in body.splitlines():
            m = re.match(r"-- (title|description): *(.*)", line)
            if m:
                entry[m.group(1)] = m.group(2).strip()
            elif not line.startswith("--"):
                sql_lines.append(line)
        if "title" not in entry:
            raise ValueError(f"{path}: query {name.strip()!r} has no '-- title:' line")
        entry["sql"] = "\n".join(sql_lines).strip()
        queries[name.strip()] = entry
    return queries


def build_metadata(db_name: str, source: str = "") -> dict[str, Any]:
    """Datasette metadata for a zhengce database named `db_name` (the file's stem)."""
    tables: dict[str, Any] = {}
    specs = [(s.name, s.description, {c: d for c, (_, d) in s.columns.items()}) for s in ALL_TABLES]
    specs.append((search.SEARCH_TABLE, search.SEARCH_DESCRIPTION,
                  {c: d for c, (_, d) in search.SEARCH_COLUMNS.items()}))
    for name, description, columns in specs:
        meta: dict[str, Any] = {
            "title": TABLE_TITLES.get(name, name),
            "description": description,
            "columns": columns,
        }
        if name in LABEL_COLUMNS:
            meta["label_column"] = LABEL_COLUMNS[name]
        if name in DEFAULT_FACETS:
            meta["facets"] = DEFAULT_FACETS[name]
        tables[name] = meta
    for name, description in view_descriptions().items():
        tables[name] = {"description": description}
    tables[search.SEARCH_TABLE].update({
        "fts_table": search.FTS_TABLE, "fts_pk": "search_id",
        "description": search.SEARCH_DESCRIPTION + " Type a word in the search box: 节水, 漏损 and other "
        "two-character words work; separate terms with spaces.",
    })
    tables["documents"]["description"] += (" A plan's review report (its text with every extracted item "
                                            "highlighted) opens from the review_report column of the "
                                            "corpus overview query.")
    return {
        "title": "zhengce (政策): policy plans as data",
        "description": "Tasks, responsible units, deadlines and targets extracted from Chinese local-government "
                       "policy plans. Every row carries char_start/char_end into documents.text.",
        "source": source or "zhengce ingest",
        "databases": {db_name: {
            "description": "Start with the corpus overview query (links to each plan's review report) "
                           "or search tasks; every table and column is described on its page.",
            "tables": tables, "queries": load_queries()}},
    }


# -- Datasette plugin --------------------------------------------------------------------------
def _plugin():
    """The hook implementations, built lazily so importing this module does not import Datasette."""
    from datasette import hookimpl
    from datasette.facets import Facet
    from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args, tilde_encode
    from datasette.utils.asgi import Response
    from markupsafe import Markup, escape

    class YearFacet(Facet):
        """Facet an ISO date column by year; a click filters with `<column>__startswith=<year>`."""
        type = "year"

        async def suggest(self):
            return []

        async def facet_results(self):
            results, timed_out = [], []
            args = dict(self.get_querystring_pairs())
            size = self.get_facet_size()
            for source_and_config in self.get_configs():
                config, source = source_and_config["config"], source_and_config["source"]
                column = config.get("column") or config["simple"]
                col = escape_sqlite(column)
                sql = (f"select substr({col}, 1, 4) as value, count(*) as count from ({self.sql}) "
                       f"where {col} glob '[0-9][0-9][0-9][0-9]*' group by value order by value limit {size + 1}")
                rows = await self.ds.execute(self.database, sql, self.params, truncate=False,
                                             custom_time_limit=self.ds.setting("facet_time_limit_ms"))
                values = []
                for row in rows.rows[:size]:
                    key = f"{column}__startswith"
                    selected = args.get(key) == row["value"]
                    path = (path_with_removed_args(self.request, {key: row["value"]}) if selected
                            else path_with_added_args(self.request, {key: row["value"]}))
                    values.append({"value": row["value"], "label": row["value"], "count": row["count"],
                                   "toggle_url": self.ds.absolute_url(self.request, path), "selected": selected})
                results.append({"name": column, "type": self.type, "results": values,
                                "hideable": source != "metadata", "truncated": len(rows) > size,
                                "toggle_url": path_with_removed_args(self.request, {"_facet_year": column})})
            return results, timed_out

    class Plugin:
        @hookimpl(trylast=True)
        def prepare_connection(self, conn):
            conn.create_function("zhengce_fts", 1, lambda q: search.query_expression(q or ""))
            conn.create_function("zhengce_fts_words", 1, lambda q: search.query_expression(q or "", words=True))
            conn.create_function("escape_fts", 1, lambda q: search.query_expression(q or ""))

        @hookimpl
        def register_facet_classes(self):
            return [YearFacet]

        @hookimpl
        def render_cell(self, value, column, table, database, datasette):
            # Row ids are integers (pipeline/row_ids.py); doc_id and unit_id are text keys.
            is_row_id = isinstance(value, int) and not isinstance(value, bool)
            if not isinstance(value, str) and not is_row_id:
                return None
            if column == "review_report" and value.startswith("/-/zhengce/report/"):
                return Markup(f'<a href="{escape(datasette.urls.path(value))}">review report</a>')
            if table is None and column in ID_TABLES and (is_row_id or _TEXT_KEY.fullmatch(value)):
                url = datasette.urls.row(database, ID_TABLES[column], tilde_encode(str(value)))
                return Markup(f'<a href="{escape(url)}">{escape(str(value))}</a>')
            return None

        @hookimpl
        def register_routes(self):
            return [(r"^/-/zhengce/report/(?P<doc_id>[0-9a-f]{8,64})$", report_view)]

    async def report_view(datasette, request):
        from pipeline.report import ReportError, render_report

        try:
            page = await datasette.get_database().execute_fn(
                lambda conn: render_report(conn, request.url_vars["doc_id"]))
        except ReportError as exc:
            return Response.text(str(exc), status=404)
        return Response.html(page)

    plugin = Plugin()
    plugin.__name__ = PLUGIN_NAME  # Datasette lists plugins by module name
    return plugin


def register_plugin() -> None:
    from datasette.plugins import pm

    if not pm.has_plugin(PLUGIN_NAME):
        pm.register(_plugin(), name=PLUGIN_NAME)


# -- running -------------------------------------------------------------------------------------
def prepare_database(db_path: Path) -> None:
    """Build the search index if the database predates it, or index the tasks of a batch that died
    before its index statement: the only writes serve ever does."""
    from pipeline.store import check_layout

    conn = sqlite3.connect(db_path)
    try:
        check_layout(conn)
        if (not conn.execute("select 1 from sqlite_master where name = ?", [search.SEARCH_TABLE]).fetchone()
                or search.has_pending(conn)):
            with conn:
                search.ensure_search_schema(conn)
    finally:
        conn.close()


def make_datasette(db_path: Path, immutable: bool = False):
    from datasette.app import Datasette

    register_plugin()
    metadata = build_metadata(db_path.stem, source=f"zhengce ingest → {db_path.name}")
    files = {"immutables": [str(db_path)]} if immutable else {"files": [str(db_path)]}
    return Datasette(**files, metadata=metadata, settings=SETTINGS)


def serve(db_path: Path, port: int = 8001, immutable: bool = False) -> None:
    """Run Datasette on 127.0.0.1:`port` until interrupted."""
    import asyncio

    import uvicorn

    prepare_database(db_path)
    ds = make_datasette(db_path, immutable=immutable)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host="127.0.0.1", port=port, log_level="warning", lifespan="on", workers=1)
