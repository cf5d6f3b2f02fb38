"""`zhengce serve`, `zhengce search`, `zhengce report`: the reading side of the command line.

Registered on the app of pipeline/cli.py by importing this module there; each command is a thin
call into pipeline.serve, pipeline.search or pipeline.report.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli import DEFAULT_DB, app

ExistingDb = Annotated[Path, typer.Option("--db", help="SQLite database written by `zhengce ingest`.")]


def _require(db: Path) -> None:
    if not db.exists():
        typer.echo(f"no database at {db}; run `zhengce ingest` first", err=True)
        raise typer.Exit(code=2)


def _read_only(db: Path) -> sqlite3.Connection:
    from pipeline.store import check_layout

    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        check_layout(conn)
    except Exception:
        conn.close()
        raise
    return conn


@app.command()
def serve(
    db: ExistingDb = DEFAULT_DB,
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 8001,
    immutable: Annotated[bool, typer.Option(
        "--immutable", help="Promise the file will not change while served (faster; not during an ingest).")] = False,
) -> None:
    """Browse the database in Datasette on 127.0.0.1, read-only.

    Tables and columns described from the schema, default facets, canned queries for cross-county
    questions, Chinese search over tasks, and each plan's review report.
    """
    _require(db)
    from pipeline.serve import serve as run

    typer.echo(f"serving {db} at http://127.0.0.1:{port}/ (read-only; Ctrl-C to stop)")
    run(db, port=port, immutable=immutable)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find; all must occur. 节水, 漏损 … any length.")],
    db: ExistingDb = DEFAULT_DB,
    jurisdiction: Annotated[str | None, typer.Option("--jurisdiction", help="Only plans of this jurisdiction (e.g. 固阳县).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many tasks.")] = 20,
    words: Annotated[bool, typer.Option(
        "--words", help="Match whole jieba words only (节水 then skips 调节水量) instead of any substring.")] = False,
) -> None:
    """Full-text search over task texts, best matches first."""
    _require(db)
    from pipeline.search import SEARCH_TABLE, search as run

    conn = _read_only(db)
    try:
        if not conn.execute("select 1 from sqlite_master where name = ?", [SEARCH_TABLE]).fetchone():
            typer.echo(f"{db} has no search index yet; run `zhengce ingest` or `zhengce serve` once", err=True)
            raise typer.Exit(code=2)
        hits = run(conn, query, jurisdiction=jurisdiction, limit=limit, words=words)
    finally:
        conn.close()
    for h in hits:
        typer.echo(f"{h.jurisdiction or '?'}  {h.path_text or ''}  {h.title or ''}\n    {h.snippet(query)}\n    {h.task_id}")
    typer.echo(f"{len(hits)} task{'s' if len(hits) != 1 else ''}" + (" (limit reached)" if len(hits) == limit else ""))


@app.command()
def report(
    doc: Annotated[str, typer.Argument(help="The plan: a doc_id prefix, its file name or its file stem.")],
    db: ExistingDb = DEFAULT_DB,
    out: Annotated[Path | None, typer.Option("--out", help="HTML file to write (default output/reports/<stem>.html).")] = None,
) -> None:
    """Write a self-contained HTML review page of one plan.

    Its text with every extracted item highlighted in place, a clickable task list, and the items
    that could not be placed.
    """
    _require(db)
    from pipeline.report import ReportError, write_report

    conn = _read_only(db)
    try:
        path = write_report(conn, doc, out)
    except ReportError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=2)
    finally:
        conn.close()
    typer.echo(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
